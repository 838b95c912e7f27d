"""Site files (sites/*.yaml): loading, errors that say file/line/field, and crawl settings."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from checker.crawl.crawler import CrawlSettings
from checker.engine.loader import DEFAULT_RULES_DIR, Problem, export_schemas, load_profiles, load_rules
from checker.engine.waivers import apply_waivers
from checker.results import Status
from checker.siteconfig import SiteConfigError, load_site
from tests.demo_scan import scan_demo

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sites" / "demo.yaml"

GOOD = """\
id: yunxi
name: 云溪县人民政府
start_url: https://www.yunxi.gov.cn/
extra_hosts: [xxgk.yunxi.gov.cn]
profiles: [national]
budget:
  max_pages: 2000
politeness:
  delay: 1.5
  obey_robots: true
render:
  urls: ['*/gkmlpt/*']
waivers:
  - item: 10
    status: not_applicable
    reason: 本县无此事项
    author: 张敏
    expires: 2027-01-31
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "yunxi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(SiteConfigError) as info:
        load_site(_write(tmp_path, text))
    for p in info.value.problems:
        assert p.file.endswith("yunxi.yaml")
        assert str(p).startswith(p.file)
    return [(p.line, p.field, p.message) for p in info.value.problems]


def test_a_good_file_loads_and_maps_onto_crawl_settings(tmp_path):
    site = load_site(_write(tmp_path, GOOD))
    assert (site.id, site.name, site.profiles) == ("yunxi", "云溪县人民政府", ["national"])
    assert site.waivers[0].item == "10"  # YAML read 10 as a number; item numbers are text
    assert site.waivers[0].expires == date(2027, 1, 31)
    overrides = site.crawl_overrides()
    # Only what the file sets: the crawler's defaults stay in force for the rest.
    assert overrides == {"start_url": "https://www.yunxi.gov.cn/", "extra_hosts": ["xxgk.yunxi.gov.cn"],
                         "max_pages": 2000, "delay": 1.5, "obey_robots": True, "render_urls": ["*/gkmlpt/*"]}
    settings = CrawlSettings(**overrides)
    defaults = CrawlSettings(start_url="https://www.yunxi.gov.cn/")
    assert settings.max_depth == defaults.max_depth and settings.render == defaults.render
    assert settings.max_pages == 2000


def test_every_budget_politeness_and_render_field_reaches_crawl_settings(tmp_path):
    text = GOOD.replace("budget:\n  max_pages: 2000\n", "budget:\n  max_pages: 7\n  max_depth: 2\n  max_time: 30\n")
    text = text.replace("  delay: 1.5\n", "  delay: 1.5\n  concurrency: 1\n  timeout: 5\n")
    text = text.replace("  obey_robots: true\n", "  obey_robots: false\n")
    text = text.replace("render:\n", "render:\n  mode: never\n  budget: 3\n")
    settings = asdict(CrawlSettings(**load_site(_write(tmp_path, text)).crawl_overrides()))
    assert {k: settings[k] for k in ("max_pages", "max_depth", "max_seconds", "concurrency", "delay", "timeout",
                                     "obey_robots", "render", "render_budget")} == {
        "max_pages": 7, "max_depth": 2, "max_seconds": 30.0, "concurrency": 1, "delay": 1.5, "timeout": 5.0,
        "obey_robots": False, "render": "never", "render_budget": 3}


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    text = GOOD.replace("profiles: [national]", "profiles: [national")
    [(line, _, message)] = _problems(tmp_path, text)
    assert message.startswith("YAML syntax error")
    assert line is not None and line >= 5


def test_a_bad_value_names_line_and_field(tmp_path):
    text = GOOD.replace("max_pages: 2000", "max_pages: -5")
    assert _problems(tmp_path, text) == [(7, "budget.max_pages", "Input should be greater than or equal to 1")]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("name: 云溪县人民政府", "name: 云溪县人民政府\nstart_urls: https://x/", (3, "start_urls")),
    ("  max_pages: 2000", "  max_page: 2000", (7, "budget.max_page")),
    ("    author: 张敏", "    author: 张敏\n    approved: yes", (18, "waivers[0].approved")),
])
def test_unknown_keys_are_errors(tmp_path, old, new, expected):
    [(line, field, message)] = _problems(tmp_path, GOOD.replace(old, new))
    assert (line, field) == expected
    assert message == "Extra inputs are not permitted"


@pytest.mark.parametrize("missing", ["reason", "author", "expires"])
def test_a_waiver_needs_reason_author_and_expiry(tmp_path, missing):
    lines = [ln for ln in GOOD.splitlines(keepends=True) if not ln.startswith(f"    {missing}:")]
    [(line, field, message)] = _problems(tmp_path, "".join(lines))
    assert (line, field, message) == (14, f"waivers[0].{missing}", "Field required")


def test_a_blank_reason_or_a_waiver_naming_nothing_is_an_error(tmp_path):
    blank = GOOD.replace("reason: 本县无此事项", "reason: '   '")
    assert _problems(tmp_path, blank) == [(16, "waivers[0].reason", "must not be blank")]
    nothing = GOOD.replace("  - item: 10\n    status", "  - status")
    assert _problems(tmp_path, nothing) == [(14, "waivers[0]", "a waiver names an item, a check, or both")]


