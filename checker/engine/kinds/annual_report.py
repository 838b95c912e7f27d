"""annual_report: the 政府信息公开工作年度报告 for the year due (条例 Art. 49; 国办公开办函〔2021〕30号).

The report year is the scan year − 1 once the deadline (`deadline`, MM-DD of the scan
year) has passed, else the year before that (the newer report is not due yet; said in
the evidence). The report is the column item (or any page/attachment link on the site)
whose title contains the year and one of `title_keywords`. `aspect` picks what is judged:
- `exists`: the report is published (an HTML page, or a linked PDF/DOC attachment);
- `sections`: its text carries the six headings of the 2021 format, in order;
- `table3`: 表三 adds up, per column: 一 + 二 = 三(七) + 四 (unknown when the table cannot
  be read, e.g. only an image or an attachment);
- `on_time`: it was published on or before the deadline of the year after the report year.

Example::

    - id: zfxxgknb-on-time
      kind: annual_report
      title: 年报于3月31日前发布
      target: {names: [政府信息公开年报, 政府信息公开年度报告]}
      aspect: on_time
      deadline: "03-31"
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome, Target

SECTION_HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")


class Params(CheckBase):
    kind: Literal["annual_report"]
    target: Target
    aspect: Literal["exists", "sections", "table3", "on_time"]
    title_keywords: list[str] = Field(
        ["政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开年报", "信息公开工作年度报告"],
        description="A report's title contains the year and one of these",
    )
    deadline: str = Field("03-31", pattern=r"^\d{2}-\d{2}$",
                          description="MM-DD: 03-31 for the 本级政府, 01-31 for departments; a list's earlier date wins")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
