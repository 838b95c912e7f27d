from __future__ import annotations

from datetime import date
from pathlib import Path

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


# -- sitemap, accessibility, new media: looked for on the whole homepage ----------------------------

NEWS = (link("/xwzx/202611/t20261118_9.html", "平城区开展关怀困难群众走访慰问活动", "list"),
        link("/xwzx/202611/t20261110_8.html", "警惕冒充微信客服的电信诈骗", "list"),
        link("/xwzx/202611/t20261101_7.html", "我区推进无障碍环境建设和适老化改造", "list"))
NEWS_TEXT = "平城区开展关怀困难群众走访慰问活动\n警惕冒充微信客服的电信诈骗\n我区推进无障碍环境建设和适老化改造"


def _bare_home(**kw):
    """A homepage whose only mentions of the words are news headlines: no entry at all."""
    return _home(footer="版权所有 © 2026", links=NEWS, text=f"大同市平城区人民政府\n{NEWS_TEXT}\n版权所有 © 2026", **kw)


@pytest.mark.parametrize("element", ["sitemap", "accessibility", "new_media"])
def test_headlines_are_not_entries(make_snapshot, element):
    out = run_check(make_snapshot(_bare_home()), check("footer_has", element=element))
    assert out.status == Status.FAIL
    assert out.evidence[0].where == "首页" and out.evidence[0].found == "未找到"
    assert out.summary.startswith("首页未找到")


@pytest.mark.parametrize(("links", "found"), [
    ((link("/wzdt/", "网站地图", "nav"),), "链接「网站地图」→ http://demo.test/wzdt/"),
    ((link("/map.html", "站点地图", "footer"),), "链接「站点地图」→ http://demo.test/map.html"),
    ((link("/sitemap.html", "", "footer"),), "链接「（图片）」→ http://demo.test/sitemap.html"),
    ((link("/channel/wzdt/index.html", "导航", "nav"),), "链接「导航」→ http://demo.test/channel/wzdt/index.html"),
])
def test_sitemap(make_snapshot, links, found):
    out = run_check(make_snapshot(_home(footer="版权所有", links=NEWS + links)), check("footer_has", element="sitemap"))
    assert out.status == Status.PASS
    assert out.evidence[0].found == found
    assert out.evidence[0].looked_for == "网站地图"


def test_sitemap_in_the_top_bar_passes_even_with_region_footer(make_snapshot):
    snap = make_snapshot(_home(footer="网站标识码：1402020001", links=(link("/wzdt/", "网站地图", "nav"),
                                                                    link("/lxwm/", "联系我们", "footer"))))
    out = run_check(snap, check("footer_has", element="sitemap", region="footer"))
    assert out.status == Status.PASS
    assert out.evidence[0].where == "首页导航"
    assert out.summary == "首页导航有网站地图：链接「网站地图」→ http://demo.test/wzdt/"


@pytest.mark.parametrize(("links", "text", "found"), [
    ((link("/wza/", "无障碍浏览", "nav"),), "", "链接「无障碍浏览」→ http://demo.test/wza/"),
    ((link("/?mode=care", "长者模式", "nav"),), "", "链接「长者模式」→ http://demo.test/?mode=care"),
    ((link("/old/", "关怀版", "footer"),), "", "链接「关怀版」→ http://demo.test/old/"),
    ((link("https://wza.cniil.com/toolbar/", "", "other", False),), "",
     "链接「（图片）」→ https://wza.cniil.com/toolbar/"),
    ((), "网站地图 | 无障碍 | 长者模式 | 繁體", "无障碍"),  # buttons drawn by the toolbar script: their text
])
def test_accessibility(make_snapshot, links, text, found):
    snap = make_snapshot(_home(footer="版权所有", links=NEWS + links, text=f"{NEWS_TEXT}\n{text}"))
    out = run_check(snap, check("footer_has", element="accessibility"))
    assert out.status == Status.PASS
    assert out.evidence[0].found == found


