"""personal_data: published pages expose no personal data (《个人信息保护法》; 001 item 7).

Scans the text of every page (and every extracted attachment) the crawl saw for:
`id_card` (18-digit 身份证号 with a valid GB 11643 check digit), `mobile` (full 11-digit
mobile numbers, only where the surrounding text is a 处罚/公示/当事人 context given by
`mobile_contexts` — office hotlines are not personal data), `bank_card` (16–19 digits
passing the Luhn check, near 银行/卡号/账号). Masked forms (1402**********1234,
138****5678) are compliant. Fails when more than `max` exposures are found; the evidence
shows each match masked, so the scorecard never republishes the data. Unknown when none
is found but the crawl did not see the whole site.

Example::

    - id: no-personal-data
      kind: personal_data
      title: 公开信息不泄露个人身份证号、手机号、银行卡号
      detect: [id_card, mobile, bank_card]
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome


class Params(CheckBase):
    kind: Literal["personal_data"]
    detect: list[Literal["id_card", "mobile", "bank_card"]] = Field(["id_card", "mobile", "bank_card"], min_length=1)
    mobile_contexts: list[str] = Field(
        ["处罚", "公示", "当事人", "申请人", "被处罚", "违法", "救助对象", "补贴对象", "名单"],
        description="A full mobile number counts only within 60 characters of one of these",
    )
    max: int = Field(0, ge=0, description="Most exposures allowed")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
