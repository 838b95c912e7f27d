"""documents_match: every document of a column satisfies named patterns, with tolerance.

Takes every document (detail page) listed in the located column that the crawl
fetched, and checks each against `patterns`/`keywords` (all must match per document).
`tail_chars` restricts the search to the end of the body (a 解读主体 statement belongs at
the end of a 规范性文件). `in_meta` also accepts a match in the metadata table (文号 is
often only there). Passes when the share of documents that match is at least `mostly`.
Documents listed but not fetched (or fetched with an empty body) are reported and make
the check unknown when they could decide it: the verdict stands only if it would stand
whatever those documents say. Fewer than `min_documents` checked is unknown.

Example::

    - id: gfxwj-validity
      kind: documents_match
      title: 规范性文件标注有效期
      target: {names: [行政规范性文件, 规范性文件]}
      patterns: [validity_period]
      tail_chars: 600
      mostly: 1.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from checker.engine import patterns
from checker.engine.patterns import Match
from checker.results import Evidence, Status
from checker.site.records import PageRecord

from ._common import clip, label, locate, match_evidence, page_evidence, pattern_label
from .base import CheckBase, CheckContext, Outcome, Target

MAX_FAILING = 10
MAX_PASSING = 2
MAX_UNVERIFIED = 10


class Params(CheckBase):
    kind: Literal["documents_match"]
    target: Target
    patterns: list[str] = Field([], description="Names of patterns from the pattern library")
    keywords: list[str] = Field([], description="Literal strings; any one of them satisfies the keyword part")
    tail_chars: int | None = Field(None, ge=1, description="Search only the last N characters of the body")
    in_meta: bool = Field(False, description="A match in the metadata table (文号, 有效性 …) also counts")
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of documents that must match")
    min_documents: int = Field(1, ge=1, description="Fewer fetched documents than this: unknown")

    @model_validator(mode="after")
    def _something_to_find(self) -> Params:
        if not self.patterns and not self.keywords:
            raise ValueError("give at least one of patterns or keywords")
        return self


@dataclass
class _Doc:
    page: PageRecord
    title: str
    matches: list[tuple[str, Match]]  # (label, match) of what was found
    missing: list[str]  # labels of what was not


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx)
    if isinstance(located, Outcome):
        return located
    column = located.page
    name = label(params.target)
    if column.kind == "list" or column.list_items:
        listed = list(dict.fromkeys((it.url, it.title) for it in column.list_items))
    else:
        listed = [(column.url, column.title)]  # the target is itself one document

    good: list[_Doc] = []
    bad: list[_Doc] = []
    unverified: list[Evidence] = []
    seen: set[str] = set()
    for url, title in listed:
        if url in seen:
            continue
        seen.add(url)
        page = ctx.snapshot.get(url)
        if page is None or page.status >= 400:
            unverified.append(_unfetched(ctx, url, title, page))
            continue
        if page.kind in ("list", "home"):
            continue  # a sub-column, not a document
        doc = _check(page, title, params)
        if doc.missing and not page.body.strip():
            why = "正文为空，未能提取" + (f"（{clip(page.problem, 80)}）" if page.problem else "")
            unverified.append(page_evidence(page, found=why, note=clip(title, 80)))
        else:
            (bad if doc.missing else good).append(doc)

    checked, ok, u = len(good) + len(bad), len(good), len(unverified)
    where = f"正文末尾 {params.tail_chars} 字" if params.tail_chars else "正文"
    if params.in_meta:
        where += "及元数据表"
    evidence = [page_evidence(column, found=f"列出 {len(seen)} 篇文档", note=located.how)]
    evidence += [
        page_evidence(d.page, found=f"缺少：{'、'.join(d.missing)}", looked_for="、".join(d.missing), where=where,
                      note=clip(d.title, 80))
        for d in bad[:MAX_FAILING]
    ]
    for d in good[:MAX_PASSING]:
        shown, match = d.matches[0]
        evidence.append(match_evidence(d.page, match, shown).model_copy(update={"note": clip(d.title, 80)}))
    evidence += unverified[:MAX_UNVERIFIED]

    wanted = _wanted(params)
    if checked < params.min_documents:
        reason = f"{name}可检查的文档只有 {checked} 篇（至少需要 {params.min_documents} 篇）"
        if u:
            reason += f"，另有 {u} 篇未能抓取或提取"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", evidence, reason=reason)

    counts = f"{name}已检查 {checked} 篇文档，{ok}/{checked} 篇符合「{wanted}」（要求 ≥ {params.mostly:.0%}）"
    if u:
        counts += f"，{u} 篇未能检查"
    passed = _enough(ok, checked, params.mostly)
    # Would the unchecked documents, all going the other way, change the verdict?
    flips = u and (
        not _enough(ok, checked + u, params.mostly) if passed else _enough(ok + u, checked + u, params.mostly)
    )
    if flips:
        reason = f"{u} 篇文档未能检查，足以改变结论"
        return Outcome(Status.UNKNOWN, f"无法判断：{counts}；{reason}", evidence, reason=reason)
    return Outcome(Status.PASS if passed else Status.FAIL, counts, evidence)


def _enough(ok: int, total: int, mostly: float) -> bool:
    # Integer-safe share comparison: 9 of 10 meets mostly 0.9 whatever the float rounding.
    return total > 0 and ok >= mostly * total - 1e-9


def _wanted(params: Params) -> str:
    parts = [pattern_label(p) for p in params.patterns]
    if params.keywords:
        parts.append("或".join(f"「{k}」" for k in params.keywords))
    return "、".join(parts)


def _check(page: PageRecord, title: str, params: Params) -> _Doc:
    text = page.body[-params.tail_chars:] if params.tail_chars else page.body
    meta = "\n".join(f"{k}：{v}" for k, v in sorted(page.meta.items())) if params.in_meta else ""
    matches: list[tuple[str, Match]] = []
    missing: list[str] = []
    for name in params.patterns:
        shown = pattern_label(name)
        match = patterns.search(name, text) or (patterns.search(name, meta) if meta else None)
        if match:
            matches.append((shown, match))
        else:
            missing.append(shown)
    if params.keywords:
        hit = next(
            (m for k in params.keywords for m in (patterns.keyword_search(k, text), patterns.keyword_search(k, meta))
             if m),
            None,
        )
        shown = "或".join(f"「{k}」" for k in params.keywords)
        if hit:
            matches.append((shown, hit))
        else:
            missing.append(shown)
    return _Doc(page, title or page.title, matches, missing)


def _unfetched(ctx: CheckContext, url: str, title: str, page: PageRecord | None) -> Evidence:
    err = ctx.snapshot.error_for(url)
    if err is not None:
        return Evidence(url=url, http_status=err.status, fetched_at=err.at, found=f"未能抓取：{clip(err.message, 120)}",
                        note=clip(title, 80))
    if page is not None:
        return page_evidence(page, found=f"返回 HTTP {page.status}", note=clip(title, 80))
    return Evidence(url=url, found="未抓取", note=clip(title, 80))
