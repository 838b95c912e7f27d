"""Rule cases: every check's pass and fail examples, run as tiny sites through the real pipeline.

A case file (`rules/cases/<check-id>.yaml`) names one check and lists cases; each case is
a small site written as page specs. `run_case` renders the specs into the HTML a county
CMS serves (TRS: GBK bytes, gb2312 meta, `xxgk_list` lists, `xxgk_table` metadata,
`TRS_Editor` body; 大汉 JCMS: table layouts; or plain UTF-8), serves them to the REAL
crawler through an in-memory `httpx.MockTransport` (no sockets), writes a real snapshot
and evaluates the one check with the real engine. So a case exercises decoding, extraction,
locating and the kind together, the way a scan of a real portal does, and a change to any
of them that breaks a rule shows up as a failing case.

The format is documented for contributors in `rules/README.md` ("Cases"). Loading reports
problems with file, line and field, like the rule loader (`checker.engine.loader`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import httpx
import jinja2
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from checker.crawl.crawler import CrawlSettings, CrawlSummary, crawl
from checker.crawl.pages import is_binary
from checker.crawl.urls import normalize
from checker.results import CheckResult
from checker.site.snapshot import Snapshot

from .evaluate import evaluate
from .kinds import CheckDef
from .loader import Problem, _display, _plain, _read, _validation_problems, _yaml_files, locate_loc
from .rules import Item, Profile

CASE_HOST = "case.test"
BASE_URL = f"http://{CASE_HOST}/"
DEFAULT_AS_OF = dt.date(2026, 11, 21)
DEFAULT_SITE_NAME = "某某县人民政府"
EVALUATED_AT = "2026-11-21T00:00:00Z"
# TRS and 大汉 list pages cut long titles and keep the whole one in the title attribute.
TRUNCATE_TITLE_AT = 30

Expect = Literal["pass", "fail", "unknown", "not_applicable"]


class CaseError(ValueError):
    """A case that cannot be run as written (not a failure of the check under test)."""


def _texts(node: Any) -> Any:
    """Dates written unquoted (发布日期: 2024-03-01) are text as printed; as_of parses them back."""
    if isinstance(node, dict):
        return {k: _texts(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_texts(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


# -- the case file model --------------------------------------------------------------------------
class _Spec(BaseModel):
    # Numbers where text is meant (文号 2024, a year as a title) are taken as text.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def _dates_as_text(cls, data: Any) -> Any:
        # YAML reads an unquoted 2024-03-01 as a date; in a page it is text as printed
        # (as_of parses it back into a date).
        return _texts(data) if isinstance(data, dict) else data


def _item_shape(value: list[str]) -> list[str]:
    if len(value) not in (2, 3):
        raise ValueError("a list item is [title, href] or [title, href, date as printed]")
    if not value[0].strip() or not value[1].strip():
        raise ValueError("a list item needs a title and an href")
    return value


ItemSpec = Annotated[list[str], AfterValidator(_item_shape)]


class AttachmentSpec(_Spec):
    """An attachment served as a real file holding `text` (checker.engine.case_files)."""

    href: str = Field(min_length=1, description="Link target, ending in .pdf, .docx or .xlsx")
    text: str = Field(description="The file's text: lines are PDF lines, DOCX paragraphs, XLSX rows "
                                  "(tabs separate cells / DOCX table cells)")

    @field_validator("href")
    @classmethod
    def _href(cls, value: str) -> str:
        from .case_files import MAKERS

        ext = urlsplit(value).path.rsplit(".", 1)[-1].lower()
        if ext not in MAKERS:
            raise ValueError(f"an attachment with text must end in .{', .'.join(MAKERS)}, not {value!r}")
        return value

# What only a 200 HTML page built from specs can have.
_CONTENT_FIELDS = ("title", "crumb", "nav", "items", "empty", "meta", "body_html", "attachments", "links",
                   "footer", "search")


class PageSpec(_Spec):
    """One URL of the case site. Without `html` or a non-200 `status`, it is rendered in the
    site's style: the homepage (url `/`), a column list (`items` or `empty`), or an article
    (anything else: `title`, `meta`, `body`, `attachments`)."""

    url: str = Field(min_length=1, description="Path on the case site (/zwgk/), or an absolute URL on an extra host; "
                                               "ending in ?* it answers that path with any query string")
    status: int = Field(200, ge=100, le=599, description="HTTP status; non-200 pages are WAF/error pages")
    location: str | None = Field(None, description="Location header of a 3xx answer")
    title: str | None = Field(None, description="Article title (h1); the page <title> is title_站名")
    crumb: list[str] = Field([], description="Breadcrumb segments; the last one is the column name")
    nav: dict[str, str] | None = Field(None, description="Header navigation, anchor text -> href; default: the homepage's")
    items: list[ItemSpec] = Field([], description="List items [title, href, date as printed]")
    empty: bool = Field(False, description="A column page saying 暂无信息")
    meta: dict[str, str] = Field({}, description="Metadata table (索引号, 文号, 发布机构, 发布日期 …)")
    body: str | None = Field(None, description="Article text; blank lines separate paragraphs. For a non-200 page: its body")
    body_html: str | None = Field(None, description="HTML put inside the article container after the body (tables)")
    attachments: dict[str, str | AttachmentSpec] = Field(
        {}, description="Links in the article, name -> href (binary ones are served as placeholders) "
                        "or name -> {href, text} (served as a real PDF/DOCX/XLSX holding that text)")
    links: dict[str, str] = Field({}, description="Extra links: homepage footer, or a 相关链接 box on other pages")
    footer: str | None = Field(None, description="Footer text; default: the homepage's, else 主办单位：站名办公室")
    search: bool = Field(False, description="A header search form (action /search/, input searchword)")
    html: str | None = Field(None, description="The exact HTML served (UTF-8 source)")
    encoding: Literal["gbk", "utf-8"] | None = Field(None, description="Encoding of an `html`/`body` page")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("/", "http://", "https://")):
            raise ValueError("a page url is a path starting with / (or an absolute http URL on an extra host)")
        if normalize(value.removesuffix("?*"), BASE_URL) is None:
            raise ValueError(f"not a usable URL: {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PageSpec:
        given = [f for f in _CONTENT_FIELDS if f in self.model_fields_set]
        if self.html is not None and (given or self.body is not None):
            raise ValueError(f"`html` is the exact page served; it does not combine with {', '.join(given or ['body'])}")
        if self.status != 200 and given:
            raise ValueError(f"a page with status {self.status} is an error page: give `html` or `body` for what "
                             f"it answers, not {', '.join(given)}")
        if self.location is not None and not 300 <= self.status < 400:
            raise ValueError("`location` is for a 3xx status")
        if self.items and self.empty:
            raise ValueError("a column has `items` or is `empty`, not both")
        if self.encoding is not None and self.html is None and (self.status == 200 or self.body is None):
            raise ValueError("`encoding` is for an `html` page (or the `body` of a non-200 page); "
                             "rendered pages take the site's style")
        return self

    @property
    def is_home(self) -> bool:
        return _abs(self.url) == BASE_URL

    @property
    def layout(self) -> str:
        if self.is_home:
            return "home"
        return "list" if self.items or self.empty else "detail"


class SiteSpec(_Spec):
    style: Literal["trs", "dahan", "plain"] = Field("trs", description="trs (GBK) | dahan (大汉 JCMS, GBK) | plain (UTF-8)")
    name: str = Field(DEFAULT_SITE_NAME, min_length=1, description="Site name in the header and <title>")
    pages: list[PageSpec] = Field(min_length=1)
    robots: str | None = Field(None, description="robots.txt; default: none (everything allowed)")
    partial: bool | int = Field(False, description="true: crawl with max_pages one below the page count; "
                                                   "a number: that max_pages")
    extra_hosts: list[str] = Field([], description="Other hosts in the scan scope")

    @model_validator(mode="after")
    def _pages(self) -> SiteSpec:
        seen: dict[str, str] = {}
        hosts = {CASE_HOST, *(h.lower() for h in self.extra_hosts)}
        for page in self.pages:
            key = _abs(page.url.removesuffix("?*")) + ("?*" if page.url.endswith("?*") else "")
            if key in seen:
                raise ValueError(f"two pages have the url {page.url} (also written {seen[key]})")
            seen[key] = page.url
            host = urlsplit(_abs(page.url)).hostname or ""
            if host not in hosts:
                raise ValueError(f"{page.url}: host {host} is outside the scan scope (add it to extra_hosts)")
        if BASE_URL not in seen:
            raise ValueError("the site needs a homepage: a page with url /")
        if self.partial is not False and not isinstance(self.partial, bool) and self.partial < 1:
            raise ValueError("partial: true, or a max_pages of at least 1")
        return self


class Case(_Spec):
    name: str = Field(min_length=1, description="Short; says what the case shows")
    expect: Expect
    summary_contains: str | list[str] | None = Field(None, description="Text the summary must contain")
    evidence_contains: str | list[str] | None = Field(None, description="Text some evidence field must contain")
    as_of: dt.date = Field(DEFAULT_AS_OF, description="Scan date")
    site: SiteSpec


class CaseFile(_Spec):
    check: str = Field(min_length=1, description="Id of the check in rules/checks/")
    cases: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> CaseFile:
        seen: set[str] = set()
        for case in self.cases:
            if case.name in seen:
                raise ValueError(f"two cases are named {case.name!r}")
            seen.add(case.name)
        return self


@lru_cache(maxsize=4096)
def _abs(url: str) -> str:
    return normalize(url, BASE_URL) or url


# -- loading -----------------------------------------------------------------------------------------
@dataclass
class LoadedCases:
    """One valid case file, with where it and each case sit."""

    file: str  # display name, e.g. rules/cases/qzqd-not-blank.yaml
    path: Path
    check: str
    check_line: int | None
    cases: list[Case]
    case_lines: list[int | None] = field(default_factory=list)


def load_case_file(path: Path, *, base: Path | None = None,
                   problems: list[Problem] | None = None) -> LoadedCases | None:
    """A case file, or None when it is invalid (its problems, with file:line: field, go to `problems`)."""
    path = Path(path)
    name = _display(path, base or path.parent.parent.parent)
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (0, 0)
    loaded, found = _load_case_file(path, name, key)
    if problems is not None:
        problems.extend(found)
    return loaded


@lru_cache(maxsize=2048)
def _load_case_file(path: Path, name: str, _stamp: tuple[int, int]) -> tuple[LoadedCases | None, tuple[Problem, ...]]:
    # Cached per file version: round-trip YAML parsing is slow, and the test collection, lint
    # and the documentation read the same few hundred files in one process.
    problems: list[Problem] = []
    data = _read(path, name, problems)
    if data is None:
        return None, tuple(problems)
    if not isinstance(data, CommentedMap):
        problems.append(Problem(name, 1, "", "a case file is a mapping: check: <id>, cases: [...]"))
        return None, tuple(problems)
    try:
        parsed = CaseFile.model_validate(_plain(data))
    except ValidationError as exc:
        problems.extend(_case_level(problem, data) for problem in _validation_problems(exc, data, name))
        return None, tuple(problems)
    seq = data.get("cases")
    lines = [seq.lc.item(i)[0] + 1 if isinstance(seq, CommentedSeq) else None for i in range(len(parsed.cases))]
    return LoadedCases(name, path, parsed.check, data.lc.key("check")[0] + 1, parsed.cases, lines), ()


def _case_level(problem: Problem, data: CommentedMap) -> Problem:
    """A whole-file error (duplicate case names) pointed at the second case of that name."""
    m = re.search(r"two cases are named '(.+)'", problem.message)
    cases = data.get("cases")
    if not m or problem.field or not isinstance(cases, CommentedSeq):
        return problem
    seen = 0
    for i, case in enumerate(cases):
        if isinstance(case, CommentedMap) and str(case.get("name")) == m.group(1):
            seen += 1
            if seen == 2:
                line, path = locate_loc(data, ("cases", i, "name"))
                return Problem(problem.file, line, path, problem.message)
    return problem


def load_cases(directory: Path, *, base: Path | None = None,
               problems: list[Problem] | None = None) -> list[LoadedCases]:
    """Every valid case file in `directory`, in file-name order."""
    directory = Path(directory)
    out = []
    for path in _yaml_files(directory):
        loaded = load_case_file(path, base=base or directory.parent.parent, problems=problems)
        if loaded is not None:
            out.append(loaded)
    return out


def former_ids(checks: Mapping[str, CheckDef]) -> dict[str, str]:
    """Former id -> current check id, as evaluate() resolves them (first check id in sorted order wins)."""
    found: dict[str, str] = {}
    for check_id in sorted(checks):
        for alias in checks[check_id].aliases:
            if alias not in checks:
                found.setdefault(alias, check_id)
    return found


def case_problems(cases_dir: Path, checks: Mapping[str, CheckDef], check_sites: Mapping[str, tuple[str, int | None]],
                  *, base: Path) -> list[Problem]:
    """Lint for cases: invalid files, unknown checks, and checks without a pass and a fail case."""
    problems: list[Problem] = []
    aliases = former_ids(checks)
    expects: dict[str, set[str]] = {check_id: set() for check_id in checks}
    for loaded in load_cases(cases_dir, base=base, problems=problems):
        check_id = loaded.check
        if check_id not in checks:
            if check_id in aliases:
                problems.append(Problem(loaded.file, loaded.check_line, "check",
                                        f"{check_id!r} is a former id of check {aliases[check_id]!r}", "warning"))
                check_id = aliases[check_id]
            else:
                problems.append(Problem(loaded.file, loaded.check_line, "check", f"unknown check id {check_id!r}"))
                continue
        if loaded.path.stem != check_id:
            problems.append(Problem(loaded.file, loaded.check_line, "check",
                                    f"cases of {check_id!r} belong in {check_id}.yaml", "warning"))
        expects[check_id].update(case.expect for case in loaded.cases)
    for check_id, seen in expects.items():
        check = checks[check_id]
        missing = [e for e in ("pass", "fail") if e not in seen]
        if not missing or check.status == "deprecated":
            continue
        file, line = check_sites.get(check_id, ("", None))
        problems.append(Problem(file, line, "id", f"check {check_id!r} has no {' and no '.join(missing)} case "
                                                  f"(write them in rules/cases/{check_id}.yaml)"))
    return problems


# -- rendering -----------------------------------------------------------------------------------------
_TEMPLATES = Path(__file__).parent / "case_templates"
_CHARSET_DECLARED = re.compile(r"<meta[^>]+charset", re.IGNORECASE)
_BINARY_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword", "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "zip": "application/zip",
    "rar": "application/x-rar-compressed", "mp4": "video/mp4", "wps": "application/vnd.ms-works",
}


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@dataclass(frozen=True)
class Served:
    """One answer of the case site."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> httpx.Response:
        return httpx.Response(self.status, headers=[("content-type", self.content_type), *self.headers],
                              content=self.body)


