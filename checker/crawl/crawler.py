"""The crawl loop: breadth-first over the scan scope, writing the snapshot as it goes.

Breadth-first in frontier order: every URL has a frontier position, URLs are taken in
that order (so all of depth d before any of depth d+1), and the links of a fetched page
are admitted to the frontier only once every URL ahead of it has been settled (fetched,
failed or skipped). Workers finish in any order, but admission happens in the order a
one-at-a-time crawl would admit, so the depth each URL gets, the URLs admitted under the
per-pattern limit and the URLs fetched before the page budget runs out do not depend on
timing: two crawls of the same site store the same pages. Admission runs as pages
settle, not at the end of each level, so the request slots never wait for a level's
last page and its bulk admission before the next level can start.

The frontier lives in the snapshot, so an interrupted scan is resumed from the file: the
URLs still queued are fetched, and the links of pages stored before the interruption
are admitted again (admission skips what the frontier already knows).

When the crawl loop ends (complete or out of budget, not interrupted, not unreachable) the
site-search probe (`probe.py`) submits the homepage search form once and stores its answer
in the snapshot's `probes` table; a resumed scan runs it only if the file has none yet.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import json
import sqlite3
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from .. import __version__
from ..site.records import SEARCH_PROBE, FetchError, Link, PageRecord, ProbeResult
from ..site.snapshot import PreviousPages
from ..site.writer_thread import ThreadedWriter
from .archive import WarcArchive, warc_path_for
from .attachments import DEFAULT_LIMITS, extract_text, has_text_extractor
from .fetch import Fetcher, FetchResult
from .incremental import Revisit
from .pages import PageJob, ParseFailed, Undecodable, build_page, default_workers, is_binary, parser_pool
from .probe import search_probe
from .render import DEFAULT_BUDGET, Renderer, RenderStage
from .robots import RobotsCache
from .traps import TrapGuard
from .urls import Scope, normalize

CHINA_TZ = timezone(timedelta(hours=8))  # Asia/Shanghai has no DST: a fixed offset is exact


@dataclass
class CrawlSettings:
    start_url: str
    extra_hosts: list[str] = field(default_factory=list)
    max_pages: int = 3000
    max_depth: int = 8
    max_seconds: float = 3600.0
    concurrency: int = 4  # per host
    delay: float = 0.0  # seconds between requests to one host
    timeout: float = 20.0
    retries: int = 2
    obey_robots: bool = True
    max_bytes: int = 5_000_000
    as_of: date | None = None  # scan date; default today in Asia/Shanghai
    # Incremental scan (incremental.py, docs/crawling-incremental.md): the previous scan's
    # snapshot file ('' = a full scan) and the ages of the revisit policy, in days.
    incremental: str = ""
    revalidate_days: int = 7
    carry_over_days: int = 30
    # Browser rendering (render.py): 'auto' renders pages whose list is drawn by script and
    # retries JavaScript challenges once; 'always' renders every HTML page; 'never' uses no
    # browser. `render_urls` are glob patterns of URLs always rendered.
    render: str = "auto"
    render_urls: list[str] = field(default_factory=list)
    render_budget: int = DEFAULT_BUDGET
    warc: bool = True  # archive every response to crawl.warc.gz beside the snapshot
    # Attachments with a text extractor (PDF, DOC(X), XLS(X), WPS, ET) are downloaded up to
    # this size and their text stored; larger ones are probed like other binaries.
    max_attachment_bytes: int = 20_000_000
    # Processes that decode and extract HTML pages off the event loop (pages.py); None:
    # one per core up to two, none on a single core; 0: in the crawl's own process.
    parse_workers: int | None = None


@dataclass
class CrawlSummary:
    status: str  # complete | partial | interrupted | unreachable
    status_reason: str
    pages: int
    errors: int
    blocked: int
    budget_exhausted: bool
    started_at: str
    finished_at: str
    bytes_received: int = 0  # status lines, headers and bodies read, this run only
    revalidated: int = 0  # incremental: pages a 304 confirmed
    carried_over: int = 0  # incremental: pages copied without a request


@dataclass(frozen=True, slots=True)
class _Item:
    order: int  # frontier position: fixes the order of admission within a level
    url: str
    depth: int
    referrer: str = ""
    anchor: str = ""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _remove_snapshot(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@dataclass
class _Previous:
    """What an earlier run left in the snapshot, read before resuming."""

    meta: dict[str, str]
    queued: list[_Item]
    stored: list[tuple[int, int, str, list[Link]]]  # (frontier order, depth, url, links)
    known: set[str]
    admitted: list[tuple[str, str]]  # (url, anchor) admitted past the trap guard, in order
    trap_skipped: int  # frontier rows the trap guard refused (state 'trap')
    max_order: int
    attempted: int
    errors: int
    blocked: int
    pattern_cut: int


def _read_previous(path: Path) -> _Previous:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        frontier = db.execute("SELECT rowid, url, depth, referrer, anchor, state FROM frontier ORDER BY rowid").fetchall()
        order = {url: rowid for rowid, url, *_ in frontier}
        links: dict[int, list[Link]] = defaultdict(list)
        for pid, url, text, region, internal in db.execute(
            "SELECT page_id, url, text, region, internal FROM links ORDER BY rowid"
        ):
            links[pid].append(Link(url, text, region, bool(internal)))
        stored = [
            (order.get(url, 0), depth, url, links.get(pid, []))
            for pid, url, depth in db.execute("SELECT id, url, depth FROM pages")
        ]
        stored.sort(key=lambda s: (s[1], s[0]))
        kinds = dict(db.execute("SELECT kind, COUNT(*) FROM fetch_errors GROUP BY kind"))
        budget_cut = {r[0] for r in db.execute("SELECT url FROM fetch_errors WHERE kind = 'budget'")}
    finally:
        db.close()
    return _Previous(
        meta=meta,
        queued=[_Item(rowid, url, depth, ref, anchor) for rowid, url, depth, ref, anchor, state in frontier
                if state == "queued"],
        stored=stored,
        known=set(order),
        admitted=[(url, anchor) for _r, url, depth, _ref, anchor, state in frontier
                  if state != "trap" and depth > 0 and url not in budget_cut],
        trap_skipped=sum(1 for *_, state in frontier if state == "trap"),
        max_order=max(order.values(), default=0),
        attempted=len(stored) + sum(n for k, n in kinds.items() if k not in ("robots", "budget")),
        errors=sum(kinds.values()),
        blocked=kinds.get("blocked", 0),
        pattern_cut=kinds.get("budget", 0),
    )


class _Crawl:
    def __init__(self, settings: CrawlSettings, start: str, scope: Scope, as_of: date,
                 writer: ThreadedWriter, fetcher: Fetcher, robots: RobotsCache):
        self.s, self.start, self.scope, self.as_of = settings, start, scope, as_of
        self.writer, self.fetcher, self.robots = writer, fetcher, robots
        # Admitted URLs not yet taken, per depth, each in frontier order.
        self.levels: dict[int, deque[_Item]] = defaultdict(deque)
        # Settled pages whose links wait for admission: (frontier order, depth, url, links).
        self.ready: list[tuple[int, int, str, tuple[Link, ...] | list[Link]]] = []
        self.in_flight: set[int] = set()  # frontier orders taken and not yet settled
        self._progress = asyncio.Event()  # a URL was settled: more may be takeable
        self.known: set[str] = set()
        self.traps = TrapGuard()
        self.next_order = 1
        self.attempted = self.pages = self.errors = self.blocked = 0
        self.depth_cut: set[str] = set()
        self.pattern_cut = 0
        self.time_exhausted = False
        self.start_failure: str | None = None
        self._take_lock = asyncio.Lock()
        self.seeing: RenderStage | None = None  # browser rendering and challenge retries
        self.revisit: Revisit | None = None  # set for an incremental scan
        workers = default_workers() if settings.parse_workers is None else settings.parse_workers
        self.parsers = parser_pool(workers) if workers > 0 else None

    # -- frontier -------------------------------------------------------------------------
    def seed(self) -> None:
        self.writer.enqueue(self.start, 0)
        self.known.add(self.start)
        self.levels[0].append(_Item(self._take_order(), self.start, 0))

    def restore(self, prev: _Previous) -> None:
        self.known = set(prev.known)
        self.traps.restore(prev.admitted, prev.trap_skipped)
        self.next_order = prev.max_order + 1
        for item in prev.queued:
            self.levels[item.depth].append(item)
        for order, depth, url, links in prev.stored:
            heapq.heappush(self.ready, (order, depth, url, links))
        self.attempted, self.errors, self.blocked = prev.attempted, prev.errors, prev.blocked
        self.pattern_cut = prev.pattern_cut
        self.pages = len(prev.stored)

    def _take_order(self) -> int:
        self.next_order += 1
        return self.next_order - 1

    def admit(self, url: str, depth: int, referrer: str, anchor: str) -> None:
        url = normalize(url)
        if url is None or url in self.known or not self.scope.contains(url):
            return
        if depth > self.s.max_depth:
            self.depth_cut.add(url)
            return
        self.known.add(url)
        anchor = anchor[:200]
        skip = self.traps.check(url, anchor)
        if skip is not None:  # known to the frontier (so never re-counted on resume), not fetched
            self.writer.add_trap(url, depth, referrer, anchor, skip.pattern, skip.kind)
            self._take_order()
            return
        self.writer.enqueue(url, depth, referrer, anchor)
        self.levels[depth].append(_Item(self._take_order(), url, depth, referrer, anchor))

    def _first_unsettled(self) -> int | None:
        """The frontier order of the first URL still to be taken or in flight."""
        heads = [q[0].order for q in self.levels.values() if q]
        if self.in_flight:
            heads.append(min(self.in_flight))
        return min(heads, default=None)

    def settle(self, item: _Item, links: tuple[Link, ...] | list[Link] = ()) -> None:
        """`item` is done (stored, failed or skipped): admit every settled page's links that
        no unsettled URL precedes, in frontier order."""
        self.in_flight.discard(item.order)
        if links:
            heapq.heappush(self.ready, (item.order, item.depth, item.url, links))
        self.admit_ready()
        self._progress.set()

    def admit_ready(self, *, final: bool = False) -> None:
        """Admit the links of settled pages in frontier order, up to the first unsettled
        URL; `final` admits them all (the crawl has stopped taking URLs). The bound is
        taken once: URLs admitted here come after every settled page in frontier order."""
        bound = None if final else self._first_unsettled()
        while self.ready and (bound is None or self.ready[0][0] < bound):
            _order, depth, parent, links = heapq.heappop(self.ready)
            for link in links:
                self.admit(link.url, depth + 1, parent, link.text)

    # -- recording ------------------------------------------------------------------------
    def record_error(self, item: _Item, kind: str, message: str, status: int | None = None,
                     warc_record: str = "") -> None:
        self.writer.add_error(FetchError(item.url, kind, message, utc_now(), status, item.referrer, item.anchor,
                                         warc_record))
        self.errors += 1
        self.blocked += kind == "blocked"
        if item.depth == 0 and item.url == self.start:
            self.start_failure = (
                "robots.txt disallows the start URL (only an auditor with authority should ignore it)"
                if kind == "robots" else f"start URL {kind}: {message}")

    def page_job(self, item: _Item, res: FetchResult, fetched_at: str) -> PageJob:
        return PageJob(
            url=item.url, final_url=res.final_url, status=res.status or 0, fetched_at=fetched_at, depth=item.depth,
            content_type=res.content_type, content_length=res.headers.get("content-length", ""), body=res.body,
            tls_problem=res.tls_problem or "", redirect_to=res.redirect_to or "",
            scope=(self.start, tuple(self.s.extra_hosts)), today=self.as_of,
            is_home=item.depth == 0 and item.url == self.start)

    def to_page(self, item: _Item, res: FetchResult, fetched_at: str) -> PageRecord:
        """The page record, built in this process (rendered DOMs and single-core crawls)."""
        return build_page(self.page_job(item, res, fetched_at))

    async def parse_page(self, item: _Item, res: FetchResult, fetched_at: str) -> PageRecord:
        """The page record, built by a page worker when the crawl has them. The homepage is
        built here: nothing else can be fetched until its links are known, and the workers,
        started with the crawl, may still be importing (a tenth of a second on two cores)."""
        job = self.page_job(item, res, fetched_at)
        if self.parsers is None or not job.parsed or job.is_home:
            return build_page(job)
        return await asyncio.get_running_loop().run_in_executor(None, self.parsers.parse, job)

    async def attachment_page(self, item: _Item, res: FetchResult, fetched_at: str, too_large: str) -> PageRecord:
        """An attachment as a page of kind 'attachment': its text (parsed in a worker process,
        off the event loop) is what checks search, titled by the link that led here."""
        name = unquote(urlsplit(item.url).path).rsplit("/", 1)[-1]
        base = dict(url=item.url, final_url=res.final_url, status=res.status or 0, fetched_at=fetched_at,
                    depth=item.depth, content_type=res.content_type[:200], kind="attachment",
                    title=(" ".join(item.anchor.split()) or name)[:200])
        problems = [res.tls_problem or ""]
        if too_large or not res.body_read:
            declared = res.headers.get("content-length", "")
            problems.append(f"attachment not read: {too_large or 'body not downloaded'}")
            return PageRecord(**base, size=int(declared) if declared.isdigit() else 0,
                              problem="; ".join(p for p in problems if p))
        limits = replace(DEFAULT_LIMITS, max_bytes=self.s.max_attachment_bytes)
        got = await asyncio.get_running_loop().run_in_executor(
            None, extract_text, res.body, res.final_url, res.content_type, limits)
        problems.append(f"attachment: {got.problem}" if got.problem else "")
        return PageRecord(**base, sha256=hashlib.sha256(res.body).hexdigest(), size=len(res.body),
                          text=got.text, body=got.text, problem="; ".join(p for p in problems if p))

    # -- fetching ---------------------------------------------------------------------------
    def store_copy(self, item: _Item, page: PageRecord) -> None:
        """A previous scan's record reused by an incremental scan, at this crawl's depth."""
        page.depth = item.depth
        self.writer.add_page(page)
        self.pages += 1
        self.settle(item, page.links)

    async def process(self, item: _Item) -> None:
        attachment = has_text_extractor(item.url)
        validators = None
        if self.revisit is not None:
            decision = self.revisit.decide(item.url, item.depth == 0 and item.url == self.start, is_binary(item.url))
            copy = self.revisit.copy(item.url, "carried_over", None) if decision.carry else None
            if copy is not None:
                self.store_copy(item, copy)
                return
            validators = decision.validators
        res = await self.fetcher.fetch(item.url, headers_only=is_binary(item.url) and not attachment,
                                       max_bytes=self.s.max_attachment_bytes if attachment else None,
                                       validators=validators)
        too_large = ""
        if attachment and res.error_kind == "too_large":
            # Over the attachment cap: probed like any binary so the link is still judged.
            too_large = res.error or "too large"
            res = await self.fetcher.fetch(item.url, headers_only=True)
        fetched_at = res.fetched_at or utc_now()  # the archive's WARC-Date is the same time
        if res.ok and res.status == 304 and self.revisit is not None:
            copy = self.revisit.copy(item.url, "revalidated", fetched_at)
            if copy is not None:
                self.store_copy(item, copy)
                return
        page: PageRecord | None = None
        if not res.ok:
            message = res.error or res.error_kind or ""
            if res.tls_problem and res.error_kind != "tls":
                message += f" [{res.tls_problem}]"
            if self.seeing is not None and self.seeing.challenged(res):
                page, why = await self.seeing.pass_challenge(self, item, res, fetched_at)
                if page is None:
                    message += f"; {RenderStage.still_blocked(why)}"
            if page is None:
                self.record_error(item, res.error_kind or "http", message, res.status, res.warc_record)
                return
        try:
            if page is None and attachment and not res.redirect_to:
                page = await self.attachment_page(item, res, fetched_at, too_large)
            if page is None:
                page = await self.parse_page(item, res, fetched_at)
                if self.seeing is not None:
                    page = await self.seeing.after_fetch(self, item, res, page, fetched_at)
        except Undecodable as exc:
            self.record_error(item, "decode", f"cannot decode the page: {exc}"[:500], res.status, res.warc_record)
            return
        except ParseFailed as exc:
            self.record_error(item, "parse", str(exc)[:500], res.status, res.warc_record)
            return
        except Exception as exc:  # hostile HTML must cost one page, not the scan
            self.record_error(item, "parse", f"{type(exc).__name__}: {exc}"[:500], res.status, res.warc_record)
            return
        page.warc_record, page.warc_offset = res.warc_record, res.warc_offset
        page.etag, page.last_modified = res.headers.get("etag", "")[:300], res.headers.get("last-modified", "")[:100]
        if self.revisit is not None:
            self.revisit.fetched(page)
        self.writer.add_page(page)
        self.pages += 1
        if res.redirect_to and item.depth == 0 and item.url == self.start:
            self.start_failure = f"start URL redirects out of scope to {res.redirect_to}"
        self.settle(item, page.links)

    def _stopped(self) -> bool:
        return bool(self.start_failure) or self.attempted >= self.s.max_pages

    async def _take(self) -> _Item | None:
        """The next URL in frontier order, waiting while URLs in flight may still admit
        one; None when the crawl has nothing more to take."""
        while not self._stopped():
            queued = [d for d, q in self.levels.items() if q]
            if queued:
                item = self.levels[min(queued)].popleft()
                self.in_flight.add(item.order)
                return item
            if not self.in_flight:
                return None
            self._progress.clear()
            await self._progress.wait()
        return None

    async def worker(self) -> None:
        while True:
            # Taking URLs under a lock, robots check included, keeps the order in which the
            # page budget is spent independent of which worker finishes first.
            async with self._take_lock:
                item = await self._take()
                if item is None:
                    self._progress.set()  # let the next waiting worker see it too
                    return
                if not await self.robots.allowed(item.url):
                    self.record_error(item, "robots", "disallowed by robots.txt")
                    self.settle(item)
                    continue
                self.fetcher.set_host_delay(urlsplit(item.url).netloc, self.robots.crawl_delay(item.url))
                self.attempted += 1
            try:
                await self.process(item)
            finally:
                if item.order in self.in_flight:  # failed or stored without links
                    self.settle(item)

    async def run(self) -> None:
        deadline = asyncio.get_running_loop().time() + self.s.max_seconds
        # Twice as many workers as request slots (the Fetcher holds each host to
        # `concurrency` requests at a time): a worker spends part of every page parsing,
        # archiving and storing, and without a second worker per slot the slot would idle
        # meanwhile, capping a polite crawl well under concurrency / latency pages/s.
        workers = 2 * max(1, self.s.concurrency) * max(1, len(self.scope.hosts))
        self.admit_ready()  # a resumed scan: pages stored before the interruption
        try:
            async with asyncio.timeout_at(deadline):
                async with asyncio.TaskGroup() as group:
                    for _ in range(workers):
                        group.create_task(self.worker())
        except TimeoutError:
            self.time_exhausted = True
        # Out of budget or time, the links of every page stored are still admitted, so
        # the frontier says what was left and a resumed or longer scan continues from it.
        self.admit_ready(final=True)


async def _run_search_probe(c: _Crawl) -> None:
    """The site-search probe, once the crawl has seen what it will see. Its one request
    counts against no budget; whatever goes wrong is recorded, never raised."""
    try:
        pages = c.writer.outline()
        home = next((p for p in pages if p.url == c.start), None)
        if home is None:
            probe = ProbeResult(SEARCH_PROBE, "", None, utc_now(), {
                "found": None, "reason": "the homepage was not stored as an HTML page", "reason_code": "no_home"})
        else:
            probe = await search_probe(c.fetcher, c.robots, c.scope.contains, home, pages, today=c.as_of)
    except Exception as exc:  # a probe bug must cost the probe, not the scan
        probe = ProbeResult(SEARCH_PROBE, "", None, utc_now(), {
            "found": None, "reason": f"probe failed: {type(exc).__name__}: {exc}"[:500], "reason_code": "probe_error"})
    c.writer.add_probe(probe)


class _Archiver:
    """The Fetcher's `on_result` hook: every HTTP response the crawl gets (pages, error
    pages, robots.txt, the search probe's results) goes to the WARC, and the snapshot
    notes where. A failing disk costs the archive, not the scan: the trouble is recorded
    in the snapshot's meta (`warc_problem`)."""

    def __init__(self, archive: WarcArchive, writer: ThreadedWriter):
        self.archive, self.writer = archive, writer
        self.problem = ""

    def __call__(self, res: FetchResult) -> None:
        if self.problem or res.status is None:
            return
        kind = "robots" if urlsplit(res.final_url).path == "/robots.txt" else "fetch"
        try:
            ref = self.archive.write_exchange(
                url=res.final_url, date=res.fetched_at or utc_now(), status=res.status, reason=res.reason,
                http_version=res.http_version or "HTTP/1.1", headers=res.raw_headers or tuple(res.headers.items()),
                body=res.body, body_read=res.body_read, request_headers=res.request_headers, kind=kind,
            )
        except Exception as exc:
            self.problem = f"archive stopped: {type(exc).__name__}: {exc}"[:500]
            return
        res.warc_record, res.warc_offset = ref.record_id, ref.offset
        self.writer.add_archived(res.url, ref.record_id, ref.offset, res.status, res.fetched_at, kind)


