"""The crawl loop against a real HTTP server on 127.0.0.1 serving a small county portal:
GBK pages, a WAF 403, a broken link, robots.txt, off-site links and redirects, an
attachment, a JSON endpoint. The snapshot is read back with `Snapshot`, as the engine will."""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import threading
import time
from datetime import date

import pytest

from checker import __version__
from checker.crawl import traps as traps_module
from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.pages import BINARY_EXTENSIONS, is_binary, looks_like_html
from checker.site.snapshot import Snapshot

from .localsite import NOT_FOUND, LocalSite

AS_OF = date(2026, 3, 1)
ISO_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def gbk_page(title: str, body: str, *, label: str = "gb2312") -> bytes:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={label}">'
            f"<title>{title}</title></head><body>{body}</body></html>").encode("gbk")


def utf8_page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}</body></html>").encode()


NAV = ('<div class="nav"><a href="/">首页</a><a href="/zwgk/index.html">政府信息公开</a>'
       '<a href="/xxgk/list.html">通知公告</a></div>')
FOOTER = '<div class="footer">主办：平城区人民政府办公室 网站标识码：1402130001 晋ICP备05001234号</div>'

ART = ('<table class="xxgk"><tr><td>索引号：</td><td>11140213MB0123456X/2024-{n:05d}</td>'
       "<td>文号：</td><td>平政办发〔2024〕{n}号</td></tr><tr><td>发布机构：</td><td>平城区人民政府办公室</td>"
       "<td>发布日期：</td><td>2024-02-{n:02d}</td></tr></table>"
       '<div class="article"><h1>{title}</h1><p>{text}</p></div>')


def site_pages() -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = {"Content-Type": "text/html"}  # no charset: the page's own meta must decide
    home = gbk_page("平城区人民政府", NAV + (
        '<div class="main"><a href="/zwgk/index.html">政府信息公开</a>'
        '<a href="/xxgk/list.html">通知公告</a>'
        '<a href="/shjz/">社会救助</a>'
        '<a href="/lszt/">历史专题</a>'
        '<a href="/private/secret.html">内部资料</a>'
        '<a href="/files/2024report.pdf">2024年政府信息公开工作年度报告（PDF）</a>'
        '<a href="/api/info.json">数据接口</a>'
        '<a href="/old/">旧版栏目</a>'
        '<a href="/go-city">市级平台</a>'
        '<a href="http://www.shanxi.gov.cn/">山西省人民政府</a>'
        "<p>副区长 王珺 主持召开常务会议。</p></div>") + FOOTER)
    zwgk = gbk_page("政府信息公开", NAV + (
        '<div class="main"><a href="/zwgk/zn.html">政府信息公开指南</a>'
        '<a href="/zwgk/nb.html">政府信息公开年报</a></div>') + FOOTER, label="gbk")
    zn = gbk_page("政府信息公开指南", NAV + ART.format(
        n=3, title="平城区政府信息公开指南", text="依申请公开受理机构：平城区人民政府办公室，电话 0352-1234567。") + FOOTER)
    nb = gbk_page("政府信息公开年报", NAV + '<div class="list"><ul></ul><p>暂无信息</p></div>' + FOOTER)
    items = "".join(
        f'<li><a href="/art/{n}.html">关于印发平城区2024年第{n}号工作通知</a><span>2024-02-{n:02d}</span></li>'
        for n in (1, 2, 3))
    listing = utf8_page("通知公告", NAV + '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 通知公告</div>'
                        + f'<div class="list"><ul>{items}</ul></div>' + FOOTER)
    waf = gbk_page("网站防火墙", "<h1>您的请求带有不合法参数，已被网站管理员设置拦截！</h1><p>网站防火墙 安全狗</p>")
    pages = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": (200, html, home),
        "/zwgk/": (200, html, zwgk),
        "/zwgk/zn.html": (200, {"Content-Type": "text/html; charset=GBK"}, zn),
        "/zwgk/nb.html": (200, html, nb),
        "/xxgk/list.html": (200, {"Content-Type": "text/html; charset=utf-8"}, listing),
        "/shjz/": (403, html, waf),
        "/private/secret.html": (200, html, gbk_page("内部资料", "<p>不应被抓取</p>")),
        "/files/2024report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 not fetched"),
        "/api/info.json": (200, {"Content-Type": "application/json"}, '{"name": "平城区"}'.encode()),
        "/old/": (301, {"Location": "/zwgk/index.html"}, b""),
        "/go-city": (302, {"Location": "http://www.dt.gov.cn/zwgk/"}, b""),
    }
    pages["/zwgk/index.html"] = pages["/zwgk/"]  # where /old/ redirects, spelled as the server does
    for n in (1, 2, 3):
        pages[f"/art/{n}.html"] = (200, {"Content-Type": "text/html; charset=utf-8"}, utf8_page(
            f"关于印发平城区2024年第{n}号工作通知", NAV + ART.format(
                n=n, title=f"关于印发平城区2024年第{n}号工作通知", text="各乡镇人民政府、区直各单位：现将有关事项通知如下。")
            + FOOTER))
    return pages


