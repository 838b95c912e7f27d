"""not_blank: the column has content (not a 空白栏目).

A column passes with at least `min_items` list items; a column page that shows no items
or only 暂无信息/暂无数据 fails. For `scope: page` targets the page's main text must be
at least `min_chars` characters long.

Example::

    - id: qzqd-not-blank
      kind: not_blank
      title: 权责清单栏目有内容
      target: {names: [权责清单]}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["not_blank"]
    target: Target
    min_items: int = Field(1, ge=1, description="Least number of list items a column must show")
    min_chars: int = Field(50, ge=1, description="Least length of a page's main text")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
