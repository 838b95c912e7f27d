"""The tuned httpx transport (transport.py): installed on this httpx, and its cheap
readability check tells an idle connection the server closed from a live one."""

from __future__ import annotations

import asyncio
import socket

import httpx

from checker.crawl.fetch import Fetcher
from checker.crawl.transport import _readable, is_tuned, transport

from .localsite import LocalSite, from_pages


def test_the_tuned_backend_is_installed_on_this_httpx():
    # If an httpx/httpcore upgrade moves the pool, the crawl still works but loses the
    # speed-up: this test says so.
    assert is_tuned(transport(verify=True))
    assert not is_tuned(httpx.AsyncHTTPTransport())


def test_readable_means_data_or_a_closed_peer():
    a, b = socket.socketpair()
    try:
        assert not _readable(a)
        b.sendall(b"x")
        assert _readable(a)
        a.recv(1)
        assert not _readable(a)
        b.close()
        assert _readable(a)  # EOF waiting: the server hung up
    finally:
        a.close()
    assert _readable(None)


def test_the_fetcher_fetches_through_the_tuned_transport():
    page = (200, {"Content-Type": "text/html; charset=utf-8"}, "<html><title>首页</title></html>".encode())
    with LocalSite(from_pages({f"/p{i}": page for i in range(5)})) as site:
        async def go():
            async with Fetcher(per_host=1) as fetcher:
                assert is_tuned(fetcher.client._transport)
                return [await fetcher.fetch(f"{site.base}/p{i}") for i in range(5)]

        results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 5
    assert all("首页" in r.body.decode() for r in results)
