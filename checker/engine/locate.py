"""Locating a column or page on the crawled site by its names.

A rule says `target: {names: [权责清单, 权力清单], url_hints: [qzqd]}`; this module finds the
page the site uses for it, or says why it cannot. Every page in the snapshot is scored
on the evidence that it *is* that column:

| evidence                                                      | score |
|---------------------------------------------------------------|-------|
| breadcrumb's last segment equals a name                       | 100   |
| a nav/breadcrumb link with anchor text equal to a name        | 95    |
| a link elsewhere with anchor text equal to a name             | 85    |
| title equals a name, or one separator-delimited part of it is | 80    |
| breadcrumb's last segment contains a name                     | 70    |
| (scope page) a detail page's title contains a name            | 70    |
| a short anchor (≤ name + 6 chars) containing a name           | 60    |
| (list/other pages) title contains a name                      | 30    |
| a URL hint in the path (added to the above)                   | +40   |

A URL hint matches a path *segment*: the segment equals it, or starts with it followed by
a non-letter (`gfxwj` matches `/zwgk/gfxwj/` and `/gfxwj_2024/`, not `/abcgfxwjx/`). A
hint alone scores 40, enough to locate a page only when nothing scores higher.

The best page scoring at least 40 wins; ties go to list pages, then the shorter URL, then
the URL in lexicographic order, so the answer never depends on crawl order.

For `scope: column`, detail pages are not candidates: a news item titled 关于做好权责清单
公开工作的通知 is about the column, not the column. The one exception is a detail page that
the site links to under exactly the column's name (some sites publish a column as a
single article).

When nothing is found the answer is *unknown*, not *missing*, whenever the crawl could
have missed it: the crawl was partial, a link named like the column could not be fetched
(blocked, timed out, never fetched), or it points outside the scan scope. A matching link
whose target answered 404/410 is a dead link, not a column: missing, and said so.

A target with `accept_external` (a platform hosted elsewhere, like the province's 政务服务网)
is *found* on such an outside link when no page in the scan matches: `page` is the page
carrying the link and `external_url` where it leads. Only `exists` can pass on it; what
is behind the link was never fetched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from checker.site.records import FetchError, ListItem, PageRecord

from .textindex import TextIndex

if TYPE_CHECKING:  # kinds import this module; importing them back at runtime would be circular
    from checker.site.snapshot import Snapshot

    from .kinds.base import Target

MIN_SCORE = 40
_KIND_ORDER = {"list": 0, "home": 1, "other": 2, "detail": 3, "attachment": 3}
_REGION_LABEL = {"nav": "导航", "breadcrumb": "面包屑", "list": "列表", "body": "正文", "footer": "页脚", "other": "页面"}
_ERROR_LABEL = {
    "blocked": "被拦截", "timeout": "超时", "connect": "无法连接", "tls": "TLS 证书错误", "robots": "robots.txt 禁止抓取",
    "budget": "超出抓取预算未抓取", "too_large": "页面过大", "decode": "无法解码", "parse": "无法解析", "http": "HTTP 错误",
}
_REGION_RANK = {"nav": 0, "breadcrumb": 1, "body": 2, "list": 3, "other": 4, "footer": 5}
_DEAD = (404, 410)
_DROP = str.maketrans("", "", "『』「」“”‘’《》\"'")
_TITLE_SEPARATORS = re.compile(r"\s*(?:——|--|[-_|｜—–·•:：>»/])\s*|\s{1,}")


# Anchor texts repeat on every page (navigation, footers): normalised once each.
@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """Names compare after full-width→half-width, dropping spaces and quote brackets."""
    folded = unicodedata.normalize("NFKC", name or "")
    return "".join(folded.split()).translate(_DROP).lower()


@dataclass
class Located:
    status: Literal["found", "missing", "unknown"]
    page: PageRecord | None = None  # the column/list page, or the page itself (set on an unknown
    # only when the page was found and its newest document could not be fetched)
    document: PageRecord | None = None  # scope page + list page found: its newest document
    how: str = ""  # Chinese: how the page was recognised
    searched: str = ""  # Chinese: what was searched for, where
    reason: str = ""  # Chinese: why unknown
    score: int = 0
    error: FetchError | None = None  # the fetch failure behind an unknown, when there is one
    error_url: str = ""
    external_url: str = ""  # found on a link leading outside the scan scope (accept_external)
    anchor: str = ""  # that link's anchor text

    @property
    def external(self) -> bool:
        return bool(self.external_url)

    @property
    def content(self) -> PageRecord | None:
        """The page whose text a check reads: the document when there is one, else the page."""
        return self.document or self.page


@dataclass(frozen=True)
class _Anchor:
    norm: str
    text: str
    region: str
    source: str  # URL of the page the link sits on
    internal: bool


@dataclass
class _PageInfo:
    page: PageRecord
    crumbs: list[str]
    title: str
    title_parts: list[str]
    segments: tuple[str, ...]
    haystack: str = ""  # every text a name could match in, for a cheap first filter
    path: str = ""  # "/" + the segments joined: a cheap first filter for URL hints


@dataclass
class _Candidate:
    page: PageRecord
    score: int
    how: str


def path_segments(url: str) -> tuple[str, ...]:
    """The lowercased, unquoted segments of a URL's path: /zwgk/GFXWJ/index.html → (zwgk, gfxwj, index.html)."""
    return tuple(s for s in unquote(urlsplit(url).path).lower().split("/") if s)


