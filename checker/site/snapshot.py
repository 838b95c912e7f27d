"""The crawl snapshot: one SQLite file holding everything a scan saw.

Written as the crawl goes (WAL mode, committed in small batches) so an interrupted scan
leaves a usable file, and read back by the engine without any network access. The
schema is the contract between crawl and evaluate; `docs/snapshot.md` describes it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from .records import FetchError, Form, Link, ListItem, PageRecord, ProbeResult, TrapRecord

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    depth INTEGER NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    encoding_source TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    breadcrumb TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    footer TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}',
    published TEXT,
    empty_list INTEGER NOT NULL DEFAULT 0,
    forms TEXT NOT NULL DEFAULT '[]',
    sha256 TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    problem TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS links (
    page_id INTEGER NOT NULL REFERENCES pages(id),
    url TEXT NOT NULL,
    text TEXT NOT NULL,
    region TEXT NOT NULL,
    internal INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS links_url ON links(url);
CREATE INDEX IF NOT EXISTS links_page ON links(page_id);
CREATE TABLE IF NOT EXISTS list_items (
    page_id INTEGER NOT NULL REFERENCES pages(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    date TEXT,
    date_raw TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS list_items_page ON list_items(page_id);
CREATE TABLE IF NOT EXISTS fetch_errors (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    status INTEGER,
    message TEXT NOT NULL,
    at TEXT NOT NULL,
    referrer TEXT NOT NULL DEFAULT '',
    anchor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS fetch_errors_url ON fetch_errors(url);
-- The crawl frontier, kept so an interrupted scan can be resumed.
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY,
    depth INTEGER NOT NULL,
    referrer TEXT NOT NULL DEFAULT '',
    anchor TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'queued'
);
-- Active tests run after the crawl (the site-search probe), one row per probe name.
-- Added after schema 1 was released: a snapshot without the table has no probes.
CREATE TABLE IF NOT EXISTS probes (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL DEFAULT '',
    status INTEGER,
    at TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
);
-- Documents: detail pages with their metadata (attachments join them later).
CREATE VIEW IF NOT EXISTS documents AS
    SELECT id AS page_id, url, title, body, published,
           json_extract(meta, '$."文号"') AS doc_number,
           json_extract(meta, '$."索引号"') AS index_no,
           json_extract(meta, '$."发布机构"') AS publisher
    FROM pages WHERE kind = 'detail';
-- Attachments: linked files whose text was extracted (kind 'attachment'), with the
-- problem that left a text empty or partial (encrypted, no text layer, caps).
CREATE VIEW IF NOT EXISTS attachments AS
    SELECT id AS page_id, url, title, content_type, size, length(text) AS chars, problem
    FROM pages WHERE kind = 'attachment';
-- Columns: list pages with their item counts and newest item date.
CREATE VIEW IF NOT EXISTS columns AS
    SELECT p.id AS page_id, p.url, p.title, p.breadcrumb, p.empty_list,
           COUNT(i.position) AS items, MAX(i.date) AS newest
    FROM pages p LEFT JOIN list_items i ON i.page_id = p.id
    WHERE p.kind = 'list' GROUP BY p.id;
"""


# Added after schema 1 was released, by ALTER TABLE when missing: where each page's and
# error response's bytes are archived in crawl.warc.gz. Older snapshots read as ''/None.
_ARCHIVE_COLUMNS = (
    ("pages", "warc_record", "TEXT NOT NULL DEFAULT ''"),
    ("pages", "warc_offset", "INTEGER"),
    ("fetch_errors", "warc_record", "TEXT NOT NULL DEFAULT ''"),
)
# Every archived response by requested URL (robots.txt and the search probe's results page
# included, which are neither pages nor errors); the latest fetch of a URL wins.
_ARCHIVE_TABLE = """
CREATE TABLE IF NOT EXISTS warc_records (
    url TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    offset INTEGER NOT NULL,
    status INTEGER,
    at TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT ''
);
"""