class Site(LocalSite):
    """A local server serving `pages`, with optional per-path delays and random jitter;
    records each request's arrival time."""

    def __init__(self, pages, *, jitter: float = 0.0, seed: int = 0, delays: dict[str, float] | None = None):
        self.pages, self.on_hit = pages, None
        self.delays, self.times = delays or {}, []
        self._lock, self._rng, self._jitter = threading.Lock(), random.Random(seed), jitter
        super().__init__(self._answer)

    def _answer(self, path: str, _headers: dict[str, str]):
        with self._lock:
            self.times.append((path, time.monotonic()))
            pause = self._rng.uniform(0, self._jitter) + self.delays.get(path, 0.0)
        if self.on_hit:
            self.on_hit(path)
        if pause:
            time.sleep(pause)
        return self.pages.get(path, NOT_FOUND)


def run(site: Site, path, **overrides):
    settings = CrawlSettings(start_url=site.base + "/", as_of=AS_OF, timeout=5, retries=0, **overrides)
    return asyncio.run(crawl(settings, path))


@pytest.fixture
def site():
    with Site(site_pages()) as s:
        yield s


def test_full_crawl_of_a_small_portal(site, tmp_path):
    path = tmp_path / "snapshot.sqlite"
    summary = run(site, path)
    b = site.base
    with Snapshot(path) as snap:
        meta = snap.meta
        pages = {p.url: p for p in snap.pages()}
        errors = {e.url: e for e in snap.errors()}
        queued = snap.queued()

    assert summary.status == "complete", summary
    assert meta["status"] == "complete" and meta["budget_exhausted"] == "false"
    assert meta["start_url"] == b + "/" and json.loads(meta["hosts"]) == [b.removeprefix("http://")]
    assert meta["as_of"] == "2026-03-01" and meta["robots"] == "obeyed" and meta["tool_version"] == __version__
    assert ISO_SECONDS.match(meta["started_at"]) and ISO_SECONDS.match(meta["finished_at"])
    assert json.loads(meta["settings"])["max_pages"] == 3000
    assert queued == []

    assert set(pages) == {
        b + "/", b + "/zwgk/", b + "/zwgk/zn.html", b + "/zwgk/nb.html", b + "/xxgk/list.html",
        b + "/art/1.html", b + "/art/2.html", b + "/art/3.html", b + "/api/info.json", b + "/old/", b + "/go-city",
        b + "/files/2024report.pdf",
    }
    assert {u: (e.kind, e.status) for u, e in errors.items()} == {
        b + "/shjz/": ("blocked", 403),
        b + "/lszt/": ("http", 404),
        b + "/private/secret.html": ("robots", None),
    }
    assert errors[b + "/lszt/"].referrer == b + "/" and errors[b + "/lszt/"].anchor == "历史专题"
    assert "安全狗" in errors[b + "/shjz/"].message
    assert (summary.pages, summary.errors, summary.blocked) == (12, 3, 1)

    # Decoded Chinese, no mojibake, whatever the page's charset label.
    home = pages[b + "/"]
    assert home.depth == 0 and home.kind == "home" and home.status == 200
    assert "平城区人民政府" in home.title and "王珺" in home.text  # 珺 is GBK-only, labelled gb2312
    assert home.encoding_source == "meta"
    assert "政府信息公开" in pages[b + "/zwgk/"].title
    assert "政府信息公开指南" in pages[b + "/zwgk/zn.html"].title
    assert pages[b + "/zwgk/zn.html"].encoding_source == "header"
    assert ISO_SECONDS.match(home.fetched_at) and home.size > 0 and len(home.sha256) == 64
    listing = pages[b + "/xxgk/list.html"]
    assert listing.kind == "list" and [i.url for i in listing.list_items] == [b + f"/art/{n}.html" for n in (1, 2, 3)]
    assert listing.list_items[0].date == date(2024, 2, 1)
    art = pages[b + "/art/1.html"]
    assert art.depth == 2 and art.kind == "detail"
    assert art.meta.get("文号") == "平政办发〔2024〕1号" and art.published == date(2024, 2, 1)

    # Links are recorded whether or not they were followed.
    home_links = {lk.url: lk for lk in home.links}
    assert home_links["http://www.shanxi.gov.cn/"].internal is False
    assert b + "/files/2024report.pdf" in home_links
    assert site.hits["/private/secret.html"] == 0
    # An attachment with a text extractor is downloaded once and stored as an attachment
    # page titled by its link; this one is no real PDF: no text, a problem, no crash.
    assert site.hits["/files/2024report.pdf"] == 1
    pdf = pages[b + "/files/2024report.pdf"]
    assert pdf.status == 200 and pdf.kind == "attachment" and pdf.content_type == "application/pdf"
    assert pdf.title == "2024年政府信息公开工作年度报告（PDF）"
    assert pdf.text == "" and pdf.size == len(b"%PDF-1.4 not fetched") and "attachment: cannot parse" in pdf.problem
    assert not any("shanxi" in u or "dt.gov.cn" in u for u in [*pages, *errors])

    # Redirects: followed inside the scope, recorded but not followed out of it.
    assert pages[b + "/old/"].final_url == b + "/zwgk/index.html"
    city = pages[b + "/go-city"]
    assert city.status == 302 and city.final_url == b + "/go-city"
    assert [(lk.url, lk.internal) for lk in city.links] == [("http://www.dt.gov.cn/zwgk/", False)]
    assert "out of scope" in city.problem

    other = pages[b + "/api/info.json"]
    assert other.kind == "other" and other.text == "" and other.content_type == "application/json"

    # Every path was requested once at most (robots.txt once per origin).
    assert max(site.hits.values()) == 1, site.hits


