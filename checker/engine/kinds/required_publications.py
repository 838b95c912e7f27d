"""required_publications: named things that must be published, found by their titles.

Driven by data, not code: each entry of `publications` names a thing (本年度预算, 上年度决算,
年度抽查计划, 十四五规划, 收费目录清单, an area's 基层政务公开标准目录 …) by keywords its title
must contain (`title`: all of them, each with | alternatives; `{year}` is the scan year,
`{year-1}` the year before), optionally within a column (`target`), optionally due by a
date (`by`: MM-DD of the scan year, judged only once that date has passed) or fresh
(`within_days`). Titles are searched in list items and document titles the crawl saw.
Each publication is reported with the item that satisfies it or what was searched. Fails
when any required publication is missing; unknown when the crawl was partial and some
are missing.

Details:

- Templates: `{year}` is the scan year (from the snapshot's `as_of`, never the clock),
  `{year-1}` / `{year+1}` (any offset) the years around it.
- Keywords are literal, compared after folding full-width characters and ignoring spaces
  and case; `|` separates alternatives (`预算|预决算`), and the evidence says which one the
  title used.
- Where: with `target`, the titles of the list items of that column (the column page,
  its pagination pages, and list pages below it: sub-columns under its URL directory or
  its breadcrumb), plus the metadata 标题 of the listed documents the crawl fetched (list
  titles are often cut short). Without `target`, every list item on every page and the
  title and metadata 标题 of every page that is not itself a list or the homepage (a
  column named 年度抽查计划 is not the plan).
- `by`: before that day of the scan year the publication is 「未到期」: reported, never
  failed (found early, it counts as found). From the day after, it must be there, and
  one of its dated matches must be dated on or before the day (otherwise 逾期公开, a fail).
- `within_days`: the newest matching item is at most this many days older than the scan
  date; an item without a date counts as not updated.
- A publication is unknown, not missing, when its column could not be located for a
  reason that is unknown (a matching link blocked or timed out), when pagination pages
  of its column were not fetched or its items load by script, or when the crawl did not
  see the whole site. A column missing with `if_missing: not_applicable` makes that
  publication not applicable.

The check fails when any publication is missing, late or stale; else it is unknown when
any is unknown; else it passes when any was found; when nothing is due yet (or nothing
applies) it is not applicable.

Example::

    - id: czyjs-current-budget
      kind: required_publications
      title: 公开本年度预算和上年度决算
      publications:
        - {name: 本年度预算, title: ["{year}年", "预算"], target: {names: [财政预决算]}}
        - {name: 上年度决算, title: ["{year-1}年", "决算"], target: {names: [财政预决算]}}
"""

from __future__ import annotations

import re
import weakref
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.engine import patterns
from checker.engine.locate import incomplete_crawl, normalize
from checker.engine.textindex import TextIndex
from checker.results import Evidence, Status
from checker.site.records import PageRecord
from checker.site.snapshot import Snapshot

from ._common import clip, label, locate, page_evidence, per_snapshot, script_list_problem, url_directory
from .base import CheckBase, CheckContext, Outcome, Target
from .items_match import column_pages

MAX_NEAR = 3  # near misses shown for a missing publication
_YEAR = re.compile(r"\{\s*year\s*(?:([+-])\s*(\d{1,3}))?\s*\}")


class Publication(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="What must be published, for the scorecard")
    title: list[str] = Field(min_length=1, description="Keywords the title must all contain (| alternatives; {year}, {year-1})")
    target: Target | None = Field(None, description="Look only in this column (default: every title the crawl saw)")
    by: str | None = Field(None, pattern=r"^\d{2}-\d{2}$", description="MM-DD: due by this date of the scan year")
    within_days: int | None = Field(None, ge=1, description="The newest matching item is at most this old")


class Params(CheckBase):
    kind: Literal["required_publications"]
    publications: list[Publication] = Field(min_length=1)


# -- titles -----------------------------------------------------------------------------------
def _norm(text: str) -> str:
    """How titles and keywords compare: folded, no whitespace, lower case."""
    return "".join(patterns.fold(text).split()).lower()


@dataclass(frozen=True)
class Titled:
    """A title the crawl saw: a list item, or a page's own title or metadata 标题."""

    title: str
    norm: str
    url: str  # what the title names (the item's document, or the page)
    day: date | None
    seen_on: PageRecord  # the page showing it
    how: str  # Chinese: 列表条目 / 页面标题 / 元数据标题


def expand(keyword: str, year: int) -> str:
    """`{year}`, `{year-1}`, `{year+1}` … replaced by the years counted from `year`."""

    def repl(m: re.Match[str]) -> str:
        offset = int(m.group(2) or 0)
        return str(year - offset if m.group(1) == "-" else year + offset)

    return _YEAR.sub(repl, keyword)


