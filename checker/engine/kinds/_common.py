"""Helpers every kind uses: evidence from a page, the outcome of a target not found, labels."""

from __future__ import annotations

import posixpath
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TypeVar
from urllib.parse import urlsplit

from checker.engine.locate import Located
from checker.engine.patterns import PATTERNS, Match
from checker.results import Evidence, Status
from checker.site.records import ListItem, PageRecord
from checker.site.snapshot import Snapshot

from .base import CheckContext, Outcome, Target

MAX_EVIDENCE_TEXT = 300  # scraped text quoted in evidence is capped

T = TypeVar("T")
_PER_SNAPSHOT: weakref.WeakKeyDictionary[Snapshot, dict[str, object]] = weakref.WeakKeyDictionary()


def per_snapshot(snapshot: Snapshot, name: str, build: Callable[[Snapshot], T]) -> T:
    """`build(snapshot)`, built once per snapshot and shared by every check that asks for `name`.

    Kinds that look at "every page in the same directory" or "every list page" once per
    column would otherwise scan the whole site per column: quadratic on a big site. The
    snapshot is read-only, so an index of it stays true for as long as it lives.
    """
    built = _PER_SNAPSHOT.setdefault(snapshot, {})
    if name not in built:
        built[name] = build(snapshot)
    return built[name]  # type: ignore[return-value]


# Asked of every page and link per column: each URL is parsed once.
@lru_cache(maxsize=1 << 17)
def url_directory(url: str) -> str:
    """Host and directory of a URL: http://a.gov.cn/zwgk/gfxwj/index_2.html → a.gov.cn/zwgk/gfxwj/."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return parts.netloc + (path if path.endswith("/") else posixpath.dirname(path) + "/")


def clip(text: str | None, limit: int = MAX_EVIDENCE_TEXT) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def page_evidence(page: PageRecord, **fields) -> Evidence:
    """Evidence pointing at a fetched page: its URL, HTTP status and fetch time, plus `fields`."""
    for key in ("found", "context", "note"):
        if key in fields:
            fields[key] = clip(fields[key])
    fields.setdefault("warc_record", page.warc_record or None)
    return Evidence(url=page.url, http_status=page.status, fetched_at=page.fetched_at, **fields)


def match_evidence(page: PageRecord, match: Match, looked_for: str) -> Evidence:
    return page_evidence(page, found=match.text, context=match.context, looked_for=looked_for)


def label(target: Target) -> str:
    """Short name for summaries: 首页, 栏目「权责清单」, 页面「政府信息公开指南」."""
    if target.scope == "homepage":
        return "首页"
    name = (target.names or target.url_hints or ["?"])[0]
    return f"{'栏目' if target.scope == 'column' else '页面'}「{name}」"


def pattern_label(name: str) -> str:
    pattern = PATTERNS.get(name)
    return pattern.label if pattern else name


def locate(
    target: Target, ctx: CheckContext, *, need_document: bool = True, external_ok: bool = False
) -> Located | Outcome:
    """The located target, or the outcome a check ends with when it is missing or unknown.

    With `need_document=False` a `scope: page` target whose list page was found but whose
    newest document was not fetched counts as found (document None): enough for checks
    that judge the page's existence or its list dates.

    A target found only as a link leading outside the scan scope (`accept_external`) is
    returned as found only with `external_ok=True` (the `exists` kind); for every kind
    that reads the target it is unknown: we never saw what is behind the link.
    """
    located = ctx.locator.locate(target)
    if located.status == "found" and located.external and not external_ok:
        return external_unknown(target, located)
    if located.status == "found":
        return located
    if not need_document and located.status == "unknown" and located.page is not None:
        return replace(located, status="found", document=None)
    return not_located(target, located, ctx)


def external_link_text(located: Located) -> str:
    return f"链接「{located.anchor or '（无文字）'}」→ {located.external_url}"


def external_unknown(target: Target, located: Located) -> Outcome:
    """Unknown: the target is a platform outside the scan scope, so its content was not seen."""
    host = urlsplit(located.external_url).hostname or located.external_url
    reason = f"该栏目位于扫描范围外的站点 {host}：{located.how}，其内容无法检查"
    ev = page_evidence(located.page, found=external_link_text(located), looked_for=target.describe(),
                       where=located.searched or None, note=reason)
    return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [ev], reason=reason)


def not_located(target: Target, located: Located, ctx: CheckContext) -> Outcome:
    if located.status == "unknown":
        ev = Evidence(looked_for=target.describe(), where=located.searched or None, note=clip(located.reason))
        if located.error is not None:
            ev = Evidence(
                url=located.error.url, http_status=located.error.status, fetched_at=located.error.at,
                warc_record=located.error.warc_record or None,
                found=clip(located.error.message), looked_for=target.describe(),
                where=located.searched or None, note=clip(located.reason),
            )
        elif located.error_url:
            ev = ev.model_copy(update={"url": located.error_url})
        return Outcome(Status.UNKNOWN, f"无法判断：{located.reason}", [ev], reason=located.reason)
    # A finding needs a place a reviewer can open: the site the search started from.
    home = ctx.snapshot.homepage()
    if home is not None:
        ev = page_evidence(home, looked_for=target.describe(), where=located.searched or None, found="未找到")
    else:
        ev = Evidence(url=ctx.snapshot.start_url or None, looked_for=target.describe(),
                      where=located.searched or None, found="未找到")
    if target.if_missing == "not_applicable":
        reason = f"站点没有{label(target)}，按规则不适用"
        return Outcome(Status.NOT_APPLICABLE, reason, [ev], reason=reason)
    return Outcome(Status.FAIL, f"未找到{label(target)}", [ev])


def script_list_problem(page: PageRecord) -> str | None:
    """Why a list page that shows no items might still have some: extraction said so.

    A page classified as a list with no items and no 暂无信息 marker, on which the
    extractor noted trouble (items loaded by script, text capped …), cannot be judged
    blank: that is unknown, not fail.
    """
    if page.kind == "list" and not page.list_items and not page.empty_list and page.problem:
        return f"列表页未提取到条目（{clip(page.problem, 120)}）"
    return None


# -- per-document kinds (documents_match, timeliness, linked_interpretation) --------------------------
def first_per_url(items) -> list[ListItem]:
    """A column's items with repeats (the same document listed twice) dropped, in order."""
    first: dict[str, ListItem] = {}
    for it in items:
        first.setdefault(it.url, it)
    return list(first.values())


