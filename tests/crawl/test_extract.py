from datetime import date
from pathlib import Path

import pytest

from checker.crawl.decode import decode
from checker.crawl.extract import Extracted, extract
from checker.crawl.urls import Scope
from checker.site.records import Form, ListItem

FIXTURES = Path(__file__).parent / "fixtures"
SITE = "http://www.pingcheng.gov.cn/"
SCOPE = Scope(SITE)
TODAY = date(2024, 3, 15)


def load(name: str, url: str, **kw) -> Extracted:
    d = decode((FIXTURES / name).read_bytes(), "text/html")
    return extract(d.text, url, SCOPE.contains, today=TODAY, **kw)


def regions(e: Extracted) -> dict[str, str]:
    return {link.text: link.region for link in e.links}


# ---------------------------------------------------------------- TRS column list


@pytest.fixture(scope="module")
def trs():
    return load("trs_list.html", SITE + "zwgk/zfxxgk/tzgg/index.html")


def test_trs_list_kind_breadcrumb_title(trs):
    assert trs.kind == "list"
    assert trs.title == "通知公告_政府信息公开_大同市平城区人民政府"
    assert trs.breadcrumb == ("首页", "政府信息公开", "通知公告")
    assert not trs.empty_list
    assert trs.problem == ""


def test_trs_list_items_use_untruncated_titles_and_dates(trs):
    assert len(trs.list_items) == 6
    first = trs.list_items[0]
    assert first == ListItem(
        title="大同市平城区人民政府办公室关于做好2024年春季森林防火工作的通知",
        url="http://www.pingcheng.gov.cn/zwgk/zfxxgk/tzgg/202403/t20240301_123456.html",
        date=date(2024, 3, 1),
        date_raw="2024-03-01",
    )
    # The date printed beside the link wins over a date inside the title.
    third = trs.list_items[2]
    assert third.title == "关于2024年1月5日起调整部分公交线路的公告"
    assert third.date == date(2024, 2, 19)
    # Tracking parameters and fragments are gone from item URLs.
    assert third.url == "http://www.pingcheng.gov.cn/zwgk/zfxxgk/tzgg/202402/t20240219_123377.html"
    assert [i.date for i in trs.list_items][-1] == date(2023, 12, 28)


def test_trs_list_link_regions(trs):
    r = regions(trs)
    assert r["政务公开"] == "nav"  # header menu
    assert r["法定主动公开内容"] == "nav"  # left column menu
    assert r["首页"] in ("nav", "breadcrumb")
    assert r["政府信息公开"] == "breadcrumb"
    assert r["大同市平城区人民政府办公室关于做好2024年春季森林防火…"] == "list"
    assert r["下一页"] == "body"
    assert r["网站地图"] == "footer"
    assert r["党政机关"] == "footer"  # image link: alt text
    conac = next(link for link in trs.links if link.text == "党政机关")
    assert conac.url.startswith("https://bszs.conac.cn/sitename?")
    assert conac.internal is False
    assert all(link.internal for link in trs.links if link.region == "list")


def test_trs_list_body_is_the_list_and_footer_is_the_footer(trs):
    assert "关于2024年1月5日起调整部分公交线路的公告" in trs.body
    assert "走进平城" not in trs.body and "网站标识码" not in trs.body
    assert "网站标识码：1402130001" in trs.footer
    assert "晋ICP备05004519号-1" in trs.footer
    assert "晋公网安备 14020202000123号" in trs.footer
    assert "走进平城" in trs.text and "网站标识码" in trs.text
    # Script and style text never reaches any text field.
    assert "脚本里的文字" not in trs.text and "line-height" not in trs.text


def test_trs_list_search_form(trs):
    assert trs.forms == (
        Form(action="http://www.pingcheng.gov.cn/was5/web/search", method="get", inputs=("searchword", "channelid"), is_search=True,
             defaults=(("searchword", ""), ("channelid", "200912")), query_input="searchword"),
    )


# ---------------------------------------------------------------- 大汉 table list in GBK


