"""broken_links: internal links that lead nowhere are at most `max`.

A link is broken when its target answered 404/410, or a 5xx that persisted through the
retries, or failed to connect. Blocked (403/412 challenge) and timed-out targets are not
counted as broken: they are listed as unverified, and make the check unknown only if
they could push the count over `max`. `scope: homepage` counts links on the homepage
only (首页不可用链接); `scope: site` counts every internal link seen.

Example::

    - id: site-broken-links
      kind: broken_links
      title: 全站不可用链接不超过 5 个
      scope: site
      max: 5
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome


class Params(CheckBase):
    kind: Literal["broken_links"]
    scope: Literal["homepage", "site"] = "site"
    max: int = Field(0, ge=0, description="Most broken links allowed")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