def _encode(text: str, gbk: bool) -> bytes:
    # Characters outside GBK become character references, as GBK CMSs write them.
    return text.encode("gbk", "xmlcharrefreplace") if gbk else text.encode("utf-8")


def _spaced(label: str) -> str:
    """大汉 pages pad metadata labels: 索 引 号, 文　　号."""
    if len(label) == 3:
        return " ".join(label)
    if len(label) == 2:
        return f"{label[0]}\u3000\u3000{label[1]}"
    return label


def _paragraphs(body: str) -> list[list[str]]:
    """Blank lines separate paragraphs (<p>); the lines of one paragraph are kept apart by <br />."""
    paragraphs, current = [], []
    for line in body.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _relative_to_site(url: str) -> str:
    parts = urlsplit(url)
    if parts.hostname == CASE_HOST:
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return url


class _Renderer:
    def __init__(self, site: SiteSpec):
        self.site = site
        self.home = next(p for p in site.pages if p.is_home)
        self.gbk = site.style != "plain"
        self.home_nav = dict(self.home.nav or {})
        self.footer = self.home.footer or f"主办单位：{site.name}办公室"
        self.places = self._places()

    def _places(self) -> dict[str, str]:
        """Where each breadcrumb name leads: the column page that calls itself so, else a nav link."""
        places = {"首页": "/"}
        for page in self.site.pages:
            if page.layout == "list" and page.crumb and page.status == 200 and page.html is None:
                places.setdefault(page.crumb[-1], _relative_to_site(_abs(page.url)))
        for page in self.site.pages:
            for text, href in (page.nav or {}).items():
                target = normalize(href, _abs(page.url))
                if target:
                    places.setdefault(text, _relative_to_site(target))
        return places

    def _context(self, page: PageSpec) -> dict[str, Any]:
        site = self.site
        nav = page.nav if page.nav is not None else self.home_nav
        nav_items = [{"text": t, "href": h} for t, h in nav.items()]
        if not any(item["href"] in ("/", BASE_URL, "/index.html") or item["text"] == "首页" for item in nav_items):
            nav_items.insert(0, {"text": "首页", "href": "/"})
        layout = page.layout
        column = page.crumb[-1] if page.crumb else ""
        heading = page.title or ""
        sep = " - " if site.style == "dahan" else "_"
        if layout == "home":
            title_tag = site.name
        else:
            title_tag = sep.join(x for x in (heading or column, site.name) if x)
        items = []
        for entry in page.items:
            title, href = entry[0], entry[1]
            shown = title
            if site.style != "plain" and len(title) > TRUNCATE_TITLE_AT:
                shown = title[: TRUNCATE_TITLE_AT - 2] + "…"
            items.append({"title": title, "text": shown, "href": href, "date": entry[2] if len(entry) == 3 else ""})
        cells = [{"label": k, "label_spaced": _spaced(k), "value": v} for k, v in page.meta.items()]
        rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        return {
            "site": site.name,
            "p": {
                "kind": layout,
                "title_tag": title_tag,
                "column": column,
                "heading": heading,
                "nav": nav_items,
                "search": page.search,
                "crumb": [{"text": seg, "href": self.places.get(seg)} for seg in page.crumb],
                "entries": items,
                "empty": page.empty,
                "meta_rows": rows,
                "date": page.meta.get("发布日期") or page.meta.get("公开日期") or "",
                "source": page.meta.get("发布机构") or "",
                "paragraphs": _paragraphs(page.body or ""),
                "body_html": page.body_html or "",
                "attachments": [{"text": t, "href": h if isinstance(h, str) else h.href}
                                for t, h in page.attachments.items()],
                "links": [{"text": t, "href": h} for t, h in page.links.items()],
                "footer": page.footer or self.footer,
            },
        }

    def render(self, page: PageSpec) -> Served:
        headers: tuple[tuple[str, str], ...] = ()
        if page.location is not None:
            headers = (("location", page.location),)
        if page.html is not None or (page.status != 200 and page.body is not None):
            text = page.html if page.html is not None else page.body or ""
            gbk = (page.encoding or ("gbk" if self.gbk else "utf-8")) == "gbk"
            declared = bool(_CHARSET_DECLARED.search(text[:4096]))
            ctype = "text/html" if declared else f"text/html; charset={'GBK' if gbk else 'UTF-8'}"
            return Served(page.status, ctype, _encode(text, gbk), headers)
        if page.status in (401, 403, 412):
            body = _env().get_template("blocked.html.j2").render(status=page.status)
            return Served(page.status, "text/html; charset=utf-8", body.encode("utf-8"), headers)
        if page.status != 200:
            return Served(page.status, "text/html; charset=utf-8", _error_body(page.status), headers)
        html = _env().get_template(f"{self.site.style}.html.j2").render(**self._context(page))
        # TRS and 大汉 servers send no charset: the page's gb2312 meta is what a browser goes by.
        ctype = "text/html" if self.gbk else "text/html; charset=utf-8"
        return Served(200, ctype, _encode(html, self.gbk), headers)


