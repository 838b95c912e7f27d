from __future__ import annotations

import pytest

from checker.results import Status

from ..builders import check, error, link, portal, run_check, url

TARGET = {"names": ["权责清单", "权力清单"], "url_hints": ["qzqd"]}


def _no_column():
    pages = [p for p in portal() if "/zwgk/qzqd/" not in p.url]
    for p in pages:
        p.links = tuple(lk for lk in p.links if lk.text != "权责清单")
    return pages


def test_pass_with_url_status_time_and_how(make_snapshot):
    out = run_check(make_snapshot(portal()), check("exists", target=TARGET))
    assert out.status == Status.PASS
    assert out.summary.startswith("已找到栏目「权责清单」：面包屑末级为「权责清单」")
    ev = out.evidence[0]
    assert (ev.url, ev.http_status, ev.fetched_at) == (url("/zwgk/qzqd/"), 200, "2026-11-21T02:03:04Z")


def test_fail_says_what_was_searched_where(make_snapshot):
    out = run_check(make_snapshot(_no_column()), check("exists", target=TARGET))
    assert out.status == Status.FAIL
    assert out.summary == "未找到栏目「权责清单」"
    assert out.evidence[0].looked_for == "栏目「权责清单、权力清单」"
    # Where we searched from, so the finding can be opened: the homepage.
    assert (out.evidence[0].url, out.evidence[0].http_status) == (url("/"), 200)
    assert "导航、面包屑、标题和链接文字" in out.evidence[0].where


def test_not_applicable_when_the_rule_says_so(make_snapshot):
    out = run_check(make_snapshot(_no_column()), check("exists", target={**TARGET, "if_missing": "not_applicable"}))
    assert out.status == Status.NOT_APPLICABLE
    assert out.reason


def test_unknown_when_the_column_link_was_blocked(make_snapshot):
    snap = make_snapshot([p for p in portal() if "/zwgk/qzqd/" not in p.url],
                         errors=[error("/zwgk/qzqd/", "blocked", 412, anchor="权责清单", message="HTTP 412")])
    out = run_check(snap, check("exists", target=TARGET))
    assert out.status == Status.UNKNOWN
    assert "412 被拦截" in out.reason
    assert out.evidence[0].url == url("/zwgk/qzqd/") and out.evidence[0].http_status == 412


def test_unknown_on_a_partial_crawl(make_snapshot):
    out = run_check(make_snapshot(_no_column(), meta={"status": "interrupted"}), check("exists", target=TARGET))
    assert out.status == Status.UNKNOWN
    assert "抓取未覆盖全站" in out.reason


def test_page_found_even_when_its_newest_document_was_not_fetched(make_snapshot):
    pages = [p for p in portal() if not p.url.endswith("t20260301_77.html")]
    snap = make_snapshot(pages, errors=[error("/zwgk/zn/202603/t20260301_77.html", "timeout")])
    out = run_check(snap, check("exists", target={"scope": "page", "names": ["政府信息公开指南"]}))
    assert out.status == Status.PASS
    assert out.evidence[0].url == url("/zwgk/zn/")


# -- a platform outside the scan scope (accept_external) ------------------------------------------------
PLATFORM = "https://zwfw.fujian.gov.cn/indexMain?type=1&siteUnid=EC4BF9378FEEB876"
ZWFW = {"names": ["政务服务", "网上办事大厅"], "url_hints": ["zwfw"], "accept_external": True}


def _portal_with_platform_link():
    pages = portal()
    # As on real portals: the header links to the province's 网上办事大厅 on another host.
    pages[0].links = (*pages[0].links, link(PLATFORM, "福建网上办事大厅", "nav", internal=False))
    return pages


def test_external_entry_passes_with_the_page_carrying_the_link(make_snapshot):
    out = run_check(make_snapshot(_portal_with_platform_link()), check("exists", target=ZWFW))
    assert out.status == Status.PASS
    assert out.summary == f"已找到栏目「政务服务」：首页的链接「福建网上办事大厅」指向 {PLATFORM}（站外平台，未抓取）"
    ev = out.evidence[0]
    assert (ev.url, ev.http_status, ev.fetched_at) == (url("/"), 200, "2026-11-21T02:03:04Z")
    assert ev.found == f"链接「福建网上办事大厅」→ {PLATFORM}"


def test_external_entry_without_accept_external_stays_unknown(make_snapshot):
    out = run_check(make_snapshot(_portal_with_platform_link()),
                    check("exists", target={**ZWFW, "accept_external": False}))
    assert out.status == Status.UNKNOWN
    assert out.reason.startswith("该栏目位于扫描范围外的站点 zwfw.fujian.gov.cn")


def test_no_entry_at_all_fails(make_snapshot):
    out = run_check(make_snapshot(portal()), check("exists", target=ZWFW))
    assert out.status == Status.FAIL


@pytest.mark.parametrize(("kind", "fields"), [
    ("not_blank", {}),
    ("updated_within", {"days": 30}),
    ("text_matches", {"keywords": ["办事指南"]}),
    ("documents_match", {"keywords": ["办事指南"]}),
    ("items_match", {"required": ["办事指南"]}),
])
def test_kinds_that_read_the_target_are_unknown_on_an_external_entry(make_snapshot, kind, fields):
    out = run_check(make_snapshot(_portal_with_platform_link()), check(kind, target=ZWFW, **fields))
    assert out.status == Status.UNKNOWN
    assert out.reason.startswith("该栏目位于扫描范围外的站点 zwfw.fujian.gov.cn")
    assert "其内容无法检查" in out.reason
    assert out.evidence[0].url == url("/") and out.evidence[0].found == f"链接「福建网上办事大厅」→ {PLATFORM}"
