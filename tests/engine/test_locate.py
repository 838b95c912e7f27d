"""Locating columns and pages by name: found, missing, and unknown when we could not see."""

from __future__ import annotations

import pytest

from checker.engine.kinds.base import Target
from checker.engine.locate import Locator, hint_matches, newest_item, normalize, path_segments

from .builders import error, item, link, page, portal, url

QZQD = Target(scope="column", names=["权责清单", "权力清单"], url_hints=["qzqd"])


def _without(pages, *paths):
    drop = {url(p) for p in paths}
    return [p for p in pages if p.url not in drop]


def test_normalize_folds_width_spaces_and_quotes():
    assert normalize(" 「权责 清单」 ") == "权责清单"
    assert normalize("“政府信息公开指南”") == "政府信息公开指南"
    assert normalize("ＱＺＱＤ") == "qzqd"


def test_column_found_by_breadcrumb_and_nav(make_snapshot):
    snap = make_snapshot(portal())
    found = Locator(snap).locate(QZQD)
    assert found.status == "found"
    assert found.page.url == url("/zwgk/qzqd/")
    assert found.how.startswith("面包屑末级为「权责清单」")
    assert "网址含「qzqd」" in found.how
    assert found.document is None


def test_news_item_mentioning_the_name_is_not_the_column(make_snapshot):
    # The trap: a 通知 titled 关于做好权责清单公开工作的通知, linked from the homepage and the
    # 通知公告 list, while the site has no 权责清单 column at all.
    pages = [p for p in _without(portal(), "/zwgk/qzqd/")]
    for p in pages:
        p.links = tuple(lk for lk in p.links if lk.text != "权责清单")
    snap = make_snapshot(pages)
    located = Locator(snap).locate(Target(names=["权责清单"]))
    assert located.status == "missing"
    assert located.page is None
    assert "权责清单" in located.searched and "已抓取的 10 个页面" in located.searched
    # The same notice *is* a match for a single page named like it: the column rule is what excludes it.
    as_page = Locator(snap).locate(Target(scope="page", names=["权责清单"]))
    assert as_page.page.url == url("/tzgg/202611/t20261102_1.html")


def test_news_item_loses_to_the_real_column(make_snapshot):
    snap = make_snapshot(portal())
    located = Locator(snap).locate(Target(names=["权责清单"]))
    assert located.page.url == url("/zwgk/qzqd/")


def test_detail_page_linked_under_the_exact_name_counts_as_the_column(make_snapshot):
    # Some sites publish a column as a single article the navigation links to.
    pages = _without(portal(), "/zwgk/qzqd/")
    pages.append(page("/zwgk/qzqd/202611/t20261102_501.html", kind="detail", title="平城区人民政府权责清单（2026年版）",
                      body="权责清单正文……" * 20))
    pages[0].links = (*pages[0].links, link("/zwgk/qzqd/202611/t20261102_501.html", "权责清单", "body"))
    snap = make_snapshot(pages)
    located = Locator(snap).locate(Target(names=["权责清单"]))
    assert located.status == "found"
    assert located.page.kind == "detail"
    assert "正文链接「权责清单」指向该页" in located.how


def test_blocked_column_link_is_unknown(make_snapshot):
    snap = make_snapshot(_without(portal(), "/zwgk/qzqd/"),
                         errors=[error("/zwgk/qzqd/", "blocked", 403, anchor="权责清单", message="HTTP 403 WAF challenge")])
    located = Locator(snap).locate(QZQD)
    assert located.status == "unknown"
    assert "链接「权责清单」指向的页面无法访问（403 被拦截）" in located.reason
    assert located.error is not None and located.error.status == 403


def test_link_to_a_page_never_fetched_is_unknown(make_snapshot):
    snap = make_snapshot(_without(portal(), "/zwgk/qzqd/"), queued=["/zwgk/qzqd/"])
    located = Locator(snap).locate(QZQD)
    assert located.status == "unknown"
    assert "未抓取" in located.reason


def test_partial_crawl_is_unknown(make_snapshot):
    pages = _without(portal(), "/zwgk/qzqd/")
    for p in pages:
        p.links = tuple(lk for lk in p.links if lk.text != "权责清单")
    snap = make_snapshot(pages, meta={"status": "partial", "status_reason": "页面预算 500 用尽"})
    located = Locator(snap).locate(QZQD)
    assert located.status == "unknown"
    assert "抓取状态为 partial：页面预算 500 用尽" in located.reason


