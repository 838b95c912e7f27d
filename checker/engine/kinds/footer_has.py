"""footer_has: a site-identity element is on the homepage (发展指引 标识).

Elements: `site_code` (网站标识码, 10 digits), `icp` (ICP备案号), `police_record`
(公安机关备案号), `conac_badge` (党政机关网站标识: a link to bszs.conac.cn, or its
IPv6-gateway rewrite, or the badge text), `sponsor` (主办单位), `contact` (联系电话/邮箱
in the footer), `error_report` (我为政府网站找错 link), `search_box` (a search form in the
page header). Looks in the homepage footer first, then the whole homepage (`region`).

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
}
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

    ev = _find(params.element, home, text, links, where)
    if ev is None:
        miss = page_evidence(home, looked_for=shown, where=where, found="未找到")
        return Outcome(Status.FAIL, f"{where}未找到{shown}", [miss])
    if ev.where is None:
        ev.where = where
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
    raise ValueError(f"unknown element {element!r}")


def _link(links: list[Link], hosts: tuple[str, ...], words: tuple[str, ...]) -> Link | None:
    for link in links:
        host = (urlsplit(link.url).hostname or "").lower()
        if any(h in host for h in hosts):
            return link
    return next((lk for lk in links if any(w in lk.text for w in words)), None)


def _link_evidence(home: PageRecord, link: Link, shown: str, where: str) -> Evidence:
    return page_evidence(home, found=f"链接「{link.text or '（图片）'}」→ {link.url}", looked_for=shown, where=where)
