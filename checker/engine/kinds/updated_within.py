"""updated_within: the newest dated item is at most `days` days older than the scan date.

For a column, the newest list-item date; for the homepage, the newest dated item on it;
for a page, its publication date. An item without a visible date counts as not updated
(检查指标: 无法判断更新时间的按未更新计算). The scan date is an input, never the clock.

Example::

    - id: home-updated-14d
      kind: updated_within
      title: 首页两周内有更新
      target: {scope: homepage}
      days: 14
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["updated_within"]
    target: Target
    days: int = Field(ge=1, description="Largest allowed age in calendar days of the newest item")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
