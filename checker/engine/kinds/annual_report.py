"""annual_report: the 政府信息公开工作年度报告 for the year due (条例 Art. 49; 国办公开办函〔2021〕30号).

The report year is the scan year − 1 once the deadline (`deadline`, MM-DD of the scan
year) has passed, else the year before that (the newer report is not due yet; said in
the evidence). The report is the column item (or any page/attachment link on the site)
whose title contains the year and one of `title_keywords`. `aspect` picks what is judged:
- `exists`: the report is published (an HTML page, or a linked PDF/DOC attachment);
- `sections`: its text carries the six headings of the 2021 format, in order;
- `table3`: 表三 adds up, per column: 一 + 二 = 三(七) + 四 (unknown when the table cannot
  be read, e.g. only an image, or an attachment whose text could not be extracted);
- `on_time`: it was published on or before the deadline of the year after the report year.

Finding the report: the located column's items first (its pagination pages too), then any
list item, page title or link anchor on the site. A title matches when it contains the
year (2024, or 二〇二四/二○二四/二零二四) and one of `title_keywords`; a notice about the
report (a title with 通知) does not. Among several matches (a column listing every
department's report) the one naming the site's own government (平城区, from the homepage
title) wins, then list order. A link to a PDF/DOC/DOCX/WPS file with such anchor text is
the report for `exists` and `on_time`; `sections` and `table3` read the text the crawl
extracted from it. A report page's text is its body plus the text of the attachments it
links (a page that only says 详见附件 and links the PDF). An attachment whose text could
not be extracted (scanned images, encrypted, over the size cap) leaves them unknown.

`sections` looks for each heading at the start of a line (after any numbering: 一、, （一）,
1.) or after a numbering anywhere, so the preamble that names all six parts in one
sentence does not count; wordings real reports use are accepted (行政复议、行政诉讼情况
without 政府信息公开, 存在的主要问题和改进措施, 其他需要报告事项 …).

`table3` reads the rows 一、本年新收 / 二、上年结转 / （七）总计 / 四、结转下年度继续办理 from
the report's text, each followed by its seven numbers (自然人, 商业企业, 科研机构, 社会公益
组织, 法律服务机构, 其他, 总计), whether extraction put each cell on its own line or a row
on one line. A row with an empty or non-numeric cell is not guessed at: unknown.

Not found is a failure only when the crawl saw the whole site and the column's list could
be read in full; a blocked column, unfetched pagination pages, a script-loaded list or a
partial crawl make it unknown. `on_time` takes the report page's publication date, else
the date its list shows; neither → unknown.

Example::

    - id: zfxxgknb-on-time
      kind: annual_report
      title: 年报于3月31日前发布
      target: {names: [政府信息公开年报, 政府信息公开年度报告]}
      aspect: on_time
      deadline: "03-31"
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import Field

from checker.engine import patterns
from checker.engine.locate import Located, error_text, incomplete_crawl, normalize, path_segments, split_title
from checker.results import Evidence, Status
from checker.site.records import FetchError, Link, PageRecord
from checker.site.snapshot import Snapshot

from ._common import attachments_of, clip, label, locate, page_evidence, per_snapshot, script_list_problem
from .base import CheckBase, CheckContext, Outcome, Target
from .items_match import column_pages

SECTION_HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")


class Params(CheckBase):
    kind: Literal["annual_report"]
    target: Target
    aspect: Literal["exists", "sections", "table3", "on_time"]
    title_keywords: list[str] = Field(
        ["政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开年报", "信息公开工作年度报告"],
        description="A report's title contains the year and one of these",
    )
    deadline: str = Field("03-31", pattern=r"^\d{2}-\d{2}$",
                          description="MM-DD: 03-31 for the 本级政府, 01-31 for departments; a list's earlier date wins")


ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "wps")
TABLE3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
MAX_TITLES_SHOWN = 20
_CN_DIGITS = "〇一二三四五六七八九"
_NOT_A_REPORT = ("通知",)  # 关于报送2024年度政府信息公开工作年度报告的通知 is about the report
_OWNER = re.compile(r"([^省市州盟]{1,8}?(?:自治县|自治旗|实验区|新区|特区|林区|矿区|区|县|市|旗))$")
_OWNER_SUFFIX = re.compile(r"(?:人民政府)?(?:门户网站|政府网站|政府网|网站|门户)?$")

# The six headings, tolerant of the wordings real reports use (2019 and 2021 formats).
_HEADING_PATTERNS = (
    r"总体情况",
    r"主动公开政府信息(?:的)?情况",
    r"(?:收到和处理政府信息公开申请|依申请公开政府信息)(?:的)?情况",
    r"(?:因?政府信息公开(?:工作)?(?:申请)?(?:被申请)?)?(?:行政复议)[、和及与,]?(?:提起)?行政诉讼(?:的)?情况",
    r"(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和|与|以及)(?:改进|整改)(?:情况|措施)",
    r"其他需要报告的?事项",
)
_NUMBERING = r"(?:[一二三四五六七八九十]{1,3}[、.,:]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.]|第[一二三四五六七八九十]部分[、.:]?)"
_HEADINGS = tuple(re.compile(rf"(?m)(?:^{_NUMBERING}?|{_NUMBERING})(?:{h})") for h in _HEADING_PATTERNS)

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_ROW_LABELS = {
    "一": "本年新收",
    "二": "上年结转",
    "三(七)": "(七)总计",
    "四": "结转下年度继续办理",
}
_ROW_NAMES = {
    "一": "一、本年新收政府信息公开申请数量",
    "二": "二、上年结转政府信息公开申请数量",
    "三(七)": "三、本年度办理结果（七）总计",
    "四": "四、结转下年度继续办理",
}


def _spaced(text: str) -> str:
    """A literal that tolerates whitespace between its characters (a cell broken over lines)."""
    return r"\s*".join(re.escape(c) for c in text)


# Label, then up to 30 non-digits (the rest of the label: 政府信息公开申请数量), then exactly
# seven numbers: an eighth means the columns are not the ones we think.
_ROWS = {
    row: re.compile(rf"{_spaced(lab)}\D{{0,30}}?(?<!\d)((?:{_NUMBER})(?:\s+(?:{_NUMBER})){{6}})(?!\s*[\d,])")
    for row, lab in _ROW_LABELS.items()
}
# Only the table prints these; prose says 本年新收申请43件 and 1件结转下年度继续办理.
_TABLE_MARKERS = tuple(re.compile(_spaced(m)) for m in ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
                                                       "(七)总计"))


@dataclass
class _Candidate:
    title: str
    url: str
    where: str  # Chinese: where it was seen
    source: PageRecord  # the page listing or linking it, or the report page itself
    day: date | None = None  # the date its list shows
    day_raw: str = ""
    rank: tuple = ()


@dataclass
class _Report:
    cand: _Candidate
    page: PageRecord | None  # the report's HTML page, fetched
    attachment: bool  # the report is a PDF/DOC file (`page` is its attachment record, when fetched)
    error: FetchError | None = None

    @property
    def url(self) -> str:
        return self.cand.url


@dataclass
class Table3:
    rows: dict[str, list[int]]  # 一, 二, 三(七), 四 → seven numbers
    texts: dict[str, str]  # the row as printed, whitespace collapsed


def run(params: Params, ctx: CheckContext) -> Outcome:
    year, newer_not_due = report_year(ctx.as_of, params.deadline)
    due_note = None
    if newer_not_due:
        next_due = deadline_in(year + 2, params.deadline)
        due_note = f"{year + 1} 年度年报的发布期限 {next_due.isoformat()} 未到，检查 {year} 年度年报"
    located = locate(params.target, ctx, need_document=False)
    column = located if isinstance(located, Located) else None
    report = _find(params, ctx, year, column)
    if report is None:
        return _not_found(params, ctx, year, located, due_note)
    aspect = {"exists": _exists, "sections": _sections, "table3": _table3, "on_time": _on_time}[params.aspect]
    return aspect(params, ctx, year, report, due_note)


# -- the year and the deadline ---------------------------------------------------------------------
def deadline_in(year: int, mmdd: str) -> date:
    """MM-DD of `year`; a day past the month's end (02-29 in a common year) is the month's last day."""
    month, day = (int(x) for x in mmdd.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def report_year(as_of: date, mmdd: str) -> tuple[int, bool]:
    """(year of the report that must be out by `as_of`, whether last year's is not due yet)."""
    if as_of > deadline_in(as_of.year, mmdd):
        return as_of.year - 1, False
    return as_of.year - 2, True


def year_forms(year: int) -> tuple[str, ...]:
    """2024, 二〇二四, 二○二四, 二零二四: the ways a report title prints its year."""
    cn = "".join(_CN_DIGITS[int(d)] for d in str(year))
    return (str(year), cn, cn.replace("〇", "○"), cn.replace("〇", "零"))


class TitleMatcher:
    """Does a title name the year's report? Built once per check: the site's every anchor is asked."""

    def __init__(self, year: int, keywords: list[str]):
        self.keywords = [k for k in (normalize(k) for k in keywords) if k]
        self.year = re.compile(rf"(?<!\d){year}(?!\d)")
        self.cn_forms = year_forms(year)[1:]
        self._seen: dict[str, bool] = {}
        # A cheap first filter: a title holding a keyword holds its last character as printed
        # (CJK characters are left alone by normalize); ASCII keywords turn the filter off.
        last = {k[-1] for k in self.keywords}
        self._filter = frozenset(last) if all("\u4e00" <= c <= "\u9fff" for c in last) else None

    def __call__(self, title: str) -> bool:
        hit = self._seen.get(title)
        if hit is None:
            hit = self._seen[title] = self._match(title)
        return hit

    def _match(self, title: str) -> bool:
        if self._filter is not None and not any(c in title for c in self._filter):
            return False
        norm = normalize(title)
        if not any(k in norm for k in self.keywords) or any(w in norm for w in _NOT_A_REPORT):
            return False
        return bool(self.year.search(norm)) or any(f in norm for f in self.cn_forms)


def title_matches(title: str, year: int, keywords: list[str]) -> bool:
    return TitleMatcher(year, keywords)(title)


# -- finding the report ------------------------------------------------------------------------------
def _find(params: Params, ctx: CheckContext, year: int, column: Located | None) -> _Report | None:
    snap = ctx.snapshot
    owner = _owner(snap)
    # 平城区2025年… / 平城区人民政府2025年…, not 平城区发改局2025年… or 平城区人民政府办公室2025年….
    years = "|".join(year_forms(year))
    own_report = re.compile(rf"{re.escape(owner)}(?:人民政府|政府)?(?:{years})") if owner else None
    cands: list[_Candidate] = []
    seq = 0

    matches = TitleMatcher(year, params.title_keywords)

    def add(stage: int, title: str, url: str, where: str, source: PageRecord, day=None, raw="") -> None:
        nonlocal seq
        if not matches(title):
            return
        seq += 1
        owned = 0 if owner and own_report.search(normalize(title)) else 1
        cands.append(_Candidate(title.strip(), url, where, source, day, raw, (stage, owned, seq)))

    col_pages: list[PageRecord] = []
    if column is not None and column.page is not None:
        page = column.page
        col_pages = column_pages(snap, page)[0] if page.kind == "list" else [page]
        name = label(params.target)
        for p in col_pages:
            if p.kind == "detail":
                add(0, _own_title(p), p.url, f"{name}（定位到的页面）", p, p.published)
            for it in p.list_items:
                add(0, it.title, it.url, f"{name}的列表", p, it.date, it.date_raw)
            for lk in _content_links(p):
                add(1, lk.text, lk.url, f"{name}页面上的链接", p)
    in_column = {p.url for p in col_pages}
    # The rest of the site, in its fixed order; only entries whose title matches can add.
    site = per_snapshot(snap, "annual_report_site_titles", _SiteTitles)
    for i in site.matching(matches):
        stage, title, url, p, day, raw = site.entries[i]
        if p.url not in in_column:
            add(stage, title, url, _SITE_WHERE[stage].format(p.url), p, day, raw)

    for cand in sorted(cands, key=lambda c: c.rank):
        report = _resolve(snap, cand)
        if report is not None:
            return report
    return None


_SITE_WHERE = {2: "页面 {} 的列表", 3: "站内页面标题", 4: "页面 {} 上的链接"}


class _SiteTitles:
    """Every title on the site a report may be listed or linked under, once per snapshot.

    Each check run asks which of them name its year's report: per distinct title, not per
    list item and link of every page (the same anchor text repeats on thousands of pages).
    Entries keep the order the site is read in (pages by URL length, then URL; per page its
    list items, its own title, its content links), which decides between equal candidates.
    """

    def __init__(self, snap: Snapshot):
        # (stage, title, url, page it is on, list date, list date as printed)
        self.entries: list[tuple[int, str, str, PageRecord, date | None, str]] = []
        self._by_title: dict[str, list[int]] = {}
        for p in sorted(snap.pages(), key=lambda p: (len(p.url), p.url)):
            if p.status >= 400:
                continue
            for it in p.list_items:
                self._add((2, it.title, it.url, p, it.date, it.date_raw))
            if p.kind in ("detail", "other"):
                self._add((3, _own_title(p), p.url, p, p.published, ""))
            for lk in _content_links(p):
                self._add((4, lk.text, lk.url, p, None, ""))

    def _add(self, entry: tuple[int, str, str, PageRecord, date | None, str]) -> None:
        self._by_title.setdefault(entry[1], []).append(len(self.entries))
        self.entries.append(entry)

    def matching(self, matches: TitleMatcher) -> list[int]:
        """Positions of the entries whose title `matches`, in site order."""
        return sorted(i for title, at in self._by_title.items() if matches(title) for i in at)


def _resolve(snap: Snapshot, cand: _Candidate) -> _Report | None:
    if _is_attachment(cand.url):
        page = snap.get(cand.url)
        read = page is not None and page.kind == "attachment" and page.status < 400
        return _Report(cand, page if read else None, True)
    page = snap.get(cand.url)
    if page is not None and page.status < 400:
        if page.kind in ("list", "home"):
            return None  # a sub-column (2024年度年报 of every department): its items are candidates too
        return _Report(cand, page, False)
    err = snap.error_for(cand.url)
    if err is not None and err.kind == "http" and err.status in (404, 410):
        return None  # a dead link is not a published report
    return _Report(cand, None, False, err)


def _own_title(page: PageRecord) -> str:
    """The document's title: metadata 标题, else the page title's longest part (not the site or column name)."""
    meta = (page.meta.get("标题") or "").strip()
    if meta:
        return meta
    parts = split_title(page.title)
    return max(parts, key=len) if parts else page.title


def _content_links(page: PageRecord) -> list[Link]:
    return [lk for lk in page.links if lk.region not in ("nav", "breadcrumb", "footer") and lk.text.strip()]


def _is_attachment(url: str) -> bool:
    segments = path_segments(url)
    return bool(segments) and segments[-1].rsplit(".", 1)[-1] in ATTACHMENT_EXTENSIONS and "." in segments[-1]


def _owner(snap: Snapshot) -> str:
    """The site's own government, 平城区 from 大同市平城区人民政府, to prefer its report over departments'."""
    home = snap.homepage()
    parts = split_title(home.title) if home is not None else []
    if not parts:
        return ""
    name = _OWNER_SUFFIX.sub("", normalize(parts[0]))
    m = _OWNER.search(name)
    return m.group(1) if m else ""


# -- not found -------------------------------------------------------------------------------------------
def _not_found(params: Params, ctx: CheckContext, year: int, located: Located | Outcome,
               due_note: str | None) -> Outcome:
    wanted = f"{year} 年度政府信息公开工作年度报告"
    keywords = "、".join(params.title_keywords)
    looked = f"标题含「{year}」和「{keywords}」之一的年报"
    snap = ctx.snapshot
    if isinstance(located, Outcome):
        if located.status == Status.UNKNOWN:
            reason = f"全站未找到 {wanted}，且{located.reason or located.summary}"
            return Outcome(Status.UNKNOWN, f"无法判断：{reason}", located.evidence, reason=reason)
        if located.status == Status.NOT_APPLICABLE:
            return located
        column_ev = located.evidence
        unseen_reason = None
    else:
        page = located.page
        pages, unseen = column_pages(snap, page) if page.kind == "list" else ([page], [])
        titles = "；".join(list(dict.fromkeys(it.title for p in pages for it in p.list_items))[:MAX_TITLES_SHOWN])
        column_ev = [page_evidence(page, found="未找到", looked_for=looked, where=f"{label(params.target)}的列表",
                                   context=clip(f"已见标题：{titles}") if titles else None, note=located.how)]
        unseen_reason = script_list_problem(page)
        if unseen and not unseen_reason:
            unseen_reason = f"栏目另有 {len(unseen)} 个列表页未抓取（{unseen[0]}）"
    site_ev = Evidence(url=snap.start_url or None, looked_for=looked, found="未找到", note=due_note,
                       where=f"已抓取的 {len(snap)} 个页面的列表、标题和链接")
    evidence = [*column_ev, site_ev]
    summary = f"未找到 {wanted}"
    incomplete = incomplete_crawl(snap.meta)
    if unseen_reason or incomplete:
        reason = f"{unseen_reason or incomplete}，年报可能在未看到的页面中"
        return Outcome(Status.UNKNOWN, f"无法判断：{summary}；{reason}", evidence, reason=reason)
    return Outcome(Status.FAIL, summary, evidence)


# -- aspects -----------------------------------------------------------------------------------------------
def _report_evidence(report: _Report, year: int, due_note: str | None, **fields) -> Evidence:
    cand = report.cand
    what = "附件" if report.attachment else "页面"
    fields.setdefault("found", cand.title)
    fields.setdefault("looked_for", f"{year} 年度政府信息公开工作年度报告")
    fields.setdefault("where", cand.where)
    note = f"年报{what}：{report.url}" + (f"（列表日期 {cand.day_raw or cand.day}）" if cand.day else "")
    fields.setdefault("note", f"{note}；{due_note}" if due_note else note)
    if report.page is not None:
        return page_evidence(report.page, **fields)
    return page_evidence(cand.source, **fields)


def _exists(params: Params, ctx: CheckContext, year: int, report: _Report, due_note: str | None) -> Outcome:
    kind = f"（附件 {path_segments(report.url)[-1].rsplit('.', 1)[-1].upper()}）" if report.attachment else ""
    ev = _report_evidence(report, year, due_note)
    return Outcome(Status.PASS, f"已发布 {year} 年度年报「{clip(report.cand.title, 60)}」{kind}", [ev])


def _unreadable(report: _Report, year: int, due_note: str | None) -> Outcome | None:
    """Unknown when the report's text is not in the snapshot: an attachment, or a page not fetched."""
    if report.attachment and (report.page is None or not report.page.text.strip()):
        why = f"：{clip(report.page.problem, 100)}" if report.page is not None and report.page.problem else ""
        if report.page is None:
            why = "：附件未抓取或未读取"
        reason = f"{year} 年度年报仅以附件发布（{report.url}），未能提取附件文字{why}，无法检查其内容"
    elif report.page is None:
        why = f"（{error_text(report.error)}）" if report.error else ""
        reason = f"{year} 年度年报页面未能抓取{why}：{report.url}"
    elif not (report.page.body.strip() or report.page.text.strip()):
        reason = f"{year} 年度年报页面正文为空，未能提取" + (f"（{clip(report.page.problem, 80)}）" if report.page.problem else "")
    else:
        return None
    ev = _report_evidence(report, year, due_note)
    if report.error is not None:
        ev = ev.model_copy(update={"url": report.error.url, "http_status": report.error.status,
                                   "fetched_at": report.error.at})
    return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [ev], reason=reason)


