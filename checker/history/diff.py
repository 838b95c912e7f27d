"""What changed between two scans of a site.

Per profile present in both results, items are matched by item number, and a check's
failures by `CheckResult.fingerprint` (check + item + where its evidence points), so the
diff survives reordered items and checks and pages that merely moved on the same site:

- newly failing: fails now, did not before (or the item is new and fails);
- fixed: failed before; passes, is not applicable, or is accepted by a waiver now;
- still failing: failed both times; `new_findings` names the checks whose failure is new
  (a fingerprint failing now that did not fail before) — a new fault in an old item;
- newly unknown: unknown now, not before (a page became unreachable: not a failure).

An item that went from fail to unknown or manual is only in newly unknown (or nowhere):
not fixed, since nobody saw it pass. Items gone from the newer scan are not listed.
`ScanDiff.has_new_failures` is what makes `checker diff` exit 1.
"""

from __future__ import annotations

from checker.history.models import Change, ProfileDiff, ScanDiff
from checker.history.store import site_key
from checker.results import ItemResult, ProfileResult, ScanResult, Status

_FIXED = {Status.PASS, Status.NOT_APPLICABLE}


def _summary(item: ItemResult) -> str:
    for wanted in (Status.FAIL, Status.UNKNOWN):
        for check in item.checks:
            if check.status == wanted:
                return check.summary
    return item.checks[0].summary if item.checks else (item.manual_reason or "")


def _failing(item: ItemResult | None) -> set[str]:
    return {c.fingerprint for c in item.checks if c.status == Status.FAIL} if item else set()


def diff_profile(old: ProfileResult, new: ProfileResult) -> ProfileDiff:
    before = {item.number: item for item in old.items}
    out = ProfileDiff(profile=new.id, title=new.title, old_score=old.score, new_score=new.score)
    for item in new.items:  # the newer scan's order: the task list's order
        prev = before.get(item.number)
        old_status = prev.status if prev else None
        was_failing = _failing(prev)
        change = Change(
            profile=new.id, item=item.number, name=item.name, lead_unit=item.lead_unit,
            old_status=old_status, new_status=item.status, summary=_summary(item),
            new_findings=sorted({c.check_id for c in item.checks
                                 if c.status == Status.FAIL and c.fingerprint not in was_failing}),
        )
        if item.status == Status.FAIL:
            if old_status == Status.FAIL:
                out.still_failing.append(change)
            else:
                out.newly_failing.append(change)
        elif old_status == Status.FAIL and item.status in _FIXED:
            out.fixed.append(change.model_copy(update={"new_findings": []}))
        elif item.status == Status.UNKNOWN and old_status != Status.UNKNOWN:
            out.newly_unknown.append(change.model_copy(update={"new_findings": []}))
    return out


def diff(old: ScanResult, new: ScanResult, profiles: list[str] | tuple[str, ...] | None = None,
         old_scan_id: int | None = None, new_scan_id: int | None = None) -> ScanDiff:
    """The changes from `old` to `new`, for the profiles both have (or those named)."""
    before = {p.id: p for p in old.profiles}
    compared = [diff_profile(before[p.id], p) for p in new.profiles
                if p.id in before and (not profiles or p.id in profiles)]
    return ScanDiff(site=site_key(new), old_evaluated_at=old.evaluated_at, new_evaluated_at=new.evaluated_at,
                    old_scan_id=old_scan_id, new_scan_id=new_scan_id, profiles=compared)


_STATUS = {Status.PASS: "通过", Status.FAIL: "未通过", Status.UNKNOWN: "无法判断",
           Status.MANUAL: "人工核查", Status.NOT_APPLICABLE: "不适用", None: "（无）"}


def _score(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


def _line(c: Change, with_statuses: bool = True) -> str:
    head = f"    {c.item} {c.name}"
    if with_statuses:
        head += f"（{_STATUS[c.old_status]}→{_STATUS[c.new_status]}）"
    if c.lead_unit:
        head += f" [{c.lead_unit}]"
    if c.new_findings:
        head += f" 新问题：{', '.join(c.new_findings)}"
    if c.summary and c.new_status in (Status.FAIL, Status.UNKNOWN):
        head += f"\n      {c.summary}"
    return head


def format_diff(d: ScanDiff) -> str:
    """The diff for a terminal: one block per profile, newly failing first."""
    def label(scan_id: int | None) -> str:
        return f"#{scan_id}" if scan_id is not None else "文件"

    ids = f"（{label(d.old_scan_id)} → {label(d.new_scan_id)}）" if d.old_scan_id or d.new_scan_id else ""
    lines = [f"{d.site}: {d.old_evaluated_at} → {d.new_evaluated_at}{ids}"]
    if not d.profiles:
        lines.append("  两次扫描没有共同的检查方案。")
    for p in d.profiles:
        delta = ""
        if p.old_score is not None and p.new_score is not None:
            delta = f"（{p.new_score - p.old_score:+.1f}）"
        lines.append(f"[{p.profile}] {p.title}  得分 {_score(p.old_score)} → {_score(p.new_score)}{delta}")
        renewed = [c for c in p.still_failing if c.new_findings]
        sections = (
            ("新增未通过", p.newly_failing, True),
            ("已整改", p.fixed, True),
            ("新增无法判断", p.newly_unknown, True),
            ("仍未通过且有新问题", renewed, False),
        )
        for label, changes, statuses in sections:
            if changes:
                lines.append(f"  {label} {len(changes)} 项：")
                lines.extend(_line(c, statuses) for c in changes)
        rest = [c.item for c in p.still_failing if not c.new_findings]
        if rest:
            lines.append(f"  仍未通过 {len(p.still_failing)} 项：{'、'.join(rest)}"
                         + (f"（另 {len(renewed)} 项见上）" if renewed else ""))
        if not (p.newly_failing or p.fixed or p.newly_unknown or p.still_failing):
            lines.append("  无变化，无未通过项。")
    lines.append("结论：" + ("有新增未通过项。" if d.has_new_failures else "没有新增未通过项。"))
    return "\n".join(lines)
