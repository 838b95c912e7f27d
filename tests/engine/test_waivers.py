"""apply_waivers(): a site's waivers over a real evaluation of a built portal snapshot."""

from __future__ import annotations

from datetime import date

import pytest

from checker.engine.evaluate import evaluate
from checker.engine.rules import Profile
from checker.engine.waivers import apply_waivers
from checker.results import ScanResult, Status, Waiver

from .builders import check, portal

CHECKS = {
    c.id: c
    for c in [
        check("exists", id="qzqd-exists", target={"names": ["权责清单"]}),
        check("updated_within", id="qzqd-fresh-7d", target={"names": ["权责清单"]}, days=7),
        check("exists", id="czyjs-exists", target={"names": ["财政预决算"]}),
        check("exists", id="czyjs-preview", target={"names": ["财政预决算"]}, status="preview"),
        check("footer_has", id="footer-site-code", element="site_code"),
    ]
}
AS_OF = date(2026, 11, 21)  # the builders' scan date


def _item(number, *checks, **kw):
    base = {"number": number, "name": f"任务{number}", "content": f"具体内容{number}"}
    return {**base, **({"checks": list(checks)} if checks else {"manual": "需查阅内部台账"}), **kw}


PROFILE = Profile.model_validate({
    "id": "pingcheng-2024", "title": "平城区2024年政务公开工作任务分解表", "source": "000_d1a42ae4060ce4a9.txt",
    "items": [
        _item("1", "qzqd-exists"),  # pass
        _item("2", "czyjs-exists", veto=True),  # fail, and a veto item
        _item("3", "qzqd-exists", "qzqd-fresh-7d"),  # fail: only its freshness check fails
        _item("4", "czyjs-exists", "qzqd-fresh-7d"),  # fail: two failing checks
        _item("5"),  # manual
        _item("6", "footer-site-code", "czyjs-preview"),  # pass; its preview check fails
    ],
})
OTHER = PROFILE.model_copy(update={"id": "national", "title": "全国检查指标"})
PROFILES = {PROFILE.id: PROFILE, OTHER.id: OTHER}


@pytest.fixture
def result(make_snapshot) -> ScanResult:
    return evaluate(make_snapshot(portal()), [PROFILE, OTHER], CHECKS, evaluated_at="2026-11-21T03:00:00Z")


def _waiver(**kw) -> Waiver:
    return Waiver(**{"status": "not_applicable", "reason": "本县无此事项", "author": "张敏",
                     "expires": date(2027, 1, 31), **kw})


def _items(result: ScanResult, profile_id: str = "pingcheng-2024"):
    return {i.number: i for i in next(p for p in result.profiles if p.id == profile_id).items}


def test_the_built_result_is_what_the_waiver_tests_assume(result):
    p = result.profiles[0]
    assert [i.status for i in p.items] == [Status.PASS, Status.FAIL, Status.FAIL, Status.FAIL, Status.MANUAL,
                                           Status.PASS]
    assert (p.score, p.grade, p.veto_hits) == (40.0, "不合格（单项否决）", ["2"])


def test_a_not_applicable_waiver_takes_a_failing_item_out_of_the_score(result):
    waived = apply_waivers(result, [_waiver(profile="pingcheng-2024", item="2")], PROFILES)
    p = waived.profiles[0]
    item = _items(waived)["2"]
    assert item.status == Status.NOT_APPLICABLE
    assert (item.waiver.original_status, item.waiver.reason, item.waiver.author) == (Status.FAIL, "本县无此事项", "张敏")
    assert item.checks[0].status == Status.FAIL and item.checks[0].waiver is None  # the finding stays visible
    # 2 passed of 2 pass + 2 fail (items 3, 4); the veto item no longer fails.
    assert (p.score, p.grade, p.veto_hits) == (50.0, "不合格", [])
    assert p.counts.model_dump(by_alias=True) == {"pass": 2, "fail": 2, "unknown": 0, "manual": 1,
                                                  "not_applicable": 1}
    assert [(w.item, w.expired, w.applied_to) for w in waived.waivers] == [("2", False, 1)]
    # Limited to its profile: national is untouched, score and all.
    assert waived.profiles[1] == result.profiles[1]
    # A new result: the evaluator's is unchanged.
    assert _items(result)["2"].status == Status.FAIL and result.waivers == []