def _report_text(page: PageRecord, snap: Snapshot) -> str:
    own = page.body if page.body.strip() else page.text
    return "\n\n".join([own, *(a.text for a in attachments_of(page, snap) if a.text.strip())])


def _attachments(page: PageRecord, snap: Snapshot) -> list[Link]:
    """Attachment links on the report page whose text the snapshot does not have."""
    read = {a.url for a in attachments_of(page, snap) if a.text.strip()}
    return [lk for lk in page.links
            if lk.region not in ("nav", "footer") and _is_attachment(lk.url) and lk.url not in read]


def _unread_why(link: Link, snap: Snapshot) -> str:
    att = snap.get(link.url)
    if att is not None and att.problem:
        return f"附件文字未能提取：{clip(att.problem, 80)}"
    return "附件未抓取或未读取"


def find_sections(text: str) -> tuple[list[int], list[int]]:
    """(indexes of missing headings, indexes of headings out of order).

    Out of order are the fewest headings whose removal leaves the rest in order (of equal
    choices, the later headings are blamed: with 二 and 三 swapped, 三 is out of place).
    """
    squeezed = "\n".join("".join(line.split()) for line in patterns.fold(text[: patterns.MAX_TEXT]).split("\n"))
    found: dict[int, int] = {}
    for i, heading in enumerate(_HEADINGS):
        m = heading.search(squeezed)
        if m:
            found[i] = m.start()
    missing = [i for i in range(len(_HEADINGS)) if i not in found]
    present = sorted(found)
    best: tuple[int, ...] = ()
    for mask in range(1 << len(present)):  # six headings at most: 64 subsets
        kept = tuple(present[b] for b in range(len(present)) if mask >> b & 1)
        in_order = all(found[a] < found[b] for a, b in zip(kept, kept[1:], strict=False))
        if in_order and (len(kept) > len(best) or (len(kept) == len(best) and kept < best)):
            best = kept
    return missing, [i for i in present if i not in best]


