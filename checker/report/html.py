"""The HTML scorecard: one self-contained page, in Chinese, rendered from a ScanResult.

Everything the page needs is inline (styles, inline SVG charts, one small script), so it
opens offline, can be mailed as one file and never makes a request of its own; a
Content-Security-Policy meta tag backs that up (the script runs by its hash, nothing else
may). All scraped text goes through jinja2 autoescaping; the filters here also cap it, strip
invisible control characters, and only ever make http(s) URLs clickable.

The page, top to bottom: what was scanned and how much of the site was seen (a banner when
not all of it), an overview of every profile (score, grade, veto hits, counts, changes), the
site file's waivers, then per profile its changes since the previous scan and trend, the
veto and unknown lists, every item with its evidence, the 牵头单位 view and the checklist.
The history (`ScanDiff`, `TrendPoint`, checker/history/models.py) is optional: without it
the page says this is the first scan.

Template logic stays small: grouping, change lists, chart geometry, filter keys and the
牵头单位 view are built here as plain view objects, so the templates only lay them out.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from checker.history.models import Change, ProfileDiff, ScanDiff, TrendPoint
from checker.report.json_report import _write_atomic
from checker.results import (
    STATUS_LABELS,
    Evidence,
    ItemResult,
    ProfileResult,
    ScanInfo,
    ScanResult,
    Status,
    Waiver,
)

TEXT_CAP = 300  # scraped text (found / context / looked_for …) shown per evidence entry
LINE_CAP = 500  # summaries and reasons: ours, but they may quote scraped titles
URL_CAP = 160  # a URL's visible text; the href keeps the whole URL
HREF_MAX = 2048  # longer URLs are shown as text, not linked
EVIDENCE_CAP = 50  # entries listed per check; result.json keeps them all
ELLIPSIS = "…"
UNGROUPED = "其他"

STATUS_ORDER = (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.MANUAL, Status.NOT_APPLICABLE)
_COUNT_FIELD = {Status.PASS: "pass_", Status.FAIL: "fail", Status.UNKNOWN: "unknown",
                Status.MANUAL: "manual", Status.NOT_APPLICABLE: "not_applicable"}

SCAN_STATUS_LABELS = {
    "complete": "完整",
    "partial": "不完整",
    "interrupted": "已中断",
    "unreachable": "无法访问",
}

# China has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database.
BEIJING = timezone(timedelta(hours=8))

# C0/C1 controls, zero-width and bidi-override characters: invisible, and bidi overrides can
# make scraped text display as something other than what it is.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_NO_LINK = re.compile(r"[\s\x00-\x1f\x7f]")
_SCREENSHOT = re.compile(r"screenshots/[0-9a-f]{40}\.png")

# The page's one script (filters and print), kept in its own file so it reads as code. The
# page reads fully without it; the CSP lets exactly this text run, by hash, and nothing else.
PAGE_SCRIPT = (Path(__file__).with_name("templates") / "scorecard.js").read_text(encoding="utf-8")
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(PAGE_SCRIPT.encode()).digest()).decode()
# No network of any kind; only our own script (by hash) may run, so even an escaping bug
# could not execute injected script or load anything.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'"
)


# ---------------------------------------------------------------- text helpers (filters)


def clean(text: object) -> str:
    """Scraped text as one readable line: invisible characters dropped, whitespace collapsed."""
    if text is None:
        return ""
    return _SPACES.sub(" ", _INVISIBLE.sub("", str(text))).strip()


def cap(text: object, limit: int = TEXT_CAP) -> str:
    """`clean` and cut to `limit` characters with an ellipsis. Returns plain text (escaped later)."""
    s = clean(text)
    return s if len(s) <= limit else s[:limit] + ELLIPSIS


def highlight(context: object, found: object, limit: int = TEXT_CAP) -> Markup:
    """`context` capped to about `limit` characters around `found`, with `found` in <mark>.

    The raw text is split around the match first and every piece is escaped on its own, so
    no unescaped input is ever marked up, and a match can never land inside an entity
    such as `&amp;` (which splitting escaped text could do).
    """
    ctx, needle = clean(context), clean(found)
    at = ctx.find(needle) if needle else -1
    if at < 0:
        return escape(cap(ctx, limit))
    if len(needle) >= limit:
        return Markup("<mark>{}</mark>").format(needle[:limit] + ELLIPSIS)
    start = max(0, at - (limit - len(needle)) // 2)
    end = min(len(ctx), start + limit)
    start = max(0, end - limit)
    return Markup("{}{}<mark>{}</mark>{}{}").format(
        ELLIPSIS if start > 0 else "",
        ctx[start:at],
        needle,
        ctx[at + len(needle):end],
        ELLIPSIS if end < len(ctx) else "",
    )


def safe_href(url: object) -> str | None:
    """`url` when it is a plain absolute http(s) URL fit to link to; otherwise None.

    Scraped URLs may be `javascript:`, `data:` or carry whitespace tricks; those are shown as
    text only.
    """
    if not isinstance(url, str) or not url or len(url) > HREF_MAX or _NO_LINK.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def status_label(status: object) -> str:
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return cap(status, 20)


def format_time(value: object) -> str:
    """An ISO timestamp as Beijing time (`2024-11-20 09:30:05 北京时间`); other text as is, capped."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        return cap(value, 40)
    if dt.tzinfo is None:
        return dt.strftime("%Y-%m-%d %H:%M:%S")
    return dt.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") + " 北京时间"


