"""The rule-case harness: case files load with file:line errors, sites render as real CMS
pages, and the real crawler and engine judge them."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from checker.crawl.decode import decode
from checker.engine.cases import (
    BASE_URL,
    Case,
    CaseError,
    PageSpec,
    case_problems,
    crawl_case,
    load_case_file,
    mismatches,
    render_site,
    run_case,
)
from checker.engine.loader import Problem, lint, load_rules
from checker.results import Status
from checker.site.snapshot import Snapshot

from .builders import check


def _case(text: str) -> Case:
    return Case.model_validate(YAML(typ="safe").load(textwrap.dedent(text)))


def _crawl(case: Case, tmp_path: Path):
    path = tmp_path / "s.sqlite"
    summary = crawl_case(case, path)
    snap = Snapshot(path)
    return summary, snap


TRS_SITE = """\
name: TRS column
expect: pass
as_of: 2024-06-30
site:
  pages:
    - url: /
      nav: {政府信息公开: /zwgk/, 权责清单: /zwgk/qzqd/}
      items:
        - [县政府召开常务会议研究部署权责清单动态调整和政务公开重点工作, /xwzx/202406/t20240628_9.html, 2024-06-28]
      footer: 主办单位：某某县人民政府办公室 网站标识码：1402130001 晋ICP备05004519号-1
      search: true
      links: {我为政府网站找错: "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteId.action?siteid=1402130001"}
    - url: /zwgk/qzqd/
      crumb: [首页, 政府信息公开, 权责清单]
      items:
        - [县发改局权责清单（2024年版）, ./202403/t20240301_1.html, 2024-03-01]
        - [县财政局权责清单（2024年版）, ./202402/t20240201_2.html, "[02-01]"]
    - url: /zwgk/qzqd/202403/t20240301_1.html
      crumb: [首页, 政府信息公开, 权责清单]
      title: 县发改局权责清单（2024年版）
      meta: {索引号: 11140213MB1234567X/2024-00001, 文号: 某政发〔2024〕3号, 发布机构: 县发改局, 发布日期: 2024-03-01}
      body: |
        根据《山西省权责清单管理办法》，现将县发改局权责清单予以公布。
        附件：县发改局权责清单（2024年版）

        本文件自发布之日起施行，有效期5年。本文件由县司法局负责解读。
      attachments: {权责清单.xlsx: ./P020240301.xlsx}
