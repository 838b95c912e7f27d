"""Incremental scans (`checker scan --incremental PREV`): on an unchanged site the second
scan evaluates to the same result as the first while transferring at most 20 % of its
bytes; the revisit policy decides page by page what is asked again."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.incremental import Revisit
from checker.demo.server import DemoPortal
from checker.site.records import Link, PageRecord
from checker.site.snapshot import PreviousPages, Snapshot, SnapshotWriter

from .scan_compare import profiles_of

TODAY = date(2026, 11, 21)






def test_incremental_scan_of_an_unchanged_demo_portal(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    with DemoPortal(today=TODAY) as portal:
        settings = CrawlSettings(start_url=portal.base_url, as_of=TODAY, concurrency=4)
        full = asyncio.run(crawl(settings, first / "snapshot.sqlite"))
        assert full.status == "complete" and full.bytes_received > 100_000
        portal.hits.clear()
        done = subprocess.run(
            [sys.executable, "-m", "checker", "scan", portal.base_url, "--profile", "national", "--out",
             str(second), "--as-of", TODAY.isoformat(), "--incremental", str(first)],
            capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        hits = dict(portal.hits)

    with Snapshot(first / "snapshot.sqlite") as a, Snapshot(second / "snapshot.sqlite") as b:
        assert b.meta["status"] == "complete" and b.meta["incremental_from"] == str(first / "snapshot.sqlite")
        old = {p.url: p for p in a.pages()}
        new = {p.url: p for p in b.pages()}
        assert set(new) == set(old)
        assert {u: (p.depth, p.sha256, p.kind, p.title) for u, p in new.items()} == {
            u: (p.depth, p.sha256, p.kind, p.title) for u, p in old.items()}
        assert {(e.url, e.kind) for e in b.errors()} == {(e.url, e.kind) for e in a.errors()}
        # The first scan kept the validators the server sent, for the next scan to send back.
        assert all(p.etag.startswith('"') and p.last_modified for p in old.values() if p.status == 200)

        marks = {u: p.revisit for u, p in new.items()}
        lists = [u for u, p in new.items() if p.kind in ("home", "list")]
        assert lists and all(marks[u] == "revalidated" for u in lists)  # always asked, 304 each time
        carried = [u for u, m in marks.items() if m == "carried_over"]
        assert carried and all(new[u].fetched_at == old[u].fetched_at for u in carried)
        for u in carried:  # carried over means no request at all
            assert hits.get(urlsplit(u).path, 0) == 0, u
        # A document published in the last 7 days is revalidated, not carried over.
        young = [u for u, p in new.items() if p.kind == "detail" and p.published and (TODAY - p.published).days < 7]
        assert young and all(marks[u] == "revalidated" for u in young)
        assert int(b.meta["revalidated"]) + int(b.meta["carried_over"]) == len(new)

        ratio = int(b.meta["bytes_received"]) / int(a.meta["bytes_received"])
        print(f"incremental/full bytes: {b.meta['bytes_received']}/{a.meta['bytes_received']} = {ratio:.3f}")
        assert ratio <= 0.20

    assert profiles_of(second / "snapshot.sqlite", tmp_path / "e2") == profiles_of(
        first / "snapshot.sqlite", tmp_path / "e1")


def _previous(tmp_path: Path) -> PreviousPages:
    path = tmp_path / "prev.sqlite"
    b = "http://a.gov.cn"
    with SnapshotWriter(path) as w:
        w.add_page(PageRecord(url=b + "/", final_url=b + "/", status=200, fetched_at="2026-03-01T01:00:00Z", depth=0,
                              kind="home", sha256="h1", etag='"h1"'))
        w.add_page(PageRecord(url=b + "/tzgg/", final_url=b + "/tzgg/", status=200, fetched_at="2026-03-01T01:00:00Z",
                              depth=1, kind="list", sha256="l1", last_modified="Sun, 01 Mar 2026 00:00:00 GMT",
                              links=(Link(b + "/tzgg/old.html", "旧文件", "list"),)))
        for name, published, fetched in (("old", date(2025, 1, 2), "2026-03-01"), ("young", date(2026, 3, 5), "2026-03-05"),
                                         ("mid", date(2026, 2, 20), "2026-03-01"), ("mid-stale", date(2026, 2, 20), "2026-02-01")):
            w.add_page(PageRecord(url=f"{b}/tzgg/{name}.html", final_url=f"{b}/tzgg/{name}.html", status=200,
                                  fetched_at=f"{fetched}T01:00:00Z", depth=2, kind="detail", published=published,
                                  etag=f'"{name}"', title=name))
        w.add_page(PageRecord(url=b + "/gone.html", final_url=b + "/gone.html", status=302,
                              fetched_at="2026-03-01T01:00:00Z", depth=1, kind="other"))
    return PreviousPages(path)


def test_revisit_policy(tmp_path):
    prev = _previous(tmp_path)
    b = "http://a.gov.cn"
    r = Revisit(prev, date(2026, 3, 6))

    def decide(path, home=False, file=False):
        d = r.decide(b + path, home, file)
        return "carry" if d.carry else (d.validators or "plain")

    assert decide("/", home=True) == {"If-None-Match": '"h1"'}
    assert decide("/tzgg/") == {"If-Modified-Since": "Sun, 01 Mar 2026 00:00:00 GMT"}  # lists: always asked
    assert decide("/tzgg/old.html") == "carry"  # published over 30 days ago
    assert decide("/tzgg/young.html") == {"If-None-Match": '"young"'}  # published under 7 days ago
    assert decide("/tzgg/mid.html") == "carry"  # 7–30 days old, copy confirmed 5 days ago
    assert decide("/tzgg/mid-stale.html") == {"If-None-Match": '"mid-stale"'}  # copy over 7 days old
    assert decide("/new.html") == "plain"  # not in the previous scan
    assert decide("/gone.html") == "plain"  # the previous scan stored no usable copy

    # The list changed (another hash): the documents it links are asked again, even old ones.
    r.fetched(PageRecord(url=b + "/tzgg/", final_url=b + "/tzgg/", status=200, fetched_at="", depth=1, kind="list",
                         sha256="l2", links=(Link(b + "/tzgg/old.html", "旧文件（已修改）", "list"),)))
    assert decide("/tzgg/old.html") == {"If-None-Match": '"old"'}

    copy = r.copy(b + "/tzgg/mid.html", "carried_over", None)
    assert (copy.revisit, copy.fetched_at, copy.title, copy.etag) == ("carried_over", "2026-03-01T01:00:00Z", "mid",
                                                                      '"mid"')
    prev.close()


def test_old_snapshots_gain_the_new_columns(tmp_path):
    """A snapshot written before etag/last_modified/revisit and traps existed stays readable
    and is upgraded in place when written again."""
    path = tmp_path / "old.sqlite"
    with SnapshotWriter(path) as w:
        w.add_page(PageRecord(url="http://a/", final_url="http://a/", status=200, fetched_at="x", depth=0, kind="home"))
    with sqlite3.connect(path) as db:
        for column in ("etag", "last_modified", "revisit"):
            db.execute(f"ALTER TABLE pages DROP COLUMN {column}")
        db.execute("DROP TABLE traps")
    with Snapshot(path) as snap:
        assert snap.get("http://a/").etag == "" and snap.traps() == []
    assert PreviousPages(path).get("http://a/").validators() == {}
    SnapshotWriter(path).close()
    with Snapshot(path) as snap:
        assert snap.get("http://a/").revisit == "" and snap.traps() == []
