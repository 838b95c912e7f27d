"""items_match: the column lists, for each required content, an item whose title names it.

For a task like 公开“涉企优惠政策目录清单、涉企补贴资金、监管标准和规则、违规收费典型案例”
the column must hold one item per content. Each entry of `required` is a keyword, with
`|` between alternatives (`违规收费|乱收费`); it is met by the first list item whose title
contains one of them. Titles are read from every list page of the column the crawl saw
(the column page and its pagination pages: TRS `index_1.html` …). A list title cut short
with “…” is completed from its document's metadata 标题 when the document was fetched.

Pass evidence names the matching item for each requirement. A failure lists the missing
requirements and the titles that were seen. Unknown when the located page holds no list
(a hub of sub-columns, a single article), when items were loaded by script, or when a
requirement is missing and pagination pages of the column were not fetched.

Example::

    - id: myjj-four-contents
      kind: items_match
      title: 促进民营经济发展栏目公开4项内容
      target: {names: [促进民营经济发展]}
      required: [涉企优惠政策, 涉企补贴|补贴资金, 监管标准|监管规则, 违规收费]
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator

from checker.engine import patterns
from checker.results import Evidence, Status
from checker.site.records import ListItem, PageRecord
from checker.site.snapshot import Snapshot

from ._common import clip, label, locate, page_evidence, per_snapshot, script_list_problem, url_directory
from .base import CheckBase, CheckContext, Outcome, Target

MAX_PAGES = 50  # pagination pages followed per column
MAX_TITLES_SHOWN = 40
_TRS_PAGE = re.compile(r"^index_\d{1,4}\.(?:s?html?|jsp|php|aspx?)$", re.I)
_PAGER_TEXT = re.compile(r"^(?:下一?页|尾页|末页|后页|\d{1,4}|>|>>|»|›)$")  # not 首页: that is also the site's home
_TRUNCATED = ("…", "...", "..")


class Params(CheckBase):
    kind: Literal["items_match"]
    target: Target
    required: list[str] = Field(
        min_length=1, description="Contents the item titles must name, one item each; 甲|乙 accepts either"
    )

    @model_validator(mode="after")
    def _wellformed(self) -> Params:
        for keyword in self.required:
            problem = patterns.keyword_problem(keyword)
            if problem:
                raise ValueError(problem)
        return self


@dataclass
class _Entry:
    item: ListItem
    title: str  # the full title: the list's, or the document's when the list cut it short
    page: PageRecord  # the list page showing it


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx, need_document=False)
    if isinstance(located, Outcome):
        return located
    column = located.page
    name = label(params.target)
    if column.kind != "list" and not column.list_items:
        reason = f"定位到的页面不是列表页（{clip(column.title, 60) or column.url}），无法读取条目标题"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [page_evidence(column, note=reason)], reason=reason)

    pages, unseen = column_pages(ctx.snapshot, column)
    entries = [_Entry(it, _full_title(ctx.snapshot, it), p) for p in pages for it in p.list_items]
    if not entries:
        problem = script_list_problem(column)
        if problem:
            return Outcome(Status.UNKNOWN, f"无法判断：{problem}", [page_evidence(column, note=problem)],
                           reason=problem)
        found = "暂无信息" if column.empty_list else "列表为空"
        ev = page_evidence(column, found=found, looked_for=_labels(params.required), note=located.how)
        return Outcome(Status.FAIL, f"{name}为空白栏目（{found}），未找到{_labels(params.required)}", [ev])

    matched: list[Evidence] = []
    missing: list[str] = []
    for req in params.required:
        hit = _first_match(req, entries)
        if hit is None:
            missing.append(req)
            continue
        entry, alt = hit
        matched.append(page_evidence(
            entry.page, found=entry.title, context=f"{entry.item.date_raw} {entry.title}".strip(),
            looked_for=patterns.keyword_label(req), where=f"{name}的列表",
            note=f"匹配「{alt}」：{entry.item.url}",
        ))

    n, seen = len(params.required), f"{len(pages)} 个列表页的 {len(entries)} 条信息"
    if not missing:
        return Outcome(Status.PASS, f"{name}{seen}中找到全部 {n} 项要求的内容", matched)

    titles = "；".join(dict.fromkeys(e.title for e in entries[:MAX_TITLES_SHOWN]))
    miss = page_evidence(
        column, found="未找到", looked_for=_labels(missing), where=f"{name}{seen}的标题",
        context=f"已见标题：{titles}", note=located.how,
    )
    summary = f"{name}{seen}中未找到{_labels(missing)}（{n - len(missing)}/{n} 项找到）"
    if unseen:
        reason = (f"栏目另有 {len(unseen)} 个列表页未抓取（{unseen[0]}{' 等' if len(unseen) > 1 else ''}），"
                  f"未找到的{_labels(missing)}可能在其中")
        return Outcome(Status.UNKNOWN, f"无法判断：{summary}；{reason}", [miss, *matched], reason=reason)
    return Outcome(Status.FAIL, summary, [miss, *matched])


def column_pages(snapshot: Snapshot, column: PageRecord) -> tuple[list[PageRecord], list[str]]:
    """(list pages of the column the crawl fetched, pagination URLs it did not), column page first.

    Pagination pages are TRS `index_N.html` files beside the column page, and pages the
    column links to with pager text (下一页, 尾页, 2, 3 …) in the same directory.
    """
    base_dir = _directory(column.url)
    found: dict[str, PageRecord] = {}
    unseen: set[str] = set()
    known = {column.url, column.final_url}

    def take(url: str, page: PageRecord | None) -> None:
        known.add(url)
        if page is None or page.status >= 400:
            unseen.add(url)
        elif page.kind == "list":
            found[page.url] = page

    # Pages the crawl reached some other way than a pager link (a sitemap, a deep link).
    for page in per_snapshot(snapshot, "pages_by_directory", _pages_by_directory).get(base_dir, ()):
        if page.url not in known and _is_trs_page(page.url, base_dir):
            take(page.url, page)
    queue = [column, *found.values()]
    while queue and len(found) < MAX_PAGES:
        page = queue.pop(0)
        for lk in page.links:
            if lk.url in known or not lk.internal:
                continue
            pager = bool(_PAGER_TEXT.match(lk.text.strip())) and _directory(lk.url) == base_dir
            if pager or _is_trs_page(lk.url, base_dir):
                got = snapshot.get(lk.url)
                new = got is not None and got.url not in found and got.url != column.url
                take(lk.url, got)
                if new and got.url in found:
                    queue.append(got)
    rest = sorted(found.values(), key=lambda p: (len(p.url), p.url))
    return [column, *rest], sorted(unseen)


_directory = url_directory


def _pages_by_directory(snapshot: Snapshot) -> dict[str, list[PageRecord]]:
    """Every page by its URL's directory, in the snapshot's order."""
    by_dir: dict[str, list[PageRecord]] = {}
    for page in snapshot.pages():
        by_dir.setdefault(url_directory(page.url), []).append(page)
    return by_dir


def _is_trs_page(url: str, base_dir: str) -> bool:
    return _directory(url) == base_dir and bool(_TRS_PAGE.match(posixpath.basename(urlsplit(url).path)))


def _full_title(snapshot: Snapshot, item: ListItem) -> str:
    title = item.title.strip()
    if not title.endswith(_TRUNCATED):
        return title
    doc = snapshot.get(item.url)
    full = (doc.meta.get("标题") or "").strip() if doc is not None and doc.status < 400 else ""
    return full or title


def _first_match(req: str, entries: list[_Entry]) -> tuple[_Entry, str] | None:
    for entry in entries:
        match = patterns.keyword_any(req, entry.title)
        if match:
            return entry, match.pattern
    return None


def _labels(keywords: list[str]) -> str:
    return "、".join(patterns.keyword_label(k) for k in keywords)