def test_gbk_table_list_through_decode_and_extract():
    raw = (FIXTURES / "dahan_list_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # declared gb2312, really GBK
    d = decode(raw, "text/html; charset=ISO-8859-1")
    assert (d.encoding, d.source) == ("gb18030", "meta")
    e = extract(d.text, SITE + "col/col1003/index.html", SCOPE.contains, today=TODAY)
    assert e.kind == "list"
    assert e.breadcrumb == ("首页", "政务公开", "人事信息")
    assert [(i.title, i.date, i.date_raw) for i in e.list_items] == [
        ("关于王珺同志任职的通知", date(2024, 3, 8), "[03-08]"),
        ("关于李镕同志试用期满考核合格的公示", date(2024, 3, 1), "[03-01]"),
        ("平城区2024年事业单位公开招聘工作人员公告", date(2024, 2, 20), "[02-20]"),
        ("关于张堃等同志职务任免的通知", date(2023, 12, 28), "[12-28]"),
    ]
    assert e.list_items[0].url == "http://www.pingcheng.gov.cn/art/2024/3/8/art_1003_90012.html"
    assert "网站标识码：1402130001" in e.footer
    assert regions(e)["机构职能"] == "nav"


def test_yearless_list_dates_without_today_keep_raw():
    d = decode((FIXTURES / "dahan_list_gbk.html").read_bytes(), None)
    e = extract(d.text, SITE + "col/col1003/index.html", SCOPE.contains)
    assert e.kind == "list"
    assert [(i.date, i.date_raw) for i in e.list_items][:2] == [(None, "[03-08]"), (None, "[03-01]")]


# ---------------------------------------------------------------- detail with 信息公开 metadata table


@pytest.fixture(scope="module")
def detail():
    return load("xxgk_detail.html", SITE + "zwgk/zfxxgk/fdzdgknr/gfxwj/202403/t20240306_130000.html")


def test_detail_metadata_table(detail):
    assert detail.kind == "detail"
    assert detail.meta == {
        "索引号": "11140213MB1955803D/2024-00058",
        "主题分类": "综合政务",
        "发布机构": "大同市平城区人民政府办公室",
        "生成日期": "2024-02-28",
        "标题": "大同市平城区人民政府关于印发平城区权责清单动态调整管理办法的通知",
        "文号": "平政发〔2024〕3号",
        "发布日期": "2024年03月05日",
        "有效性": "有效",
    }


def test_detail_published_prefers_the_metadata_date(detail):
    # 发布日期 (03-05) beats the 发布时间 line and the PubDate meta (both 03-06).
    assert detail.published == date(2024, 3, 5)


def test_detail_body_is_the_article_only(detail):
    assert detail.body.startswith("各乡（镇）人民政府、街道办事处，区直各有关单位：")
    assert "第十八条 本办法自发布之日起施行，有效期5年。" in detail.body
    assert "索引号" not in detail.body and "网站标识码" not in detail.body and "政务服务" not in detail.body
    assert detail.breadcrumb == ("首页", "政府信息公开", "规范性文件")


def test_detail_links_respect_base_href(detail):
    pdf = next(link for link in detail.links if link.text.endswith(".pdf"))
    assert pdf.url == "http://www.pingcheng.gov.cn/zwgk/zfxxgk/fdzdgknr/gfxwj/P020240306391234567890.pdf"
    jd = next(link for link in detail.links if link.text.endswith("政策解读"))
    assert jd.url == "http://www.pingcheng.gov.cn/zwgk/zfxxgk/fdzdgknr/zcjd/202403/t20240307_130001.html"
    assert jd.region == "body"
    assert detail.list_items == ()


# ---------------------------------------------------------------- article with a 发布时间 line


def test_article_with_chinese_publish_line():
    e = load("article_cn_date.html", SITE + "xwzx/gzdt/202403/t20240301_1.html")
    assert e.kind == "detail"
    assert e.published == date(2024, 3, 1)
    assert e.meta == {"标题": "平城区召开2024年政务公开工作推进会"}
    assert e.breadcrumb == ("首页", "新闻中心", "工作动态")
    assert e.body.startswith("2月29日下午，平城区召开2024年政务公开工作推进会")
    # A source line break inside Chinese text is not a space: the phrase stays searchable.
    assert "政府信息公开指南和法定主动公开内容" in e.body
    assert "版权所有" in e.footer and "版权所有" not in e.body
    assert {link.region for link in e.links} == {"nav", "breadcrumb"}


# ---------------------------------------------------------------- breadcrumb by label, short list


def test_breadcrumb_from_label_text_and_short_list():
    e = load("qzqd_list.html", SITE + "zwgk/zfxxgk/qzqd/")
    assert e.breadcrumb == ("首页", "政府信息公开", "权责清单")
    assert e.kind == "list"
    assert [i.date for i in e.list_items] == [date(2024, 3, 5), date(2024, 3, 5), date(2023, 12, 20)]
    assert e.footer == "网站标识码：1402130001"


def test_single_dated_item_under_a_breadcrumb_is_a_list():
    html = """<html><body><div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
    <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/zfxxgknb/">政府信息公开年报</a></div>
    <ul class="list"><li><a href="/zwgk/zfxxgknb/202401/t20240115_1.html">平城区2023年政府信息公开工作年度报告</a><span>2024-01-15</span></li></ul>
    <div class="footer">网站标识码：1402130001</div></body></html>"""
    e = extract(html, SITE + "zwgk/zfxxgknb/", SCOPE.contains, today=TODAY)
    assert e.kind == "list"
    assert e.list_items == (ListItem("平城区2023年政府信息公开工作年度报告", SITE + "zwgk/zfxxgknb/202401/t20240115_1.html", date(2024, 1, 15), "2024-01-15"),)


# ---------------------------------------------------------------- empty column


def test_empty_column_page():
    e = load("empty_column.html", SITE + "zwgk/zfxxgk/fdzdgknr/xzcf/")
    assert e.kind == "list"
    assert e.empty_list is True
    assert e.list_items == ()
    assert e.breadcrumb == ("首页", "法定主动公开内容", "行政处罚")
    assert e.body == "暂无信息"
    assert "Copyright" in e.footer


def test_no_data_text_in_an_article_is_not_an_empty_column():
    long = "本年度依申请公开情况统计如下，其中部分栏目暂无数据，将在下一年度补充完善。" * 6
    html = f"""<html><body><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/x/">年报</a></div>
    <div class="TRS_Editor"><p>{long}</p></div></body></html>"""
    e = extract(html, SITE + "x/1.html", SCOPE.contains)
    assert e.kind == "detail" and e.empty_list is False


# ---------------------------------------------------------------- homepage


@pytest.fixture(scope="module")
def home():
    return load("homepage.html", SITE, is_home=True)


def test_homepage_collects_items_from_every_news_box(home):
    assert home.kind == "home"
    got = [(i.title, i.date, i.date_raw) for i in home.list_items]
    assert got == [
        ("平城区召开2024年一季度经济运行分析会", date(2024, 3, 14), "03-14"),
        ("区领导督导检查安全生产工作", date(2024, 3, 12), "03-12"),
        ("平城区2023年重点工程全部完工", date(2023, 12, 29), "12-29"),
        ("关于2024年度区级预算公开的公告", date(2024, 3, 1), "2024-03-01"),
        ("平城区2024年春节期间值班安排", date(2024, 2, 20), "2024-02-20"),
        ("一图读懂《平城区优化营商环境若干措施》", date(2024, 2, 28), "2024.02.28"),
    ]


def test_homepage_nav_footer_search(home):
    r = regions(home)
    assert r["政务公开"] == "nav"
    assert r["无障碍浏览"] == "nav"
    assert r["中国政府网"] == "footer"
    assert r["党政机关"] == "footer"
    assert r["政府网站找错"] == "footer"
    assert r["政务公开专栏"] == "body"  # image link with alt
    assert r["山西省专题"] == "body"  # image link with only a title
    assert r["区领导督导检查安全生产工作"] == "list"
    internal = {link.text: link.internal for link in home.links}
    assert internal["政务公开"] is True and internal["山西省人民政府"] is False
    # mailto: is not a link we can follow.
    assert "联系邮箱" not in r
    home_link = next(link for link in home.links if link.text == "首页")
    assert home_link.url == SITE  # /index.html is the site root
    assert home.forms == (Form(action=SITE + "search/", method="post", inputs=("q",), is_search=True,
                               defaults=(("q", ""),), query_input="q"),)
    for marker in ("网站标识码：1402130001", "晋ICP备05004519号-1", "晋公网安备 14020202000123号", "主办单位"):
        assert marker in home.footer
    assert "模板里的标题" not in home.text  # <script type="text/xml"> is not text
    assert "2024年3月15日" not in home.body  # the header date is navigation chrome


# ---------------------------------------------------------------- robustness


def test_non_search_form():
    html = """<html><body><form action="/hdjl/submit.jsp" method="POST"><input name="name"><input name="phone">
    <textarea name="content"></textarea><button type="submit">提交留言</button></form></body></html>"""
    e = extract(html, SITE + "hdjl/", SCOPE.contains)
    assert e.forms == (Form(action=SITE + "hdjl/submit.jsp", method="post", inputs=("name", "phone", "content"), is_search=False,
                            defaults=(("name", ""), ("phone", ""), ("content", "")), query_input="name"),)


def test_text_is_capped_and_reported():
    html = "<html><body><div class='TRS_Editor'>" + "<p>政府信息公开工作年度报告正文。</p>" * 2000 + "</div></body></html>"
    e = extract(html, SITE + "a.html", SCOPE.contains, max_text=1000)
    assert len(e.text) == 1000 and len(e.body) == 1000
    assert "text truncated to 1000 characters" in e.problem
    assert "body truncated to 1000 characters" in e.problem


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<",
        "<html><body><div><p><a href='/x'>未闭合",
        "<table><tr><td><table><tr><td>" * 200,
        "<div>" * 8000 + "深层嵌套" + "</div>" * 8000,
        "\x00\x01\x02<a href='\x00'>\x00</a>",
        "<a href='javascript:alert(1)'>x</a><a href='http://[bad'>y</a><a href='http://a.gov.cn:99999/'>z</a>",
    ],
)
def test_broken_html_never_raises(html):
    e = extract(html, SITE, SCOPE.contains, today=TODAY)
    assert isinstance(e, Extracted)
    assert e.kind in ("list", "detail", "other")
    assert "extraction failed" not in e.problem


