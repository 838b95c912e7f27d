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

from ._common import clip, label, locate, match_evidence, not_located, page_evidence, pattern_label
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
    text = page.body if params.region == "body" else page.text
    where = f"「{clip(page.title, 60) or page.url}」的{where_label}"
    if not text.strip():
        reason = f"{where}为空，未能提取" + (f"（{clip(page.problem, 120)}）" if page.problem else "")
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [page_evidence(page, note=reason)], reason=reason)

    found: list[Evidence] = []
    had: list[str] = []  # what the page had: the pattern, or the keyword alternative it used
    missing: list[str] = []
    for pattern in params.patterns:
        match = patterns.search(pattern, text)
        if match:
            found.append(match_evidence(page, match, pattern_label(pattern)))
            had.append(pattern_label(pattern))
        else:
            missing.append(pattern_label(pattern))
    for keyword in params.keywords:
        shown = patterns.keyword_label(keyword)
        match = patterns.keyword_any(keyword, text)
        if match:
            ev = match_evidence(page, match, shown)
            if len(patterns.alternatives(keyword)) > 1:
                ev.note = f"匹配「{match.pattern}」"
            found.append(ev)
            had.append(f"「{match.pattern}」")
        else:
            missing.append(shown)
    evidence = found + [
        page_evidence(page, looked_for=shown, where=where, note="未找到") for shown in missing
    ]
    ok = not missing if params.mode == "all" else bool(found)
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