def test_budget_exhausted_is_unknown_even_when_marked_complete(make_snapshot):
    pages = [p for p in portal() if "qzqd" not in p.url]
    for p in pages:
        p.links = tuple(lk for lk in p.links if lk.text != "权责清单")
    snap = make_snapshot(pages, meta={"budget_exhausted": "true"})
    assert Locator(snap).locate(QZQD).status == "unknown"


def test_dead_link_to_the_column_is_missing(make_snapshot):
    snap = make_snapshot(_without(portal(), "/zwgk/qzqd/"),
                         errors=[error("/zwgk/qzqd/", "http", 404, anchor="权责清单")])
    located = Locator(snap).locate(QZQD)
    assert located.status == "missing"
    assert "返回 404" in located.searched and "死链不算栏目" in located.searched


def test_dead_link_on_a_partial_crawl_is_still_unknown(make_snapshot):
    snap = make_snapshot(_without(portal(), "/zwgk/qzqd/"), meta={"status": "interrupted"},
                         errors=[error("/zwgk/qzqd/", "http", 404, anchor="权责清单")])
    assert Locator(snap).locate(QZQD).status == "unknown"


def test_column_outside_scan_scope_is_unknown(make_snapshot):
    pages = _without(portal(), "/zwgk/qzqd/")
    for p in pages:
        p.links = tuple(
            link("http://xxgk.shanxi.gov.cn/pcq/qzqd/", "权责清单", "nav", internal=False) if lk.text == "权责清单" else lk
            for lk in p.links
        )
    snap = make_snapshot(pages)
    located = Locator(snap).locate(QZQD)
    assert located.status == "unknown"
    assert "扫描范围外的站点 xxgk.shanxi.gov.cn" in located.reason


def test_url_hint_alone_locates_at_the_threshold(make_snapshot):
    snap = make_snapshot(portal())
    located = Locator(snap).locate(Target(names=["权力运行清单"], url_hints=["qzqd"]))
    assert located.status == "found"
    assert located.page.url == url("/zwgk/qzqd/")
    assert located.score == 40 and located.how == "网址路径含「qzqd」"


def test_title_part_after_separator_counts(make_snapshot):
    snap = make_snapshot([
        page("/", kind="home", title="首页", depth=0),
        page("/col/col123/index.html", kind="list", title="大同市平城区人民政府 - 财政预决算",
             items=(item("2026年预算", "/art/1.html", "2026-02-01"),)),
    ])
    located = Locator(snap).locate(Target(names=["财政预决算"]))
    assert located.page.url == url("/col/col123/index.html")
    assert located.how == "页面标题为「大同市平城区人民政府 - 财政预决算」"


def test_title_merely_containing_the_name_is_too_weak(make_snapshot):
    snap = make_snapshot([
        page("/", kind="home", title="首页", depth=0),
        page("/col/col9/index.html", kind="list", title="关于财政预决算公开情况的专题"),
    ])
    assert Locator(snap).locate(Target(names=["财政预决算"])).status == "missing"


def test_within_filters_breadcrumbs_of_other_sections(make_snapshot):
    pages = portal()
    pages.append(page("/bmxxgk/jyj/zn/", kind="list", title="政府信息公开指南",
                      breadcrumb=("首页", "部门信息公开", "区教育局", "政府信息公开指南"),
                      items=(item("区教育局信息公开指南", "/bmxxgk/jyj/zn/1.html", "2026-01-05"),)))
    snap = make_snapshot(pages)
    loc = Locator(snap)
    dept = loc.locate(Target(names=["政府信息公开指南"], within=["区教育局"]))
    assert dept.page.url == url("/bmxxgk/jyj/zn/")
    county = loc.locate(Target(names=["政府信息公开指南"], within=["政府信息公开"]))
    assert county.page.url == url("/zwgk/zn/")
    assert loc.locate(Target(names=["政府信息公开指南"], within=["政务公开"])).status == "missing"


def test_ties_prefer_list_pages_then_shorter_urls(make_snapshot):
    crumbs = ("首页", "政府信息公开", "统计信息")
    snap = make_snapshot([
        page("/", kind="home", depth=0),
        page("/zwgk/tjxx/more/index.html", kind="list", title="统计信息", breadcrumb=crumbs),
        page("/zwgk/tjxx/", kind="other", title="统计信息", breadcrumb=crumbs),
        page("/zwgk/tjxx/list.html", kind="list", title="统计信息", breadcrumb=crumbs),
    ])
    assert Locator(snap).locate(Target(names=["统计信息"])).page.url == url("/zwgk/tjxx/list.html")