def test_page_budget_makes_a_partial_scan(site, tmp_path):
    path = tmp_path / "snapshot.sqlite"
    summary = run(site, path, max_pages=3)
    with Snapshot(path) as snap:
        fetched = [p.url for p in snap.pages()] + [e.url for e in snap.errors() if e.kind not in ("robots", "budget")]
        assert snap.meta["status"] == "partial" and snap.meta["budget_exhausted"] == "true"
        assert "max_pages=3" in snap.meta["status_reason"]
        assert snap.queued(), "what was not fetched stays in the frontier"
    assert summary.status == "partial" and summary.budget_exhausted
    assert len(fetched) == 3


def test_depth_limit_is_reported_as_partial(site, tmp_path):
    path = tmp_path / "snapshot.sqlite"
    summary = run(site, path, max_depth=1)
    with Snapshot(path) as snap:
        depths = {p.depth for p in snap.pages()}
        urls = {p.url for p in snap.pages()}
    assert depths == {0, 1} and site.base + "/art/1.html" not in urls
    assert summary.status == "partial" and summary.budget_exhausted and "max_depth=1" in summary.status_reason


def test_trap_limit_skips_without_fetch_errors(tmp_path, monkeypatch):
    monkeypatch.setitem(traps_module.LIMITS, "calendar", 3)
    links = "".join(f'<a href="/cal/?date=2024-03-{d:02d}">{d}日</a>' for d in range(1, 8))
    pages = {"/": (200, {"Content-Type": "text/html; charset=utf-8"}, utf8_page("日历", links))}
    with Site(pages) as s:
        summary = run(s, tmp_path / "s.sqlite")
        with Snapshot(tmp_path / "s.sqlite") as snap:
            errors = snap.errors()
            traps = snap.traps()
    # The start URL is no trap; /cal/?date=… admits 3 (404 here), skips 4 without fetching them.
    assert {e.url for e in errors} == {f"{s.base}/cal/?date=2024-03-{d:02d}" for d in (1, 2, 3)}
    assert [(t.kind, t.skipped_count, t.example_url) for t in traps] == [
        ("calendar", 4, f"{s.base}/cal/?date=2024-03-04")]
    assert all(s.hits[f"/cal/?date=2024-03-{d:02d}"] == 0 for d in (4, 5, 6, 7))
    assert summary.status == "complete" and "4 trap URLs skipped" in summary.status_reason


