"""The whole path on the bundled demo portal, over a real local socket.

crawl → snapshot → evaluate → result.json + scorecard.html, then `checker evaluate` on the
stored snapshot must reproduce result.json byte for byte.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.crawl.crawler import CrawlSettings, crawl
from checker.demo.server import DemoPortal
from checker.engine.evaluate import evaluate
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.results import ScanResult, Status
from checker.site.snapshot import Snapshot

TODAY = date(2026, 11, 21)
EVALUATED_AT = "2026-11-21T08:00:00Z"


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory) -> tuple[Path, ScanResult]:
    """Crawl the demo portal once for the module and evaluate both demo profiles."""
    out = tmp_path_factory.mktemp("demo")
    rules = load_rules(DEFAULT_RULES_DIR)
    assert not [p for p in rules.problems if p.level == "error"], rules.problems
    with DemoPortal(today=TODAY) as portal:
        settings = CrawlSettings(start_url=portal.base_url, max_pages=500, as_of=TODAY)
        summary = asyncio.run(crawl(settings, out / "snapshot.sqlite"))
    assert summary.status == "complete", summary
    with Snapshot(out / "snapshot.sqlite") as snap:
        result = evaluate(snap, [rules.profiles["pingcheng-2024"], rules.profiles["national"]], rules.checks,
                          evaluated_at=EVALUATED_AT, snapshot_name="snapshot.sqlite")
    return out, result


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