def test_scope_page_takes_the_newest_document_of_a_list(make_snapshot):
    snap = make_snapshot(portal())
    located = Locator(snap).locate(Target(scope="page", names=["政府信息公开指南"]))
    assert located.status == "found"
    assert located.page.url == url("/zwgk/zn/")
    assert located.document.url == url("/zwgk/zn/202603/t20260301_77.html")
    assert located.content is located.document
    assert "取其最新文档「平城区人民政府信息公开指南」" in located.how


def test_scope_page_with_unfetched_document_is_unknown(make_snapshot):
    snap = make_snapshot(_without(portal(), "/zwgk/zn/202603/t20260301_77.html"),
                         errors=[error("/zwgk/zn/202603/t20260301_77.html", "timeout")])
    located = Locator(snap).locate(Target(scope="page", names=["政府信息公开指南"]))
    assert located.status == "unknown"
    assert located.reason.startswith("最新文档未抓取：「平城区人民政府信息公开指南」")
    assert "超时" in located.reason


def test_newest_document_does_not_touch_the_cached_column(make_snapshot):
    snap = make_snapshot(portal())
    loc = Locator(snap)
    column = loc.locate(Target(names=["政府信息公开指南"]))
    with_doc = loc.newest_document(column)
    assert with_doc.document is not None and column.document is None
    assert loc.locate(Target(names=["政府信息公开指南"])) is column


def test_newest_item_prefers_latest_date_then_position():
    items = (item("b", "/b", "2026-01-02"), item("a", "/a", "2026-03-01"), item("c", "/c", "2026-03-01"),
             item("d", "/d"))
    assert newest_item(items).title == "a"
    assert newest_item((item("x", "/x"), item("y", "/y"))).title == "x"
    assert newest_item(()) is None


def test_homepage(make_snapshot):
    snap = make_snapshot(portal())
    home = Locator(snap).locate(Target(scope="homepage"))
    assert home.status == "found" and home.page.url == url("/")


def test_homepage_missing_is_unknown_with_the_fetch_error(make_snapshot):
    snap = make_snapshot([], errors=[error("/", "blocked", 412, message="HTTP 412 瑞数 challenge")],
                         meta={"status": "unreachable"})
    home = Locator(snap).locate(Target(scope="homepage"))
    assert home.status == "unknown"
    assert home.reason == "首页无法访问：412 被拦截"
    assert home.error.message == "HTTP 412 瑞数 challenge"


@pytest.mark.parametrize("anchor", ["权责清单", "「权责清单」", "权责清单公开"])
def test_short_anchor_variants_match(make_snapshot, anchor):
    snap = make_snapshot([
        page("/", kind="home", depth=0, links=(link("/col/col77/", anchor, "body"),)),
        page("/col/col77/", kind="list", title="栏目", items=(item("x", "/x.html", "2026-11-01"),)),
    ])
    assert Locator(snap).locate(Target(names=["权责清单"])).page.url == url("/col/col77/")


def test_answers_are_cached_per_target(make_snapshot):
    loc = Locator(make_snapshot(portal()))
    assert loc.locate(QZQD) is loc.locate(Target(scope="column", names=["权责清单", "权力清单"], url_hints=["qzqd"]))


# -- URL hints match path segments ------------------------------------------------------------------
@pytest.mark.parametrize(("hint", "path", "hit"), [
    ("gfxwj", "/zwgk/gfxwj/", True),
    ("gfxwj", "/zwgk/gfxwj_2024/index.html", True),
    ("gfxwj", "/zwgk/gfxwj2024/", True),
    ("gfxwj", "/zwgk/GFXWJ/", True),
    ("gfxwj", "/abcgfxwjx/", False),
    ("gfxwj", "/zwgk/gfxwjk/", False),  # 规范性文件库 has its own hint
    ("sf", "/zwgk/sf/", True),
    ("sf", "/zwgk/sfxx/", False),  # 司法信息, not 收费
    ("sf", "/zwgk/jsf/", False),
    ("nb", "/zwgk/zfxxgknb/", False),
    ("zwgk/gfxwj", "/zwgk/gfxwj/t1.html", True),
    ("zwgk/gfxwj", "/bmxxgk/gfxwj/", False),
    ("qzqd", "/col/col123/index.html?channel=qzqd", False),  # the query is not the path
])
def test_hint_matches_a_path_segment(hint, path, hit):
    assert hint_matches(hint, path_segments(url(path))) is hit