"""


# -- rendering -----------------------------------------------------------------------------------
def test_trs_pages_are_gbk_with_a_gb2312_meta_and_decode_back():
    site = render_site(_case(TRS_SITE).site)
    served = site.answer(BASE_URL + "zwgk/qzqd/202403/t20240301_1.html")
    assert served.status == 200 and served.content_type == "text/html"  # no charset: the meta decides
    with pytest.raises(UnicodeDecodeError):
        served.body.decode("utf-8")
    html = served.body.decode("gbk")
    assert '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />' in html
    assert '<table class="xxgk_table"' in html and '<div class="TRS_Editor"' in html
    assert "当前位置：" in html and "某某县人民政府" in html
    decoded = decode(served.body, served.content_type)
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert "本文件由县司法局负责解读。" in decoded.text
    # Blank lines separate paragraphs; the lines of one paragraph stay lines.
    assert ("<p>根据《山西省权责清单管理办法》，现将县发改局权责清单予以公布。<br />附件：县发改局权责清单（2024年版）</p>"
            in decoded.text)
    assert "<p>本文件自发布之日起施行，有效期5年。本文件由县司法局负责解读。</p>" in decoded.text


def test_characters_outside_gbk_become_character_references():
    case = _case("""\
        name: x
        expect: pass
        site:
          pages:
            - url: /
              body: 办事指南 😀
        """)
    body = render_site(case.site).answer(BASE_URL).body
    assert b"&#128512;" in body and "办事指南".encode("gbk") in body


def test_trs_site_through_the_real_crawler(tmp_path):
    summary, snap = _crawl(_case(TRS_SITE), tmp_path)
    assert summary.status == "complete"
    assert snap.meta["as_of"] == "2024-06-30"
    home = snap.homepage()
    assert home.kind == "home" and home.encoding == "gb18030"
    assert [i.title for i in home.list_items] == ["县政府召开常务会议研究部署权责清单动态调整和政务公开重点工作"]
    assert "网站标识码：1402130001" in home.footer
    assert any(f.is_search and "searchword" in f.inputs for f in home.forms)
    assert any(lk.text == "我为政府网站找错" and lk.region == "footer" and not lk.internal for lk in home.links)

    column = snap.get(BASE_URL + "zwgk/qzqd/")
    assert column.kind == "list" and column.breadcrumb == ("首页", "政府信息公开", "权责清单")
    assert [(i.title, i.date) for i in column.list_items] == [
        ("县发改局权责清单（2024年版）", date(2024, 3, 1)), ("县财政局权责清单（2024年版）", date(2024, 2, 1))]

    doc = snap.get(BASE_URL + "zwgk/qzqd/202403/t20240301_1.html")
    assert doc.kind == "detail" and doc.published == date(2024, 3, 1)
    assert doc.meta["索引号"] == "11140213MB1234567X/2024-00001" and doc.meta["文号"] == "某政发〔2024〕3号"
    assert doc.body.splitlines() == ["根据《山西省权责清单管理办法》，现将县发改局权责清单予以公布。", "附件：县发改局权责清单（2024年版）",
                                     "本文件自发布之日起施行，有效期5年。本文件由县司法局负责解读。"]
    assert "主办单位" in doc.footer  # the homepage's footer is every page's footer

    # The attachment is served (probed as a file), the unlisted document answers 404.
    attachment = snap.get(BASE_URL + "zwgk/qzqd/202403/P020240301.xlsx")
    assert attachment is not None and attachment.status == 200 and "spreadsheetml" in attachment.content_type
    missing = snap.error_for(BASE_URL + "zwgk/qzqd/202402/t20240201_2.html")
    assert (missing.kind, missing.status) == ("http", 404)
    snap.close()


def test_long_titles_are_cut_on_the_list_and_whole_in_the_title_attribute(tmp_path):
    title = "某某县人民政府办公室关于印发某某县2024年政务公开工作要点及任务分解表的通知"
    case = _case(f"""\
        name: x
        expect: pass
        site:
          pages:
            - url: /
              nav: {{通知公告: /tzgg/}}
            - url: /tzgg/
              crumb: [首页, 通知公告]
              items: [[{title}, ./202403/t20240301_1.html, 2024-03-01]]
        """)
    html = render_site(case.site).answer(BASE_URL + "tzgg/").body.decode("gbk")
    assert f'title="{title}"' in html and ">" + title[:28] + "…</a>" in html
    _summary, snap = _crawl(case, tmp_path)
    assert [i.title for i in snap.get(BASE_URL + "tzgg/").list_items] == [title]
    snap.close()


def test_dahan_style_tables_and_padded_labels(tmp_path):
    case = _case("""\
        name: x
        expect: pass
        site:
          style: dahan
          pages:
            - url: /
              nav: {政务公开: /col/col1/index.html, 人事信息: /col/col1003/index.html}
              footer: 版权所有：某某县人民政府　网站标识码：1402130001
            - url: /col/col1/index.html
              crumb: [首页, 政务公开]
              items: [[人事信息, /col/col1003/index.html]]
            - url: /col/col1003/index.html
              crumb: [首页, 政务公开, 人事信息]
              items:
                - [关于王珺同志任职的通知, /art/2024/3/8/art_1003_90012.html, 2024-03-08]
                - [关于李镕同志试用期满考核合格的公示, /art/2024/3/1/art_1003_89977.html, 2024-03-01]
            - url: /art/2024/3/8/art_1003_90012.html
              crumb: [首页, 政务公开, 人事信息]
              title: 关于王珺同志任职的通知
              meta: {索引号: 11140213MB1234567X/2024-00058, 文号: 某干字〔2024〕5号, 发布日期: 2024-03-08}
              body: 经县委研究决定，王珺同志任县人民政府办公室副主任，试用期一年。
        """)
    html = render_site(case.site).answer(BASE_URL + "art/2024/3/8/art_1003_90012.html").body.decode("gbk")
    assert "索 引 号：" in html and "文\u3000\u3000号：" in html and '<div id="zoom">' in html
    assert "您现在的位置：" in html
    list_html = render_site(case.site).answer(BASE_URL + "col/col1003/").body.decode("gbk")
    assert '<td width="80" align="right">2024-03-08</td>' in list_html

    _summary, snap = _crawl(case, tmp_path)
    column = snap.get(BASE_URL + "col/col1003/")
    assert column.kind == "list" and column.breadcrumb == ("首页", "政务公开", "人事信息")
    assert [i.date for i in column.list_items] == [date(2024, 3, 8), date(2024, 3, 1)]
    doc = snap.get(BASE_URL + "art/2024/3/8/art_1003_90012.html")
    assert doc.kind == "detail" and doc.meta["文号"] == "某干字〔2024〕5号" and doc.published == date(2024, 3, 8)
    # Breadcrumb names link to the column pages that carry them.
    assert any(lk.region == "breadcrumb" and lk.url == BASE_URL + "col/col1003/" for lk in doc.links)
    snap.close()


def test_plain_style_is_utf8(tmp_path):
    case = _case("""\
        name: x
        expect: pass
        site:
          style: plain
          pages:
            - url: /
              nav: {通知公告: /tzgg/}
            - url: /tzgg/
              crumb: [首页, 通知公告]
              items:
                - [关于做好2024年春季森林防火工作的通知, /tzgg/1.html, 2024-03-01]
                - [关于调整部分公交线路的公告, /tzgg/2.html, 2024-02-19]
        """)
    served = render_site(case.site).answer(BASE_URL + "tzgg/")
    assert served.content_type == "text/html; charset=utf-8"
    assert "关于调整部分公交线路的公告" in served.body.decode("utf-8")
    _summary, snap = _crawl(case, tmp_path)
    column = snap.get(BASE_URL + "tzgg/")
    assert column.encoding == "utf-8" and column.kind == "list" and len(column.list_items) == 2
    snap.close()


def test_empty_column_says_no_information(tmp_path):
    case = _case("""\
        name: x
        expect: fail
        site:
          pages:
            - url: /
              nav: {双公示: /zwgk/sgs/}
            - url: /zwgk/sgs/
              crumb: [首页, 政府信息公开, 双公示]
              empty: true
        """)
    _summary, snap = _crawl(case, tmp_path)
    page = snap.get(BASE_URL + "zwgk/sgs/")
    assert page.kind == "list" and page.empty_list and not page.list_items
    snap.close()


def test_nav_and_footer_are_inherited_and_links_placed_by_page(tmp_path):
    case = _case("""\
        name: x
        expect: pass
        site:
          name: 某某县人民政府门户网站
          pages:
            - url: /
              nav: {首页: /, 政府信息公开: /zwgk/}
              links: {政务微博: "https://weibo.com/mouxian"}
            - url: /zwgk/
              crumb: [首页, 政府信息公开]
              title: 某某县人民政府2023年政府信息公开工作年度报告
              body: 本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况等六个部分。
              body_html: <table class="nb"><tr><td>表三</td><td>收到申请数</td><td>12</td></tr></table>
              links: {相关解读：一图读懂2023年年报: /zwgk/jd/1.html}
        """)
    html = render_site(case.site).answer(BASE_URL + "zwgk/").body.decode("gbk")
    assert "<title>某某县人民政府2023年政府信息公开工作年度报告_某某县人民政府门户网站</title>" in html
    assert html.count(">首页</a>") == 2  # nav (the homepage's, not doubled) and breadcrumb
    _summary, snap = _crawl(case, tmp_path)
    home, report = snap.homepage(), snap.get(BASE_URL + "zwgk/")
    assert report.footer == "主办单位：某某县人民政府门户网站办公室"
    assert home.footer == "政务微博\n主办单位：某某县人民政府门户网站办公室"  # the homepage's links sit in its footer
    assert [(lk.text, lk.region) for lk in home.links if "weibo" in lk.url] == [("政务微博", "footer")]
    assert ("相关解读：一图读懂2023年年报", "body") in [(lk.text, lk.region) for lk in report.links]
    assert report.body.endswith("六个部分。\n表三 收到申请数 12")
    assert any(lk.text == "政府信息公开" and lk.region == "nav" for lk in report.links)
    snap.close()


# -- statuses, raw pages, robots, scope ----------------------------------------------------------------
def test_403_and_412_are_waf_pages_and_the_crawl_calls_them_blocked(tmp_path):
    case = _case("""\
        name: x
        expect: unknown
        site:
          pages:
            - url: /
              nav: {社会救助: /zwgk/shjz/, 养老服务: /zwgk/ylfw/, 就业: /zwgk/jy/, 教育: /zwgk/jyxx/}
            - url: /zwgk/shjz/
              status: 403
            - url: /zwgk/ylfw/
              status: 412
            - url: /zwgk/jy/
              status: 500
            - url: /zwgk/jyxx/
              status: 403
              body: <html><body>Forbidden</body></html>
        """)
    site = render_site(case.site)
    assert "安全狗" in site.answer(BASE_URL + "zwgk/shjz/").body.decode("utf-8")
    assert b"$_ts" in site.answer(BASE_URL + "zwgk/ylfw/").body
    assert site.answer(BASE_URL + "zwgk/jyxx/").body == b"<html><body>Forbidden</body></html>"
    summary, snap = _crawl(case, tmp_path)
    assert summary.status == "complete" and summary.blocked == 3
    kinds = {e.url.removeprefix(BASE_URL): (e.kind, e.status) for e in snap.errors()}
    assert kinds == {"zwgk/shjz/": ("blocked", 403), "zwgk/ylfw/": ("blocked", 412), "zwgk/jy/": ("http", 500),
                     "zwgk/jyxx/": ("blocked", 403)}
    snap.close()


def test_a_redirect_with_a_location(tmp_path):
    case = _case("""\
        name: x
        expect: pass
        site:
          pages:
            - url: /
              nav: {政务服务: /zwfw/}
            - url: /zwfw/
              status: 302
              location: https://www.shanxi.gov.cn/zwfw/
        """)
    _summary, snap = _crawl(case, tmp_path)
    page = snap.get(BASE_URL + "zwfw/")
    assert page is not None and "redirects out of scope to https://www.shanxi.gov.cn/zwfw/" in page.problem
    snap.close()


def test_raw_html_is_served_as_written_and_transcoded_for_gbk_styles(tmp_path):
    raw = "<html><head><title>某某县政务公开专栏</title></head><body><div class='nav'><a href='/'>首页</a></div></body></html>"
    case = _case(f"""\
        name: x
        expect: pass
        site:
          pages:
            - url: /
              html: "{raw}"
            - url: /utf/
              encoding: utf-8
              html: <html><head><meta charset="utf-8"><title>专栏</title></head><body>专栏</body></html>
        """)
    site = render_site(case.site)
    home = site.answer(BASE_URL)
    assert home.body == raw.encode("gbk") and home.content_type == "text/html; charset=GBK"  # no meta: the header says
    utf = site.answer(BASE_URL + "utf/")
    assert utf.body.decode("utf-8").endswith("专栏</body></html>") and utf.content_type == "text/html"
    _summary, snap = _crawl(case, tmp_path)
    assert snap.homepage().title == "某某县政务公开专栏"
    snap.close()


def test_robots_txt_is_obeyed(tmp_path):
    case = _case("""\
        name: x
        expect: unknown
        site:
          robots: "User-agent: *\\nDisallow: /zwgk/\\n"
          pages:
            - url: /
              nav: {政府信息公开: /zwgk/}
            - url: /zwgk/
              crumb: [首页, 政府信息公开]
              items: [[政府信息公开指南, /zwgk/zn/1.html, 2024-01-01]]
        """)
    _summary, snap = _crawl(case, tmp_path)
    assert snap.get(BASE_URL + "zwgk/") is None
    assert snap.error_for(BASE_URL + "zwgk/").kind == "robots"
    snap.close()


def test_any_query_pages_and_extra_hosts(tmp_path):
    case = _case("""\
        name: x
        expect: pass
        site:
          extra_hosts: [xxgk.case.test]
          pages:
            - url: /
              nav: {政府信息公开: "http://xxgk.case.test/", 网上办事: "https://zwfw.shanxi.gov.cn/"}
            - url: http://xxgk.case.test/
              crumb: [首页, 政府信息公开]
              items: [[政府信息公开指南, /zn/1.html, 2024-01-01]]
            - url: /search/?*
              html: <html><body>检索结果：政府信息公开指南</body></html>
        """)
    site = render_site(case.site)
    assert "检索结果" in site.answer(BASE_URL + "search/?searchword=%E6%8C%87%E5%8D%97&channelid=1").body.decode("gbk")
    assert site.answer(BASE_URL + "search/other/?q=1").status == 404
    _summary, snap = _crawl(case, tmp_path)
    assert snap.get("http://xxgk.case.test/").kind == "list"
    assert all("shanxi" not in p.url for p in snap.pages())  # out of scope: linked, never fetched
    snap.close()


def test_partial_crawl(tmp_path):
    case = _case("""\
        name: x
        expect: unknown
        site:
          partial: true
          pages:
            - url: /
              nav: {通知公告: /tzgg/, 政策文件: /zcwj/}
            - url: /tzgg/
              crumb: [首页, 通知公告]
              items: [[关于做好春季森林防火工作的通知, /tzgg/1.html, 2024-03-01]]
            - url: /zcwj/
              crumb: [首页, 政策文件]
              items: [[某某县人民政府关于印发某某办法的通知, /zcwj/1.html, 2024-03-01]]
        """)
    summary, snap = _crawl(case, tmp_path)
    assert summary.status == "partial" and summary.budget_exhausted
    assert snap.meta["status"] == "partial" and len(snap) == 2
    snap.close()


def test_partial_that_sees_everything_is_a_case_error(tmp_path):
    case = _case("""\
        name: x
        expect: unknown
        site:
          partial: 50
          pages:
            - url: /
        """)
    with pytest.raises(CaseError, match="partial"):
        crawl_case(case, tmp_path / "s.sqlite")


# -- running a case ------------------------------------------------------------------------------------
def test_run_case_judges_with_the_real_engine():
    chk = check("not_blank", target={"names": ["权责清单"], "url_hints": ["qzqd"]})
    passing = _case(TRS_SITE)
    result = run_case(chk, passing)
    assert result.status == Status.PASS and result.check_id == chk.id
    assert mismatches(passing, result) == []

    pages = [PageSpec(url=pg.url, crumb=pg.crumb, empty=True) if pg.url == "/zwgk/qzqd/" else pg
             for pg in passing.site.pages]
    empty = passing.model_copy(update={"site": passing.site.model_copy(update={"pages": pages})})
    result = run_case(chk, empty)
    assert result.status == Status.FAIL and "空白栏目" in result.summary
    assert mismatches(empty, result) == ["status is fail, expected pass"]


def test_mismatches_name_summary_and_evidence():
    chk = check("not_blank", target={"names": ["权责清单"], "url_hints": ["qzqd"]})
    case = _case(TRS_SITE).model_copy(update={"summary_contains": ["有 2 条信息", "有 9 条信息"],
                                              "evidence_contains": "/zwgk/nowhere/"})
    assert mismatches(case, run_case(chk, case)) == [
        "summary does not contain '有 9 条信息'", "no evidence field contains '/zwgk/nowhere/'"]


# -- loading: file, line, field ------------------------------------------------------------------------------
def _file(tmp_path: Path, text: str, name: str = "qzqd-not-blank.yaml") -> Path:
    folder = tmp_path / "rules" / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    problems: list[Problem] = []
    assert load_case_file(path, base=path.parents[2], problems=problems) is None
    return [str(p) for p in problems]


def test_a_malformed_item_is_reported_with_file_line_and_field(tmp_path):
    path = _file(tmp_path, """\
        check: qzqd-not-blank
        cases:
          - name: ok
            expect: pass
            site:
              pages:
                - url: /
                - url: /zwgk/qzqd/
                  items:
                    - [县发改局权责清单, ./1.html, 2024-03-01]
                    - [只有标题]
        """)
    assert _problems(path) == [
        "rules/cases/qzqd-not-blank.yaml:11: cases[0].site.pages[1].items[1]: "
        "a list item is [title, href] or [title, href, date as printed]"]


def test_unknown_fields_wrong_values_and_inconsistent_pages(tmp_path):
    path = _file(tmp_path, """\
        check: qzqd-not-blank
        cases:
          - name: a
            expect: passed
            site:
              pages:
                - url: /
                  colour: red
          - name: b
            expect: fail
            site:
              style: wordpress
              pages:
                - url: /x/
                  html: <html></html>
                  items: [[标题标题, /1.html]]
        """)
    assert _problems(path) == [
        "rules/cases/qzqd-not-blank.yaml:4: cases[0].expect: Input should be 'pass', 'fail', 'unknown' or "
        "'not_applicable'",
        "rules/cases/qzqd-not-blank.yaml:8: cases[0].site.pages[0].colour: Extra inputs are not permitted",
        "rules/cases/qzqd-not-blank.yaml:12: cases[1].site.style: Input should be 'trs', 'dahan' or 'plain'",
        "rules/cases/qzqd-not-blank.yaml:14: cases[1].site.pages[0]: `html` is the exact page served; it does "
        "not combine with items",
    ]


def test_site_level_problems(tmp_path):
    path = _file(tmp_path, """\
        check: qzqd-not-blank
        cases:
          - name: no homepage
            expect: pass
            site:
              pages:
                - url: /zwgk/
          - name: no homepage
            expect: fail
            site:
              pages:
                - url: /
                - url: http://elsewhere.test/x/
        """)
    assert _problems(path) == [
        "rules/cases/qzqd-not-blank.yaml:5: cases[0].site: the site needs a homepage: a page with url /",
        "rules/cases/qzqd-not-blank.yaml:10: cases[1].site: http://elsewhere.test/x/: host elsewhere.test is "
        "outside the scan scope (add it to extra_hosts)",
    ]


def test_duplicate_case_names_point_at_the_second(tmp_path):
    path = _file(tmp_path, """\
        check: qzqd-not-blank
        cases:
          - name: same
            expect: pass
            site: {pages: [{url: /}]}
          - name: same
            expect: fail
            site: {pages: [{url: /}]}
        """)
    assert _problems(path) == ["rules/cases/qzqd-not-blank.yaml:6: cases[1].name: two cases are named 'same'"]


def test_yaml_syntax_error_has_a_line(tmp_path):
    path = _file(tmp_path, "check: qzqd-not-blank\ncases:\n  - name: [unclosed\n")
    (problem,) = _problems(path)
    assert problem.startswith("rules/cases/qzqd-not-blank.yaml:4: YAML syntax error")


def test_dates_written_unquoted_are_text_as_printed(tmp_path):
    path = _file(tmp_path, """\
        check: qzqd-not-blank
        cases:
          - name: dates
            expect: pass
            as_of: 2024-06-30
            site:
              pages:
                - url: /
                  items: [[县政府召开常务会议, /1.html, 2024-03-01]]
                  meta: {发布日期: 2024-03-01, 年度: 2024}
        """)
    loaded = load_case_file(path)
    case = loaded.cases[0]
    assert case.as_of == date(2024, 6, 30)
    assert case.site.pages[0].items == [["县政府召开常务会议", "/1.html", "2024-03-01"]]
    assert case.site.pages[0].meta == {"发布日期": "2024-03-01", "年度": "2024"}
    assert (loaded.check, loaded.check_line, loaded.case_lines) == ("qzqd-not-blank", 1, [3])


# -- lint -------------------------------------------------------------------------------------------------
CHECKS = """\
checks:
  - id: qzqd-exists
    kind: exists
    title: 设置权责清单栏目
    target: {names: [权责清单]}
  - id: qzqd-not-blank
    kind: not_blank
    title: 权责清单栏目有内容
    target: {names: [权责清单]}
