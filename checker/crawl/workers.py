"""Pools of worker processes for CPU-heavy or risky parsing: attachments and HTML pages.

Workers are plain child processes running `python -m <module> MEMORY_BYTES` (not
multiprocessing's spawn/forkserver, which re-import the caller's `__main__` in every
worker, and not fork, which is unsafe from a process with threads and an event loop),
speaking length-prefixed pickles over their stdin/stdout, one job at a time. Each worker
caps its own address space (`limit_memory`), so a parser that balloons on hostile input
fails with MemoryError there, not in the crawler. A worker that overruns a job's time or
dies is killed and replaced on the next call.

A worker module's main loop is `serve(handle)`: it reads jobs and writes `handle(job)`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

_HEADER = struct.Struct("!Q")
_ROOT = str(Path(__file__).resolve().parents[2])


class WorkerTimeout(Exception):
    """The job ran longer than its timeout: the worker was killed."""


class WorkerDied(Exception):
    """The worker process ended (or its pipe broke) before answering."""


def write_message(stream, obj) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def read_message(stream):
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("worker closed its pipe")
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("worker closed its pipe mid-message")
    return pickle.loads(payload)  # noqa: S301 - our own child process, not the network


def limit_memory(argv: Sequence[str]) -> None:
    """Cap this process's address space to the byte count in argv[1] (0 or none: no cap)."""
    try:
        import resource

        limit = int(argv[1]) if len(argv) > 1 else 0
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # no rlimits here: the pool's timeout still bounds a job
        pass


def serve(handle: Callable[[object], object]) -> None:
    """A worker's main loop: answer each job on stdin with `handle(job)` until stdin closes.

    Ctrl-C reaches the whole process group; a worker ignores it and leaves the interruption
    to the crawl, which stops cleanly (a worker dying first would turn the pages it was
    parsing into 'parse' errors in the snapshot). It ends when the crawl closes its stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a library's stray print must not corrupt the message stream
    while True:
        try:
            job = read_message(stdin)
        except EOFError:
            return
        write_message(stdout, handle(job))


class _Worker:
    def __init__(self, module: str, memory_bytes: int):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, str(memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=_ROOT,
        )

    def ask(self, job, timeout: float):
        """The worker's answer; WorkerTimeout when it overran `timeout` seconds."""
        write_message(self.proc.stdin, job)
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise WorkerTimeout(f"no answer within {timeout:g} s")
        return read_message(self.proc.stdout)

    def kill(self) -> None:
        self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class WorkerPool:
    """Up to `size` processes running `module`, started on demand and reused. Thread-safe:
    callers block in executor threads while a worker answers."""

    def __init__(self, module: str, size: int = 2, memory_bytes: int = 0):
        self.module, self.size, self.memory_bytes = module, max(1, size), memory_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()

    def start(self) -> None:
        """Start every worker now rather than on first use: each spends its first ~0.3 s
        importing, which then overlaps with the caller's own start (a crawl's robots.txt and
        homepage) instead of delaying the first job."""
        with self._lock:
            while self._started < self.size:
                self._idle.put(self._spawn())

    def live(self) -> int:
        """Worker processes started and not yet ended."""
        with self._lock:
            return sum(1 for w in self._all if w.proc.poll() is None)

    def _acquire(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._started < self.size:
                return self._spawn()
        return self._idle.get()

    def _spawn(self) -> _Worker:
        """A new worker, counted (the caller holds the lock)."""
        worker = _Worker(self.module, self.memory_bytes)
        self._started += 1
        self._all.add(worker)
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.discard(worker)
                self._started -= 1

    def run(self, job, timeout: float):
        """The answer to `job`. Raises WorkerTimeout (the worker is killed) or WorkerDied."""
        worker = self._acquire()
        try:
            answer = worker.ask(job, timeout)
        except WorkerTimeout:
            self._discard(worker)
            raise
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            self._discard(worker)
            raise WorkerDied(f"{type(exc).__name__}; out of memory?") from exc
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
            self._started = 0
        while not self._idle.empty():
            self._idle.get_nowait()
        for worker in workers:
            worker.kill()
