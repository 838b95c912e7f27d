"""documents_match: every document of a column satisfies named patterns, with tolerance.

Takes every document (detail page) listed in the located column that the crawl
fetched, and checks each against `patterns` (every one must match) and `keywords` (any
one entry is enough; an entry written `图解|一图读懂` is satisfied by either alternative,
and the evidence says which one the document used). `tail_chars` restricts the search
to the end of the body (a 解读主体 statement belongs at the end of a 规范性文件).
`in_meta` also accepts a match in the metadata table (文号 is often only there);
`in_title` also accepts the document's title (the list item's title, the page title and
the metadata 标题: 一图读懂 and 图解 are usually only in the title of a picture-led 解读).

`published_after` limits the judgement to documents dated on or after that day (the
page's publication date, else the date the list shows for it): a requirement that took
effect on a date is not applied to documents issued before. Documents without a date
are judged, and the evidence says how many there were.

Passes when the share of documents that match is at least `mostly`. Documents listed
but not fetched (or fetched with an empty body, or lacking what is looked for while an
attachment they link could not be read) are reported and make the check unknown
when they could decide it: the verdict stands only if it would stand whatever those
documents say. Fewer than `min_documents` checked is unknown.

A document's text is its body plus the extracted text of the attachments its content
links to (`tail_chars` applies to each: the end of the body, the end of each attached
PDF/DOC); an item linking straight to an attachment is read from the attachment's text.

Example::

    - id: gfxwj-validity
      kind: documents_match
      title: 规范性文件标注有效期
      target: {names: [行政规范性文件, 规范性文件]}
      patterns: [validity_period]
      tail_chars: 600
      published_after: 2024-01-01
      mostly: 1.0

    - id: zcjd-multiform
      kind: documents_match
      title: 多形式解读不少于30%
      target: {names: [政策解读]}
      keywords: [图解|一图读懂, H5, 视频]
      in_title: true
      mostly: 0.3
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import Field

from checker.engine import patterns
from checker.engine.locate import normalize, split_title
from checker.engine.patterns import Match
from checker.results import Evidence, Status
from checker.site.records import ListItem, PageRecord

from ._common import (
    attachments_of,
    clip,
    document_sources,
    first_per_url,
    label,
    listed_documents,
    locate,
    match_evidence,
    page_evidence,
    pattern_label,
    share_enough,
    unchecked_flip,
    unread_attachments,
)
from .base import CheckContext, Outcome, Target, TextSearch

MAX_FAILING = 10
MAX_PASSING = 2
MAX_UNVERIFIED = 10
UNDATED_NOTE = "无可识别的发布日期，按范围内检查"


class Params(TextSearch):
    kind: Literal["documents_match"]
    target: Target
    keywords: list[str] = Field(
        [], description="Literal strings; any one of them satisfies the keyword part (图解|一图读懂: either alternative)"
    )
    tail_chars: int | None = Field(None, ge=1, description="Search only the last N characters of the body")
    in_meta: bool = Field(False, description="A match in the metadata table (文号, 有效性 …) also counts")
    in_title: bool = Field(False, description="A match in the document's title (list item, page title, 标题) also counts")
    published_after: date | None = Field(
        None, description="Judge only documents dated on or after this day; undated documents are judged"
    )
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of documents that must match")
    min_documents: int = Field(1, ge=1, description="Fewer fetched documents than this: unknown")


@dataclass
class _Doc:
    page: PageRecord
    title: str
    matches: list[tuple[str, Match]]  # (label, match) of what was found
    missing: list[str]  # labels of what was not
    undated: bool = False
    read_text: bool = True  # some body or attachment text was there to search
    found_in: PageRecord | None = None  # the attachment the shown match is in, when not the page


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx)
    if isinstance(located, Outcome):
        return located
    column = located.page
    name = label(params.target)
    if column.kind == "list" or column.list_items:
        listed = first_per_url(column.list_items)
    else:
        listed = [ListItem(column.title, column.url, column.published)]  # the target is itself one document

    good: list[_Doc] = []
    bad: list[_Doc] = []
    unverified: list[Evidence] = []
    earlier: list[ListItem] = []  # dated before published_after: not judged
    undated = 0
    for d in listed_documents(ctx.snapshot, listed):
        it, page, day = d.item, d.page, d.day
        if d.before(params.published_after):
            earlier.append(it)
            continue
        if page is None:
            unverified.append(d.unfetched(ctx.snapshot))
            continue
        if d.is_subcolumn:
            continue
        doc = _check(page, it.title, params, column, ctx)
        doc.undated = day is None
        if doc.missing and not doc.read_text:
            problem = page.problem or next((a.problem for a in _attached(page, ctx) if a.problem), "")
            why = "正文为空，未能提取" + (f"（{clip(problem, 80)}）" if problem else "")
            unverified.append(page_evidence(page, found=why, note=clip(it.title, 80)))
            continue
        unread = unread_attachments(page, ctx.snapshot)
        if doc.missing and unread:  # what is missing may be in the attachment we could not read
            why = f"附件未能提取文字（{clip(unread[0].problem, 80) or unread[0].url}），缺少的内容可能在附件中"
            unverified.append(page_evidence(unread[0], found=why, note=clip(it.title, 80)))
            continue
        undated += doc.undated
        (bad if doc.missing else good).append(doc)

    checked, ok, u = len(good) + len(bad), len(good), len(unverified)
    where = f"正文末尾 {params.tail_chars} 字" if params.tail_chars else "正文"
    if params.in_meta:
        where += "及元数据表"
    if params.in_title:
        where += "及标题"
    evidence = [page_evidence(column, found=f"列出 {len(listed)} 篇文档", note=located.how)]
    if params.published_after:
        start = params.published_after.isoformat()
        scope = f"只检查 {start} 及以后发布的文档：{len(earlier)} 篇发布于此前，不在范围内"
        if undated:
            scope += f"；{undated} 篇无可识别的发布日期，按范围内检查"
        evidence.append(page_evidence(column, looked_for=f"{start} 及以后发布的文档", found=scope))
    evidence += [
        page_evidence(d.page, found=f"缺少：{'、'.join(d.missing)}", looked_for="、".join(d.missing), where=where,
                      note=_note(d, params))
        for d in bad[:MAX_FAILING]
    ]
    for d in good[:MAX_PASSING]:
        shown, match = d.matches[0]
        ev = match_evidence(d.page, match, shown).model_copy(update={"note": _note(d, params)})
        if d.found_in is not None:  # the match is in an attachment: point at the file, say who links it
            ev = match_evidence(d.found_in, match, shown).model_copy(update={
                "note": clip(f"{_note(d, params) or ''}（附件，由 {d.page.url} 链接）"),
                "where": f"附件「{clip(d.found_in.title, 60)}」的文字"})
        evidence.append(ev)
    evidence += unverified[:MAX_UNVERIFIED]

    wanted = _wanted(params)
    since = f" {params.published_after.isoformat()} 及以后发布的" if params.published_after else ""
    if checked < params.min_documents:
        reason = f"{name}可检查的{since}文档只有 {checked} 篇（至少需要 {params.min_documents} 篇）"
        if u:
            reason += f"，另有 {u} 篇未能抓取或提取"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", evidence, reason=reason)

    counts = f"{name}已检查{since} {checked} 篇文档，{ok}/{checked} 篇符合「{wanted}」（要求 ≥ {params.mostly:.0%}）"
    if u:
        counts += f"，{u} 篇未能检查"
    if earlier:
        counts += f"；另有 {len(earlier)} 篇发布于 {params.published_after.isoformat()} 之前，不在检查范围"
    passed = share_enough(ok, checked, params.mostly)
    if unchecked_flip(ok, checked, u, params.mostly):
        reason = f"{u} 篇文档未能检查，足以改变结论"
        return Outcome(Status.UNKNOWN, f"无法判断：{counts}；{reason}", evidence, reason=reason)
    return Outcome(Status.PASS if passed else Status.FAIL, counts, evidence)



def _note(doc: _Doc, params: Params) -> str | None:
    title = clip(doc.title, 80)
    if params.published_after and doc.undated:
        return f"{title}（{UNDATED_NOTE}）" if title else UNDATED_NOTE
    return title



def _keywords_label(params: Params) -> str:
    return "或".join(patterns.keyword_label(k) for k in params.keywords)


def _wanted(params: Params) -> str:
    parts = [pattern_label(p) for p in params.patterns]
    if params.keywords:
        parts.append(_keywords_label(params))
    return "、".join(parts)


def _own_title(page: PageRecord, column: PageRecord) -> str:
    """The page title without the column and site names the CMS appends (…_政策解读_某县人民政府).

    Otherwise a column named 图解政策 would make every document in it match 图解. What is cut
    is what the column page's title and the document's breadcrumb also say.
    """
    if column.url == page.url:
        return page.title.strip()
    shared = {normalize(p) for p in split_title(column.title)} | {normalize(c) for c in page.breadcrumb}
    return " ".join(p for p in split_title(page.title) if normalize(p) not in shared)


def _attached(page: PageRecord, ctx: CheckContext) -> list[PageRecord]:
    return attachments_of(page, ctx.snapshot)


def _check(page: PageRecord, title: str, params: Params, column: PageRecord, ctx: CheckContext) -> _Doc:
    texts = document_sources(page, ctx.snapshot)
    # (page the text comes from, text): body and attachment texts, then metadata and titles.
    sources = [(src, text[-params.tail_chars:] if params.tail_chars else text) for src, text in texts]
    if params.in_meta:
        sources.append((page, "\n".join(f"{k}：{v}" for k, v in sorted(page.meta.items()))))
    if params.in_title:
        titles = (title, page.meta.get("标题", ""), _own_title(page, column))
        sources.append((page, "\n".join(dict.fromkeys(t.strip() for t in titles if t and t.strip()))))
    sources = [(src, text) for src, text in sources if text]
    matches: list[tuple[str, Match]] = []
    missing: list[str] = []
    where: PageRecord | None = None  # the attachment the first match was found in
    for name in params.patterns:
        shown = pattern_label(name)
        hit = next(((src, m) for src, text in sources if (m := patterns.search(name, text))), None)
        if hit:
            matches.append((shown, hit[1]))
            where = where or hit[0]
        else:
            missing.append(shown)
    if params.keywords:
        hit = next(
            ((src, m) for k in params.keywords for src, text in sources if (m := patterns.keyword_any(k, text))),
            None,
        )
        if hit:
            matches.append((f"「{hit[1].pattern}」", hit[1]))
            where = where or hit[0]
        else:
            missing.append(_keywords_label(params))
    doc = _Doc(page, title or page.title, matches, missing, read_text=bool(texts))
    doc.found_in = where if where is not None and where is not page else None
    return doc

