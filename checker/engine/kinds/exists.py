"""exists: the column or page is on the site.

Passes when the target is located (see `checker.engine.locate`), with the URL and how it
was found as evidence. Fails when the crawl saw the whole site and nothing matched: the
evidence lists the names searched for and where. Unknown when the crawl did not see the
whole site (budget exhausted, interrupted) or a link whose anchor matches the target
could not be fetched (blocked, timed out).

A target with `accept_external: true` also passes on a link named like it that leads
outside the scan scope (the 政务服务 entry pointing at the province's platform): the
evidence is the page carrying the link, with the link's anchor text and address.

Example::

    - id: qzqd-exists
      kind: exists
      title: 公开权责清单栏目
      target: {scope: column, names: [权责清单, 权力清单], url_hints: [qzqd]}

    - id: zwfw-entry-exists
      kind: exists
      title: 门户网站提供政务服务入口
      target: {names: [政务服务, 网上办事], accept_external: true}
"""

from __future__ import annotations

from typing import Literal

from checker.results import Status

from ._common import external_link_text, label, locate, page_evidence
from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["exists"]
    target: Target


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx, need_document=False, external_ok=True)
    if isinstance(located, Outcome):
        return located
    page = located.page
    if located.external:
        ev = page_evidence(page, found=external_link_text(located), looked_for=params.target.describe(),
                           note=located.how)
    else:
        ev = page_evidence(page, found=page.title or None, looked_for=params.target.describe(), note=located.how)
    return Outcome(Status.PASS, f"已找到{label(params.target)}：{located.how}", [ev])