def test_deep_nesting_keeps_its_text():
    html = "<div>" * 8000 + "深层嵌套的正文" + "</div>" * 8000
    assert "深层嵌套的正文" in extract(html, SITE, SCOPE.contains).text


def test_internal_error_becomes_problem_not_exception():
    def broken_scope(url: str) -> bool:
        raise RuntimeError("scope exploded")

    e = extract("<html><body><a href='/a'>链接</a></body></html>", SITE, broken_scope)
    assert e.kind == "other"
    assert e.problem.startswith("extraction failed: RuntimeError: scope exploded")


# ---------------------------------------------------------------- smaller structures


def test_plain_text_breadcrumb_and_unnamed_footer():
    html = """<html><body>
    <div class="wrap1"><div>当前位置：首页 &gt; 政府信息公开 &gt; 权责清单</div></div>
    <div class="wrap2"><div class="TRS_Editor"><p>"""+ "权责清单按照职权法定、简政放权、权责一致的原则编制，实行动态调整。" * 5 + """</p></div></div>
    <div class="wrap3"><p>大同市平城区人民政府 主办</p><p>网站标识码：1402130001 晋ICP备05004519号-1</p></div>
    </body></html>"""
    e = extract(html, SITE + "zwgk/qzqd/1.html", SCOPE.contains)
    assert e.breadcrumb == ("首页", "政府信息公开", "权责清单")
    assert e.kind == "detail"
    assert e.footer == "大同市平城区人民政府 主办\n网站标识码：1402130001 晋ICP备05004519号-1"
    assert "网站标识码" not in e.body


