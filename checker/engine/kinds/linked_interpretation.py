"""linked_interpretation: policy documents come with a 解读 (政策解读 “三同步”).

For each document of the located policy column (政策文件/规范性文件), a 解读 counts when the
document's page links to one (a non-navigation link whose anchor contains 解读/图解/一图读懂),
or a document of the `interpretations` column names it (its title or body quotes the
document title in 《》, or links to the document's URL). Passes when the share of
documents with a 解读 is at least `mostly`. Documents listed but not fetched make the
check unknown when they could change the verdict.

Details:
- Documents are the items of every list page of the column the crawl fetched (the column
  page and its pagination pages), once per URL; a 解读 listed among them (its title says
  解读/图解/一图读懂) is not a policy document and is left out; sub-columns are skipped.
- A link on the document's page counts when its target is a document: a link to a list
  page (the 政策解读 column in a sidebar) does not, nor does an unfetched link whose anchor
  is only a column label (政策解读, 相关解读, 图片解读 …). A link to a document of the
  `interpretations` column counts whatever its anchor says.
- A 解读 names a document when it quotes the document's title in 《》 (or the title of what
  the document 印发: 关于印发《X》的通知 → 《X》), contains that title in its own title, quotes
  the document's 文号, or links to the document.
- When the `interpretations` column could not be read in full (documents not fetched,
  pagination unseen, the column blocked), a document without a 解读 might have one there:
  a failure that those could turn into a pass is unknown. A site without such a column is
  judged on the documents' own links.

Example::

    - id: zcwj-interpreted
      kind: linked_interpretation
      title: 政策文件配套解读
      target: {names: [政策文件, 区政府文件]}
      interpretations: {names: [政策解读]}
      mostly: 0.8
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import Field

from checker.engine.locate import normalize
from checker.results import Evidence, Status
from checker.site.records import ListItem, PageRecord
from checker.site.snapshot import Snapshot

from ._common import (
    clip,
    first_per_url,
    label,
    listed_documents,
    locate,
    page_evidence,
    share_enough,
)
from .base import CheckBase, CheckContext, Outcome, Target
from .items_match import column_pages


class Params(CheckBase):
    kind: Literal["linked_interpretation"]
    target: Target
    interpretations: Target | None = Field(None, description="The 政策解读 column, to match 解读 to documents by title")
    mostly: float = Field(1.0, gt=0, le=1, description="Least share of documents that must have a 解读")
    published_after: date | None = Field(None, description="Judge only documents dated on or after this day")
    min_documents: int = Field(1, ge=1, description="Fewer fetched documents than this: unknown")


MAX_FAILING = 10
MAX_PASSING = 3
MAX_UNVERIFIED = 10
MIN_KEY = 6  # a title shorter than this names too many things to match on
_MARKERS = ("解读", "图解", "一图读懂", "一图看懂")
# Anchors that name the 解读 column or a tab, not one 解读.
_COLUMN_LABELS = frozenset({
    "解读", "政策解读", "图解", "图解政策", "政策图解", "一图读懂", "解读回应", "政策解读回应", "相关解读", "文字解读",
    "图片解读", "图文解读", "视频解读", "h5解读", "动漫解读", "解读材料", "查看解读", "解读链接",
})
_QUOTED = re.compile(r"《([^《》]{2,120})》")
_ISSUED = re.compile(r"印发(.{2,120}?)的(?:通知|决定|批复)")
_SKIP_REGIONS = ("nav", "breadcrumb", "footer")
_EDITION = re.compile(r"\([^()]{1,12}\)")  # （试行）（2024年修订）, folded to ASCII brackets by normalize
_AFTER_TITLE = ("解读", "的解读", "政策解读", "图解", "的图解", "一图", "问答", "政策问答", "有关", "相关", "》")


@dataclass
class _Interp:
    page: PageRecord
    titles: list[str]  # normalised: list title, metadata 标题, page title
    quotes: set[str]  # normalised 《》 contents of its titles and body
    text: str  # normalised title and body, for 文号
    links: set[str]


@dataclass
class _InterpColumn:
    docs: list[_Interp] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    unseen: int = 0  # its documents or list pages not fetched
    note: str = ""  # Chinese, for the evidence
    uncertain: str = ""  # why a document without a 解读 might still have one there


@dataclass
class _Doc:
    page: PageRecord
    title: str
    how: str = ""  # how its 解读 was found, '' when none


def run(params: Params, ctx: CheckContext) -> Outcome:
    located = locate(params.target, ctx, need_document=False)
    if isinstance(located, Outcome):
        return located
    snap = ctx.snapshot
    column = located.page
    name = label(params.target)
    interp = _interp_column(params, ctx)

    pages = column_pages(snap, column)[0] if column.kind == "list" or column.list_items else []
    listed = first_per_url([it for p in pages for it in p.list_items])
    if not pages:
        listed = [ListItem(column.title, column.url, column.published)]  # the target is itself one document
    good: list[_Doc] = []
    bad: list[_Doc] = []
    unverified: list[Evidence] = []
    earlier = interp_listed = 0
    for d in listed_documents(snap, listed):
        it, page = d.item, d.page
        if d.before(params.published_after):
            earlier += 1
            continue
        title = (page.meta.get("标题") if page else "") or it.title
        if any(m in normalize(title) for m in _MARKERS):
            interp_listed += 1
            continue
        if page is None:
            unverified.append(d.unfetched(snap))
            continue
        if d.is_subcolumn:
            continue
        doc = _Doc(page, title.strip())
        doc.how = _own_link(doc, snap, interp) or _named_by(doc, interp)
        (good if doc.how else bad).append(doc)

    checked, ok, u = len(good) + len(bad), len(good), len(unverified)
    evidence = [page_evidence(column, found=f"列出 {len(listed)} 篇文档", note=located.how)]
    if interp.note:
        evidence.append(Evidence(looked_for="解读栏目中点名文件的解读", found=clip(interp.note)))
    evidence += [
        page_evidence(d.page, found="未找到解读", note=clip(d.title, 80),
                      looked_for="文件页面上的解读链接，或解读栏目中引用文件标题、文号或链接的解读")
        for d in bad[:MAX_FAILING]
    ]
    evidence += [page_evidence(d.page, found=clip(d.how), note=clip(d.title, 80)) for d in good[:MAX_PASSING]]
    evidence += unverified[:MAX_UNVERIFIED]

    since = f" {params.published_after.isoformat()} 及以后发布的" if params.published_after else ""
    if checked < params.min_documents:
        reason = f"{name}可检查的{since}文档只有 {checked} 篇（至少需要 {params.min_documents} 篇）"
        if u:
            reason += f"，另有 {u} 篇未能抓取"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", evidence, reason=reason)

    counts = f"{name}已检查{since} {checked} 篇文档，{ok}/{checked} 篇有解读（要求 ≥ {params.mostly:.0%}）"
    if u:
        counts += f"，{u} 篇未能抓取"
    if earlier:
        counts += f"；另有 {earlier} 篇发布于 {params.published_after.isoformat()} 之前，不在检查范围"
    if interp_listed:
        counts += f"；栏目中 {interp_listed} 篇解读本身不计"
    passed = share_enough(ok, checked, params.mostly)
    maybe = len(bad) if interp.uncertain else 0
    if passed and u and not share_enough(ok, checked + u, params.mostly):
        reason = f"{u} 篇文档未能抓取，足以改变结论"
        return Outcome(Status.UNKNOWN, f"无法判断：{counts}；{reason}", evidence, reason=reason)
    if not passed and (u or maybe) and share_enough(ok + u + maybe, checked + u, params.mostly):
        reason = "；".join(r for r in (f"{u} 篇文档未能抓取" if u else "", interp.uncertain if maybe else "") if r)
        reason += "，足以改变结论"
        return Outcome(Status.UNKNOWN, f"无法判断：{counts}；{reason}", evidence, reason=reason)
    return Outcome(Status.PASS if passed else Status.FAIL, counts, evidence)


# -- the 解读 column --------------------------------------------------------------------------------------
def _interp_column(params: Params, ctx: CheckContext) -> _InterpColumn:
    out = _InterpColumn()
    if params.interpretations is None:
        return out
    shown = label(params.interpretations)
    located = locate(params.interpretations, ctx, need_document=False)
    if isinstance(located, Outcome):
        if located.status == Status.UNKNOWN:
            out.uncertain = f"{shown}无法读取（{located.reason}）"
            out.note = out.uncertain
        else:
            out.note = f"未找到{shown}，只按文件页面上的解读链接判断"
        return out
    snap = ctx.snapshot
    page = located.page
    if page.kind == "list" or page.list_items:
        pages, unseen_pages = column_pages(snap, page)
        items = first_per_url([it for p in pages for it in p.list_items])
    else:
        unseen_pages, items = [], [ListItem(page.title, page.url, page.published)]
    for it in items:
        doc = snap.get(it.url)
        if doc is None or doc.status >= 400:
            out.unseen += 1
            continue
        if doc.kind in ("list", "home"):
            continue
        out.docs.append(_interp(doc, it.title))
        out.urls |= {doc.url, doc.final_url}
    out.unseen += len(unseen_pages)
    out.note = f"{shown}（{page.url}）：读取 {len(out.docs)} 篇解读"
    if out.unseen:
        out.uncertain = f"{shown}有 {out.unseen} 个页面未能抓取，其中可能有解读"
        out.note += f"；{out.uncertain}"
    return out


def _interp(page: PageRecord, list_title: str) -> _Interp:
    titles = [t for t in (list_title, page.meta.get("标题", ""), page.title) if t]
    text = "\n".join([*titles, page.body])
    quotes = {normalize(q) for q in _QUOTED.findall(text)}
    links = {lk.url for lk in page.links if lk.region not in _SKIP_REGIONS}
    return _Interp(page, [normalize(t) for t in titles], {q for q in quotes if q}, normalize(text), links)


# -- matching a document to its 解读 ------------------------------------------------------------------------
def _keys(doc: _Doc) -> list[str]:
    """The names a 解读 may give the document: its title, and what it 印发."""
    titles = [doc.title, doc.page.meta.get("标题", "")]
    keys: list[str] = []
    for t in titles:
        if not t:
            continue
        keys.append(normalize(t))
        for m in _ISSUED.finditer(t):
            inner = m.group(1).strip()
            quoted = _QUOTED.fullmatch(inner)
            keys.append(normalize(quoted.group(1) if quoted else inner))
    return [k for k in dict.fromkeys(keys) if len(k) >= MIN_KEY]


def _own_link(doc: _Doc, snap: Snapshot, interp: _InterpColumn) -> str:
    """How the document's own page links to a 解读, or ''."""
    own = {doc.page.url, doc.page.final_url}
    for lk in doc.page.links:
        if lk.region in _SKIP_REGIONS or lk.url in own:
            continue
        if lk.url in interp.urls:
            return f"文件页面链接到解读栏目中的「{clip(lk.text, 60) or lk.url}」：{lk.url}"
        anchor = normalize(lk.text)
        if not any(m in anchor for m in _MARKERS):
            continue
        target = snap.get(lk.url)
        if target is not None and target.status < 400:
            if target.kind in ("list", "home"):
                continue  # the 解读 column in a sidebar, not this document's 解读
        elif anchor in _COLUMN_LABELS:
            continue  # an unfetched bare label: a column or a tab, not one 解读
        return f"文件页面有解读链接「{clip(lk.text, 60)}」：{lk.url}"
    return ""


