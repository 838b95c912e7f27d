"""The sample scan (sample.py) with what a history and a site file add: waivers on a few
items and checks, a diff with the previous scan, and a trend of past scans.

Built by hand, to the contracts in checker/results.py (Waiver, WaiverNote) and
checker/history/models.py (ScanDiff, TrendPoint), so the scorecard's rendering of each is
tested without a history database. Hostile text goes where people or pages supply it:
waiver reasons and authors, change names and summaries, check ids of new findings.
"""

from __future__ import annotations

from datetime import date

from checker.history.models import Change, ProfileDiff, ScanDiff, TrendPoint
from checker.results import ScanResult, Status, Waiver, WaiverNote

from .sample import IMG_BREAKOUT, SCRIPT, TEMPLATE_EXPR, _profile, sample_result

PREVIOUS_AT = "2024-11-13T02:00:00Z"
WAIVER_REASON = "本区年内无征地项目，经区政府办确认" + SCRIPT
WAIVER_AUTHOR = "区政府办 王某" + IMG_BREAKOUT
EXPIRED_REASON = "网站改版期间暂缓（已到期）"
UNMATCHED_REASON = "旧清单事项，已删除"
ACCEPTED_REASON = "断链为历史专题，已向上级报备"


def waived_result(status: str = "partial") -> ScanResult:
    """The sample with waivers applied by hand: item 15 not applicable (item waiver, was
    fail), check site.broken-links accepted (check waiver; item 38 becomes pass), one
    expired waiver (not applied) and one that matched nothing."""
    result = sample_result(status).model_copy(deep=True)
    ping = result.profiles[0]
    items = {i.number: i for i in ping.items}
    na = items["15"]
    na.waiver = WaiverNote(status="not_applicable", reason=WAIVER_REASON, author=WAIVER_AUTHOR,
                           expires=date(2025, 6, 30), original_status=Status.FAIL)
    links = items["38"]
    check = links.checks[0]
    note = WaiverNote(status="accepted", reason=ACCEPTED_REASON, author="信息化中心 李某",
                      expires=date(2024, 12, 31), original_status=Status.FAIL)
    check.waiver = note
    check.status = Status.PASS
    links.waiver = note
    links.status = Status.PASS
    # Counts, score and grade follow the waived statuses, as checker.engine.waivers makes them.
    result.profiles[0] = _profile(ping.id, ping.title, ping.source, ping.items, ping.issuer, ping.year)
    result.waivers = [
        Waiver(profile="pingcheng-2024", item="15", status="not_applicable", reason=WAIVER_REASON,
               author=WAIVER_AUTHOR, expires=date(2025, 6, 30), applied_to=1),
        Waiver(item="38", check="site.broken-links", status="accepted", reason=ACCEPTED_REASON,
               author="信息化中心 李某", expires=date(2024, 12, 31), applied_to=1),
        Waiver(item="7", status="accepted", reason=EXPIRED_REASON, author="区发改局 张某",
               expires=date(2024, 10, 1), expired=True),
        Waiver(item="99", status="not_applicable", reason=UNMATCHED_REASON, author="区政府办 王某",
               expires=date(2025, 12, 31)),
    ]
    return result


def _change(number: str, name: str, old: Status | None, new: Status | None, **kw) -> Change:
    return Change(profile="pingcheng-2024", item=number, name=name, lead_unit=kw.pop("lead_unit", "区政府信息化中心"),
                  old_status=old, new_status=new, **kw)


def sample_diff(result: ScanResult) -> ScanDiff:
    """What the history would say of the sample against a scan a week earlier (pingcheng only:
    the national profile was not in that scan)."""
    ping = result.profiles[0]
    return ScanDiff(
        site="www.pingcheng.gov.cn",
        old_evaluated_at=PREVIOUS_AT,
        new_evaluated_at=result.evaluated_at,
        old_scan_id=1,
        new_scan_id=2,
        profiles=[ProfileDiff(
            profile=ping.id,
            title=ping.title,
            old_score=50.0,
            new_score=ping.score,
            newly_failing=[_change("6", "职能机构信息", Status.PASS, Status.FAIL, summary="未找到「领导信息」栏目")],
            fixed=[_change("3", "完善政府信息公开目录", Status.FAIL, Status.PASS),
                   _change("41", "已删除的事项" + SCRIPT, Status.FAIL, None)],
            still_failing=[_change("14", "政府信息公开年报", Status.FAIL, Status.FAIL,
                                   summary="年报发布于 2024-02-06，晚于 2024-01-31"),
                           _change("26", "行政规范性文件", Status.FAIL, Status.FAIL, lead_unit="",
                                   new_findings=["norms.numbered", IMG_BREAKOUT],
                                   summary="新增 " + TEMPLATE_EXPR)],
            newly_unknown=[_change("7", "“双公示”信息", Status.PASS, Status.UNKNOWN, lead_unit="区发改局")],
        )],
    )


def sample_trend(result: ScanResult) -> dict[str, list[TrendPoint]]:
    """Five past nightly scans of pingcheng (one unreachable, without a score); the current
    scan is not in the history yet, so the scorecard adds it."""
    rows = [
        ("2024-10-23", 41.7, "不合格", 5, 7, 0, "complete"),
        ("2024-10-30", 45.5, "不合格", 5, 6, 1, "complete"),
        ("2024-11-06", None, "无法评分", 0, 0, 10, "unreachable"),
        ("2024-11-12", 44.0, "不合格", 4, 5, 1, "partial"),
        ("2024-11-13", 50.0, "不合格" + SCRIPT, 4, 4, 1, "complete"),
    ]
    points = [TrendPoint(scan_id=n, evaluated_at=f"{day}T02:00:00Z", as_of=day, score=score, grade=grade,
                         passed=p, failed=f, unknown=u, manual=2, scan_status=st)
              for n, (day, score, grade, p, f, u, st) in enumerate(rows, 1)]
    return {"pingcheng-2024": points}
