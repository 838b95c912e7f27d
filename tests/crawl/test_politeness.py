"""The crawl keeps a host to `concurrency` requests at a time, however many crawl workers
it runs (it runs more workers than request slots, so that parsing and storing a page does
not leave its slot idle; how close that gets to the bound is bench/'s figure 1)."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import date

from checker.crawl.crawler import CrawlSettings, crawl
from checker.crawl.fetch import Fetcher

from .localsite import NOT_FOUND, LocalSite

LATENCY = 0.05


def slow_site(pages: int):
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()
    links = "".join(f"<li><a href='/p{i}.html'>第{i}号通知</a><span>2026-01-01</span></li>" for i in range(pages))
    home = f"<html><head><title>首页</title></head><body><ul>{links}</ul></body></html>".encode()

    def handler(path, _headers):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        try:
            time.sleep(LATENCY)
            if path == "/":
                return 200, {"Content-Type": "text/html; charset=utf-8"}, home
            if path.startswith("/p"):
                body = f"<html><head><title>通知 {path}</title></head><body><p>{'正文' * 400}</p></body></html>"
                return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode()
            return NOT_FOUND
        finally:
            with lock:
                state["now"] -= 1

    return handler, state


def test_requests_to_a_host_never_exceed_the_concurrency_and_reach_it(tmp_path):
    handler, state = slow_site(60)
    with LocalSite(handler) as site:
        settings = CrawlSettings(start_url=site.base + "/", concurrency=3, as_of=date(2026, 11, 21), render="never",
                                 obey_robots=False, warc=False)
        summary = asyncio.run(crawl(settings, tmp_path / "s.sqlite"))
    assert summary.status == "complete" and summary.pages == 61
    assert state["peak"] == 3


def test_a_freed_slot_goes_to_the_next_request_before_the_last_answer_is_processed():
    # One slot. A finishes; before A's result is processed (archived, here: a hook that
    # blocks the loop for 0.2 s), B, waiting for the slot, must already be on the wire.
    page = (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>x</body></html>")
    with LocalSite(lambda path, _h: page if path in ("/a", "/b", "/warm") else NOT_FOUND, keep_alive=True) as site:
        seen_during_hook: list[int] = []

        async def go():
            async with Fetcher(per_host=1) as fetcher:
                def on_result(res):
                    if res.url.endswith("/a"):
                        time.sleep(0.2)  # the server thread answers B meanwhile, if B was sent
                        seen_during_hook.append(site.hits["/b"])

                await fetcher.fetch(f"{site.base}/warm")  # the one keep-alive connection
                fetcher.on_result = on_result
                return await asyncio.gather(fetcher.fetch(f"{site.base}/a"), fetcher.fetch(f"{site.base}/b"))

        results = asyncio.run(go())
    assert [r.status for r in results] == [200, 200]
    assert seen_during_hook == [1]


def test_requests_that_fail_leave_no_slot_taken():
    page = (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>x</body></html>")
    with LocalSite(lambda path, _h: page) as site:
        async def go():
            async with Fetcher(per_host=1, retries=0, timeout=2.0) as fetcher:
                bad = [await fetcher.fetch("http://exa mple.gov.cn/ bad"),  # cannot even be built
                       await fetcher.fetch("http://127.0.0.1:9/")]  # refused
                good = await asyncio.wait_for(fetcher.fetch(f"{site.base}/a"), 5)
                return bad, good, fetcher.client._transport._pool._slots

        bad, good, slots = asyncio.run(go())
    assert [r.error_kind for r in bad] == ["connect", "connect"]
    assert good.status == 200 and set(slots.values()) <= {0}


def test_spaced_starts_stay_spaced_when_answers_come_back_together():
    # Crawl-delay / --delay: requests waiting for a slot must not go out together when
    # slots free together (here: the server answers the first two at the same moment).
    arrivals: list[float] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                arrivals.append(time.monotonic())
                await asyncio.sleep(max(0.0, arrivals[0] + 0.6 - time.monotonic()))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def go():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        async with Fetcher(per_host=2, delay=0.2) as fetcher:
            results = await asyncio.gather(*(fetcher.fetch(f"{base}/{i}") for i in range(4)))
        server.close()
        return results

    results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 4
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    # Arrivals jitter by tens of ms on a busy machine (a new connection's set-up lands on
    # one request, not the next); requests that went out together arrive < 5 ms apart.
    assert len(arrivals) == 4 and min(gaps) >= 0.12, gaps