def due_date(by: str, year: int) -> date:
    """MM-DD of `year`; a day the month does not have becomes its last (02-29 in 2026 → 02-28)."""
    month, day = int(by[:2]), int(by[3:])
    month = min(max(month, 1), 12)
    return date(year, month, min(max(day, 1), monthrange(year, month)[1]))


def _item_titles(snapshot: Snapshot, pages: list[PageRecord]) -> list[Titled]:
    out: list[Titled] = []
    seen: set[tuple[str, str]] = set()

    def add(title: str, url: str, day: date | None, page: PageRecord, how: str) -> None:
        norm = _norm(title)
        if norm and (url, norm) not in seen:
            seen.add((url, norm))
            out.append(Titled(title.strip(), norm, url, day, page, how))

    for page in pages:
        for it in page.list_items:
            add(it.title, it.url, it.date, page, "列表条目")
            doc = snapshot.get(it.url)
            if doc is not None and doc.status < 400 and doc.meta.get("标题"):
                add(doc.meta["标题"], it.url, doc.published or it.date, doc, "元数据标题")
    return out


def _page_titles(page: PageRecord) -> list[Titled]:
    out = [Titled(page.title.strip(), _norm(page.title), page.url, page.published, page, "页面标题")]
    if page.meta.get("标题"):
        out.append(Titled(page.meta["标题"].strip(), _norm(page.meta["标题"]), page.url, page.published, page,
                          "元数据标题"))
    return [t for t in out if t.norm]


_SITE_CACHE: weakref.WeakKeyDictionary[Snapshot, list[Titled]] = weakref.WeakKeyDictionary()


def site_titles(snapshot: Snapshot) -> list[Titled]:
    """Every list item and every non-list page title of the snapshot (built once per snapshot)."""
    if snapshot not in _SITE_CACHE:
        pages = sorted((p for p in snapshot.pages() if p.status < 400), key=lambda p: (len(p.url), p.url))
        titles = _item_titles(snapshot, pages)
        home = snapshot.start_url
        for page in pages:
            if page.kind not in ("list", "home") and page.url != home:
                titles.extend(_page_titles(page))
        _SITE_CACHE[snapshot] = titles
    return _SITE_CACHE[snapshot]


_directory = url_directory


def _list_pages(snapshot: Snapshot) -> list[tuple[PageRecord, str, tuple[str, ...]]]:
    """(page, its directory, its normalised breadcrumb) of every fetched list page: asked per column."""
    return [(page, _directory(page.url), tuple(normalize(c) for c in page.breadcrumb if normalize(c)))
            for page in snapshot.pages() if page.kind == "list" and page.status < 400]


def _below(snapshot: Snapshot, column: PageRecord) -> list[PageRecord]:
    """List pages of sub-columns: under the column's URL directory, or its breadcrumb."""
    directory = _directory(column.url)
    deep = directory.count("/") >= 2  # host/a/ at least: never the whole site
    crumbs = tuple(normalize(c) for c in column.breadcrumb if normalize(c))
    out = []
    for page, page_dir, page_crumbs in per_snapshot(snapshot, "list_pages_with_crumbs", _list_pages):
        if page.url in (column.url, column.final_url):
            continue
        under = deep and page_dir.startswith(directory)
        child = len(crumbs) >= 2 and len(page_crumbs) > len(crumbs) and page_crumbs[: len(crumbs)] == crumbs
        if under or child:
            out.append(page)
    return sorted(out, key=lambda p: (len(p.url), p.url))


@dataclass
class _Scope:
    """Where a publication is looked for, and why a miss there may not mean absent."""

    titles: list[Titled]
    where: str  # Chinese
    at: PageRecord | None  # page for a miss's evidence (the column, or the homepage)
    unsure: list[str] = field(default_factory=list)  # reasons a miss is unknown
    index: TextIndex | None = None  # of the titles' `norm`s: which titles hold a keyword

    def __post_init__(self) -> None:
        if self.index is None:
            self.index = TextIndex(t.norm for t in self.titles)


# -- judging ------------------------------------------------------------------------------------
@dataclass
class _Verdict:
    status: Literal["found", "late", "stale", "missing", "not_due", "unknown", "not_applicable"]
    text: str  # Chinese, for the summary
    evidence: list[Evidence]


