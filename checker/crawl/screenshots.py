"""Screenshots of the pages behind failed checks, taken after evaluation (`--screenshots`).

A report-side artifact, not an engine input: the engine never reads them, so `checker
evaluate` stays pure and reproduces result.json byte for byte. They need the network
(the live site is opened again in Chromium), which is why they live with the crawl code.

Files go to `<out>/screenshots/<sha1 of the URL>.png`; `<out>/screenshots.json` lists what
was taken (and what could not be) so the scorecard can link each evidence URL to its
picture with a relative link. Only URLs on the scan's own hosts are opened, one at a time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from checker.results import ScanResult, Status

from .browser import BrowserUnavailable, launch
from .fetch import USER_AGENT

SCREENSHOT_DIR = "screenshots"
INDEX_NAME = "screenshots.json"
MAX_SCREENSHOTS = 30  # per scan: a politeness and disk bound
MAX_HEIGHT = 4000  # px: a full page is cut here
VIEWPORT = {"width": 1280, "height": 900}
PAGE_TIMEOUT_MS = 20_000


@dataclass
class Shot:
    url: str
    file: str  # relative to the output folder ('' when it failed)
    taken_at: str
    error: str = ""


def screenshot_file(url: str) -> str:
    """Where the screenshot of `url` goes, relative to the output folder."""
    return f"{SCREENSHOT_DIR}/{hashlib.sha1(url.encode('utf-8')).hexdigest()}.png"


def failed_evidence_urls(result: ScanResult, limit: int = MAX_SCREENSHOTS) -> list[str]:
    """Evidence URLs of failed checks on the scan's hosts, deduplicated, in report order, capped."""
    hosts = {h.lower() for h in result.scan.hosts} or {urlsplit(result.scan.start_url).netloc.lower()}
    seen: dict[str, None] = {}
    for profile in result.profiles:
        for item in profile.items:
            for check in item.checks:
                if check.status != Status.FAIL:
                    continue
                for ev in check.evidence:
                    url = ev.url or ""
                    parts = urlsplit(url)
                    if parts.scheme in ("http", "https") and parts.netloc.lower() in hosts:
                        seen.setdefault(url, None)
    return list(seen)[:limit]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def take_screenshots(urls: Iterable[str], out: Path, *, max_height: int = MAX_HEIGHT,
                           timeout_ms: int = PAGE_TIMEOUT_MS) -> list[Shot]:
    """Open each URL in Chromium and save a full-page PNG (cut at `max_height` px).

    Raises BrowserUnavailable when there is no Chromium; a page that fails costs that page.
    """
    shots: list[Shot] = []
    folder = Path(out) / SCREENSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    async with launch(user_agent=USER_AGENT) as context:
        page = await context.new_page()
        await page.set_viewport_size(VIEWPORT)
        for url in urls:
            rel = screenshot_file(url)
            try:
                await page.goto(url, wait_until="load", timeout=timeout_ms)
                height = await page.evaluate("() => document.documentElement.scrollHeight")
                clip = None
                if isinstance(height, int | float) and height > max_height:
                    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": max_height}
                await page.screenshot(path=str(Path(out) / rel), full_page=True, clip=clip, timeout=timeout_ms)
                shots.append(Shot(url, rel, _now()))
            except Exception as exc:  # one page's trouble must not cost the others
                shots.append(Shot(url, "", _now(), f"{type(exc).__name__}: {exc}"[:300]))
    return shots


def write_index(out: Path, shots: list[Shot]) -> Path:
    path = Path(out) / INDEX_NAME
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({"screenshots": [asdict(s) for s in shots]}, ensure_ascii=False, indent=2) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_index(out: Path) -> dict[str, str]:
    """URL → screenshot file (relative) for the screenshots present in `out`; {} when none."""
    path = Path(out) / INDEX_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    mapping = {}
    for row in data.get("screenshots", []) if isinstance(data, dict) else []:
        # Only files named as we name them, and present: the index is read, never trusted.
        if (isinstance(row, dict) and isinstance(row.get("url"), str) and row.get("file")
                and row["file"] == screenshot_file(row["url"]) and (Path(out) / row["file"]).is_file()):
            mapping[row["url"]] = row["file"]
    return mapping


async def screenshot_failures(result: ScanResult, out: Path, *, limit: int = MAX_SCREENSHOTS) -> list[Shot]:
    """Screenshots of the failed checks' evidence pages of `result`, indexed in `out`.

    Raises BrowserUnavailable (caller warns and goes on) when Chromium cannot be used.
    """
    urls = failed_evidence_urls(result, limit)
    try:
        shots = await take_screenshots(urls, out) if urls else []
    except BrowserUnavailable:
        raise
    except Exception as exc:  # Playwright could not start Chromium: same as no browser
        raise BrowserUnavailable(f"Chromium could not be started: {type(exc).__name__}: {exc}"[:300]) from exc
    write_index(out, shots)
    return shots
