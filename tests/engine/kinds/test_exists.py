from __future__ import annotations

from checker.results import Status

from ..builders import check, error, portal, run_check, url

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
