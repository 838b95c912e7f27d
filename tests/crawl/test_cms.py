"""CMS patterns read without a browser: TRS `createPageHTML` pagination and 大汉 JCMS
datastore lists with their dataproxy.jsp pages, crawled from local servers."""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import parse_qs, urlsplit

from checker.crawl import cms
from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.extract import extract
from checker.site.snapshot import Snapshot

from .localsite import NOT_FOUND, LocalSite, from_pages

AS_OF = date(2024, 6, 1)
GBK = {"Content-Type": "text/html"}  # no charset header: the meta tag decides


def gbk(title: str, body: str) -> bytes:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            f"<title>{title}</title></head><body>{body}"
            '<div class="footer">版权所有：平城区人民政府 网站标识码：1402130001</div></body></html>').encode("gbk")


def run(base: str, path, **kw):
    settings = CrawlSettings(start_url=base + "/", as_of=AS_OF, timeout=5, retries=0, render="never", **kw)
    return asyncio.run(crawl(settings, path))


# ---------------------------------------------------------------- TRS createPageHTML

def test_trs_pages_forms():
    u = "http://a.gov.cn/xxgk/tzgg/index.html"
    got = cms.trs_pages('<script>createPageHTML(3, 0, "index", "html");</script>', u)
    assert [(p.url, p.text) for p in got] == [("http://a.gov.cn/xxgk/tzgg/index_1.html", "第2页"),
                                              ("http://a.gov.cn/xxgk/tzgg/index_2.html", "第3页")]
    js = 'var countPage = 4//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "shtml");'
    assert [p.url.rsplit("/", 1)[1] for p in cms.trs_pages(js, "http://a.gov.cn/x/")] == [
        "index_1.shtml", "index_2.shtml", "index_3.shtml"]
    newer = "createPageHTML('page_div',3,1,'index','html',40);"
    assert len(cms.trs_pages(newer, u)) == 2
    assert cms.trs_pages('createPageHTML(1, 0, "index", "html");', u) == []
    assert cms.trs_pages("<p>no pager</p>", u) == []
    # A hostile count is capped, a hostile prefix refused.
    assert len(cms.trs_pages('createPageHTML(99999, 0, "index", "html")', u)) == cms.MAX_PAGES - 1
    assert cms.trs_pages('createPageHTML(3, 0, "../../etc", "html")', u) == []


def trs_site() -> dict:
    nav = '<div class="nav"><a href="/">首页</a><a href="/xxgk/tzgg/">通知公告</a></div>'
    crumb = '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/tzgg/">通知公告</a></div>'
    pages = {"/": (200, GBK, gbk("平城区人民政府", nav + '<div class="main"><a href="/xxgk/tzgg/">通知公告</a></div>'))}
    n = 0
    for page in range(3):
        items = ""
        for _ in range(5):
            n += 1
            items += (f'<li><a href="./202403/t20240301_{n}.html" title="关于平城区第{n}号工作的通知">'
                      f"关于平城区第{n}号工作的通知</a><span>2024-03-{n:02d}</span></li>")
            pages[f"/xxgk/tzgg/202403/t20240301_{n}.html"] = (200, GBK, gbk(
                f"关于平城区第{n}号工作的通知", nav + crumb + '<div class="TRS_Editor"><p>'
                f"关于平城区第{n}号工作的通知。各乡镇人民政府、区直各单位：现将有关事项通知如下，请认真贯彻执行。</p></div>"))
        name = "index.html" if page == 0 else f"index_{page}.html"
        pager = f'<div class="page"><script>createPageHTML(3, {page}, "index", "html");</script></div>'
        pages[f"/xxgk/tzgg/{name}"] = (200, GBK, gbk("通知公告", nav + crumb + f'<div class="list"><ul>{items}</ul></div>'
                                                     + pager))
    pages["/xxgk/tzgg/"] = pages["/xxgk/tzgg/index.html"]
    return pages


