"""annual_report: finding the year's 年报, its six sections, 表三, and its publication date.

Synthetic reports follow what extraction makes of real TRS report pages (each table cell
on its own line when cells hold <p>, a row on one line when they do not); the real 平潭
2024 report under ../shared/realpages is read through the real decode + extract.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from checker.crawl.decode import decode
from checker.crawl.extract import extract
from checker.crawl.urls import Scope
from checker.engine.kinds.annual_report import (
    deadline_in,
    find_sections,
    read_table3,
    report_year,
    title_matches,
    year_forms,
)
from checker.results import Status
from checker.site.records import PageRecord

from ..builders import FETCHED, check, error, item, link, page, run_check, url

NB = {"names": ["政府信息公开年报", "政府信息公开年度报告"], "url_hints": ["zfxxgknb"]}
CRUMB = ("首页", "政府信息公开", "政府信息公开年报")
KEYWORDS = ["政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开年报", "信息公开工作年度报告"]

PREAMBLE = ("本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制。本报告共分6个部分：总体情况、"
            "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
            "存在的主要问题及改进情况、其他需要报告的事项。")
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def _rows(new=(40, 2, 0, 0, 1, 0, 43), old=(1, 0, 0, 0, 0, 0, 1), done=(39, 2, 0, 0, 1, 0, 42),
          carry=(2, 0, 0, 0, 0, 0, 2)) -> dict[str, tuple]:
    return {"一、本年新收政府信息公开申请数量": new, "二、上年结转政府信息公开申请数量": old, "（七）总计": done,
            "四、结转下年度继续办理": carry}


def table3_text(rows=None, *, sep="\n") -> str:
    """表三 as extraction renders it: sep '\\n' puts each cell on its own line, ' ' a row on one line."""
    rows = rows or _rows()
    head = sep.join(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
                     "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    lines = [head]
    for labl, numbers in rows.items():
        if labl == "（七）总计":
            lines.append(sep.join(["三、本年度办理结果", "（一）予以公开", "20", "1", "0", "0", "1", "0", "22"]))
            lines.append(sep.join(["（六）其他处理", "3.其他", "1", "0", "0", "0", "0", "0", "1"]))
        lines.append(sep.join([labl, *(str(n) for n in numbers)]))
    return "\n".join(lines)


def report_body(*, headings=HEADINGS, table=None) -> str:
    parts = [PREAMBLE]
    for h in headings:
        parts.append(h)
        if h.startswith("三"):
            parts.append(table if table is not None else table3_text())
        else:
            parts.append("2025年，全区依法做好政府信息公开工作，本年新收政府信息公开申请43件。")
    return "\n".join(parts)


def report_page(path="/zwgk/zfxxgknb/202603/t20260320_901.html", title="平城区人民政府2025年政府信息公开工作年度报告",
                published="2026-03-20", body=None, **kw) -> PageRecord:
    return page(path, kind="detail", title=f"{title}_政府信息公开年报_大同市平城区人民政府", breadcrumb=CRUMB,
                published=published, meta={"标题": title}, body=body if body is not None else report_body(), **kw)


def site(*items, extra=(), column=True, **col_kw):
    """Homepage, the 年报 column listing `items`, and `extra` pages."""
    home = page("/", kind="home", depth=0, title="大同市平城区人民政府",
                links=(link("/zwgk/", "政府信息公开"), link("/zwgk/zfxxgknb/", "政府信息公开年报")))
    pages = [home]
    if column:
        pages.append(page("/zwgk/zfxxgknb/", kind="list", title="政府信息公开年报_大同市平城区人民政府",
                          breadcrumb=CRUMB, items=items, **col_kw))
    return pages + list(extra)


def _item_of(p: PageRecord, day=None):
    return item(p.meta.get("标题") or p.title, p.url, day or p.published)


def nb(aspect, **kw):
    return check("annual_report", target=NB, aspect=aspect, **kw)


# -- the year, titles ---------------------------------------------------------------------------------
def test_report_year_follows_the_deadline():
    assert report_year(date(2026, 3, 31), "03-31") == (2024, True)  # the 2025 report is due today, not yet late
    assert report_year(date(2026, 4, 1), "03-31") == (2025, False)
    assert report_year(date(2026, 2, 1), "01-31") == (2025, False)
    assert deadline_in(2026, "02-29") == date(2026, 2, 28)


def test_title_matches_years_in_every_form():
    assert year_forms(2024) == ("2024", "二〇二四", "二○二四", "二零二四")
    assert title_matches("平城区人民政府2024年政府信息公开工作年度报告", 2024, KEYWORDS)
    assert title_matches("平城区二〇二四年政府信息公开工作年度报告", 2024, KEYWORDS)
    assert title_matches("平城区二○二四年度政府信息公开年报", 2024, KEYWORDS)
    assert title_matches("平城区２０２４年度 政府信息公开 工作年度报告", 2024, KEYWORDS)
    assert not title_matches("平城区2023年政府信息公开工作年度报告", 2024, KEYWORDS)
    assert not title_matches("平城区12024号政府信息公开工作年度报告", 2024, KEYWORDS)
    assert not title_matches("关于报送2024年度政府信息公开工作年度报告的通知", 2024, KEYWORDS)
    assert not title_matches("平城区2024年政府网站工作年度报表", 2024, KEYWORDS)


# -- exists ------------------------------------------------------------------------------------------------
def test_exists_prefers_the_governments_own_report(make_snapshot):
    own = report_page()
    dept = report_page("/zwgk/zfxxgknb/202601/t20260120_880.html", title="平城区发改局2025年度政府信息公开工作年度报告",
                       published="2026-01-20")
    office = report_page("/zwgk/zfxxgknb/202601/t20260118_870.html",
                         title="平城区人民政府办公室2025年度政府信息公开工作年度报告", published="2026-01-18")
    snap = make_snapshot(site(_item_of(dept), _item_of(office), _item_of(own), extra=(own, dept, office)))
    out = run_check(snap, nb("exists"))
    assert out.status == Status.PASS
    assert out.summary == "已发布 2025 年度年报「平城区人民政府2025年政府信息公开工作年度报告」"
    ev = out.evidence[0]
    assert ev.url == own.url and ev.http_status == 200
    assert ev.where == "栏目「政府信息公开年报」的列表"


def test_exists_fails_when_only_older_reports_are_listed(make_snapshot):
    old = report_page("/zwgk/zfxxgknb/202503/t20250328_700.html", title="平城区人民政府2024年政府信息公开工作年度报告",
                      published="2025-03-28")
    out = run_check(make_snapshot(site(_item_of(old), extra=(old,))), nb("exists"))
    assert out.status == Status.FAIL
    assert out.summary == "未找到 2025 年度政府信息公开工作年度报告"
    assert out.evidence[0].url == url("/zwgk/zfxxgknb/")
    assert "平城区人民政府2024年政府信息公开工作年度报告" in out.evidence[0].context
    assert "标题含「2025」" in out.evidence[0].looked_for


def test_exists_before_the_deadline_judges_the_year_before(make_snapshot):
    old = report_page("/zwgk/zfxxgknb/202503/t20250328_700.html", title="平城区人民政府2024年政府信息公开工作年度报告",
                      published="2025-03-28")
    snap = make_snapshot(site(_item_of(old), extra=(old,)), meta={"as_of": "2026-02-10"})
    out = run_check(snap, nb("exists"))
    assert out.status == Status.PASS
    assert "2024 年度" in out.summary
    assert "2025 年度年报的发布期限 2026-03-31 未到，检查 2024 年度年报" in out.evidence[0].note


def test_exists_unknown_on_a_partial_crawl(make_snapshot):
    out = run_check(make_snapshot(site(), meta={"status": "partial"}), nb("exists"))
    assert out.status == Status.UNKNOWN
    assert "抓取未覆盖全站" in out.reason


def test_exists_unknown_when_the_column_is_blocked(make_snapshot):
    snap = make_snapshot(site(column=False), errors=[error("/zwgk/zfxxgknb/", "blocked", 412, anchor="政府信息公开年报")])
    out = run_check(snap, nb("exists"))
    assert out.status == Status.UNKNOWN
    assert out.reason.startswith("全站未找到 2025 年度政府信息公开工作年度报告，且链接「政府信息公开年报」指向的页面无法访问")


def test_exists_unknown_when_the_list_is_loaded_by_script(make_snapshot):
    out = run_check(make_snapshot(site(problem="列表由脚本加载")), nb("exists"))
    assert out.status == Status.UNKNOWN
    assert "列表页未提取到条目" in out.reason


def test_exists_on_a_listed_report_whose_page_was_blocked(make_snapshot):
    own = report_page()
    snap = make_snapshot(site(_item_of(own)), errors=[error(own.url, "blocked", 412)])
    assert run_check(snap, nb("exists")).status == Status.PASS
    sections = run_check(snap, nb("sections"))
    assert sections.status == Status.UNKNOWN
    assert sections.reason == f"2025 年度年报页面未能抓取（412 被拦截）：{own.url}"
    assert sections.evidence[0].http_status == 412
    # The list's date still says when it was published.
    on_time = run_check(snap, nb("on_time"))
    assert on_time.status == Status.PASS
    assert on_time.evidence[0].context == "列表日期「2026-03-20」：2026-03-20"


def test_an_attachment_elsewhere_counts_for_exists_only(make_snapshot):
    # No 年报 column; the 信息公开 hub links the report as a PDF named with a Chinese-numeral year.
    hub = page("/zwgk/", title="政府信息公开_大同市平城区人民政府", breadcrumb=("首页", "政府信息公开"),
               links=(link("/zwgk/P020260325123456.pdf", "平城区二〇二五年政府信息公开工作年度报告", "body"),))
    snap = make_snapshot(site(column=False, extra=(hub,)))
    out = run_check(snap, nb("exists"))
    assert out.status == Status.PASS
    assert out.summary == "已发布 2025 年度年报「平城区二〇二五年政府信息公开工作年度报告」（附件 PDF）"
    assert out.evidence[0].url == url("/zwgk/") and "P020260325123456.pdf" in out.evidence[0].note
    for aspect in ("sections", "table3"):
        res = run_check(snap, nb(aspect))
        assert res.status == Status.UNKNOWN
        assert "未能提取附件文字：附件未抓取或未读取" in res.reason  # the PDF is not in the snapshot
    assert run_check(snap, nb("on_time")).status == Status.UNKNOWN  # no date anywhere


def test_a_dead_link_is_not_a_report(make_snapshot):
    snap = make_snapshot(site(item("平城区人民政府2025年政府信息公开工作年度报告", "/zwgk/zfxxgknb/gone.html", "2026-03-20")),
                         errors=[error("/zwgk/zfxxgknb/gone.html", "http", 404)])
    assert run_check(snap, nb("exists")).status == Status.FAIL


# -- sections ------------------------------------------------------------------------------------------------
def test_find_sections_ignores_the_preamble():
    assert find_sections(report_body()) == ([], [])
    # Only the preamble names the parts: every heading is missing.
    assert find_sections(PREAMBLE) == ([0, 1, 2, 3, 4, 5], [])


def test_find_sections_tolerates_wordings_numbering_and_spaces():
    body = "\n".join([PREAMBLE, "一、 总 体 情 况", "正文", "（二）主动公开政府信息的情况", "三．收到和处理政府信息公开申请情况",
                      "四、行政复议、行政诉讼情况", "五、存在的主要问题和改进措施", "第六部分 其他需要报告事项"])
    assert find_sections(body) == ([], [])
    # The 2021 archived text has no line breaks at all: headings follow their numbering mid-line.
    one_line = "。".join(["前言", *HEADINGS]).replace("\n", "")
    assert find_sections(one_line) == ([], [])


def test_find_sections_blames_the_fewest_headings():
    assert find_sections("\n".join([*HEADINGS[1:], HEADINGS[0]])) == ([], [0])  # 总体情况 moved to the end
    assert find_sections("\n".join([HEADINGS[0], HEADINGS[2], HEADINGS[1], *HEADINGS[3:]])) == ([], [2])


def test_sections_pass(make_snapshot):
    own = report_page()
    out = run_check(make_snapshot(site(_item_of(own), extra=(own,))), nb("sections"))
    assert out.status == Status.PASS
    assert out.summary == "2025 年度年报包含六部分标题，顺序正确"
    assert out.evidence[0].url == own.url


def test_sections_fail_lists_missing_and_misplaced(make_snapshot):
    headings = [HEADINGS[0], HEADINGS[2], HEADINGS[1], HEADINGS[3], HEADINGS[5]]  # 二/三 swapped, 五 missing
    own = report_page(body=report_body(headings=headings))
    out = run_check(make_snapshot(site(_item_of(own), extra=(own,))), nb("sections"))
    assert out.status == Status.FAIL
    assert out.summary == ("2025 年度年报缺少「五、存在的主要问题及改进情况」；"
                           "顺序不符：「三、收到和处理政府信息公开申请情况」")


def test_sections_unknown_when_the_page_only_links_its_attachment(make_snapshot):
    own = report_page(body="平城区人民政府2025年政府信息公开工作年度报告，详见附件。\n附件：年度报告.pdf",
                      links=(link("/zwgk/zfxxgknb/202603/P020260320.pdf", "年度报告.pdf", "body"),))
    out = run_check(make_snapshot(site(_item_of(own), extra=(own,))), nb("sections"))
    assert out.status == Status.UNKNOWN
    assert "报告可能在附件中" in out.reason and "P020260320.pdf" in out.reason


# -- table 3 -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sep", ["\n", " "])
def test_read_table3_in_both_layouts(sep):
    table = read_table3(report_body(table=table3_text(sep=sep)))
    assert table.rows == {"一": [40, 2, 0, 0, 1, 0, 43], "二": [1, 0, 0, 0, 0, 0, 1],
                          "三(七)": [39, 2, 0, 0, 1, 0, 42], "四": [2, 0, 0, 0, 0, 0, 2]}
    # Prose before the table (本年新收政府信息公开申请43件) is not a row.
    assert table.texts["一"] == "一、本年新收政府信息公开申请数量 40 2 0 0 1 0 43"[2:]


def test_read_table3_does_not_guess():
    blank = _rows(carry=(2, 0, 0, 0, 0, 2))  # an empty cell: six numbers
    assert "「四、结转下年度继续办理」" in read_table3(table3_text(blank))
    eight = _rows(new=(40, 2, 0, 0, 1, 0, 43, 43))
    assert "「一、本年新收政府信息公开申请数量」" in read_table3(table3_text(eight))
    assert read_table3("一、总体情况\n正文") == "正文中没有表三的文字（表格可能是图片或附件）"


def test_table3_pass(make_snapshot):
    own = report_page()
    out = run_check(make_snapshot(site(_item_of(own), extra=(own,))), nb("table3"))
    assert out.status == Status.PASS
    assert out.evidence[0].found == "7 列均相符；总计列：一 43 + 二 1 = 三(七) 42 + 四 2"


def test_table3_fail_names_each_column(make_snapshot):
    rows = _rows(done=(38, 2, 0, 0, 1, 0, 41))  # 自然人 and 总计 are one short
    own = report_page(body=report_body(table=table3_text(rows)))
    out = run_check(make_snapshot(site(_item_of(own), extra=(own,))), nb("table3"))
    assert out.status == Status.FAIL
    assert out.summary == "2025 年度年报表三不相符：自然人、总计列 一 + 二 ≠ 三(七) + 四"
    assert [ev.found for ev in out.evidence] == ["自然人列：一 40 + 二 1 = 41，三(七) 38 + 四 2 = 40",
                                                "总计列：一 43 + 二 1 = 44，三(七) 41 + 四 2 = 43"]


def test_table3_unknown_when_the_table_is_an_image(make_snapshot):
    own = report_page(body=report_body(table="（表格见图片）"))
    out = run_check(make_snapshot(site(_item_of(own), extra=(own,))), nb("table3"))
    assert out.status == Status.UNKNOWN
    assert out.reason == "2025 年度年报正文中没有表三的文字（表格可能是图片或附件）"


# -- on time --------------------------------------------------------------------------------------------------
def test_on_time_against_the_deadline(make_snapshot):
    own = report_page(published="2026-03-20")
    snap = make_snapshot(site(_item_of(own), extra=(own,)))
    out = run_check(snap, nb("on_time"))
    assert out.status == Status.PASS
    assert out.summary == "2025 年度年报发布于 2026-03-20，未晚于 2026-03-31"
    late = run_check(snap, nb("on_time", deadline="01-31"))  # a department, or a task list's earlier date
    assert late.status == Status.FAIL
    assert late.summary == "2025 年度年报发布于 2026-03-20，晚于期限 2026-01-31 48 天"


def test_on_time_uses_the_page_date_before_the_list_date(make_snapshot):
    own = report_page(published="2026-04-02")
    snap = make_snapshot(site(_item_of(own, day="2026-03-30"), extra=(own,)))
    out = run_check(snap, nb("on_time"))
    assert out.status == Status.FAIL
    assert out.evidence[0].context == "年报页面的发布日期：2026-04-02"


def test_on_time_unknown_without_any_date(make_snapshot):
    own = report_page(published=None)
    snap = make_snapshot(site(item(own.meta["标题"], own.url), extra=(own,)))
    out = run_check(snap, nb("on_time"))
    assert out.status == Status.UNKNOWN
    assert out.reason == "2025 年度年报的页面和列表均无可识别的发布日期"


# -- the real 平潭 2024 report (../shared/realpages, never copied here) -------------------------------------------
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "realpages"
PINGTAN = "changwu__pingtan-gov-zwgk-archive/pingtan/zwgk/zfxxgk/zfxxgknb"
PT = "https://www.pingtan.gov.cn/"
REPORT_URL = PT + "zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm"
LIST_URL = PT + "zwgk/zfxxgk/zfxxgknb/nlist.htm"


def _real(pattern: str) -> Path:
    found = sorted(REAL.glob(pattern)) if REAL.is_dir() else []
    if not found:
        pytest.skip(f"real page {pattern} is not present")
    return found[0]


def _record(html: str, page_url: str, depth: int = 2) -> PageRecord:
    """What the crawler stores for a page: the real extraction's fields on a PageRecord."""
    e = extract(html, page_url, Scope(PT).contains, today=date(2026, 9, 15))
    return PageRecord(url=page_url, final_url=page_url, status=200, fetched_at=FETCHED, depth=depth,
                      content_type="text/html", kind=e.kind, title=e.title, breadcrumb=e.breadcrumb, text=e.text,
                      body=e.body, footer=e.footer, meta=e.meta, published=e.published, list_items=e.list_items,
                      empty_list=e.empty_list, links=e.links, forms=e.forms, problem=e.problem)


