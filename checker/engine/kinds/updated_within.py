"""updated_within: the newest dated item is at most `days` days older than the scan date.

For a column, the newest list-item date; for the homepage, the newest dated item on it;
for a page, its publication date. An item without a visible date counts as not updated
(检查指标: 无法判断更新时间的按未更新计算). The scan date is an input, never the clock.
Dates more than a day after the scan date are not taken as the newest (a forged or
mistyped date must not make a stale column look fresh); they are noted in the evidence.

Example::

    - id: home-updated-14d
      kind: updated_within
      title: 首页两周内有更新
      target: {scope: homepage}
      days: 14
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from checker.results import Status
from checker.site.records import ListItem

from ._common import clip, label, locate, page_evidence, script_list_problem
from .base import CheckBase, CheckContext, Outcome, Target


class Params(CheckBase):
    kind: Literal["updated_within"]
    target: Target
    days: int = Field(ge=1, description="Largest allowed age in calendar days of the newest item")


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx, need_document=False)
    if isinstance(located, Outcome):
        return located
    name = label(params.target)
    page = located.content if params.target.scope == "page" else located.page
    # One day of slack: a site in another time zone may already show tomorrow's date.
    latest_ok = ctx.as_of + timedelta(days=1)
    if page.published and not page.list_items:
        items = [ListItem(page.title, page.url, page.published, page.meta.get("发布日期", ""))]
    else:
        items = list(page.list_items)
    future = [it for it in items if it.date and it.date > latest_ok]
    dated = [(it.date, -i, it) for i, it in enumerate(items) if it.date and it.date <= latest_ok]
    note = None
    if future:
        shown = "；".join(f"{it.date.isoformat()}「{clip(it.title, 40)}」" for it in future[:3])
        note = f"{len(future)} 条信息的日期晚于扫描日，未计入（疑似日期错误）：{shown}"

    if not dated:
        problem = script_list_problem(page)
        if problem:
            ev = page_evidence(page, note=problem)
            return Outcome(Status.UNKNOWN, f"无法判断：{problem}", [ev], reason=problem)
        ev = page_evidence(page, found="无可识别的发布日期", looked_for=f"{params.days} 天内的信息", note=note)
        return Outcome(Status.FAIL, f"{name}无可识别的发布日期，按未更新计", [ev])

    newest_date, _, newest = max(dated, key=lambda t: (t[0], t[1]))
    age = (ctx.as_of - newest_date).days
    ev = page_evidence(
        page, found=f"{newest_date.isoformat()} {newest.title}", context=clip(newest.date_raw) or None,
        looked_for=f"{params.days} 天内的信息", note=note,
    )
    if newest.url and newest.url != page.url:
        ev.where = f"最新条目 {newest.url}"
    summary = f"{name}最新信息 {newest_date.isoformat()}，距扫描日 {_age(age)}（要求 ≤ {params.days} 天）"
    return Outcome(Status.PASS if age <= params.days else Status.FAIL, summary, [ev])


def _age(days: int) -> str:
    return f"{days} 天" if days >= 0 else "0 天（日期为扫描日次日）"