def share_enough(ok: int, total: int, mostly: float) -> bool:
    # Integer-safe share comparison: 9 of 10 meets mostly 0.9 whatever the float rounding.
    return total > 0 and ok >= mostly * total - 1e-9


def unchecked_flip(ok: int, checked: int, unchecked: int, mostly: float) -> bool:
    """Would the documents we could not check, all going the other way, change the verdict?"""
    if not unchecked:
        return False
    if share_enough(ok, checked, mostly):
        return not share_enough(ok, checked + unchecked, mostly)
    return share_enough(ok + unchecked, checked + unchecked, mostly)


@dataclass(frozen=True)
class ListedDocument:
    """One item of a column as a document: the page the crawl stored for it, if readable,
    and the date that places it in time (the page's own publication date, else the list's)."""

    item: ListItem
    page: PageRecord | None  # None when the crawl has no readable page (not fetched, or HTTP ≥ 400)
    day: date | None
    stored: PageRecord | None  # whatever the snapshot holds, for the evidence of an unreadable one

    def before(self, since: date | None) -> bool:
        """Dated before `since` (a rule's published_after): not judged. Undated ones are."""
        return bool(since and self.day and self.day < since)

    @property
    def is_subcolumn(self) -> bool:
        return self.page is not None and self.page.kind in ("list", "home")

    def unfetched(self, snapshot: Snapshot) -> Evidence:
        return unfetched_evidence(snapshot, self.item.url, self.item.title, self.stored)


def listed_documents(snapshot: Snapshot, items) -> Iterator[ListedDocument]:
    for it in items:
        stored = snapshot.get(it.url)
        page = stored if stored is not None and stored.status < 400 else None
        yield ListedDocument(it, page, (page.published if page else None) or it.date, stored)


def unfetched_evidence(snapshot: Snapshot, url: str, title: str, page: PageRecord | None) -> Evidence:
    """Evidence for a listed document the check could not read: why, as far as the crawl knows."""
    err = snapshot.error_for(url)
    if err is not None:
        return Evidence(url=url, http_status=err.status, fetched_at=err.at, found=f"未能抓取：{clip(err.message, 120)}",
                        note=clip(title, 80))
    if page is not None:
        return page_evidence(page, found=f"返回 HTTP {page.status}", note=clip(title, 80))
    return Evidence(url=url, found="未抓取", note=clip(title, 80))


# -- a document's text, attachments included ----------------------------------------------------------
# Page kinds that are one document: an article page, or a linked file whose text was extracted.
DOCUMENT_KINDS = ("detail", "attachment")
MAX_ATTACHMENTS_READ = 10  # attachments of one page whose text joins the page's
_NOT_CONTENT_REGIONS = ("nav", "breadcrumb", "footer")


def attachments_of(page: PageRecord, snapshot: Snapshot) -> list[PageRecord]:
    """The attachment pages linked from a page's content (not its navigation or footer), in
    link order, each once; a page that is itself an attachment has none."""
    if page.kind == "attachment":
        return []
    out: dict[str, PageRecord] = {}
    for link in page.links:
        if link.region in _NOT_CONTENT_REGIONS or link.url in out:
            continue
        target = snapshot.get(link.url)
        if target is not None and target.kind == "attachment" and target.status < 400 and target.url != page.url:
            out[link.url] = target
            if len(out) >= MAX_ATTACHMENTS_READ:
                break
    return list(out.values())


def document_sources(page: PageRecord, snapshot: Snapshot, *, region: str = "body") -> list[tuple[PageRecord, str]]:
    """The texts a check reads for one document, each with the page it comes from: the page's
    body (or whole text with `region='text'`), then the extracted text of the attachments
    its content links to (a 规范性文件 whose full text is an attached PDF, a 年报 page that
    only links the PDF). Empty texts are left out."""
    own = page.text if region == "text" else page.body
    sources = [(page, own)] if own.strip() else []
    sources += [(att, att.text) for att in attachments_of(page, snapshot) if att.text.strip()]
    return sources


def document_text(page: PageRecord, snapshot: Snapshot, *, region: str = "body") -> str:
    """A document's text for checks: its body plus the text of the attachments it links."""
    return "\n\n".join(text for _, text in document_sources(page, snapshot, region=region))


def unread_attachments(page: PageRecord, snapshot: Snapshot) -> list[PageRecord]:
    """Attachments the page links whose text could not be extracted (the problem says why)."""
    return [att for att in attachments_of(page, snapshot) if not att.text.strip()]
