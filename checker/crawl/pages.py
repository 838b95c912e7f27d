"""From a fetched response to the PageRecord the snapshot stores: decode, then extract.

`build_page(job)` is a pure function of a picklable `PageJob`, so it runs the same in
the crawler's process or in a page-parser worker process (`_page_worker.py`). Decoding
and extraction are most of a crawl's CPU; on a machine with more than one core the crawl
loop hands HTML pages to a small pool of workers (`ParserPool`) and its event loop is
left with the network, the snapshot and the archive. Which pages a crawl stores does not
depend on where they were parsed: the crawl admits links per level, in frontier order.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from ..site.records import Link, PageRecord
from . import cms
from .decode import decode
from .extract import extract
from .urls import Scope
from .workers import WorkerDied, WorkerPool, WorkerTimeout

# Links to these are probed, not downloaded: the crawl learns whether the file is there
# (for broken-link checks) without reading it. Those with a text extractor
# (attachments.TEXT_EXTENSIONS: PDF, DOC(X), XLS(X), WPS, ET) are downloaded instead.
BINARY_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "jpg", "png", "gif", "mp4", "wps", "et",
    "jpeg", "bmp", "tif", "tiff", "ppt", "pptx", "dps", "ofd", "7z", "gz", "tar", "mp3", "wav",
    "avi", "wmv", "flv", "mov", "swf", "exe", "apk", "iso", "dwg",
})
MAX_TEXT = 200_000
PARSE_TIMEOUT = 60.0  # seconds one page may take in a worker before it is given up
WORKER_MEMORY = 2_000_000_000  # address-space cap of a page worker


class Undecodable(ValueError):
    """A page whose bytes fit no charset: recorded as a 'decode' error, not as a page."""


class ParseFailed(RuntimeError):
    """Parsing the page failed in a way that costs the page (recorded as a 'parse' error)."""


def is_binary(url: str) -> bool:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in BINARY_EXTENSIONS


def looks_like_html(content_type: str, body: bytes) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if "html" in mime:
        return True
    if mime not in ("", "text/plain", "application/octet-stream"):
        return False
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head


@dataclass(frozen=True, slots=True)
class PageJob:
    """Everything `build_page` needs from the crawl: the response and where it sits."""

    url: str  # the frontier URL
    final_url: str
    status: int
    fetched_at: str
    depth: int
    content_type: str
    content_length: str  # as declared, for probed files
    body: bytes
    tls_problem: str
    redirect_to: str  # an out-of-scope redirect target, or ''
    scope: tuple[str, tuple[str, ...]]  # (start URL, extra hosts)
    today: date
    is_home: bool

    @property
    def parsed(self) -> bool:
        """Whether building the page means decoding and extracting HTML (the costly part)."""
        return not self.redirect_to and not is_binary(self.url) and (
            looks_like_html(self.content_type, self.body) or cms.is_datastore_response(self.url, self.body))


@lru_cache(maxsize=8)
def _scope(start: str, extra_hosts: tuple[str, ...]) -> Scope:
    return Scope(start, extra_hosts=extra_hosts)


def build_page(job: PageJob) -> PageRecord:
    """The record of one response. Raises Undecodable for bytes that fit no charset."""
    probed = is_binary(job.url)
    declared = job.content_length
    base = dict(
        url=job.url, final_url=job.final_url, status=job.status, fetched_at=job.fetched_at,
        depth=job.depth, content_type=job.content_type[:200],
        # A probed file was not read: its size is what the server declared, its hash unknown.
        sha256="" if probed else hashlib.sha256(job.body).hexdigest(),
        size=(int(declared) if declared.isdigit() else 0) if probed else len(job.body),
    )
    problems = [job.tls_problem]
    if job.redirect_to:
        # Recorded as a page so the link that led here resolves, with the way out as its link.
        problems.append(f"redirects out of scope to {job.redirect_to[:500]}")
        link = Link(job.redirect_to[:2000], "", "other", False)
        return PageRecord(**base, links=(link,), problem="; ".join(p for p in problems if p))
    if not job.parsed:
        return PageRecord(**base, problem="; ".join(p for p in problems if p))
    decoded = decode(job.body, job.content_type or None)
    if decoded.undecodable:
        raise Undecodable(decoded.problem)
    ex = extract(decoded.text, job.final_url, _scope(*job.scope).contains, today=job.today,
                 is_home=job.is_home, max_text=MAX_TEXT)
    problems += [decoded.problem or "", ex.problem or ""]
    return PageRecord(
        **base, encoding=decoded.encoding, encoding_source=decoded.source, kind=ex.kind,
        title=ex.title, breadcrumb=tuple(ex.breadcrumb), text=ex.text, body=ex.body, footer=ex.footer,
        meta=dict(ex.meta), published=ex.published, list_items=tuple(ex.list_items),
        empty_list=ex.empty_list, links=tuple(ex.links), forms=tuple(ex.forms),
        problem="; ".join(p for p in problems if p),
    )


def answer(job: PageJob) -> tuple[str, object]:
    """`build_page` as a worker's answer: ('page', record), ('undecodable', why) or ('error', why)."""
    try:
        return "page", build_page(job)
    except Undecodable as exc:
        return "undecodable", str(exc)
    except Exception as exc:  # hostile HTML must cost one page, not the worker
        return "error", f"{type(exc).__name__}: {exc}"[:500]


def default_workers() -> int:
    """Page workers when the crawl does not say: none on one core (a worker would only add
    copying), else one per core up to two (the crawl loop itself needs a core)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 0 if cores < 2 else min(2, cores)


class ParserPool:
    """Page workers (`_page_worker.py`); `parse(job)` blocks its thread until one answers."""

    def __init__(self, size: int):
        self._pool = WorkerPool("checker.crawl._page_worker", size=size, memory_bytes=WORKER_MEMORY)
        self._pool.start()  # importing while the crawl fetches robots.txt and the homepage

    def parse(self, job: PageJob) -> PageRecord:
        try:
            kind, value = self._pool.run(job, PARSE_TIMEOUT)
        except WorkerTimeout as exc:
            raise ParseFailed(f"parsing the page took longer than {PARSE_TIMEOUT:g} s: stopped") from exc
        except WorkerDied as exc:
            raise ParseFailed(f"the page parser process died ({exc})") from exc
        if kind == "undecodable":
            raise Undecodable(value)
        if kind == "error":
            raise ParseFailed(value)
        return value

    def close(self) -> None:
        self._pool.close()


_pools: dict[int, ParserPool] = {}
_pools_lock = threading.Lock()


def parser_pool(size: int) -> ParserPool:
    """The process-wide pool of `size` page workers, started on first use and kept for
    later crawls in the same process (starting a worker costs ~0.3 s of imports)."""
    with _pools_lock:
        if size not in _pools:
            _pools[size] = ParserPool(size)
            atexit.register(_pools[size].close)
        return _pools[size]
