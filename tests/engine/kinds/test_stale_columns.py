from __future__ import annotations

from checker.results import Status

from ..builders import check, error, item, link, page, portal, run_check, url

SITE = "大同市平城区人民政府"


def _col(path, name, *items, crumbs=("首页",), **kw):
    """A TRS-style column page: breadcrumb ending in its name, title 「name_site」."""
    return page(path, kind="list", title=f"{name}_{SITE}", breadcrumb=(*crumbs, name), items=items, **kw)


def _site(*columns):
    home = page("/", kind="home", depth=0, title=SITE,
                links=tuple(link(c.url, c.breadcrumb[-1] if c.breadcrumb else c.title) for c in columns))
    return [home, *columns]


def _fresh_site():
    return _site(
        _col("/xwzx/zwdt/", "政务动态", item("平城区召开常务会议", "/xwzx/zwdt/202611/t20261118_1.html", "2026-11-18"),
             crumbs=("首页", "新闻中心")),
        _col("/tzgg/", "通知公告", item("关于开展安全检查的通知", "/tzgg/202609/t20260901_2.html", "2026-09-01")),
        _col("/zwgk/czyjs/", "财政预决算", item("平城区2026年部门预算", "/zwgk/czyjs/202602/t20260210_3.html",
                                               "2026-02-10"), crumbs=("首页", "政府信息公开")),
        _col("/zwgk/qzqd/", "权责清单", item("权责清单（2020年版）", "/zwgk/qzqd/t20200101_4.html", "2020-01-01"),
             crumbs=("首页", "政府信息公开")),  # no listed type: not judged, however old
    )


def test_pass_counts_each_type(make_snapshot):
    out = run_check(make_snapshot(_fresh_site()), check("stale_columns"))
    assert out.status == Status.PASS
    assert out.summary == "按栏目类型判定 3 个栏目，不更新 0 个（允许 ≤ 4 个）"
    counts = out.evidence[0].found
    assert "动态要闻（≤ 14 天）1 个，不更新 0 个" in counts
    assert "通知公告、政策文件（≤ 183 天）1 个，不更新 0 个" in counts
    assert "人事、规划、机构、财政、统计、信息公开目录（≤ 365 天）1 个，不更新 0 个" in counts
    assert len(out.evidence) == 1


def test_fail_lists_each_stale_column_with_its_age(make_snapshot):
    cols = [
        _col("/xwzx/zwdt/", "政务动态", item("旧闻", "/xwzx/zwdt/t20261101_1.html", "2026-11-01"),
             crumbs=("首页", "新闻中心")),  # 20 days > 14
        _col("/tzgg/", "通知公告", item("旧通知", "/tzgg/t20260301_2.html", "2026-03-01")),  # 265 days > 183
        _col("/zwgk/rsxx/", "人事信息", item("无日期的任免", "/zwgk/rsxx/a.html")),  # undated
        _col("/zwgk/tjxx/", "统计信息", item("统计月报", "/zwgk/tjxx/t20260110_3.html", "2026-01-10")),  # fresh
    ]
    out = run_check(make_snapshot(_site(*cols)), check("stale_columns", max=2))
    assert out.status == Status.FAIL
    assert out.summary == "按栏目类型判定 4 个栏目，不更新 3 个（允许 ≤ 2 个）"
    stale = out.evidence[1:]
    assert [ev.url for ev in stale] == [url("/tzgg/"), url("/xwzx/zwdt/"), url("/zwgk/rsxx/")]
    by_url = {ev.url: ev for ev in stale}
    news = by_url[url("/xwzx/zwdt/")]
    assert news.found == "2026-11-01 旧闻" and news.http_status == 200
    assert news.note == "最新信息距扫描日 20 天，超过 14 天"
    assert news.looked_for == "动态要闻栏目 14 天内应有更新" and news.where == "栏目「政务动态」"
    assert by_url[url("/tzgg/")].note == "最新信息距扫描日 265 天，超过 183 天"
    assert by_url[url("/zwgk/rsxx/")].found == "无日期"
    assert "动态要闻（≤ 14 天）1 个，不更新 1 个" in out.evidence[0].found


def test_boundary_is_inclusive_per_type(make_snapshot):
    snap = make_snapshot(_site(_col("/xwzx/zwdt/", "工作动态", item("a", "/a.html", "2026-11-07"))))
    assert run_check(snap, check("stale_columns", max=0)).status == Status.PASS
    shorter = [{"name": "动态", "match": ["动态"], "days": 13}]
    assert run_check(snap, check("stale_columns", max=0, types=shorter)).status == Status.FAIL


def test_first_matching_type_wins(make_snapshot):
    # 财政动态 is news about finance: 动态 comes first in the types, so 14 days apply.
    snap = make_snapshot(_site(_col("/czdt/", "财政动态", item("a", "/czdt/a.html", "2026-10-01"))))
    out = run_check(snap, check("stale_columns", max=0))
    assert out.status == Status.FAIL
    assert out.evidence[1].looked_for == "动态要闻栏目 14 天内应有更新"


def test_name_from_the_title_without_the_site_name(make_snapshot):
    # No breadcrumb: 工作动态_大同市平城区人民政府 is the column 工作动态.
    col = page("/gzdt/", kind="list", title=f"工作动态_{SITE}", items=(item("a", "/gzdt/a.html", "2026-10-01"),))
    out = run_check(make_snapshot(_site(col)), check("stale_columns", max=0))
    assert out.status == Status.FAIL
    assert out.evidence[1].where == "栏目「工作动态」"