def test_same_pages_whatever_the_timing(tmp_path, monkeypatch):
    """The trap limit and the page budget cut at the same place however the server's
    response times fall: workers finish in any order, the snapshot holds the same pages."""
    monkeypatch.setitem(traps_module.LIMITS, "calendar", 5)
    html = {"Content-Type": "text/html; charset=utf-8"}
    columns = ["zwgk", "xxgk", "tzgg", "zcjd", "rsxx", "jgzn"]
    pages = {"/": (200, html, utf8_page("首页", "".join(f'<a href="/{c}/">{c}</a>' for c in columns)))}
    for i, col in enumerate(columns):
        nxt = columns[(i + 1) % len(columns)]
        links = [f"/{col}/?date=2024-01-{k + 1:02d}" for k in range(4)] + [
            f"/{nxt}/?date=2024-01-{k + 1:02d}" for k in range(2, 6)]
        pages[f"/{col}/"] = (200, html, utf8_page(col, "".join(f'<a href="{u}">{u}</a>' for u in links)))
        for k in range(6):
            pages[f"/{col}/?date=2024-01-{k + 1:02d}"] = (200, html, utf8_page(f"{col}{k}", "<p>正文</p>"))
    results = []
    for seed in (1, 2, 3):
        with Site(pages, jitter=0.01, seed=seed) as s:
            path = tmp_path / f"s{seed}.sqlite"
            summary = run(s, path, max_pages=20, concurrency=4)
            with Snapshot(path) as snap:
                results.append(({(p.url.removeprefix(s.base), p.depth) for p in snap.pages()},
                                {(e.url.removeprefix(s.base), e.kind) for e in snap.errors()},
                                {(t.pattern.removeprefix(s.base[7:]), t.skipped_count) for t in snap.traps()}))
        assert summary.status == "partial"
    assert results[0] == results[1] == results[2]
    page_set, error_set, trap_set = results[0]
    assert len(page_set) == 20 and error_set == set()
    assert len(trap_set) == 6  # ?date=…06 of every column was the sixth of its shape


