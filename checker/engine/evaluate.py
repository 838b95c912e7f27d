"""Evaluation: run profiles over a snapshot and score them.

A pure function of (snapshot, rules, evaluated_at): the scan date comes from the
snapshot's `meta.as_of`, never from the clock, and everything is built in a fixed order,
so the same inputs give the same `ScanResult` byte for byte (only `evaluated_at`, an
input, may differ between runs).

Each check runs once per snapshot and its outcome is shared by every item and profile
that uses it. A kind that raises does not stop the scan: its check is unknown with the
error as the reason, and so gives no score rather than a wrong one (as Lighthouse does).

A check with `applies_if` is judged only when its condition holds on the homepage (the
指南 must list 政务新媒体 accounts only when the homepage shows some): otherwise it is
not_applicable, with what was looked for as the reason; unknown when the homepage itself
could not be fetched. A condition holds when any one of its tests finds something: a
`homepage_has` keyword (alternatives with |) in the homepage's text or link anchors, or a
`homepage_links_to` host among its link targets.

A check marked `status: preview` runs and is reported like any other, its summary marked
「（预览规则，不计入判定）」, but it does not count: the item's status comes from its stable
checks only, so a preview failure never fails an item.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlsplit

import checker
from checker.results import (
    CheckResult,
    Counts,
    Evidence,
    ItemResult,
    ProfileResult,
    ScanInfo,
    ScanResult,
    Status,
)
from checker.site.snapshot import Snapshot

from . import patterns
from .archive_refs import with_archive_refs
from .kinds import KINDS, CheckDef
from .kinds.base import CheckContext, Condition, Outcome, Target
from .locate import Locator
from .rules import Item, Profile

GRADES = ("优秀", "良好", "合格", "不合格")
PREVIEW_NOTE = "（预览规则，不计入判定）"
VETO_GRADE = "不合格（单项否决）"
NO_SCORE_GRADE = "无法评分"
_HOMEPAGE = Target(scope="homepage")


def evaluate(
    snapshot: Snapshot,
    profiles: list[Profile],
    checks: Mapping[str, CheckDef],
    *,
    evaluated_at: str,
    snapshot_name: str = "",
) -> ScanResult:
    as_of = _as_of(snapshot)
    ctx = CheckContext(snapshot=snapshot, as_of=as_of, locator=Locator(snapshot))
    lookup = _with_aliases(checks)
    outcomes: dict[str, Outcome] = {}

    def outcome(check_id: str) -> Outcome:
        if check_id not in outcomes:
            outcomes[check_id] = with_archive_refs(_run(lookup.get(check_id), check_id, ctx), snapshot)
        return outcomes[check_id]

    results = []
    for profile in profiles:
        items = [_item(item, profile, lookup, outcome) for item in profile.items]
        results.append(_profile(profile, items))
    return ScanResult(
        tool=checker.TOOL_NAME,
        tool_version=checker.__version__,
        evaluated_at=evaluated_at,
        scan=scan_info(snapshot, as_of, snapshot_name),
        profiles=results,
    )


# -- checks --------------------------------------------------------------------------------
def _run(check: CheckDef | None, check_id: str, ctx: CheckContext) -> Outcome:
    if check is None:
        reason = f"规则中没有 id 为 {check_id} 的检查"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", reason=reason)
    module = KINDS.get(check.kind)
    if module is None:
        reason = f"未知的检查类型 {check.kind}"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", reason=reason)
    try:
        if check.applies_if is not None:
            inapplicable = condition_outcome(check.applies_if, ctx)
            if inapplicable is not None:
                return inapplicable
        result = module.run(check, ctx)
    except Exception as exc:  # one broken check must not sink the scan
        reason = f"检查出错：{type(exc).__name__}: {exc}"
        return Outcome(Status.UNKNOWN, reason, reason=reason)
    if not isinstance(result, Outcome):
        reason = f"检查出错：{check.kind} 返回了 {type(result).__name__}"
        return Outcome(Status.UNKNOWN, reason, reason=reason)
    return result


def condition_outcome(cond: Condition, ctx: CheckContext) -> Outcome | None:
    """None when the condition holds (judge the check); else not_applicable, or unknown without a homepage."""
    if not cond.homepage_has and not cond.homepage_links_to:
        return None
    located = ctx.locator.locate(_HOMEPAGE)
    if located.status != "found" or located.page is None:
        reason = f"无法判断本项是否适用：{located.reason or '首页未抓取'}"
        ev = Evidence(url=located.error_url or ctx.snapshot.start_url or None, looked_for=_condition_label(cond),
                      where="首页", note=located.reason or None)
        return Outcome(Status.UNKNOWN, reason, [ev], reason=reason)
    home = located.page
    anchors = "\n".join(lk.text for lk in home.links if lk.text)
    for keyword in cond.homepage_has:
        if patterns.keyword_any(keyword, home.text) or patterns.keyword_any(keyword, anchors):
            return None
    hosts = [h.lower().strip() for h in cond.homepage_links_to if h.strip()]
    for lk in home.links:
        host = (urlsplit(lk.url).hostname or "").lower()
        # An IPv6 gateway writes weibo.com as weibo-com…: match both forms.
        if any(h in host or h in host.replace("-", ".") for h in hosts):
            return None
    looked = _condition_label(cond)
    reason = f"首页未发现{looked}，本项不适用"
    ev = Evidence(url=home.url, http_status=home.status, fetched_at=home.fetched_at, looked_for=looked,
                  where="首页正文和链接", found="未找到")
    return Outcome(Status.NOT_APPLICABLE, reason, [ev], reason=reason)


def _condition_label(cond: Condition) -> str:
    parts = [patterns.keyword_label(k) for k in cond.homepage_has]
    if cond.homepage_links_to:
        parts.append(f"指向 {'、'.join(cond.homepage_links_to)} 的链接")
    return "或".join(parts)


def _with_aliases(checks: Mapping[str, CheckDef]) -> dict[str, CheckDef]:
    """Checks by id, and by former id where no current id claims it (renamed checks)."""
    lookup = dict(checks)
    for check_id in sorted(checks):
        for alias in checks[check_id].aliases:
            lookup.setdefault(alias, checks[check_id])
    return lookup


def fingerprint(check_id: str, profile_id: str, item_number: str, evidence: list[Evidence]) -> str:
    """Stable id of a finding: the check, the item, and where its evidence points.

    Evidence URLs are reduced to path and query, so the same finding on a site that moved
    from http to https, or to another host name, keeps its fingerprint.
    """
    location = ",".join(sorted({_path_of(ev.url) for ev in evidence if ev.url}))
    raw = f"{check_id}|{profile_id}|{item_number}|{location}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# -- items and profiles ------------------------------------------------------------------------
def _item(item: Item, profile: Profile, lookup: Mapping[str, CheckDef], outcome) -> ItemResult:
    checks: list[CheckResult] = []
    counted: list[Status] = []  # statuses of the stable checks: the ones that decide the item
    for check_id in item.checks:
        check = lookup.get(check_id)
        out = outcome(check_id)
        preview = check is not None and check.status == "preview"
        if not preview:
            counted.append(out.status)
        checks.append(
            CheckResult(
                check_id=check.id if check else check_id,
                kind=check.kind if check else "unknown",
                title=check.title if check else check_id,
                status=out.status,
                summary=f"{out.summary}{PREVIEW_NOTE}" if preview else out.summary,
                reason=out.reason,
                evidence=list(out.evidence),
                fingerprint=fingerprint(check.id if check else check_id, profile.id, item.number, out.evidence),
            )
        )
    return ItemResult(
        number=item.number,
        name=item.name,
        group=item.group,
        content=item.content,
        lead_unit=item.lead_unit,
        units=item.units,
        deadline_text=item.deadline_text,
        deadline=item.deadline,
        weight=item.weight,
        veto=item.veto,
        status=Status.MANUAL if item.manual else item_status(counted),
        manual_reason=item.manual,
        manual_note=item.manual_note,
        checks=checks,
    )


def item_status(statuses: list[Status]) -> Status:
    """Any fail fails the item; else any unknown makes it unknown; all n/a is n/a; else pass.

    `statuses` are those of the item's stable checks; none (only preview checks) is unknown.
    """
    if Status.FAIL in statuses:
        return Status.FAIL
    if Status.UNKNOWN in statuses:
        return Status.UNKNOWN
    if statuses and all(s == Status.NOT_APPLICABLE for s in statuses):
        return Status.NOT_APPLICABLE
    if not statuses:
        return Status.UNKNOWN
    return Status.PASS


def _profile(profile: Profile, items: list[ItemResult]) -> ProfileResult:
    counts = {s.value: 0 for s in Status}
    for item in items:
        counts[item.status.value] += 1
    score = profile_score(items)
    veto_hits = [i.number for i in items if i.veto and i.status == Status.FAIL]
    return ProfileResult(
        id=profile.id,
        title=profile.title,
        source=profile.source,
        issuer=profile.issuer,
        year=profile.year,
        score=score,
        grade=grade(score, veto_hits, profile),
        veto_hits=veto_hits,
        counts=Counts(**counts),
        items=items,
    )


def profile_score(items: list[ItemResult]) -> float | None:
    """100 × passed weight / judged weight; None when nothing with weight was judged."""
    passed = sum(i.weight for i in items if i.status == Status.PASS)
    judged = passed + sum(i.weight for i in items if i.status == Status.FAIL)
    if judged == 0:
        return None
    return round(100 * passed / judged, 1)


def grade(score: float | None, veto_hits: list[str], profile: Profile) -> str:
    if veto_hits:
        return VETO_GRADE
    if score is None:
        return NO_SCORE_GRADE
    g = profile.grades
    if score >= g.excellent:
        return "优秀"
    if score >= g.good:
        return "良好"
    if score >= g.passing:
        return "合格"
    return "不合格"


# -- scan info ------------------------------------------------------------------------------------
def _as_of(snapshot: Snapshot) -> date:
    raw = snapshot.meta.get("as_of")
    if not raw:
        raise ValueError(f"snapshot {snapshot.path} has no as_of date in its meta table")
    return date.fromisoformat(raw)


def scan_info(snapshot: Snapshot, as_of: date, snapshot_name: str = "") -> ScanInfo:
    meta = snapshot.meta
    errors = snapshot.errors()
    try:
        hosts = json.loads(meta.get("hosts") or "[]")
    except json.JSONDecodeError:
        hosts = [meta["hosts"]]
    return ScanInfo(
        start_url=meta.get("start_url", ""),
        hosts=[str(h) for h in hosts] if isinstance(hosts, list) else [str(hosts)],
        started_at=meta.get("started_at") or None,
        finished_at=meta.get("finished_at") or None,
        as_of=as_of,
        # A snapshot that never recorded how its crawl ended did not end cleanly.
        status=meta.get("status") or "interrupted",
        status_reason=meta.get("status_reason") or None,
        pages=len(snapshot),
        attachments=sum(1 for p in snapshot.pages() if p.kind == "attachment"),
        fetch_errors=len(errors),
        blocked=sum(1 for e in errors if e.kind == "blocked"),
        budget_exhausted=meta.get("budget_exhausted") == "true",
        robots=meta.get("robots") or "obeyed",
        snapshot=snapshot_name,
    )
