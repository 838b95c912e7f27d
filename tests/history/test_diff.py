"""The diff between the two demo scans, and its stability under reordering."""

from __future__ import annotations

import random

from checker.engine.evaluate import fingerprint
from checker.history.diff import diff, format_diff
from checker.results import Evidence, ScanResult, Status


def _numbers(changes) -> list[str]:
    return [c.item for c in changes]


def test_the_demo_changes_show_as_fixed_newly_failing_and_newly_unknown(demo_scans):
    d = diff(demo_scans.old, demo_scans.new)
    assert d.site == "127.0.0.1" and [p.profile for p in d.profiles] == ["pingcheng-2024", "national"]
    pingcheng, national = d.profiles
    # fix-fees: the blank 行政事业性收费 column now lists a document.
    assert _numbers(pingcheng.fixed) == ["9"] and _numbers(national.fixed) == ["N18", "N37"]
    assert (national.fixed[1].old_status, national.fixed[1].new_status) == (Status.FAIL, Status.PASS)
    # break-guide-phone: the 政府信息公开指南 lost its landline.
    assert _numbers(pingcheng.newly_failing) == ["12"] and _numbers(national.newly_failing) == ["N20"]
    twelve = pingcheng.newly_failing[0]
    assert twelve.new_findings == ["zfxxgkzn-landline"] and "固定联系电话" in twelve.summary
    assert twelve.lead_unit and twelve.name == "政府信息公开指南"
    # fix-dead-link: item 38's homepage links are fine now, but its site-wide link check
    # cannot vouch for the link behind the WAF: unknown, not fixed.
    assert _numbers(pingcheng.newly_unknown) == ["38"]
    assert "38" not in _numbers(pingcheng.fixed)
    assert _numbers(pingcheng.still_failing) == ["27", "28"]
    assert _numbers(national.still_failing) == ["N10", "N30", "N44"]
    assert not any(c.new_findings for p in d.profiles for c in p.still_failing)
    assert d.has_new_failures
    assert national.new_score > national.old_score


def test_a_scan_against_itself_has_nothing_new(demo_scans):
    d = diff(demo_scans.new, demo_scans.new)
    assert not d.has_new_failures
    for p in d.profiles:
        assert not (p.newly_failing or p.fixed or p.newly_unknown)
        assert p.still_failing


def test_reversed_the_break_is_a_fix_and_the_fix_a_break(demo_scans):
    d = diff(demo_scans.new, demo_scans.old, profiles=["pingcheng-2024"])
    (pingcheng,) = d.profiles
    assert _numbers(pingcheng.fixed) == ["12"]
    # 38 was unknown in the newer scan: failing again is newly failing, not still failing.
    assert _numbers(pingcheng.newly_failing) == ["9", "38"]
    assert pingcheng.newly_failing[1].old_status == Status.UNKNOWN
    assert pingcheng.newly_unknown == []


def _shuffled(result: ScanResult, seed: int) -> ScanResult:
    rng = random.Random(seed)
    data = result.model_copy(deep=True)
    rng.shuffle(data.profiles)
    for p in data.profiles:
        rng.shuffle(p.items)
        for item in p.items:
            rng.shuffle(item.checks)
            for check in item.checks:
                rng.shuffle(check.evidence)
    return data


def test_the_diff_survives_reordered_profiles_items_checks_and_evidence(demo_scans):
    expected = diff(demo_scans.old, demo_scans.new)
    for seed in range(3):
        got = diff(_shuffled(demo_scans.old, seed), demo_scans.new)
        assert got == expected
    # The engine's fingerprints do not depend on evidence order either.
    check = next(c for p in demo_scans.new.profiles for i in p.items for c in i.checks
                 if c.status == Status.FAIL and len({e.url for e in c.evidence if e.url}) > 1)
    number = next(i.number for p in demo_scans.new.profiles for i in p.items if check in i.checks)
    profile = next(p.id for p in demo_scans.new.profiles for i in p.items if check in i.checks)
    assert fingerprint(check.check_id, profile, number, list(reversed(check.evidence))) == check.fingerprint


def test_a_still_failing_item_that_fails_somewhere_new_has_a_new_finding(demo_scans):
    """Same item, same check, evidence now pointing at another page: a new fingerprint, so
    the item is still failing with a new finding, and the diff counts it as new failure."""
    new = demo_scans.new.model_copy(deep=True)
    item = next(i for p in new.profiles if p.id == "national" for i in p.items if i.number == "N30")
    check = next(c for c in item.checks if c.status == Status.FAIL)
    moved = [*check.evidence, Evidence(url="http://127.0.0.1/zwgk/gfxwj/202506/t20250620_3106.html",
                                       found="发布日期晚于成文日期 35 个工作日")]
    check.evidence = moved
    check.fingerprint = fingerprint(check.check_id, "national", "N30", moved)
    d = diff(demo_scans.new, new)
    (national,) = [p for p in d.profiles if p.profile == "national"]
    assert national.newly_failing == []
    n30 = next(c for c in national.still_failing if c.item == "N30")
    assert n30.new_findings == [check.check_id]
    assert d.has_new_failures


def test_items_new_in_the_newer_scan_count_when_they_fail(demo_scans):
    old = demo_scans.old.model_copy(deep=True)
    pingcheng = next(p for p in old.profiles if p.id == "pingcheng-2024")
    pingcheng.items = [i for i in pingcheng.items if i.number not in ("12", "27")]
    d = diff(old, demo_scans.new, profiles=["pingcheng-2024"])
    failing = {c.item: c for c in d.profiles[0].newly_failing}
    assert set(failing) == {"12", "27"} and failing["27"].old_status is None


def test_format_diff_is_terse_chinese_with_the_changed_items(demo_scans):
    text = format_diff(diff(demo_scans.old, demo_scans.new, old_scan_id=1, new_scan_id=2))
    assert "（#1 → #2）" in text
    assert "新增未通过 1 项" in text and "12 政府信息公开指南（通过→未通过）" in text
    assert "已整改 1 项" in text and "9 行政事业性收费" in text
    assert "新增无法判断 1 项" in text
    assert "仍未通过 2 项：27、28" in text
    assert text.endswith("结论：有新增未通过项。")
    assert format_diff(diff(demo_scans.new, demo_scans.new)).endswith("结论：没有新增未通过项。")
