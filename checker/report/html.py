"""The HTML scorecard: one self-contained page, in Chinese, rendered from a ScanResult.

Everything the page needs is inline (styles, a few lines of script), so it opens offline,
can be mailed as one file and never makes a request of its own; a Content-Security-Policy
meta tag backs that up. All scraped text goes through jinja2 autoescaping; the filters here
also cap it, strip invisible control characters, and only ever make http(s) URLs clickable.

Template logic stays small: grouping, veto/unknown lists and the 牵头单位 view are built
here as plain view objects, so the template only lays them out.
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

from checker.report.json_report import _write_atomic
from checker.results import STATUS_LABELS, Evidence, ItemResult, ProfileResult, ScanInfo, ScanResult, Status

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

# Opens every <details> for printing and restores them afterwards. Browsers ignore a CSS
# request to show closed <details> content, so this is the one thing that needs script; the
# page reads fully without it.
PRINT_SCRIPT = (
    "(function(){var opened=[];"
    "addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details:not([open])').forEach(function(d){d.open=true;opened.push(d);});});"
    "addEventListener('afterprint',function(){"
    "opened.forEach(function(d){d.open=false;});opened=[];});})();"
)
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(PRINT_SCRIPT.encode()).digest()).decode()
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


@dataclass
class ItemView:
    anchor: str
    item: ItemResult


@dataclass
class GroupView:
    name: str
    items: list[ItemView] = field(default_factory=list)


@dataclass
class UnitView:
    unit: str
    items: list[ItemView] = field(default_factory=list)


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
            unit = v.item.lead_unit.strip() or "未注明牵头单位"
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


def profile_view(index: int, profile: ProfileResult) -> ProfileView:
    anchor = f"p{index}"
    views = [ItemView(f"{anchor}-i{n}", item) for n, item in enumerate(profile.items, 1)]
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
        return None
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
    )
    env.globals.update(EVIDENCE_CAP=EVIDENCE_CAP, LINE_CAP=LINE_CAP, SCAN_STATUS_LABELS=SCAN_STATUS_LABELS)
    return env


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def render_scorecard(result: ScanResult, screenshots: dict[str, str] | None = None) -> str:
    """The scorecard HTML for `result`. Deterministic: the same model gives the same text.

    `screenshots` maps an evidence URL to its screenshot beside the scorecard
    (`screenshots/<sha1>.png`, see checker/crawl/screenshots.py); each is linked relatively.
    """
    template = _env().get_template("scorecard.html.j2")
    return template.render(
        screenshots=screenshots or {},
        result=result,
        scan=result.scan,
        banner=scan_banner(result.scan),
        profiles=[profile_view(n, p) for n, p in enumerate(result.profiles, 1)],
        csp=Markup(CSP),
        script=Markup(PRINT_SCRIPT),
    )


def write_scorecard(result: ScanResult, path: Path, screenshots: dict[str, str] | None = None) -> None:
    """Write the scorecard to `path` (UTF-8); replaces the file atomically."""
    _write_atomic(Path(path), render_scorecard(result, screenshots).encode("utf-8"))