def _segment_matches(hint: str, segment: str) -> bool:
    if not segment.startswith(hint):
        return False
    return len(segment) == len(hint) or not segment[len(hint)].isalpha()


def hint_matches(hint: str, segments: tuple[str, ...]) -> bool:
    """A URL hint matches a path segment it equals or that starts with it followed by a non-letter.

    A hint with slashes (`zwgk/gfxwj`) matches consecutive segments: the leading ones
    exactly, the last one by the same rule.
    """
    parsed = _hint_parts(hint)
    if parsed is None:
        return False
    lead, last = parsed
    n = len(lead)
    for i in range(n, len(segments)):
        if _segment_matches(last, segments[i]) and tuple(segments[i - n : i]) == lead:
            return True
    return False


# Called for every page per located target: the hint is split once, not per page.
@lru_cache(maxsize=1024)
def _hint_parts(hint: str) -> tuple[tuple[str, ...], str] | None:
    parts = [p for p in hint.lower().strip("/").split("/") if p]
    if not parts:
        return None
    return tuple(parts[:-1]), parts[-1]


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


def split_title(title: str) -> list[str]:
    """A page title cut at its separators: 图解：某办法_政策解读_某县人民政府 → [图解, 某办法, 政策解读, 某县人民政府]."""
    return [p.strip() for p in _TITLE_SEPARATORS.split(title or "") if p.strip()]


def _title_parts(title: str) -> list[str]:
    return [normalize(p) for p in split_title(title)]


def newest_item(items: tuple[ListItem, ...]) -> ListItem | None:
    """The newest dated item (earliest position among equals); the first item when none is dated."""
    dated = [(it.date, -i, it) for i, it in enumerate(items) if it.date]
    if dated:
        return max(dated, key=lambda t: (t[0], t[1]))[2]
    return items[0] if items else None


