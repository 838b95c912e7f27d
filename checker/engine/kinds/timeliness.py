"""timeliness: documents are published within N working days of the event they report.

For each document of the located column, the event date is read from the document (its
metadata or a labelled line: one of `event_labels`, e.g. 决定日期 / 作出决定日期 / 成文日期)
and compared with its publication date, counting Chinese working days (法定节假日 and
调休 from the maintained `chinese-calendar` package; outside the years it knows, Monday to
Friday, said in the evidence). Documents without either date are listed and do not
count. Passes when the share published in time is at least `mostly`. Used for 双公示
(7 个工作日) and 主动公开 (条例 Art. 26: 20 个工作日).

The documents are those listed in the column: the column page and the pagination pages
the crawl fetched. The event date is a metadata field whose name contains a label (成文日期,
作出处罚决定日期 …), or a body line where a label is followed by a date (「决定日期：2024年3月1日」,
「作出处罚决定日期：2024-03-01」). A page that lists several decisions (a 公示 of a batch) is
judged by its earliest one: it is in time only if every decision in it is. The
publication date is the page's own (extracted 发布日期), else the date the list shows.

Counting follows `checker.engine.workdays`: the event day is not counted, and the period
ends on the N-th working day after it; a document is in time when it was published on or
before that day (published on the Sunday after a Saturday 调休 deadline is late, though no
further working day has passed). A document dated before its event, or with an event
after the scan date, is reported as inconsistent and not counted. Unfetched documents in
range make the check unknown when they could change the verdict, as in documents_match;
pagination pages the crawl did not fetch (older documents of a long list) are named in
the summary, and the verdict is on the documents it reached.

Example::

    - id: sgs-within-7-working-days
      kind: timeliness
      title: 双公示信息7个工作日内公示
      target: {names: [双公示, 行政许可和行政处罚]}
      event_labels: [作出决定日期, 决定日期, 许可决定日期, 处罚决定日期]
      working_days: 7
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from checker.crawl.dates import parse_date
from checker.engine import workdays
from checker.engine.locate import normalize
from checker.engine.patterns import MAX_TEXT, fold
from checker.results import Evidence, Status
from checker.site.records import ListItem, PageRecord

from ._common import (
    clip,
    first_per_url,
    label,
    listed_documents,
    locate,
    page_evidence,
    share_enough,
    unchecked_flip,
)
from .base import CheckBase, CheckContext, Outcome, Target
from .items_match import column_pages

MAX_LATE = 10
MAX_ON_TIME = 2
MAX_UNDATED = 10
MAX_UNVERIFIED = 10
MAX_LABEL_HITS = 200  # event labels read per document: a batch 公示 lists many decisions
_DATE_WINDOW = 24  # characters after a label in which its date must start
_DATE_LEAD = re.compile(r"^[\s:：()（）\[\]【】为是]{0,4}")


class Params(CheckBase):
    kind: Literal["timeliness"]
    target: Target
    event_labels: list[str] = Field(min_length=1, description="Labels of the event date in the document")
    working_days: int = Field(ge=1, description="Most working days from the event to publication")
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of dated documents published in time")
    published_after: date | None = Field(None, description="Judge only documents published on or after this day")
    min_documents: int = Field(1, ge=1, description="Fewer documents with both dates than this: unknown")


@dataclass(frozen=True)
class EventDate:
    day: date
    source: str  # Chinese: where it was read, 元数据「成文日期」 or 正文
    text: str  # what was printed: 「决定日期：2024年3月1日」
    count: int = 1  # how many event dates the document gives (the earliest is used)


@dataclass
class _Judged:
    page: PageRecord
    title: str
    event: EventDate
    published: date
    published_from: str
    due: date
    used: int
    assumed: tuple[int, ...]

    @property
    def late(self) -> bool:
        return self.published > self.due


def label_regex(labels: list[str]) -> re.Pattern[str]:
    """The labels, longest first, tolerating spaces between characters (决 定 日 期)."""
    alts = sorted({normalize(x) for x in labels if normalize(x)}, key=lambda x: (-len(x), x))
    return re.compile("|".join(r"\s*".join(re.escape(c) for c in alt) for alt in alts))


def read_event_date(page: PageRecord, labels: list[str], regex: re.Pattern[str] | None = None) -> EventDate | None:
    """The earliest event date a document gives, in its metadata or its body, or None."""
    wanted = [n for n in (normalize(x) for x in labels) if n]
    found: list[EventDate] = []
    for key, value in sorted(page.meta.items()):
        norm = normalize(key).rstrip(":")
        if any(w in norm for w in wanted):
            day, raw = parse_date(value)
            if day:
                found.append(EventDate(day, f"元数据「{key}」", f"{key}：{raw}"))
    regex = regex or label_regex(labels)
    text = (page.body or page.text)[:MAX_TEXT]
    folded = fold(text)
    for i, m in enumerate(regex.finditer(folded)):
        if i >= MAX_LABEL_HITS:
            break
        window = folded[m.end() : m.end() + _DATE_WINDOW]
        lead = _DATE_LEAD.match(window).end()
        day, raw = parse_date(window[lead:])
        if day and window[lead:].startswith(raw):
            end = m.end() + lead + len(raw)
            found.append(EventDate(day, "正文", " ".join(text[m.start() : end].split())))
    if not found:
        return None
    first = min(found, key=lambda e: (e.day, e.source != "正文"))
    return EventDate(first.day, first.source, first.text, len({e.day for e in found}))


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx, need_document=False)
    if isinstance(located, Outcome):
        return located
    column = located.page
    name = label(params.target)
    if column.kind == "list" or column.list_items:
        pages, unseen_pages = column_pages(ctx.snapshot, column)
        listed = first_per_url(it for p in pages for it in p.list_items)
    else:
        pages, unseen_pages = [column], []
        listed = [ListItem(column.title, column.url, column.published)]  # the target is itself one document

    regex = label_regex(params.event_labels)
    event_name = params.event_labels[0]
    n_days = params.working_days
    latest_event = ctx.as_of + timedelta(days=1)
    judged: list[_Judged] = []
    undated: list[Evidence] = []
    unverified: list[Evidence] = []
    earlier = 0
    for d in listed_documents(ctx.snapshot, listed):
        it, page, published = d.item, d.page, d.day
        if d.before(params.published_after):
            earlier += 1
            continue
        if page is None:
            unverified.append(d.unfetched(ctx.snapshot))
            continue
        if d.is_subcolumn:
            continue
        title = it.title or page.title
        event = read_event_date(page, params.event_labels, regex)
        if event is None or published is None:
            missing = "、".join(
                ([f"{event_name}（{'、'.join(params.event_labels)}）"] if event is None else [])
                + (["发布日期"] if published is None else [])
            )
            undated.append(page_evidence(page, found=f"未找到{missing}", note=clip(title, 80)))
            continue
        if published < event.day or event.day > latest_event:
            why = (f"发布日期 {published.isoformat()} 早于{event_name} {event.day.isoformat()}"
                   if published < event.day else f"{event_name} {event.day.isoformat()} 晚于扫描日")
            undated.append(page_evidence(page, found=f"日期矛盾：{why}", context=clip(event.text),
                                         note=clip(title, 80)))
            continue
        due, assumed_due = workdays.add_working_days(event.day, n_days)
        span = workdays.working_days(event.day, published)
        judged.append(_Judged(
            page, title, event, published, "页面发布日期" if page.published else "列表日期", due, span.days,
            tuple(sorted(set(assumed_due) | set(span.assumed_years))),
        ))

    late = [j for j in judged if j.late]
    on_time = [j for j in judged if not j.late]
    checked, ok, u = len(judged), len(on_time), len(unverified)
    evidence = [page_evidence(column, found=f"列出 {len(listed)} 篇文档（{len(pages)} 个列表页）", note=located.how)]
    evidence += [_judged_evidence(j, n_days, event_name) for j in late[:MAX_LATE]]
    evidence += [_judged_evidence(j, n_days, event_name) for j in on_time[:MAX_ON_TIME]]
    evidence += undated[:MAX_UNDATED]
    evidence += unverified[:MAX_UNVERIFIED]
    assumed = tuple(sorted({y for j in judged for y in j.assumed}))
    if assumed:
        evidence.append(Evidence(looked_for=f"{n_days} 个工作日", note=workdays.assumed_note(assumed)))

    since = f" {params.published_after.isoformat()} 及以后发布的" if params.published_after else ""
    if checked < params.min_documents:
        reason = f"{name}可判断的{since}文档只有 {checked} 篇（至少需要 {params.min_documents} 篇）"
        if undated:
            reason += f"，{len(undated)} 篇缺少{event_name}或发布日期"
        if u:
            reason += f"，{u} 篇未能抓取"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", evidence, reason=reason)

    counts = (f"{name}可判断的{since} {checked} 篇文档中，{ok} 篇在{event_name}后 {n_days} 个工作日内公开"
              f"（要求 ≥ {params.mostly:.0%}）")
    if undated:
        counts += f"；{len(undated)} 篇缺少{event_name}或发布日期（或日期矛盾），未计入"
    if u:
        counts += f"；{u} 篇未能抓取"
    if earlier:
        counts += f"；另有 {earlier} 篇发布于 {params.published_after.isoformat()} 之前，不在检查范围"
    if unseen_pages:
        # Older pages of a long list: the verdict is on the documents the crawl reached.
        counts += f"；栏目另有 {len(unseen_pages)} 个列表页未抓取，其中的文档未判断"
    if assumed:
        counts += "（部分年份按周一至周五计算工作日）"
    passed = share_enough(ok, checked, params.mostly)
    if unchecked_flip(ok, checked, u, params.mostly):
        reason = f"{u} 篇文档未能抓取，足以改变结论"
        return Outcome(Status.UNKNOWN, f"无法判断：{counts}；{reason}", evidence, reason=reason)
    return Outcome(Status.PASS if passed else Status.FAIL, counts, evidence)


def _judged_evidence(j: _Judged, n_days: int, event_name: str) -> Evidence:
    verdict = f"超过 {n_days} 个工作日" if j.late else f"在 {n_days} 个工作日内"
    found = (f"{event_name} {j.event.day.isoformat()} → 发布 {j.published.isoformat()}：用时 {j.used} 个工作日，"
             f"{verdict}（期限至 {j.due.isoformat()}）")
    where = f"{j.event.source}；发布日期取自{j.published_from}"
    if j.event.count > 1:
        where += f"；本页有 {j.event.count} 个不同的{event_name}，取最早的"
    return page_evidence(j.page, found=found, context=clip(j.event.text), looked_for=f"{n_days} 个工作日内公开",
                         where=where, note=clip(j.title, 80))



