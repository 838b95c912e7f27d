"""documents_match: every document of a column satisfies named patterns, with tolerance.

Takes every document (detail page) listed in the located column that the crawl
fetched, and checks each against `patterns`/`keywords` (all must match per document).
`tail_chars` restricts the search to the end of the body (a 解读主体 statement belongs at
the end of a 规范性文件). `in_meta` also accepts a match in the metadata table (文号 is
often only there). Passes when the share of documents that match is at least `mostly`.
Documents listed but not fetched are reported and make the check unknown when they could
decide it.

Example::

    - id: gfxwj-validity
      kind: documents_match
      title: 规范性文件标注有效期
      target: {names: [行政规范性文件, 规范性文件]}
      patterns: [validity_period]
      tail_chars: 600
      mostly: 1.0
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["documents_match"]
    target: Target
    patterns: list[str] = Field([], description="Names of patterns from the pattern library")
    keywords: list[str] = Field([], description="Literal strings; any one of them satisfies the keyword part")
    tail_chars: int | None = Field(None, ge=1, description="Search only the last N characters of the body")
    in_meta: bool = Field(False, description="A match in the metadata table (文号, 有效性 …) also counts")
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of documents that must match")
    min_documents: int = Field(1, ge=1, description="Fewer fetched documents than this: unknown")

    @model_validator(mode="after")
    def _something_to_find(self) -> Params:
        if not self.patterns and not self.keywords:
            raise ValueError("give at least one of patterns or keywords")
        return self


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
