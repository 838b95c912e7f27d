"""`checker scan` killed with SIGKILL (no cleanup at all) resumes with --resume from its
snapshot, fetches nothing it already stored, and ends with the result an uninterrupted scan
gives."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checker.crawl.crawler import CrawlSettings, crawl
from checker.demo.server import DemoPortal
from checker.site.snapshot import Snapshot

from .scan_compare import profiles_of

TODAY = date(2026, 11, 21)
# Times and archive references differ between two scans of one site; nothing else may.


def scan_cmd(base_url: str, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "checker", "scan", base_url, "--profile", "national", "--profile",
            "pingcheng-2024", "--out", str(out), "--as-of", TODAY.isoformat(), "--concurrency", "2", *extra]


def stored_urls(path: Path) -> set[str]:
    """Pages committed to the snapshot so far (what a reader sees while the crawl runs)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return {r[0] for r in db.execute("SELECT url FROM pages")}
    except sqlite3.Error:
        return set()






@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkilled_scan_resumes_to_the_uninterrupted_result(tmp_path):
    with DemoPortal(today=TODAY) as portal:
        full = tmp_path / "full"
        # The uninterrupted reference, in-process with the settings `checker scan` uses.
        settings = CrawlSettings(start_url=portal.base_url, as_of=TODAY, concurrency=2)
        assert asyncio.run(crawl(settings, full / "snapshot.sqlite")).status == "complete"
        with Snapshot(full / "snapshot.sqlite") as snap:
            assert snap.meta["status"] == "complete"
            full_pages = {p.url: p for p in snap.pages()}
            full_errors = {(e.url, e.kind) for e in snap.errors()}

        portal.hits.clear()
        out = tmp_path / "killed"
        snapshot = out / "snapshot.sqlite"
        # Slowed down so the kill lands mid-crawl, with pages committed and more in flight.
        proc = subprocess.Popen(scan_cmd(portal.base_url, out, "--delay", "0.02"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(stored_urls(snapshot)) < 40 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL

        before = stored_urls(snapshot)
        assert 40 <= len(before) < len(full_pages), "the kill must land mid-crawl"
        with Snapshot(snapshot) as snap:
            assert snap.meta["status"] == "interrupted"  # honest about the kill without any cleanup
        hits_before_resume = dict(portal.hits)

        resumed = subprocess.run(scan_cmd(portal.base_url, out, "--resume"), capture_output=True, text=True,
                                 timeout=120)
        assert resumed.returncode == 0, resumed.stderr

        with Snapshot(snapshot) as snap:
            assert snap.meta["status"] == "complete" and not snap.queued()
            pages = {p.url: p for p in snap.pages()}
            assert {(e.url, e.kind) for e in snap.errors()} == full_errors
        assert set(pages) == set(full_pages)
        assert {u: p.depth for u, p in pages.items()} == {u: p.depth for u, p in full_pages.items()}
        assert {u: p.sha256 for u, p in pages.items()} == {u: p.sha256 for u, p in full_pages.items()}

        # Nothing stored before the kill was fetched again: each was requested once in all.
        for url in before:
            path = urlsplit(url).path
            assert portal.hits[path] == 1, (path, portal.hits[path])
        refetched_after = {p for p, n in portal.hits.items() if n > hits_before_resume.get(p, 0)}
        assert not {urlsplit(u).path for u in before} & refetched_after

    assert profiles_of(snapshot, tmp_path / "eval-resumed") == profiles_of(full / "snapshot.sqlite",
                                                                             tmp_path / "eval-full")