def format_date(value: object) -> str:
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return cap(value, 40)


def format_score(score: float | None) -> str:
    return "无法评分" if score is None else f"{score:.1f}"


def format_number(value: float) -> str:
    return f"{value:g}"


def grade_class(grade: str) -> str:
    if grade in ("优秀", "良好"):
        return "good"
    if grade == "合格":
        return "ok"
    if grade == "不合格":
        return "bad"
    return "none"


# ---------------------------------------------------------------- view objects


@dataclass
class EvidenceView:
    link: str | None
    url_text: str
    http_status: int | None
    fetched_at: str
    context: Markup | None
    found: str  # shown on its own only when it is not highlighted inside the context
    looked_for: str
    where: str
    note: str
    warc_record: str = ""  # the archived response's WARC-Record-ID, shown as 「存档」


def screenshot_href(name: object) -> str | None:
    """A link to a screenshot beside the scorecard: only `screenshots/<hex>.png`, nothing else."""
    if isinstance(name, str) and _SCREENSHOT.fullmatch(name):
        return name
    return None


def evidence_view(ev: Evidence) -> EvidenceView:
    in_context = bool(ev.context and ev.found and clean(ev.found) and clean(ev.found) in clean(ev.context))
    return EvidenceView(
        link=safe_href(ev.url),
        url_text=cap(ev.url, URL_CAP),
        http_status=ev.http_status,
        fetched_at=format_time(ev.fetched_at),
        context=highlight(ev.context, ev.found) if clean(ev.context) else None,
        found="" if in_context else cap(ev.found),
        looked_for=cap(ev.looked_for),
        where=cap(ev.where),
        note=cap(ev.note),
        warc_record=cap((ev.warc_record or "").strip("<>"), 80),
    )


# ---------------------------------------------------------------- waivers


WAIVER_LABELS = {"not_applicable": "不适用", "accepted": "认可"}


def waiver_label(status: object) -> str:
    return WAIVER_LABELS.get(str(status), cap(status, 20))


@dataclass
class WaiverRow:
    """One waiver of the site file, as the scorecard lists it, with what became of it."""

    waiver: Waiver
    scope: str
    state: str  # applied | expired | unmatched: also the row's CSS class
    state_label: str


def _waiver_scope(w: Waiver) -> str:
    parts = [f"清单 {cap(w.profile, 60)}" if w.profile else "所有清单"]
    if w.item:
        parts.append(f"第 {cap(w.item, 20)} 项")
    if w.check:
        parts.append(f"检查 {cap(w.check, 80)}")
    return " · ".join(parts)


