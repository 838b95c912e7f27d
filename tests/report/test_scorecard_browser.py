"""The scorecard in a real browser: a real scan of the demo portal, opened from disk.

The demo portal is crawled and evaluated as `checker scan` does, the site file's waivers are
applied by the engine (one current, one expired), and a diff and a trend are added by hand
from the real items (what the history would hand over), so every section renders. Chromium
then opens the file with file:// and the test checks what a reader relies on: the page asks
for nothing over the network, raises no error or CSP violation, its filters and search
change which items are shown, it reads fully with scripts off, prints every item, and fits
a phone. Screenshots are kept in tests/artifacts/ (scorecard.png, scorecard-375.png).
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from checker.crawl.browser import launch
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.engine.waivers import apply_waivers
from checker.history.models import Change, ProfileDiff, ScanDiff, TrendPoint
from checker.report import write_scorecard
from checker.results import ItemResult, ProfileResult, ScanResult, Status, Waiver
from tests.crawl.browserskip import needs_browser
from tests.demo_scan import scan_demo

pytestmark = needs_browser

TODAY = date(2026, 11, 21)
EVALUATED_AT = "2026-11-21T08:00:00Z"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE_SHOT_HEIGHT = 4000

# Recorded in the page before any of its own script runs: CSP violations do not always
# reach the console.
WATCH_CSP = ("window.__csp = [];"
             "document.addEventListener('securitypolicyviolation',"
             " function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });")


def _items(result: ScanResult, profile_id: str) -> list[ItemResult]:
    return next(p for p in result.profiles if p.id == profile_id).items


def _change(profile: ProfileResult, item: ItemResult, old: Status | None, **kw) -> Change:
    return Change(profile=profile.id, item=item.number, name=item.name, lead_unit=item.lead_unit,
                  old_status=old, new_status=item.status, **kw)


def _history(result: ScanResult) -> tuple[ScanDiff, dict[str, list[TrendPoint]]]:
    """A diff against a week-old scan and four past nightly scans, built from the real items."""
    diffs, trend = [], {}
    for profile in result.profiles:
        by = {s: [i for i in profile.items if i.status == s] for s in Status}
        fails, passes = by[Status.FAIL], by[Status.PASS]
        diffs.append(ProfileDiff(
            profile=profile.id, title=profile.title, old_score=(profile.score or 0) + 4.0, new_score=profile.score,
            newly_failing=[_change(profile, i, Status.PASS) for i in fails[:1]],
            fixed=[_change(profile, i, Status.FAIL) for i in passes[:2]],
            still_failing=[_change(profile, i, Status.FAIL, new_findings=[c.check_id for c in i.checks
                                                                          if c.status == Status.FAIL][:1])
                           for i in fails[1:3]],
            newly_unknown=[_change(profile, i, Status.PASS) for i in by[Status.UNKNOWN][:1]],
        ))
        c = profile.counts
        trend[profile.id] = [
            TrendPoint(scan_id=n, evaluated_at=f"2026-11-{n + 16}T08:00:00Z", as_of=f"2026-11-{n + 16}",
                       score=None if n == 2 else round((profile.score or 50) - 6 + n, 1), grade="合格",
                       passed=0 if n == 2 else c.pass_ - 2 + n, failed=0 if n == 2 else c.fail + 2 - n,
                       unknown=c.pass_ + c.fail + c.unknown if n == 2 else c.unknown, manual=c.manual,
                       scan_status="unreachable" if n == 2 else "complete")
            for n in range(4)
        ]
    diff = ScanDiff(site=result.site or "demo", old_evaluated_at="2026-11-14T08:00:00Z",
                    new_evaluated_at=result.evaluated_at, old_scan_id=1, new_scan_id=5, profiles=diffs)
    return diff, trend


@pytest.fixture(scope="module")
def scorecard(tmp_path_factory) -> tuple[Path, ScanResult]:
    out = tmp_path_factory.mktemp("scorecard")
    rules = load_rules(DEFAULT_RULES_DIR)
    result = scan_demo(out, today=TODAY, evaluated_at=EVALUATED_AT, rules=rules)
    failing = [i.number for i in _items(result, "pingcheng-2024") if i.status == Status.FAIL]
    waivers = [
        Waiver(profile="pingcheng-2024", item=failing[0], status="not_applicable", author="县政府办 王某",
               reason="本县该项工作由市级统一发布，经市政务公开办确认", expires=date(2027, 6, 30)),
        Waiver(profile="pingcheng-2024", item=failing[1], status="accepted", author="县政府办 王某",
               reason="网站改版期间暂缓（已到期）", expires=date(2026, 10, 31)),
    ]
    result = apply_waivers(result, waivers, rules.profiles)
    assert [w.expired for w in result.waivers] == [False, True] and result.waivers[0].applied_to == 1
    diff, trend = _history(result)
    path = out / "scorecard.html"
    write_scorecard(result, path, diff=diff, trend=trend)
    return path, result


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module, on an event loop of its own: `run(coro)` runs a test body."""
    loop = asyncio.new_event_loop()
    launcher = launch()
    context = loop.run_until_complete(launcher.__aenter__())
    try:
        yield context, loop.run_until_complete
    finally:
        loop.run_until_complete(launcher.__aexit__(None, None, None))
        loop.close()


