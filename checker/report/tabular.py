"""One item as a flat row: what the CSV, XLSX and JUnit exports say about it.

The exports are read outside the browser (Excel, WPS, CI dashboards), where our HTML escaping
does not help: text here is cleaned of invisible characters, capped, and — for the
spreadsheet formats — kept from being read as a formula (`neutralise`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from checker.report.html import cap as _cap
from checker.report.html import clean
from checker.results import STATUS_LABELS, CheckResult, ItemResult, ScanResult, Status, WaiverNote

FINDING_CAP = 300  # one-line finding: our summary, which may quote a scraped title
CELL_CAP = 2000  # a requirement or any other long text (Excel's own hard limit is 32 767)
URL_CAP = 2048

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR, may
# shift it into one): `=HYPERLINK(...)` or `@SUM(...)` from a scraped title must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Left over by `clean`: surrogates and the non-characters U+FFFE/U+FFFF, which XML (and so
# XLSX) cannot hold and a CSV reader may choke on.
_NOT_TEXT = re.compile("[\ud800-\udfff\ufffe\uffff]")

WAIVER_LABELS = {"not_applicable": "不适用", "accepted": "接受现状"}
NO_LEAD_UNIT = "未明确牵头单位"
_FINDING_FIRST = (Status.FAIL, Status.UNKNOWN)


def cap(text: object, limit: int) -> str:
    """Scraped text as one clean line of at most `limit` characters, fit for any cell."""
    return _cap(_NOT_TEXT.sub("", "" if text is None else str(text)), limit)


def neutralise(text: str) -> str:
    """`text` made safe as a spreadsheet cell: a leading apostrophe when it could start a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def status_text(status: Status) -> str:
    return STATUS_LABELS.get(status, str(status))


def finding_check(item: ItemResult) -> CheckResult | None:
    """The check that explains the item: its first failing, else first unknown, else first
    check with the item's own status, else the first check."""
    for wanted in (*_FINDING_FIRST, item.status):
        for check in item.checks:
            if check.status == wanted:
                return check
    return item.checks[0] if item.checks else None


def finding(item: ItemResult, limit: int = FINDING_CAP) -> str:
    """One line saying what was found: the explaining check's summary (and why, when it could
    not be judged), or why the item needs a person."""
    check = finding_check(item)
    if item.status == Status.MANUAL and item.manual_reason:
        text = item.manual_reason
    elif check is None:
        text = item.manual_reason or (item.waiver.reason if item.waiver else "")
    elif check.reason and check.status in (Status.UNKNOWN, Status.NOT_APPLICABLE):
        text = f"{clean(check.summary)}：{clean(check.reason)}"
    else:
        text = check.summary
    return cap(text, limit)


def evidence_urls(check: CheckResult) -> Iterator[str]:
    for ev in check.evidence:
        if ev.url:
            yield ev.url


def first_evidence_url(item: ItemResult) -> str:
    """The first evidence URL of the explaining check, else of another check with its status
    (never a passing check's page for a failing item); "" when none.

    Any scheme: a `javascript:` URL is evidence too. Callers decide what may be a link."""
    check = finding_check(item)
    if check is None:
        return ""
    ordered = [check] + [c for c in item.checks if c is not check and c.status == check.status]
    for c in ordered:
        for url in evidence_urls(c):
            return cap(url, URL_CAP)
    return ""


def waiver_text(note: WaiverNote | None) -> str:
    """A waiver as one line: what it says, who decided, until when, and what it overrode."""
    if note is None:
        return ""
    label = WAIVER_LABELS.get(note.status, note.status)
    return cap(f"{label}：{note.reason}（{note.author}，有效期至 {note.expires.isoformat()}；"
               f"原状态：{status_text(note.original_status)}）", FINDING_CAP)


def format_weight(weight: float) -> str:
    return f"{weight:g}"


@dataclass(frozen=True)
class ItemRow:
    """An item of a profile, flattened and cleaned (not yet formula-neutralised)."""

    profile: str
    number: str
    name: str
    group: str
    content: str
    status: Status
    status_label: str
    weight: float
    veto: bool
    lead_unit: str
    units: str
    deadline_text: str
    deadline: date | None
    finding: str
    evidence_url: str
    waiver: str


def item_rows(result: ScanResult) -> Iterator[ItemRow]:
    """Every item of every profile, in result order."""
    for profile in result.profiles:
        for item in profile.items:
            yield ItemRow(
                profile=cap(profile.id, 200),
                number=cap(item.number, 50),
                name=cap(item.name, FINDING_CAP),
                group=cap(item.group, FINDING_CAP),
                content=cap(item.content, CELL_CAP),
                status=item.status,
                status_label=status_text(item.status),
                weight=item.weight,
                veto=item.veto,
                lead_unit=cap(item.lead_unit, FINDING_CAP),
                units=cap(item.units, FINDING_CAP),
                deadline_text=cap(item.deadline_text, FINDING_CAP),
                deadline=item.deadline,
                finding=finding(item),
                evidence_url=first_evidence_url(item),
                waiver=waiver_text(item.waiver),
            )
