"""One crawl by our crawler, in its own process so its peak RSS is its own.

Run: `python -m bench.crawl_child URL SNAPSHOT --concurrency N [--max-pages N]
[--incremental PREVIOUS] [--profile FILE]`; prints one JSON line: pages, errors, status,
seconds (the `crawl()` call only, interpreter start-up excluded, as for Scrapy) and the
process's peak RSS (`ru_maxrss`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import resource
import time
from pathlib import Path

from checker.crawl.crawler import CrawlSettings, crawl

from .site import AS_OF


def incremental_supported() -> bool:
    """Whether the crawler has incremental scans (`CrawlSettings.incremental`)."""
    return "incremental" in {f.name for f in dataclasses.fields(CrawlSettings)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("snapshot", type=Path)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--max-pages", type=int, default=30_000)
    ap.add_argument("--incremental", type=Path, default=None, help="previous snapshot")
    ap.add_argument("--profile", type=Path, default=None, help="write cProfile stats here")
    args = ap.parse_args()
    settings = CrawlSettings(start_url=args.url, max_pages=args.max_pages, max_depth=100, max_seconds=3600,
                             concurrency=args.concurrency, timeout=30, as_of=AS_OF)
    if args.incremental is not None:
        names = {f.name for f in dataclasses.fields(CrawlSettings)}
        # `incremental` names the previous scan's snapshot (CrawlSettings, issue 4).
        if "incremental" in names:
            settings = dataclasses.replace(settings, incremental=str(args.incremental))
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    summary = asyncio.run(crawl(settings, args.snapshot))
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(json.dumps({
        "pages": summary.pages, "errors": summary.errors, "status": summary.status,
        "reason": summary.status_reason, "seconds": seconds,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