async def _open(context, path: Path, width: int = 1280):
    """A page showing the scorecard, with every request, console error and CSP violation recorded."""
    page = await context.new_page()
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    await page.add_init_script(WATCH_CSP)
    await page.set_viewport_size({"width": width, "height": 900})
    await page.goto(path.as_uri(), wait_until="load")
    return page, seen


async def _visible(page, selector: str = "main .items article.item") -> list[str]:
    """Anchors (ids) of the matching elements the reader can see."""
    return await page.eval_on_selector_all(
        selector, "els => els.filter(e => e.getClientRects().length > 0).map(e => e.id)")


def _all_items(result: ScanResult) -> list[ItemResult]:
    return [i for p in result.profiles for i in p.items]


def test_scorecard_makes_no_request_and_no_error_and_is_screenshotted(scorecard, browser):
    path, result = scorecard
    context, run_in_browser = browser

    async def run():
        page, seen = await _open(context, path)
        assert await page.title() == "政务公开检查报告 · " + result.scan.start_url
        assert await page.is_visible("#f-extra")  # the script ran and offered its filters
        assert await page.locator("main .items article.item").count() == len(_all_items(result))
        assert await page.locator("svg.chart").count() == 2
        assert await page.locator("main mark").count() > 0  # matched text highlighted
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "scorecard.png"), full_page=True)

        phone, phone_seen = await _open(context, path, width=375)
        # Nothing wider than the phone: no sideways scrolling of the page.
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 375
        # The top of the page at phone width: summary, banner, overview, changes and trend.
        # (All of it would be ~70 000 px tall; the items below repeat one card layout.)
        height = min(PHONE_SHOT_HEIGHT, await phone.evaluate("document.documentElement.scrollHeight"))
        await phone.screenshot(path=str(ARTIFACTS / "scorecard-375.png"), full_page=True,
                               clip={"x": 0, "y": 0, "width": 375, "height": height})
        for s, p in ((seen, page), (phone_seen, phone)):
            assert s["requests"] == [path.as_uri()], s["requests"]
            assert s["errors"] == []
            assert await p.evaluate("window.__csp") == []
        await page.close()
        await phone.close()

    run_in_browser(run())
    for name in ("scorecard.png", "scorecard-375.png"):
        assert (ARTIFACTS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_filters_and_search_change_which_items_are_shown(scorecard, browser):
    path, result = scorecard
    context, run_in_browser = browser
    items = _all_items(result)

    async def run():
        page, seen = await _open(context, path)
        everything = await _visible(page)
        assert len(everything) == len(items)

        # Status: only the failing items remain, and groups left empty disappear.
        await page.click("label[for=f-fail]")
        failing = await _visible(page)
        assert len(failing) == sum(1 for i in items if i.status == Status.FAIL) > 0
        assert set(failing) == set(await page.eval_on_selector_all(
            "main article.item.st-fail", "els => els.map(e => e.id)"))
        groups = await page.eval_on_selector_all(
            "main .items section.group",
            "els => els.map(g => [g.getClientRects().length > 0, !!g.querySelector('.item.st-fail')])")
        assert all(shown == has_fail for shown, has_fail in groups) and not all(s for s, _ in groups)
        assert await page.text_content("#f-count") == f"显示 {len(failing)} / {len(items)} 项"
        await page.click("label[for=f-waived]")
        assert len(await _visible(page)) == 1  # the applied waiver; the expired one changed nothing
        await page.click("#f-reset")
        assert len(await _visible(page)) == len(items)

        # Unit: the items whose 牵头单位 is the one picked.
        unit = next(i.lead_unit for i in items if i.lead_unit)
        await page.select_option("#f-unit", label=unit)
        by_unit = await _visible(page)
        assert len(by_unit) == sum(1 for i in items if i.lead_unit.strip() == unit) < len(items)
        # Unit and status together: the intersection.
        await page.click("label[for=f-fail]")
        both = await _visible(page)
        assert set(both) == set(by_unit) & set(failing)
        await page.click("#f-reset")

        # Category: the items of one group.
        group = next(i.group for i in items if i.group)
        await page.select_option("#f-group", label=group)
        assert len(await _visible(page)) == sum(1 for i in items if i.group == group) < len(items)
        await page.click("#f-reset")

        # Search: typing narrows to the items whose text holds the words.
        target = next(i for i in items if i.status == Status.UNKNOWN)
        await page.fill("#f-q", target.name)
        found = await _visible(page)
        assert 0 < len(found) < len(items)
        texts = await page.eval_on_selector_all(
            "main article.item:not(.off)", "els => els.map(e => e.textContent)")
        assert all(target.name.lower() in t.lower() for t in texts)
        await page.fill("#f-q", "绝不会出现的检索词zzz")
        assert await _visible(page) == []
        assert await page.is_visible("#f-none")
        await page.click("#f-reset")
        assert len(await _visible(page)) == len(items) and not await page.is_visible("#f-none")
        assert seen["requests"] == [path.as_uri()] and seen["errors"] == []
        await page.close()

    run_in_browser(run())


def test_page_reads_fully_without_script_and_prints_every_item(scorecard, browser):
    path, result = scorecard
    context, run_in_browser = browser
    total = len(_all_items(result))

    async def run():
        quiet = await context.browser.new_context(java_script_enabled=False, locale="zh-CN")
        try:
            page, seen = await _open(quiet, path)
            assert len(await _visible(page)) == total
            assert not await page.is_visible("#f-extra")  # script-only filters are not offered
            assert await page.locator("svg.chart").first.is_visible()  # the trend needs no script
            # The status switches are CSS: they work without script.
            await page.click("label[for=f-unknown]")
            unknown = await _visible(page)
            assert 0 < len(unknown) < total
            await page.emulate_media(media="print")
            assert len(await _visible(page)) == total  # print shows every item, filter or not
            assert not await page.is_visible("nav.toolbar")
            assert seen["requests"] == [path.as_uri()] and seen["errors"] == []
        finally:
            await quiet.close()

        # With script: a filter in force does not hide items from the print either.
        page, _ = await _open(context, path)
        await page.fill("#f-q", "绝不会出现的检索词zzz")
        assert await _visible(page) == []
        await page.emulate_media(media="print")
        assert len(await _visible(page)) == total
        await page.close()

    run_in_browser(run())
