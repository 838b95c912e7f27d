"""required_publications: named things that must be published, found by their titles.

Driven by data, not code: each entry of `publications` names a thing (本年度预算, 上年度决算,
年度抽查计划, 十四五规划, 收费目录清单, an area's 基层政务公开标准目录 …) by keywords its title
must contain (`title`: all of them, each with | alternatives; `{year}` is the scan year,
`{year-1}` the year before), optionally within a column (`target`), optionally due by a
date (`by`: MM-DD of the scan year, judged only once that date has passed) or fresh
(`within_days`). Titles are searched in list items and document titles the crawl saw.
Each publication is reported with the item that satisfies it or what was searched. Fails
when any required publication is missing; unknown when the crawl was partial and some
are missing.

Example::

    - id: czyjs-current-budget
      kind: required_publications
      title: 公开本年度预算和上年度决算
      publications:
        - {name: 本年度预算, title: ["{year}年", "预算"], target: {names: [财政预决算]}}
        - {name: 上年度决算, title: ["{year-1}年", "决算"], target: {names: [财政预决算]}}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import CheckBase, CheckContext, Outcome, Target


class Publication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="What must be published, for the scorecard")
    title: list[str] = Field(min_length=1, description="Keywords the title must all contain (| alternatives; {year}, {year-1})")
    target: Target | None = Field(None, description="Look only in this column (default: every title the crawl saw)")
    by: str | None = Field(None, pattern=r"^\d{2}-\d{2}$", description="MM-DD: due by this date of the scan year")
    within_days: int | None = Field(None, ge=1, description="The newest matching item is at most this old")


class Params(CheckBase):
    kind: Literal["required_publications"]
    publications: list[Publication] = Field(min_length=1)


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
