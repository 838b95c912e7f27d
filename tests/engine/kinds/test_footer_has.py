from __future__ import annotations

import pytest

from checker.results import Status

from ..builders import FOOTER, check, link, page, portal, run_check, url


def _home(**kw):
    return [page("/", kind="home", depth=0, title="大同市平城区人民政府", **kw)]


@pytest.mark.parametrize(("element", "found"), [
    ("site_code", "网站标识码：1402020001"),
    ("icp", "晋ICP备05004519号-1"),
    ("police_record", "晋公网安备 14020202000123号"),
    ("sponsor", "主办单位"),
    ("contact", "0352-2043166"),
])
def test_text_elements_pass_on_the_portal(make_snapshot, element, found):
    out = run_check(make_snapshot(portal()), check("footer_has", element=element))
    assert out.status == Status.PASS
    ev = out.evidence[0]
    assert ev.found == found
    assert ev.url == url("/") and ev.http_status == 200
    assert out.summary.startswith("首页页脚有")


@pytest.mark.parametrize("element", ["site_code", "icp", "police_record", "sponsor", "contact", "conac_badge",
                                     "error_report", "search_box"])
def test_each_element_fails_on_a_bare_footer(make_snapshot, element):
    snap = make_snapshot(_home(footer="版权所有 © 2026", links=(link("/about/", "关于本站", "footer"),)))
    out = run_check(snap, check("footer_has", element=element))
    assert out.status == Status.FAIL
    assert out.evidence[0].where == "首页页脚" and out.evidence[0].found == "未找到"


def test_conac_badge_through_the_ipv6_gateway(make_snapshot):
    out = run_check(make_snapshot(portal()), check("footer_has", element="conac_badge"))
    assert out.status == Status.PASS
    assert "bszs-conac-cnx45c1a2b.ipv6best.cn" in out.evidence[0].found


def test_conac_badge_by_host_without_text(make_snapshot):
    snap = make_snapshot(_home(footer="网站标识码：1402020001",
                               links=(link("https://bszs.conac.cn/sitename?method=show&id=1", "", "footer", False),)))
    assert run_check(snap, check("footer_has", element="conac_badge")).status == Status.PASS


def test_error_report_by_anchor_text(make_snapshot):
    snap = make_snapshot(_home(footer="x", links=(link("/jiucuo/", "网站纠错", "footer"),)))
    assert run_check(snap, check("footer_has", element="error_report")).status == Status.PASS


def test_search_box(make_snapshot):
    out = run_check(make_snapshot(portal()), check("footer_has", element="search_box"))
    assert out.status == Status.PASS
    assert out.evidence[0].found == "搜索表单 GET /search/"


def test_footer_region_does_not_look_in_the_body(make_snapshot):
    snap = make_snapshot(_home(footer="版权所有", body="本站网站标识码：1402020001", text="本站网站标识码：1402020001 版权所有"))
    assert run_check(snap, check("footer_has", element="site_code")).status == Status.FAIL
    out = run_check(snap, check("footer_has", element="site_code", region="page"))
    assert out.status == Status.PASS
    assert out.evidence[0].where == "首页全文" and out.summary.startswith("首页全文有")


def test_empty_footer_falls_back_to_the_whole_page(make_snapshot):
    snap = make_snapshot(_home(footer="", text=f"首页 新闻 {FOOTER}"))
    out = run_check(snap, check("footer_has", element="icp"))
    assert out.status == Status.PASS
    assert out.summary.startswith("首页全文有ICP备案号")


def test_unknown_when_the_homepage_was_blocked(make_snapshot):
    from ..builders import error

    snap = make_snapshot([], errors=[error("/", "blocked", 412)], meta={"status": "unreachable"})
    out = run_check(snap, check("footer_has", element="site_code"))
    assert out.status == Status.UNKNOWN
    assert out.reason == "首页无法访问：412 被拦截"