def _open_archive(settings: CrawlSettings, snapshot_path: Path, start: str, resume: bool) -> WarcArchive | None:
    if not settings.warc:
        return None
    path = warc_path_for(snapshot_path)
    if not resume:
        path.unlink(missing_ok=True)
    return WarcArchive(path, info={
        "software": f"gov-portal-checker/{__version__}",
        "format": "WARC File Format 1.1",
        "isPartOf": start,
        "resumed": "true" if resume and path.exists() else "",
        "settings": json.dumps(asdict(settings), ensure_ascii=False, sort_keys=True, default=str),
    })


def _summary_status(c: _Crawl, queued: int) -> tuple[str, str, bool]:
    if c.start_failure:
        return "unreachable", c.start_failure, False
    reasons = []
    if queued:
        if c.time_exhausted:
            reasons.append(f"time budget reached (max_seconds={c.s.max_seconds:g})")
        else:
            reasons.append(f"page budget reached (max_pages={c.s.max_pages})")
        reasons.append(f"{queued} URLs left unfetched in the frontier")
    if c.depth_cut:
        reasons.append(f"{len(c.depth_cut)} URLs deeper than max_depth={c.s.max_depth} not followed")
    if c.pattern_cut:  # snapshots begun before the trap guard replaced the flat pattern limit
        reasons.append(f"{c.pattern_cut} URLs skipped by the url pattern limit")
    if reasons:
        return "partial", "; ".join(reasons), True
    # Trap URLs (calendars, session ids, print copies, growing paths) are not the site's
    # content: cutting them leaves the scan complete; the traps table says what was cut.
    traps = f", {c.traps.skipped} trap URLs skipped" if c.traps.skipped else ""
    return "complete", f"{c.pages} pages, {c.errors} fetch errors ({c.blocked} blocked){traps}", False