@cache
def _error_body(status: int) -> bytes:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return _env().get_template("error.html.j2").render(status=status, reason=reason).encode("utf-8")


def _attachment(url: str, text: str | None = None) -> Served:
    ext = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    body = b"%PDF-1.4\n%case\n" if ext == "pdf" else b"case attachment\n"
    if text is not None:
        from .case_files import MAKERS

        body = MAKERS[ext](text)
    return Served(200, _BINARY_TYPES.get(ext, "application/octet-stream"), body)


@dataclass
class CaseSite:
    """The rendered case site: what each URL answers."""

    exact: dict[str, Served]
    any_query: dict[str, Served]  # path URL (no query) -> answer to that path with any query

    def answer(self, url: str) -> Served:
        key = normalize(url) or url
        if key in self.exact:
            return self.exact[key]
        bare = key.split("?", 1)[0]
        if bare in self.any_query:
            return self.any_query[bare]
        return Served(404, "text/html; charset=utf-8", _error_body(404))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(lambda request: self.answer(str(request.url)).response())


def render_site(site: SiteSpec) -> CaseSite:
    """Every page of the case site rendered, plus robots.txt and the attachments its pages link."""
    renderer = _Renderer(site)
    exact: dict[str, Served] = {}
    any_query: dict[str, Served] = {}
    for page in site.pages:
        if page.url.endswith("?*"):
            any_query[_abs(page.url[:-2]).split("?", 1)[0]] = renderer.render(page)
        else:
            exact[_abs(page.url)] = renderer.render(page)
    if site.robots is not None:
        exact.setdefault(f"{BASE_URL}robots.txt", Served(200, "text/plain; charset=utf-8", site.robots.encode()))
    for page in site.pages:
        for spec in page.attachments.values():
            target = normalize(spec if isinstance(spec, str) else spec.href, _abs(page.url))
            if target and is_binary(target) and target not in exact:
                exact[target] = _attachment(target, None if isinstance(spec, str) else spec.text)
    return CaseSite(exact, any_query)


