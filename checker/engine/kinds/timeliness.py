"""timeliness: documents are published within N working days of the event they report.

For each document of the located column, the event date is read from the document (its
metadata or a labelled line: one of `event_labels`, e.g. 决定日期 / 作出决定日期 / 成文日期)
and compared with its publication date, counting Chinese working days (法定节假日 and
调休 from the maintained `chinese-calendar` package; outside the years it knows, Monday to
Friday, said in the evidence). Documents without either date are listed and do not
count. Passes when the share published in time is at least `mostly`. Used for 双公示
(7 个工作日) and 主动公开 (条例 Art. 26: 20 个工作日).

Example::

    - id: sgs-within-7-working-days
      kind: timeliness
      title: 双公示信息7个工作日内公示
      target: {names: [双公示, 行政许可和行政处罚]}
      event_labels: [作出决定日期, 决定日期, 许可决定日期, 处罚决定日期]
      working_days: 7
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["timeliness"]
    target: Target
    event_labels: list[str] = Field(min_length=1, description="Labels of the event date in the document")
    working_days: int = Field(ge=1, description="Most working days from the event to publication")
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of dated documents published in time")
    published_after: date | None = Field(None, description="Judge only documents published on or after this day")
    min_documents: int = Field(1, ge=1, description="Fewer documents with both dates than this: unknown")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
