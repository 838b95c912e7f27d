"""Rendering pages in Chromium when their HTML is not what a person sees.

One browser for the whole crawl, started on first use (`checker.crawl.browser.launch`)
and closed at the end; at most `budget` renders per scan. Used for:

- pages whose list is drawn by script (template markers, XHR calls, an empty list);
- pages the site settings ask for (`render: always`, `render_urls` globs);
- one retry of a page answered with a JavaScript challenge (412 瑞数-style, 403/405/521
  WAF pages): the challenge script sets its cookie and reloads, as in a person's browser.

While a page renders, JSON answers that look like list data (an array of objects with
title/url/date-like fields) are recorded as endpoints, so sibling list pages can be read
from the endpoint directly instead of rendering each. A machine without Chromium gets
`unavailable` set once and every render answers None: the crawl goes on unrendered.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import re
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from ..site.records import Link, ListItem
from . import cms
from .browser import launch
from .dates import parse_date
from .fetch import FetchResult, challenge_marker
from .urls import normalize, url_pattern

RENDER_MODES = ("auto", "always", "never")
DEFAULT_BUDGET = 200
MAX_JSON_BYTES = 2_000_000
MAX_ENDPOINTS = 20
_BLOCKED_RESOURCES = frozenset({"image", "media", "font"})

_TITLE_KEY = re.compile(r"title|^name$|^bt$|subject|标题|biaoti", re.I)
_URL_KEY = re.compile(r"url|link|href|^path$|^id$", re.I)
_DATE_KEY = re.compile(r"date|time|pub|^rq$|fbrq|created|publish|日期|时间", re.I)


def matches_any(url: str, patterns: list[str] | tuple[str, ...]) -> bool:
    return any(fnmatchcase(url, p) for p in patterns)


def json_records(data: object, *, depth: int = 0) -> list[dict]:
    """The list of item-like objects in a JSON answer ([] when it holds none).

    An item has a title-like string field and a URL- or date-like field; the largest such
    array anywhere in the first four levels wins.
    """
    best: list[dict] = []
    if depth > 4:
        return best
    if isinstance(data, list):
        objs = [d for d in data[:2000] if isinstance(d, dict)]
        good = [d for d in objs if _item_like(d)]
        if good and len(good) * 2 >= len(objs):
            best = good
        for d in data[:50]:
            if isinstance(d, dict | list):
                sub = json_records(d, depth=depth + 1)
                if len(sub) > len(best):
                    best = sub
    elif isinstance(data, dict):
        for v in list(data.values())[:100]:
            if isinstance(v, dict | list):
                sub = json_records(v, depth=depth + 1)
                if len(sub) > len(best):
                    best = sub
    return best


def _item_like(d: dict) -> bool:
    keys = [k for k in d if isinstance(k, str)]
    has_title = any(_TITLE_KEY.search(k) and isinstance(d[k], str) and d[k].strip() for k in keys)
    return has_title and any(_URL_KEY.search(k) or _DATE_KEY.search(k) for k in keys)


def record_fields(d: dict) -> tuple[str, str, str]:
    """(title, url, date text) of one JSON item."""

    def pick(pattern: re.Pattern, prefer: tuple[str, ...]) -> str:
        keys = [k for k in d if isinstance(k, str) and pattern.search(k) and isinstance(d[k], str | int)]
        keys.sort(key=lambda k: (k.lower() not in prefer, len(k)))
        return str(d[keys[0]]).strip() if keys else ""

    return (pick(_TITLE_KEY, ("title", "doctitle")), pick(_URL_KEY, ("url", "link", "docpuburl", "href")),
            pick(_DATE_KEY, ("date", "pubdate", "publishdate", "docreltime")))


@dataclass
class Rendered:
    url: str
    final_url: str = ""
    status: int | None = None  # of the last main-frame navigation
    html: str = ""
    endpoints: list[tuple[str, int]] = field(default_factory=list)  # (JSON list-data URL, items)
    cookies: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.html) and self.status is not None and self.status < 400


class _StillBlocked(Exception):
    pass


class Renderer:
    """The crawl's one browser, lazily started; `render` never raises."""

    def __init__(self, *, budget: int = DEFAULT_BUDGET, timeout: float = 20.0, concurrency: int = 2,
                 user_agent: str | None = None, settle: float = 1.5):
        self.budget, self.used = max(0, budget), 0
        self.timeout, self.settle = timeout, settle
        self.user_agent = user_agent
        self.unavailable: str | None = None
        self._stack: contextlib.AsyncExitStack | None = None
        self._context = None
        self._start_lock = asyncio.Lock()
        self._sem = asyncio.Semaphore(max(1, concurrency))

    @property
    def started(self) -> bool:
        return self._context is not None

    def can_render(self) -> bool:
        return self.unavailable is None and self.used < self.budget

    async def _ctx(self):
        async with self._start_lock:
            if self._context is None and self.unavailable is None:
                stack = contextlib.AsyncExitStack()
                try:
                    self._context = await stack.enter_async_context(launch(user_agent=self.user_agent))
                    self._stack = stack
                except Exception as exc:  # no Chromium, broken Playwright: render nothing, say why
                    self.unavailable = f"browser unavailable: {type(exc).__name__}: {exc}"[:300]
                    with contextlib.suppress(Exception):
                        await stack.aclose()
            return self._context

    async def aclose(self) -> None:
        if self._stack is not None:
            with contextlib.suppress(Exception):
                await self._stack.aclose()
        self._stack = self._context = None

    async def render(self, url: str, *, challenge: bool = False) -> Rendered | None:
        """Load `url` in the browser and return its DOM; None when no render is possible
        (budget spent, no browser). With `challenge`, wait for the page's script to set
        its cookie and reload until a main-frame answer below 400 arrives."""
        if not self.can_render():
            return None
        self.used += 1
        ctx = await self._ctx()
        if ctx is None:
            return None
        async with self._sem:
            return await self._render(ctx, url, challenge)

    async def _render(self, ctx, url: str, challenge: bool) -> Rendered:
        started = time.monotonic()
        out = Rendered(url)
        pending: list[asyncio.Task] = []
        navigations = [0]
        page = await ctx.new_page()

        def on_response(resp) -> None:
            try:
                req = resp.request
                if req.is_navigation_request() and resp.frame == page.main_frame:
                    out.status, out.final_url = resp.status, resp.url
                    navigations[0] += 1
                elif req.resource_type in ("xhr", "fetch") and len(out.endpoints) < MAX_ENDPOINTS:
                    pending.append(asyncio.ensure_future(self._inspect(resp, out)))
            except Exception:  # a closing page: nothing to learn from this answer
                pass

        async def route(r) -> None:
            if r.request.resource_type in _BLOCKED_RESOURCES:
                await r.abort()
            else:
                await r.continue_()

        page.on("response", on_response)
        try:
            await page.route("**/*", route)
            ms = self.timeout * 1000
            try:
                await page.goto(url, wait_until="load", timeout=ms)
            except Exception as exc:
                # A challenge reloading mid-navigation interrupts goto; the poll below decides.
                if not challenge:
                    raise
                out.error = f"{type(exc).__name__}: {exc}"[:300]
            deadline = started + self.timeout
            if not challenge:
                with contextlib.suppress(Exception):
                    await page.wait_for_load_state("networkidle", timeout=self.settle * 1000)
            else:
                # Until a real answer arrives, or the page stops navigating (a challenge that
                # does not pass just sits there).
                while (out.status is None or out.status >= 400) and time.monotonic() < deadline:
                    before = navigations[0]
                    await asyncio.sleep(self.settle / 2)
                    if navigations[0] == before:
                        break
                if out.status is None or out.status >= 400:
                    raise _StillBlocked(f"the browser got HTTP {out.status}")
                with contextlib.suppress(Exception):
                    await page.wait_for_load_state("load", timeout=max(1.0, deadline - time.monotonic()) * 1000)
                with contextlib.suppress(Exception):
                    await page.wait_for_load_state("networkidle", timeout=self.settle * 1000)
            out.error = None
            for _ in range(3):  # content() fails while a navigation replaces the document
                try:
                    out.html = await page.content()
                    break
                except Exception as exc:
                    out.error = f"{type(exc).__name__}: {exc}"[:300]
                    await asyncio.sleep(0.2)
            else:
                return out
            out.error = None
            if pending:
                await asyncio.wait(pending, timeout=2.0)
            out.cookies = await ctx.cookies()
            out.final_url = out.final_url or page.url
        except _StillBlocked as exc:
            out.error = str(exc)
        except Exception as exc:
            out.error = f"render failed: {type(exc).__name__}: {exc}"[:300]
        finally:
            for t in pending:
                t.cancel()
            with contextlib.suppress(Exception):
                await page.close()
            out.seconds = time.monotonic() - started
        return out

    @staticmethod
    async def _inspect(resp, out: Rendered) -> None:
        try:
            if resp.status >= 400:
                return
            ctype = (await resp.all_headers()).get("content-type", "")
            body = await resp.body()
            if len(body) > MAX_JSON_BYTES:
                return
            head = body.lstrip()[:1]
            if "json" not in ctype and head not in (b"{", b"["):
                return
            records = json_records(json.loads(body))
            if records:
                out.endpoints.append((resp.url, len(records)))
        except Exception:  # an answer we cannot read is not list data
            return