# -- running -------------------------------------------------------------------------------------------------
def crawl_case(case: Case, snapshot_path: Path) -> CrawlSummary:
    """Crawl the case site with the real crawler into `snapshot_path`."""
    site = case.site
    if site.partial is True:
        max_pages = max(1, len(site.pages) - 1)
    elif site.partial is False:
        max_pages = 500
    else:
        max_pages = int(site.partial)
    settings = CrawlSettings(
        start_url=BASE_URL, extra_hosts=list(site.extra_hosts), max_pages=max_pages, max_depth=8,
        max_seconds=60.0, concurrency=4, delay=0.0, timeout=10.0, retries=0, obey_robots=True, as_of=case.as_of,
        parse_workers=0,  # a handful of pages: parsing in-process beats shipping them to workers
    )
    summary = asyncio.run(crawl(settings, snapshot_path, transport=render_site(site).transport()))
    if site.partial is not False and summary.status != "partial":
        raise CaseError(f"partial: the crawl was {summary.status} with max_pages={max_pages} "
                        f"({summary.status_reason}); give partial a smaller number")
    return summary


def case_profile(check: CheckDef) -> Profile:
    """A one-item profile that runs `check`, so the case goes through evaluate() like a scan."""
    item = Item(number="1", name=check.title, content=check.description or check.title, checks=[check.id])
    return Profile(id="case", title=f"cases of {check.id}", source="rules/cases", items=[item])