def test_short_hint_no_longer_hits_a_longer_abbreviation(make_snapshot):
    # 司法信息 at /zwgk/sfxx/ was taken for 行政事业性收费 when hints matched as substrings.
    snap = make_snapshot([
        page("/", kind="home", depth=0),
        page("/zwgk/sfxx/", kind="list", title="司法信息", items=(item("普法宣传", "/zwgk/sfxx/1.html", "2026-11-01"),)),
    ])
    assert Locator(snap).locate(Target(names=["行政事业性收费"], url_hints=["sf"])).status == "missing"
    snap = make_snapshot([
        page("/", kind="home", depth=0),
        page("/zwgk/sf/", kind="list", title="收费", items=(item("收费目录", "/zwgk/sf/1.html", "2026-11-01"),)),
    ])
    found = Locator(snap).locate(Target(names=["行政事业性收费"], url_hints=["sf"]))
    assert found.status == "found" and found.how == "网址路径含「sf」"


def test_a_hint_alone_loses_to_a_page_named_like_the_target(make_snapshot):
    pages = portal()
    pages.append(page("/zwgk/qzqd_old/", kind="list", title="历史栏目",
                      items=(item("旧文件", "/zwgk/qzqd_old/1.html", "2020-01-01"),)))
    located = Locator(make_snapshot(pages)).locate(QZQD)
    assert located.page.url == url("/zwgk/qzqd/") and located.score > 40


# -- targets hosted outside the scan scope ------------------------------------------------------------
ZWFW = Target(names=["政务服务", "网上办事大厅"], url_hints=["zwfw"], accept_external=True)
PLATFORM = "https://zwfw.shanxi.gov.cn/pcq/"


def _with_platform_link(pages, *, on_home=True, text="政务服务", region="nav"):
    target = pages[0] if on_home else next(p for p in pages if p.url == url("/zwgk/"))
    target.links = (*target.links, link(PLATFORM, text, region, internal=False))
    return pages


def test_external_link_is_found_when_accepted(make_snapshot):
    located = Locator(make_snapshot(_with_platform_link(portal()))).locate(ZWFW)
    assert located.status == "found" and located.external
    assert located.page.url == url("/")
    assert located.external_url == PLATFORM and located.anchor == "政务服务"
    assert located.how == f"首页的链接「政务服务」指向 {PLATFORM}（站外平台，未抓取）"


def test_external_link_is_unknown_when_not_accepted(make_snapshot):
    snap = make_snapshot(_with_platform_link(portal()))
    located = Locator(snap).locate(Target(names=["政务服务"], accept_external=False))
    assert located.status == "unknown"
    assert "扫描范围外的站点 zwfw.shanxi.gov.cn" in located.reason


def test_external_link_on_another_page_names_that_page(make_snapshot):
    snap = make_snapshot(_with_platform_link(portal(), on_home=False, text="山西政务服务网", region="body"))
    located = Locator(snap).locate(ZWFW)
    assert located.status == "found"
    assert located.page.url == url("/zwgk/")
    assert located.how.startswith(f"页面 {url('/zwgk/')} 的链接「山西政务服务网」")


def test_external_choice_prefers_exact_name_then_the_homepage(make_snapshot):
    pages = _with_platform_link(portal(), on_home=False, text="政务服务", region="body")
    pages[0].links = (*pages[0].links, link("https://www.sxzwfw.gov.cn/", "山西政务服务网", "nav", internal=False))
    located = Locator(make_snapshot(pages)).locate(ZWFW)
    assert located.anchor == "政务服务" and located.page.url == url("/zwgk/")  # exact beats contains
    pages = _with_platform_link(portal(), on_home=False)
    pages = _with_platform_link(pages)
    assert Locator(make_snapshot(pages)).locate(ZWFW).page.url == url("/")


def test_an_in_scope_column_beats_an_external_link(make_snapshot):
    pages = _with_platform_link(portal())
    pages.append(page("/zwfw/", kind="list", title="政务服务", breadcrumb=("首页", "政务服务"),
                      items=(item("办事指南", "/zwfw/1.html", "2026-11-01"),)))
    located = Locator(make_snapshot(pages)).locate(ZWFW)
    assert located.status == "found" and not located.external
    assert located.page.url == url("/zwfw/")


def test_external_link_is_found_even_when_an_internal_namesake_was_blocked(make_snapshot):
    pages = _with_platform_link(portal())
    snap = make_snapshot(pages, errors=[error("/bsfw/", "blocked", 412, anchor="政务服务")])
    assert Locator(snap).locate(ZWFW).external
