"""Applying a site's waivers to a result: what a person decided, shown as such, never silently.

A waiver names an item, a check, or a check within an item (optionally in one profile),
and says `not_applicable` (the site does not have what the rule is about) or `accepted`
(a person accepts the finding: counted as pass). Applying one:

- a waiver whose `expires` is before the scan date is expired: it is listed in
  `result.waivers` with `expired=True` and changes nothing — an old decision must not keep
  hiding a finding;
- an item waiver sets the item's status; the checker's own status is kept in
  `item.waiver.original_status` (manual items can be waived too);
- a check waiver sets the check's status (note on `check.waiver`), then the item's status is
  recomputed from its checks as the evaluator does (`item_status`, preview checks not
  counted). An item whose status that changes carries the same note, so the item itself
  shows it was waived;
- then each changed profile's counts, score, grade and veto hits are recomputed.

`Waiver.applied_to` counts the items and checks a waiver was applied to; a waiver that
matches nothing keeps 0, for the scorecard to show. When two waivers match the same item
or check, the first in the file wins and the later one does not count it. The result is
a new object and a function of its inputs: the same result, waivers and date give the
same output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from checker.results import (
    CheckResult,
    Counts,
    ItemResult,
    ProfileResult,
    ScanResult,
    Status,
    Waiver,
    WaiverNote,
)

from .evaluate import PREVIEW_NOTE, grade, item_status, profile_score
from .rules import Profile

_WAIVED_STATUS = {"not_applicable": Status.NOT_APPLICABLE, "accepted": Status.PASS}


def apply_waivers(
    result: ScanResult,
    waivers: Iterable[Waiver],
    profiles: Mapping[str, Profile],
    as_of: date | None = None,
) -> ScanResult:
    """A copy of `result` with `waivers` applied and listed in `result.waivers`.

    `as_of` is the date expiry is judged against; default (and normally) the scan date
    `result.scan.as_of`, so re-rendering an old result gives the verdicts it had.
    `profiles` (by id) supply the grade thresholds of every profile a waiver changes.
    """
    if result.waivers:
        raise ValueError("this result already has waivers applied; apply them to the evaluator's result")
    day = as_of or result.scan.as_of
    out = result.model_copy(deep=True)
    listed = [Waiver.model_validate(w.model_dump()) for w in waivers]
    for w in listed:
        w.expired = w.expires < day
        w.applied_to = 0
    active = [w for w in listed if not w.expired]
    for index, profile in enumerate(out.profiles):
        if _apply_to_profile(profile, active):
            out.profiles[index] = _rescored(profile, profiles)
    out.waivers = listed
    return out


def _note(w: Waiver, original: Status) -> WaiverNote:
    return WaiverNote(status=w.status, reason=w.reason, author=w.author, expires=w.expires, original_status=original)


def _apply_to_profile(profile: ProfileResult, waivers: list[Waiver]) -> bool:
    """Apply in place; True when anything in the profile was waived."""
    mine = [w for w in waivers if w.profile in (None, profile.id)]
    changed = False
    for item in profile.items:
        if _apply_checks(item, [w for w in mine if w.check and w.item in (None, item.number)]):
            changed = True
        item_waiver = next((w for w in mine if w.item == item.number and not w.check), None)
        if item_waiver is not None:
            original = item.waiver.original_status if item.waiver else item.status
            item.waiver = _note(item_waiver, original)
            item.status = _WAIVED_STATUS[item_waiver.status]
            item_waiver.applied_to += 1
            changed = True
    return changed


def _apply_checks(item: ItemResult, waivers: list[Waiver]) -> bool:
    if not waivers:
        return False
    first_note: WaiverNote | None = None
    for check in item.checks:
        w = next((w for w in waivers if w.check == check.check_id), None)
        if w is None:
            continue
        check.waiver = _note(w, check.status)
        check.status = _WAIVED_STATUS[w.status]
        w.applied_to += 1
        first_note = first_note or check.waiver
    if first_note is None:
        return False
    if item.status != Status.MANUAL:
        status = item_status([c.status for c in item.checks if not _is_preview(c)])
        if status != item.status:
            item.waiver = first_note.model_copy(update={"original_status": item.status})
            item.status = status
    return True


def _is_preview(check: CheckResult) -> bool:
    # The evaluator marks a preview check's summary; a result carries no other trace of it.
    return check.summary.endswith(PREVIEW_NOTE)


def _rescored(profile: ProfileResult, profiles: Mapping[str, Profile]) -> ProfileResult:
    rules = profiles.get(profile.id)
    if rules is None:
        raise KeyError(f"profile {profile.id!r} was waived but its rules were not given (grade thresholds)")
    counts = {s.value: 0 for s in Status}
    for item in profile.items:
        counts[item.status.value] += 1
    score = profile_score(profile.items)
    veto_hits = [i.number for i in profile.items if i.veto and i.status == Status.FAIL]
    return profile.model_copy(update={
        "score": score,
        "grade": grade(score, veto_hits, rules),
        "veto_hits": veto_hits,
        "counts": Counts(**counts),
    })