def waiver_rows(waivers: list[Waiver]) -> list[WaiverRow]:
    rows = []
    for w in waivers:
        if w.expired:
            state, label = "expired", "已过期（未应用）"
        elif w.applied_to == 0:
            state, label = "unmatched", "未匹配（没有对应的事项或检查）"
        else:
            state, label = "applied", f"生效（应用于 {w.applied_to} 处）"
        rows.append(WaiverRow(w, _waiver_scope(w), state, label))
    return rows


# ---------------------------------------------------------------- items and profiles


NO_LEAD_UNIT = "未注明牵头单位"


class FilterKeys:
    """Short keys (`u1`, `g1`) for the unit and category filters, shared by every profile.

    Items carry the key, not the name, in a data attribute: scraped or not, names never go
    into attributes the script compares, and the <select> shows each name once.
    """

    def __init__(self) -> None:
        self.units: dict[str, str] = {}
        self.groups: dict[str, str] = {}

    def unit(self, name: str) -> str:
        return self.units.setdefault(name, f"u{len(self.units) + 1}")

    def group(self, name: str) -> str:
        return self.groups.setdefault(name, f"g{len(self.groups) + 1}")

    def options(self, which: dict[str, str]) -> list[tuple[str, str]]:
        return [(key, cap(name, 60)) for name, key in which.items()]


@dataclass
class ItemView:
    anchor: str
    item: ItemResult
    unit_key: str = ""
    group_key: str = ""
    change: str = ""  # newly_failing / newly_unknown / fixed: tagged on the item card

    @property
    def waived(self) -> bool:
        return self.item.waiver is not None or any(c.waiver is not None for c in self.item.checks)


@dataclass
class GroupView:
    name: str
    items: list[ItemView] = field(default_factory=list)


@dataclass
class UnitView:
    unit: str
    items: list[ItemView] = field(default_factory=list)


@dataclass
class ChangeView:
    change: Change
    anchor: str | None  # the item's card, when the item is still in this scan
    findings: list[str]  # check ids that fail now and did not before (capped)


@dataclass
class ChangeGroup:
    key: str  # newly_failing / fixed / still_failing / newly_unknown: also the CSS class
    title: str
    short: str
    changes: list[ChangeView]


@dataclass
class DiffView:
    old_when: str
    old_score: str
    new_score: str
    delta: str  # "↑ 5.0", "↓ 3.2", "持平", "" when either score is missing
    delta_class: str
    groups: list[ChangeGroup]  # only the non-empty ones

    @property
    def total(self) -> int:
        return sum(len(g.changes) for g in self.groups)

    def count(self, key: str) -> int:
        return next((len(g.changes) for g in self.groups if g.key == key), 0)


@dataclass
class ProfileView:
    profile: ProfileResult
    anchor: str
    counts: list[tuple[Status, int]]
    groups: list[GroupView]
    veto: list[ItemView]
    unknown: list[ItemView]  # items that could not be judged at all
    partly_unknown: list[ItemView]  # judged items with some checks that could not be
    by_unit: list[UnitView]  # failed or unknown items by 牵头单位: who must act
    checklist: list[tuple[ItemView, str]]  # lines a person must tick
    diff: DiffView | None = None
    trend: TrendChart | None = None
    history_note: str = ""  # said instead of (or beside) the diff and trend: first scan …


def _groups(views: list[ItemView]) -> list[GroupView]:
    """Groups in order of first appearance; ungrouped items last, under 其他."""
    by_name: dict[str, GroupView] = {}
    for v in views:
        name = v.item.group.strip() or UNGROUPED
        by_name.setdefault(name, GroupView(name)).items.append(v)
    groups = [g for name, g in by_name.items() if name != UNGROUPED]
    if UNGROUPED in by_name:
        groups.append(by_name[UNGROUPED])
    return groups