def run(params: Params, ctx: CheckContext) -> Outcome:
    year = ctx.as_of.year
    verdicts: list[tuple[Publication, _Verdict]] = []
    scopes: dict[str, _Scope | Outcome] = {}
    for pub in params.publications:
        key = pub.target.model_dump_json() if pub.target else ""
        if key not in scopes:
            scopes[key] = _scope(pub.target, ctx)
        verdicts.append((pub, _judge(pub, scopes[key], ctx, year)))

    evidence = [ev for _, v in verdicts for ev in v.evidence]
    groups: dict[str, list[str]] = {}
    for _, v in verdicts:
        groups.setdefault(v.status, []).append(v.text)
    total = len(verdicts)
    parts = [f"{total} 项应公开内容"]
    labels = {
        "found": "已找到", "missing": "未找到", "late": "逾期公开", "stale": "未及时更新", "unknown": "无法判断",
        "not_due": "未到期", "not_applicable": "不适用",
    }
    for status in ("found", "missing", "late", "stale", "unknown", "not_due", "not_applicable"):
        if status in groups:
            parts.append(f"{labels[status]} {len(groups[status])} 项（{'、'.join(groups[status])}）")
    summary = "；".join(parts)
    failed = any(s in groups for s in ("missing", "late", "stale"))
    if failed:
        return Outcome(Status.FAIL, summary, evidence)
    if "unknown" in groups:
        reasons = [r for _, v in verdicts if v.status == "unknown" for r in [v.evidence[0].note or ""] if r]
        reason = "；".join(dict.fromkeys(reasons)) or "部分内容无法判断"
        return Outcome(Status.UNKNOWN, f"无法判断：{summary}", evidence, reason=clip(reason, 300))
    if "found" in groups:
        return Outcome(Status.PASS, summary, evidence)
    reason = "应公开的内容均未到期或不适用"
    return Outcome(Status.NOT_APPLICABLE, f"{summary}：{reason}", evidence, reason=reason)


def _scope(target: Target | None, ctx: CheckContext) -> _Scope | Outcome:
    snap = ctx.snapshot
    incomplete = incomplete_crawl(snap.meta)
    if target is None:
        titles = site_titles(snap)
        where = f"全站 {len(snap)} 个页面的列表条目和页面标题（{len(titles)} 个标题）"
        index = per_snapshot(snap, "site_titles_index", lambda sn: TextIndex(t.norm for t in site_titles(sn)))
        return _Scope(titles, where, snap.homepage(), [incomplete] if incomplete else [], index)
    located = locate(target, ctx, need_document=False)
    if isinstance(located, Outcome):
        return located
    column = located.page
    name = label(target)
    unsure = [incomplete] if incomplete else []
    if column.kind == "list" or column.list_items:
        pages, unseen = column_pages(snap, column)
        if unseen:
            unsure.append(f"栏目另有 {len(unseen)} 个列表页未抓取（{unseen[0]}{' 等' if len(unseen) > 1 else ''}）")
        problem = script_list_problem(column)
        if problem:
            unsure.append(problem)
    else:
        pages = [column]
    subs = [p for p in _below(snap, column) if p.url not in {q.url for q in pages}]
    titles = _item_titles(snap, pages + subs)
    if column.kind != "list":
        titles = _page_titles(column) + titles  # a column published as one article, or a hub page
    where = f"{name}（{column.url}）" + (f"{len(pages)} 个列表页" if column.kind == "list" else "页面")
    if subs:
        where += f"及其下 {len(subs)} 个子栏目页"
    where += f"的 {len(titles)} 个标题"
    return _Scope(titles, where, column, unsure)


def _keywords_in(norm: str, alts: list[list[tuple[str, str]]]) -> list[str | None]:
    """Per keyword, its first alternative found in `norm` (None when none is). Runs for every
    title of a column per publication: plain loops, no generator per keyword."""
    used: list[str | None] = []
    for options in alts:
        hit = None
        for a, n in options:
            if n and n in norm:
                hit = a
                break
        used.append(hit)
    return used


