"""One real scan of the demo portal for tests: crawl it into `out/snapshot.sqlite` and
evaluate profiles over the snapshot, as `checker scan` does without the CLI around it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from checker.crawl.crawler import CrawlSettings, crawl
from checker.demo.server import DemoPortal
from checker.engine.evaluate import evaluate
from checker.engine.loader import DEFAULT_RULES_DIR, Rules, load_rules
from checker.results import ScanResult
from checker.site.snapshot import Snapshot

DEMO_PROFILES = ("pingcheng-2024", "national")


def scan_demo(out: Path, *, today: date, evaluated_at: str, profiles: Iterable[str] = DEMO_PROFILES,
              changes: Iterable[str] = (), rules: Rules | None = None, **settings) -> ScanResult:
    """`settings` are CrawlSettings fields beyond the defaults here (max_pages=500)."""
    rules = rules or load_rules(DEFAULT_RULES_DIR)
    out.mkdir(parents=True, exist_ok=True)
    with DemoPortal(today=today, changes=changes) as portal:
        crawl_settings = CrawlSettings(**{"max_pages": 500, **settings, "start_url": portal.base_url}, as_of=today)
        summary = asyncio.run(crawl(crawl_settings, out / "snapshot.sqlite"))
    assert summary.status == "complete", summary
    with Snapshot(out / "snapshot.sqlite") as snap:
        return evaluate(snap, [rules.profiles[p] for p in profiles], rules.checks,
                        evaluated_at=evaluated_at, snapshot_name="snapshot.sqlite")