def _by_unit(views: list[ItemView]) -> list[UnitView]:
    units: dict[str, UnitView] = {}
    for v in views:
        if v.item.status in (Status.FAIL, Status.UNKNOWN):
            unit = v.item.lead_unit.strip() or NO_LEAD_UNIT
            units.setdefault(unit, UnitView(unit)).items.append(v)
    return list(units.values())


def _checklist(views: list[ItemView]) -> list[tuple[ItemView, str]]:
    lines = []
    for v in views:
        item = v.item
        if item.status == Status.MANUAL:
            lines.append((v, item.manual_reason or "需人工核查"))
        if item.manual_note:
            lines.append((v, item.manual_note))
        for c in item.checks:
            if c.status == Status.UNKNOWN:
                lines.append((v, f"{c.title}：{c.reason or '无法自动判断'}，请人工确认"))
    return lines


def profile_view(index: int, profile: ProfileResult, keys: FilterKeys | None = None,
                 diff: ProfileDiff | None = None) -> ProfileView:
    keys = keys or FilterKeys()
    anchor = f"p{index}"
    tagged = _change_tags(diff)
    views = [
        ItemView(f"{anchor}-i{n}", item,
                 unit_key=keys.unit(item.lead_unit.strip() or NO_LEAD_UNIT),
                 group_key=keys.group(item.group.strip() or UNGROUPED),
                 change=tagged.get(item.number, ""))
        for n, item in enumerate(profile.items, 1)
    ]
    return ProfileView(
        profile=profile,
        anchor=anchor,
        counts=[(s, getattr(profile.counts, _COUNT_FIELD[s])) for s in STATUS_ORDER],
        groups=_groups(views),
        veto=[v for v in views if v.item.veto],
        unknown=[v for v in views if v.item.status == Status.UNKNOWN],
        partly_unknown=[
            v for v in views
            if v.item.status != Status.UNKNOWN and any(c.status == Status.UNKNOWN for c in v.item.checks)
        ],
        by_unit=_by_unit(views),
        checklist=_checklist(views),
    )


# ---------------------------------------------------------------- changes since the last scan


# key → (heading, short label for the overview)
CHANGE_TITLES = {
    "newly_failing": ("新增未通过", "新增未通过"),
    "fixed": ("已整改（上次未通过，本次通过、不适用或已认可）", "已整改"),
    "still_failing": ("仍未通过", "仍未通过"),
    "newly_unknown": ("新增无法判断", "新增无法判断"),
}
CHANGE_TAGS = {"newly_failing": "本次新增未通过", "newly_unknown": "本次新增无法判断", "fixed": "本次已整改"}
FINDINGS_CAP = 20


def _change_tags(diff: ProfileDiff | None) -> dict[str, str]:
    if diff is None:
        return {}
    return {c.item: key for key in CHANGE_TAGS for c in getattr(diff, key)}


def _delta(old: float | None, new: float | None) -> tuple[str, str]:
    if old is None or new is None:
        return "", ""
    step = round(new - old, 1)
    if step > 0:
        return f"↑ {step:.1f}", "up"
    if step < 0:
        return f"↓ {-step:.1f}", "down"
    return "持平", "same"


def diff_view(diff: ProfileDiff, old_evaluated_at: str, anchors: dict[str, str]) -> DiffView:
    """`anchors`: item number → the item's card in this profile, to link each change to."""
    groups = []
    for key, (title, short) in CHANGE_TITLES.items():
        changes = [ChangeView(c, anchors.get(c.item), [cap(f, 80) for f in c.new_findings[:FINDINGS_CAP]])
                   for c in getattr(diff, key)]
        if changes:
            groups.append(ChangeGroup(key, title, short, changes))
    delta, delta_class = _delta(diff.old_score, diff.new_score)
    return DiffView(
        old_when=format_time(old_evaluated_at),
        old_score=format_score(diff.old_score),
        new_score=format_score(diff.new_score),
        delta=delta,
        delta_class=delta_class,
        groups=groups,
    )


# ---------------------------------------------------------------- trend chart (inline SVG)

