"""not_blank: the column has content (not a 空白栏目).

A column passes with at least `min_items` list items; a column page that shows no items
or only 暂无信息/暂无数据 fails. For `scope: page` targets, and columns the site publishes
as a plain page, the page's main text must be at least `min_chars` characters long. A
list page with no items on which extraction noted trouble (items loaded by script) is
unknown, not blank.

Example::

    - id: qzqd-not-blank
      kind: not_blank
      title: 权责清单栏目有内容
      target: {names: [权责清单]}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from checker.results import Status
from checker.site.records import PageRecord

from ._common import clip, label, locate, page_evidence, script_list_problem
from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["not_blank"]
    target: Target
    min_items: int = Field(1, ge=1, description="Least number of list items a column must show")
    min_chars: int = Field(50, ge=1, description="Least length of a page's main text")


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx)
    if isinstance(located, Outcome):
        return located
    name = label(params.target)
    page = located.page
    if params.target.scope == "page" or page.kind != "list":
        return _text_length(located.content, params, name)

    items = page.list_items
    if page.empty_list or not items:
        problem = script_list_problem(page)
        if problem:
            return Outcome(Status.UNKNOWN, f"无法判断：{problem}", [page_evidence(page, note=problem)], reason=problem)
        found = "暂无信息" if page.empty_list else "列表为空"
        ev = page_evidence(page, found=found, looked_for=f"至少 {params.min_items} 条信息", note=located.how)
        return Outcome(Status.FAIL, f"{name}为空白栏目（{found}）", [ev])
    newest = items[0]
    ev = page_evidence(
        page, found=f"{len(items)} 条信息", context=clip(f"{newest.date_raw or ''} {newest.title}".strip()),
        looked_for=f"至少 {params.min_items} 条信息", note=located.how,
    )
    if len(items) < params.min_items:
        return Outcome(Status.FAIL, f"{name}仅有 {len(items)} 条信息（要求至少 {params.min_items} 条）", [ev])
    return Outcome(Status.PASS, f"{name}有 {len(items)} 条信息（要求至少 {params.min_items} 条）", [ev])


def _text_length(page: PageRecord, params: Params, name: str) -> Outcome:
    chars = len("".join(page.body.split()))
    ev = page_evidence(
        page, found=f"正文 {chars} 字", context=clip(page.body, 120) or None,
        looked_for=f"正文至少 {params.min_chars} 字",
    )
    if chars == 0 and page.problem:
        reason = f"正文未能提取（{clip(page.problem, 120)}）"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [ev], reason=reason)
    if chars < params.min_chars:
        return Outcome(Status.FAIL, f"{name}正文仅 {chars} 字（要求至少 {params.min_chars} 字）", [ev])
    return Outcome(Status.PASS, f"{name}正文 {chars} 字（要求至少 {params.min_chars} 字）", [ev])
