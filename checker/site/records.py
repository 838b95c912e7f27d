"""What the crawl saw, as plain records: the vocabulary shared by crawler, snapshot and engine.

The crawler produces these, the snapshot stores them, the engine reads them back. They are
frozen dataclasses rather than pydantic models because the engine reads tens of thousands
of them per scan and needs no validation on the way back from our own database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# How a page is classified by extraction. A "list" page is a column (栏目) page: it holds
# dated items linking to documents. A "detail" page is one document (an article, a
# 规范性文件, a 指南 …). "other" is everything else (homepage, navigation hubs, forms).
# An "attachment" is a linked file (PDF, DOC(X), XLS(X), WPS, ET) whose extracted text is
# its `text` and `body` and whose `title` is the anchor text of the link that led to it:
# checks read it as a document, like a detail page.
PAGE_KINDS = ("home", "list", "detail", "other", "attachment")

# Regions of a page a link can sit in; checks weigh a navigation link more than a link in
# running text when they locate a column.
LINK_REGIONS = ("nav", "breadcrumb", "list", "body", "footer", "other")

# Why a URL did not become a page. "blocked" (403/412 challenge, WAF) and "timeout" make
# the checks that depend on the URL unknown; "http" with 404/410 counts as a broken link.
ERROR_KINDS = ("timeout", "connect", "tls", "http", "blocked", "robots", "too_large", "decode", "parse", "budget")


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # absolute, normalised
    text: str  # anchor text, whitespace-collapsed ('' for image links without alt)
    region: str = "body"  # one of LINK_REGIONS
    internal: bool = True  # inside the scan scope


@dataclass(frozen=True, slots=True)
class ListItem:
    title: str
    url: str  # absolute, normalised
    date: date | None  # None when the item shows no date we can read
    date_raw: str = ""  # the date as printed ('[03-01]', '2024年3月1日')


@dataclass(frozen=True, slots=True)
class Form:
    action: str
    method: str
    inputs: tuple[str, ...]  # input names
    is_search: bool = False
    # What a browser would submit untouched: (name, value) of every successful control in
    # document order (hidden channel ids, selected options, checked boxes); submit buttons
    # excluded. Empty in snapshots written before it was recorded.
    defaults: tuple[tuple[str, str], ...] = ()
    query_input: str = ""  # name of the text input a search form's words go into ('' unknown)


@dataclass(slots=True)
class PageRecord:
    """One fetched URL, decoded and extracted."""

    url: str  # normalised URL that was requested (the snapshot key)
    final_url: str  # after redirects
    status: int
    fetched_at: str  # ISO 8601 UTC, seconds precision
    depth: int
    content_type: str = ""
    encoding: str = ""  # codec used to decode, e.g. 'gb18030'
    encoding_source: str = ""  # 'header' | 'bom' | 'meta' | 'detected' | 'default'
    kind: str = "other"  # one of PAGE_KINDS
    title: str = ""
    breadcrumb: tuple[str, ...] = ()  # ('首页', '政府信息公开', '权责清单')
    text: str = ""  # visible text of the whole page, capped
    body: str = ""  # main content text (article body / list area), capped
    footer: str = ""  # footer text
    meta: dict[str, str] = field(default_factory=dict)  # 索引号, 文号, 发布机构, 发布日期, 生成日期 …
    published: date | None = None  # publication date of a detail page
    list_items: tuple[ListItem, ...] = ()
    empty_list: bool = False  # a column page that says 暂无信息 / has an empty list
    links: tuple[Link, ...] = ()
    forms: tuple[Form, ...] = ()
    sha256: str = ""
    size: int = 0
    problem: str = ""  # non-fatal trouble: decode fell back, extraction incomplete …
    page_id: int | None = None  # set when read back from a snapshot
    # Where the response is archived (crawl.warc.gz beside the snapshot): its WARC-Record-ID
    # and the offset of its gzip member. Empty for snapshots written without an archive.
    warc_record: str = ""
    warc_offset: int | None = None
    # Validators the server sent (for conditional requests by a later --incremental scan),
    # and how an incremental scan obtained the record: '' fetched, 'revalidated' (a 304
    # confirmed the previous scan's copy), 'carried_over' (copied without a request).
    etag: str = ""
    last_modified: str = ""
    revisit: str = ""
    # Extracted from a browser's DOM (script-filled list, render setting, or a JavaScript
    # challenge passed), not from the HTML the server sent; `problem` says why.
    rendered: bool = False


@dataclass(frozen=True, slots=True)
class FetchError:
    url: str
    kind: str  # one of ERROR_KINDS
    message: str
    at: str  # ISO 8601 UTC
    status: int | None = None
    referrer: str = ""
    anchor: str = ""  # anchor text of the link that led here, if any
    warc_record: str = ""  # WARC-Record-ID of the error response (404/403 body), '' when none


# Names of the probes the crawl runs after it has seen the site.
SEARCH_PROBE = "search"


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """An active test the crawl ran against the site (the site-search probe), stored so the
    engine can judge it without the network.

    `status` is the HTTP status of the probe's request, None when no request was made
    (the probe could not run). `data` is the probe's own record; for the search probe:
    query, expected_url, form_action, found (True / False / None = could not tell),
    where ('link' / 'text' / None), match, result_titles, reason, reason_code.
    """

    name: str  # 'search'
    url: str  # the URL requested ('' when the probe did not get that far)
    status: int | None
    at: str  # ISO 8601 UTC
    data: dict = field(default_factory=dict)


TRAP_KINDS = ("variant", "session", "calendar", "growing")


@dataclass(frozen=True, slots=True)
class TrapRecord:
    """URLs of one shape the crawl refused as a trap (`checker/crawl/traps.py`)."""

    pattern: str  # url_pattern of the skipped URLs
    kind: str  # one of TRAP_KINDS
    example_url: str  # the first URL skipped
    skipped_count: int
