"""The tuned httpx (transport.py): the fetcher's transport runs on our connection pool and
pytest-httpx still reaches it; the client's cookie jar skips responses that set no cookie
and still keeps and sends every cookie."""

from __future__ import annotations

import asyncio
import ssl

import httpx

from checker.crawl.connections import ConnectionPool
from checker.crawl.fetch import Fetcher
from checker.crawl.render import copy_cookies
from checker.crawl.transport import Transport

from .localsite import LocalSite, from_pages


def test_pytest_httpx_still_reaches_our_transport(httpx_mock):
    # It patches `httpx.AsyncHTTPTransport.handle_async_request`, which ours inherits.
    httpx_mock.add_response(url="https://www.example.gov.cn/", text="mocked")

    async def go():
        async with Fetcher() as fetcher:
            return await fetcher.fetch("https://www.example.gov.cn/")

    assert asyncio.run(go()).body == b"mocked"


def test_crawls_share_one_certificate_checking_context():
    # Loading the CA bundle once per crawl was a fifth of a small crawl's time.
    first, second = Transport()._pool._ssl_context, Transport(per_host=2)._pool._ssl_context
    assert first is second
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    assert Transport(verify=False)._pool._ssl_context.verify_mode == ssl.CERT_NONE


def test_the_fetcher_fetches_through_the_tuned_transport():
    page = (200, {"Content-Type": "text/html; charset=utf-8"}, "<html><title>首页</title></html>".encode())
    with LocalSite(from_pages({f"/p{i}": page for i in range(5)})) as site:
        async def go():
            async with Fetcher(per_host=1) as fetcher:
                assert isinstance(fetcher.client._transport._pool, ConnectionPool)
                return [await fetcher.fetch(f"{site.base}/p{i}") for i in range(5)]

        results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 5
    assert all("首页" in r.body.decode() for r in results)


def _session_site(path: str, headers: dict[str, str]):
    html = {"Content-Type": "text/html; charset=utf-8"}
    if path == "/login":
        return 200, {**html, "Set-Cookie": "JSESSIONID=abc123; Path=/"}, b"<html>ok</html>"
    if path == "/private":
        if "JSESSIONID=abc123" in headers.get("cookie", ""):
            return 200, html, b"<html>members</html>"
        return 403, html, b"<html>forbidden</html>"
    return 200, html, b"<html>plain</html>"


def test_cookies_set_by_a_response_are_kept_and_sent(monkeypatch):
    # Responses without Set-Cookie never reach the jar (that is the saving) ...
    seen: list[str] = []
    real = httpx.Cookies.extract_cookies
    monkeypatch.setattr(httpx.Cookies, "extract_cookies",
                        lambda self, response: (seen.append(response.url.path), real(self, response))[1])
    with LocalSite(_session_site) as site:
        async def go():
            async with Fetcher(per_host=1) as fetcher:
                before = await fetcher.fetch(f"{site.base}/private")
                plain = await fetcher.fetch(f"{site.base}/plain")
                await fetcher.fetch(f"{site.base}/login")
                after = await fetcher.fetch(f"{site.base}/private")
                return before, plain, after

        before, plain, after = asyncio.run(go())
    assert seen == ["/login"]
    # ... and the cookie the one that did set is sent on later requests.
    assert before.status == 403 and plain.status == 200
    assert after.status == 200 and b"members" in after.body


def test_cookies_copied_from_the_browser_are_sent():
    with LocalSite(_session_site) as site:
        async def go():
            async with Fetcher(per_host=1) as fetcher:
                copy_cookies([{"name": "JSESSIONID", "value": "abc123", "domain": "127.0.0.1", "path": "/"}], fetcher)
                return await fetcher.fetch(f"{site.base}/private")

        assert asyncio.run(go()).status == 200