def _scratch_dir() -> str | None:
    """Memory-backed /dev/shm where there is one: a snapshot is created, written and deleted per
    case, and on a disk the SQLite file creation and syncs cost more than the whole crawl."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def run_case(check: CheckDef, case: Case, *, keep: Path | None = None) -> CheckResult:
    """The check's result on the case site. `keep`: a folder to leave the snapshot in (debugging)."""
    with tempfile.TemporaryDirectory(prefix="case-", dir=_scratch_dir()) as tmp:
        folder = Path(keep) if keep is not None else Path(tmp)
        path = folder / "snapshot.sqlite"
        crawl_case(case, path)
        with Snapshot(path) as snap:
            result = evaluate(snap, [case_profile(check)], {check.id: check}, evaluated_at=EVALUATED_AT)
    return result.profiles[0].items[0].checks[0]


def _wanted(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _evidence_texts(result: CheckResult) -> Iterable[str]:
    for ev in result.evidence:
        for value in ev.model_dump().values():
            if value is not None:
                yield str(value)


def mismatches(case: Case, result: CheckResult) -> list[str]:
    """How the result differs from what the case expects ([] when it matches)."""
    out = []
    if result.status.value != case.expect:
        out.append(f"status is {result.status.value}, expected {case.expect}")
    for text in _wanted(case.summary_contains):
        if text not in result.summary:
            out.append(f"summary does not contain {text!r}")
    evidence = list(_evidence_texts(result))
    for text in _wanted(case.evidence_contains):
        if not any(text in value for value in evidence):
            out.append(f"no evidence field contains {text!r}")
    return out


def describe_result(result: CheckResult) -> str:
    """The result as a reader of a failing case needs it: status, summary, reason, evidence."""
    lines = [f"status: {result.status.value}", f"summary: {result.summary}"]
    if result.reason:
        lines.append(f"reason: {result.reason}")
    for i, ev in enumerate(result.evidence):
        fields = {k: v for k, v in ev.model_dump().items() if v is not None and k != "fetched_at"}
        lines.append(f"evidence[{i}]: {fields}")
    return "\n".join(lines)
