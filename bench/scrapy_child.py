"""The Scrapy baseline, in its own process: same site, same concurrency, robots off, its
HTTP cache off, default parser; follows every same-host link (attachments included, as
our crawler does) and parses each HTML page's title and links.

Run: `python -m bench.scrapy_child URL --concurrency 16`; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse

SKIP = ("javascript:", "mailto:", "tel:", "#")


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, start: str, **kw):
        super().__init__(**kw)
        self.start_urls = [start]
        self.host = urlsplit(start).netloc
        self.pages = 0

    def parse(self, response):
        self.pages += 1
        if not isinstance(response, HtmlResponse):
            return
        yield {"url": response.url, "title": response.css("title::text").get("")}
        for href in response.css("a::attr(href)").getall():
            href = href.strip()
            if not href or href.startswith(SKIP):
                continue
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.host:
                yield scrapy.Request(url, callback=self.parse)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--max-pages", type=int, default=0)
    args = ap.parse_args()
    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "ROBOTSTXT_OBEY": False,
        "HTTPCACHE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "COOKIES_ENABLED": False,
        "DEPTH_LIMIT": 0,
        "CLOSESPIDER_PAGECOUNT": args.max_pages,
        **({"TWISTED_REACTOR": os.environ["BENCH_REACTOR"]} if os.environ.get("BENCH_REACTOR") else {}),
    })
    crawler = process.create_crawler(PortalSpider)
    started = time.perf_counter()
    process.crawl(crawler, start=args.url)
    process.start()
    seconds = time.perf_counter() - started
    stats = crawler.stats.get_stats()
    elapsed = stats.get("elapsed_time_seconds") or seconds
    print(json.dumps({
        "pages": stats.get("response_received_count", 0), "items": stats.get("item_scraped_count", 0),
        "seconds": elapsed, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