def test_an_accepted_check_waiver_flips_the_item_only_when_nothing_else_fails(result):
    waived = apply_waivers(result, [_waiver(check="qzqd-fresh-7d", status="accepted")], PROFILES)
    items = _items(waived)
    fresh = items["3"].checks[1]
    assert (fresh.check_id, fresh.status, fresh.waiver.original_status) == ("qzqd-fresh-7d", Status.PASS,
                                                                            Status.FAIL)
    assert fresh.summary == _items(result)["3"].checks[1].summary  # what the checker found is kept
    assert items["3"].status == Status.PASS
    assert items["3"].waiver.original_status == Status.FAIL and items["3"].waiver.status == "accepted"
    # Item 4 still fails on 财政预决算: its check is waived, the item is not.
    assert items["4"].checks[1].waiver is not None
    assert items["4"].status == Status.FAIL and items["4"].waiver is None
    # Both profiles, items 3 and 4 in each.
    assert waived.waivers[0].applied_to == 4
    p = waived.profiles[0]
    assert (p.score, p.counts.pass_, p.counts.fail) == (60.0, 3, 2)


def test_a_check_waiver_limited_to_one_item(result):
    waived = apply_waivers(result, [_waiver(item="4", check="qzqd-fresh-7d", status="accepted")], PROFILES)
    items = _items(waived)
    assert items["3"].checks[1].waiver is None and items["3"].status == Status.FAIL
    assert items["4"].checks[1].waiver is not None
    assert waived.waivers[0].applied_to == 2  # item 4 of both profiles


def test_a_waived_preview_check_still_does_not_decide_the_item(result):
    waived = apply_waivers(result, [_waiver(check="czyjs-preview", status="accepted")], PROFILES)
    item = _items(waived)["6"]
    assert item.checks[1].status == Status.PASS and item.checks[1].waiver.original_status == Status.FAIL
    assert item.status == Status.PASS and item.waiver is None  # the item's status did not change


def test_an_expired_waiver_is_listed_as_expired_and_changes_nothing(result):
    expired = _waiver(item="2", expires=date(2026, 11, 20))  # the day before the scan
    waived = apply_waivers(result, [expired], PROFILES)
    assert waived.profiles == result.profiles
    assert [(w.item, w.expired, w.applied_to) for w in waived.waivers] == [("2", True, 0)]


def test_a_waiver_still_holds_on_its_expiry_day_and_expiry_follows_the_scan_date(result):
    on_the_day = _waiver(item="2", expires=AS_OF)
    assert apply_waivers(result, [on_the_day], PROFILES).waivers[0].expired is False
    # Judged against the scan date, not whenever the result is rendered again.
    assert result.scan.as_of == AS_OF
    later = apply_waivers(result, [on_the_day], PROFILES, as_of=date(2026, 11, 22))
    assert later.waivers[0].expired is True and later.profiles == result.profiles


def test_a_waiver_matching_nothing_is_kept_with_applied_to_zero(result):
    typo = _waiver(item="22")
    wrong_profile = _waiver(profile="yongji-2021", item="2")
    unknown_check = _waiver(check="no-such-check")
    waived = apply_waivers(result, [typo, wrong_profile, unknown_check], PROFILES)
    assert [w.applied_to for w in waived.waivers] == [0, 0, 0]
    assert all(w.expired is False for w in waived.waivers)
    assert waived.profiles == result.profiles


def test_manual_items_can_be_waived(result):
    waived = apply_waivers(result, [_waiver(profile="pingcheng-2024", item="5", status="accepted")], PROFILES)
    item = _items(waived)["5"]
    assert item.status == Status.PASS and item.waiver.original_status == Status.MANUAL
    assert waived.profiles[0].counts.manual == 0 and waived.profiles[0].counts.pass_ == 3


def test_the_first_matching_waiver_wins(result):
    first = _waiver(profile="pingcheng-2024", item="2", status="accepted", reason="第一条")
    second = _waiver(item="2", reason="第二条")
    waived = apply_waivers(result, [first, second], PROFILES)
    assert _items(waived)["2"].waiver.reason == "第一条" and _items(waived)["2"].status == Status.PASS
    assert _items(waived, "national")["2"].waiver.reason == "第二条"
    assert [w.applied_to for w in waived.waivers] == [1, 1]


def test_item_waiver_over_a_check_waiver_keeps_the_checkers_status(result):
    waivers = [_waiver(item="4", status="accepted"), _waiver(check="czyjs-exists", status="accepted")]
    item = _items(apply_waivers(result, waivers, PROFILES))["4"]
    assert item.status == Status.PASS and item.waiver.reason == "本县无此事项"
    assert item.waiver.original_status == Status.FAIL


def test_deterministic_and_refuses_to_waive_twice(result):
    waivers = [_waiver(check="qzqd-fresh-7d", status="accepted"), _waiver(item="2", expires=date(2025, 1, 1))]
    once = apply_waivers(result, waivers, PROFILES)
    assert once.model_dump_json() == apply_waivers(result, waivers, PROFILES).model_dump_json()
    with pytest.raises(ValueError, match="already"):
        apply_waivers(once, waivers, PROFILES)


def test_a_waived_profile_without_its_rules_is_an_error(result):
    with pytest.raises(KeyError, match="national"):
        apply_waivers(result, [_waiver(item="2")], {PROFILE.id: PROFILE})
