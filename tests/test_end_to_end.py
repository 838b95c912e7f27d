"""The whole path on the bundled demo portal, over a real local socket.

crawl → snapshot → evaluate → result.json + scorecard.html, then `checker evaluate` on the
stored snapshot must reproduce result.json byte for byte.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.report import write_json, write_scorecard
from checker.results import ScanResult, Status
from tests.demo_scan import scan_demo

TODAY = date(2026, 11, 21)
EVALUATED_AT = "2026-11-21T08:00:00Z"


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory) -> tuple[Path, ScanResult]:
    """Crawl the demo portal once for the module and evaluate both demo profiles."""
    out = tmp_path_factory.mktemp("demo")
    rules = load_rules(DEFAULT_RULES_DIR)
    assert not [p for p in rules.problems if p.level == "error"], rules.problems
    return out, scan_demo(out, today=TODAY, evaluated_at=EVALUATED_AT, rules=rules)


def _items(result: ScanResult, profile_id: str):
    profile = next(p for p in result.profiles if p.id == profile_id)
    return {item.number: item for item in profile.items}


def test_every_pingcheng_item_has_a_status_and_evidence(demo_scan):
    _, result = demo_scan
    items = _items(result, "pingcheng-2024")
    assert sorted(items, key=int) == [str(n) for n in range(1, 51)]
    for item in items.values():
        assert item.status in Status
        for check in item.checks:
            if check.status in (Status.PASS, Status.FAIL):
                assert check.evidence, f"item {item.number} check {check.check_id} has no evidence"
                assert any(e.url for e in check.evidence), f"{check.check_id}: evidence without a URL"
        if item.status == Status.MANUAL:
            assert item.manual_reason


def test_demo_shows_every_status_where_the_portal_was_built_to(demo_scan):
    _, result = demo_scan
    items = _items(result, "pingcheng-2024")
    assert items["4"].status == Status.PASS  # the homepage links to the provincial 政务服务 platform
    assert items["5"].status == Status.PASS  # 权责清单 published
    assert items["10"].status == Status.PASS  # 决策目录, 征求意见稿, 解读 and 结果 all listed
    assert items["16"].status == Status.PASS  # the four 促进民营经济 contents listed
    assert items["34"].status == Status.PASS  # 2 of 6 解读 are 图解 / 一图读懂 (≥ 30 %)
    assert items["9"].status == Status.FAIL  # 行政事业性收费: a blank column (暂无信息)
    assert items["27"].status == Status.FAIL  # no 废止/失效 目录
    assert items["28"].status == Status.FAIL  # one 规范性文件 states no 有效期 / 解读主体
    assert items["23"].status == Status.UNKNOWN  # 社会救助 answers 403 behind a WAF
    assert items["1"].status == Status.MANUAL
    unknown_check = next(c for c in items["23"].checks if c.status == Status.UNKNOWN)
    assert "403" in (unknown_check.reason or "")


def test_national_profile_finds_the_deliberate_footer_and_link_faults(demo_scan):
    _, result = demo_scan
    national = next(p for p in result.profiles if p.id == "national")
    checks = [c for item in national.items for c in item.checks]
    by_kind = {}
    for c in checks:
        by_kind.setdefault(c.kind, []).append(c)
    footer = {c.check_id: c.status for c in by_kind["footer_has"]}
    assert Status.FAIL in footer.values(), footer  # no 公安机关备案号 on the demo
    assert sum(1 for s in footer.values() if s == Status.PASS) >= 4
    assert any(c.status == Status.FAIL for c in by_kind["broken_links"])  # the 历史专题 link answers 404
    fresh = [c for c in by_kind["updated_within"] if c.status == Status.PASS]
    assert fresh, "the homepage and 政务要闻 are fresh on the demo"


# The demo portal is a mostly compliant county portal: on national, it fails only where a
# fault was built in. Item → why.
NATIONAL_DELIBERATE_FAILS = {
    "N10": "no 公安机关备案号 in the footer",
    "N18": "the homepage's 历史专题 link answers 404",
    "N30": "one 规范性文件 published ~40 days after its 成文日期",
    "N37": "行政事业性收费 is a blank column (暂无信息)",
    "N44": "a 行政处罚 notice prints a full 身份证号 and mobile number",
}
LEAKED_ID_CARD, LEAKED_MOBILE = "140299198503122537", "15935268741"


def test_national_fails_only_where_the_demo_was_built_to(demo_scan):
    _, result = demo_scan
    national = next(p for p in result.profiles if p.id == "national")
    fails = {item.number for item in national.items if item.status == Status.FAIL}
    assert fails == set(NATIONAL_DELIBERATE_FAILS), fails
    assert not [item.number for item in national.items if item.status == Status.UNKNOWN]


def test_personal_data_fails_on_the_planted_notice_with_masked_evidence(demo_scan, tmp_path):
    _, result = demo_scan
    check = next(c for c in _items(result, "national")["N44"].checks if c.check_id == "no-personal-data")
    assert check.status == Status.FAIL
    shown = {e.found: e for e in check.evidence if e.url and e.url.endswith("/zwgk/sgs/202506/t20250611_3054.html")}
    assert set(shown) == {"140299********2537", "159****8741"}, [e.found for e in check.evidence]
    assert "1402**********1234" not in {e.found for e in check.evidence}  # the masked 补贴 名单 is compliant
    write_json(result, tmp_path / "result.json")
    write_scorecard(result, tmp_path / "scorecard.html")
    for name in ("result.json", "scorecard.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "140299********2537" in text, name
        assert LEAKED_ID_CARD not in text and LEAKED_MOBILE not in text, name


def test_publication_within_20_working_days_fails_on_the_late_normative_document(demo_scan):
    _, result = demo_scan
    item = _items(result, "national")["N30"]
    check = next(c for c in item.checks if c.check_id == "gfxwj-published-20wd")
    assert item.status == Status.FAIL and check.status == Status.FAIL
    late = [e for e in check.evidence if "超过 20 个工作日" in (e.found or "")]
    assert [e.url.rsplit("/", 1)[-1] for e in late] == ["t20241023_3102.html"], [e.found for e in check.evidence]
    # The document without 有效期 / 解读主体 (3104) is published in time: each fault has its own item.
    assert _items(result, "pingcheng-2024")["26"].status == Status.PASS


def test_reports_are_written_and_evaluate_reproduces_result_json(demo_scan, tmp_path):
    out, _ = demo_scan
    snapshot = tmp_path / "snapshot.sqlite"
    shutil.copy(out / "snapshot.sqlite", snapshot)
    runner = CliRunner()
    args = ["evaluate", str(snapshot), "--profile", "pingcheng-2024", "--profile", "national",
            "--evaluated-at", EVALUATED_AT]
    first = runner.invoke(main, args + ["--out", str(tmp_path / "a")])
    second = runner.invoke(main, args + ["--out", str(tmp_path / "b")])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    a = (tmp_path / "a" / "result.json").read_bytes()
    assert a == (tmp_path / "b" / "result.json").read_bytes()
    data = json.loads(a)
    assert data["evaluated_at"] == EVALUATED_AT
    assert [p["id"] for p in data["profiles"]] == ["pingcheng-2024", "national"]
    assert data["profiles"][0]["source"] == "000_d1a42ae4060ce4a9.txt"
    html = (tmp_path / "a" / "scorecard.html").read_text(encoding="utf-8")
    assert "云溪县" in html or "127.0.0.1" in html
    assert "权责清单" in html


def test_unreachable_site_gives_a_scorecard_that_says_so(tmp_path):
    out = tmp_path / "down"
    result = CliRunner().invoke(main, ["scan", "http://127.0.0.1:9/", "--profile", "national",
                                       "--out", str(out), "--timeout", "2"])
    assert result.exit_code == 1, result.output
    data = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert data["scan"]["status"] == "unreachable"
    statuses = {i["status"] for i in data["profiles"][0]["items"]}
    assert "fail" not in statuses and "pass" not in statuses
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert "无法访问" in html


def test_scan_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "x"
    out.mkdir()
    (out / "snapshot.sqlite").write_bytes(b"")
    result = CliRunner().invoke(main, ["scan", "http://127.0.0.1:9/", "--profile", "national", "--out", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.output