# Chart geometry in SVG user units; the SVG scales to the page width (viewBox).
CHART_W, CHART_H = 640, 250
PLOT_L, PLOT_R = 44, 628
SCORE_TOP, SCORE_BOTTOM = 14, 114  # score 100 … 0
COUNT_TOP, COUNT_BOTTOM = 148, 216  # stacked pass / fail / unknown bars
LABEL_Y = 234
TREND_CAP = 60  # most recent scans drawn; nightly scans make this two months
X_LABELS = 6


@dataclass
class TrendRow:
    """One scan: a point of the chart and a row of its data table."""

    when: str
    day: str  # the scan date (as_of), the x-axis label
    score: float | None
    grade: str
    passed: int
    failed: int
    unknown: int
    manual: int
    scan_status: str
    current: bool = False

    @property
    def complete(self) -> bool:
        return self.scan_status == "complete"


@dataclass
class Dot:
    x: float
    y: float
    title: str
    complete: bool


@dataclass
class Bar:
    x: float
    width: float
    title: str
    segments: list[tuple[str, float, float]]  # (status class, y, height)


@dataclass
class TrendChart:
    rows: list[TrendRow]
    lines: list[str]  # polyline point lists; a scan without a score breaks the line
    dots: list[Dot]
    bars: list[Bar]
    x_labels: list[tuple[float, str]]
    score_ticks: list[tuple[float, str]]
    count_ticks: list[tuple[float, str]]
    omitted: int  # older scans not drawn (over TREND_CAP)
    width: int = CHART_W
    height: int = CHART_H
    plot_left: int = PLOT_L
    plot_right: int = PLOT_R
    label_y: int = LABEL_Y


def _trend_rows(points: list[TrendPoint], profile: ProfileResult, result: ScanResult) -> list[TrendRow]:
    rows = [
        TrendRow(when=format_time(p.evaluated_at), day=cap(p.as_of, 10), score=p.score, grade=cap(p.grade, 20),
                 passed=p.passed, failed=p.failed, unknown=p.unknown, manual=p.manual,
                 scan_status=cap(p.scan_status, 20), current=p.evaluated_at == result.evaluated_at)
        for p in points
    ]
    # The history may or may not have recorded this scan yet; the chart always ends with it.
    if not any(r.current for r in rows):
        c = profile.counts
        rows.append(TrendRow(when=format_time(result.evaluated_at), day=result.scan.as_of.isoformat(),
                             score=profile.score, grade=profile.grade, passed=c.pass_, failed=c.fail,
                             unknown=c.unknown, manual=c.manual, scan_status=result.scan.status, current=True))
    return rows


def _scaled(value: float, top: float, bottom: float, high: float) -> float:
    return round(bottom - (bottom - top) * (value / high if high else 0), 1)


