"""The benchmark's server (bench/server.py) holds each answer for the added latency and
never less: figure 1's bound (concurrency / latency) assumes every response took at least
that long, and the server says what it actually added."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

from bench.server import Server, _hold_until


def test_hold_until_never_returns_before_the_deadline():
    async def go():
        lateness = []
        for _ in range(20):
            deadline = time.monotonic() + 0.01
            await _hold_until(deadline)
            lateness.append(time.monotonic() - deadline)
        return lateness

    assert min(asyncio.run(go())) >= 0


def test_the_server_reports_the_latency_it_added():
    page = b"<html><body>x</body></html>"
    server = Server({"/index.html": (page, "text/html")})

    async def go():
        srv = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = srv.sockets[0].getsockname()[1]

        def get(path: str) -> bytes:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                return r.read()

        async with srv:
            await asyncio.to_thread(get, "/__bench/latency?s=0.03")
            started = time.monotonic()
            body = await asyncio.to_thread(get, "/index.html")
            took = time.monotonic() - started
            stats = json.loads(await asyncio.to_thread(get, "/__bench/stats"))
        return body, took, stats

    body, took, stats = asyncio.run(go())
    assert body == page
    assert stats["requests"] == 1 and stats["latency"] == 0.03
    assert 0.03 <= stats["mean_delay"] <= took
