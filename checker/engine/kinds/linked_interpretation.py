"""linked_interpretation: policy documents come with a 解读 (政策解读 “三同步”).

For each document of the located policy column (政策文件/规范性文件), a 解读 counts when the
document's page links to one (a non-navigation link whose anchor contains 解读/图解/一图读懂),
or a document of the `interpretations` column names it (its title or body quotes the
document title in 《》, or links to the document's URL). Passes when the share of
documents with a 解读 is at least `mostly`. Documents listed but not fetched make the
check unknown when they could change the verdict.

Example::

    - id: zcwj-interpreted
      kind: linked_interpretation
      title: 政策文件配套解读
      target: {names: [政策文件, 区政府文件]}
      interpretations: {names: [政策解读]}
      mostly: 0.8
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["linked_interpretation"]
    target: Target
    interpretations: Target | None = Field(None, description="The 政策解读 column, to match 解读 to documents by title")
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of documents that must have a 解读")
    published_after: date | None = Field(None, description="Judge only documents dated on or after this day")
    min_documents: int = Field(1, ge=1, description="Fewer fetched documents than this: unknown")


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
