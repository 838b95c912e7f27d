"""The crawl keeps a host to `concurrency` requests at a time, however many crawl workers
it runs (it runs more workers than request slots, so that parsing and storing a page does
not leave its slot idle; how close that gets to the bound is bench/'s figure 1)."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import date

from checker.crawl.crawler import CrawlSettings, crawl

from .localsite import NOT_FOUND, LocalSite

LATENCY = 0.05


def slow_site(pages: int):
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()
    links = "".join(f"<li><a href='/p{i}.html'>第{i}号通知</a><span>2026-01-01</span></li>" for i in range(pages))
    home = f"<html><head><title>首页</title></head><body><ul>{links}</ul></body></html>".encode()

    def handler(path, _headers):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        try:
            time.sleep(LATENCY)
            if path == "/":
                return 200, {"Content-Type": "text/html; charset=utf-8"}, home
            if path.startswith("/p"):
                body = f"<html><head><title>通知 {path}</title></head><body><p>{'正文' * 400}</p></body></html>"
                return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode()
            return NOT_FOUND
        finally:
            with lock:
                state["now"] -= 1

    return handler, state


def test_requests_to_a_host_never_exceed_the_concurrency_and_reach_it(tmp_path):
    handler, state = slow_site(60)
    with LocalSite(handler) as site:
        settings = CrawlSettings(start_url=site.base + "/", concurrency=3, as_of=date(2026, 11, 21), render="never",
                                 obey_robots=False, warc=False)
        summary = asyncio.run(crawl(settings, tmp_path / "s.sqlite"))
    assert summary.status == "complete" and summary.pages == 61
    assert state["peak"] == 3
