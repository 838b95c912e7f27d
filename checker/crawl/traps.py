"""Crawler traps: URL spaces a site can generate without end, recognised and bounded.

A county portal's real content is finite; what is not are calendars that link the next
month forever, session ids minted per request, relative links that append a folder to
itself on every hop, and print/share copies of every document. `classify` names the kind
of trap a URL looks like (or None), and `TrapGuard` bounds how many URLs of one shape
(`url_pattern`) and one kind the crawl admits. What it refuses is counted per (pattern,
kind) and stored in the snapshot's `traps` table, one row per shape, not one
`fetch_errors` row per URL.

URLs that are not traps are never bounded here: a TRS column with 1500 documents
`/202403/t20240301_123.html` is the site's content, and only the page budget limits it.

Kinds and what happens to them:

- `variant`: a print or share copy of a document (`?print=1`, `/print/…`, `printpage.jsp`,
  `&share=…`, a link whose text is 打印/分享). The document itself is reached by its
  own URL, so every variant is skipped (limit 0).
- `session`: a session id in the URL (`sid=`, `PHPSESSID=`, a long hex token …; the
  `;jsessionid=` path parameter is already removed by `normalize`). The same page under
  another session id is the same page: the first spelling of each page is admitted, the
  others skipped.
- `calendar`: a date as a query value (`?date=2024-03-01`, `?year=2024&month=3`) or as
  the trailing path segments of a listing (`/calendar/2024/03/`, `/rili/20240301/`); a
  document file inside a dated folder (TRS `/202403/t20240301_1.html`) is not one.
  Admitted up to `LIMITS['calendar']` per pattern.
- `growing`: a path that repeats itself (`/a/b/a/b/`, one segment three times), a very
  deep path, a query that keeps growing (over 300 characters) or repeats a parameter.
  Admitted up to `LIMITS['growing']` per pattern.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..site.records import TRAP_KINDS
from .urls import url_pattern

__all__ = ["LIMITS", "TRAP_KINDS", "Skip", "TrapGuard", "classify", "trap_pattern", "without_session"]

# URLs of one pattern and kind admitted before the rest are skipped. Variants are never
# fetched; sessions are bounded per page by `TrapGuard`, not by count.
LIMITS: dict[str, int] = {"variant": 0, "session": 1_000_000, "calendar": 24, "growing": 5}

MAX_QUERY = 300
MAX_SEGMENTS = 15

_SESSION_KEYS = frozenset({
    "sid", "sessionid", "session_id", "session", "phpsessid", "jsessionid", "aspsessionid",
    "cfid", "cftoken", "sessid", "s_id", "zxsid", "token", "_token", "access_token",
})
_HEX_TOKEN = re.compile(r"^[0-9a-fA-F]{24,}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

_PRINT_KEYS = frozenset({"print", "printable", "printpage", "printview", "printer", "isprint", "share",
                         "shareto", "share_to"})
_PRINT_VALUES = frozenset({"print", "printable", "printpage", "printer", "share"})
_PRINT_VALUE_KEYS = frozenset({"type", "view", "mode", "format", "action", "act", "op", "style", "tpl",
                               "template", "method"})
_PRINT_SEGMENT = re.compile(r"^(print|printpage|printable|printer|打印)(\.[a-z]{2,5})?$", re.I)
_PRINT_FILE = re.compile(r"^(print|printpage|print_page|printarticle|doprint|share)[_.-]?\w*\.(jsp|do|php|aspx?|"
                         r"s?html?|action)$", re.I)
_PRINT_ANCHOR = re.compile(r"^[\s【\[（(]*(打印|打印本页|打印此页|打印页面|打印文章|分享|分享到)[\s】\]）)]*$")

_CAL_KEYS = frozenset({"date", "day", "month", "year", "ym", "ymd", "riqi", "rq", "cal", "calendar", "time",
                       "d", "m", "y", "start", "end", "startdate", "enddate", "begin", "yearmonth", "week"})
_DATE_VALUE = re.compile(r"^(19|20)\d{2}([-/.]?)(0?[1-9]|1[0-2])(\2(0?[1-9]|[12]\d|3[01]))?$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_MONTH_OR_DAY = re.compile(r"^(0?[1-9]|[12]\d|3[01])$")
_DATE_SEGMENT = re.compile(r"^(19|20)\d{2}(-?(0[1-9]|1[0-2])(-?(0[1-9]|[12]\d|3[01]))?)$")
_INDEX_FILE = re.compile(r"^(index|default)\.(s?html?|jsp|php|aspx?)$", re.I)


def _query_pairs(query: str) -> list[tuple[str, str]]:
    pairs = []
    for piece in query.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((unquote(key).lower(), unquote(value)))
    return pairs


def _is_session(key: str, value: str) -> bool:
    if key in _SESSION_KEYS or key.endswith(("sessionid", "sessid")):
        return len(value) >= 8
    return bool(_HEX_TOKEN.match(value) or _UUID.match(value))


def _is_variant(segments: list[str], pairs: list[tuple[str, str]], anchor: str) -> bool:
    if any(_PRINT_SEGMENT.match(s) for s in segments[:-1]) or (segments and _PRINT_SEGMENT.match(segments[-1])):
        return True
    if segments and _PRINT_FILE.match(segments[-1]):
        return True
    for key, value in pairs:
        if key in _PRINT_KEYS:
            return True
        if key in _PRINT_VALUE_KEYS and value.lower() in _PRINT_VALUES:
            return True
    return bool(anchor and _PRINT_ANCHOR.match(anchor.strip()))


def _is_calendar(segments: list[str], pairs: list[tuple[str, str]]) -> bool:
    for key, value in pairs:
        if _DATE_VALUE.match(value) and (key in _CAL_KEYS or not value.isdigit()):
            return True
    keys = {k: v for k, v in pairs}
    if _YEAR.match(keys.get("year", keys.get("y", ""))) and _MONTH_OR_DAY.match(keys.get("month", keys.get("m", ""))):
        return True
    # Trailing date segments of a listing: /calendar/2024/03/, /rili/20240301/, /2024-03-01.html
    # is a document; a dated folder holding a document file (TRS) is not a calendar.
    tail = list(segments)
    if tail and (tail[-1] == "" or _INDEX_FILE.match(tail[-1])):
        tail.pop()
    else:
        return False
    if tail and _DATE_SEGMENT.match(tail[-1]) and len(tail[-1]) >= 6:
        return True
    return len(tail) >= 2 and bool(_YEAR.match(tail[-2])) and bool(_MONTH_OR_DAY.match(tail[-1]))


def _is_growing(segments: list[str], query: str, pairs: list[tuple[str, str]]) -> bool:
    if len(query) > MAX_QUERY or len(segments) > MAX_SEGMENTS:
        return True
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)) and (len(set(pairs)) < len(pairs) or max(keys.count(k) for k in keys) >= 3):
        return True
    parts = [s for s in segments if s]
    if any(parts.count(s) >= 3 for s in set(parts)):
        return True
    n = len(parts)
    for size in range(2, n // 2 + 1):  # a block of two or more segments repeated back to back
        for i in range(n - 2 * size + 1):
            if parts[i:i + size] == parts[i + size:i + 2 * size]:
                return True
    return False


def classify(url: str, anchor: str = "") -> str | None:
    """The trap kind `url` looks like ('variant', 'session', 'calendar', 'growing') or None.

    `url` is normalised; `anchor` is the text of the link that led to it (a link reading
    打印 is a print copy whatever its URL)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = unquote(parts.path).split("/")[1:]
    pairs = _query_pairs(parts.query)
    if _is_variant(segments, pairs, anchor):
        return "variant"
    if any(_is_session(k, v) for k, v in pairs):
        return "session"
    if _is_growing(segments, parts.query, pairs):
        return "growing"
    if _is_calendar(segments, pairs):
        return "calendar"
    return None