def test_trs_column_pages_reached_only_through_create_page_html(tmp_path):
    with LocalSite(from_pages(trs_site())) as site:
        summary = run(site.base, tmp_path / "s.sqlite")
        hits = dict(site.hits)
    assert summary.status == "complete", summary
    b = site.base
    with Snapshot(tmp_path / "s.sqlite") as snap:
        lists = [p for p in snap.pages() if p.kind == "list"]
        details = {p.url for p in snap.pages() if p.kind == "detail"}
        first = snap.get(b + "/xxgk/tzgg/")
    assert {p.url for p in lists} == {b + "/xxgk/tzgg/", b + "/xxgk/tzgg/index_1.html", b + "/xxgk/tzgg/index_2.html"}
    items = [i for p in lists for i in p.list_items]
    assert len(items) == 15 and {i.title for i in items} == {f"关于平城区第{n}号工作的通知" for n in range(1, 16)}
    assert details == {b + f"/xxgk/tzgg/202403/t20240301_{n}.html" for n in range(1, 16)}
    pager_links = [lk for lk in first.links if lk.url.endswith(("index_1.html", "index_2.html"))]
    assert [(lk.text, lk.region) for lk in pager_links] == [("第2页", "list"), ("第3页", "list")]
    # Pages 2 and 3 link back to each other: each page is fetched once.
    assert hits["/xxgk/tzgg/index_1.html"] == 1 and hits["/xxgk/tzgg/index_2.html"] == 1


# ---------------------------------------------------------------- 大汉 JCMS datastore

RECORDS = [
    ("/art/2024/3/8/art_1234_1.html", "关于王珺同志任职的通知", "2024-03-08"),
    ("/art/2024/3/1/art_1234_2.html", "关于李镕同志试用期满考核合格的公示", "2024-03-01"),
    ("/art/2024/2/20/art_1234_3.html", "平城区2024年事业单位公开招聘工作人员公告", "2024-02-20"),
    ("/art/2024/2/2/art_1234_4.html", "关于张堃等同志职务任免的通知", "2024-02-02"),
    ("/art/2024/1/5/art_1234_5.html", "平城区2023年度公务员考核结果公示", "2024-01-05"),
]


def _record(i: int) -> str:
    url, title, day = RECORDS[i]
    if i == 1:  # JCMS templates often wrap each record in a table of its own
        return (f'<record><![CDATA[<table width="100%"><tr><td><a href="{url}" title="{title}" target="_blank">'
                f"{title[:12]}…</a></td><td>[{day}]</td></tr></table>]]></record>")
    return f'<record><![CDATA[<li><a href="{url}" target="_blank">{title}</a><span>{day}</span></li>]]></record>'


def dahan_site() -> tuple[callable, dict]:
    nav = '<table class="top"><tr><td class="menu"><a href="/">首 页</a> | <a href="/col/col1234/index.html">人事信息</a></td></tr></table>'
    crumb = ('<div>您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/col/col1234/index.html">人事信息</a></div>')
    nextgroup = ('<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=13&path=/'
                 '&columnid=1234&unitid=5678&webname=%E5%B9%B3%E5%9F%8E&permissiontype=0"></a>]]></nextgroup>')
    column = gbk("人事信息", nav + crumb + '<div id="5678"><script type="text/xml"><datastore>' + nextgroup
                 + "<recordset>" + "".join(_record(i) for i in range(3)) + "</recordset></datastore></script>"
                 '<script language="javascript" src="/module/web/jpage/jpage.js"></script>'
                 "<script>$(function(){$('#5678').jpage({dataStore: dataStore, perPage: 3, totalRecord: 5, "
                 "proxyUrl: '/module/web/jpage/dataproxy.jsp', groupSize: 1});});</script></div>")
    pages = {"/": (200, GBK, gbk("平城区人民政府", nav + '<div class="main"><a href="/col/col1234/index.html">人事信息</a></div>'))}
    pages["/col/col1234/index.html"] = pages["/col/col1234/"] = (200, GBK, column)
    for url, title, day in RECORDS:
        pages[url] = (200, GBK, gbk(title, nav + '<table class="xxgk"><tr><td>索引号：</td><td>001/2024-1</td>'
                                    f'<td>发布日期：</td><td>{day}</td></tr></table><div id="zoom"><p>{title}。正文内容。</p></div>'))
    proxy_calls: dict = {}

    def handler(path: str, headers: dict) -> tuple:
        parts = urlsplit(path)
        if parts.path == "/module/web/jpage/dataproxy.jsp":
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            proxy_calls[path] = q
            if q.get("columnid") != "1234" or q.get("unitid") != "5678":
                return (200, {"Content-Type": "text/xml"}, b"<datastore><recordset></recordset></datastore>")
            start, end = int(q["startrecord"]), int(q["endrecord"])
            recs = "".join(_record(i) for i in range(start - 1, min(end, len(RECORDS))))
            xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>5</totalrecord>'
                   f"<recordset>{recs}</recordset></datastore>")
            return (200, {"Content-Type": "text/xml;charset=UTF-8"}, xml.encode())
        return pages.get(path, NOT_FOUND)

    return handler, proxy_calls


