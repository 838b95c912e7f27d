"""完成时限 → a date, or none for a standing duty.

`2021年8月15日前` is that day; `2021年11月底前`, `11 月底前`, `9月底`, `每年 3 月底前` are
the month's last day, in the list's own year when the cell gives none; `12月31日前` is
that day of the list's year. A cell naming several dates (`10 月底前补录完成，每年 3 月底前
公布`) gives the latest: the date by which the whole task is done. `全年`, `动态更新`,
`长期坚持`, `及时公开`, `每月底前` … name no fixed date: a standing duty, no deadline.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_FULL = re.compile(r"(?<!\d)(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末))?")
_MONTH = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末))")
STANDING = ("全年", "动态更新", "长期坚持", "及时公开", "常态", "持续", "每月", "每季度", "长期", "随时")


def _make(year: int, month: int, day: str | None) -> date | None:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return None
    last = calendar.monthrange(year, month)[1]
    d = int(day) if day else last
    return date(year, month, d) if 1 <= d <= last else None


def parse_deadline(text: str, year: int | None) -> date | None:
    """The latest date `text` names, or None (a standing duty or a phrase)."""
    text = text[:500]
    found: list[date] = []
    for m in _FULL.finditer(text):
        if (m.group(3) or m.group(4)) and (d := _make(int(m.group(1)), int(m.group(2)), m.group(3))):
            found.append(d)
    rest = _FULL.sub(" ", text)
    if year is not None:
        for m in _MONTH.finditer(rest):
            if d := _make(year, int(m.group(1)), m.group(2)):
                found.append(d)
    return max(found) if found else None


def is_standing(text: str) -> bool:
    """True for 全年 / 动态更新 / 长期坚持 / 及时公开 …: a duty with no end date."""
    return parse_deadline(text, 2000) is None and any(w in text for w in STANDING)