def test_time_budget_stops_in_flight_fetches(tmp_path):
    html = {"Content-Type": "text/html; charset=utf-8"}
    pages = {"/": (200, html, utf8_page("首页", "".join(f'<a href="/s{i}/">栏目{i}</a>' for i in range(4))))}
    pages.update({f"/s{i}/": (200, html, utf8_page(f"栏目{i}", "<p>慢</p>")) for i in range(4)})
    # The slow pages take far longer than the budget, so that waiting for them cannot pass
    # for the set-up and closing of a crawl on a busy machine (CI saw 1.3 s in all).
    with Site(pages, delays={f"/s{i}/": 4.0 for i in range(4)}) as s:
        started = time.monotonic()
        summary = run(s, tmp_path / "s.sqlite", max_seconds=0.3)
        took = time.monotonic() - started
    assert took < 2.5  # did not wait for the slow pages
    assert summary.status == "partial" and summary.budget_exhausted and "max_seconds" in summary.status_reason
    with Snapshot(tmp_path / "s.sqlite") as snap:
        assert [p.url for p in snap.pages()] == [s.base + "/"]
        assert sorted(snap.queued()) == [f"{s.base}/s{i}/" for i in range(4)]  # resumable


def test_robots_crawl_delay_spaces_requests(tmp_path):
    html = {"Content-Type": "text/html; charset=utf-8"}
    pages = {"/robots.txt": (200, {}, b"User-agent: *\nCrawl-delay: 0.2\n"),
             "/": (200, html, utf8_page("首页", "".join(f'<a href="/p{i}.html">{i}</a>' for i in range(3))))}
    pages.update({f"/p{i}.html": (200, html, utf8_page(str(i), "<p>x</p>")) for i in range(3)})
    with Site(pages) as s:
        run(s, tmp_path / "s.sqlite", concurrency=4)
    starts = [t for path, t in s.times if path != "/robots.txt"]
    assert len(starts) == 4
    # Arrival times at the server jitter under CPU load (CI has 2 cores), so the delay is
    # large and the bound leaves room: requests started 0.2 s apart never arrive 0.12 s apart.
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.12