def test_datastore_parsing_and_chained_dataproxy():
    u = "http://a.gov.cn/col/col1234/index.html"
    store = cms.datastore("<datastore><recordset>" + _record(0) + "</recordset></datastore>", u)
    assert len(store.records) == 1 and store.more == []  # no parameters given: nothing to follow
    # A dataproxy answer without a total links the next chunk only while it came back full.
    proxy = ("http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=5&perpage=2"
             "&columnid=1234&unitid=5678&webid=1")
    full = "<datastore><recordset>" + _record(3) + _record(4) + "</recordset></datastore><script>columnid:'1234'</script>"
    store = cms.datastore(full, proxy)
    assert len(store.more) == 1 and "startrecord=6" in store.more[0].url and "endrecord=7" in store.more[0].url
    short = "<datastore><recordset>" + _record(3) + "</recordset></datastore><script>columnid:'1234'</script>"
    assert cms.datastore(short, proxy).more == []
    ex = extract(full, proxy, lambda _u: True, today=AS_OF)
    assert ex.kind == "list" and [i.title for i in ex.list_items] == [RECORDS[3][1], RECORDS[4][1]]


def test_dahan_column_records_and_dataproxy_page(tmp_path):
    handler, proxy_calls = dahan_site()
    with LocalSite(handler) as site:
        summary = run(site.base, tmp_path / "s.sqlite")
    b = site.base
    assert summary.status == "complete", summary
    with Snapshot(tmp_path / "s.sqlite") as snap:
        col = snap.get(b + "/col/col1234/")
        proxies = [p for p in snap.pages() if "dataproxy.jsp" in p.url]
        details = {p.url for p in snap.pages() if p.kind == "detail"}
    assert col.kind == "list" and not col.empty_list
    assert [(i.title, i.date) for i in col.list_items] == [
        (RECORDS[0][1], date(2024, 3, 8)), (RECORDS[1][1], date(2024, 3, 1)), (RECORDS[2][1], date(2024, 2, 20))]
    assert "关于王珺同志任职的通知" in col.body and "关于王珺同志任职的通知" in col.text
    assert {lk.url for lk in col.links if lk.region == "list"} >= {b + r[0] for r in RECORDS[:3]}
    # The second chunk, asked of dataproxy.jsp with the column's parameters.
    assert len(proxies) == 1 and proxies[0].kind == "list"
    q = next(iter(proxy_calls.values()))
    assert (q["startrecord"], q["endrecord"], q["perpage"], q["columnid"], q["unitid"], q["webid"]) == (
        "4", "6", "3", "1234", "5678", "13")
    assert [i.title for i in proxies[0].list_items] == [RECORDS[3][1], RECORDS[4][1]]
    assert details == {b + r[0] for r in RECORDS}
