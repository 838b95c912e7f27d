"""Dates as county portals print them.

`2024-03-01`, `2024/3/1`, `2024.03.01`, `2024年3月1日`, a lone `20240301`, and the
year-less `[03-01]` of column lists, whose year is inferred from the scan date. Full-width
digits and punctuation (`２０２４－０３－０１`) are read as their ASCII forms. Impossible
dates and years outside 1990..2100 are rejected rather than guessed at.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MIN_YEAR, MAX_YEAR = 1990, 2100

# One-to-one character mapping, so match offsets in the folded text are offsets in the
# original text and the raw string can be cut from what the page printed.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "－": "-",
        "／": "/",
        "．": ".",
        "：": ":",
        "　": " ",
        "［": "[",
        "］": "]",
        "（": "(",
        "）": ")",
    }
)

# Text with none of _FOLD's characters (most text) is its own folding: str.translate with a
# dict is slow enough per character to be worth a regex scan to skip it.
_FOLDABLE = re.compile("[" + re.escape("".join(chr(c) for c in _FOLD)) + "]")
# Every date form has a digit (`\d`: any Unicode decimal digit, full-width ones included).
_DIGIT = re.compile(r"\d")


def _fold(text: str) -> str:
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


_YMD_SEP = re.compile(r"(?<!\d)((?:19|20|21)\d{2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")
_YMD_CN = re.compile(r"(?<!\d)((?:19|20|21)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?!\d)")
# A bare 8-digit date only when nothing URL- or number-like touches it: `t20240301_1.html`
# and `No.202403011` are not dates.
_COMPACT = re.compile(r"(?<![A-Za-z0-9_/.\-%=#])((?:19|20|21)\d{2})(\d{2})(\d{2})(?![A-Za-z0-9_/.\-%])")
_MONTH_DAY = re.compile(r"(?<![\d\-/.:])([\[【(]?)(\d{1,2})([-/])(\d{1,2})([\]】)]?)(?![\d\-/.:])")


def _make(y: int, m: int, d: int) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(month: int, day: int, today: date) -> date | None:
    """The latest date with this month and day that is not after tomorrow.

    Tomorrow, not today: a page published late on the scan day in another time zone,
    or a server clock a little ahead, must not be pushed back a whole year.
    """
    limit = today + timedelta(days=1)
    for year in range(today.year + 1, today.year - 9, -1):  # 29 Feb may need a leap year back
        d = _make(year, month, day)
        if d is not None and d <= limit:
            return d
    return None


def _full_dates(folded: str, original: str) -> list[tuple[int, date, str]]:
    found: list[tuple[int, date, str]] = []
    for m in _YMD_SEP.finditer(folded):
        d = _make(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if d:
            found.append((m.start(), d, original[m.start() : m.end()].strip()))
    for m in _YMD_CN.finditer(folded):
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d, original[m.start() : m.end()].strip()))
    found.sort(key=lambda t: t[0])
    return found


def _compact_dates(folded: str, original: str) -> list[tuple[int, date, str]]:
    found = []
    for m in _COMPACT.finditer(folded):
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d, original[m.start() : m.end()]))
    return found


def _month_day(folded: str, original: str, today: date | None) -> list[tuple[int, date | None, str]]:
    found: list[tuple[int, date | None, str]] = []
    for m in _MONTH_DAY.finditer(folded):
        month, day = int(m.group(2)), int(m.group(4))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        # Keep the brackets only when both are printed: '[03-01]' but not '[03-01'.
        opened, closed = m.group(1), m.group(5)
        start, end = m.start(), m.end()
        if not (opened and closed):
            start, end = m.start(2), m.end(4)
        raw = original[start:end]
        if today is None:
            found.append((start, None, raw))
            continue
        d = _infer_year(month, day, today)
        if d is not None:
            found.append((start, d, raw))
    return found


def parse_date(text: str, *, today: date | None = None) -> tuple[date | None, str]:
    """The first date in `text` and the string it was read from.

    Dates with a year win over year-less ones wherever they stand; a lone 8-digit date is
    used only when no separated date is present. A year-less `03-01` needs `today` to
    resolve its year; without it the result is `(None, '03-01')` so callers can still show
    what was printed. No date at all gives `(None, '')`.
    """
    if not text or not _DIGIT.search(text):
        return None, ""
    folded = _fold(text)
    for found in (_full_dates(folded, text), _compact_dates(folded, text)):
        if found:
            _, d, raw = found[0]
            return d, raw
    md = _month_day(folded, text, today)
    if md:
        _, d, raw = md[0]
        return d, raw
    return None, ""


def find_dates(text: str, *, today: date | None = None) -> list[tuple[date, str]]:
    """Every readable date in `text`, in the order printed.

    Year-less dates are included only when `today` is given to resolve them.
    """
    if not text or not _DIGIT.search(text):
        return []
    folded = _fold(text)
    found: list[tuple[int, date | None, str]] = []
    found.extend(_full_dates(folded, text))
    found.extend(_compact_dates(folded, text))
    if today is not None:
        found.extend(_month_day(folded, text, today))
    found.sort(key=lambda t: t[0])
    return [(d, raw) for _, d, raw in found if d is not None]
