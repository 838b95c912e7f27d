"""text_matches: the page's text contains named patterns and/or literal keywords.

Looks in the target page (for a column: its newest document; `scope: page` resolves to
the document). `patterns` are names from `checker.engine.patterns` (landline, doc_number
…); `keywords` are literal strings, and a keyword written `办公时间|工作时间` is satisfied
by any of its alternatives. With `mode: all` every pattern and keyword must be found;
with `mode: any` one is enough. Evidence carries each match with its context (and, for a
keyword with alternatives, which one the page used), or the list of what was missing and
where it was searched. `region: body` reads the main content only (the footer's phone
number is on every page and proves nothing); a page whose main content could not be
extracted, or whose document was not fetched, is unknown. A target found only as a link
to another site (`accept_external`) is unknown: its text was not fetched.

The text read is the page's plus the extracted text of the attachments (PDF, DOC(X),
XLS(X), WPS, ET) its content links to, and a target that is itself an attachment is read
like a page: a 指南 published only as a PDF is checked on the PDF's text. Evidence names
the attachment a match was found in. What is missing while a linked attachment could not
be read (scanned, encrypted, over the size cap) is unknown, not a failure.

Example::

    - id: guide-landline
      kind: text_matches
      title: 指南公开固定电话
      target: {scope: page, names: [政府信息公开指南]}
      patterns: [landline]

    - id: guide-office
      kind: text_matches
      title: 指南写明办公地址和办公时间
      target: {scope: page, names: [政府信息公开指南]}
      keywords: [地址|办公地点, 办公时间|工作时间]
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from checker.engine import patterns
from checker.results import Evidence, Status
from checker.site.records import PageRecord

from ._common import (
    clip,
    document_sources,
    label,
    locate,
    match_evidence,
    not_located,
    page_evidence,
    pattern_label,
    unread_attachments,
)
from .base import CheckContext, Outcome, Target, TextSearch


class Params(TextSearch):
    kind: Literal["text_matches"]
    target: Target
    mode: Literal["all", "any"] = "all"
    region: Literal["body", "text"] = Field("body", description="Main content only, or the whole page text")


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx)
    if isinstance(located, Outcome):
        return located
    if params.target.scope == "column" and located.page.kind == "list" and located.page.list_items:
        located = ctx.locator.newest_document(located)
        if located.status != "found":
            return not_located(params.target, located, ctx)
    page = located.content
    name = label(params.target)
    where_label = "正文" if params.region == "body" else "全文"
    sources = document_sources(page, ctx.snapshot, region=params.region)
    unread = unread_attachments(page, ctx.snapshot)
    where = f"「{clip(page.title, 60) or page.url}」的{where_label}"
    if len(sources) > 1 or (sources and sources[0][0] is not page):
        where += f"及 {sum(src is not page for src, _ in sources)} 个附件"
    if not sources:
        reason = f"{where}为空，未能提取" + (f"（{clip(page.problem, 120)}）" if page.problem else "")
        if unread:
            reason += f"；附件未能读取（{clip(unread[0].problem, 80) or unread[0].url}）"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [page_evidence(page, note=reason)], reason=reason)

    def first(search):
        return next(((src, m) for src, text in sources if (m := search(text))), (None, None))

    found: list[Evidence] = []
    had: list[str] = []  # what the page had: the pattern, or the keyword alternative it used
    missing: list[str] = []
    for pattern in params.patterns:
        src, match = first(lambda text, p=pattern: patterns.search(p, text))
        if match:
            found.append(_located_in(match_evidence(src, match, pattern_label(pattern)), src, page))
            had.append(pattern_label(pattern))
        else:
            missing.append(pattern_label(pattern))
    for keyword in params.keywords:
        shown = patterns.keyword_label(keyword)
        src, match = first(lambda text, k=keyword: patterns.keyword_any(k, text))
        if match:
            ev = _located_in(match_evidence(src, match, shown), src, page)
            if len(patterns.alternatives(keyword)) > 1:
                ev.note = "；".join(n for n in (f"匹配「{match.pattern}」", ev.note) if n)
            found.append(ev)
            had.append(f"「{match.pattern}」")
        else:
            missing.append(shown)
    evidence = found + [
        page_evidence(page, looked_for=shown, where=where, note="未找到") for shown in missing
    ]
    ok = not missing if params.mode == "all" else bool(found)
    if not ok and unread:  # what is missing may be in the attachment we could not read
        reason = (f"{where}中未找到{'、'.join(missing)}，且附件「{clip(unread[0].title, 60)}」未能提取文字"
                  f"（{clip(unread[0].problem, 80) or unread[0].url}）")
        evidence.append(page_evidence(unread[0], found="附件未能提取文字", note=clip(unread[0].problem, 120)))
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", evidence, reason=reason)
    found_labels = "、".join(had)
    if ok:
        summary = f"{name}{where_label}中找到{found_labels}"
    elif found:
        summary = f"{name}{where_label}中找到{found_labels}，但未找到{'、'.join(missing)}"
    elif params.mode == "any" and len(missing) > 1:
        summary = f"{name}{where_label}中未找到{'、'.join(missing)}中的任何一项"
    else:
        summary = f"{name}{where_label}中未找到{'、'.join(missing)}"
    return Outcome(Status.PASS if ok else Status.FAIL, summary, evidence)


def _located_in(ev: Evidence, src: PageRecord, page: PageRecord) -> Evidence:
    """Evidence of a match found in an attachment says which page links to it."""
    if src is page:
        return ev
    ev.where = f"附件「{clip(src.title, 60)}」的文字"
    ev.note = f"附件由页面 {page.url} 链接"
    return ev
