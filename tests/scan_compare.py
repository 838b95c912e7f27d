"""Comparing two scans' results: what must be equal once the clock is taken out.

Used by the tests that prove a resumed or incremental scan ends where a fresh one does.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checker.cli import main

EVALUATED_AT = "2026-11-21T12:00:00Z"
# Times that differ between two scans of the same site, and archive references that point
# into each scan's own WARC file.
VOLATILE = {"fetched_at", "evaluated_at", "started_at", "finished_at", "at"}


def strip_volatile(value):
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE and "warc" not in k}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def profiles_of(snapshot: Path, out: Path) -> list:
    """Evaluate `snapshot` at a fixed time, as `checker evaluate` does; the profiles part of result.json."""
    result = CliRunner().invoke(main, ["evaluate", str(snapshot), "--profile", "national", "--profile",
                                       "pingcheng-2024", "--out", str(out), "--evaluated-at", EVALUATED_AT])
    assert result.exit_code == 0, result.output
    return strip_volatile(json.loads((out / "result.json").read_text(encoding="utf-8"))["profiles"])
