"""robots.txt, read once per origin and obeyed (unless an auditor says otherwise).

When robots.txt cannot be read we allow everything and keep a note, which the crawler
stores in the snapshot. Google treats 5xx as "disallow all" for a while; we do not,
because a scan is one short visit and a county portal whose robots.txt errors out would
otherwise look empty, turning every check into unknown for a server fault unrelated to
crawling. 401/403 on robots.txt are treated the same way (allow, with a note): on
government portals they come from WAFs and misconfigured servers far more often than
from an intent to keep robots out, and the pages themselves will still answer 403 if
they are really closed, which the crawl then reports as blocked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

from .fetch import ROBOT_NAME, FetchResult

# Google reads the first 500 KiB of a robots.txt and ignores the rest.
MAX_ROBOTS_BYTES = 500 * 1024
# A Crawl-delay above this would stall a scan for hours; we cap it and say so.
MAX_CRAWL_DELAY = 30.0

FetchFn = Callable[[str], Awaitable[FetchResult]]


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: robots.txt applies per origin (RFC 9309)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    """Fetches each origin's /robots.txt once, through the crawl's own fetcher."""

    def __init__(self, fetch: FetchFn, *, obey: bool = True, robot_name: str = ROBOT_NAME):
        self._fetch = fetch
        self.obey = obey
        self.robot_name = robot_name
        self._rules: dict[str, Protego | None] = {}  # None = allow all
        self._loading: dict[str, asyncio.Task[None]] = {}
        self.notes: list[str] = []

    async def load(self, url: str) -> None:
        """Make sure the robots.txt for `url`'s origin has been read (once, even when many
        workers ask at the same time)."""
        if not self.obey:
            return
        key = origin(url)
        if key in self._rules:
            return
        task = self._loading.get(key)
        if task is None:
            task = self._loading[key] = asyncio.ensure_future(self._load(key))
        await asyncio.shield(task)

    async def _load(self, key: str) -> None:
        robots_url = f"{key}/robots.txt"
        result = await self._fetch(robots_url)
        self._rules[key] = self._interpret(robots_url, result)

    def _interpret(self, robots_url: str, result: FetchResult) -> Protego | None:
        if result.ok and result.status is not None and 200 <= result.status < 300:
            text = result.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
            try:
                return Protego.parse(text)
            except Exception as exc:  # hostile input must not stop the scan
                self.notes.append(f"{robots_url}: unparseable ({type(exc).__name__}); all URLs allowed")
                return None
        if result.redirect_to:
            self.notes.append(f"{robots_url}: redirects out of scope to {result.redirect_to}; all URLs allowed")
        elif result.status in (404, 410):
            pass  # no robots.txt: everything is allowed, nothing worth noting
        elif result.status is not None:
            self.notes.append(f"{robots_url}: HTTP {result.status}; all URLs allowed")
        else:
            self.notes.append(f"{robots_url}: {result.error_kind} ({result.error}); all URLs allowed")
        return None

    async def allowed(self, url: str) -> bool:
        if not self.obey:
            return True
        await self.load(url)
        return self.allowed_now(url)

    def allowed_now(self, url: str) -> bool:
        """Answer from what is already loaded; URLs of origins not loaded yet are allowed."""
        if not self.obey:
            return True
        rules = self._rules.get(origin(url))
        return rules is None or rules.can_fetch(url, self.robot_name)

    def crawl_delay(self, url: str) -> float | None:
        """Crawl-delay for `url`'s origin (a URL or bare `host[:port]`), capped; None if unset."""
        if not self.obey:
            return None
        if "://" in url:
            candidates = [self._rules.get(origin(url))]
        else:
            candidates = [r for k, r in self._rules.items() if urlsplit(k).netloc == url.lower()]
        delays = [d for r in candidates if r is not None and (d := r.crawl_delay(self.robot_name)) is not None]
        if not delays:
            return None
        delay = max(delays)
        if delay > MAX_CRAWL_DELAY:
            note = f"Crawl-delay {delay:g}s for {url} capped at {MAX_CRAWL_DELAY:g}s"
            if note not in self.notes:
                self.notes.append(note)
            return MAX_CRAWL_DELAY
        return delay
