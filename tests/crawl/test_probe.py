"""The site-search probe against a real HTTP server on 127.0.0.1: a GBK county portal whose
TRS-style search (/was5/web/search) needs the form's hidden channelid and reads GBK query
bytes, crawled with the real crawler; the stored probe is read back with `Snapshot`."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.decode import decode
from checker.crawl.extract import extract
from checker.crawl.probe import (
    Query,
    pick_query,
    query_input,
    read_results,
    search_form,
    search_url,
    strip_site_suffix,
)
from checker.site.records import SEARCH_PROBE, Form, Link, ListItem, PageRecord, ProbeResult
from checker.site.snapshot import Snapshot, SnapshotWriter

from .localsite import LocalSite

AS_OF = date(2024, 4, 1)
SITE = "云溪县人民政府"
CHANNEL = "233424"
DOCS = {
    "/zwgk/tzgg/202403/t20240315_103.html": "云溪县人民政府办公室关于做好2024年春季森林防火工作的通知",
    "/zwgk/tzgg/202403/t20240308_102.html": "关于公布第二批行政规范性文件清理结果的通知",
    "/zwgk/tzgg/202403/t20240301_101.html": "县政府召开常务会议",
}
LONGEST = DOCS["/zwgk/tzgg/202403/t20240315_103.html"]
SEARCH_FORM = ('<form name="searchform" action="{action}" method="{method}" target="_blank">'
               f'<input type="hidden" name="channelid" value="{CHANNEL}">'
               '<input type="text" name="searchword" class="sear_txt" placeholder="请输入关键字" maxlength="40">'
               '<input type="submit" class="sear_btn" value="搜索"></form>')
NAV = '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/zwgk/tzgg/">通知公告</a></div>'
FOOTER = '<div class="footer">主办：云溪县人民政府办公室 网站标识码：1402990001 晋ICP备05001234号</div>'


def gbk(title: str, body: str) -> bytes:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            f"<title>{title}</title></head><body>{body}</body></html>").encode("gbk")


def home_page(form: str) -> bytes:
    return gbk(SITE, f'<div class="header">{form}</div>{NAV}<div class="main"><a href="/zwgk/tzgg/">通知公告</a>'
                     "<p>欢迎访问云溪县人民政府门户网站</p></div>" + FOOTER)


def list_page() -> bytes:
    items = "".join(f'<li><a href="{path}" title="{t}">{t}</a><span>2024-03-{path[-8:-6]}</span></li>'
                    for path, t in DOCS.items())
    return gbk(f"通知公告_{SITE}", NAV + '<div class="position">当前位置：<a href="/">首页</a> &gt; 通知公告</div>'
               f'<div class="list"><ul>{items}</ul></div>' + FOOTER)


def doc_page(path: str, title: str) -> bytes:
    n = path[-8:-5]
    meta = (f'<table class="xxgk"><tr><td>索引号：</td><td>11140299MB0123456X/2024-00{n}</td><td>发布机构：</td>'
            f"<td>云溪县人民政府办公室</td></tr><tr><td>发布日期：</td><td>2024-03-{path[-8:-6]}</td></tr></table>")
    return gbk(f"{title}_通知公告_{SITE}", NAV + meta + f'<div class="article"><h1>{title}</h1>'
               "<p>各乡镇人民政府，县直各单位：现将有关事项通知如下，请认真贯彻执行。</p></div>" + FOOTER)


def trs_results(word: str, hits: list[tuple[str, str]]) -> bytes:
    """A TRS WAS5-style results page: the query echoed, each hit a highlighted title link."""
    rows = "".join(
        f'<div class="jsearch-result-box"><div class="jsearch-result-title"><a href="{path}" target="_blank">'
        f'{escape(t).replace(escape(word), f"<em>{escape(word)}</em>")}</a></div>'
        f'<div class="jsearch-result-abs">……{escape(t)}……</div>'
        f'<div class="jsearch-result-url">http://www.yunxi.gov.cn{path} 2024-03-15</div></div>'
        for path, t in hits)
    answer = (f"<p>检索“{escape(word)}”，共找到 {len(hits)} 条结果</p>{rows}" if hits
              else f'<div class="no-result">抱歉，没有找到与“{escape(word)}”相关的结果。</div>')
    return gbk(f"检索结果_{SITE}", NAV + f'<div class="jsearch-result">{answer}</div>' + FOOTER)


SCRIPT_RESULTS = gbk(f"站内搜索_{SITE}", NAV + '<div id="results"></div><script src="/js/search.js"></script>'
                     '<script>loadResults(location.search)</script>' + FOOTER)
WAF = gbk("网站防火墙", "<h1>您的请求带有不合法参数，已被网站管理员设置拦截！</h1><p>网站防火墙 安全狗</p>")


class Portal(LocalSite):
    """A county portal on 127.0.0.1. `search` says how its site search behaves:
    works | empty (the index is empty) | blocked (a WAF answers 403) | script (results by JS)."""

    def __init__(self, *, form: str = "", search: str = "works", robots: str = "User-agent: *\nDisallow:\n"):
        self.form, self.search, self.robots = form, search, robots
        self.queries: list[dict[str, list[str]]] = []
        super().__init__(self._answer, hit_key=lambda path: urlsplit(path).path)
        self.host = self.base.removeprefix("http://")

    def _answer(self, path: str, _headers: dict[str, str]):
        split = urlsplit(path)
        status, ctype, body = self.answer(split.path, split.query)
        return status, {"Content-Type": ctype}, body

    def answer(self, path: str, query: str) -> tuple[int, str, bytes]:
        html = "text/html"  # no charset: the pages' own meta says gb2312, as on many TRS sites
        if path == "/robots.txt":
            return 200, "text/plain", self.robots.encode()
        if path == "/":
            return 200, html, home_page(self.form)
        if path == "/zwgk/tzgg/":
            return 200, html, list_page()
        if path in DOCS:
            return 200, html, doc_page(path, DOCS[path])
        if path == "/was5/web/search":
            return self.run_search(query)
        return 404, html, b"<html><body>404 Not Found</body></html>"

    def run_search(self, query: str) -> tuple[int, str, bytes]:
        params = parse_qs(query, encoding="gbk")  # the form's page is GBK, so is the query
        self.queries.append(params)
        if self.search == "blocked":
            return 403, "text/html", WAF
        if self.search == "script":
            return 200, "text/html", SCRIPT_RESULTS
        word = (params.get("searchword") or [""])[0]
        # Without the hidden channelid a WAS5 search has no index to search: it finds nothing.
        indexed = self.search == "works" and params.get("channelid") == [CHANNEL]
        hits = [(p, t) for p, t in DOCS.items() if indexed and word and word in t]
        return 200, "text/html", trs_results(word, hits)



def form(action: str = "/was5/web/search", method: str = "get") -> str:
    return SEARCH_FORM.format(action=action, method=method)


def scan(portal: Portal, tmp_path, *, resume: bool = False, **overrides) -> tuple[str, ProbeResult | None]:
    path = tmp_path / "snapshot.sqlite"
    settings = CrawlSettings(start_url=portal.base + "/", as_of=AS_OF, timeout=5, retries=0, **overrides)
    summary = asyncio.run(crawl(settings, path, resume=resume))
    with Snapshot(path) as snap:
        return summary.status, snap.probe(SEARCH_PROBE)


# ---------------------------------------------------------------- the probe in a crawl


def test_search_that_works_finds_the_document(tmp_path):
    with Portal(form=form()) as portal:
        status, probe = scan(portal, tmp_path)
    assert status == "complete"
    d = probe.data
    assert d["found"] is True and d["where"] == "link", d
    # The longest listed title, stripped of "_通知公告_云溪县人民政府".
    assert d["query"] == LONGEST
    assert d["expected_url"] == portal.base + "/zwgk/tzgg/202403/t20240315_103.html"
    assert d["form_action"] == portal.base + "/was5/web/search" and d["search_input"] == "searchword"
    assert LONGEST in d["match"] and d["match"].endswith("/zwgk/tzgg/202403/t20240315_103.html")
    assert d["result_titles"] == [LONGEST]
    assert d["reason"] == "" and d["reason_code"] == ""
    assert probe.status == 200 and probe.at.endswith("Z")
    assert probe.url.startswith(portal.base + "/was5/web/search?channelid=233424&searchword=%D4%C6")  # GBK bytes
    # What a browser sends: the hidden channel id and the typed words, nothing else.
    assert portal.queries == [{"channelid": [CHANNEL], "searchword": [LONGEST]}]


def test_search_that_finds_nothing_is_recorded_as_not_found(tmp_path):
    with Portal(form=form(), search="empty") as portal:
        _, probe = scan(portal, tmp_path)
    d = probe.data
    assert d["found"] is False and d["where"] is None and d["match"] is None
    assert d["answer"] == f"抱歉，没有找到与“{LONGEST}”相关的结果。"
    assert d["result_titles"] == []
    assert probe.status == 200 and d["query"] == LONGEST


def test_post_search_form_is_not_run(tmp_path):
    with Portal(form=form(method="post")) as portal:
        _, probe = scan(portal, tmp_path)
    assert probe.data["found"] is None
    assert (probe.data["reason_code"], probe.data["reason"]) == ("post_form", "POST search form")
    assert probe.status is None and probe.url == ""
    assert portal.hits["/was5/web/search"] == 0


def test_homepage_without_a_search_form_is_not_run(tmp_path):
    with Portal(form="") as portal:
        _, probe = scan(portal, tmp_path)
    assert probe.data["found"] is None and probe.data["reason_code"] == "no_search_form"
    assert probe.data["reason"] == "no search form on the homepage"


def test_blocked_results_page_is_not_judged(tmp_path):
    with Portal(form=form(), search="blocked") as portal:
        _, probe = scan(portal, tmp_path)
    d = probe.data
    assert d["found"] is None and d["reason_code"] == "fetch_blocked"
    assert d["reason"].startswith("results page blocked: HTTP 403") and "安全狗" in d["reason"]
    assert probe.status == 403 and d["query"] == LONGEST


def test_results_rendered_by_script_are_not_judged(tmp_path):
    with Portal(form=form(), search="script") as portal:
        _, probe = scan(portal, tmp_path)
    assert probe.data["found"] is None and probe.data["reason_code"] == "script_results"
    assert probe.status == 200


def test_robots_disallowing_the_search_url_is_respected(tmp_path):
    with Portal(form=form(), robots="User-agent: *\nDisallow: /was5/\n") as portal:
        _, probe = scan(portal, tmp_path)
    assert probe.data["found"] is None and probe.data["reason_code"] == "robots"
    assert probe.data["reason"].startswith("robots.txt disallows the search URL " + portal.base + "/was5/web/search?")
    assert portal.hits["/was5/web/search"] == 0


def test_search_on_a_host_outside_the_scope_is_not_run(tmp_path):
    with Portal(form=form(action="http://search.yunxi.example/was5/web/search")) as portal:
        _, probe = scan(portal, tmp_path)
    assert probe.data["found"] is None and probe.data["reason_code"] == "out_of_scope"
    assert probe.data["reason"] == ("search hosted outside the scan scope: search.yunxi.example "
                                    "(http://search.yunxi.example/was5/web/search)")


def test_search_on_an_extra_host_in_scope_is_probed(tmp_path):
    # A 集约化 platform: the county's search lives on the city's host, given as an extra host.
    platform = Portal(form=form())
    with platform, Portal(form=form(action=platform.base + "/was5/web/search"), search="empty") as portal:
        _, probe = scan(portal, tmp_path, extra_hosts=[platform.host])
    assert probe.data["found"] is True, probe.data
    assert probe.url.startswith(platform.base + "/was5/web/search?")
    assert platform.hits["/was5/web/search"] == 1 and portal.hits["/was5/web/search"] == 0
    # The platform lists its own copy of the document: a link to the same path counts.
    assert probe.data["expected_url"] == portal.base + "/zwgk/tzgg/202403/t20240315_103.html"


def test_partial_scan_is_probed_and_the_probe_costs_no_page(tmp_path):
    with Portal(form=form()) as portal:
        status, probe = scan(portal, tmp_path, max_pages=4)  # home, /zwgk/ (404), the list, one document
        with Snapshot(tmp_path / "snapshot.sqlite") as snap:
            assert len(snap) == 3
    assert status == "partial"
    assert probe.data["found"] is True and probe.data["query"] == LONGEST


def test_unreachable_scan_runs_no_probe(tmp_path):
    with Portal(form=form(), robots="User-agent: *\nDisallow: /\n") as portal:
        status, probe = scan(portal, tmp_path)
    assert status == "unreachable" and probe is None
    assert portal.hits["/was5/web/search"] == 0


def test_resume_probes_once(tmp_path):
    with Portal(form=form()) as portal:
        scan(portal, tmp_path)
        assert portal.hits["/was5/web/search"] == 1
        _, probe = scan(portal, tmp_path, resume=True)
        assert portal.hits["/was5/web/search"] == 1 and probe.data["found"] is True
        # A snapshot that has no probe yet (an earlier run was interrupted) gets one on resume.
        db = sqlite3.connect(tmp_path / "snapshot.sqlite")
        db.execute("DELETE FROM probes")
        db.commit()
        db.close()
        _, probe = scan(portal, tmp_path, resume=True)
        assert portal.hits["/was5/web/search"] == 2 and probe.data["found"] is True


# ---------------------------------------------------------------- the parts


def test_strip_site_suffix():
    names = [SITE]
    assert strip_site_suffix(f"关于做好防汛工作的通知_通知公告_{SITE}", names) == "关于做好防汛工作的通知"
    assert strip_site_suffix(f"关于做好防汛工作的通知-{SITE}", names) == "关于做好防汛工作的通知"
    assert strip_site_suffix(f"关于做好防汛工作的通知 | {SITE}门户网站", names) == "关于做好防汛工作的通知"
    assert strip_site_suffix(f"{SITE} - 关于做好防汛工作的通知", names) == "关于做好防汛工作的通知"
    assert strip_site_suffix("2024-2025年度防汛工作方案", names) == "2024-2025年度防汛工作方案"
    assert strip_site_suffix(SITE, names) == ""


def _doc(path: str, title: str, meta: dict | None = None) -> PageRecord:
    url = "http://x.test" + path
    return PageRecord(url=url, final_url=url, status=200, fetched_at="", depth=2, kind="detail", title=title,
                      meta=meta or {})


def test_pick_query_prefers_long_listed_titles_not_on_the_homepage():
    long_doc = _doc("/a/1.html", f"云溪县2024年第一季度重点领域信息公开情况_{SITE}")
    linked = _doc("/a/2.html", f"云溪县2024年第一季度政府信息公开工作情况通报_{SITE}")  # longer, on the homepage
    too_long = _doc("/a/3.html", "云溪县人民政府关于印发云溪县深化政务公开推进基层政务公开标准化规范化工作实施方案的通知")
    unlisted = _doc("/a/4.html", "一篇没有被任何列表列出的非常非常长的文档标题")
    cut = _doc("/a/5.html", SITE)  # the CMS gives every page the site's title: the list's title is used
    items = tuple(ListItem(t, "http://x.test" + p, None) for p, t in (
        ("/a/1.html", "云溪县2024年第一季度重点领域信息公开…"), ("/a/2.html", "x"), ("/a/3.html", "y"),
        ("/a/5.html", "云溪县2024年第一季度重点领域信息公开情况发布")))
    lst = PageRecord(url="http://x.test/a/", final_url="http://x.test/a/", status=200, fetched_at="", depth=1,
                     kind="list", title=f"信息公开_{SITE}", list_items=items)
    home = PageRecord(url="http://x.test/", final_url="http://x.test/", status=200, fetched_at="", depth=0,
                      kind="home", title=f"首页 - {SITE}", list_items=(items[1],))
    pages = [home, lst, long_doc, linked, too_long, unlisted, cut]
    q = pick_query(home, pages)
    assert q == Query("云溪县2024年第一季度重点领域信息公开情况发布", "http://x.test/a/5.html", "http://x.test/a/5.html")
    assert pick_query(home, list(reversed(pages))) == q  # the choice does not depend on page order
    # Nothing listed: any fetched document will do.
    assert pick_query(home, [home, unlisted]).text == "一篇没有被任何列表列出的非常非常长的文档标题"
    assert pick_query(home, [home]) is None


def test_search_url_keeps_hidden_inputs_and_encodes_in_the_page_charset():
    f = Form("http://x.test/search.jsp?old=1", "get", ("siteid", "q", "sort"), True,
             (("siteid", "3"), ("q", ""), ("sort", "date")), "q")
    assert search_url(f, "q", "防汛 通知", "gb18030") == "http://x.test/search.jsp?siteid=3&q=%B7%C0%D1%B4+%CD%A8%D6%AA&sort=date"
    assert search_url(f, "q", "防汛", "utf-8") == "http://x.test/search.jsp?siteid=3&q=%E9%98%B2%E6%B1%9B&sort=date"
    assert search_url(f, "q", "防汛", "no-such-codec").endswith("q=%E9%98%B2%E6%B1%9B&sort=date")
    # A form stored before defaults were recorded: only the words are sent.
    old = Form("http://x.test/s", "get", ("searchword", "channelid"), True)
    assert search_url(old, "searchword", "防汛") == "http://x.test/s?searchword=%E9%98%B2%E6%B1%9B"


REALPAGES = Path(__file__).resolve().parents[2].parent / "shared" / "realpages"


def test_real_dahan_page_search_form_is_submitted_with_its_site_id():
    page = REALPAGES / "changwu__pingtan-gov-zwgk-archive/pingtan/zwgk/zfxxgk/zfxxgknb/_lists/index.html"
    if not page.exists():
        pytest.skip("../shared/realpages is not present")
    url = "http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    ex = extract(decode(page.read_bytes(), None).text, url, lambda u: "pingtan.gov.cn" in u, is_home=True)
    home = PageRecord(url=url, final_url=url, status=200, fetched_at="", depth=0, kind="home", forms=ex.forms)
    form, code, _ = search_form(home)
    assert code == "" and form.action == "http://www.pingtan.gov.cn/ssp/main/"  # not the avalon forms
    assert search_url(form, query_input(form), "政府信息公开年报") == (
        "http://www.pingtan.gov.cn/ssp/main/?siteId=402804278b376967018b3771d3370002"
        "&key=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B9%B4%E6%8A%A5")


QUERY = Query("关于做好防汛工作的通知", "http://x.test/tzgg/t1.html", "http://x.test/tzgg/t1.html")


def _read(body: str, template: set[str] = frozenset()) -> dict:
    html = f"<html><head><title>搜索结果</title></head><body>{NAV}{body}{FOOTER}</body></html>"
    return read_results(extract(html, "http://x.test/search", lambda u: u.startswith("http://x.test/")), html,
                        QUERY, template)


def test_read_results_matches_truncated_and_redirected_titles():
    truncated = _read('<ul class="list"><li><a href="/r?id=9">关于做好防汛工作的…</a><span>2024-03-01</span></li>'
                      '<li><a href="/r?id=8">关于做好防汛物资储备的通知</a><span>2024-02-01</span></li></ul>')
    assert truncated["found"] is True and truncated["where"] == "link" and truncated["match"].startswith("关于做好防汛工作的…")
    redirected = _read('<div><a href="/jump?url=http%3A%2F%2Fx.test%2Ftzgg%2Ft1.html">查看详情</a></div>')
    assert redirected["found"] is True and redirected["where"] == "link"
    text = _read("<div><p>1. 关于做好防汛工作的通知（2024-03-01 云溪县应急管理局）</p></div>")
    assert text["found"] is True and text["where"] == "text"


def test_read_results_does_not_take_the_echo_for_a_result():
    out = _read(f"<p>您检索的关键词：{QUERY.text}</p><p>共找到 0 条结果</p>")
    assert out["found"] is False and out["answer"] == "共找到 0 条结果"
    other = _read('<ul class="list"><li><a href="/t2.html">关于做好防汛物资储备的通知</a><span>2024-02-01</span></li>'
                  '<li><a href="/t3.html">2</a></li><li><a href="/t4.html">下一页</a></li></ul>')
    assert other["found"] is False and other["result_titles"] == ["关于做好防汛物资储备的通知"]
    # Links the results page shares with the homepage are the template, not results.
    template_only = _read('<div><a href="/zwgk/tzgg/">通知公告栏目</a></div><script>render()</script>',
                          {"http://x.test/zwgk/tzgg/"})
    assert template_only["found"] is None and template_only["reason_code"] == "script_results"


# ---------------------------------------------------------------- the snapshot


def test_probes_round_trip_through_the_snapshot(tmp_path):
    path = tmp_path / "s.sqlite"
    data = {"query": LONGEST, "found": True, "where": "link", "result_titles": [LONGEST], "reason": ""}
    with SnapshotWriter(path) as w:
        w.set_meta("start_url", "http://x.test/")
        w.add_probe(ProbeResult("search", "http://x.test/s?q=1", 200, "2024-04-01T01:02:03Z", {"found": False}))
        w.add_probe(ProbeResult("search", "http://x.test/s?q=2", 200, "2024-04-01T01:02:04Z", data))  # replaces
        w.add_probe(ProbeResult("other", "", None, "2024-04-01T01:02:05Z", {}))
        assert w.has_probe("search") and not w.has_probe("missing")
    with Snapshot(path) as snap:
        assert snap.probe("search") == ProbeResult("search", "http://x.test/s?q=2", 200, "2024-04-01T01:02:04Z", data)
        assert [p.name for p in snap.probes()] == ["other", "search"]
        assert snap.probe("other").status is None and snap.probe("missing") is None


def test_snapshot_from_before_probes_and_form_defaults_still_reads(tmp_path):
    path = tmp_path / "old.sqlite"
    page = PageRecord(url="http://x.test/", final_url="http://x.test/", status=200, fetched_at="", depth=0,
                      kind="home", forms=(Form("http://x.test/s", "get", ("q",), True, (("q", ""),), "q"),))
    with SnapshotWriter(path) as w:
        w.add_page(page)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE probes")
    db.execute("""UPDATE pages SET forms = '[["http://x.test/s", "get", ["q"], true]]'""")
    db.commit()
    db.close()
    with Snapshot(path) as snap:
        assert snap.probes() == [] and snap.probe("search") is None
        assert snap.get("http://x.test/").forms == (Form("http://x.test/s", "get", ("q",), True),)
    # Written now, the new fields survive the round trip, through the outline too.
    fresh = tmp_path / "new.sqlite"
    with SnapshotWriter(fresh) as w:
        w.add_page(page)
        outline = w.outline()
    assert outline[0].forms == page.forms and outline[0].text == ""
    with Snapshot(fresh) as snap:
        assert snap.get("http://x.test/").forms == page.forms


def test_the_outline_holds_what_the_probe_reads_and_no_more(tmp_path):
    form = Form("http://x.test/s", "get", ("q",), True, (("q", ""),), "q")
    item = ListItem(LONGEST, "http://x.test/d1.html", date(2024, 3, 15), "2024-03-15")

    def record(url: str, kind: str, **fields) -> PageRecord:
        return PageRecord(url=url, final_url=url, status=200, fetched_at="", depth=1, kind=kind,
                          text="正文" * 50, forms=(form,), links=(Link("http://x.test/a.html", "链接", "nav", True),),
                          list_items=(item,), **fields)

    with SnapshotWriter(tmp_path / "s.sqlite") as w:
        w.add_page(record("http://x.test/", "home", title=SITE))
        w.add_page(record("http://x.test/list/", "list", title="通知公告"))
        w.add_page(record("http://x.test/d1.html", "detail", title=f"{LONGEST}_{SITE}", meta={"标题": LONGEST}))
        w.add_page(record("http://x.test/f.pdf", "attachment", title="附件"))
        home, listing, detail = w.outline()
    assert [p.kind for p in (home, listing, detail)] == ["home", "list", "detail"]
    assert home.forms == (form,) and home.links and home.list_items == (item,)
    assert listing.list_items == (item,) and not listing.forms and not listing.links
    assert detail.meta == {"标题": LONGEST} and not detail.list_items and not detail.forms
    assert all(p.text == "" for p in (home, listing, detail))
    assert pick_query(home, [home, listing, detail]) == Query(LONGEST, "http://x.test/d1.html", "http://x.test/d1.html")