# ---------------------------------------------------------------- the crawl's use of it

CHALLENGE_STATUSES = frozenset({403, 405, 521})
PASSED_NOTE = "passed a JavaScript challenge in a browser"
STILL_BLOCKED = "still blocked after a browser retry"


class RenderStage:
    """What the crawl loop asks of rendering: whether a page needs it, the rendered
    record, one browser retry of a challenged URL, and JSON endpoints learned on the way.

    `to_page(item, FetchResult, fetched_at)` is the crawler's own page builder, so a
    rendered DOM is decoded and extracted exactly like fetched HTML.
    """

    def __init__(self, mode: str, patterns: list[str], renderer: Renderer, *, writer=None, fetcher=None,
                 disabled: str | None = None):
        if mode not in RENDER_MODES:
            raise ValueError(f"render mode must be one of {RENDER_MODES}, not {mode!r}")
        self.mode, self.patterns, self.renderer = mode, list(patterns), renderer
        self.writer, self.fetcher = writer, fetcher
        self.disabled = disabled  # why no browser is used at all (in-memory transport)
        self.rendered = self.challenges_passed = self.challenges_failed = self.from_endpoints = 0
        self.templates: dict[str, tuple[str, int, str]] = {}  # url pattern -> (template, digit run, source)

    # -- decisions ------------------------------------------------------------------------
    def wants(self, url: str, page, body: bytes) -> str | None:
        """Why `page` (just extracted from `body`) should be rendered, or None."""
        if self.mode == "never" or self.disabled or not page.encoding:
            return None
        if self.patterns and matches_any(url, self.patterns):
            return "render_urls setting"
        if self.mode == "always":
            return "render: always"
        if page.kind == "detail" or (page.list_items and not page.empty_list):
            return None
        if "loaded by script" in page.problem:
            return "extraction: loaded by script"
        marker = cms.script_fill_marker(body.decode("latin-1"))
        return f"no list in the HTML, and script that fills pages ({marker})" if marker else None

    def challenged(self, res) -> bool:
        if self.mode == "never" or self.disabled or res.error_kind != "blocked" or res.status is None:
            return False
        # Only a page with script can be a JavaScript challenge: a WAF's plain refusal page
        # answers a browser the same way, so it is not worth one.
        if b"<script" not in res.body[:200_000].lower():
            return False
        return res.status == 412 or (res.status in CHALLENGE_STATUSES and challenge_marker(res.body) is not None)

    # -- rendering a fetched page ---------------------------------------------------------------
    async def after_fetch(self, crawl, item, res, page, fetched_at: str):
        """The page to store: `page` itself, or its rendered (or endpoint-read) version."""
        why = self.wants(item.url, page, res.body)
        if why is None:
            return page
        via_endpoint = await self._from_endpoint(item, page)
        if via_endpoint is not None:
            return via_endpoint
        rr = await self.renderer.render(item.url)
        if rr is None:
            reason = self.renderer.unavailable or f"render budget of {self.renderer.budget} spent"
            return dataclasses.replace(page, problem=_join(page.problem, f"not rendered ({why}): {reason}"))
        if not rr.ok:
            return dataclasses.replace(page, problem=_join(page.problem, f"render failed ({why}): "
                                                                        f"{rr.error or f'HTTP {rr.status}'}"))
        new = self._page_from(crawl, item, rr, fetched_at)
        self.rendered += 1
        self._learn(item.url, rr)
        raw = f"raw HTML: {page.kind}, {len(page.list_items)} list items, {len(page.links)} links"
        return dataclasses.replace(new, rendered=True, problem=_join(
            new.problem, f"rendered in a browser ({why}; {raw}; rendered: {len(new.list_items)} list items, "
                         f"{len(new.links)} links)"))

    def _page_from(self, crawl, item, rr: Rendered, fetched_at: str):
        body = rr.html.encode("utf-8")
        fake = FetchResult(item.url, rr.final_url or item.url, rr.status,
                           {"content-type": "text/html; charset=utf-8"}, body)
        return crawl.to_page(item, fake, fetched_at)

    # -- challenges ---------------------------------------------------------------------------------
    @staticmethod
    def still_blocked(why: str) -> str:
        return f"{STILL_BLOCKED} ({why})"[:400]

    async def pass_challenge(self, crawl, item, res, fetched_at: str):
        """(page, None) when the browser got past the challenge, else (None, why not)."""
        rr = await self.renderer.render(item.url, challenge=True)
        if rr is None:
            self.challenges_failed += 1
            return None, self.renderer.unavailable or f"render budget of {self.renderer.budget} spent"
        if not rr.ok or challenge_marker(rr.html.encode("utf-8"), strong_only=True):
            self.challenges_failed += 1
            return None, rr.error or f"the browser got HTTP {rr.status}"
        page = self._page_from(crawl, item, rr, fetched_at)
        self.challenges_passed += 1
        if self.fetcher is not None:
            copy_cookies(rr.cookies, self.fetcher)
        return dataclasses.replace(page, rendered=True, problem=_join(
            page.problem, f"{PASSED_NOTE} (plain fetch: HTTP {res.status})")), None

    # -- JSON endpoints ---------------------------------------------------------------------------
    def _learn(self, url: str, rr: Rendered) -> None:
        pattern = url_pattern(url)
        for ep, n in rr.endpoints:
            if self.writer is not None and hasattr(self.writer, "add_endpoint"):
                self.writer.add_endpoint(ep, url, n, pattern)
            tpl = endpoint_template(url, ep)
            if tpl is not None and pattern not in self.templates:
                self.templates[pattern] = (*tpl, url)

    async def _from_endpoint(self, item, page):
        tpl = self.templates.get(url_pattern(item.url))
        if tpl is None or self.fetcher is None:
            return None
        template, run, source = tpl
        ep = fill_template(template, run, item.url)
        if ep is None:
            return None
        res = await self.fetcher.fetch(ep)
        if not res.ok:
            return None
        try:
            records = json_records(json.loads(res.body))
        except (ValueError, UnicodeDecodeError):
            return None
        items = json_list_items(records, ep, today=None)
        if not items:
            return None
        self.from_endpoints += 1
        if self.writer is not None and hasattr(self.writer, "add_endpoint"):
            self.writer.add_endpoint(ep, item.url, len(items), url_pattern(item.url))
        links = tuple(Link(i.url, i.title, "list", True) for i in items)
        return dataclasses.replace(
            page, kind="list", list_items=tuple(items), empty_list=False, links=page.links + links,
            problem=_join(page.problem, f"list items read from the JSON endpoint {ep[:300]} "
                                        f"(learned by rendering {source[:300]})"))

    def summary(self) -> dict:
        return {"mode": self.mode, "render_urls": self.patterns, "budget": self.renderer.budget,
                "used": self.renderer.used, "rendered": self.rendered, "from_endpoints": self.from_endpoints,
                "challenges_passed": self.challenges_passed, "challenges_failed": self.challenges_failed,
                "unavailable": self.disabled or self.renderer.unavailable or ""}


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


