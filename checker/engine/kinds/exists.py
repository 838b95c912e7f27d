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

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["exists"]
    target: Target


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