def _named_by(doc: _Doc, interp: _InterpColumn) -> str:
    """How a 解读 of the column names the document, or ''."""
    keys = _keys(doc)
    number = normalize(doc.page.meta.get("文号", ""))
    own = {doc.page.url, doc.page.final_url}
    for it in interp.docs:
        where = f"解读「{clip(it.page.meta.get('标题') or it.page.title, 60)}」（{it.page.url}）"
        if own & it.links:
            return f"{where}链接到本文件"
        for k in keys:
            if any(_same_title(k, q) for q in it.quotes):
                return f"{where}以《》引用本文件标题"
            if any(_title_names(t, k) for t in it.titles):
                return f"{where}标题含本文件标题"
        if len(number) >= MIN_KEY and number in it.text:
            return f"{where}引用本文件文号 {doc.page.meta.get('文号', '').strip()}"
    return ""


def _same_title(key: str, quoted: str) -> bool:
    """《X》 names X, and X（试行）/X（2024年修订） too, either way round; 《X实施细则》 does not name X."""
    short, long_ = sorted((key, quoted), key=len)
    return long_.startswith(short) and (len(long_) == len(short) or bool(_EDITION.fullmatch(long_[len(short):])))


def _title_names(title: str, key: str) -> bool:
    """The 解读's title names the document: the title is followed by nothing, a bracket, or 解读-words."""
    start = title.find(key)
    while start >= 0:
        after = title[start + len(key):]
        if not after or after[0] in "》)(_-|:" or after.startswith(_AFTER_TITLE):
            return True
        start = title.find(key, start + 1)
    return False
