"""`checker history` and `checker diff` on the two demo scans."""

from __future__ import annotations

import json

from click.testing import CliRunner

from checker.history.cli import diff_cmd, history_cmd
from checker.history.store import History


def _recorded(demo_scans, reports):
    with History(None, reports) as history:
        return history.record(demo_scans.old, demo_scans.old_path), history.record(demo_scans.new, demo_scans.new_path)


def test_history_lists_the_scans_with_a_score_per_profile(demo_scans, tmp_path):
    reports = tmp_path / "reports"
    old_id, new_id = _recorded(demo_scans, reports)
    result = CliRunner().invoke(history_cmd, ["127.0.0.1", "--reports", str(reports)])
    assert result.exit_code == 0, result.output
    header, first, second = result.output.splitlines()
    assert header.split() == ["id", "评估时间", "扫描日", "状态", "页面", "pingcheng-2024", "national"]
    national = next(p for p in demo_scans.new.profiles if p.id == "national")
    assert second.split()[:4] == [str(new_id), "2026-11-22T08:00:00Z", "2026-11-21", "complete"]
    assert second.split()[-1] == f"{national.score:g}"
    assert first.split()[0] == str(old_id)
    sites = CliRunner().invoke(history_cmd, ["--reports", str(reports)])
    assert sites.output.split() == ["127.0.0.1"]
    missing = CliRunner().invoke(history_cmd, ["nowhere.gov.cn", "--reports", str(reports)])
    assert missing.exit_code == 1 and "127.0.0.1" in missing.output


def test_diff_of_files_exits_1_when_something_newly_fails_and_0_otherwise(demo_scans, tmp_path):
    runner = CliRunner()
    # No --db: diffing two files must not need (or create) a database.
    worse = runner.invoke(diff_cmd, [str(demo_scans.old_path), str(demo_scans.new_path),
                                     "--reports", str(tmp_path / "r")])
    assert worse.exit_code == 1, worse.output
    assert "新增未通过" in worse.output and "12 政府信息公开指南" in worse.output
    assert not (tmp_path / "r").exists()
    same = runner.invoke(diff_cmd, [str(demo_scans.new_path), str(demo_scans.new_path.parent)])
    assert same.exit_code == 0, same.output
    assert "没有新增未通过项" in same.output


def test_diff_by_scan_id_and_previous_through_a_database_url(demo_scans, tmp_path):
    db = tmp_path / "nightly.sqlite"
    with History(f"sqlite:///{db}") as history:
        old_id = history.record(demo_scans.old)
        new_id = history.record(demo_scans.new)
    runner = CliRunner()
    by_id = runner.invoke(diff_cmd, [str(old_id), str(new_id), "--db", f"sqlite:///{db}"])
    assert by_id.exit_code == 1, by_id.output
    assert f"（#{old_id} → #{new_id}）" in by_id.output
    previous = runner.invoke(diff_cmd, ["previous", str(new_id), "--json"], env={"CHECKER_HISTORY_DB": str(db)})
    assert previous.exit_code == 1, previous.output
    data = json.loads(previous.output)
    assert (data["old_scan_id"], data["new_scan_id"]) == (old_id, new_id)
    national = next(p for p in data["profiles"] if p["profile"] == "national")
    assert [c["item"] for c in national["fixed"]] == ["N18", "N37"]
    only = runner.invoke(diff_cmd, [str(new_id), str(new_id), "--db", str(db), "--profile", "national"])
    assert only.exit_code == 0 and "[national]" in only.output and "pingcheng" not in only.output
    first = runner.invoke(diff_cmd, ["previous", str(old_id), "--db", str(db)])
    assert first.exit_code == 2 and "no earlier scan" in first.output


def test_diff_rejects_what_is_neither_a_result_nor_a_scan_id(demo_scans, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(diff_cmd, ["nope.json", str(demo_scans.new_path)])
    assert bad.exit_code == 2 and "neither a result.json" in bad.output
    junk = tmp_path / "junk.json"
    junk.write_text("{}", encoding="utf-8")
    assert runner.invoke(diff_cmd, [str(junk), str(demo_scans.new_path)]).exit_code == 2
    unknown = runner.invoke(diff_cmd, ["999", str(demo_scans.new_path), "--db", str(tmp_path / "h.sqlite")])
    assert unknown.exit_code == 2 and "no scan 999" in unknown.output
    profile = runner.invoke(diff_cmd, [str(demo_scans.old_path), str(demo_scans.new_path), "--profile", "x"])
    assert profile.exit_code == 2
