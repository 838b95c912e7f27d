"""The snapshot writer on its own thread (checker/site/writer_thread.py): writes land in
the order they were made, reads see every write before them, a failed write stops the
crawl at the next call, and a slow disk holds the caller back instead of filling memory."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from checker.site.records import FetchError, Link, PageRecord
from checker.site.snapshot import Snapshot, SnapshotWriter
from checker.site.writer_thread import ThreadedWriter


def page(n: int) -> PageRecord:
    return PageRecord(url=f"http://x.gov.cn/p{n}.html", final_url=f"http://x.gov.cn/p{n}.html", status=200,
                      fetched_at="2026-03-01T00:00:00Z", depth=1, kind="detail", title=f"第{n}页",
                      links=(Link(f"http://x.gov.cn/p{n + 1}.html", "下一页", "list", True),))


def test_writes_land_in_order_and_reads_see_them(tmp_path):
    path = tmp_path / "s.sqlite"
    with ThreadedWriter(path) as writer:
        for n in range(300):
            writer.enqueue(f"http://x.gov.cn/p{n}.html", 1)
        for n in range(200):
            writer.add_page(page(n))
        writer.add_error(FetchError("http://x.gov.cn/p250.html", "http", "HTTP 404", "2026-03-01T00:00:00Z", 404))
        writer.set_meta("status", "partial")
        # A read waits for everything queued before it.
        assert writer.page_count() == 200
        assert [u for u, *_ in writer.queued()] == [f"http://x.gov.cn/p{n}.html" for n in range(300)
                                                     if n >= 200 and n != 250]
        assert writer.queued_count() == 99
        assert writer.get_meta("status") == "partial"
    with Snapshot(path) as snap:
        stored = list(snap.pages())
        assert [p.title for p in stored] == [f"第{n}页" for n in range(200)]  # in the order written
        assert stored[0].links[0].url == "http://x.gov.cn/p1.html"
        assert snap.meta["status"] == "partial"


def test_the_thread_does_the_writing(tmp_path, monkeypatch):
    threads: set[str] = set()
    real = SnapshotWriter.add_page

    def spy(self, record):
        threads.add(threading.current_thread().name)
        return real(self, record)

    monkeypatch.setattr(SnapshotWriter, "add_page", spy)
    with ThreadedWriter(tmp_path / "s.sqlite") as writer:
        writer.add_page(page(1))
    assert threads == {"snapshot-writer"}


def test_a_failed_write_is_raised_by_the_next_call_and_later_writes_are_skipped(tmp_path):
    path = tmp_path / "s.sqlite"
    writer = ThreadedWriter(path)
    writer.add_page(page(1))
    writer.set_meta("status", object())  # not JSON: fails on the writer thread
    writer.add_page(page(2))  # queued behind the failure: must not be written
    with pytest.raises(TypeError):
        writer.page_count()  # the read waits for the failure and reports it
    writer.close()  # already reported: closing is clean
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT url FROM pages")] == ["http://x.gov.cn/p1.html"]
    db.close()


def test_a_failure_not_yet_reported_is_raised_by_close(tmp_path):
    writer = ThreadedWriter(tmp_path / "s.sqlite")
    writer.set_meta("bad", object())
    with pytest.raises(TypeError):
        writer.close()
    with pytest.raises(ValueError, match="closed"):
        writer.add_page(page(1))
    writer.close()  # twice is harmless


def test_a_slow_disk_holds_the_caller_back(tmp_path, monkeypatch):
    real = SnapshotWriter.enqueue

    def slow(self, *args):
        time.sleep(0.01)
        return real(self, *args)

    monkeypatch.setattr(SnapshotWriter, "enqueue", slow)
    writer = ThreadedWriter(tmp_path / "s.sqlite", max_pending=5)
    started = time.perf_counter()
    for n in range(30):
        writer.enqueue(f"http://x.gov.cn/p{n}.html", 1)
    waited = time.perf_counter() - started
    writer.close()
    # With at most 5 waiting, the caller waited for ~25 of the 30 slow writes.
    assert waited >= 0.2
    with Snapshot(tmp_path / "s.sqlite") as snap:
        assert len(snap.queued()) == 30


def test_an_unopenable_file_fails_at_once(tmp_path):
    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(sqlite3.OperationalError):
        ThreadedWriter(tmp_path / "dir.sqlite")
