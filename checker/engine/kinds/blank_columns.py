"""blank_columns: the site has at most `max` 空白栏目 (columns with no content).

Counts every list page the crawl found that shows no items or only 暂无信息. The 检查指标
veto is 5 or more blank columns, so the national profile sets `max: 4`. Unknown when the
crawl did not see the whole site and the count so far is within the limit.

Example::

    - id: site-blank-columns
      kind: blank_columns
      title: 空白栏目少于 5 个
      max: 4
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from checker.engine.locate import incomplete_crawl
from checker.results import Evidence, Status

from ._common import clip, page_evidence, script_list_problem
from .base import CheckBase, CheckContext, Outcome

MAX_LISTED = 50


class Params(CheckBase):
    kind: Literal["blank_columns"]
    max: int = Field(4, ge=0, description="Most blank columns allowed")


def run(params: Params, ctx: CheckContext) -> Outcome:
    lists = sorted((p for p in ctx.snapshot.pages() if p.kind == "list"), key=lambda p: p.url)
    blank, unsure = [], []
    for page in lists:
        if page.empty_list or not page.list_items:
            (unsure if script_list_problem(page) else blank).append(page)
    n = len(blank)
    evidence = [Evidence(looked_for="空白栏目（无信息或仅显示“暂无信息”）", where=f"已抓取的 {len(lists)} 个栏目页",
                         found=f"{n} 个")]
    evidence += [
        page_evidence(p, found="暂无信息" if p.empty_list else "列表为空", note=clip(p.title, 80) or None)
        for p in blank[:MAX_LISTED]
    ]
    evidence += [page_evidence(p, found="未提取到条目", note=script_list_problem(p)) for p in unsure[:MAX_LISTED]]
    counted = f"{len(lists)} 个栏目页中空白栏目 {n} 个（允许 ≤ {params.max} 个）"
    if n > params.max:
        return Outcome(Status.FAIL, counted, evidence)
    incomplete = incomplete_crawl(ctx.snapshot.meta)
    if incomplete:
        reason = f"{incomplete}，已发现 {n} 个空白栏目，未抓取的栏目中可能还有"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", evidence, reason=reason)
    if n + len(unsure) > params.max:
        reason = f"另有 {len(unsure)} 个栏目页未能提取条目，可能使空白栏目超过 {params.max} 个"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    return Outcome(Status.PASS, counted, evidence)
