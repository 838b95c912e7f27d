"""The bundled demo portal, over a real local socket: encodings, tokens, faults, links.

The demo portal is the fixture the end-to-end test and `checker demo` scan, and the demo
profiles' verdicts depend on what it serves. These tests pin both the server behaviour
and the content contract the rules rely on (which columns exist, which faults are built
in), so an edit to a page that would silently change a verdict fails here first.
"""

from __future__ import annotations

import http.client
import re
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from checker.demo.server import SITE_DIR, DemoPortal, render_page, render_tokens
from checker.engine import workdays
from checker.engine.kinds.annual_report import deadline_in, report_year
from checker.engine.kinds.required_publications import due_date
from checker.engine.patterns import scan_personal

# A day on which padded and unpadded dates differ (-60 days → 2026年1月7日) and the
# homepage's year-less [MM-DD] dates sit in the same year.
TODAY = date(2026, 3, 8)

# Every column the demo plan promises, with the name its breadcrumb ends in.
COLUMNS = {
    "/xwzx/zwyw/": "政务要闻",
    "/xwzx/tzgg/": "通知公告",
    "/zwgk/": "政府信息公开",
    "/zwgk/zfxxgkzn/": "政府信息公开指南",
    "/zwgk/zfxxgkzd/": "政府信息公开制度",
    "/zwgk/fdzdgknr/": "法定主动公开内容",
    "/zwgk/jgzn/": "机构职能",
    "/zwgk/qzqd/": "权责清单",
    "/zwgk/ghjh/": "规划计划",
    "/zwgk/tjxx/": "统计信息",
    "/zwgk/sgs/": "双公示",
    "/zwgk/czyjs/": "财政预决算",
    "/zwgk/sf/": "行政事业性收费",
    "/zwgk/zdxzjc/": "重大行政决策",
    "/zwgk/jyta/": "建议提案办理",
    "/zwgk/zfxxgknb/": "政府信息公开年报",
    "/zwgk/wzndbb/": "政府网站工作年度报表",
    "/zwgk/gfxwj/": "行政规范性文件",
    "/zwgk/gfxwj/xxyx/": "现行有效规范性文件目录",
    "/zwgk/zcjd/": "政策解读",
    "/zwgk/rsxx/": "人事信息",
    "/zwgk/zdxx/": "征地信息",
    "/zwgk/zfgb/": "政府公报",
    "/zwgk/bstj/": "办事统计",
    "/zwgk/zdly/": "重点领域信息公开",
    "/zwgk/zdly/myjj/": "促进民营经济发展",
    "/zwgk/zdly/spyp/": "食品药品监管",
    "/zwgk/zdly/jy/": "稳岗就业",
    "/zwgk/zdly/ylfw/": "养老服务",
    "/zwgk/zdly/ywjy/": "义务教育",
    "/zwgk/zdly/snbt/": "涉农补贴",
    "/zwgk/zdly/ggwh/": "公共文化服务",
    "/zwgk/zdly/zdjsxm/": "重大建设项目",
    "/hdjl/": "互动交流",
    "/hdjl/lyxd/": "留言选登",
}

# Columns hosted on another platform: the sidebar links out to them.
EXTERNAL_COLUMNS = {"政府采购": "https://www.ccgp-shanxi.gov.cn/"}

# The deliberate faults reachable by a link, and what they answer.
DELIBERATE = {"/xwzx/lszt/": 404, "/zwgk/zdly/shjz/": 403}


@pytest.fixture(scope="module")
def portal():
    with DemoPortal(today=TODAY) as p:
        yield p


@pytest.fixture(scope="module")
def client(portal):
    with httpx.Client(base_url=portal.base_url, timeout=10, follow_redirects=False) as c:
        yield c


def decode(r: httpx.Response) -> str:
    """Decode as a careful crawler would: the meta tag wins over a charset-less header."""
    if "charset=utf-8" in r.headers.get("content-type", ""):
        return r.content.decode("utf-8")
    return r.content.decode("gb18030")


