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

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome

ELEMENTS = ("site_code", "icp", "police_record", "conac_badge", "sponsor", "contact", "error_report", "search_box")


class Params(CheckBase):
    kind: Literal["footer_has"]
    element: Literal["site_code", "icp", "police_record", "conac_badge", "sponsor", "contact", "error_report",
                     "search_box"]
    region: Literal["footer", "page"] = Field("footer", description="Footer only, or anywhere on the homepage")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