def test_bad_status_expiry_url_and_host_are_each_reported(tmp_path):
    text = (GOOD.replace("status: not_applicable", "status: waived")
            .replace("expires: 2027-01-31", "expires: next year")
            .replace("https://www.yunxi.gov.cn/", "www.yunxi.gov.cn")
            .replace("[xxgk.yunxi.gov.cn]", "[https://xxgk.yunxi.gov.cn/zwgk]"))
    found = {field: line for line, field, _ in _problems(tmp_path, text)}
    assert found == {"start_url": 3, "extra_hosts": 4, "waivers[0].status": 15, "waivers[0].expires": 18}


def test_a_date_that_is_not_on_the_calendar_names_its_line(tmp_path):
    # ruamel raises while parsing (no YAML mark): the line is found from the text.
    text = GOOD.replace("expires: 2027-01-31", "expires: 2027-02-30")
    assert _problems(tmp_path, text) == [(18, "", "invalid date: day is out of range for month")]


def test_an_empty_file_or_a_list_is_not_a_site(tmp_path):
    assert _problems(tmp_path, "") == [(1, "", "file is empty")]
    assert _problems(tmp_path, "- id: yunxi\n")[0][2].startswith("a site file is a mapping")


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(SiteConfigError, match="nowhere.yaml: cannot read file"):
        load_site(tmp_path / "nowhere.yaml")


def test_the_demo_site_file_loads_and_validates_against_the_published_schema():
    site = load_site(DEMO)
    assert site.id == "demo" and site.name == "云溪县人民政府"
    assert site.profiles == ["pingcheng-2024", "national"]
    assert [(w.item, w.check, w.status) for w in site.waivers] == [
        ("N10", "footer-police-record", "accepted"), ("9", None, "not_applicable")]
    schema = json.loads((ROOT / "rules" / "schema" / "site.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(YAML(typ="safe").load(DEMO.read_text(encoding="utf-8")),
                                              default=str)), schema)
    good = json.loads(json.dumps(YAML(typ="safe").load(GOOD), default=str))
    jsonschema.validate(good, schema)  # `item: 10` as YAML reads it: an integer, accepted
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "demo", "start_url": "http://x/", "budget": {"max_page": 1}}, schema)


def test_a_profile_with_an_impossible_date_names_its_line(tmp_path):
    # The same reader serves rule files: a bad calendar date there is a located problem too.
    (tmp_path / "p.yaml").write_text("id: p\ntitle: t\nsource: s\nitems:\n  - number: '1'\n    name: n\n"
                                     "    content: c\n    deadline: 2024-02-30\n    manual: m\n", encoding="utf-8")
    problems: list[Problem] = []
    assert load_profiles(tmp_path, base=tmp_path, problems=problems) == {}
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("p.yaml", 8, "invalid date: day is out of range for month")]


# -- the demo portal, crawled, evaluated, and waived by sites/demo.yaml ----------------------------------
DEMO_TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo_result(tmp_path_factory):
    site = load_site(DEMO)
    rules = load_rules(DEFAULT_RULES_DIR)
    out = tmp_path_factory.mktemp("site-demo")
    # What `checker demo` does: the site file's settings, the portal's own address.
    overrides = {k: v for k, v in site.crawl_overrides().items() if k != "start_url"}
    result = scan_demo(out, today=DEMO_TODAY, evaluated_at="2026-11-21T08:00:00Z", profiles=site.profiles,
                       rules=rules, **overrides)
    return site, rules, result


def test_the_demo_waivers_on_a_real_demo_scan(demo_result, tmp_path):
    site, rules, result = demo_result
    waived = apply_waivers(result, site.result_waivers(), rules.profiles)

    def items(r, profile_id):
        return {i.number: i for i in next(p for p in r.profiles if p.id == profile_id).items}

    # Active: the missing 公安机关备案号 is accepted; N10 passes by waiver, the finding kept underneath.
    before, after = items(result, "national")["N10"], items(waived, "national")["N10"]
    assert before.status == Status.FAIL
    police = after.checks[0]
    assert (police.check_id, police.status, police.waiver.original_status) == (
        "footer-police-record", Status.PASS, Status.FAIL)
    assert police.summary == before.checks[0].summary and police.evidence == before.checks[0].evidence
    assert after.status == Status.PASS and after.waiver.status == "accepted"
    assert "受理回执" in after.waiver.reason

    # Expired: item 9 (a blank 行政事业性收费 column) is judged again, and fails.
    assert items(waived, "pingcheng-2024")["9"].status == Status.FAIL
    assert items(waived, "pingcheng-2024")["9"].waiver is None
    assert [(w.item, w.expired, w.applied_to) for w in waived.waivers] == [("N10", False, 1), ("9", True, 0)]

    # Everything else is as evaluated; national's score moves by exactly the waived item.
    old = next(p for p in result.profiles if p.id == "national")
    new = next(p for p in waived.profiles if p.id == "national")
    assert (new.counts.pass_, new.counts.fail) == (old.counts.pass_ + 1, old.counts.fail - 1)
    assert new.score > old.score
    assert waived.profiles[0] == result.profiles[0]  # pingcheng-2024: only an expired waiver
    assert [i.number for i in new.items if i.status != items(result, "national")[i.number].status] == ["N10"]

    export_schemas(tmp_path)
    schema = json.loads((tmp_path / "result.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(waived.model_dump_json(by_alias=True)), schema)
