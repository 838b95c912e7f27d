"""blank_columns: the site has at most `max` 空白栏目 (columns with no content).

Counts every list page the crawl found that shows no items or only 暂无信息. The 检查指标
veto is 5 or more blank columns, so the national profile sets `max: 4`. Unknown when the
crawl did not see the whole site and the count so far is within the limit.

Example::

    - id: site-blank-columns
      kind: blank_columns
      title: 空白栏目少于 5 个
      max: 4
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome


class Params(CheckBase):
    kind: Literal["blank_columns"]
    max: int = Field(4, ge=0, description="Most blank columns allowed")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