# Added after schema 1, like the archive columns: trap URLs the crawl refused, one row per
# (pattern, kind), and per page the validators and revisit mark of incremental scans.
_TRAPS_TABLE = """
CREATE TABLE IF NOT EXISTS traps (
    pattern TEXT NOT NULL,
    kind TEXT NOT NULL,
    example_url TEXT NOT NULL,
    skipped_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pattern, kind)
);
"""
_REVISIT_COLUMNS = (
    ("pages", "etag", "TEXT NOT NULL DEFAULT ''"),
    ("pages", "last_modified", "TEXT NOT NULL DEFAULT ''"),
    ("pages", "revisit", "TEXT NOT NULL DEFAULT ''"),
)


def _add_revisit_columns(db: sqlite3.Connection) -> None:
    for table, column, decl in _REVISIT_COLUMNS:
        if column not in _columns(db, table):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
    db.executescript(_TRAPS_TABLE)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _add_archive_columns(db: sqlite3.Connection) -> None:
    for table, column, decl in _ARCHIVE_COLUMNS:
        if column not in _columns(db, table):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
    db.executescript(_ARCHIVE_TABLE)


# Added after schema 1: whether a page was read from a browser's DOM (`rendered`), and the
# JSON endpoints rendering saw a list page load its items from. Older snapshots read as
# unrendered pages and no endpoints.
_RENDER_TABLE = """
CREATE TABLE IF NOT EXISTS endpoints (
    url TEXT NOT NULL,
    page_url TEXT NOT NULL,
    items INTEGER NOT NULL DEFAULT 0,
    pattern TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (url, page_url)
);
"""


def _add_render_columns(db: sqlite3.Connection) -> None:
    if "rendered" not in _columns(db, "pages"):
        db.execute("ALTER TABLE pages ADD COLUMN rendered INTEGER NOT NULL DEFAULT 0")
    db.executescript(_RENDER_TABLE)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _forms_json(forms: Iterable[Form]) -> str:
    return json.dumps(
        [[f.action, f.method, list(f.inputs), f.is_search, [list(d) for d in f.defaults], f.query_input]
         for f in forms],
        ensure_ascii=False,
    )


def _forms(text: str) -> tuple[Form, ...]:
    """Forms as stored; rows written before `defaults`/`query_input` existed hold four fields."""
    out = []
    for action, method, inputs, is_search, *rest in json.loads(text):
        defaults = tuple((str(n), str(v)) for n, v in rest[0]) if rest else ()
        query_input = rest[1] if len(rest) > 1 else ""
        out.append(Form(action, method, tuple(inputs), bool(is_search), defaults, query_input))
    return tuple(out)