@pytest.mark.parametrize(("links", "text", "found"), [
    ((link("https://weibo.com/u/3966981301", "平城发布", "footer", False),), "",
     "链接「平城发布」→ https://weibo.com/u/3966981301"),
    ((link("https://mp.weixin.qq.com/s/AbCdEf", "", "body", False),), "",
     "链接「（图片）」→ https://mp.weixin.qq.com/s/AbCdEf"),
    ((link("https://www.douyin.com/user/MS4wLjABAAAA", "抖音", "footer", False),), "",
     "链接「抖音」→ https://www.douyin.com/user/MS4wLjABAAAA"),
    ((link("/xmt/", "政务新媒体", "nav"),), "", "链接「政务新媒体」→ http://demo.test/xmt/"),
    ((link("/static/wx.jpg", "官方微信", "footer"),), "", "链接「官方微信」→ http://demo.test/static/wx.jpg"),
    ((), "扫一扫\n微信公众号\n官方微博", "微信公众号"),  # labels under QR code images
])
def test_new_media(make_snapshot, links, text, found):
    snap = make_snapshot(_home(footer="版权所有", links=NEWS + links, text=f"{NEWS_TEXT}\n{text}"))
    out = run_check(snap, check("footer_has", element="new_media"))
    assert out.status == Status.PASS
    assert out.evidence[0].found == found
    assert out.evidence[0].url == url("/")


def test_new_media_unknown_when_the_homepage_is_blocked(make_snapshot):
    from ..builders import error

    snap = make_snapshot([], errors=[error("/", "blocked", 412)], meta={"status": "unreachable"})
    assert run_check(snap, check("footer_has", element="new_media")).status == Status.UNKNOWN


def test_a_share_bar_is_not_an_account(make_snapshot):
    snap = make_snapshot(_home(footer="版权所有", text=f"{NEWS_TEXT}\n分享到： 微信 微博 QQ空间"))
    assert run_check(snap, check("footer_has", element="new_media")).status == Status.FAIL


# -- real pages (../shared/realpages, never copied here): their header and footer taken as a homepage ---------
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "realpages"


def _real_home(pattern: str, page_url: str):
    from checker.crawl.decode import decode
    from checker.crawl.extract import extract
    from checker.crawl.urls import Scope
    from checker.site.records import PageRecord

    found = sorted(REAL.glob(pattern)) if REAL.is_dir() else []
    if not found:
        pytest.skip(f"real page {pattern} is not present")
    e = extract(decode(found[0].read_bytes(), "text/html").text, page_url, Scope(page_url).contains,
                today=date(2026, 9, 15), is_home=True)
    return PageRecord(url=page_url, final_url=page_url, status=200, fetched_at="2026-09-15T02:00:00Z", depth=0,
                      kind="home", title=e.title, text=e.text, body=e.body, footer=e.footer, links=e.links,
                      forms=e.forms)


@pytest.mark.realpages
@pytest.mark.parametrize(("pattern", "page_url", "element", "found"), [
    ("SimonXinw__job/统计局/万载县/2022/*.html", "http://www.wanzai.gov.cn/", "sitemap",
     "链接「网站地图」→ http://www.wanzai.gov.cn/wzxrmzf/wzdt/wzdt.shtml"),
    ("SimonXinw__job/统计局/万载县/2022/*.html", "http://www.wanzai.gov.cn/", "accessibility", "网站无障碍关怀版"),
    ("changwu__pingtan-gov-zwgk-archive/pingtan/zwgk/zfxxgk/zfxxgkzn/*/*/page.html", "https://www.pingtan.gov.cn/",
     "accessibility", "长者模式"),
    ("changwu__pingtan-gov-zwgk-archive/pingtan/zwgk/zfxxgk/zfxxgkzn/*/*/page.html", "https://www.pingtan.gov.cn/",
     "new_media", "链接「新媒体矩阵」→ https://www.pingtan.gov.cn/zwzdb/xmtjz/"),
    ("kevin3691__renmin/target/adu/WEB-INF/views/affairs/index.jsp", "http://hdzfxxgk.hd.gov.cn/", "sitemap",
     "链接「网站地图」→ http://hd.gov.cn/wzdt/"),
])
def test_real_headers_and_footers(make_snapshot, pattern, page_url, element, found):
    home = _real_home(pattern, page_url)
    snap = make_snapshot([home], meta={"start_url": page_url})
    out = run_check(snap, check("footer_has", element=element))
    assert out.status == Status.PASS
    assert out.evidence[0].found == found