def _heading_label(i: int) -> str:
    return f"{'一二三四五六'[i]}、{SECTION_HEADINGS[i]}"


def _sections(params: Params, ctx: CheckContext, year: int, report: _Report, due_note: str | None) -> Outcome:
    unreadable = _unreadable(report, year, due_note)
    if unreadable:
        return unreadable
    page = report.page
    missing, misplaced = find_sections(_report_text(page, ctx.snapshot))
    looked = "六部分标题（按顺序）：" + "、".join(_heading_label(i) for i in range(6))
    found_n = 6 - len(missing)
    attached = _attachments(page, ctx.snapshot)
    if found_n < 2 and attached:
        reason = (f"{year} 年度年报页面正文未含各部分标题，报告可能在附件中（{attached[0].url}），"
                  f"{_unread_why(attached[0], ctx.snapshot)}")
        ev = _report_evidence(report, year, due_note, looked_for=looked, context=clip(page.body, 120) or None)
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [ev], reason=reason)
    if not missing and not misplaced:
        ev = _report_evidence(report, year, due_note, found="六部分标题齐全且顺序正确", looked_for=looked)
        return Outcome(Status.PASS, f"{year} 年度年报包含六部分标题，顺序正确", [ev])
    problems = []
    if missing:
        problems.append("缺少" + "、".join(f"「{_heading_label(i)}」" for i in missing))
    if misplaced:
        problems.append("顺序不符：" + "、".join(f"「{_heading_label(i)}」" for i in misplaced))
    text = "；".join(problems)
    ev = _report_evidence(report, year, due_note, found=text, looked_for=looked)
    return Outcome(Status.FAIL, f"{year} 年度年报{text}", [ev])