def _judge(pub: Publication, scope: _Scope | Outcome, ctx: CheckContext, year: int) -> _Verdict:
    keywords = [expand(k, year) for k in pub.title]
    wanted = "、".join(patterns.keyword_label(k) for k in keywords)
    looked_for = f"{pub.name}：标题含{wanted}"
    name = f"「{pub.name}」"
    due = due_date(pub.by, year) if pub.by else None
    if isinstance(scope, Outcome):  # the column itself is missing, unknown or not applicable
        ev = [e.model_copy(update={"looked_for": f"{looked_for}（{e.looked_for or ''}）"}) for e in scope.evidence]
        if ev and scope.reason:
            ev[0] = ev[0].model_copy(update={"note": clip(scope.reason)})
        if scope.status == Status.NOT_APPLICABLE:
            return _Verdict("not_applicable", name, ev)
        if scope.status == Status.UNKNOWN:
            return _Verdict("unknown", name, ev)
        if due and ctx.as_of <= due:
            return _Verdict("not_due", f"{name}期限 {due.isoformat()}", ev)
        return _Verdict("missing", name, ev)

    # An alternative found in no title at all cannot decide one: drop it, and skip the titles
    # when no keyword has an alternative left. A title holding no alternative at all is
    # neither a hit nor a near miss: only the titles holding one are looked at.
    index = scope.index
    alts = [[(a, n) for a in patterns.alternatives(k) if (n := _norm(a)) and index.containing(n)] for k in keywords]
    hits: list[tuple[Titled, list[str]]] = []
    near: list[Titled] = []
    holding = index.containing_any(n for options in alts for _, n in options) if any(alts) else []
    for i in holding:
        t = scope.titles[i]
        used = _keywords_in(t.norm, alts)
        if all(used):
            hits.append((t, used))
        elif any(used) and len(near) < 200:
            near.append(t)  # some keywords but not all: last year's title, a near miss to show

    if not hits:
        return _missing(pub, scope, looked_for, name, due, near, ctx)
    _, newest, used = max(((t.day or date.min, -i), t, u) for i, (t, u) in enumerate(hits))
    found_ev = _found_evidence(newest, used, looked_for, scope.where, ctx)
    if due and ctx.as_of > due:
        dated = [t for t, _ in hits if t.day]
        if dated and all(t.day > due for t in dated) and len(dated) == len(hits):
            first = min(dated, key=lambda t: t.day)
            ev = _found_evidence(first, used, looked_for, scope.where, ctx)
            ev = ev.model_copy(update={"note": f"发布于 {first.day.isoformat()}，晚于期限 {due.isoformat()}"})
            return _Verdict("late", f"{name}{first.day.isoformat()} 发布，期限 {due.isoformat()}", [ev])
    if pub.within_days:
        if newest.day is None:
            ev = found_ev.model_copy(update={"note": "无可识别的发布日期，按未更新计"})
            return _Verdict("stale", f"{name}无发布日期", [ev])
        age = (ctx.as_of - newest.day).days
        if age > pub.within_days:
            ev = found_ev.model_copy(update={"note": f"最新一条发布于 {newest.day.isoformat()}，"
                                                      f"距扫描日 {age} 天（要求 ≤ {pub.within_days} 天）"})
            return _Verdict("stale", f"{name}最新 {newest.day.isoformat()}", [ev])
    return _Verdict("found", name, [found_ev])


def _missing(pub: Publication, scope: _Scope, looked_for: str, name: str, due: date | None,
             near: list[Titled], ctx: CheckContext) -> _Verdict:
    shown = sorted(near, key=lambda t: t.day or date.min, reverse=True)[:MAX_NEAR]
    context = "相近标题：" + "；".join(f"{t.day.isoformat() + ' ' if t.day else ''}{t.title}" for t in shown) if shown else None
    at = scope.at
    base = dict(found="未找到", looked_for=looked_for, where=scope.where, context=clip(context))
    if due and ctx.as_of <= due:
        note = f"未到期：期限 {due.isoformat()}，扫描日 {ctx.as_of.isoformat()}"
        ev = page_evidence(at, **base, note=note) if at else Evidence(**base, note=note)
        return _Verdict("not_due", f"{name}期限 {due.isoformat()}", [ev])
    if scope.unsure:
        note = "；".join(scope.unsure) + "，未找到不代表没有"
        ev = page_evidence(at, **base, note=note) if at else Evidence(**base, note=clip(note))
        return _Verdict("unknown", name, [ev])
    ev = page_evidence(at, **base) if at else Evidence(url=ctx.snapshot.start_url or None, **base)
    return _Verdict("missing", name, [ev])


def _found_evidence(t: Titled, used: list[str], looked_for: str, where: str, ctx: CheckContext) -> Evidence:
    doc = ctx.snapshot.get(t.url) if t.how == "列表条目" else t.seen_on
    context = f"{t.day.isoformat()} {t.title}" if t.day else t.title
    how = f"{t.how}，匹配{'、'.join(f'「{a}」' for a in used)}"
    if doc is not None and doc.status < 400:
        note = how if doc.url == t.seen_on.url else f"{how}；列于 {t.seen_on.url}"
        return page_evidence(doc, found=t.title, context=context, looked_for=looked_for, where=where, note=note)
    return page_evidence(t.seen_on, found=t.title, context=context, looked_for=looked_for, where=where,
                         note=f"{how}；条目链接 {t.url}（未抓取）")
