"""footer_has: a site-identity element is on the homepage (发展指引 标识).

Elements: `site_code` (网站标识码, 10 digits), `icp` (ICP备案号), `police_record`
(公安机关备案号), `conac_badge` (党政机关网站标识: a link to bszs.conac.cn, or its
IPv6-gateway rewrite, or the badge text), `sponsor` (主办单位), `contact` (联系电话/邮箱
in the footer), `error_report` (我为政府网站找错 link), `search_box` (a search form in the
page header). Looks in the homepage footer first, then the whole homepage (`region`).

Entries portals put in the top bar as often as in the footer are looked for on the whole
homepage whatever `region` says; the evidence says where the link sat:
- `sitemap`: a link whose anchor contains 网站地图/站点地图, or whose path has a `sitemap`
  or `wzdt` segment;
- `accessibility` (适老化与无障碍): a short link anchor naming 无障碍/长者/关怀/适老/读屏/老年
  (无障碍浏览, 长者模式, 关怀版), a link to the 无障碍 toolbar service (a `wza` host or path,
  `cniil`), or such an entry's own text (a button) standing alone. A news title like
  「关怀困难群众」 is not an entry;
- `new_media` (政务新媒体): a link to weibo.com/weibo.cn, mp.weixin.qq.com, douyin.com,
  toutiao.com, kuaishou.com, or a short anchor or stand-alone text naming 微信/微博/抖音/
  今日头条/公众号/视频号/政务新媒体 (an image link counts by its alt text). Scripts and
  images without a link are not in the snapshot, so a toolbar loaded only by script, or a
  QR code image with no alt text, is not seen.

Example::

    - id: footer-site-code
      kind: footer_has
      title: 页脚展示网站标识码
      element: site_code
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from checker.engine import patterns
from checker.engine.locate import normalize, path_segments
from checker.results import Evidence, Status
from checker.site.records import Link, PageRecord

from ._common import clip, locate, match_evidence, page_evidence
from .base import CheckBase, CheckContext, Outcome, Target

ELEMENTS = ("site_code", "icp", "police_record", "conac_badge", "sponsor", "contact", "error_report", "search_box",
            "sitemap", "accessibility", "new_media")


class Params(CheckBase):
    kind: Literal["footer_has"]
    element: Literal["site_code", "icp", "police_record", "conac_badge", "sponsor", "contact", "error_report",
                     "search_box", "sitemap", "accessibility", "new_media"]
    region: Literal["footer", "page"] = Field("footer", description="Footer only, or anywhere on the homepage")


LABELS = {
    "site_code": "网站标识码", "icp": "ICP备案号", "police_record": "公安机关备案号", "conac_badge": "党政机关网站标识",
    "sponsor": "主办单位", "contact": "联系方式", "error_report": "“我为政府网站找错”入口", "search_box": "站内搜索",
    "sitemap": "网站地图", "accessibility": "无障碍/长者模式入口", "new_media": "政务新媒体",
}
# Elements found anywhere on the homepage (header top bar or footer), whatever `region` says.
_WHOLE_PAGE = ("sitemap", "accessibility", "new_media")
_REGION_WHERE = {"footer": "首页页脚", "nav": "首页导航", "breadcrumb": "首页导航"}
MAX_ENTRY_ANCHOR = 12  # an entry is a short label; a longer anchor is a news title
_SITEMAP_WORDS = ("网站地图", "站点地图")
_SITEMAP_SEGMENTS = ("sitemap", "wzdt")
_ACCESS_WORDS = ("无障碍", "长者", "关怀", "适老", "读屏", "老年")
_ACCESS_HOSTS = ("cniil",)
_ACCESS_TEXT = re.compile(
    r"(?:网站|进入|切换(?:到|至)?|开启|打开)*(?:无障碍|长者|关怀|适老化?|读屏|老年)+"
    r"(?:浏览|阅读|模式|版|专版|通道|服务|工具条?|专区)?(?:入口)?"
)
_MEDIA_WORDS = ("微信", "微博", "抖音", "头条", "公众号", "视频号", "新媒体", "快手")
_MEDIA_HOSTS = ("weibo.com", "weibo.cn", "mp.weixin.qq.com", "weixin.qq.com", "douyin.com", "toutiao.com",
                "kuaishou.com")
_MEDIA_TEXT = re.compile(
    r"(?:官方|政务)?(?:微信|微博|抖音|今日头条|头条号?|快手|视频号|新媒体)(?:公众号|号|账号|平台|矩阵|二维码)?"
    r"|(?:微信)?公众号|政务新媒体(?:矩阵)?"
)
_SHARE_BAR = ("分享", "QQ空间", "qq空间")
_TOKEN_SPLIT = re.compile(r"[\s|｜/·•]+")
_HOMEPAGE = Target(scope="homepage")
# Outbound links may be rewritten through an IPv6 gateway that turns dots into dashes
# (https://bszs-conac-cnx45c….ipv6best.cn/…): match either form of the host.
_CONAC_HOSTS = ("bszs.conac.cn", "bszs-conac-cn")
_ZFWZZC_HOSTS = ("zfwzzc.www.gov.cn", "zfwzzc-www-gov-cn")
_SPONSOR = re.compile(r"主\s*办(?:\s*单\s*位)?")
_CONTACT = re.compile(r"联系电话|联系我们|联系方式")


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(_HOMEPAGE, ctx)
    if isinstance(located, Outcome):
        return located
    home = located.page
    shown = LABELS[params.element]
    use_footer = params.region == "footer" and bool(home.footer.strip())
    text = home.footer if use_footer else home.text
    where = "首页页脚" if use_footer else "首页全文"
    links = [lk for lk in home.links if lk.region == "footer"] if use_footer else list(home.links)
    if use_footer and not links:
        links = list(home.links)  # the extractor saw no footer links: judge all of them

    if params.element in _WHOLE_PAGE:
        text, links, where = home.text, list(home.links), "首页"
    ev = _find(params.element, home, text, links, where)
    if ev is None:
        miss = page_evidence(home, looked_for=shown, where=where, found="未找到")
        return Outcome(Status.FAIL, f"{where}未找到{shown}", [miss])
    if ev.where is None:
        ev.where = where
    if params.element in _WHOLE_PAGE:
        where = ev.where  # the region the entry sat in: 首页导航, 首页页脚 …
    return Outcome(Status.PASS, f"{where}有{shown}：{clip(ev.found, 60)}", [ev])


def _find(element: str, home: PageRecord, text: str, links: list[Link], where: str) -> Evidence | None:
    shown = LABELS[element]
    if element in ("site_code", "icp", "police_record"):
        match = patterns.search(element, text)
        return match_evidence(home, match, shown) if match else None
    if element == "conac_badge":
        link = _link(links, _CONAC_HOSTS, ("党政机关",))
        return _link_evidence(home, link, shown, where) if link else None
    if element == "error_report":
        link = _link(links, _ZFWZZC_HOSTS, ("找错", "纠错"))
        return _link_evidence(home, link, shown, where) if link else None
    if element == "sponsor":
        match = patterns.search_regex(_SPONSOR, text, element)
        return match_evidence(home, match, shown) if match else None
    if element == "contact":
        for name in ("landline", "email"):
            match = patterns.search(name, text)
            if match:
                return match_evidence(home, match, shown)
        match = patterns.search_regex(_CONTACT, text, element)
        if match:
            return match_evidence(home, match, shown)
        link = next((lk for lk in links if "联系我们" in lk.text), None)
        return _link_evidence(home, link, shown, where) if link else None
    if element == "search_box":
        form = next((f for f in home.forms if f.is_search), None)
        if form is None:
            return None
        return page_evidence(home, found=f"搜索表单 {form.method.upper()} {form.action}",
                             context=f"输入项：{'、'.join(form.inputs)}", looked_for=shown, where="首页")
    if element == "sitemap":
        link = next((lk for lk in links if any(w in normalize(lk.text) for w in _SITEMAP_WORDS)), None)
        link = link or next((lk for lk in links if _path_has(lk.url, _SITEMAP_SEGMENTS)), None)
        return _entry_evidence(home, link, shown) if link else None
    if element == "accessibility":
        link = _entry_link(links, _ACCESS_WORDS)
        link = link or next((lk for lk in links if _host_has(lk.url, _ACCESS_HOSTS) or _wza(lk.url)), None)
        if link:
            return _entry_evidence(home, link, shown)
        return _standalone_text(home, text, _ACCESS_TEXT, shown)
    if element == "new_media":
        link = next((lk for lk in links if _host_has(lk.url, _MEDIA_HOSTS)), None) or _entry_link(links, _MEDIA_WORDS)
        if link:
            return _entry_evidence(home, link, shown)
        return _standalone_text(home, text, _MEDIA_TEXT, shown)
    raise ValueError(f"unknown element {element!r}")


def _entry_link(links: list[Link], words: tuple[str, ...]) -> Link | None:
    """A short anchor naming one of `words`, outside the news lists: an entry, not a headline."""
    for lk in links:
        norm = normalize(lk.text)
        if lk.region != "list" and 0 < len(norm) <= MAX_ENTRY_ANCHOR and any(w in norm for w in words):
            return lk
    return None


def _host_has(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) or h in host.replace("-", ".") for h in hosts)


def _path_has(url: str, segments: tuple[str, ...]) -> bool:
    return any(seg.split(".")[0] in segments for seg in path_segments(url))


def _wza(url: str) -> bool:
    """The 无障碍 toolbar service: a wza.* host or a /wza/ path segment."""
    host = (urlsplit(url).hostname or "").lower()
    return host.startswith("wza.") or _path_has(url, ("wza",))


def _standalone_text(home: PageRecord, text: str, regex: re.Pattern[str], shown: str) -> Evidence | None:
    """An entry's own text (a button, a label over a QR code) standing alone between separators.

    A share bar (分享到：微信 微博 QQ空间) names the platforms, not the site's accounts.
    """
    for line in text.split("\n"):
        if any(w in line for w in _SHARE_BAR):
            continue
        for token in _TOKEN_SPLIT.split(line):
            if token and regex.fullmatch(normalize(token)):
                return page_evidence(home, found=token, context=clip(line, 120), looked_for=shown)
    return None


def _entry_evidence(home: PageRecord, link: Link, shown: str) -> Evidence:
    where = _REGION_WHERE.get(link.region, "首页")
    return _link_evidence(home, link, shown, where)


def _link(links: list[Link], hosts: tuple[str, ...], words: tuple[str, ...]) -> Link | None:
    for link in links:
        host = (urlsplit(link.url).hostname or "").lower()
        if any(h in host for h in hosts):
            return link
    return next((lk for lk in links if any(w in lk.text for w in words)), None)


def _link_evidence(home: PageRecord, link: Link, shown: str, where: str) -> Evidence:
    return page_evidence(home, found=f"链接「{link.text or '（图片）'}」→ {link.url}", looked_for=shown, where=where)