def test_gkml_table_list_with_header_row():
    rows = "".join(
        f"<tr><td>11140213MB1955803D/2024-0000{i}</td>"
        f"<td><a href='./202403/t2024030{i}_{i}.html' title='平城区人民政府关于第{i}批行政许可事项调整的通知'>平城区人民政府关于第{i}批行政许可…</a></td>"
        f"<td>平政发〔2024〕{i}号</td><td>2024-03-0{i}</td></tr>"
        for i in range(1, 6)
    )
    html = f"""<html><body><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/gkml/">公开目录</a></div>
    <div class="gkml_list"><table><tr><th>索引号</th><th>名称</th><th>文号</th><th>发布日期</th></tr>{rows}</table></div>
    </body></html>"""
    e = extract(html, SITE + "zwgk/gkml/", SCOPE.contains)
    assert e.kind == "list"
    assert e.meta == {}  # the column headings are not a metadata block
    assert len(e.list_items) == 5
    assert e.list_items[0].title == "平城区人民政府关于第1批行政许可事项调整的通知"
    assert e.list_items[4].date == date(2024, 3, 5)
    assert "平政发〔2024〕3号" in e.body


def test_title_attribute_only_used_when_it_continues_the_text():
    items = "".join(
        f"<li><a href='/a/{i}.html' title='点击查看详情'>平城区第{i}次政务公开培训会召开</a><span>2024-03-0{i}</span></li>"
        for i in range(1, 4)
    )
    e = extract(f"<html><body><ul class='list'>{items}</ul></body></html>", SITE + "a/", SCOPE.contains)
    assert e.kind == "list"
    assert [i.title for i in e.list_items] == [f"平城区第{i}次政务公开培训会召开" for i in range(1, 4)]