def read_table3(text: str) -> Table3 | str:
    """表三's four rows that must add up, or why they could not be read (Chinese)."""
    folded = patterns.fold(text[: patterns.MAX_TEXT])
    rows: dict[str, list[int]] = {}
    texts: dict[str, str] = {}
    unread: list[str] = []
    for row, regex in _ROWS.items():
        m = regex.search(folded)
        if m is None:
            unread.append(f"「{_ROW_NAMES[row]}」")
            continue
        rows[row] = [int(n.replace(",", "")) for n in m.group(1).split()]
        texts[row] = " ".join(text[m.start() : m.end()].split())
    if not unread:
        return Table3(rows, texts)
    if not any(r.search(folded) for r in _TABLE_MARKERS):
        return "正文中没有表三的文字（表格可能是图片或附件）"
    return f"表三中未能读出{'、'.join(unread)}各自的 7 个数字（空白或非数字的单元格不猜测）"


def _table3(params: Params, ctx: CheckContext, year: int, report: _Report, due_note: str | None) -> Outcome:
    unreadable = _unreadable(report, year, due_note)
    if unreadable:
        return unreadable
    page = report.page
    looked = "表三：一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度继续办理（逐列）"
    table = read_table3(_report_text(page, ctx.snapshot))
    if isinstance(table, str):
        attached = _attachments(page, ctx.snapshot)
        reason = f"{year} 年度年报{table}" + (
            f"；页面附有 {attached[0].url}，{_unread_why(attached[0], ctx.snapshot)}" if attached else "")
        ev = _report_evidence(report, year, due_note, looked_for=looked)
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [ev], reason=reason)
    new, old, done, carry = (table.rows[r] for r in ("一", "二", "三(七)", "四"))
    bad = [c for c in range(len(TABLE3_COLUMNS)) if new[c] + old[c] != done[c] + carry[c]]
    rows = "；".join(f"{r}：{t}" for r, t in table.texts.items())
    if not bad:
        total = len(TABLE3_COLUMNS) - 1
        found = (f"7 列均相符；总计列：一 {new[total]} + 二 {old[total]} = 三(七) {done[total]} + 四 {carry[total]}")
        ev = _report_evidence(report, year, due_note, found=found, context=clip(rows), looked_for=looked)
        return Outcome(Status.PASS, f"{year} 年度年报表三逐列相符（一 + 二 = 三(七) + 四）", [ev])
    evidence = [
        _report_evidence(
            report, year, due_note, looked_for=looked, context=clip(rows),
            found=(f"{TABLE3_COLUMNS[c]}列：一 {new[c]} + 二 {old[c]} = {new[c] + old[c]}，"
                   f"三(七) {done[c]} + 四 {carry[c]} = {done[c] + carry[c]}"),
        )
        for c in bad
    ]
    cols = "、".join(TABLE3_COLUMNS[c] for c in bad)
    return Outcome(Status.FAIL, f"{year} 年度年报表三不相符：{cols}列 一 + 二 ≠ 三(七) + 四", evidence)


