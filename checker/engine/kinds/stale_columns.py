"""stale_columns: count the columns not updated in time for their type (栏目不更新).

Every list page the crawl found is classified by its name (breadcrumb's last segment or
title) into the first `types` entry whose `match` keywords it contains; its newest item
date is compared with the scan date; a column with no dated item counts as not updated.
Fails when more than `max` columns are stale (检查指标: ≥ 5 stale columns is a veto, so
the national profile sets `max: 4`). Columns of no listed type are not judged.

Example::

    - id: site-stale-columns
      kind: stale_columns
      title: 不更新栏目少于 5 个
      max: 4
      types:
        - {name: 动态要闻, match: [动态, 要闻, 新闻], days: 14}
        - {name: 通知公告、政策文件, match: [通知公告, 政策文件], days: 183}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import CheckBase, CheckContext, Outcome


class ColumnType(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Label of the type for the scorecard (动态要闻, 通知公告 …)")
    match: list[str] = Field(min_length=1, description="A column is of this type when its name contains one of these")
    days: int = Field(ge=1, description="Largest allowed age in days of the column's newest item")


DEFAULT_TYPES = [
    ColumnType(name="动态要闻", match=["动态", "要闻", "新闻"], days=14),
    ColumnType(name="通知公告、政策文件", match=["通知公告", "公示公告", "政策文件"], days=183),
    ColumnType(name="人事、规划、机构、财政、统计、信息公开目录",
               match=["人事", "规划", "机构", "财政", "预决算", "统计", "信息公开目录"], days=365),
]


class Params(CheckBase):
    kind: Literal["stale_columns"]
    types: list[ColumnType] = Field(default_factory=lambda: list(DEFAULT_TYPES))
    max: int = Field(4, ge=0, description="Most stale columns allowed")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
