"""Launching Debian's Chromium through Playwright, the one way the project does it.

Playwright must never download a browser: the project installs Debian's `chromium`
(debian-packages.txt) and launches it by path. The flags stop Chromium from reaching for
the network on its own (component updates, sync, background fetches): on a machine with
a closed network it otherwise stalls at start.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")


class BrowserUnavailable(RuntimeError):
    """No usable Chromium (or Playwright) on this machine: rendering is skipped, and said so."""


def chromium_path() -> str:
    """The Chromium to launch: $CHECKER_CHROMIUM, else Debian's."""
    explicit = os.environ.get("CHECKER_CHROMIUM")
    for path in ([explicit] if explicit else []) + list(CANDIDATES):
        if path and os.path.exists(path):
            return path
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    raise BrowserUnavailable("Chromium not found: install Debian's chromium (./dev setup does) or set CHECKER_CHROMIUM")


@asynccontextmanager
async def launch(*, user_agent: str | None = None) -> AsyncIterator[object]:
    """An async Playwright browser *context* (cookies shared across its pages), closed on exit."""
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dependency
        raise BrowserUnavailable(f"playwright is not installed: {exc}") from exc
    path = chromium_path()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=path, headless=True, args=list(CHROMIUM_FLAGS))
        try:
            context = await browser.new_context(user_agent=user_agent, locale="zh-CN", ignore_https_errors=True)
            try:
                yield context
            finally:
                await context.close()
        finally:
            await browser.close()