"""
PROFILE = """\
id: p
title: 测试
source: t.txt
items:
  - number: "1"
    name: 权责清单
    content: 公开权责清单
    checks: [qzqd-exists, qzqd-not-blank]
"""
ONE_CASE = """\
check: {check}
cases:
  - name: {expect} case
    expect: {expect}
    site: {{pages: [{{url: /}}]}}
"""


def _rules_dir(tmp_path: Path, cases: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    for sub in ("checks", "profiles", "cases"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "checks" / "c.yaml").write_text(CHECKS, encoding="utf-8")
    (root / "profiles" / "p.yaml").write_text(PROFILE, encoding="utf-8")
    for name, text in cases.items():
        (root / "cases" / name).write_text(text, encoding="utf-8")
    return root


def test_lint_wants_a_pass_and_a_fail_case_for_every_check(tmp_path):
    root = _rules_dir(tmp_path, {
        "qzqd-exists.yaml": ONE_CASE.format(check="qzqd-exists", expect="pass"),
        "qzqd-exists-more.yaml": ONE_CASE.format(check="qzqd-exists", expect="fail"),
        "qzqd-not-blank.yaml": ONE_CASE.format(check="qzqd-not-blank", expect="unknown"),
        "gone.yaml": ONE_CASE.format(check="gone", expect="pass"),
        "broken.yaml": "check: qzqd-exists\ncases:\n  - name: x\n    expect: pass\n",
    })
    assert [str(p) for p in lint(root)] == [
        "rules/cases/broken.yaml:3: cases[0].site: Field required",
        "rules/cases/gone.yaml:1: check: unknown check id 'gone'",
        "rules/checks/c.yaml:6: id: check 'qzqd-not-blank' has no pass and no fail case "
        "(write them in rules/cases/qzqd-not-blank.yaml)",
        "rules/cases/qzqd-exists-more.yaml:1: check: warning: cases of 'qzqd-exists' belong in qzqd-exists.yaml",
    ]


def test_lint_is_clean_with_both_cases_and_ignores_rules_without_a_cases_folder(tmp_path):
    root = _rules_dir(tmp_path, {
        f"{c}.yaml": ONE_CASE.format(check=c, expect="pass") + ONE_CASE.format(check=c, expect="fail").split(
            "cases:\n", 1)[1]
        for c in ("qzqd-exists", "qzqd-not-blank")
    })
    assert lint(root) == []
    (root / "cases" / "qzqd-exists.yaml").unlink()
    (root / "cases" / "qzqd-not-blank.yaml").unlink()
    (root / "cases").rmdir()
    assert lint(root) == []


def test_case_problems_accept_a_former_id_with_a_warning(tmp_path):
    root = _rules_dir(tmp_path, {})
    (root / "checks" / "c.yaml").write_text(CHECKS.replace("title: 设置权责清单栏目", "title: 设置权责清单栏目\n    aliases: [qzqd]"),
                                            encoding="utf-8")
    (root / "cases" / "qzqd-exists.yaml").write_text(
        ONE_CASE.format(check="qzqd", expect="pass") + ONE_CASE.format(check="qzqd", expect="fail").split(
            "cases:\n", 1)[1], encoding="utf-8")
    rules = load_rules(root)
    problems = [str(p) for p in case_problems(root / "cases", rules.checks, rules.check_sites, base=tmp_path)]
    assert "rules/cases/qzqd-exists.yaml:1: check: warning: 'qzqd' is a former id of check 'qzqd-exists'" in problems
    assert not any("qzqd-exists' has no" in p for p in problems)
