"""Two real scans of the demo portal for the history tests: as shipped, then after every
demo change (a fault fixed, a dead link removed, the guide's landline gone)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from checker.crawl.crawler import CrawlSettings, crawl
from checker.demo.server import CHANGES, DemoPortal
from checker.engine.evaluate import evaluate
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.report import write_json
from checker.results import ScanResult
from checker.site.snapshot import Snapshot

TODAY = date(2026, 11, 21)
PROFILES = ("pingcheng-2024", "national")


@dataclass(frozen=True)
class DemoScans:
    old: ScanResult
    new: ScanResult
    old_path: Path  # result.json
    new_path: Path


def _scan(out: Path, evaluated_at: str, changes: frozenset[str], rules) -> tuple[ScanResult, Path]:
    out.mkdir(parents=True)
    with DemoPortal(today=TODAY, changes=changes) as portal:
        settings = CrawlSettings(start_url=portal.base_url, max_pages=500, as_of=TODAY)
        summary = asyncio.run(crawl(settings, out / "snapshot.sqlite"))
    assert summary.status == "complete", summary
    with Snapshot(out / "snapshot.sqlite") as snap:
        result = evaluate(snap, [rules.profiles[p] for p in PROFILES], rules.checks,
                          evaluated_at=evaluated_at, snapshot_name="snapshot.sqlite")
    write_json(result, out / "result.json")
    return result, out / "result.json"


@pytest.fixture(scope="session")
def demo_scans(tmp_path_factory) -> DemoScans:
    root = tmp_path_factory.mktemp("history-demo")
    rules = load_rules(DEFAULT_RULES_DIR)
    old, old_path = _scan(root / "old", "2026-11-21T08:00:00Z", frozenset(), rules)
    new, new_path = _scan(root / "new", "2026-11-22T08:00:00Z", frozenset(CHANGES), rules)
    return DemoScans(old, new, old_path, new_path)
