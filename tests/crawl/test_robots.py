"""RobotsCache: one fetch per origin, rules obeyed, unreadable robots.txt allows all with a note."""

from __future__ import annotations

import asyncio

import httpx

from checker.crawl.fetch import Fetcher
from checker.crawl.robots import MAX_CRAWL_DELAY, RobotsCache

SITE = "https://www.example.gov.cn"
ROBOTS = f"{SITE}/robots.txt"


async def _no_sleep(_seconds: float) -> None:
    return None


def check(urls: list[str], *, obey: bool = True, retries: int = 0) -> tuple[list[bool], RobotsCache]:
    async def go():
        async with Fetcher(sleep=_no_sleep, retries=retries) as f:
            robots = RobotsCache(f.fetch, obey=obey)
            # Many workers asking at once must still cause a single robots.txt request.
            answers = await asyncio.gather(*(robots.allowed(u) for u in urls))
            return list(answers), robots

    return asyncio.run(go())


def test_disallow_rules_are_obeyed(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, text="User-agent: *\nDisallow: /private/\nDisallow: /search\n")
    answers, _ = check([f"{SITE}/zwgk/", f"{SITE}/private/a.html", f"{SITE}/search?q=1", f"{SITE}/private/"])
    assert answers == [True, False, False, False]
    assert len(httpx_mock.get_requests()) == 1


def test_our_own_group_wins_over_the_star_group(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, text=(
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: gov-portal-checker\nAllow: /\nDisallow: /admin/\nCrawl-delay: 2\n"
    ))

    async def go():
        async with Fetcher(sleep=_no_sleep, retries=0) as f:
            robots = RobotsCache(f.fetch)
            return (await robots.allowed(f"{SITE}/zwgk/"), await robots.allowed(f"{SITE}/admin/x"),
                    robots.crawl_delay(f"{SITE}/zwgk/"), robots.crawl_delay("www.example.gov.cn"))

    assert asyncio.run(go()) == (True, False, 2.0, 2.0)


def test_huge_crawl_delay_is_capped_with_a_note(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, text="User-agent: *\nCrawl-delay: 3600\n")

    async def go():
        async with Fetcher(sleep=_no_sleep, retries=0) as f:
            robots = RobotsCache(f.fetch)
            await robots.load(SITE + "/")
            return robots.crawl_delay(SITE + "/"), robots.notes

    delay, notes = asyncio.run(go())
    assert delay == MAX_CRAWL_DELAY and any("capped" in n for n in notes)


def test_missing_robots_allows_everything_silently(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, status_code=404)
    answers, robots = check([f"{SITE}/private/a.html"])
    assert answers == [True] and robots.notes == []
    assert robots.crawl_delay(SITE + "/") is None


def test_server_error_allows_everything_with_a_note(httpx_mock):
    for _ in range(2):
        httpx_mock.add_response(url=ROBOTS, status_code=503)
    answers, robots = check([f"{SITE}/a.html"], retries=1)
    assert answers == [True]
    assert len(robots.notes) == 1 and "HTTP 503" in robots.notes[0]


def test_forbidden_robots_allows_with_a_note(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, status_code=403, text="Forbidden")
    answers, robots = check([f"{SITE}/a.html"])
    assert answers == [True] and "HTTP 403" in robots.notes[0]


def test_timeout_allows_with_a_note(httpx_mock):
    httpx_mock.add_exception(httpx.ConnectTimeout("timed out"), url=ROBOTS)
    answers, robots = check([f"{SITE}/a.html"])
    assert answers == [True] and "timeout" in robots.notes[0]


def test_each_origin_has_its_own_robots(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, text="User-agent: *\nDisallow: /private/\n")
    httpx_mock.add_response(url="https://xxgk.example.gov.cn/robots.txt", text="User-agent: *\nDisallow: /\n")
    answers, _ = check([f"{SITE}/ok.html", "https://xxgk.example.gov.cn/ok.html", f"{SITE}/private/x"])
    assert answers == [True, False, False]


def test_ignore_robots_fetches_nothing(httpx_mock):
    answers, robots = check([f"{SITE}/private/a.html", f"{SITE}/"], obey=False)
    assert answers == [True, True]
    assert httpx_mock.get_requests() == []
    assert robots.crawl_delay(SITE + "/") is None


def test_non_ascii_paths_and_bom(httpx_mock):
    httpx_mock.add_response(url=ROBOTS, content="\ufeffUser-agent: *\nDisallow: /内部/\n".encode())
    answers, _ = check([f"{SITE}/%E5%86%85%E9%83%A8/a.html", f"{SITE}/公开/a.html"])
    assert answers == [False, True]