class Locator:
    """Finds targets in one snapshot; answers are cached per target."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self._cache: dict[str, Located] = {}
        # Normalise once what every target compares against: anchors, titles, breadcrumbs.
        self._inbound: dict[str, list[_Anchor]] = {}
        # Navigation repeats the same anchor on every page: keep one per (text, region), the
        # first seen, so scoring costs distinct anchors rather than total links.
        for url in sorted(snapshot.link_targets()):
            anchors = self._inbound.setdefault(url, [])
            seen: set[tuple[str, str]] = set()
            # The snapshot shares one Link object per distinct link: once a link has been
            # taken or ruled out, its repeats on other pages change nothing (450,000 link rows,
            # ~40,000 distinct). Only a link on the target page itself is passed over without
            # ruling it out: the same link elsewhere still counts.
            done: set[int] = set()
            for pid, link in snapshot.inbound(url):
                if id(link) in done:
                    continue
                norm = normalize(link.text)
                if not norm or (norm, link.region) in seen:
                    done.add(id(link))
                    continue
                src = snapshot.by_id(pid)
                if src.url == url:
                    continue
                done.add(id(link))
                seen.add((norm, link.region))
                anchors.append(_Anchor(norm, link.text.strip(), link.region, src.url, link.internal))
        self._by_anchor: dict[str, list[tuple[str, str, bool]]] = {}
        for target_url, anchors in self._inbound.items():
            for a in anchors:
                self._by_anchor.setdefault(a.norm, []).append((target_url, a.text, a.internal))
        self._anchor_norms = list(self._by_anchor)
        self._anchor_index = TextIndex(self._anchor_norms)
        self._error_anchors = [(e, normalize(e.anchor)) for e in snapshot.errors() if e.anchor]
        self._pages = [
            _PageInfo(
                page=p,
                crumbs=[c for c in (normalize(c) for c in p.breadcrumb) if c],
                title=normalize(p.title),
                title_parts=_title_parts(p.title),
                segments=path_segments(p.url),
            )
            for p in sorted(snapshot.pages(), key=lambda p: (len(p.url), p.url))
            if p.status < 400
        ]
        for info in self._pages:
            info.path = "/" + "/".join(info.segments)
            texts = [info.crumbs[-1] if info.crumbs else "", info.title]
            texts += [a.norm for a in self._anchors_to(info.page)]
            info.haystack = "\x00".join(texts)
        # Every target asks which pages hold a name or a hint: one search over all pages each.
        self._haystacks = TextIndex(info.haystack for info in self._pages)
        self._paths = TextIndex(info.path for info in self._pages)

    def locate(self, target: Target) -> Located:
        key = target.model_dump_json()
        if key not in self._cache:
            self._cache[key] = self._locate(target)
        return self._cache[key]

    # -- the search --------------------------------------------------------------------------
    def _locate(self, target: Target) -> Located:
        if target.scope == "homepage":
            return self._homepage()
        pairs = [(normalize(n), n.strip()) for n in target.names if normalize(n)]
        names = [n for n, _ in pairs]
        hints = [h.lower().strip("/") for h in target.url_hints if h.strip("/")]
        within = [n for n in (normalize(n) for n in target.within) if n]
        searched = self._searched(target)

        # "/last" in the page's path is necessary for a hint to match: a cheap test first.
        hint_keys = [("/" + parsed[1], h) for h in hints if (parsed := _hint_parts(h)) is not None]
        # Only pages whose haystack holds a name, or whose path matches a hint, can score.
        candidates = set(self._haystacks.containing_any(names))
        for key, h in hint_keys:
            candidates.update(i for i in self._paths.containing(key) if hint_matches(h, self._pages[i].segments))
        best: _Candidate | None = None
        for i in sorted(candidates):  # the pages' order: the first of equal ranks wins, as before
            cand = self._score(self._pages[i], target, pairs, hints, within)
            if cand is None or cand.score < MIN_SCORE:
                continue
            if best is None or self._rank(cand) < self._rank(best):
                best = cand
        if best is None:
            return self._not_found(target, names, searched)

        found = Located("found", page=best.page, how=best.how, searched=searched, score=best.score)
        if target.scope == "page" and best.page.kind == "list":
            return self.newest_document(found)
        return found

    @staticmethod
    def _rank(c: _Candidate) -> tuple:
        return (-c.score, _KIND_ORDER.get(c.page.kind, 9), len(c.page.url), c.page.url)

    def _score(
        self, info: _PageInfo, target: Target, pairs: list[tuple[str, str]], hints: list[str], within: list[str]
    ) -> _Candidate | None:
        page, crumbs = info.page, info.crumbs
        if page.kind == "home" or page.url == self.snapshot.start_url:
            return None  # the homepage is never a column
        if within and crumbs and not any(w in c for c in crumbs[:-1] for w in within):
            return None
        is_detail = page.kind in ("detail", "attachment")  # one document, not a column
        best, how = 0, ""

        def take(score: int, text: str) -> None:
            nonlocal best, how
            if score > best:
                best, how = score, text

        for name, shown in pairs:
            if crumbs:
                if crumbs[-1] == name:
                    take(100, f"面包屑末级为「{page.breadcrumb[-1]}」")
                elif name in crumbs[-1]:
                    take(70, f"面包屑末级「{page.breadcrumb[-1]}」包含「{shown}」")
            if info.title and (info.title == name or name in info.title_parts):
                take(80, f"页面标题为「{page.title.strip()}」")
            elif name in info.title:
                take(70 if is_detail else 30, f"页面标题「{page.title.strip()}」包含「{shown}」")
        exact_link = False
        for anchor in self._anchors_to(page):
            for name, _ in pairs:
                if anchor.norm == name:
                    exact_link = True
                    strong = anchor.region in ("nav", "breadcrumb")
                    region = _REGION_LABEL.get(anchor.region, "页面")
                    take(95 if strong else 85, f"{region}链接「{anchor.text}」指向该页（位于 {anchor.source}）")
                elif name in anchor.norm and len(anchor.norm) <= len(name) + 6:
                    take(60, f"链接「{anchor.text}」指向该页（位于 {anchor.source}）")
        # A detail page is a column only when the site links to it under the column's exact
        # name; a news item that merely mentions the name in its title is not the column.
        if is_detail and target.scope == "column" and not exact_link:
            return None
        hint = next((h for h in hints if hint_matches(h, info.segments)), None)
        if hint:
            best += 40
            how = f"{how}；网址含「{hint}」" if how else f"网址路径含「{hint}」"
        return _Candidate(page, best, how) if best else None

    def _anchors_to(self, page: PageRecord) -> list[_Anchor]:
        anchors = self._inbound.get(page.url, [])
        if page.final_url != page.url:
            anchors = anchors + self._inbound.get(page.final_url, [])
        return anchors

    def newest_document(self, found: Located) -> Located:
        """`found` with `document` set to its list page's newest item, fetched; unknown if it was not.

        Returns a new Located: answers in the cache are shared between checks.
        """
        item = newest_item(found.page.list_items) if found.page else None
        if item is None:
            return found
        doc = self.snapshot.get(item.url)
        if doc is not None and doc.status < 400:
            return replace(found, document=doc, how=f"{found.how}；取其最新文档「{item.title}」")
        err = self.snapshot.error_for(item.url)
        detail = f"（{error_text(err)}）" if err else ""
        return replace(
            found, status="unknown", reason=f"最新文档未抓取：「{item.title}」{item.url}{detail}",
            error=err, error_url=item.url,
        )

    def _homepage(self) -> Located:
        home = self.snapshot.homepage()
        start = self.snapshot.start_url
        if home is not None and home.status < 400:
            return Located("found", page=home, how="扫描起始页（首页）", searched=f"首页 {start}", score=100)
        err = self.snapshot.error_for(start)
        reason = f"首页无法访问：{error_text(err)}" if err else "首页未抓取"
        if home is not None:
            reason = f"首页返回 HTTP {home.status}"
        return Located("unknown", searched=f"首页 {start}", reason=reason, error=err, error_url=start)

    # -- nothing found: missing or unknown? -------------------------------------------------------
    def _not_found(self, target: Target, names: list[str], searched: str) -> Located:
        snap = self.snapshot
        if target.accept_external:
            external = self._external(names, searched)
            if external is not None:
                return external
        dead: list[str] = []
        unknown: tuple[str, FetchError | None, str] | None = None  # reason, error, url
        outside: tuple[str, str] | None = None  # anchor, url
        for url, anchor, internal in self._matching_links(names):
            if not internal:
                outside = outside or (anchor, url)
                continue
            page = snap.get(url)
            if page is not None and page.status < 400:
                continue  # fetched, and not taken for the target on the evidence: not a hidden column
            err = snap.error_for(url)
            status = err.status if err else (page.status if page else None)
            if status in _DEAD and (err is None or err.kind == "http"):
                dead.append(f"链接「{anchor}」指向的 {url} 返回 {status}")
                continue
            if unknown is None:
                if err is not None:
                    unknown = (f"链接「{anchor}」指向的页面无法访问（{error_text(err)}）：{url}", err, url)
                elif page is not None:
                    unknown = (f"链接「{anchor}」指向的页面返回 HTTP {page.status}：{url}", None, url)
                else:
                    unknown = (f"链接「{anchor}」指向的页面未抓取：{url}", None, url)
        if dead:
            searched += "；" + "；".join(dead[:5]) + "（死链不算栏目）"
        if unknown:
            reason, err, url = unknown
            return Located("unknown", searched=searched, reason=reason, error=err, error_url=url)
        if outside:
            anchor, url = outside
            return Located(
                "unknown", searched=searched, error_url=url,
                reason=f"该栏目位于扫描范围外的站点 {_host(url)}（链接「{anchor}」指向 {url}）",
            )
        incomplete = incomplete_crawl(snap.meta)
        if incomplete:
            return Located("unknown", searched=searched, reason=f"{incomplete}，未找到不代表没有")
        return Located("missing", searched=searched)

    def _external(self, names: list[str], searched: str) -> Located | None:
        """Found on a link leading outside the scan scope, or None when there is none.

        Of several such links: an anchor equal to a name before one containing it (names in
        the rule's order), a link on the homepage before one elsewhere, navigation before
        other regions, then the shortest page URL and the link URL, so the choice is stable.
        """
        best: tuple | None = None
        for url, _, internal in self._matching_links(names):
            if internal:
                continue
            for src, lk in self.snapshot.links_to(url):
                norm = normalize(lk.text)
                if lk.internal or src.status >= 400 or not norm:
                    continue
                exact = next((i for i, n in enumerate(names) if norm == n), None)
                contains = next((i for i, n in enumerate(names) if n in norm and len(norm) <= len(n) + 6), None)
                if exact is None and contains is None:
                    continue
                on_home = src.url == self.snapshot.start_url or src.kind == "home"
                rank = (
                    0 if exact is not None else 1, exact if exact is not None else contains, 0 if on_home else 1,
                    _REGION_RANK.get(lk.region, 9), len(src.url), src.url, url,
                )
                if best is None or rank < best[0]:
                    best = (rank, src, lk)
        if best is None:
            return None
        _, src, lk = best
        on_home = src.url == self.snapshot.start_url or src.kind == "home"
        where = "首页" if on_home else f"页面 {src.url} "
        anchor = lk.text.strip()
        how = f"{where}的链接「{anchor}」指向 {lk.url}（站外平台，未抓取）"
        return Located("found", page=src, how=how, searched=searched, score=MIN_SCORE,
                       external_url=lk.url, anchor=anchor)

    def _matching_links(self, names: list[str]) -> list[tuple[str, str, bool]]:
        """(url, anchor, internal) of every failed fetch or link whose anchor text matches a name."""
        longest = max((len(n) for n in names), default=0) + 6

        def matches(norm: str) -> bool:
            return 0 < len(norm) <= longest and any(norm == n or (n in norm and len(norm) <= len(n) + 6) for n in names)

        hits: dict[str, tuple[str, str, bool]] = {}
        for err, norm in self._error_anchors:
            if matches(norm):
                hits.setdefault(err.url, (err.url, err.anchor.strip(), True))
        # An anchor matches only if it contains a name: only those are tested, in anchor order.
        for i in self._anchor_index.containing_any(names):
            norm = self._anchor_norms[i]
            if matches(norm):
                for target_url, text, internal in self._by_anchor[norm]:
                    hits.setdefault(target_url, (target_url, text, internal))
        return [hits[u] for u in sorted(hits)]

    def _searched(self, target: Target) -> str:
        names = "、".join(target.names)
        text = f"在已抓取的 {len(self.snapshot)} 个页面的导航、面包屑、标题和链接文字中查找「{names}」"
        if target.url_hints:
            text += f"，以及网址中的「{'、'.join(target.url_hints)}」"
        if target.within:
            text += f"（限于「{'、'.join(target.within)}」之下）"
        return text


def incomplete_crawl(meta: dict[str, str]) -> str | None:
    """Why the crawl may not have seen the whole site (Chinese), or None when it did."""
    status = meta.get("status", "")
    budget = meta.get("budget_exhausted") == "true"
    if status == "complete" and not budget:
        return None
    state = "抓取预算用尽" if budget else f"抓取状态为 {status or '未记录'}"
    why = meta.get("status_reason") or ""
    return f"抓取未覆盖全站（{state}{'：' + why if why else ''}）"


def error_text(err: FetchError) -> str:
    label = _ERROR_LABEL.get(err.kind, err.kind)
    if err.status:
        return f"{err.status} {label}"
    return label