def _open_incremental(settings: CrawlSettings, snapshot_path: Path, writer: ThreadedWriter) -> PreviousPages | None:
    """The previous scan an incremental scan revisits, or None for a full scan. A previous
    scan by another tool version is not reused: its records were extracted by other code."""
    if not settings.incremental:
        return None
    path = Path(settings.incremental)
    if path.resolve() == Path(snapshot_path).resolve():
        raise ValueError("--incremental: the previous snapshot cannot be the one being written")
    previous = PreviousPages(path)
    writer.set_meta("incremental_from", str(path))
    if previous.meta.get("tool_version") != __version__:
        writer.set_meta("incremental_note", f"previous scan by tool version {previous.meta.get('tool_version')}: "
                                            "nothing reused, every page fetched")
        previous.close()
        return None
    return previous


async def crawl(settings: CrawlSettings, snapshot_path: Path, *, resume: bool = False,
                transport: httpx.AsyncBaseTransport | None = None) -> CrawlSummary:
    """Crawl `settings.start_url` into the snapshot at `snapshot_path`.

    Never raises for network trouble: an unreachable site gives status 'unreachable'. On
    cancellation (Ctrl-C) the snapshot is closed as a valid 'interrupted' scan and the
    cancellation is re-raised.
    """
    snapshot_path = Path(snapshot_path)
    start = normalize(settings.start_url)
    if start is None:
        raise ValueError(f"not an http(s) URL: {settings.start_url!r}")
    scope = Scope(start, extra_hosts=tuple(settings.extra_hosts))

    prev = _read_previous(snapshot_path) if resume and snapshot_path.exists() else None
    if prev is not None:
        if prev.meta.get("start_url") not in (None, start):
            raise ValueError(f"cannot resume: the snapshot is a scan of {prev.meta['start_url']}, not {start}")
        if prev.meta.get("status") == "unreachable":
            prev = None  # nothing was seen: start over
    if prev is None:
        _remove_snapshot(snapshot_path)

    as_of = settings.as_of or datetime.now(CHINA_TZ).date()
    started_at = utc_now()
    if prev is not None:
        started_at = prev.meta.get("started_at") or started_at
        if prev.meta.get("as_of"):
            as_of = date.fromisoformat(prev.meta["as_of"])

    writer = ThreadedWriter(snapshot_path)
    settings_json = json.dumps({**asdict(settings), "as_of": as_of.isoformat()}, ensure_ascii=False, sort_keys=True)
    writer.set_meta("start_url", start)
    writer.set_meta("hosts", list(scope.hosts))
    writer.set_meta("started_at", started_at)
    writer.set_meta("finished_at", "")
    writer.set_meta("as_of", as_of.isoformat())
    # Until the crawl ends the file says 'interrupted', so a killed process leaves an honest file.
    writer.set_meta("status", "interrupted")
    writer.set_meta("status_reason", "crawl in progress or killed")
    writer.set_meta("budget_exhausted", "false")
    writer.set_meta("robots", "obeyed" if settings.obey_robots else "ignored")
    writer.set_meta("settings", settings_json)
    writer.set_meta("tool_version", __version__)
    writer.commit()

    fetcher = Fetcher(in_scope=scope.contains, timeout=settings.timeout, retries=settings.retries,
                      per_host=settings.concurrency, delay=settings.delay, max_bytes=settings.max_bytes,
                      transport=transport)
    archive = _open_archive(settings, snapshot_path, start, prev is not None)
    archiver = _Archiver(archive, writer) if archive is not None else None
    fetcher.on_result = archiver
    robots = RobotsCache(fetcher.fetch, obey=settings.obey_robots)
    c = _Crawl(settings, start, scope, as_of, writer, fetcher, robots)
    c.seeing = RenderStage(
        settings.render, settings.render_urls, Renderer(budget=settings.render_budget, timeout=settings.timeout),
        writer=writer, fetcher=fetcher,
        # The browser cannot use an in-memory transport: such a crawl sees no network to render.
        disabled="an in-memory transport was given" if transport is not None else None)
    previous = _open_incremental(settings, snapshot_path, writer)
    if previous is not None:
        c.revisit = Revisit(previous, as_of, revalidate_days=settings.revalidate_days,
                            carry_over_days=settings.carry_over_days)
    bytes_before = int(prev.meta.get("bytes_received") or 0) if prev is not None else 0
    if prev is None:
        c.seed()
    else:
        c.restore(prev)

    status, reason, exhausted = "interrupted", "", False
    try:
        try:
            await c.run()
        except (asyncio.CancelledError, KeyboardInterrupt):
            reason = "interrupted before the crawl finished; resume to continue"
            raise
        except BaseException as exc:
            reason = f"crawl stopped by an error: {type(exc).__name__}: {exc}"[:500]
            raise
        else:
            status, reason, exhausted = _summary_status(c, writer.queued_count())
            # Once per snapshot: a resumed scan whose earlier run already probed keeps that answer.
            if status != "unreachable" and not writer.has_probe(SEARCH_PROBE):
                await _run_search_probe(c)
    finally:
        finished_at = utc_now()
        writer.set_meta("status", status)
        writer.set_meta("status_reason", reason)
        writer.set_meta("budget_exhausted", "true" if exhausted else "false")
        writer.set_meta("finished_at", finished_at)
        writer.set_meta("traps_skipped", str(c.traps.skipped))
        # Over every run of this snapshot (a resumed scan adds to what the killed run had
        # recorded when it last finished cleanly).
        writer.set_meta("bytes_received", str(bytes_before + fetcher.bytes_received))
        revisits = writer.revisit_counts()
        writer.set_meta("revalidated", str(revisits.get("revalidated", 0)))
        writer.set_meta("carried_over", str(revisits.get("carried_over", 0)))
        if previous is not None:
            previous.close()
        await c.seeing.renderer.aclose()
        writer.set_meta("render", c.seeing.summary())
        if robots.notes:
            writer.set_meta("robots_notes", robots.notes)
        if archive is not None:
            archive.close()
            if archiver.problem:
                writer.set_meta("warc_problem", archiver.problem)
        writer.close()
        await fetcher.aclose()
    return CrawlSummary(status, reason, c.pages, c.errors, c.blocked, exhausted, started_at, finished_at,
                        fetcher.bytes_received, revisits.get("revalidated", 0), revisits.get("carried_over", 0))
