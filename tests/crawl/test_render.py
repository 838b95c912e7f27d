"""Rendering in Chromium: a list drawn by script from a JSON API is read from the
browser's DOM, its endpoint recorded and used directly for a sibling column; without a
browser the scan goes on unrendered and says so."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pytest

from checker.crawl import browser
from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.render import endpoint_template, fill_template, json_records, matches_any
from checker.site.snapshot import Snapshot

from .browserskip import needs_browser
from .localsite import NOT_FOUND, LocalSite

AS_OF = date(2024, 6, 1)
HTML = {"Content-Type": "text/html; charset=utf-8"}
NAV = '<div class="nav"><a href="/">首页</a><a href="/gkmlpt/col/1001/">政策文件</a></div>'
FOOT = '<div class="footer">主办：某某县人民政府 网站标识码：4400000001</div>'


def column(cid: int, sibling: str = "") -> bytes:
    # Guangdong gkmlpt-style: an empty list with a template, filled from the JSON API.
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政策文件</title></head><body>{NAV}'
            '<div class="position">当前位置：<a href="/">首页</a> &gt; 政策文件</div>'
            f'<div class="side">{sibling}</div>'
            '<div class="list"><ul id="items"><li v-for="d in docs"><a :href="d.url">{{ d.title }}</a>'
            "<span>{{ d.date }}</span></li></ul></div>"
            f"<script>fetch('/gkmlpt/api/all/{cid}?page=1&sid=4400').then(r => r.json()).then(j => {{"
            "document.getElementById('items').innerHTML = j.articles.map(d => "
            "`<li><a href=\"${d.url}\">${d.title}</a><span>${d.date}</span></li>`).join('');});</script>"
            f"{FOOT}</body></html>").encode()


def docs(cid: int) -> list[dict]:
    return [{"id": cid * 10 + n, "title": f"某某县关于第{cid}-{n}号事项的通知", "url": f"/gkmlpt/content/{cid}/{n}.html",
             "date": f"2024-05-{n:02d}"} for n in range(1, 5)]


def handler(path: str, _headers: dict) -> tuple:
    if path == "/":
        return 200, HTML, f'<html><body>{NAV}<div class="main"><a href="/gkmlpt/col/1001/">政策文件</a></div>{FOOT}</body></html>'.encode()
    if path == "/gkmlpt/col/1001/":
        return 200, HTML, column(1001, '<a href="/gkmlpt/col/1002/">规范性文件</a>')
    if path == "/gkmlpt/col/1002/":
        return 200, HTML, column(1002)
    for cid in (1001, 1002):
        if path.startswith(f"/gkmlpt/api/all/{cid}?"):
            return 200, {"Content-Type": "application/json"}, json.dumps(
                {"total": 4, "articles": docs(cid)}, ensure_ascii=False).encode()
    if path.startswith("/gkmlpt/content/"):
        return 200, HTML, (f'<html><body>{NAV}<div class="article"><h1>通知</h1><p>{"正文内容。" * 40}</p></div>'
                           f"{FOOT}</body></html>").encode()
    return NOT_FOUND


def run(base, path, **kw):
    settings = CrawlSettings(start_url=base + "/", as_of=AS_OF, timeout=10, retries=0, **kw)
    return asyncio.run(crawl(settings, path))


def test_json_records_and_endpoint_templates():
    data = {"code": 0, "data": {"page": 1, "list": [{"title": "关于…的通知", "url": "/a/1.html", "pubDate": "2024-01-02"},
                                                   {"title": "关于…的公告", "url": "/a/2.html", "pubDate": "2024-01-03"}]}}
    assert len(json_records(data)) == 2
    assert json_records({"menu": [{"name": "x"}], "ok": True}) == []  # names alone are not list data
    tpl = endpoint_template("http://a/gkmlpt/col/1001/", "http://a/gkmlpt/api/all/1001?page=1&sid=4400")
    assert tpl is not None
    assert fill_template(*tpl, "http://a/gkmlpt/col/1002/") == "http://a/gkmlpt/api/all/1002?page=1&sid=4400"
    assert endpoint_template("http://a/zwgk/list.html", "http://a/api/news?page=1") is None
    assert matches_any("http://a/gkmlpt/col/1/", ["*/gkmlpt/*"]) and not matches_any("http://a/x", ["*/gkmlpt/*"])


@needs_browser
def test_script_filled_list_is_rendered_and_its_endpoint_reused(tmp_path):
    with LocalSite(handler) as site:
        summary = run(site.base, tmp_path / "s.sqlite")
        api_hits = {p: n for p, n in site.hits.items() if "/api/" in p}
    b = site.base
    assert summary.status == "complete", summary
    with Snapshot(tmp_path / "s.sqlite") as snap:
        first, second = snap.get(b + "/gkmlpt/col/1001/"), snap.get(b + "/gkmlpt/col/1002/")
        endpoints = snap.endpoints()
        render_meta = json.loads(snap.meta["render"])
        details = {p.url for p in snap.pages() if p.kind == "detail"}
    assert first.rendered and first.kind == "list"
    assert [(i.title, i.date) for i in first.list_items] == [
        (d["title"], date(2024, 5, int(d["date"][-2:]))) for d in docs(1001)]
    assert "rendered in a browser" in first.problem and "raw HTML: " in first.problem
    assert (b + "/gkmlpt/api/all/1001?page=1&sid=4400", b + "/gkmlpt/col/1001/", 4) in endpoints
    # The sibling column is read from its endpoint, without a browser.
    assert not second.rendered and [i.title for i in second.list_items] == [d["title"] for d in docs(1002)]
    assert "JSON endpoint" in second.problem
    assert (b + "/gkmlpt/api/all/1002?page=1&sid=4400", b + "/gkmlpt/col/1002/", 4) in endpoints
    assert render_meta["rendered"] == 1 and render_meta["from_endpoints"] == 1 and render_meta["used"] == 1
    assert details == {b + d["url"] for cid in (1001, 1002) for d in docs(cid)}
    assert api_hits  # the browser (and the direct read) asked the API


def test_never_renders_and_records_nothing(tmp_path):
    with LocalSite(handler) as site:
        run(site.base, tmp_path / "s.sqlite", render="never")
        b = site.base
        assert not any("/api/" in p for p in site.hits)
    with Snapshot(tmp_path / "s.sqlite") as snap:
        page = snap.get(b + "/gkmlpt/col/1001/")
        assert not page.rendered and page.list_items == () and snap.endpoints() == []
        assert json.loads(snap.meta["render"])["mode"] == "never"


def test_no_chromium_means_unrendered_not_failed(tmp_path, monkeypatch):
    def absent():
        raise browser.BrowserUnavailable("Chromium not found (test)")

    monkeypatch.setattr(browser, "chromium_path", absent)
    with LocalSite(handler) as site:
        summary = run(site.base, tmp_path / "s.sqlite")
        b = site.base
    assert summary.status == "complete"
    with Snapshot(tmp_path / "s.sqlite") as snap:
        page = snap.get(b + "/gkmlpt/col/1001/")
        assert not page.rendered and "not rendered" in page.problem and "Chromium not found" in page.problem
        assert "Chromium not found" in json.loads(snap.meta["render"])["unavailable"]


def test_render_mode_is_checked(tmp_path):
    with pytest.raises(ValueError):
        asyncio.run(crawl(CrawlSettings(start_url="http://127.0.0.1:9/", render="sometimes"), tmp_path / "x.sqlite"))