def without_session(url: str) -> str:
    """`url` with its session-id parameters removed: the page the session URL names."""
    parts = urlsplit(url)
    kept = [p for p in parts.query.split("&")
            if p and not _is_session(unquote(p.partition("=")[0]).lower(), unquote(p.partition("=")[2]))]
    return parts._replace(query="&".join(kept)).geturl()


def _collapse(path: str) -> str:
    """`path` with back-to-back repeats removed (/a/b/a/b/a/b/ → /a/b/), so every step of a
    path that keeps growing shares one pattern."""
    parts = path.split("/")
    changed = True
    while changed:
        changed = False
        for size in range(1, len(parts) // 2 + 1):
            for i in range(len(parts) - 2 * size + 1):
                if parts[i:i + size] == parts[i + size:i + 2 * size] and any(parts[i:i + size]):
                    del parts[i + size:i + 2 * size]
                    changed = True
                    break
            if changed:
                break
    return "/".join(parts[:MAX_SEGMENTS + 1])


def trap_pattern(url: str, kind: str) -> str:
    """The shape a trap URL is counted under: `url_pattern`, with a growing path collapsed."""
    if kind == "growing":
        parts = urlsplit(url)
        return url_pattern(parts._replace(path=_collapse(parts.path)).geturl())
    return url_pattern(url)


@dataclass(frozen=True, slots=True)
class Skip:
    pattern: str
    kind: str


class TrapGuard:
    """Decides, URL by URL in admission order, whether a trap URL may still be admitted.

    Deterministic given the order of calls, so two crawls of one site cut at the same
    URLs. `restore` replays the URLs an earlier run admitted (resume)."""

    def __init__(self, limits: dict[str, int] | None = None):
        self.limits = dict(LIMITS if limits is None else limits)
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.sessions: set[str] = set()  # pages (session ids removed) already admitted once
        self.skipped = 0

    def check(self, url: str, anchor: str = "") -> Skip | None:
        """None when `url` may be admitted (and counts it); the (pattern, kind) it was
        refused under otherwise."""
        kind = classify(url, anchor)
        if kind is None:
            return None
        pattern = trap_pattern(url, kind)
        if kind == "session":
            page = without_session(url)
            if page in self.sessions:
                self.skipped += 1
                return Skip(pattern, kind)
            self.sessions.add(page)
        if self.counts[(pattern, kind)] >= self.limits.get(kind, 0):
            self.skipped += 1
            return Skip(pattern, kind)
        self.counts[(pattern, kind)] += 1
        return None

    def restore(self, admitted: list[tuple[str, str]], skipped: int) -> None:
        """Replay (url, anchor) of URLs an earlier run admitted, in admission order."""
        for url, anchor in admitted:
            self.check(url, anchor)
        self.skipped = skipped