class SnapshotWriter:
    """Appends what the crawl sees. Commits every `batch` writes or `interval` seconds."""

    def __init__(self, path: str | Path, *, batch: int = 50, interval: float = 2.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        _add_archive_columns(self._db)
        _add_revisit_columns(self._db)
        _add_render_columns(self._db)
        self._batch, self._interval = batch, interval
        self._pending, self._last_commit = 0, time.monotonic()
        self.set_meta("schema_version", SCHEMA_VERSION)

    # -- meta ---------------------------------------------------------------------------
    def set_meta(self, key: str, value: object) -> None:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, text))
        self._tick()

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- pages ----------------------------------------------------------------------------
    def add_page(self, page: PageRecord) -> int:
        # A page re-fetched on resume replaces its earlier row with everything hanging off it.
        old = self._db.execute("SELECT id FROM pages WHERE url = ?", (page.url,)).fetchone()
        if old:
            for table in ("links", "list_items"):
                self._db.execute(f"DELETE FROM {table} WHERE page_id = ?", (old[0],))
            self._db.execute("DELETE FROM pages WHERE id = ?", (old[0],))
        cur = self._db.execute(
            """INSERT INTO pages(url, final_url, status, fetched_at, depth, content_type, encoding,
                   encoding_source, kind, title, breadcrumb, text, body, footer, meta, published,
                   empty_list, forms, sha256, size, problem)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                page.url, page.final_url, page.status, page.fetched_at, page.depth, page.content_type,
                page.encoding, page.encoding_source, page.kind, page.title,
                json.dumps(list(page.breadcrumb), ensure_ascii=False), page.text, page.body, page.footer,
                json.dumps(page.meta, ensure_ascii=False, sort_keys=True), _iso(page.published),
                int(page.empty_list),
                _forms_json(page.forms),
                page.sha256, page.size, page.problem,
            ),
        )
        page_id = cur.lastrowid
        self._db.executemany(
            "INSERT INTO links(page_id, url, text, region, internal) VALUES (?,?,?,?,?)",
            [(page_id, lk.url, lk.text, lk.region, int(lk.internal)) for lk in page.links],
        )
        self._db.executemany(
            "INSERT INTO list_items(page_id, position, title, url, date, date_raw) VALUES (?,?,?,?,?,?)",
            [(page_id, i, it.title, it.url, _iso(it.date), it.date_raw) for i, it in enumerate(page.list_items)],
        )
        if page.warc_record:
            self._db.execute("UPDATE pages SET warc_record = ?, warc_offset = ? WHERE id = ?",
                             (page.warc_record, page.warc_offset, page_id))
        if page.etag or page.last_modified or page.revisit:
            self._db.execute("UPDATE pages SET etag = ?, last_modified = ?, revisit = ? WHERE id = ?",
                             (page.etag[:300], page.last_modified[:100], page.revisit, page_id))
        if page.rendered:
            self._db.execute("UPDATE pages SET rendered = 1 WHERE id = ?", (page_id,))
        self._db.execute("UPDATE frontier SET state = 'done' WHERE url = ?", (page.url,))
        self._tick()
        return page_id

    def add_endpoint(self, url: str, page_url: str, items: int, pattern: str = "") -> None:
        """A JSON endpoint a list page's items come from (seen while rendering it, or read
        directly for a sibling page)."""
        self._db.execute("INSERT OR REPLACE INTO endpoints(url, page_url, items, pattern) VALUES (?,?,?,?)",
                         (url[:2000], page_url[:2000], items, pattern[:500]))
        self._tick()

    def add_trap(self, url: str, depth: int, referrer: str, anchor: str, pattern: str, kind: str) -> None:
        """A URL refused as a trap: known to the frontier (state 'trap', never fetched, never
        admitted again on resume) and counted in `traps`. One tick, so a kill never
        separates the two."""
        self._db.execute(
            "INSERT OR IGNORE INTO frontier(url, depth, referrer, anchor, state) VALUES (?,?,?,?,'trap')",
            (url, depth, referrer, anchor),
        )
        self._db.execute(
            """INSERT INTO traps(pattern, kind, example_url, skipped_count) VALUES (?,?,?,1)
               ON CONFLICT(pattern, kind) DO UPDATE SET skipped_count = skipped_count + 1""",
            (pattern[:500], kind, url[:2000]),
        )
        self._tick()

    def add_error(self, err: FetchError) -> None:
        cur = self._db.execute(
            "INSERT INTO fetch_errors(url, kind, status, message, at, referrer, anchor) VALUES (?,?,?,?,?,?,?)",
            (err.url, err.kind, err.status, err.message, err.at, err.referrer, err.anchor),
        )
        if err.warc_record:
            self._db.execute("UPDATE fetch_errors SET warc_record = ? WHERE id = ?", (err.warc_record, cur.lastrowid))
        self._db.execute("UPDATE frontier SET state = 'done' WHERE url = ?", (err.url,))
        self._tick()

    def add_archived(self, url: str, record_id: str, offset: int, status: int | None, at: str,
                     kind: str = "") -> None:
        """Note where the response to `url` is archived in the WARC (latest fetch wins)."""
        self._db.execute(
            "INSERT OR REPLACE INTO warc_records(url, record_id, offset, status, at, kind) VALUES (?,?,?,?,?,?)",
            (url, record_id, offset, status, at, kind),
        )
        self._tick()

    # -- probes -----------------------------------------------------------------------------
    def add_probe(self, probe: ProbeResult) -> None:
        """Store a probe's result; a probe run again (on resume) replaces its earlier row."""
        self._db.execute(
            "INSERT OR REPLACE INTO probes(name, url, status, at, data) VALUES (?,?,?,?,?)",
            (probe.name, probe.url, probe.status, probe.at,
             json.dumps(probe.data, ensure_ascii=False, sort_keys=True)),
        )
        self._tick()

    def has_probe(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM probes WHERE name = ?", (name,)).fetchone() is not None

    def outline(self, kinds: Iterable[str] = ("home", "list", "detail")) -> list[PageRecord]:
        """Stored pages of `kinds` without their text, body or footer: what the search probe
        needs (titles, metadata, the list items of the homepage and list pages, the
        homepage's links and forms) at a fraction of the memory and time. It runs as the
        crawl ends, over every page stored."""
        kinds = list(kinds)
        marks = ",".join("?" * len(kinds))
        listing = [k for k in kinds if k in ("home", "list")]
        links: dict[int, list[Link]] = {}
        for pid, url, text, region, internal in self._db.execute(
            # Through the page index: a join would scan every link of the crawl.
            """SELECT page_id, url, text, region, internal FROM links
               WHERE page_id IN (SELECT id FROM pages WHERE kind = 'home') ORDER BY rowid"""
        ):
            links.setdefault(pid, []).append(Link(url, text, region, bool(internal)))
        items: dict[int, list[ListItem]] = {}
        for pid, title, url, d, raw in self._db.execute(
            f"""SELECT page_id, title, url, date, date_raw FROM list_items
                WHERE page_id IN (SELECT id FROM pages WHERE kind IN ({",".join("?" * len(listing))}))
                ORDER BY page_id, position""", listing,
        ):
            items.setdefault(pid, []).append(ListItem(title, url, _date(d), raw))
        return [
            PageRecord(url=url, final_url=final_url, status=status, fetched_at=fetched_at, depth=depth,
                       encoding=enc, kind=kind, title=title, meta=json.loads(meta) if meta != "{}" else {},
                       list_items=tuple(items.get(pid, ())), links=tuple(links.get(pid, ())),
                       forms=_forms(forms) if kind == "home" else (), page_id=pid)
            for pid, url, final_url, status, fetched_at, depth, enc, kind, title, meta, forms in self._db.execute(
                f"""SELECT id, url, final_url, status, fetched_at, depth, encoding, kind, title, meta, forms
                    FROM pages WHERE kind IN ({marks}) ORDER BY id""", kinds,
            )
        ]

    # -- frontier (resume) ------------------------------------------------------------------
    def enqueue(self, url: str, depth: int, referrer: str = "", anchor: str = "") -> bool:
        """Record a URL to visit; False when it was already known."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO frontier(url, depth, referrer, anchor) VALUES (?,?,?,?)",
            (url, depth, referrer, anchor),
        )
        self._tick()
        return cur.rowcount == 1

    def mark_done(self, url: str) -> None:
        self._db.execute("UPDATE frontier SET state = 'done' WHERE url = ?", (url,))
        self._tick()

    def queued(self) -> list[tuple[str, int, str, str]]:
        """URLs enqueued but not yet done, in insertion order: what a resumed scan fetches."""
        return self._db.execute(
            "SELECT url, depth, referrer, anchor FROM frontier WHERE state = 'queued' ORDER BY rowid"
        ).fetchall()

    def queued_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM frontier WHERE state = 'queued'").fetchone()[0]

    def known_urls(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT url FROM frontier")}

    def revisit_counts(self) -> dict[str, int]:
        """Pages per revisit mark ('revalidated', 'carried_over'; '' = fetched)."""
        return dict(self._db.execute("SELECT revisit, COUNT(*) FROM pages GROUP BY revisit"))

    def page_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]

    # -- lifecycle ----------------------------------------------------------------------------
    def _tick(self) -> None:
        self._pending += 1
        if self._pending >= self._batch or time.monotonic() - self._last_commit > self._interval:
            self.commit()

    def commit(self) -> None:
        self._db.commit()
        self._pending, self._last_commit = 0, time.monotonic()

    def close(self) -> None:
        self.commit()
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Snapshot:
    """Read-only view of a snapshot file, as the engine uses it.

    Page rows are loaded once (the engine consults them many times per profile); links
    are indexed by target so "who links here, with what anchor text" is a dict lookup.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"snapshot not found: {self.path}")
        uri = f"file:{self.path}?mode=ro"
        self._db = sqlite3.connect(uri, uri=True)
        self.meta: dict[str, str] = dict(self._db.execute("SELECT key, value FROM meta"))
        self._pages: dict[str, PageRecord] = {}
        self._by_id: dict[int, PageRecord] = {}
        self._by_final: dict[str, PageRecord] = {}
        self._load()

    def _load(self) -> None:
        items: dict[int, list[ListItem]] = {}
        for pid, title, url, d, raw in self._db.execute(
            "SELECT page_id, title, url, date, date_raw FROM list_items ORDER BY page_id, position"
        ):
            items.setdefault(pid, []).append(ListItem(title, url, _date(d), raw))
        links: dict[int, list[Link]] = {}
        self._inbound: dict[str, list[tuple[int, Link]]] = {}
        # Navigation and footers repeat the same links on every page (a 20,000-page site has
        # ~450,000 link rows but ~40,000 distinct links): one shared Link per distinct row.
        # Link is frozen, so sharing is safe, and `inbound` readers can skip repeats by identity.
        distinct: dict[tuple[str, str, str, int], Link] = {}
        for pid, url, text, region, internal in self._db.execute(
            "SELECT page_id, url, text, region, internal FROM links ORDER BY rowid"
        ):
            key = (url, text, region, internal)
            link = distinct.get(key)
            if link is None:
                link = distinct[key] = Link(url, text, region, bool(internal))
            page_links = links.get(pid)
            if page_links is None:
                page_links = links[pid] = []
            page_links.append(link)
            self._inbound.setdefault(url, []).append((pid, link))
        # Columns added after schema 1 (archive references, validators, the rendered mark) are
        # read in the same pass: they sit after the long text columns, and a query of its own
        # walks every row's text again. Older snapshots read them as the defaults.
        has = _columns(self._db, "pages")
        archive = "warc_record, warc_offset" if "warc_record" in has else "'', NULL"
        revisit = "etag, last_modified, revisit" if "revisit" in has else "'', '', ''"
        rendered = "rendered" if "rendered" in has else "0"
        # Pages of one column share their breadcrumb and every page the site's search form:
        # each distinct JSON text is parsed once. Both are immutable once parsed.
        crumbs_of: dict[str, tuple[str, ...]] = {}
        forms_of: dict[str, tuple[Form, ...]] = {}
        for row in self._db.execute(
            f"""SELECT id, url, final_url, status, fetched_at, depth, content_type, encoding,
                      encoding_source, kind, title, breadcrumb, text, body, footer, meta, published,
                      empty_list, forms, sha256, size, problem, {archive}, {revisit}, {rendered}
                FROM pages ORDER BY id"""
        ):
            (pid, url, final_url, status, fetched_at, depth, ctype, enc, enc_src, kind, title, crumbs,
             text, body, footer, meta, published, empty, forms, sha, size, problem,
             warc_record, warc_offset, etag, last_modified, revisit_mark, is_rendered) = row
            breadcrumb = crumbs_of.get(crumbs)
            if breadcrumb is None:
                breadcrumb = crumbs_of[crumbs] = tuple(json.loads(crumbs))
            page_forms = forms_of.get(forms)
            if page_forms is None:
                page_forms = forms_of[forms] = _forms(forms)
            page = PageRecord(
                url=url, final_url=final_url, status=status, fetched_at=fetched_at, depth=depth,
                content_type=ctype, encoding=enc, encoding_source=enc_src, kind=kind, title=title,
                breadcrumb=breadcrumb, text=text, body=body, footer=footer,
                meta=json.loads(meta) if meta != "{}" else {}, published=_date(published),
                list_items=tuple(items.get(pid, ())),
                empty_list=bool(empty), links=tuple(links.get(pid, ())),
                forms=page_forms,
                sha256=sha, size=size, problem=problem, page_id=pid,
                # A reference is an id and its offset, or nothing.
                warc_record=warc_record or "", warc_offset=warc_offset if warc_record else None,
                etag=etag or "", last_modified=last_modified or "", revisit=revisit_mark or "",
                rendered=is_rendered == 1,
            )
            self._pages[url] = page
            self._by_id[pid] = page
            self._by_final.setdefault(final_url, page)
        self._errors = [
            FetchError(url=u, kind=k, status=s, message=m, at=a, referrer=r, anchor=an)
            for u, k, s, m, a, r, an in self._db.execute(
                "SELECT url, kind, status, message, at, referrer, anchor FROM fetch_errors ORDER BY id"
            )
        ]
        self._load_archive_refs()
        self._load_revisits()
        self._load_rendered()
        self._errors_by_url = {e.url: e for e in self._errors}
        self._probes: dict[str, ProbeResult] = {}
        has_probes = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'probes'").fetchone()
        if has_probes:  # older snapshots have no probes table: no probes were run
            for name, url, status, at, data in self._db.execute(
                "SELECT name, url, status, at, data FROM probes ORDER BY name"
            ):
                self._probes[name] = ProbeResult(name, url, status, at, json.loads(data))

    def _load_archive_refs(self) -> None:
        """WARC references, where the snapshot has them (snapshots older than the archive do not)."""
        self._archived: dict[str, tuple[str, int]] = {}
        # Pages' own references are read with the pages (`_load`).
        if "warc_record" in _columns(self._db, "fetch_errors"):
            records = dict(self._db.execute("SELECT id, warc_record FROM fetch_errors WHERE warc_record != ''"))
            if records:
                ids = [r[0] for r in self._db.execute("SELECT id FROM fetch_errors ORDER BY id")]
                self._errors = [replace(e, warc_record=records[i]) if i in records else e
                                for i, e in zip(ids, self._errors, strict=True)]
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'warc_records'").fetchone():
            for url, record, offset in self._db.execute("SELECT url, record_id, offset FROM warc_records"):
                self._archived[url] = (record, offset)

    def _load_revisits(self) -> None:
        """Trap rows, where the snapshot has them (pages' validators and revisit marks are read
        with the pages)."""
        self._traps = []
        if _has_table(self._db, "traps"):
            self._traps = [TrapRecord(*row) for row in self._db.execute(
                "SELECT pattern, kind, example_url, skipped_count FROM traps ORDER BY kind, pattern")]

    def _load_rendered(self) -> None:
        """Endpoints, where the snapshot has them (pages' rendered marks are read with the pages)."""
        self._endpoints: list[tuple[str, str, int]] = []
        if _has_table(self._db, "endpoints"):
            self._endpoints = self._db.execute(
                "SELECT url, page_url, items FROM endpoints ORDER BY page_url, url").fetchall()

    def endpoints(self) -> list[tuple[str, str, int]]:
        """(JSON endpoint URL, list page URL, items) for list pages whose items come from an API."""
        return list(self._endpoints)

    def traps(self) -> list[TrapRecord]:
        """URL shapes the crawl refused as traps, with how many URLs of each it skipped."""
        return list(self._traps)

    def archived(self, url: str) -> tuple[str, int] | None:
        """(WARC-Record-ID, offset) of the latest archived response to `url`, or None."""
        return self._archived.get(url)

    # -- lookups ------------------------------------------------------------------------------
    @property
    def start_url(self) -> str:
        return self.meta.get("start_url", "")

    def pages(self) -> Iterator[PageRecord]:
        return iter(self._pages.values())

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, url: str) -> PageRecord | None:
        return self._pages.get(url) or self._by_final.get(url)

    def by_id(self, page_id: int) -> PageRecord | None:
        return self._by_id.get(page_id)

    def homepage(self) -> PageRecord | None:
        return self.get(self.start_url)

    def errors(self) -> list[FetchError]:
        return list(self._errors)

    def error_for(self, url: str) -> FetchError | None:
        return self._errors_by_url.get(url)

    def probes(self) -> list[ProbeResult]:
        return list(self._probes.values())

    def probe(self, name: str) -> ProbeResult | None:
        return self._probes.get(name)

    def links_to(self, url: str) -> list[tuple[PageRecord, Link]]:
        """Every link in the snapshot that points at `url`, with the page it sits on."""
        return [(self._by_id[pid], link) for pid, link in self._inbound.get(url, ())]

    def link_targets(self) -> Iterable[str]:
        return self._inbound.keys()

    def inbound(self, url: str) -> Sequence[tuple[int, Link]]:
        """(page id, link) of every link to `url`, in snapshot order: `links_to` without
        building the pairs. Repeated links (navigation) are the same Link object. Read-only."""
        return self._inbound.get(url, ())

    def queued(self) -> list[str]:
        """URLs the crawl knew about but never fetched (budget, interruption)."""
        return [r[0] for r in self._db.execute("SELECT url FROM frontier WHERE state = 'queued'")]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class PreviousPage:
    """What an incremental scan needs to know about one page of the previous scan."""

    __slots__ = ("url", "status", "kind", "published", "fetched_at", "sha256", "etag", "last_modified")

    def __init__(self, url: str, status: int, kind: str, published: date | None, fetched_at: str, sha256: str,
                 etag: str, last_modified: str):
        self.url, self.status, self.kind, self.published = url, status, kind, published
        self.fetched_at, self.sha256, self.etag, self.last_modified = fetched_at, sha256, etag, last_modified

    def validators(self) -> dict[str, str]:
        """Conditional-request headers for this page ({} when the server sent no validators)."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class PreviousPages:
    """An earlier scan's pages, read by an incremental scan (`--incremental`): a small index
    in memory, each full record read from the file only when it is copied."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"previous snapshot not found: {self.path}")
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        self.meta: dict[str, str] = dict(self._db.execute("SELECT key, value FROM meta"))
        has = _columns(self._db, "pages")
        etag = "etag" if "etag" in has else "''"
        modified = "last_modified" if "last_modified" in has else "''"
        self._index = {
            url: PreviousPage(url, status, kind, _date(published), fetched_at, sha, e, m)
            for url, status, kind, published, fetched_at, sha, e, m in self._db.execute(
                f"SELECT url, status, kind, published, fetched_at, sha256, {etag}, {modified} FROM pages")
        }

    def get(self, url: str) -> PreviousPage | None:
        return self._index.get(url)

    def __len__(self) -> int:
        return len(self._index)

    def record(self, url: str) -> PageRecord | None:
        """The stored record of `url` with its links, list items and forms."""
        row = self._db.execute(
            """SELECT id, url, final_url, status, fetched_at, depth, content_type, encoding,
                      encoding_source, kind, title, breadcrumb, text, body, footer, meta, published,
                      empty_list, forms, sha256, size, problem FROM pages WHERE url = ?""", (url,)).fetchone()
        if row is None:
            return None
        (pid, url, final_url, status, fetched_at, depth, ctype, enc, enc_src, kind, title, crumbs,
         text, body, footer, meta, published, empty, forms, sha, size, problem) = row
        items = tuple(ListItem(t, u, _date(d), raw) for t, u, d, raw in self._db.execute(
            "SELECT title, url, date, date_raw FROM list_items WHERE page_id = ? ORDER BY position", (pid,)))
        links = tuple(Link(u, t, r, bool(i)) for u, t, r, i in self._db.execute(
            "SELECT url, text, region, internal FROM links WHERE page_id = ? ORDER BY rowid", (pid,)))
        prev = self._index[url]
        return PageRecord(
            url=url, final_url=final_url, status=status, fetched_at=fetched_at, depth=depth, content_type=ctype,
            encoding=enc, encoding_source=enc_src, kind=kind, title=title, breadcrumb=tuple(json.loads(crumbs)),
            text=text, body=body, footer=footer, meta=json.loads(meta), published=_date(published),
            list_items=items, empty_list=bool(empty), links=links, forms=_forms(forms), sha256=sha, size=size,
            problem=problem, etag=prev.etag, last_modified=prev.last_modified,
        )

    def close(self) -> None:
        self._db.close()