def trend_chart(points: list[TrendPoint], profile: ProfileResult, result: ScanResult) -> TrendChart | None:
    """The chart of `points` (oldest first) plus this scan; None with fewer than two scans."""
    all_rows = _trend_rows(points, profile, result)
    if len(all_rows) < 2:
        return None
    rows = all_rows[-TREND_CAP:]
    n = len(rows)
    bar_w = min(22.0, (PLOT_R - PLOT_L) / n * 0.6)
    pad = max(bar_w / 2 + 4, 38.0)  # room for a full date label under the first and last bar
    step = (PLOT_R - PLOT_L - 2 * pad) / (n - 1)
    xs = [round(PLOT_L + pad + i * step, 1) for i in range(n)]
    high = max(max(r.passed + r.failed + r.unknown for r in rows), 1)

    lines, run, dots, bars = [], [], [], []
    for x, r in zip(xs, rows, strict=True):
        status = SCAN_STATUS_LABELS.get(r.scan_status, r.scan_status)
        title = f"{r.day}：{format_score(r.score)} {r.grade}（扫描{status}）"
        if r.score is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
        else:
            y = _scaled(r.score, SCORE_TOP, SCORE_BOTTOM, 100)
            run.append(f"{x},{y}")
            dots.append(Dot(x, y, title, r.complete))
        segments, base = [], float(COUNT_BOTTOM)
        for cls, value in (("pass", r.passed), ("fail", r.failed), ("unknown", r.unknown)):
            if value:
                top = _scaled(value, COUNT_TOP, COUNT_BOTTOM, high) - (COUNT_BOTTOM - base)
                segments.append((cls, round(top, 1), round(base - top, 1)))
                base = top
        bars.append(Bar(round(x - bar_w / 2, 1), round(bar_w, 1),
                        f"{r.day}：通过 {r.passed}，未通过 {r.failed}，无法判断 {r.unknown}", segments))
    if len(run) > 1:
        lines.append(" ".join(run))

    shown = sorted({round(i * (n - 1) / (X_LABELS - 1)) for i in range(X_LABELS)}) if n > X_LABELS else range(n)
    x_labels = [(xs[i], rows[i].day if i in (0, n - 1) else rows[i].day[5:]) for i in shown]
    return TrendChart(
        rows=rows,
        lines=lines,
        dots=dots,
        bars=bars,
        x_labels=x_labels,
        score_ticks=[(_scaled(v, SCORE_TOP, SCORE_BOTTOM, 100), str(v)) for v in (0, 50, 100)],
        count_ticks=[(float(COUNT_BOTTOM), "0"), (float(COUNT_TOP), str(high))],
        omitted=len(all_rows) - n,
    )


def _history(pv: ProfileView, result: ScanResult, diff: ScanDiff | None,
             trend: dict[str, list[TrendPoint]] | None, pdiff: ProfileDiff | None) -> None:
    """Fill in the profile's changes, trend and the note said when there is no history."""
    anchors = {v.item.number: v.anchor for g in pv.groups for v in g.items}
    points = (trend or {}).get(pv.profile.id, [])
    if pdiff is not None and diff is not None:
        pv.diff = diff_view(pdiff, diff.old_evaluated_at, anchors)
    pv.trend = trend_chart(points, pv.profile, result)
    if diff is None and not any(p.evaluated_at != result.evaluated_at for p in points):
        pv.history_note = "首次扫描：没有此前的扫描记录可以比较，变化与趋势从下次扫描起显示。"
    elif diff is not None and pdiff is None:
        pv.history_note = "上一次扫描未包含此任务清单，无法比较变化。"
    elif pv.trend is None:
        pv.history_note = "历史记录不足两次扫描，暂不绘制趋势图。"


# ---------------------------------------------------------------- summary and banner


@dataclass
class Banner:
    kind: str
    title: str
    text: str


def scan_banner(scan: ScanInfo) -> Banner | None:
    """The warning shown above everything when the crawl did not see the whole site."""
    reason = cap(scan.status_reason, LINE_CAP) if scan.status_reason else ""
    not_fail = "依赖未获取页面的检查记为“无法判断”，不计为“未通过”，也不计入得分，请人工确认。"
    if scan.status == "complete":
        # A crawl may call itself complete yet have run out of budget or been blocked on
        # some pages: the reader must still be told the site was not fully seen.
        missed = []
        if scan.budget_exhausted:
            missed.append("抓取预算已用尽")
        if scan.blocked:
            missed.append(f"{scan.blocked} 个页面被拦截")
        if not missed:
            return None
        return Banner("partial", "站点未被完整查看：" + "，".join(missed),
                      "部分页面未能获取，相关事项可能未被检查。" + not_fail)
    if scan.status == "unreachable":
        return Banner(
            "unreachable",
            "站点无法访问：" + (reason or "未能获取任何页面"),
            "本次扫描未能打开该站点，因此没有任何事项能够自动判断。下列“无法判断”不代表站点未达标，"
            "不计为“未通过”，也不计入得分；请确认站点可访问后重新扫描，或人工核查。",
        )
    if scan.status == "interrupted":
        return Banner("interrupted", "扫描被中断" + ("：" + reason if reason else ""),
                      "扫描未完成，站点只被部分抓取。" + not_fail)
    if scan.status == "partial":
        return Banner("partial", "扫描不完整" + ("：" + reason if reason else ""),
                      "部分页面未能获取（被拦截、超时或超出抓取预算），站点未被完整查看。" + not_fail)
    return Banner("other", "扫描状态：" + cap(scan.status, 40) + ("（" + reason + "）" if reason else ""),
                  "站点可能未被完整查看。" + not_fail)


