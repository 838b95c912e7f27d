"""stale_columns: count the columns not updated in time for their type (栏目不更新).

Every list page the crawl found is classified by its name (breadcrumb's last segment or
title) into the first `types` entry whose `match` keywords it contains; its newest item
date is compared with the scan date; a column with no dated item counts as not updated.
Fails when more than `max` columns are stale (检查指标: ≥ 5 stale columns is a veto, so
the national profile sets `max: 4`). Columns of no listed type are not judged.

A column's name is its breadcrumb's last segment, else its title without the site name the
CMS appends (通知公告_某县人民政府 → 通知公告). Pages of one column (TRS `index_1.html`,
`?pageNum=2` in the same directory under the same name) count once, with the newest date
over all of them. Not columns, so not judged: the homepage, a hub whose items are mostly
links to other list pages (信息公开目录 of sub-columns), the 网站地图. A column with no
items at all is a 空白栏目: `blank_columns` counts it, so one column is not counted twice
against the veto. Dates more than a day after the scan date are not taken as the newest
(as in `updated_within`). Unknown when the crawl did not see the whole site and the count
so far is within `max`, or when columns it could not read could push it over: list pages
whose items were loaded by script, and links named like a column of a listed type whose
page could not be fetched (blocked, timed out; a 404 is a dead link, not a column).

Example::

    - id: site-stale-columns
      kind: stale_columns
      title: 不更新栏目少于 5 个
      max: 4
      types:
        - {name: 动态要闻, match: [动态, 要闻, 新闻], days: 14}
        - {name: 通知公告、政策文件, match: [通知公告, 政策文件], days: 183}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.engine.locate import incomplete_crawl, normalize, path_segments, split_title
from checker.results import Evidence, Status
from checker.site.records import ListItem, PageRecord
from checker.site.snapshot import Snapshot

from ._common import clip, page_evidence, script_list_problem, url_directory
from .base import CheckBase, CheckContext, Outcome


class ColumnType(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Label of the type for the scorecard (动态要闻, 通知公告 …)")
    match: list[str] = Field(min_length=1, description="A column is of this type when its name contains one of these")
    days: int = Field(ge=1, description="Largest allowed age in days of the column's newest item")


DEFAULT_TYPES = [
    ColumnType(name="动态要闻", match=["动态", "要闻", "新闻"], days=14),
    ColumnType(name="通知公告、政策文件", match=["通知公告", "公示公告", "政策文件"], days=183),
    ColumnType(name="人事、规划、机构、财政、统计、信息公开目录",
               match=["人事", "规划", "机构", "财政", "预决算", "统计", "信息公开目录"], days=365),
]


class Params(CheckBase):
    kind: Literal["stale_columns"]
    types: list[ColumnType] = Field(default_factory=lambda: list(DEFAULT_TYPES))
    max: int = Field(4, ge=0, description="Most stale columns allowed")


MAX_LISTED = 50
MAX_COLUMN_NAME = 12  # a link longer than this names a document, not a column
_SITEMAP_NAMES = ("网站地图", "站点地图")
_SITEMAP_SEGMENTS = ("sitemap", "wzdt")
# Parts of a page title that name the site, not the column: 某县人民政府, 某某门户网站.
_SITE_SUFFIX = re.compile(r"(?:人民政府|政府网|门户网站|网站|政府门户|管委会)$")


@dataclass
class _Column:
    name: str
    ctype: ColumnType
    pages: list[PageRecord] = field(default_factory=list)

    @property
    def page(self) -> PageRecord:
        return self.pages[0]

    def items(self) -> list[ListItem]:
        return [it for p in self.pages for it in p.list_items]


def run(params: Params, ctx: CheckContext) -> Outcome:
    snap = ctx.snapshot
    site_parts = _site_parts(snap)
    columns: dict[tuple[str, str], _Column] = {}
    unsure: list[tuple[PageRecord | Evidence, str]] = []  # columns whose dates could not be read, and why
    blank = 0
    lists = sorted((p for p in snap.pages() if p.kind == "list" and p.status < 400), key=lambda p: (len(p.url), p.url))
    for page in lists:
        if _not_a_column(page, snap):
            continue
        name = column_name(page, site_parts)
        ctype = _type_of(name, params.types)
        if ctype is None:
            continue
        col = columns.setdefault((_directory(page.url), normalize(name)), _Column(name, ctype))
        col.pages.append(page)

    unsure += _unfetched_columns(snap, params.types)

    latest_ok = ctx.as_of + timedelta(days=1)
    stale: list[tuple[_Column, ListItem | None, int | None]] = []
    judged: list[_Column] = []
    for col in columns.values():
        items = col.items()
        if not items:
            problem = script_list_problem(col.page)
            if problem:
                unsure.append((col.page, problem))
            else:
                blank += 1
            continue
        judged.append(col)
        newest = _newest(items, latest_ok)
        if newest is None:
            stale.append((col, None, None))
            continue
        age = (ctx.as_of - newest.date).days
        if age > col.ctype.days:
            stale.append((col, newest, age))

    n = len(stale)
    evidence = [_counts_evidence(params.types, judged, stale, blank)]
    evidence += [_stale_evidence(col, newest, age) for col, newest, age in stale[:MAX_LISTED]]
    evidence += [
        p if isinstance(p, Evidence) else page_evidence(p, found="未提取到条目", note=why) for p, why in unsure[:MAX_LISTED]
    ]
    counted = f"按栏目类型判定 {len(judged)} 个栏目，不更新 {n} 个（允许 ≤ {params.max} 个）"
    if n > params.max:
        return Outcome(Status.FAIL, counted, evidence)
    incomplete = incomplete_crawl(snap.meta)
    if incomplete:
        reason = f"{incomplete}，已发现 {n} 个不更新栏目，未抓取的栏目中可能还有"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    if n + len(unsure) > params.max:
        reason = f"另有 {len(unsure)} 个栏目未能抓取或提取条目，可能使不更新栏目超过 {params.max} 个"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    return Outcome(Status.PASS, counted, evidence)


def column_name(page: PageRecord, site_parts: set[str] | frozenset[str] = frozenset()) -> str:
    """The column's name: the breadcrumb's last segment, else the title without the site's name."""
    if page.breadcrumb and page.breadcrumb[-1].strip():
        return page.breadcrumb[-1].strip()
    parts = split_title(page.title)
    own = [p for p in parts if normalize(p) not in site_parts and not _SITE_SUFFIX.search(p)]
    return (own or parts or [page.title.strip()])[0]


