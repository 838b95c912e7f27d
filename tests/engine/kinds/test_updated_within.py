from __future__ import annotations

from checker.results import Status

from ..builders import check, item, link, page, portal, run_check

HOME_LINKS = (link("/xwzx/zwdt/", "政务动态"),)


def _news(*items, **kw):
    return [page("/", kind="home", depth=0, links=HOME_LINKS),
            page("/xwzx/zwdt/", kind="list", title="政务动态", breadcrumb=("首页", "新闻中心", "政务动态"),
                 items=items, **kw)]


def test_pass_within_days(make_snapshot):
    out = run_check(make_snapshot(portal()), check("updated_within", target={"names": ["权责清单"]}, days=30))
    assert out.status == Status.PASS
    assert out.summary == "栏目「权责清单」最新信息 2026-11-02，距扫描日 19 天（要求 ≤ 30 天）"
    assert out.evidence[0].found == "2026-11-02 平城区人民政府权责清单（2026年版）"


def test_fail_when_stale(make_snapshot):
    out = run_check(make_snapshot(portal()), check("updated_within", target={"names": ["权责清单"]}, days=14))
    assert out.status == Status.FAIL
    assert "距扫描日 19 天（要求 ≤ 14 天）" in out.summary


def test_boundary_is_inclusive(make_snapshot):
    snap = make_snapshot(_news(item("a", "/a.html", "2026-11-07")))
    assert run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=14)).status == Status.PASS
    assert run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=13)).status == Status.FAIL


def test_newest_is_not_the_first_item(make_snapshot):
    # Pinned items sit at the top with old dates; the newest date anywhere in the list counts.
    snap = make_snapshot(_news(item("置顶：旧闻", "/a.html", "2025-01-01"), item("新闻", "/b.html", "2026-11-20"),
                               item("旧闻", "/c.html", "2026-10-01")))
    out = run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=14))
    assert out.status == Status.PASS
    assert "2026-11-20" in out.summary


def test_undated_items_count_as_not_updated(make_snapshot):
    snap = make_snapshot(_news(item("无日期的新闻", "/a.html"), item("又一条", "/b.html")))
    out = run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=14))
    assert out.status == Status.FAIL
    assert out.summary == "栏目「政务动态」无可识别的发布日期，按未更新计"


def test_future_dates_are_ignored_and_noted(make_snapshot):
    snap = make_snapshot(_news(item("明年的新闻", "/a.html", "2027-01-01"), item("旧闻", "/b.html", "2026-09-01")))
    out = run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=14))
    assert out.status == Status.FAIL
    assert "2026-09-01" in out.summary
    assert "晚于扫描日" in out.evidence[0].note and "2027-01-01" in out.evidence[0].note


def test_tomorrow_is_tolerated(make_snapshot):
    snap = make_snapshot(_news(item("时差", "/a.html", "2026-11-22")))
    out = run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=14))
    assert out.status == Status.PASS
    assert out.evidence[0].note is None


def test_homepage_uses_its_dated_items(make_snapshot):
    snap = make_snapshot(portal(news_day="2026-11-18"))
    out = run_check(snap, check("updated_within", target={"scope": "homepage"}, days=14))
    assert out.status == Status.PASS
    assert out.summary.startswith("首页最新信息 2026-11-18")
    stale = make_snapshot(portal(news_day="2026-10-01"))
    # the homepage's other item is dated 2026-11-10: 11 days
    assert run_check(stale, check("updated_within", target={"scope": "homepage"}, days=7)).status == Status.FAIL


def test_page_scope_uses_the_document_date(make_snapshot):
    out = run_check(make_snapshot(portal()),
                    check("updated_within", target={"scope": "page", "names": ["政府信息公开指南"]}, days=365))
    assert out.status == Status.PASS
    assert "2026-03-01" in out.summary


def test_unknown_when_homepage_missing(make_snapshot):
    snap = make_snapshot([], meta={"status": "unreachable"})
    out = run_check(snap, check("updated_within", target={"scope": "homepage"}, days=14))
    assert out.status == Status.UNKNOWN
    assert out.reason == "首页未抓取"


def test_unknown_when_list_is_script_loaded(make_snapshot):
    snap = make_snapshot(_news(problem="列表由脚本加载"))
    out = run_check(snap, check("updated_within", target={"names": ["政务动态"]}, days=14))
    assert out.status == Status.UNKNOWN


def test_page_scope_falls_back_to_the_list_date_when_the_document_was_not_fetched(make_snapshot):
    from ..builders import error

    pages = [p for p in portal() if not p.url.endswith("t20260301_77.html")]
    snap = make_snapshot(pages, errors=[error("/zwgk/zn/202603/t20260301_77.html", "blocked", 403)])
    out = run_check(snap, check("updated_within", target={"scope": "page", "names": ["政府信息公开指南"]}, days=30))
    assert out.status == Status.FAIL
    assert "最新信息 2026-03-01" in out.summary
