"""Issue 5's acceptance, through the real CLI: two consecutive scans of the demo portal, with
a change made to the portal between them, give a scorecard whose changes and trend show
that change; the demo site file's expired waiver is shown as expired and not applied; and
`checker diff` fails a nightly job when something newly fails."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from checker.cli import main

CHANGES = ("--change", "fix-fees", "--change", "break-guide-phone")


@pytest.fixture(scope="module")
def two_scans(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    out = reports / "demo"
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--out", str(out)])
    assert first.exit_code == 0, first.output
    first_result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    second = runner.invoke(main, ["demo", "--out", str(out), *CHANGES])
    assert second.exit_code == 0, second.output
    return reports, first_result, json.loads((out / "result.json").read_text(encoding="utf-8")), \
        (out / "scorecard.html").read_text(encoding="utf-8"), second.output


def item(result, profile, number):
    p = next(p for p in result["profiles"] if p["id"] == profile)
    return next(i for i in p["items"] if i["number"] == number)


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</section>", start)]


def test_the_second_scan_is_recorded_after_the_first(two_scans):
    reports, _first, _second, _html, output = two_scans
    assert (reports / "history.sqlite").is_file()
    assert "scan #2 of demo" in output
    listing = CliRunner().invoke(main, ["history", "demo", "--db", str(reports / "history.sqlite")])
    assert listing.exit_code == 0, listing.output
    assert re.search(r"^1\s", listing.output, re.M) and re.search(r"^2\s", listing.output, re.M)


def test_the_scorecard_shows_the_change_as_fixed_and_newly_failing(two_scans):
    _reports, first, second, html, _output = two_scans
    # What changed on the portal: the 收费 column got a document, the 指南 lost its landline.
    assert item(first, "pingcheng-2024", "9")["status"] == "fail"
    assert item(second, "pingcheng-2024", "9")["status"] == "pass"
    assert item(first, "pingcheng-2024", "12")["status"] == "pass"
    assert item(second, "pingcheng-2024", "12")["status"] == "fail"
    changes = section(html, "p1-changes")
    newly_failing = changes[changes.index("新增未通过"):changes.index("已整改")]
    fixed = changes[changes.index("已整改"):]
    assert "政府信息公开指南" in newly_failing and "zfxxgkzn-landline" in newly_failing
    assert "行政事业性收费" in fixed
    # The trend has both scans: one bar group per scan, the score line through both.
    trend = changes[changes.index('<figure class="trend">'):]
    assert trend.count("<svg") == 1
    assert "85.2" in trend and str(second["profiles"][0]["score"]) in trend


def test_the_expired_waiver_is_listed_as_expired_and_not_applied(two_scans):
    _reports, first, _second, html, _output = two_scans
    expired = [w for w in first["waivers"] if w["expired"]]
    assert [(w["profile"], w["item"], w["applied_to"]) for w in expired] == [("pingcheng-2024", "9", 0)]
    nine = item(first, "pingcheng-2024", "9")
    assert nine["status"] == "fail" and nine["waiver"] is None  # judged, not waived
    waivers = section(html, "waivers")
    assert "已过期" in waivers and "县级行政事业性收费目录清单由市财政局统一公开" in waivers
    # The active one did apply: the police-record finding is accepted, with its original status.
    n10 = item(first, "national", "N10")
    assert n10["status"] == "pass" and n10["waiver"]["original_status"] == "fail"


def test_checker_diff_exits_non_zero_when_something_newly_fails(two_scans):
    reports, *_ = two_scans
    db = str(reports / "history.sqlite")
    changed = CliRunner().invoke(main, ["diff", "1", "2", "--db", db])
    assert changed.exit_code == 1, changed.output
    assert "新增未通过" in changed.output
    same = CliRunner().invoke(main, ["diff", "2", "2", "--db", db])
    assert same.exit_code == 0, same.output
