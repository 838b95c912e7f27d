"""What every check kind shares: the parameter base model, the target spec, the outcome.

A kind is a module in this package with
- a docstring (its documentation page: what it does, parameters, an example),
- `class Params(CheckBase)` with `kind: Literal["<name>"]` and its own fields,
- `def run(params: Params, ctx: CheckContext) -> Outcome`, a pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from checker.engine import patterns
from checker.results import Evidence, Status

if TYPE_CHECKING:
    from checker.engine.locate import Locator
    from checker.site.snapshot import Snapshot


class Target(BaseModel):
    """Where to look on the site.

    `scope: homepage` is the start page. `scope: column` is a list page (栏目) found by its
    name in navigation links, breadcrumbs and titles, or by URL hints. `scope: page` is a
    single page such as the 政府信息公开指南: found like a column, and when what is found is
    a list page, its newest document is taken.

    `accept_external: true` is for things hosted on another platform (the 政务服务 entry
    points at the province's 政务服务网): when no page in the scan matches, a link whose
    anchor matches a name and leads outside the scan scope counts as found. Only `exists`
    can pass on such a link; kinds that read the target's content are unknown (we did not
    fetch it).
    """

    model_config = ConfigDict(extra="forbid")

    scope: Literal["homepage", "column", "page"] = "column"
    names: list[str] = Field([], description="Names the site may label it with, most usual first")
    url_hints: list[str] = Field(
        [], description="Path segments that identify it (e.g. qzqd matches /zwgk/qzqd/ and /qzqd_2024/, not /xqzqdx/)"
    )
    within: list[str] = Field([], description="A breadcrumb ancestor one of which must be present (e.g. 政府信息公开)")
    if_missing: Literal["fail", "not_applicable"] = Field(
        "fail", description="Status when the site has no such column or page"
    )
    accept_external: bool = Field(
        False, description="A link named like it that leads outside the scan scope counts as found (only exists passes on it)"
    )

    def describe(self) -> str:
        if self.scope == "homepage":
            return "首页"
        names = "、".join(self.names) or "、".join(self.url_hints)
        return f"{'栏目' if self.scope == 'column' else '页面'}「{names}」"


class Condition(BaseModel):
    """When a check applies. A check whose condition does not hold is not_applicable, with
    the reason: e.g. the 指南 must list 政务新媒体 accounts only when the site has any.

    The condition holds when the homepage shows ANY of the listed signs: text or a link
    anchor containing one of `homepage_has`, or a link to a host containing one of
    `homepage_links_to`.
    """

    model_config = ConfigDict(extra="forbid")

    homepage_has: list[str] = Field(
        [], description="Homepage text or link anchors containing one of these (| alternatives allowed)"
    )
    homepage_links_to: list[str] = Field(
        [], description="A homepage link to a host containing one of these (weibo.com, mp.weixin.qq.com …)"
    )


class CheckBase(BaseModel):
    """Fields every check has, whatever its kind."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$", description="Stable id, referenced by profiles")
    title: str = Field(min_length=1, description="What the check verifies, in Chinese, for the scorecard")
    description: str = Field("", description="Longer explanation for reviewers")
    since: str = "0.1.0"
    status: Literal["stable", "preview", "deprecated"] = "stable"
    aliases: list[str] = Field([], description="Former ids, so history stays comparable")
    applies_if: Condition | None = Field(None, description="Only judged when this holds; else not_applicable")


class TextSearch(CheckBase):
    """Fields of the kinds that search text: named patterns and literal keywords."""

    patterns: list[str] = Field([], description="Names of patterns from the pattern library")
    keywords: list[str] = Field([], description="Literal strings; 办公时间|工作时间 accepts either alternative")

    @model_validator(mode="after")
    def _something_to_find(self) -> TextSearch:
        if not self.patterns and not self.keywords:
            raise ValueError("give at least one of patterns or keywords")
        for keyword in self.keywords:
            problem = patterns.keyword_problem(keyword)
            if problem:
                raise ValueError(problem)
        return self


@dataclass
class Outcome:
    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    reason: str | None = None


@dataclass
class CheckContext:
    snapshot: Snapshot
    as_of: date
    locator: Locator
