"""httpx for the crawl, with the per-request costs of keep-alive crawling taken out.

1. The transport is httpx's `AsyncHTTPTransport` over our own connection pool
   (connections.py: HTTP/1.1 on asyncio protocols, llhttp parsing, per-host slots)
   instead of httpcore's over anyio: about a third of the CPU a request costs, and a
   request waiting for a host's slot goes on the wire from the callback that frees it,
   where httpcore took three or four event-loop steps. httpx's client, its exception
   mapping and pytest-httpx's patching of `AsyncHTTPTransport` are unchanged.
2. After every response the client hands it to the cookie jar, which first wraps request
   and response in urllib look-alikes (parsing the URL again and copying every header into
   an email message): a fifth of a bare request's CPU. `Client` hands over only responses
   that set a cookie; the jar, and what it sends, are the same.
"""

from __future__ import annotations

import functools
import ssl
import typing

import httpx

from .connections import ConnectionPool

# httpx's own defaults.
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)


@functools.cache
def verifying_context() -> ssl.SSLContext:
    """The certificate-checking TLS context, built once per process: loading the CA bundle
    takes 60-100 ms, a fifth of a small crawl, and several times that on a busy machine.
    A context is safe to share between connections and clients."""
    return httpx.create_ssl_context(verify=True)


class Transport(httpx.AsyncHTTPTransport):
    """`httpx.AsyncHTTPTransport` on connections.py's pool; HTTP/1.1, no proxies.
    `per_host` holds each host to that many requests in flight (None: no limit)."""

    def __init__(self, verify: ssl.SSLContext | bool = True, limits: httpx.Limits = _LIMITS,
                 per_host: int | None = None):
        # Not super().__init__(): that builds an httpcore pool only to be thrown away. The
        # base class's request handling, exception mapping and closing use `_pool` alone.
        if isinstance(verify, ssl.SSLContext):
            context = verify
        else:
            context = verifying_context() if verify else httpx.create_ssl_context(verify=False)
        self._pool = ConnectionPool(ssl_context=context, max_connections=limits.max_connections,
                                    max_keepalive_connections=limits.max_keepalive_connections,
                                    keepalive_expiry=limits.keepalive_expiry, max_per_host=per_host)


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