def test_pagination_pages_count_once_with_the_newest_date(make_snapshot):
    first = _col("/tzgg/index.html", "通知公告", item("新通知", "/tzgg/t20261101_9.html", "2026-11-01"))
    second = _col("/tzgg/index_1.html", "通知公告", item("老通知", "/tzgg/t20240101_1.html", "2024-01-01"))
    out = run_check(make_snapshot(_site(first, second)), check("stale_columns", max=0))
    assert out.status == Status.PASS
    assert out.summary.startswith("按栏目类型判定 1 个栏目")


def test_same_name_in_two_departments_is_two_columns(make_snapshot):
    fgj = _col("/bm/fgj/gzdt/", "工作动态", item("a", "/bm/fgj/gzdt/a.html", "2026-11-20"), crumbs=("首页", "发改局"))
    czj = _col("/bm/czj/gzdt/", "工作动态", item("b", "/bm/czj/gzdt/b.html", "2025-01-01"), crumbs=("首页", "财政局"))
    out = run_check(make_snapshot(_site(fgj, czj)), check("stale_columns", max=0))
    assert out.status == Status.FAIL
    assert out.summary == "按栏目类型判定 2 个栏目，不更新 1 个（允许 ≤ 0 个）"
    assert out.evidence[1].url == url("/bm/czj/gzdt/")


def test_hubs_sitemaps_and_blank_columns_are_not_judged(make_snapshot):
    sub = [_col(f"/zwgk/{p}/", n, item("x", f"/zwgk/{p}/x.html", "2026-11-01"), crumbs=("首页", "政府信息公开目录"))
           for p, n in (("rsxx", "人事信息"), ("tjxx", "统计信息"), ("ghjh", "规划计划"))]
    # The 目录 lists its sub-columns without dates: it is a hub, not a stale column.
    hub = _col("/zwgk/", "政府信息公开目录", *(item(c.breadcrumb[-1], c.url) for c in sub))
    # A site map the extractor took for a list, at /wzdt/: its undated links are not news.
    wzdt = page("/wzdt/index.html", kind="list", title="新闻动态导航",
                items=(item("政务动态", "/xwzx/zwdt/"), item("通知公告", "/tzgg/")))
    blank = _col("/xwzx/bmdt/", "部门动态", empty=True)
    out = run_check(make_snapshot(_site(hub, wzdt, blank, *sub)), check("stale_columns", max=0))
    assert out.status == Status.PASS
    assert out.summary == "按栏目类型判定 3 个栏目，不更新 0 个（允许 ≤ 0 个）"
    assert out.evidence[0].note == "另有 1 个同类空白栏目由空白栏目检查计数"


def test_future_dates_do_not_make_a_column_fresh(make_snapshot):
    col = _col("/xwzx/zwdt/", "政务动态", item("明年的新闻", "/a.html", "2027-06-01"), item("旧闻", "/b.html", "2026-10-01"))
    out = run_check(make_snapshot(_site(col)), check("stale_columns", max=0))
    assert out.status == Status.FAIL
    assert out.evidence[1].found == "2026-10-01 旧闻"


def test_unknown_on_partial_crawl_within_limit(make_snapshot):
    col = _col("/xwzx/zwdt/", "政务动态", item("旧闻", "/a.html", "2026-10-01"))
    out = run_check(make_snapshot(_site(col), meta={"status": "partial"}), check("stale_columns", max=4))
    assert out.status == Status.UNKNOWN
    assert "已发现 1 个不更新栏目" in out.reason
    assert out.evidence[1].url == url("/xwzx/zwdt/")


def test_partial_crawl_over_limit_still_fails(make_snapshot):
    cols = [_col(f"/bm/{n}/gzdt/", "工作动态", item("旧闻", f"/bm/{n}/a.html", "2026-01-01"), crumbs=("首页", f"部门{n}"))
            for n in range(3)]
    out = run_check(make_snapshot(_site(*cols), meta={"status": "partial"}), check("stale_columns", max=2))
    assert out.status == Status.FAIL


def test_script_loaded_lists_could_push_it_over(make_snapshot):
    stale = _col("/xwzx/zwdt/", "政务动态", item("旧闻", "/a.html", "2026-10-01"))
    script = _col("/tzgg/", "通知公告", problem="列表由脚本加载")
    snap = make_snapshot(_site(stale, script))
    out = run_check(snap, check("stale_columns", max=1))
    assert out.status == Status.UNKNOWN
    assert "1 个栏目未能抓取或提取条目" in out.reason
    assert run_check(snap, check("stale_columns", max=2)).status == Status.PASS


def test_on_the_demo_portal(make_snapshot):
    # 通知公告 (2026-11-02) is fresh; 权责清单 and 指南 are of no listed type.
    out = run_check(make_snapshot(portal()), check("stale_columns", max=0))
    assert out.status == Status.PASS
    assert out.summary == "按栏目类型判定 1 个栏目，不更新 0 个（允许 ≤ 0 个）"


def test_a_blocked_column_could_push_it_over(make_snapshot):
    errors = [error("/xwzx/bmdt/", "blocked", 412, anchor="部门动态"),
              error("/zwgk/old/", "http", 404, anchor="通知公告（旧）"),  # dead link, not a column
              error("/tzgg/t1.html", "timeout", anchor="关于做好2026年度政务动态信息报送工作的通知")]  # a document
    snap = make_snapshot(_fresh_site(), errors=errors)
    assert run_check(snap, check("stale_columns")).status == Status.PASS
    out = run_check(snap, check("stale_columns", max=0))
    assert out.status == Status.UNKNOWN
    assert "另有 1 个栏目未能抓取或提取条目" in out.reason
    assert out.evidence[-1].url == url("/xwzx/bmdt/") and out.evidence[-1].http_status == 412