_DIGITS = re.compile(r"\d+")


def _path_query(url: str) -> str:
    p = urlsplit(url)
    return p.path + ("?" + p.query if p.query else "")


def endpoint_template(page_url: str, endpoint: str) -> tuple[str, int] | None:
    """How an endpoint follows from its page's URL: the page's digit run (column id) that
    the endpoint repeats. None when none does: the endpoint then is not per column."""
    for i, m in enumerate(_DIGITS.finditer(_path_query(page_url))):
        run = m.group(0)
        if len(run) < 2:
            continue
        hit = re.search(rf"(?<!\d){run}(?!\d)", endpoint)
        if hit:
            return endpoint[: hit.start()] + "{id}" + endpoint[hit.end():], i
    return None


def fill_template(template: str, run: int, page_url: str) -> str | None:
    runs = _DIGITS.findall(_path_query(page_url))
    return template.replace("{id}", runs[run]) if run < len(runs) else None


def json_list_items(records: list[dict], base: str, today=None) -> list[ListItem]:
    out: list[ListItem] = []
    for d in records[:1000]:
        title, link, when = record_fields(d)
        url = normalize(link, base) if link and not link.isdigit() else None
        if not title or url is None:
            continue
        day, raw = parse_date(when, today=today) if when else (None, "")
        out.append(ListItem(title[:300], url, day, (raw or when)[:40]))
    return out


def copy_cookies(cookies: list[dict], fetcher) -> None:
    """The browser's cookies (a passed challenge's clearance) into the plain fetcher, so the
    rest of the host is fetched without a browser."""
    for client in (fetcher.client, getattr(fetcher, "_lenient", None)):
        if client is None:
            continue
        for ck in cookies:
            try:
                client.cookies.set(ck["name"], ck["value"], domain=ck.get("domain", ""), path=ck.get("path", "/"))
            except Exception:  # a malformed cookie is one cookie lost
                continue