def test_short_notice_in_an_editor_box_is_a_detail_not_a_list():
    html = """<html><body>
    <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/tzgg/">通知公告</a></div>
    <div class="main"><div class="detail_box">
      <h1>关于做好权责清单公开工作的通知</h1>
      <div class="detail_info"><span>发布时间：2024-03-02 10:40</span><span>来源：县政府办</span></div>
      <div class="detail_con" id="zoom"><div class="TRS_Editor">
        <p>经审核确认的权责清单，由县政府办公室统一在县政府门户网站<a href="/zwgk/qzqd/">权责清单</a>栏目集中公开。</p>
      </div></div>
    </div></div></body></html>"""
    e = extract(html, SITE + "xwzx/tzgg/202403/t20240302_1.html", SCOPE.contains, today=TODAY)
    assert e.kind == "detail"
    assert e.list_items == ()
    assert e.published == date(2024, 3, 2)
    assert e.meta == {"标题": "关于做好权责清单公开工作的通知"}
    assert e.body == "经审核确认的权责清单，由县政府办公室统一在县政府门户网站权责清单栏目集中公开。"
    assert regions(e)["权责清单"] == "body"


def test_column_with_undated_items_is_still_a_list():
    """检查指标: an item without a visible date counts as not updated, so a column that shows
    no dates must still be recognised as a column (and then judged stale), not as 'other'."""
    html = """<html><head><title>今日要闻_某县人民政府</title></head><body>
    <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; 今日要闻</div>
    <div class="xxgk_list"><ul>
      <li><a href="./202403/t20240301_1.html">县长主持召开县政府常务会议</a></li>
      <li><a href="./202402/t20240220_2.html">全县安全生产工作会议召开</a></li>
      <li><a href="./202402/t20240201_3.html">县委理论学习中心组集体学习</a></li>
    </ul></div></body></html>"""
    ex = extract(html, "http://www.example.gov.cn/xwzx/jryw/", lambda u: True, today=date(2024, 3, 10))
    assert ex.kind == "list" and len(ex.list_items) == 3
    assert all(item.date is None for item in ex.list_items)
