"""Fixtures for engine tests: real snapshot files built from PageRecords in tmp_path."""

from __future__ import annotations

import itertools

import pytest

from checker.site.snapshot import Snapshot, SnapshotWriter

from .builders import DEFAULT_META, url


@pytest.fixture
def make_snapshot(tmp_path):
    """make_snapshot(pages=[...], errors=[...], meta={...}, queued=[...]) → an open Snapshot.

    Written with the real SnapshotWriter and read back with the real Snapshot, so the
    engine sees exactly what it would see after a crawl. `meta` overrides DEFAULT_META
    (as_of 2026-11-21, status complete, start_url http://demo.test/).
    """
    opened: list[Snapshot] = []
    counter = itertools.count()

    def make(pages=(), errors=(), meta=None, queued=()) -> Snapshot:
        path = tmp_path / f"snapshot-{next(counter)}.sqlite"
        with SnapshotWriter(path) as writer:
            for key, value in {**DEFAULT_META, **(meta or {})}.items():
                writer.set_meta(key, value)
            for q in queued:
                writer.enqueue(url(q), 2)
            for page in pages:
                writer.enqueue(page.url, page.depth)
                writer.add_page(page)
            for err in errors:
                writer.add_error(err)
        snap = Snapshot(path)
        opened.append(snap)
        return snap

    yield make
    for snap in opened:
        snap.close()
