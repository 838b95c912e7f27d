"""The demo portal's site search behaves like a real one, and the demo scan's search probe
finds the document it searches for."""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import quote

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from checker.crawl.crawler import CrawlSettings, crawl
from checker.demo.server import DemoPortal
from checker.site.records import SEARCH_PROBE
from checker.site.snapshot import Snapshot

TODAY = date(2026, 3, 8)


@pytest.fixture(scope="module")
def portal():
    with DemoPortal(today=TODAY) as p:
        yield p


def _results(portal: DemoPortal, raw_query: str) -> tuple[set[str], str]:
    r = httpx.get(portal.base_url + "search/?" + raw_query)
    assert r.status_code == 200
    tree = HTMLParser(r.text)
    return {a.attributes["href"] for a in tree.css(".search_result a")}, tree.css_first(".search_result").text()


def test_search_reads_a_gbk_encoded_query(portal):
    # The homepage is GBK, so a browser submits its search form's words in GBK.
    gbk_links, _ = _results(portal, "channelid=200001&searchword=" + quote("权责清单", encoding="gbk"))
    utf8_links, _ = _results(portal, "channelid=200001&searchword=" + quote("权责清单"))
    assert "/zwgk/qzqd/" in gbk_links and gbk_links == utf8_links


def test_search_lists_matching_titles_and_says_when_nothing_matches(portal):
    titles = dict(portal.titles())
    links, _ = _results(portal, "searchword=" + quote("政府信息公开指南"))
    assert links and all("政府信息公开指南" in titles[href] for href in links)
    links, text = _results(portal, "searchword=" + quote("不存在的文件标题"))
    assert links == set() and "没有找到与“不存在的文件标题”相关的信息" in text


def test_demo_scan_search_probe_finds_its_document(portal, tmp_path):
    path = tmp_path / "demo.sqlite"
    settings = CrawlSettings(start_url=portal.base_url, as_of=TODAY, timeout=5, retries=0)
    assert asyncio.run(crawl(settings, path)).status == "complete"
    with Snapshot(path) as snap:
        probe = snap.probe(SEARCH_PROBE)
        doc = snap.get(probe.data["expected_url"])
    assert probe.status == 200 and probe.data["found"] is True and probe.data["where"] == "link", probe.data
    assert doc is not None and doc.kind == "detail" and probe.data["query"] in doc.title
    assert probe.url.startswith(portal.base_url + "search/?channelid=200001&searchword=")