def _on_time(params: Params, ctx: CheckContext, year: int, report: _Report, due_note: str | None) -> Outcome:
    due = deadline_in(year + 1, params.deadline)
    looked = f"{year} 年度年报于 {due.isoformat()} 前发布"
    day, how = None, ""
    if report.page is not None and report.page.published:
        day, how = report.page.published, "年报页面的发布日期"
    elif report.cand.day:
        day, how = report.cand.day, f"列表日期「{report.cand.day_raw or report.cand.day.isoformat()}」"
    elif report.attachment and report.cand.source.kind == "detail" and report.cand.source.published:
        day, how = report.cand.source.published, "附件所在页面的发布日期"
    if day is None:
        reason = f"{year} 年度年报的页面和列表均无可识别的发布日期"
        ev = _report_evidence(report, year, due_note, looked_for=looked)
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [ev], reason=reason)
    ev = _report_evidence(report, year, due_note, looked_for=looked, context=f"{how}：{day.isoformat()}")
    late = (day - due).days
    if late <= 0:
        return Outcome(Status.PASS, f"{year} 年度年报发布于 {day.isoformat()}，未晚于 {due.isoformat()}", [ev])
    return Outcome(Status.FAIL, f"{year} 年度年报发布于 {day.isoformat()}，晚于期限 {due.isoformat()} {late} 天", [ev])
