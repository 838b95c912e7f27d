"""JavaScript challenges: a 412 page whose script sets a cookie and reloads (瑞数-style) is
passed once in the browser, and its cookie then serves the plain fetches; a challenge that
never passes stays `blocked`, with the browser retry in the reason."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import httpx

from checker.crawl.crawler import CrawlSettings, crawl
from checker.site.snapshot import Snapshot

from .browserskip import needs_browser
from .localsite import NOT_FOUND, LocalSite

AS_OF = date(2024, 6, 1)
HTML = {"Content-Type": "text/html; charset=utf-8"}
CHALLENGE = (b'<html><head><meta charset="utf-8"><script>var $_ts = {};'
             b'if (document.cookie.indexOf("rs_clearance=") < 0) {'
             b'document.cookie = "rs_clearance=ok42; path=/"; location.reload(); }</script></head><body></body></html>')
NAV = '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政府信息公开</a><a href="/tzgg/">通知公告</a></div>'
FOOT = '<div class="footer">主办：某某县人民政府 网站标识码：1402130001</div>'


def real(title: str, body: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{NAV}'
            f'<div class="main">{body}</div>{FOOT}</body></html>').encode()


PAGES = {
    "/": real("某某县人民政府", '<a href="/zwgk/">政府信息公开</a><a href="/tzgg/">通知公告</a>'),
    "/zwgk/": real("政府信息公开", "<p>政府信息公开指南</p>"),
    "/tzgg/": real("通知公告", "<p>通知公告栏目</p>"),
}


def guarded(accepts: bool):
    """Real pages only with the clearance cookie (never, when `accepts` is False)."""

    def handler(path: str, headers: dict) -> tuple:
        if path not in PAGES:
            return NOT_FOUND
        if accepts and "rs_clearance=ok42" in headers.get("cookie", ""):
            return 200, HTML, PAGES[path]
        return 412, {"Content-Type": "text/html"}, CHALLENGE

    return handler


def run(base, path, **kw):
    settings = CrawlSettings(start_url=base + "/", as_of=AS_OF, timeout=8, retries=0, **kw)
    return asyncio.run(crawl(settings, path))


def test_plain_http_alone_is_blocked(tmp_path):
    with LocalSite(guarded(True)) as site:
        assert httpx.get(site.base + "/").status_code == 412
        summary = run(site.base, tmp_path / "s.sqlite", render="never")
        b = site.base
    assert summary.status == "unreachable" and summary.blocked == 1
    with Snapshot(tmp_path / "s.sqlite") as snap:
        err = snap.error_for(b + "/")
    assert err.kind == "blocked" and err.status == 412 and "browser retry" not in err.message


@needs_browser
def test_browser_passes_the_challenge_and_plain_fetches_reuse_its_cookie(tmp_path):
    with LocalSite(guarded(True)) as site:
        summary = run(site.base, tmp_path / "s.sqlite")
        b = site.base
        plain = [(p, h) for p, h in site.requests if "gov-portal-checker" in h.get("user-agent", "")]
    assert summary.status == "complete", summary
    with Snapshot(tmp_path / "s.sqlite") as snap:
        home, zwgk, tzgg = snap.get(b + "/"), snap.get(b + "/zwgk/"), snap.get(b + "/tzgg/")
        render_meta = json.loads(snap.meta["render"])
        assert snap.errors() == []
    assert home.rendered and home.status == 200 and "passed a JavaScript challenge" in home.problem
    assert "HTTP 412" in home.problem and "某某县人民政府" in home.title and home.kind == "home"
    # With the browser's cookie copied over, the rest of the site needs no browser.
    assert not zwgk.rendered and not tzgg.rendered and "政府信息公开指南" in zwgk.text
    assert render_meta["challenges_passed"] == 1 and render_meta["used"] == 1
    sent = {p: h.get("cookie", "") for p, h in plain}
    assert "rs_clearance=ok42" in sent["/zwgk/"] and "rs_clearance" not in sent["/"]


@needs_browser
def test_a_challenge_that_never_passes_stays_blocked_with_the_reason(tmp_path):
    with LocalSite(guarded(False)) as site:
        summary = run(site.base, tmp_path / "s.sqlite")
        b = site.base
    assert summary.status == "unreachable" and summary.blocked == 1
    with Snapshot(tmp_path / "s.sqlite") as snap:
        err = snap.error_for(b + "/")
        assert snap.pages() is not None and len(snap) == 0
    assert err.kind == "blocked" and err.status == 412
    assert "still blocked after a browser retry" in err.message and "HTTP 412" in err.message


def test_a_waf_refusal_without_script_is_not_retried_in_a_browser(tmp_path):
    waf = "<html><body><h1>您的请求已被网站管理员设置拦截！</h1><p>网站防火墙 安全狗</p></body></html>".encode()

    def handler(path, _headers):
        return (403, {"Content-Type": "text/html; charset=utf-8"}, waf) if path == "/" else NOT_FOUND

    with LocalSite(handler) as site:
        run(site.base, tmp_path / "s.sqlite")
        b = site.base
        assert site.hits["/"] == 1
    with Snapshot(tmp_path / "s.sqlite") as snap:
        err = snap.error_for(b + "/")
    assert err.kind == "blocked" and "browser" not in err.message
