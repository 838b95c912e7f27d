"""Crawler traps: what `classify` calls a trap, and a trap site crawled for real — a calendar
marching forward for ever, session ids minted per request, a relative link that grows the
path on every hop, print copies of every document — beside a TRS column of 1500 documents
that is not a trap and must be crawled whole."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from datetime import date

import pytest

from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.traps import LIMITS, TrapGuard, classify, trap_pattern, without_session
from checker.site.snapshot import Snapshot

from .localsite import LocalSite

B = "http://www.pc.gov.cn"


@pytest.mark.parametrize(("url", "anchor", "kind"), [
    # Documents and columns: never traps.
    (B + "/zwgk/gfxwj/202403/t20240301_123.html", "", None),
    (B + "/zwgk/gfxwj/index_12.html", "", None),
    (B + "/zwgk/?id=20240301", "", None),
    (B + "/info?channelid=123&page=4", "", None),
    (B + "/zwgk/share/", "", None),
    (B + "/art/2024-03-01.html", "", None),
    (B + "/art/1.html", "关于印发打印机采购办法的通知", None),
    # Calendars.
    (B + "/hd/?date=2024-03-01", "", "calendar"),
    (B + "/hd/list.html?year=2024&month=3", "", "calendar"),
    (B + "/calendar/2024/03/", "", "calendar"),
    (B + "/rili/20240301/", "", "calendar"),
    (B + "/hd/?day=20240301", "", "calendar"),
    # Session ids the normaliser does not strip.
    (B + "/p.html?sid=a8f5f167f44f4964e6c998dee827110c", "", "session"),
    (B + "/p.html?PHPSESSID=k3j4h5g6f7d8s9a0", "", "session"),
    (B + "/p.html?k=0123456789abcdef0123456789abcdef", "", "session"),
    (B + "/p.html?t=123e4567-e89b-12d3-a456-426614174000", "", "session"),
    # Growing paths and queries.
    (B + "/zwgk/tzgg/tzgg/tzgg/", "", "growing"),
    (B + "/a/b/a/b/", "", "growing"),
    (B + "/p.html?a=1&a=1", "", "growing"),
    (B + "/p.html?q=" + "x" * 400, "", "growing"),
    # Print and share copies.
    (B + "/art/1.html?print=1", "", "variant"),
    (B + "/print/art/1.html", "", "variant"),
    (B + "/art/1.html?type=print", "", "variant"),
    (B + "/printpage.jsp?id=3", "", "variant"),
    (B + "/art/1.html?share=weixin", "", "variant"),
    (B + "/art/1.html?x=1", "【打印本页】", "variant"),
])
def test_classify(url, anchor, kind):
    assert classify(url, anchor) == kind


def test_growing_paths_share_one_pattern_and_sessions_are_one_page():
    steps = [B + "/zwgk/tzgg/" + "tzgg/" * n for n in range(2, 2 + LIMITS["growing"])]
    assert len({trap_pattern(u, "growing") for u in steps}) == 1
    assert without_session(B + "/p.html?id=7&sid=a8f5f167f44f4964e6c998") == B + "/p.html?id=7"

    guard = TrapGuard()
    assert guard.check(B + "/p.html?id=7&sid=a8f5f167f44f4964e6c998") is None  # first spelling
    assert guard.check(B + "/p.html?id=7&sid=ffff5f167f44f4964e6c998").kind == "session"
    assert guard.check(B + "/p.html?id=8&sid=ffff5f167f44f4964e6c998") is None  # another page
    assert [guard.check(u) for u in steps] == [None] * LIMITS["growing"]
    assert guard.check(B + "/zwgk/tzgg/" + "tzgg/" * 9).kind == "growing"
    assert guard.skipped == 2


def test_a_trs_column_of_1500_documents_is_not_a_trap():
    guard = TrapGuard()
    urls = [f"{B}/zwgk/gfxwj/2024{1 + n % 12:02d}/t2024{1 + n % 12:02d}{1 + n % 28:02d}_{n}.html" for n in range(1500)]
    urls += [f"{B}/zwgk/gfxwj/index_{n}.html" for n in range(1, 100)]  # and its 99 pages of pagination
    assert all(guard.check(u, "平政发〔2024〕1号文件") is None for u in urls)
    assert guard.skipped == 0 and not guard.counts


# ---------------------------------------------------------------------------- trap site

DOCS = 200  # one TRS column: t2024MMDD_N.html, all one url_pattern (1500 in the guard test below)


def _page(title: str, body: str) -> bytes:
    return (f'<html><head><meta charset="gbk"><title>{title}</title></head>'
            f"<body>{body}</body></html>").encode("gbk")


def _doc(n: int) -> str:
    return f"/zwgk/gfxwj/2024{1 + n % 12:02d}/t2024{1 + n % 12:02d}{1 + n % 28:02d}_{n}.html"


class TrapSite(LocalSite):
    """Answers any path: calendars link the next and previous month for ever, every page
    link carries a fresh session id, a relative link appends a folder to the path, and
    every document links its print copy."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.minted = 0
        super().__init__(self._answer)

    def _answer(self, path: str, _headers: dict[str, str]):
        status, body = self.answer(path)
        return status, {"Content-Type": "text/html"}, body

    def sid(self) -> str:
        with self.lock:
            self.minted += 1
            return f"{self.minted:032x}"

    def answer(self, path: str) -> tuple[int, bytes]:
        if path == "/robots.txt":
            return 404, b""
        if path == "/":
            return 200, _page("平城区人民政府", (
                '<div class="nav"><a href="/zwgk/gfxwj/">规范性文件</a><a href="/hd/?date=2024-03-01">活动日历</a>'
                f'<a href="/bszn/?sid={self.sid()}">办事指南</a><a href="tzgg/">通知公告</a></div>'))
        if path.startswith("/hd/"):
            m = re.search(r"date=(\d{4})-(\d{2})", path)
            y, mo = int(m.group(1)), int(m.group(2))
            nxt = f"{y + mo // 12}-{mo % 12 + 1:02d}-01"
            prev = f"{y - (mo == 1)}-{(mo - 2) % 12 + 1:02d}-01"
            return 200, _page(f"活动日历 {y}年{mo}月", f'<a href="/hd/?date={nxt}">下月</a><a href="/hd/?date={prev}">上月</a>')
        if path.startswith("/bszn/"):
            return 200, _page("办事指南", f'<p>办事指南</p><a href="/bszn/?sid={self.sid()}">刷新</a>')
        if path.startswith("/tzgg/"):
            # A relative link gone wrong: every hop appends tzgg/ once more.
            return 200, _page("通知公告", '<p>通知公告</p><a href="tzgg/">通知公告</a>')
        if path.startswith("/zwgk/gfxwj/") and path.endswith("/"):
            items = "".join(f'<li><a href="{_doc(n)}">平政发〔2024〕{n}号文件</a><span>2024-03-01</span></li>'
                            for n in range(DOCS))
            return 200, _page("规范性文件", f'<div class="list"><ul>{items}</ul></div>')
        if path.startswith("/zwgk/gfxwj/2024"):
            return 200, _page("文件", f'<div class="article"><h1>文件</h1><p>正文</p></div>'
                                     f'<a href="{path}?print=1">打印</a><a href="/print{path}">【打印本页】</a>')
        return 404, b"<html><body>404</body></html>"



