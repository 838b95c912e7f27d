"""text_matches: the page's text contains named patterns and/or literal keywords.

Looks in the target page (for a column: its newest document; `scope: page` resolves to
the document). `patterns` are names from `checker.engine.patterns` (landline, doc_number
…); `keywords` are literal strings. With `mode: all` every pattern and keyword must be
found; with `mode: any` one is enough. Evidence carries each match with its context, or
the list of what was missing and where it was searched.

Example::

    - id: guide-landline
      kind: text_matches
      title: 指南公开固定电话
      target: {scope: page, names: [政府信息公开指南]}
      patterns: [landline]
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["text_matches"]
    target: Target
    patterns: list[str] = Field([], description="Names of patterns from the pattern library")
    keywords: list[str] = Field([], description="Literal strings")
    mode: Literal["all", "any"] = "all"
    region: Literal["body", "text"] = Field("body", description="Main content only, or the whole page text")

    @model_validator(mode="after")
    def _something_to_find(self) -> Params:
        if not self.patterns and not self.keywords:
            raise ValueError("give at least one of patterns or keywords")
        return self


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
