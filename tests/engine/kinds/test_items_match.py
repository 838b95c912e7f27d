"""items_match: each required content named by one of the column's item titles."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from checker.results import Status

from ..builders import check, error, item, link, page, portal, run_check, url

ZDXZJC = {"names": ["重大行政决策", "重大决策预公开"], "url_hints": ["zdxzjc"]}
REQUIRED = ["事项目录|决策目录", "征求意见", "解读|起草说明", "结果|采纳|反馈"]
CRUMBS = ("首页", "政府信息公开", "重大行政决策")


def _column(items, *, path="/zwgk/zdxzjc/", links=(), **kw):
    return page(path, kind="list", title="重大行政决策_大同市平城区人民政府", breadcrumb=CRUMBS, items=items,
                links=(link("/zwgk/zdxzjc/", "重大行政决策"), *links), **kw)


# The titles a TRS 重大行政决策 column shows; the list cuts long titles short with “…”.
CATALOG = item("平城区2026年度重大行政决策事项目录", "/zwgk/zdxzjc/202603/t20260310_41.html", "2026-03-10")
DRAFT = item("关于《平城区城区停车管理办法（征求意见稿）》公开征求意见的公告", "/zwgk/zdxzjc/202605/t20260512_42.html",
             "2026-05-12")
NOTE = item("关于《平城区城区停车管理办法（征求意见稿）》的起草说明", "/zwgk/zdxzjc/202605/t20260512_43.html", "2026-05-12")
RESULT = item("平城区人民政府关于印发平城区城区停车管理办法的通知（决策结…", "/zwgk/zdxzjc/202609/t20260901_44.html",
              "2026-09-01")


def _site(*items, extra=(), **kw):
    return [*portal(), _column(tuple(items), **kw), *extra]


def _result_doc(meta_title="平城区人民政府关于印发平城区城区停车管理办法的通知（决策结果）"):
    return page(RESULT.url, kind="detail", title=f"{meta_title}_重大行政决策_大同市平城区人民政府",
                breadcrumb=CRUMBS, published="2026-09-01", body="各街道、各部门：……",
                meta={"标题": meta_title, "文号": "平政发〔2026〕30号"})


def test_pass_names_the_matching_item_for_each_requirement(make_snapshot):
    snap = make_snapshot(_site(RESULT, NOTE, DRAFT, CATALOG, extra=[_result_doc()]))
    out = run_check(snap, check("items_match", target=ZDXZJC, required=REQUIRED))
    assert out.status == Status.PASS
    assert out.summary == "栏目「重大行政决策」1 个列表页的 4 条信息中找到全部 4 项要求的内容"
    # The first item in list order that names a requirement is its evidence (the 起草说明 of the
    # 征求意见稿 names 征求意见 too).
    assert [ev.found for ev in out.evidence] == [
        CATALOG.title, NOTE.title, NOTE.title, "平城区人民政府关于印发平城区城区停车管理办法的通知（决策结果）",
    ]
    by_req = {ev.looked_for: ev for ev in out.evidence}
    assert by_req["「解读」或「起草说明」"].note == f"匹配「起草说明」：{NOTE.url}"
    assert by_req["「事项目录」或「决策目录」"].url == url("/zwgk/zdxzjc/")
    assert by_req["「事项目录」或「决策目录」"].context == f"2026-03-10 {CATALOG.title}"


def test_fail_lists_the_missing_requirements_and_the_titles_seen(make_snapshot):
    snap = make_snapshot(_site(NOTE, DRAFT, CATALOG))
    out = run_check(snap, check("items_match", target=ZDXZJC, required=REQUIRED))
    assert out.status == Status.FAIL
    assert out.summary == ("栏目「重大行政决策」1 个列表页的 3 条信息中未找到「结果」或「采纳」或「反馈」"
                           "（3/4 项找到）")
    miss = out.evidence[0]
    assert miss.found == "未找到" and miss.looked_for == "「结果」或「采纳」或「反馈」"
    assert miss.url == url("/zwgk/zdxzjc/") and miss.http_status == 200
    assert CATALOG.title in miss.context and DRAFT.title in miss.context
    assert len(out.evidence) == 4  # the miss, then the three requirements that were met


def test_a_truncated_title_is_read_whole_only_from_its_fetched_document(make_snapshot):
    # Without the document, “（决策结…” does not say 结果: the list title alone cannot meet it.
    without = run_check(make_snapshot(_site(RESULT, NOTE, DRAFT, CATALOG)),
                        check("items_match", target=ZDXZJC, required=["结果"]))
    assert without.status == Status.FAIL
    with_doc = run_check(make_snapshot(_site(RESULT, NOTE, DRAFT, CATALOG, extra=[_result_doc()])),
                         check("items_match", target=ZDXZJC, required=["结果"]))
    assert with_doc.status == Status.PASS


def test_titles_match_across_width_and_spaces(make_snapshot):
    spaced = item("平城区２０２６年度重大行政决策 事项 目录", "/zwgk/zdxzjc/1.html", "2026-03-10")
    out = run_check(make_snapshot(_site(spaced)), check("items_match", target=ZDXZJC, required=["事项目录"]))
    assert out.status == Status.PASS


def test_pagination_pages_the_crawl_fetched_are_read(make_snapshot):
    page_two = _column((CATALOG,), path="/zwgk/zdxzjc/index_1.html")
    snap = make_snapshot(_site(RESULT, NOTE, DRAFT, extra=[_result_doc(), page_two]))
    out = run_check(snap, check("items_match", target=ZDXZJC, required=REQUIRED))
    assert out.status == Status.PASS
    assert out.summary.startswith("栏目「重大行政决策」2 个列表页的 4 条信息中")
    assert out.evidence[0].url == url("/zwgk/zdxzjc/index_1.html")


def test_missing_content_with_unfetched_pagination_is_unknown(make_snapshot):
    pager = (link("/zwgk/zdxzjc/index_1.html", "下一页", "other"), link("/zwgk/zdxzjc/index_2.html", "尾页", "other"))
    snap = make_snapshot(_site(NOTE, DRAFT, links=pager), errors=[error("/zwgk/zdxzjc/index_1.html", "timeout")])
    out = run_check(snap, check("items_match", target=ZDXZJC, required=REQUIRED))
    assert out.status == Status.UNKNOWN
    assert out.reason.startswith(f"栏目另有 2 个列表页未抓取（{url('/zwgk/zdxzjc/index_1.html')} 等）")
    assert "「事项目录」或「决策目录」" in out.reason
    # Everything present: unseen pages cannot change a pass.
    full = make_snapshot(_site(RESULT, NOTE, DRAFT, CATALOG, extra=[_result_doc()], links=pager))
    assert run_check(full, check("items_match", target=ZDXZJC, required=REQUIRED)).status == Status.PASS


def test_a_pager_link_elsewhere_is_not_the_column(make_snapshot):
    # A "2" linking into another directory is not a page of this column.
    other = (link("/xwzx/index_1.html", "2", "other"),)
    out = run_check(make_snapshot(_site(NOTE, links=other)), check("items_match", target=ZDXZJC, required=["结果"]))
    assert out.status == Status.FAIL


def test_blank_column_fails_and_script_lists_are_unknown(make_snapshot):
    blank = run_check(make_snapshot(_site(empty=True)), check("items_match", target=ZDXZJC, required=REQUIRED))
    assert blank.status == Status.FAIL
    assert blank.summary.startswith("栏目「重大行政决策」为空白栏目（暂无信息）")
    scripted = run_check(make_snapshot(_site(problem="列表由脚本加载")),
                         check("items_match", target=ZDXZJC, required=REQUIRED))
    assert scripted.status == Status.UNKNOWN
    assert "列表由脚本加载" in scripted.reason


def test_a_page_that_is_not_a_list_is_unknown(make_snapshot):
    pages = portal()
    pages.append(page("/zwgk/zdxzjc/", kind="other", title="重大行政决策", breadcrumb=CRUMBS,
                      body="决策事项目录 征求意见 决策结果", links=(link("/zwgk/zdxzjc/mulu/", "决策事项目录", "body"),)))
    out = run_check(make_snapshot(pages), check("items_match", target=ZDXZJC, required=REQUIRED))
    assert out.status == Status.UNKNOWN
    assert out.reason.startswith("定位到的页面不是列表页")


def test_missing_column_fails(make_snapshot):
    out = run_check(make_snapshot(portal()), check("items_match", target=ZDXZJC, required=REQUIRED))
    assert out.status == Status.FAIL
    assert out.summary == "未找到栏目「重大行政决策」"


@pytest.mark.parametrize("required", [[], ["结果||采纳"], ["|结果"]])
def test_required_must_be_wellformed(required):
    with pytest.raises(ValidationError):
        check("items_match", target=ZDXZJC, required=required)
