"""Browser tests skip only when Chromium (or Playwright) is truly absent, and say so."""

from __future__ import annotations

import pytest


def _absent() -> str | None:
    try:
        import playwright.async_api  # noqa: F401

        from checker.crawl.browser import chromium_path

        chromium_path()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


ABSENT = _absent()
needs_browser = pytest.mark.skipif(ABSENT is not None, reason=f"Chromium is not installed here ({ABSENT})")
