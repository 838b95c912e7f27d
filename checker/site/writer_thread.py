"""The crawl's snapshot writer, run on a thread of its own.

Storing a page is a dozen SQLite statements (the page row, its links and list items, the
frontier update) and every 50 writes a commit; on the benchmark portal that was about a
quarter of the crawl loop's time, spent while responses waited to be read. SQLite lets go
of the GIL while it works, so here the statements run on one writer thread and the loop
only queues them.

- Writes are queued and return at once, in the order they were made; one thread runs
  them, so the snapshot sees exactly the sequence the loop made.
- Reads (`queued`, `outline` …) wait for every write queued before them, then answer.
- A write that fails (a full disk) is raised by the next call, and by `close`, so the
  crawl stops on it as it did when writes were synchronous.
- At most `max_pending` writes wait; past that the caller blocks until the thread catches
  up, so a slow disk slows the crawl instead of filling memory.
- `close` runs every queued write, closes the file and joins the thread. A killed process
  loses what was not yet committed, as before: the file stays a valid, resumable snapshot.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from .records import FetchError, PageRecord, ProbeResult
from .snapshot import SnapshotWriter

_STOP = object()


class ThreadedWriter:
    """`SnapshotWriter`'s crawl-time methods, run in order on a writer thread."""

    def __init__(self, path: str | Path, *, max_pending: int = 2000):
        self._jobs: queue.Queue = queue.Queue(maxsize=max_pending)
        self._failure: BaseException | None = None  # the first failed write; later writes are skipped
        self._reported = False  # whether the loop has been told of it
        self._closed = False
        opened: Future[SnapshotWriter] = Future()
        self._thread = threading.Thread(target=self._serve, args=(Path(path), opened), name="snapshot-writer",
                                        daemon=True)
        self._thread.start()
        self._writer = opened.result()  # raises what opening the file raised

    # -- the thread -------------------------------------------------------------------------
    def _serve(self, path: Path, opened: Future) -> None:
        try:
            writer = SnapshotWriter(path)
        except BaseException as exc:
            opened.set_exception(exc)
            return
        opened.set_result(writer)
        while True:
            job = self._jobs.get()
            if job is _STOP:
                return
            call, args, answer = job
            if answer is None and self._failure is not None:
                continue  # later writes would build on a broken file
            try:
                result = call(*args)
            except BaseException as exc:
                if answer is None:
                    self._failure = self._failure or exc
                else:
                    answer.set_exception(exc)
            else:
                if answer is not None:
                    answer.set_result(result)

    # -- calling ----------------------------------------------------------------------------
    def _check(self) -> None:
        if self._closed:
            raise ValueError("the snapshot writer is closed")
        if self._failure is not None and not self._reported:
            self._reported = True
            raise self._failure

    def _write(self, call: Callable[..., Any], *args: Any) -> None:
        self._check()
        self._jobs.put((call, args, None))

    def _read(self, call: Callable[..., Any], *args: Any) -> Any:
        self._check()
        answer: Future = Future()
        self._jobs.put((call, args, answer))
        result = answer.result()
        self._check()  # a write queued before this read may have failed
        return result

    # -- writes -----------------------------------------------------------------------------
    def set_meta(self, key: str, value: object) -> None:
        self._write(self._writer.set_meta, key, value)

    def enqueue(self, url: str, depth: int, referrer: str = "", anchor: str = "") -> None:
        self._write(self._writer.enqueue, url, depth, referrer, anchor)

    def add_trap(self, url: str, depth: int, referrer: str, anchor: str, pattern: str, kind: str) -> None:
        self._write(self._writer.add_trap, url, depth, referrer, anchor, pattern, kind)

    def add_page(self, page: PageRecord) -> None:
        """Queue `page`; the caller must not change it afterwards."""
        self._write(self._writer.add_page, page)

    def add_error(self, err: FetchError) -> None:
        self._write(self._writer.add_error, err)

    def add_endpoint(self, url: str, page_url: str, items: int, pattern: str = "") -> None:
        self._write(self._writer.add_endpoint, url, page_url, items, pattern)

    def add_archived(self, url: str, record_id: str, offset: int, status: int | None, at: str,
                     kind: str = "") -> None:
        self._write(self._writer.add_archived, url, record_id, offset, status, at, kind)

    def add_probe(self, probe: ProbeResult) -> None:
        self._write(self._writer.add_probe, probe)

    def commit(self) -> None:
        self._write(self._writer.commit)

    # -- reads ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        return self._read(self._writer.get_meta, key)

    def has_probe(self, name: str) -> bool:
        return self._read(self._writer.has_probe, name)

    def outline(self) -> list[PageRecord]:
        return self._read(self._writer.outline)

    def queued(self) -> list[tuple[str, int, str, str]]:
        return self._read(self._writer.queued)

    def queued_count(self) -> int:
        return self._read(self._writer.queued_count)

    def revisit_counts(self) -> dict[str, int]:
        return self._read(self._writer.revisit_counts)

    def page_count(self) -> int:
        return self._read(self._writer.page_count)

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Run every queued write, close the file, end the thread; raise a failed write the
        loop has not been told of yet."""
        if self._closed:
            return
        self._closed = True
        closed: Future = Future()
        self._jobs.put((self._writer.close, (), closed))
        self._jobs.put(_STOP)
        self._thread.join()
        if self._failure is not None and not self._reported:
            self._reported = True
            raise self._failure
        closed.result()

    def __enter__(self) -> ThreadedWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
