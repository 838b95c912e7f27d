"""exists: the column or page is on the site.

Passes when the target is located (see `checker.engine.locate`), with the URL and how it
was found as evidence. Fails when the crawl saw the whole site and nothing matched: the
evidence lists the names searched for and where. Unknown when the crawl did not see the
whole site (budget exhausted, interrupted) or a link whose anchor matches the target
could not be fetched (blocked, timed out).

Example::

    - id: qzqd-exists
      kind: exists
      title: 公开权责清单栏目
      target: {scope: column, names: [权责清单, 权力清单], url_hints: [qzqd]}
"""

from __future__ import annotations

from typing import Literal

from checker.results import Status

from ._common import label, locate, page_evidence
from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["exists"]
    target: Target


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx, need_document=False)
    if isinstance(located, Outcome):
        return located
    page = located.page
    ev = page_evidence(page, found=page.title or None, looked_for=params.target.describe(), note=located.how)
    return Outcome(Status.PASS, f"已找到{label(params.target)}：{located.how}", [ev])