@dataclass
class StatusFilter:
    id: str
    value: str  # the item class it keeps: `st-fail`, `waived`; "" keeps everything
    label: str


def status_filters(profiles: list[ProfileView]) -> list[StatusFilter]:
    filters = [StatusFilter("f-all", "", "全部")]
    filters += [StatusFilter(f"f-{s.value}", f"st-{s.value}", STATUS_LABELS[s])
                for s in (Status.FAIL, Status.UNKNOWN, Status.MANUAL, Status.PASS, Status.NOT_APPLICABLE)]
    if any(v.waived for pv in profiles for g in pv.groups for v in g.items):
        filters.append(StatusFilter("f-waived", "waived", "已豁免"))
    return filters


# ---------------------------------------------------------------- rendering


def _environment() -> Environment:
    # autoescape=True (not select_autoescape) so every template, whatever its extension
    # (`.html.j2`, `.css.j2`), escapes by default.
    env = Environment(
        loader=PackageLoader("checker.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cap=cap,
        label=status_label,
        when=format_time,
        day=format_date,
        score=format_score,
        num=format_number,
        grade_class=grade_class,
        evidence=evidence_view,
        href=safe_href,
        shot_href=screenshot_href,
        waiver_label=waiver_label,
    )
    env.globals.update(EVIDENCE_CAP=EVIDENCE_CAP, LINE_CAP=LINE_CAP, SCAN_STATUS_LABELS=SCAN_STATUS_LABELS,
                       CHANGE_TAGS=CHANGE_TAGS)
    return env


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def render_scorecard(result: ScanResult, screenshots: dict[str, str] | None = None, *,
                     diff: ScanDiff | None = None, trend: dict[str, list[TrendPoint]] | None = None) -> str:
    """The scorecard HTML for `result`. Deterministic: the same inputs give the same text.

    `screenshots` maps an evidence URL to its screenshot beside the scorecard
    (`screenshots/<sha1>.png`, see checker/crawl/screenshots.py); each is linked relatively.
    `diff` is the history's comparison with the previous scan of the site (None: no previous
    scan); `trend` maps a profile id to its past scans, oldest first (this scan is added
    when the history has not recorded it yet).
    """
    keys = FilterKeys()
    by_profile = {p.profile: p for p in diff.profiles} if diff else {}
    profiles = []
    for n, p in enumerate(result.profiles, 1):
        pdiff = by_profile.get(p.id)
        pv = profile_view(n, p, keys, pdiff)
        _history(pv, result, diff, trend, pdiff)
        profiles.append(pv)
    template = _env().get_template("scorecard.html.j2")
    return template.render(
        screenshots=screenshots or {},
        result=result,
        scan=result.scan,
        banner=scan_banner(result.scan),
        profiles=profiles,
        diff=diff,
        waivers=waiver_rows(result.waivers),
        status_filters=status_filters(profiles),
        unit_options=keys.options(keys.units),
        group_options=keys.options(keys.groups),
        csp=Markup(CSP),
        script=Markup(PAGE_SCRIPT),
    )


def write_scorecard(result: ScanResult, path: Path, screenshots: dict[str, str] | None = None, *,
                    diff: ScanDiff | None = None, trend: dict[str, list[TrendPoint]] | None = None) -> None:
    """Write the scorecard to `path` (UTF-8); replaces the file atomically."""
    html = render_scorecard(result, screenshots, diff=diff, trend=trend)
    _write_atomic(Path(path), html.encode("utf-8"))
