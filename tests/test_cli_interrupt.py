"""Ctrl-C during `checker scan` leaves a usable partial snapshot, and --resume finishes it."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date

from checker.demo.server import DemoPortal
from checker.site.snapshot import Snapshot

TODAY = date(2026, 11, 21)


def _pages(path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    except sqlite3.Error:
        return 0


def _scan(base_url: str, out, *extra: str) -> list[str]:
    return [sys.executable, "-m", "checker", "scan", base_url, "--profile", "national", "--out", str(out),
            "--as-of", TODAY.isoformat(), "--concurrency", "1", "--delay", "0.05", *extra]


def test_ctrl_c_leaves_a_partial_snapshot_that_resume_completes(tmp_path):
    out = tmp_path / "scan"
    with DemoPortal(today=TODAY) as portal:
        proc = subprocess.Popen(_scan(portal.base_url, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 60
        while _pages(out / "snapshot.sqlite") < 10 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "--resume" in err

        with Snapshot(out / "snapshot.sqlite") as snap:
            assert snap.meta["status"] == "interrupted"
            seen = len(snap)
            assert 10 <= seen < 100
            assert snap.queued(), "an interrupted crawl still has URLs to fetch"
        hits_before = sum(portal.hits.values())

        done = subprocess.run(_scan(portal.base_url, out, "--resume"), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        with Snapshot(out / "snapshot.sqlite") as snap:
            assert snap.meta["status"] == "complete"
            assert len(snap) > seen and not snap.queued()
            assert snap.probe("search") is not None  # the interrupted run had not probed; the resume did
        # Resuming fetched only what was missing (plus robots.txt once more and the one
        # site-search probe, run when the crawl completes).
        refetched = sum(portal.hits.values()) - hits_before
        assert portal.hits["/search/"] == 1
        assert refetched <= len(snap) + len(snap.errors()) - seen + 2
    assert (out / "scorecard.html").exists() and (out / "result.json").exists()