def _pingtan(make_snapshot, *, tamper=False):
    report_html = decode(_real(f"{PINGTAN}/202503/97791_*/page.html").read_bytes(), "text/html").text
    list_html = decode(_real(f"{PINGTAN}/_lists/index.html").read_bytes(), "text/html").text
    if tamper:  # one number changed: 自然人 in （七）总计 becomes 216
        report_html, n = re.subn(r"(（七）总计</p></td><td[^>]*><p[^>]*>)217<", r"\g<1>216<", report_html, count=1)
        assert n == 1
    home = page(PT, kind="home", depth=0, title="平潭综合实验区党工委管委会",
                links=(link(LIST_URL, "政府信息公开年报"),))
    pages = [home, _record(list_html, LIST_URL, 1), _record(report_html, REPORT_URL)]
    return make_snapshot(pages, meta={"start_url": PT, "hosts": ["www.pingtan.gov.cn"], "as_of": "2025-09-15"})


@pytest.mark.realpages
def test_real_pingtan_2024_report(make_snapshot):
    snap = _pingtan(make_snapshot)
    exists = run_check(snap, nb("exists"))
    assert exists.status == Status.PASS
    assert exists.summary == "已发布 2024 年度年报「平潭综合实验区2024年度政府信息公开工作年度报告」"
    assert exists.evidence[0].url == REPORT_URL
    sections = run_check(snap, nb("sections"))
    assert sections.status == Status.PASS
    table = run_check(snap, nb("table3"))
    assert table.status == Status.PASS
    assert table.evidence[0].found == "7 列均相符；总计列：一 218 + 二 0 = 三(七) 218 + 四 0"
    assert "（七）总计 217 1 0 0 0 0 218" in table.evidence[0].context
    on_time = run_check(snap, nb("on_time"))
    assert on_time.status == Status.PASS
    assert on_time.summary == "2024 年度年报发布于 2025-03-10，未晚于 2025-03-31"


@pytest.mark.realpages
def test_real_pingtan_2024_report_tampered(make_snapshot):
    out = run_check(_pingtan(make_snapshot, tamper=True), nb("table3"))
    assert out.status == Status.FAIL
    assert [ev.found for ev in out.evidence] == ["自然人列：一 217 + 二 0 = 217，三(七) 216 + 四 0 = 216"]


@pytest.mark.realpages
def test_real_2021_archived_text_glues_cells_and_is_not_guessed():
    # The archive's own extraction of the 2021 report joined the cells (…数量640020470): unreadable, so unknown.
    text = _real(f"{PINGTAN}/202202/*/page.txt").read_text(encoding="utf-8")
    assert isinstance(read_table3(text), str)
    assert find_sections(text) == ([], [])
