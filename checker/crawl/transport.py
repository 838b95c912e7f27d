"""httpx for the crawl, with two per-request costs of keep-alive crawling taken out.

1. Before every request, and again as every response closes, httpcore asks each idle
   connection of its pool whether its socket has become readable (a server-side close).
   Through anyio, each of those questions rebuilds the stream's attribute table, including
   a `getpeername` system call: with 16 connections to a host that was a quarter of the
   crawl loop's CPU (bench/, figure 2). The streams here keep their raw socket from the
   moment they connect and answer that one question with a zero-timeout poll, exactly as
   httpcore's own check does; everything else goes to anyio's stream untouched.
2. After every response the client hands it to the cookie jar, which first wraps request
   and response in urllib look-alikes (parsing the URL again and copying every header into
   an email message): a fifth of a bare request's CPU. `Client` hands over only responses
   that set a cookie; the jar, and what it sends, are the same.
"""

from __future__ import annotations

import select
import typing

import httpcore
import httpx


def _readable(sock) -> bool:
    """Whether a read would not block (data, or the EOF of a closed connection)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True  # no socket any more: as good as closed
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream):
        self._inner = inner
        self._sock = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            return _readable(self._sock)
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend):
        self._inner = inner

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def transport(**kwargs) -> httpx.AsyncHTTPTransport:
    """`httpx.AsyncHTTPTransport(**kwargs)` whose connections check for a server close cheaply.
    If a future httpx lays its pool out differently, this is the plain transport (slower,
    same behaviour); tests/crawl/test_fetch.py notices."""
    plain = httpx.AsyncHTTPTransport(**kwargs)
    pool = getattr(plain, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if isinstance(pool, httpcore.AsyncConnectionPool) and isinstance(inner, httpcore.AsyncNetworkBackend):
        pool._network_backend = _Backend(inner)
    return plain


def is_tuned(t: httpx.AsyncBaseTransport) -> bool:
    return isinstance(getattr(getattr(t, "_pool", None), "_network_backend", None), _Backend)


class _Cookies(httpx.Cookies):
    """The client's cookie jar, skipping responses that set no cookie."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            super().extract_cookies(response)


class Client(httpx.AsyncClient):
    """`httpx.AsyncClient` whose jar reads cookies only from responses that set one."""

    def __init__(self, *, cookies: typing.Any = None, **kwargs):
        super().__init__(**kwargs)
        self._jar = _Cookies(cookies)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._jar

    @cookies.setter
    def cookies(self, cookies: typing.Any) -> None:
        self._jar = _Cookies(cookies)