def test_trap_site_is_bounded_and_reported_and_the_column_is_whole(tmp_path):
    path = tmp_path / "s.sqlite"
    with TrapSite() as site:
        settings = CrawlSettings(start_url=site.base + "/", as_of=date(2026, 3, 1), timeout=5, retries=0,
                                 concurrency=8, max_pages=3000, max_depth=30, warc=False)
        summary = asyncio.run(crawl(settings, path))
    with Snapshot(path) as snap:
        pages = [p.url.removeprefix(site.base) for p in snap.pages()]
        snap_traps = snap.traps()
        traps = {t.kind: t for t in snap_traps}
        errors = snap.errors()
        meta = snap.meta

    # The real column is whole: 1500 documents of one url_pattern are content, not a trap.
    docs = [p for p in pages if p.startswith("/zwgk/gfxwj/2024")]
    assert len(docs) == DOCS
    # Each trap was cut at its bound.
    assert len([p for p in pages if p.startswith("/hd/")]) == LIMITS["calendar"]
    assert len([p for p in pages if p.startswith("/bszn/")]) == 1  # one page, whatever the session id
    assert len([p for p in pages if p.startswith("/tzgg/")]) <= 2 + LIMITS["growing"]
    assert not any("print" in p for p in pages) and not any("print" in p for p in site.hits)

    assert set(traps) == {"calendar", "session", "growing", "variant"}
    variants = [t for t in snap_traps if t.kind == "variant"]
    assert sorted(t.skipped_count for t in variants) == [DOCS, DOCS]  # ?print=1 and /print/… of every document
    assert traps["calendar"].example_url.startswith(site.base + "/hd/?date=")
    assert traps["calendar"].pattern.endswith("/hd/?date")
    # Skipped URLs are not fetch errors: the table holds one row per shape.
    assert errors == []
    assert summary.status == "complete", summary.status_reason
    skipped = sum(t.skipped_count for t in snap_traps)
    assert meta["traps_skipped"] == str(skipped) and f"{skipped} trap URLs skipped" in meta["status_reason"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM frontier WHERE state = 'trap'").fetchone()[0] == skipped
