"""personal_data: published pages expose no personal data (《个人信息保护法》; 001 item 7).

Scans the text of every page (and every extracted attachment) the crawl saw for:
`id_card` (18-digit 身份证号 with a valid GB 11643 check digit), `mobile` (full 11-digit
mobile numbers, only where the surrounding text is a 处罚/公示/当事人 context given by
`mobile_contexts` — office hotlines are not personal data), `bank_card` (16–19 digits
passing the Luhn check, near 银行/卡号/账号). Masked forms (1402**********1234,
138****5678) are compliant. Fails when more than `max` exposures are found; the evidence
shows each match masked, so the scorecard never republishes the data. Unknown when none
is found but the crawl did not see the whole site.

What is not flagged: numbers labelled as an organisation's or a record's (统一社会信用代码,
网站标识码, 索引号, 文号, 编号, 订单号, 案号 …), office lines under a hotline label (举报电话,
咨询电话, 服务热线 …), 18-digit runs whose check character is wrong, 16–19-digit runs that
fail Luhn or stand far from any banking word, and anything inside a longer token (a URL,
an index number). The patterns live in `checker.engine.patterns` (`scan_personal`,
`mask`, `redact`).

An exposure is one number on one page: the same number printed twice on a page counts
once, on two pages twice. Pages whose content the crawl could not read (blocked, timed
out, too large, undecodable) are listed; when they could hold the exposure that decides
the verdict, the check is unknown rather than passed. Text is
read from every source `_sources()` yields: each fetched page's visible text and the text
the crawl extracted from each attachment (PDF, DOC(X), XLS(X), WPS, ET: 公示 lists are
often spreadsheets); an exposure in an attachment is reported with the attachment's URL
and the page that links it. A pass says how many attachments (PDF/DOC/XLS … recorded
without text: scanned, encrypted, over the size cap, or a format not read) were not
checked, in its summary and evidence: leaks usually sit in them.

Every text that reaches the result (the number, its context, the page title) passes
through `redact`, so not even a partially cut number is shown raw.

Example::

    - id: no-personal-data
      kind: personal_data
      title: 公开信息不泄露个人身份证号、手机号、银行卡号
      detect: [id_card, mobile, bank_card]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from checker.engine.locate import incomplete_crawl
from checker.engine.patterns import PERSONAL_LABELS, personal_context, redact, scan_personal
from checker.results import Evidence, Status
from checker.site.records import PageRecord

from ._common import clip
from .base import CheckBase, CheckContext, Outcome

MAX_LISTED = 20
MAX_UNREAD_LISTED = 10
# Fetch failures that leave a page's content unread. 404/410, other HTTP errors and
# failed connections mean there was no page; budget is an incomplete crawl, said elsewhere;
# robots.txt exclusions are the site's own search and admin paths, not published notices.
_UNREAD_KINDS = ("blocked", "timeout", "tls", "too_large", "decode", "parse")
ATTACHMENTS_NOTE = "部分附件（PDF、DOC、XLS 等）的文字未能提取，未检查"
# Attachments people publish notices in; the crawl records them (status, size) unread.
_DOCUMENT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "csv", "txt"})


class Params(CheckBase):
    kind: Literal["personal_data"]
    detect: list[Literal["id_card", "mobile", "bank_card"]] = Field(["id_card", "mobile", "bank_card"], min_length=1)
    mobile_contexts: list[str] = Field(
        ["处罚", "公示", "当事人", "申请人", "被处罚", "违法", "救助对象", "补贴对象", "名单"],
        description="A full mobile number counts only within 60 characters of one of these",
    )
    max: int = Field(0, ge=0, description="Most exposures allowed")


@dataclass(frozen=True)
class TextSource:
    """One text to scan and where a reviewer finds it."""

    url: str
    text: str
    title: str
    where: str  # Chinese: 页面文字, 附件文字 …
    page: PageRecord | None = None  # the fetched page, for HTTP status and fetch time


@dataclass(frozen=True)
class _Exposure:
    kind: str
    shown: str  # masked
    context: str  # masked
    source: TextSource


def _sources(ctx: CheckContext) -> Iterator[TextSource]:
    """Every text the crawl read, in a fixed order. Attachment text is one more loop here."""
    for page in sorted(ctx.snapshot.pages(), key=lambda p: p.url):
        if page.status < 400 and page.text:
            if page.kind == "attachment":
                yield TextSource(page.url, page.text, page.title, _attachment_where(ctx, page), page)
            else:
                yield TextSource(page.url, page.text, page.title, "页面文字", page)


def _attachment_where(ctx: CheckContext, page: PageRecord) -> str:
    """附件文字, with the first page that links the attachment, so a reviewer finds it."""
    linking = sorted(src.url for src, _ in ctx.snapshot.links_to(page.url) if src.url != page.url)
    return f"附件文字（由 {linking[0]} 链接）" if linking else "附件文字"

def run(params: Params, ctx: CheckContext) -> Outcome:
    detect = tuple(dict.fromkeys(params.detect))
    contexts = tuple(c for c in params.mobile_contexts if c.strip())
    exposures: list[_Exposure] = []
    masked: Counter[str] = Counter()
    masked_example: _Exposure | None = None
    scanned = 0
    for source in _sources(ctx):
        scanned += 1
        seen: set[tuple[str, str]] = set()
        for m in scan_personal(source.text, detect=detect, mobile_contexts=contexts):
            if m.masked:
                masked[m.kind] += 1
                if masked_example is None:
                    masked_example = _exposure(source, m)
                continue
            key = (m.kind, "".join(c for c in m.text if c.isalnum()).upper())
            if key not in seen:
                seen.add(key)
                exposures.append(_exposure(source, m))

    n = len(exposures)
    kinds = "、".join(PERSONAL_LABELS[k] for k in detect)
    unread = _unread(ctx)
    n_attached = sum(1 for p in ctx.snapshot.pages() if p.kind == "attachment" and p.status < 400 and p.text)
    where = f"全站 {scanned - n_attached} 个页面" + (f"和 {n_attached} 个附件" if n_attached else "") + "的文字"
    attachments = _unread_attachments(ctx)
    note = None  # said only when some attachment's text is missing
    if attachments:
        shown = "、".join(attachments[:3]) + (" 等" if len(attachments) > 3 else "")
        note = f"{ATTACHMENTS_NOTE}：已发现 {len(attachments)} 个附件（{shown}）"
    head = Evidence(looked_for=f"未打码的{kinds}", where=where, found=_count_text(exposures, masked), note=clip(note))
    evidence = [head, *(_evidence(e) for e in exposures[:MAX_LISTED])]
    counted = f"{where}中发现未打码的个人信息 {n} 处（允许 ≤ {params.max} 处）"
    if n:
        by_kind = Counter(e.kind for e in exposures)
        counted += "：" + "、".join(f"{PERSONAL_LABELS[k]} {by_kind[k]} 处" for k in detect if by_kind[k])
    if n > params.max:
        return Outcome(Status.FAIL, counted, evidence)

    if masked_example is not None:
        evidence.append(_evidence(masked_example, note="已打码，符合要求"))
    if unread:
        evidence += unread[:MAX_UNREAD_LISTED]
        reason = f"{len(unread)} 个页面未能读取内容（被拦截、超时等），其中可能有未打码的个人信息"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    incomplete = incomplete_crawl(ctx.snapshot.meta)
    if incomplete:
        reason = f"{incomplete}，未抓取的页面没有检查"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    if attachments:
        counted += f"；另有 {len(attachments)} 个附件的文字未能提取，未检查"
    return Outcome(Status.PASS, counted, evidence)


def _exposure(source: TextSource, m) -> _Exposure:
    return _Exposure(m.kind, m.shown, personal_context(source.text, m.start, m.end), source)


def _evidence(e: _Exposure, note: str | None = None) -> Evidence:
    src = e.source
    title = clip(redact(src.title), 80) if src.title else None
    fields = dict(found=e.shown, context=clip(e.context), looked_for=PERSONAL_LABELS[e.kind], where=src.where,
                  note=f"{note}：{title}" if note and title else (note or title))
    if src.page is not None:
        return Evidence(url=src.url, http_status=src.page.status, fetched_at=src.page.fetched_at, **fields)
    return Evidence(url=src.url, **fields)


def _count_text(exposures: list[_Exposure], masked: Counter[str]) -> str:
    pages = len({e.source.url for e in exposures})
    text = f"未打码 {len(exposures)} 处（{pages} 个页面）" if exposures else "未发现未打码的个人信息"
    if masked:
        text += f"；已打码 {sum(masked.values())} 处（符合要求）"
    return text


def _unread_attachments(ctx: CheckContext) -> list[str]:
    """URLs of document attachments the crawl found but whose text no source yields yet."""
    out = []
    for page in ctx.snapshot.pages():
        name = urlsplit(page.url).path.rsplit("/", 1)[-1]
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if page.status < 400 and ext in _DOCUMENT_EXTENSIONS and not page.text:
            out.append(page.url)
    return sorted(out)


def _unread(ctx: CheckContext) -> list[Evidence]:
    """Evidence for every URL whose content the crawl could not read, by URL."""
    out: dict[str, Evidence] = {}
    for err in ctx.snapshot.errors():
        if err.kind in _UNREAD_KINDS and err.url not in out and ctx.snapshot.get(err.url) is None:
            out[err.url] = Evidence(url=err.url, http_status=err.status, fetched_at=err.at,
                                    found=f"未能读取：{clip(redact(err.message), 120) or err.kind}")
    return [out[u] for u in sorted(out)]
