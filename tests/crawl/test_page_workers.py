"""Pages parsed in worker processes (pages.ParserPool) are the pages parsed in the crawl's
own process: same records, same snapshot; a page a worker cannot finish costs that page
only, as a 'parse' error."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date

import pytest

from checker.crawl import pages
from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.pages import PageJob, ParseFailed, ParserPool, build_page
from checker.demo.server import DemoPortal
from checker.site.snapshot import Snapshot

TODAY = date(2026, 11, 21)
# Per-scan values: the time of the fetch and where the response sits in each scan's WARC.
PER_SCAN = {"fetched_at", "warc_record", "warc_offset", "page_id"}

GBK_LIST = ("<html><head><meta charset='gb2312'><title>通知公告_云溪县人民政府</title></head><body>"
            "<div class='bread'>首页 &gt; 政务公开 &gt; 通知公告</div><ul class='list'>"
            + "".join(f"<li><a href='./t2026_{i}.html'>关于镕基项目第{i}批公示</a><span>2026-03-{i:02d}</span></li>"
                      for i in range(1, 9))
            + "</ul><div class='footer'>网站标识码：1400000001</div></body></html>").encode("gbk")


def job(body: bytes, url: str = "http://127.0.0.1:1/zwgk/tzgg/") -> PageJob:
    return PageJob(url=url, final_url=url, status=200, fetched_at="2026-11-21T00:00:00Z", depth=1,
                   content_type="text/html", content_length=str(len(body)), body=body, tls_problem="",
                   redirect_to="", scope=("http://127.0.0.1:1/", ()), today=TODAY, is_home=False)


def comparable(page) -> dict:
    return {k: v for k, v in dataclasses.asdict(page).items() if k not in PER_SCAN}


def test_a_worker_builds_the_record_the_crawl_process_builds():
    pool = ParserPool(1)
    try:
        here, there = build_page(job(GBK_LIST)), pool.parse(job(GBK_LIST))
    finally:
        pool.close()
    assert there == here
    assert there.kind == "list" and len(there.list_items) == 8 and there.encoding == "gb18030"
    assert there.list_items[0].title == "关于镕基项目第1批公示"  # 镕: a GBK-only character


def test_page_workers_start_with_the_pool_not_with_the_first_page():
    # So their imports overlap the crawl's first requests instead of delaying its first page.
    pool = ParserPool(2)
    try:
        assert pool._pool.live() == 2
        assert pool.parse(job(GBK_LIST)).kind == "list"
        assert pool._pool.live() == 2  # the page went to a started worker, none was added
    finally:
        pool.close()
    assert pool._pool.live() == 0


def test_undecodable_bytes_raise_the_same_error_through_a_worker():
    body = b"<html><head><meta charset='utf-8'></head><body>" + bytes(range(128, 256)) * 50 + b"</body></html>"
    pool = ParserPool(1)
    try:
        with pytest.raises(pages.Undecodable):
            build_page(job(body))
        with pytest.raises(pages.Undecodable):
            pool.parse(job(body))
    finally:
        pool.close()


def test_a_worker_that_overruns_its_time_is_killed_and_the_page_fails_alone(monkeypatch):
    pool = ParserPool(1)
    try:
        monkeypatch.setattr(pages, "PARSE_TIMEOUT", 0.000001)
        with pytest.raises(ParseFailed, match="took longer than"):
            pool.parse(job(GBK_LIST * 200))
        monkeypatch.setattr(pages, "PARSE_TIMEOUT", 60.0)
        assert pool.parse(job(GBK_LIST)).kind == "list"  # a fresh worker took over
    finally:
        pool.close()


def _pages_of(path) -> dict:
    with Snapshot(path) as snap:
        return {p.url: comparable(p) for p in snap.pages()}, sorted((e.url, e.kind) for e in snap.errors())


def test_a_crawl_with_page_workers_stores_what_an_in_process_crawl_stores(tmp_path, monkeypatch):
    parsed_by_workers = []
    real_parse = ParserPool.parse
    monkeypatch.setattr(ParserPool, "parse", lambda self, job: parsed_by_workers.append(job.url) or real_parse(self, job))
    with DemoPortal(today=TODAY) as portal:
        home = portal.base_url
        results = {}
        for workers in (0, 2):
            settings = CrawlSettings(start_url=portal.base_url, as_of=TODAY, concurrency=4, parse_workers=workers,
                                     render="never")
            path = tmp_path / f"w{workers}.sqlite"
            assert asyncio.run(crawl(settings, path)).status == "complete"
            results[workers] = _pages_of(path)
    inline, pooled = results[0], results[2]
    assert len(inline[0]) > 100 and len(parsed_by_workers) > 100
    assert pooled == inline
    # The homepage is parsed in the crawl's process: nothing else can start before its
    # links are known, and the workers may still be starting.
    assert inline[0][home]["kind"] == "home" and home not in parsed_by_workers


def test_ctrl_c_to_the_process_group_leaves_the_workers_to_the_crawl():
    # Ctrl-C in a terminal signals every process of the group: the crawl handles it (and
    # stops cleanly); a worker must not die mid-page, or that page becomes a parse error.
    import os
    import signal
    import time

    pool = ParserPool(1)
    try:
        assert pool.parse(job(GBK_LIST)).kind == "list"
        worker = next(iter(pool._pool._all))
        os.kill(worker.proc.pid, signal.SIGINT)
        time.sleep(0.2)
        assert worker.proc.poll() is None
        assert pool.parse(job(GBK_LIST)).kind == "list"
    finally:
        pool.close()