def _site_parts(snap: Snapshot) -> frozenset[str]:
    """The homepage title's parts: the site's name as page titles repeat it."""
    home = snap.homepage()
    return frozenset(normalize(p) for p in split_title(home.title)) if home is not None else frozenset()


def _type_of(name: str, types: list[ColumnType]) -> ColumnType | None:
    norm = normalize(name)
    return next((t for t in types if any(normalize(m) and normalize(m) in norm for m in t.match)), None)


def _not_a_column(page: PageRecord, snap: Snapshot) -> bool:
    if page.kind == "home" or page.url == snap.start_url or page.final_url == snap.start_url:
        return True
    name = normalize(page.breadcrumb[-1] if page.breadcrumb else page.title)
    if any(n in name for n in _SITEMAP_NAMES):
        return True
    if any(seg.split(".")[0] in _SITEMAP_SEGMENTS for seg in path_segments(page.url)):
        return True
    # A hub lists sub-columns, not documents: its dates (if any) are not its own updates.
    targets = [snap.get(it.url) for it in page.list_items]
    to_lists = sum(1 for t in targets if t is not None and t.kind == "list")
    return bool(page.list_items) and to_lists * 2 > len(page.list_items)


def _unfetched_columns(snap: Snapshot, types: list[ColumnType]) -> list[tuple[PageRecord | Evidence, str]]:
    """Links named like a column of a listed type that could not be fetched (blocked, timed out).

    Their freshness is unseen, so they may add to the count. A 404 is a dead link, not a column.
    """
    out: list[tuple[PageRecord | Evidence, str]] = []
    seen: set[str] = set()
    for err in sorted(snap.errors(), key=lambda e: e.url):
        anchor = err.anchor.strip()
        if err.url in seen or not anchor or len(normalize(anchor)) > MAX_COLUMN_NAME:
            continue
        if err.kind == "http" and err.status in (404, 410):
            continue
        if snap.get(err.url) is not None or _type_of(anchor, types) is None:
            continue
        seen.add(err.url)
        ev = Evidence(url=err.url, http_status=err.status, fetched_at=err.at, found="未能抓取",
                      note=clip(f"链接「{anchor}」：{err.kind} {err.message}", 120))
        out.append((ev, f"栏目「{anchor}」未能抓取"))
    return out


_directory = url_directory


def _newest(items: list[ListItem], latest_ok: date) -> ListItem | None:
    dated = [(it.date, -i, it) for i, it in enumerate(items) if it.date and it.date <= latest_ok]
    return max(dated, key=lambda t: (t[0], t[1]))[2] if dated else None


def _counts_evidence(types: list[ColumnType], judged: list[_Column], stale: list, blank: int) -> Evidence:
    stale_ids = {id(col) for col, _, _ in stale}
    parts = []
    for t in types:
        cols = [c for c in judged if c.ctype is t]
        if cols:
            bad = sum(1 for c in cols if id(c) in stale_ids)
            parts.append(f"{t.name}（≤ {t.days} 天）{len(cols)} 个，不更新 {bad} 个")
    found = "；".join(parts) or "没有可按类型判定的栏目"
    note = f"另有 {blank} 个同类空白栏目由空白栏目检查计数" if blank else None
    kinds = "、".join(t.name for t in types)
    return Evidence(looked_for=f"按类型（{kinds}）判定栏目最新信息的日期", where="已抓取的全部栏目页",
                    found=clip(found), note=note)


def _stale_evidence(col: _Column, newest: ListItem | None, age: int | None) -> Evidence:
    limit = f"{col.ctype.name}栏目 {col.ctype.days} 天内应有更新"
    if newest is None:
        future = any(it.date for it in col.items())
        why = "栏目条目的日期均晚于扫描日（疑似日期错误）" if future else "栏目条目均无可识别的发布日期"
        return page_evidence(col.page, found="无日期", looked_for=limit, where=f"栏目「{col.name}」",
                             note=f"{why}，按未更新计")
    ev = page_evidence(col.page, found=f"{newest.date.isoformat()} {newest.title}", context=clip(newest.date_raw) or None,
                       looked_for=limit, where=f"栏目「{col.name}」",
                       note=f"最新信息距扫描日 {age} 天，超过 {col.ctype.days} 天")
    return ev