def test_unreachable_start_url(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now: connection refused
    path = tmp_path / "snapshot.sqlite"
    settings = CrawlSettings(start_url=f"http://127.0.0.1:{port}/", as_of=AS_OF, timeout=2, retries=0)
    summary = asyncio.run(crawl(settings, path))
    assert summary.status == "unreachable" and "connect" in summary.status_reason
    with Snapshot(path) as snap:
        assert snap.meta["status"] == "unreachable" and snap.meta["finished_at"]
        assert len(snap) == 0
        assert [(e.url, e.kind) for e in snap.errors()] == [(f"http://127.0.0.1:{port}/", "connect")]


def test_blocked_start_page_is_unreachable(tmp_path):
    pages = {"/": (412, {"Content-Type": "text/html"}, b"<html><script>$_ts={};</script></html>")}
    with Site(pages) as s:
        summary = run(s, tmp_path / "s.sqlite")
    assert summary.status == "unreachable" and "blocked" in summary.status_reason


def test_resume_after_page_budget_fetches_only_the_rest(site, tmp_path):
    full = tmp_path / "full.sqlite"
    run(site, full)
    with Snapshot(full) as snap:
        expected = {p.url for p in snap.pages()}
        expected_errors = {(e.url, e.kind) for e in snap.errors()}
    site.hits.clear()

    path = tmp_path / "snapshot.sqlite"
    first = run(site, path, max_pages=4)
    assert first.status == "partial"
    with Snapshot(path) as snap:
        started_at = snap.meta["started_at"]
    settings = CrawlSettings(start_url=site.base + "/", as_of=date(2026, 3, 9), timeout=5, retries=0)
    second = asyncio.run(crawl(settings, path, resume=True))
    assert second.status == "complete", second
    with Snapshot(path) as snap:
        assert {p.url for p in snap.pages()} == expected
        assert {(e.url, e.kind) for e in snap.errors()} == expected_errors
        assert snap.meta["started_at"] == started_at and snap.meta["as_of"] == "2026-03-01"
        assert snap.meta["status"] == "complete" and snap.queued() == []
    assert second.pages == len(expected)
    hits = {p: n for p, n in site.hits.items() if p != "/robots.txt"}
    assert max(hits.values()) == 1, hits  # nothing fetched twice across the two runs


def test_cancelled_crawl_leaves_a_valid_snapshot_and_resumes(site, tmp_path):
    full = tmp_path / "full.sqlite"
    run(site, full)
    with Snapshot(full) as snap:
        expected = {p.url for p in snap.pages()}
    site.hits.clear()

    path = tmp_path / "snapshot.sqlite"
    settings = CrawlSettings(start_url=site.base + "/", as_of=AS_OF, timeout=5, retries=0, concurrency=1)

    async def interrupted():
        task = asyncio.create_task(crawl(settings, path))
        loop = asyncio.get_running_loop()

        def on_hit(p):
            if p == "/zwgk/zn.html":  # a depth-2 page: cancel while it is in flight
                loop.call_soon_threadsafe(task.cancel)
                time.sleep(0.05)

        site.on_hit = on_hit
        with pytest.raises(asyncio.CancelledError):
            await task
        site.on_hit = None

    asyncio.run(interrupted())
    with Snapshot(path) as snap:
        assert snap.meta["status"] == "interrupted" and snap.meta["finished_at"]
        stored_first = {p.url for p in snap.pages()}
        assert stored_first and site.base + "/zwgk/zn.html" not in stored_first
        assert snap.queued()

    summary = asyncio.run(crawl(settings, path, resume=True))
    assert summary.status == "complete", summary
    with Snapshot(path) as snap:
        assert {p.url for p in snap.pages()} == expected
    for url in stored_first:  # pages stored before the interruption were never fetched again
        assert site.hits[url.removeprefix(site.base)] == 1
    # Repeated: only what was in flight at the interruption, the request cut off and any
    # page still being parsed (a redirect repeats its target too), never a stored page.
    twice = {site.base + p for p, n in site.hits.items() if n > 1 and p != "/robots.txt"}
    assert site.base + "/zwgk/zn.html" in twice
    redirected = {site.base + "/zwgk/index.html"} if site.base + "/old/" in twice else set()
    assert not (twice - redirected) & stored_first
    assert len(twice) <= 3  # the request cut off, and the other worker's page with its redirect target


def test_helpers():
    assert {"pdf", "docx", "xlsx", "wps", "et", "zip", "rar", "mp4"} <= BINARY_EXTENSIONS
    assert is_binary("http://a.gov.cn/files/年报.PDF") and not is_binary("http://a.gov.cn/art/1.html")
    assert not is_binary("http://a.gov.cn/pdf/")
    assert looks_like_html("", b"\xef\xbb\xbf  <!DOCTYPE html><html>")
    assert looks_like_html("application/xhtml+xml", b"")
    assert not looks_like_html("application/pdf", b"<html>")
    assert not looks_like_html("text/plain", b"User-agent: *")


def test_undecodable_page_is_a_decode_error_not_a_page(tmp_path):
    """Text no charset fits is not judged: the page becomes a 'decode' error with the link's
    anchor, so the engine reports the column behind it as unknown, never as failing."""
    rng = __import__("random").Random(7)
    garbage = b"\xff\xfe\x80" + bytes(rng.randrange(128, 256) for _ in range(2000))
    html = {"Content-Type": "text/html; charset=utf-8"}
    pages = {"/": (200, html, utf8_page("首页", '<a href="/qzqd/">权责清单</a>')),
             "/qzqd/": (200, html, garbage)}
    with Site(pages) as s:
        summary = run(s, tmp_path / "s.sqlite")
    assert summary.status == "complete"
    with Snapshot(tmp_path / "s.sqlite") as snap:
        assert snap.get(s.base + "/qzqd/") is None
        err = snap.error_for(s.base + "/qzqd/")
        assert err.kind == "decode" and err.anchor == "权责清单" and "cannot decode" in err.message