def url_of(file) -> str:
    rel = file.relative_to(SITE_DIR).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def site_pages() -> list:
    return sorted(SITE_DIR.rglob("*.html"))


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


# ---------------------------------------------------------------- server behaviour


def test_homepage_is_gb18030_bytes_under_a_charset_less_header(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    text = r.content.decode("gb18030")
    assert "<title>云溪县人民政府</title>" in text
    assert 'charset=gb2312' in text
    # GBK-only names: the page says gb2312, a strict gb2312 decoder cannot read it.
    assert "王喆" in text and "李珺" in text
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("gb2312")


def test_render_tokens():
    s = "{{d:-1}} {{d:-60|%Y年%-m月%-d日}} {{y:-1}}年 {{d:+3|%m/%d}} [{{d:-2|%m-%d}}] {{y:0}}"
    assert render_tokens(s, TODAY) == "2026-03-07 2026年1月7日 2025年 03/11 [03-06] 2026"
    assert render_tokens("no {{tokens}} {{d:x}} here", TODAY) == "no {{tokens}} {{d:x}} here"


# Deadline tokens on the days that matter: before the yearly date, on the deadline of the
# 年报 (03-31), the day after, and the last day of the year.
DEADLINE_CASES = {
    date(2026, 1, 10): ("2025-03-15", "2024", "2023", "2025年3月15日", "2024-03-15", "2025-03-20", "2025",
                        "2025-12-15", "2025年11月"),
    date(2026, 3, 31): ("2026-03-15", "2025", "2024", "2026年3月15日", "2025-03-15", "2026-03-20", "2026",
                        "2026-03-15", "2026年2月"),
    date(2026, 4, 1): ("2026-03-15", "2025", "2024", "2026年3月15日", "2025-03-15", "2026-03-20", "2026",
                       "2026-03-15", "2026年2月"),
    date(2026, 12, 31): ("2026-03-15", "2025", "2024", "2026年3月15日", "2025-03-15", "2026-03-20", "2026",
                         "2026-12-15", "2026年11月"),
}


@pytest.mark.parametrize("today", sorted(DEADLINE_CASES))
def test_deadline_tokens(today):
    s = ("{{due:03-15}} {{dueyear:03-15:-1}} {{dueyear:03-15:-2}} {{due:03-15|%Y年%-m月%-d日}} {{due:03-15:-1}} "
         "{{due:03-20}} {{dueyear:03-20:0}} {{mdue:15}} {{mdue:15:-1|%Y年%-m月}}")
    assert render_tokens(s, today).split() == list(DEADLINE_CASES[today])


def test_deadline_tokens_on_short_months_and_malformed_ones():
    assert render_tokens("{{due:02-29}} {{mdue:31}} {{mdue:31:-1}}", date(2026, 3, 30)) == "2026-02-28 2026-02-28 2026-01-31"
    assert render_tokens("{{due:02-29}} {{due:02-29:-1}}", date(2028, 3, 1)) == "2028-02-29 2027-02-28"
    assert render_tokens("{{due:03-15}}", date(2026, 3, 15)) == "2026-03-15"  # on the day itself
    bad = "{{due:13-01}} {{due:00-10}} {{mdue:00}} {{mdue:32}} {{dueyear:03-15:0|%Y}} {{due:3-15}}"
    assert render_tokens(bad, TODAY) == bad


_DEADLINE_TOKEN = re.compile(r"\{\{(?:due|dueyear):(\d{2}-\d{2})|\{\{mdue:(\d{2})")


def test_each_document_hangs_its_dates_on_one_deadline():
    # A document dated {{due:03-15}} but titled {{dueyear:03-20:-1}} would name the wrong
    # year between 03-15 and 03-20: one document (a detail page, or one list line) uses one
    # yearly date and one monthly day.
    for file in site_pages():
        text = file.read_text(encoding="utf-8")
        lines = text.splitlines()
        scopes = [line for line in lines if line.startswith("<li>")]
        scopes.append("\n".join(line for line in lines if not line.startswith("<li>")))
        for scope in scopes:
            found = _DEADLINE_TOKEN.findall(scope)
            assert len({a for a, _ in found if a}) <= 1 and len({b for _, b in found if b}) <= 1, (url_of(file), found)


def test_dated_lists_are_served_newest_first(client):
    # 财政预决算 mixes deadline-dated items (预算 03-20, 决算 08-28) with a plain offset one:
    # whichever day it is, the list reads newest first, as a CMS would print it.
    for today in (date(2026, 1, 10), date(2026, 4, 1), date(2026, 9, 30), TODAY):
        raw = (SITE_DIR / "zwgk/czyjs/index.html").read_text(encoding="utf-8")
        dates = [li.css_first(".date").text() for li in HTMLParser(render_page(raw, today)).css(".xxgk_list li")]
        assert len(dates) == 4 and dates == sorted(dates, reverse=True), (today, dates)
    dates = [li.css_first(".date").text() for li in _list_items(client, "/zwgk/czyjs/")]
    assert dates == sorted(dates, reverse=True)
    assert render_page("<ul>\n<li>x<span class=\"date\">[03-01]</span></li>\n<li>y<span class=\"date\">[03-05]"
                       "</span></li>\n</ul>", TODAY).count("[03-01]</span></li>\n<li>y") == 1  # not ISO: left alone


def test_tokens_render_relative_to_the_portal_today(client):
    zwyw = decode(client.get("/xwzx/zwyw/"))
    assert f'<span class="date">{days(-1).isoformat()}</span>' in zwyw
    qzqd = decode(client.get("/zwgk/qzqd/"))
    assert "2026年1月7日" in qzqd  # {{d:-60|%Y年%-m月%-d日}}, unpadded
    home = decode(client.get("/"))
    assert f"[{days(-1):%m-%d}]" in home
    nb = decode(client.get("/zwgk/zfxxgknb/"))
    # 2026-03-08 is before this year's 03-15: the newest report is 2024's, out on 2025-03-15.
    assert "云溪县2024年政府信息公开工作年度报告" in nb and "2025-03-15" in nb
    assert "云溪县2025年政府信息公开工作年度报告" not in nb


def test_every_file_is_served_with_every_token_replaced(client):
    pages = site_pages()
    assert 120 <= len(pages) <= 200, len(pages)
    for file in pages:
        r = client.get(url_of(file))
        assert r.status_code == 200, url_of(file)
        text = decode(r)
        assert "{{" not in text and "}}" not in text, url_of(file)
        assert "@@" not in text, url_of(file)
    for file in SITE_DIR.rglob("*"):
        if file.is_file() and file.suffix != ".html":
            r = client.get(url_of(file))
            assert r.status_code == 200 and r.content == file.read_bytes(), url_of(file)


def test_waf_blocks_the_social_assistance_column_and_everything_below(client):
    for path in ("/zwgk/zdly/shjz/", "/zwgk/zdly/shjz", "/zwgk/zdly/shjz/202501/t20250101_1.html"):
        r = client.get(path)
        assert r.status_code == 403, path
        text = r.text
        assert "您的访问被拦截" in text and "安全狗" in text and "网站防火墙" in text
    assert client.head("/zwgk/zdly/shjz/").status_code == 403


def test_dead_and_unknown_paths_answer_404(client):
    assert client.get("/xwzx/lszt/").status_code == 404
    assert client.get("/xwzx/lszt/index.html").status_code == 404
    assert client.get("/no/such/page.html").status_code == 404
    assert client.get("/zwgk/fzsx/").status_code == 404  # 废止、失效目录: deliberately absent


def test_robots_txt(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text == "User-agent: *\nDisallow: /admin/\n"


def test_the_qzqd_list_lies_about_its_charset(client):
    r = client.get("/zwgk/qzqd/")
    assert r.headers["content-type"] == "text/html; charset=iso-8859-1"
    text = r.content.decode("gb18030")
    assert "当前位置：" in text and ">权责清单</a>" in text
    assert "权责清单" not in r.content.decode("iso-8859-1")  # what a naive client sees


def test_utf8_page_says_so_in_header_and_meta(client):
    r = client.get("/hdjl/")
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    text = r.content.decode("utf-8")
    assert '<meta charset="utf-8" />' in text
    form = HTMLParser(text).css_first("form.xx_form")
    assert form is not None and form.attributes["method"] == "post"
    assert "searchword" not in form.html  # a 县长信箱 form, not a search box


def test_the_letter_form_posts_and_nothing_else_does(portal, client):
    r = client.post("/hdjl/", data={"xm": "张三", "bt": "路灯不亮", "nr": "迎宾路北段路灯不亮。"})
    assert r.status_code == 200 and "已提交" in r.text
    r = client.post("/zwgk/", data={"x": "1"})
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    host, port = urlsplit(portal.base_url).netloc.split(":")
    for bad in ("nonsense", "-5"):  # a hostile length must neither crash nor hang the handler
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.putrequest("POST", "/hdjl/")
        conn.putheader("Content-Length", bad)
        conn.endheaders()
        assert conn.getresponse().status == 200, bad
        conn.close()


def test_directory_without_slash_redirects(client):
    r = client.get("/zwgk/gfxwj")
    assert r.status_code == 301
    assert r.headers["location"] == "/zwgk/gfxwj/"


def test_head_sends_the_get_headers_and_no_body(client):
    g, h = client.get("/zwgk/"), client.head("/zwgk/")
    assert h.status_code == 200 and h.content == b""
    assert h.headers["content-length"] == g.headers["content-length"] == str(len(g.content))


def test_paths_outside_the_site_are_refused(portal):
    host, port = urlsplit(portal.base_url).netloc.split(":")
    for raw in ("/%2e%2e/server.py", "/../server.py", "/zwgk/%2E%2E/%2E%2E/server.py", "/.hidden", "/_x/"):
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("GET", raw)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        assert resp.status == 404, raw
        assert b"DemoPortal" not in body


def test_hits_counter_counts_requests_by_path(portal, client):
    before = portal.hits["/zwgk/sf/"]
    client.get("/zwgk/sf/")
    client.head("/zwgk/sf/")
    client.get("/zwgk/sf/?page=2")
    assert portal.hits["/zwgk/sf/"] == before + 3


def test_search_finds_titles(client):
    r = client.get("/search/", params={"searchword": "权责清单"})
    assert r.status_code == 200
    links = {a.attributes["href"] for a in HTMLParser(r.text).css(".search_result a")}
    assert "/zwgk/qzqd/" in links
    assert "<script>" not in client.get("/search/", params={"searchword": "<script>"}).text


def test_portal_start_stop_and_default_today():
    p = DemoPortal()
    with pytest.raises(RuntimeError):
        _ = p.base_url
    assert abs((p.today - date.today()).days) <= 1  # Asia/Shanghai vs the machine's zone
    url = p.start()
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        assert httpx.get(url + "robots.txt").status_code == 200
    finally:
        p.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "robots.txt", timeout=2)


# ---------------------------------------------------------------- the content contract


def _links(file) -> list[str]:
    tree = HTMLParser(file.read_text(encoding="utf-8"))
    out = [n.attributes.get("href") for n in tree.css("a[href], link[href]")]
    out += [n.attributes.get("src") for n in tree.css("img[src], script[src]")]
    out += [n.attributes.get("action") for n in tree.css("form[action]")]
    return [h for h in out if h]


def test_every_internal_link_works_except_the_deliberate_faults(client):
    base = "http://demo.invalid/"
    targets: dict[str, str] = {}
    for file in site_pages():
        page = urljoin(base, url_of(file).lstrip("/"))
        for href in _links(file):
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            absolute = urljoin(page, href)
            if not absolute.startswith(base):
                assert absolute.startswith("https://"), (url_of(file), href)  # external: gov.cn etc.
                continue
            targets.setdefault(urlsplit(absolute).path, url_of(file))
    answers = {path: client.get(path).status_code for path in targets}
    wrong = {p: (s, targets[p]) for p, s in answers.items() if s != DELIBERATE.get(p, 200)}
    assert not wrong, wrong
    assert set(DELIBERATE) <= set(answers), "the deliberate faults must be linked from the site"


def test_every_planned_column_exists_with_its_breadcrumb(client):
    sidebar = HTMLParser(decode(client.get("/zwgk/"))).css(".xxgk_nav a")
    in_sidebar = {a.attributes["href"] for a in sidebar}
    for path, name in COLUMNS.items():
        r = client.get(path)
        assert r.status_code == 200, path
        crumb = HTMLParser(decode(r)).css_first(".position")
        assert crumb is not None and "当前位置：" in crumb.text(), path
        assert [a.text() for a in crumb.css("a")][-1] == name, path
        if path.startswith("/zwgk/") and path.count("/") == 3 and path != "/zwgk/":
            assert path in in_sidebar, f"{path} is not in the 政府信息公开 sidebar"
    zdly = {a.attributes["href"] for a in HTMLParser(decode(client.get("/zwgk/zdly/"))).css(".xxgk_nav a")}
    assert {"/zwgk/zdly/shjz/", "/zwgk/zdly/zdjsxm/"} <= zdly
    for name, url in EXTERNAL_COLUMNS.items():
        assert any(a.text() == name and a.attributes["href"] == url for a in sidebar), name


def _list_items(client, path: str) -> list:
    tree = HTMLParser(decode(client.get(path)))
    return tree.css(".xxgk_list li, .list_box li")


def test_column_contents_match_the_plan(client):
    counts = {"/xwzx/tzgg/": 8, "/zwgk/qzqd/": 5, "/zwgk/gfxwj/": 5, "/zwgk/zcjd/": 6, "/zwgk/zfxxgkzn/": 1,
              "/zwgk/zfxxgkzd/": 2, "/zwgk/wzndbb/": 1, "/zwgk/zdly/myjj/": 4, "/zwgk/gfxwj/xxyx/": 5,
              "/zwgk/ghjh/": 4, "/zwgk/tjxx/": 4, "/zwgk/rsxx/": 4, "/zwgk/bstj/": 3, "/zwgk/zdly/zdjsxm/": 5,
              "/hdjl/lyxd/": 4}
    for path, n in counts.items():
        assert len(_list_items(client, path)) == n, path
    # 政务要闻: 12 items over two TRS pages (the second reached only through createPageHTML).
    assert len(_list_items(client, "/xwzx/zwyw/")) + len(_list_items(client, "/xwzx/zwyw/index_1.html")) == 12
    assert "createPageHTML(2, 0" in decode(client.get("/xwzx/zwyw/"))
    # The blank column.
    sf = decode(client.get("/zwgk/sf/"))
    assert "暂无信息" in sf and not _list_items(client, "/zwgk/sf/")
    # The locator trap: a 通知公告 item about 权责清单.
    assert "关于做好权责清单公开工作的通知" in decode(client.get("/xwzx/tzgg/"))
    # Newest dates per column, in the formats the plan asks for.
    newest = {"/xwzx/zwyw/": days(-1).isoformat(), "/xwzx/tzgg/": f"{days(-20):%Y/%m/%d}",
              "/zwgk/fdzdgknr/": days(-40).isoformat(), "/zwgk/sgs/": days(-3).isoformat(),
              "/zwgk/czyjs/": days(-180).isoformat(), "/zwgk/qzqd/": f"{days(-60).year}年{days(-60).month}月{days(-60).day}日",
              "/zwgk/zdly/snbt/": f"{days(-400):%Y/%m/%d}", "/zwgk/zcjd/": f"[{days(-28).isoformat()}]",
              # The columns a mostly compliant portal keeps fresh: 规划 (the year's plan, 02-26),
              # 统计 (月报 on the 15th), 人事, 办事统计 (on the 5th, ≤ 92 days), 留言选登 (≤ 61 days).
              "/zwgk/ghjh/": "2026-02-26", "/zwgk/tjxx/": "2026-02-15", "/zwgk/rsxx/": days(-26).isoformat(),
              "/zwgk/bstj/": "2026-03-05", "/zwgk/zdly/zdjsxm/": f"{days(-22):%Y/%m/%d}",
              "/hdjl/lyxd/": days(-2).isoformat()}
    for path, first in newest.items():
        assert _list_items(client, path)[0].css_first(".date").text() == first, path


def test_zcjd_has_two_graphic_interpretations_of_six(client):
    titles = [li.css_first("a").attributes["title"] for li in _list_items(client, "/zwgk/zcjd/")]
    graphic = [t for t in titles if t.startswith(("图解", "一图读懂"))]
    assert len(titles) == 6 and len(graphic) == 2


def test_gfxwj_documents_state_validity_and_interpreter_except_one(client):
    tree = HTMLParser(decode(client.get("/zwgk/gfxwj/")))
    missing, numbers = [], []
    for a in tree.css(".xxgk_list a"):
        doc = HTMLParser(decode(client.get(urljoin("/zwgk/gfxwj/", a.attributes["href"]))))
        table = doc.css_first("table.xxgk_table").text()
        for label in ("索引号", "发布机构", "生成日期", "文号", "发布日期", "成文日期", "有效性"):
            assert label in table, (a.attributes["title"], label)
        numbers.append(re.search(r"云政(?:办)?规[〔\[]\d{4}[〕\]]\d+号", table).group(0))
        tail = doc.css_first("div.TRS_Editor").text()[-120:]
        if not ("有效期" in tail and "负责解读" in tail):
            missing.append(a.attributes["title"])
    assert missing == ["云溪县人民政府办公室关于印发云溪县农村集体经济组织财务管理办法的通知"]
    assert len(numbers) == 5 and any("[" in n for n in numbers)


def test_homepage_footer_lacks_only_the_police_record(client):
    tree = HTMLParser(decode(client.get("/")))
    footer = tree.css_first(".footer")
    text = footer.text()
    for needle in ("主办单位：云溪县人民政府办公室", "0352-6012345", "网站标识码：1402990001", "晋ICP备05004519号-1"):
        assert needle in text
    hrefs = [a.attributes["href"] for a in footer.css("a")]
    assert any(h.startswith("https://bszs.conac.cn/") for h in hrefs)
    assert any(h.startswith("https://zfwzzc.www.gov.cn/") for h in hrefs)
    page = decode(client.get("/"))
    assert "公网安备" not in page and "公安机关备案" not in page
    form = tree.css_first(".header form")
    assert form.attributes["action"] == "/search/" and form.css_first('input[name="searchword"]') is not None


@pytest.mark.parametrize("nth", [0, 1])
def test_annual_report_follows_the_2021_format(client, nth):
    # Both reports listed: before 03-31 the checker judges the older one, after it the newer.
    nb = HTMLParser(decode(client.get("/zwgk/zfxxgknb/")))
    link = nb.css(".xxgk_list a")[nth]
    assert link.attributes["title"] == f"云溪县{2024 - nth}年政府信息公开工作年度报告"
    doc = HTMLParser(decode(client.get(urljoin("/zwgk/zfxxgknb/", link.attributes["href"]))))
    body = doc.css_first("div.TRS_Editor")
    text = body.text()
    assert f"统计期限自{2024 - nth}年1月1日起至{2024 - nth}年12月31日止" in text
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    positions = [text.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions), positions
    # 表三: one + two = (七)总计 + 四, column by column.
    table = next(t for t in body.css("table") if "本年新收政府信息公开申请数量" in t.text())
    rows = {}
    for tr in table.css("tr"):
        cells = [td.text().strip() for td in tr.css("td")]
        nums = [c for c in cells if c.isdigit()]
        if len(nums) == 7:
            rows[next(c for c in cells if not c.isdigit())] = [int(x) for x in nums]
    one, two = rows["一、本年新收政府信息公开申请数量"], rows["二、上年结转政府信息公开申请数量"]
    total, four = rows["（七）总计"], rows["四、结转下年度继续办理"]
    assert [a + b for a, b in zip(one, two, strict=True)] == [a + b for a, b in zip(total, four, strict=True)]
    assert sum(one[:6]) == one[6]


def test_guide_and_functions_carry_contact_details(client):
    zn = HTMLParser(decode(client.get("/zwgk/zfxxgkzn/")))
    guide = decode(client.get(urljoin("/zwgk/zfxxgkzn/", zn.css_first(".xxgk_list a").attributes["href"])))
    for needle in ("办公地址", "办公时间", "0352-6012345", "0352-6012346", "http://www.yunxi.gov.cn", "电子邮箱",
                   "云溪发布"):
        assert needle in guide, needle
    jg = HTMLParser(decode(client.get("/zwgk/jgzn/")))
    functions = decode(client.get(urljoin("/zwgk/jgzn/", jg.css_first(".xxgk_list a").attributes["href"])))
    for needle in ("主要职能", "内设机构", "办公地址", "办公时间", "联系电话：0352-6012345", "负责人", "张镕"):
        assert needle in functions, needle


# ---------------------------------------------------------------- deliberate faults and their opposites


def _report_and_budget_items(today: date) -> tuple[list[tuple[str, date]], list[tuple[str, date]]]:
    """(title, date) of the 年报 list and of the 财政预决算 list, as served on `today`."""
    out = []
    for rel in ("zwgk/zfxxgknb/index.html", "zwgk/czyjs/index.html"):
        tree = HTMLParser(render_page((SITE_DIR / rel).read_text(encoding="utf-8"), today))
        out.append([(li.css_first("a").attributes["title"], date.fromisoformat(li.css_first(".date").text()))
                    for li in tree.css(".xxgk_list li")])
    return out[0], out[1]


@pytest.mark.parametrize("today", [date(2026, 1, 10), date(2026, 2, 28), date(2026, 3, 15), date(2026, 3, 31),
                                   date(2026, 4, 1), date(2026, 9, 30), date(2026, 10, 1), date(2026, 12, 31),
                                   date(2028, 2, 29)])
def test_report_and_budget_are_the_ones_the_checks_expect_on_any_day(today):
    # The kinds' own notion of what is due (annual_report.report_year, required_publications'
    # MM-DD deadlines) decides; the demo must publish exactly that, on time, whatever the day.
    reports, finance = _report_and_budget_items(today)
    year, _ = report_year(today, "03-31")
    due = deadline_in(year + 1, "03-31")
    assert any(t == f"云溪县{year}年政府信息公开工作年度报告" and d <= due for t, d in reports), (today, reports)
    assert all(d <= today for _, d in reports + finance), "nothing is dated in the future"
    budgets = [(t, d) for t, d in finance if f"{today.year}年" in t and "预算" in t]
    finals = [(t, d) for t, d in finance if f"{today.year - 1}年" in t and "决算" in t]
    if today > due_date("03-31", today.year):
        assert budgets and all(d <= due_date("03-31", today.year) for _, d in budgets), (today, finance)
    if today > due_date("09-30", today.year):
        assert finals and all(d <= due_date("09-30", today.year) for _, d in finals), (today, finance)
    # Never a report or a budget for a year that has not begun, nor a 决算 before its year ended.
    assert not any(f"{today.year + 1}年" in t for t, _ in reports + finance)
    assert not any(f"{today.year}年" in t for t, _ in reports)
    assert not any(f"{today.year}年" in t and "决算" in t for t, _ in finance)


def test_homepage_shows_the_new_media_accounts_the_guide_names(client):
    home = HTMLParser(decode(client.get("/")))
    block = home.css_first(".home_xmt")
    assert block is not None and block.css_first(".bt_tit").text() == "政务新媒体"
    links = {a.text(): urlsplit(a.attributes["href"]).hostname for a in block.css("a")}
    assert links == {"微信公众号「云溪发布」": "mp.weixin.qq.com", "官方微博「云溪发布」": "weibo.com"}
    assert "/hdjl/lyxd/" in {a.attributes["href"] for a in home.css(".home_hd a")}


def test_one_normative_document_is_published_late_and_the_rest_in_time(client):
    # 条例第二十六条: 20 working days from 成文日期 to 发布日期. The late one is not the document
    # that lacks 有效期 and 解读主体 (3104), so each fault stays with its own item.
    tree = HTMLParser(decode(client.get("/zwgk/gfxwj/")))
    late, in_time = [], []
    for a in tree.css(".xxgk_list a"):
        doc = HTMLParser(decode(client.get(urljoin("/zwgk/gfxwj/", a.attributes["href"]))))
        cells = [td.text().strip() for td in doc.css("table.xxgk_table td")]
        made = date.fromisoformat(cells[cells.index("成文日期：") + 1])
        published = date.fromisoformat(cells[cells.index("发布日期：") + 1])
        assert made < published, a.attributes["href"]
        # The signature date at the end of the notice is the 成文日期 too.
        assert f"{made:%Y年%m月%d日}" in doc.css_first("div.TRS_Editor").text() or "3103" in a.attributes["href"]
        deadline, _ = workdays.add_working_days(made, 20)
        (late if published > deadline else in_time).append(a.attributes["href"])
    assert late == ["./202410/t20241023_3102.html"] and len(in_time) == 4


def _personal(text: str) -> list:
    return scan_personal(text, mobile_contexts=("处罚", "公示", "当事人", "名单"))


def test_only_the_planted_penalty_notice_leaks_personal_data(client):
    id_card, mobile = "140299198503122537", "15935268741"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert "10X98765432"[sum(int(c) * w for c, w in zip(id_card, weights, strict=False)) % 11] == id_card[-1]
    leaks, masked = {}, {}
    for file in site_pages():
        r = client.get(url_of(file))
        text = HTMLParser(decode(r)).body.text(separator="\n")
        found = _personal(text)
        if [m for m in found if not m.masked]:
            leaks[url_of(file)] = sorted(m.text for m in found if not m.masked)
        if [m for m in found if m.masked]:
            masked[url_of(file)] = sorted(m.text for m in found if m.masked)
    assert leaks == {"/zwgk/sgs/202506/t20250611_3054.html": sorted([id_card, mobile])}
    # The compliant counterpart: a 补贴 名单 that prints numbers masked.
    assert masked == {"/zwgk/zdly/snbt/202405/t20240526_3251.html":
                      sorted(["1402**********1234", "1402**********2046", "139****5678", "152****0913"])}


def test_penalty_and_licence_notices_state_their_decision_dates(client):
    # 双公示: 7 working days from the decision to publication; every notice that names its
    # decision date in a line is in time (the batch notice prints them in a table only).
    tree = HTMLParser(decode(client.get("/zwgk/sgs/")))
    dated = 0
    for a in tree.css(".xxgk_list a"):
        doc = decode(client.get(urljoin("/zwgk/sgs/", a.attributes["href"])))
        published = date.fromisoformat(re.search(r"发布时间：(\d{4}-\d{2}-\d{2})", doc).group(1))
        m = re.search(r"决定日期：(\d{4}-\d{2}-\d{2})", doc)
        if m:
            dated += 1
            assert published <= workdays.add_working_days(date.fromisoformat(m.group(1)), 7)[0], a.attributes["href"]
    assert dated == 3
