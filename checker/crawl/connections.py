"""HTTP/1.1 connections for the crawl, on asyncio alone, with llhttp (httptools) parsing.

httpx's own pool (httpcore over anyio, h11 parsing) spends about 1.1 ms of CPU on a
request to a local server, over three or four event-loop steps before the request is
written and as many after the answer arrives; h11 alone parses a response in ~0.16 ms.
At the politeness bound (bench/, figure 1: 4 requests in flight, 50 ms each) that CPU is
time a slot holds no request. Here a connection is an `asyncio.Protocol`: the request is
written synchronously as soon as a connection is free, the answer is parsed by llhttp as
it arrives, and the caller wakes once, when the headers are in.

`ConnectionPool` speaks httpcore's pool interface (`handle_async_request`, `aclose`), so
httpx's `AsyncHTTPTransport` drives it (transport.py): httpx's client, its exception
mapping and pytest-httpx's patching of the transport all stay as they are. Errors are
httpcore's exceptions, with the OS or TLS error as their cause (the fetcher looks there
for certificate faults).

Behaviour worth knowing:
- One request at a time per connection (no pipelining); idle connections are kept per
  origin for `keepalive_expiry` seconds, at most `max_keepalive_connections` of them.
- A server's close of an idle connection arrives as a protocol callback, so reusing one
  needs no system call; a request whose reused connection turns out to be closed before
  any byte of the answer arrived is sent once more on a new connection (GET/HEAD only).
- A response body is buffered up to `_READ_HIGH_WATER` bytes before reading pauses, and
  the caller takes whatever has arrived in one piece.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
import time
import typing

import httpcore
import httptools

# Reading pauses while this much body is waiting for the caller.
_READ_HIGH_WATER = 1 << 20
_DEFAULT_PORTS = {b"http": 80, b"https": 443}
_IDEMPOTENT = frozenset({b"GET", b"HEAD", b"OPTIONS"})


class _Stale(Exception):
    """A reused connection closed before any byte of the answer: safe to send again."""


async def _payload(request: httpcore.Request) -> bytes:
    """The request as bytes on the wire, its body (if it declares one) read whole."""
    lines = [request.method, b" ", request.url.target, b" HTTP/1.1\r\n"]
    chunked = has_body = False
    for name, value in request.headers:
        lines += (name, b": ", value, b"\r\n")
        lowered = name.lower()
        if lowered == b"transfer-encoding":
            has_body = chunked = b"chunked" in value.lower()
        elif lowered == b"content-length":
            has_body = True
    lines.append(b"\r\n")
    head = b"".join(lines)
    # A CR, LF or NUL inside the target or a header would let a link's URL write request
    # lines of its own: the head holds exactly one CRLF per line and nothing else of them.
    breaks = len(request.headers) + 2
    if head.count(b"\n") != breaks or head.count(b"\r") != breaks or b"\0" in head:
        raise httpcore.LocalProtocolError("a line break or NUL in the request target or a header")
    if not has_body:
        return head
    body = b"".join([chunk async for chunk in request.stream])  # type: ignore[union-attr]
    if chunked:
        return head + (b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if body else b"0\r\n\r\n")
    return head + body


class _Connection(asyncio.Protocol):
    """One TCP or TLS connection to one origin, carrying one request at a time."""

    def __init__(self, origin: tuple[bytes, bytes, int]):
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.closed = False  # the peer closed, the connection failed, or we closed it
        self.reused = False  # has carried a request before the current one
        self.idle_since = 0.0
        self._parser = httptools.HttpResponseParser(self)
        self._parser.set_dangerous_leniencies(
            # What browsers take from old servers: bare LF line ends, stray spaces after a
            # chunk size, both Content-Length and chunked (chunked wins).
            lenient_optional_cr_before_lf=True, lenient_spaces_after_chunk_size=True,
            lenient_chunked_length=True)
        self._waiter: asyncio.Future | None = None
        self._error: BaseException | None = None
        self._reset()

    def _reset(self) -> None:
        self.in_flight = False
        self.head_only = False
        self.received_any = False
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.headers_done = False
        self.complete = False
        self.body: collections.deque[bytes] = collections.deque()
        self.buffered = 0
        self.paused = False
        self._framed = True  # the body's end is known from its framing (length or chunks)
        self.keep_alive = False  # the response allows another request on this connection

    # -- used by the pool ---------------------------------------------------------------
    @property
    def reusable(self) -> bool:
        return not self.closed and self.complete and self.keep_alive and not self.head_only and self._framed

    def start(self, payload: bytes, head_only: bool) -> None:
        self._reset()
        self.in_flight, self.head_only = True, head_only
        self.transport.write(payload)

    async def wait(self, timeout: float | None) -> None:
        """Until something arrives (headers, body, the end) or the connection fails."""
        if self._error is not None:
            raise self._error
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
        if self._error is not None:
            raise self._error

    def take_body(self) -> bytes:
        data = self.body.popleft() if len(self.body) == 1 else b"".join(self.body)
        self.body.clear()
        self.buffered = 0
        if self.paused and not self.closed:
            self.paused = False
            self.transport.resume_reading()
        return data

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.transport is not None:
                self.transport.abort()  # nothing of ours is left to send on it

    # -- asyncio.Protocol ---------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.in_flight or self.complete:
            self._fail(httpcore.RemoteProtocolError("the server sent data no request asked for"))
            return
        self.received_any = True
        try:
            self._parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            if not self.complete:  # a HEAD answer's unasked-for body lands here too
                self._fail(httpcore.RemoteProtocolError(f"malformed HTTP response: {exc}"))
            else:
                self.closed = True
        self._wake()

    def eof_received(self) -> bool:
        self._ended(None)
        return False  # close our side as well

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended(exc)

    def _ended(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.in_flight or self.complete:
            return
        if self.headers_done and not self._framed and exc is None:
            self.complete = True  # a body delimited by the close of the connection
        elif not self.received_any and self.reused:
            self._fail(_Stale())
        elif exc is not None:
            self._fail(httpcore.ReadError(str(exc) or type(exc).__name__), exc)
        else:
            self._fail(httpcore.RemoteProtocolError(
                "the server closed the connection before the response was complete"
                if self.headers_done else "the server closed the connection without sending a response"))
        self._wake()

    def _fail(self, error: Exception, cause: BaseException | None = None) -> None:
        if cause is not None:
            error.__cause__ = cause
        if self._error is None:
            self._error = error
        self.close()
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- httptools callbacks --------------------------------------------------------------
    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # 100 Continue and the like: wait for the real one (101 fails below)
            self.headers, self.reason = [], b""
            return
        self.status, self.headers_done = status, True
        # Asked here: llhttp forgets it once the message is over.
        self.keep_alive = self._parser.should_keep_alive()
        if self.head_only:
            self.complete = True
            return
        if status in (204, 304):
            return
        framing = {name.lower() for name, _ in self.headers}
        self._framed = b"content-length" in framing or b"transfer-encoding" in framing

    def on_body(self, chunk: bytes) -> None:
        if self.complete:
            return
        self.body.append(chunk)
        self.buffered += len(chunk)
        if self.buffered > _READ_HIGH_WATER and not self.paused:
            self.paused = True
            self.transport.pause_reading()

    def on_message_complete(self) -> None:
        if self.headers_done:
            self.complete = True


def _expire(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _Body:
    """A response's body for httpcore.Response: hands the connection back when closed."""

    def __init__(self, pool: ConnectionPool, conn: _Connection, read_timeout: float | None):
        self._pool, self._conn, self._timeout = pool, conn, read_timeout
        self._released = False

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        conn = self._conn
        while True:
            if conn.body:
                yield conn.take_body()
            elif conn.complete:
                return
            else:
                try:
                    await conn.wait(self._timeout)
                except TimeoutError:
                    conn.close()
                    raise httpcore.ReadTimeout("timed out reading the response body") from None

    async def aclose(self) -> None:
        if not self._released:
            self._released = True
            self._pool._release(self._conn)


class ConnectionPool:
    """Keep-alive HTTP/1.1 connections per origin, for `httpx.AsyncHTTPTransport`."""

    def __init__(self, *, ssl_context: ssl.SSLContext, max_connections: int | None = 100,
                 max_keepalive_connections: int | None = 20, keepalive_expiry: float | None = 5.0):
        self._ssl_context = ssl_context
        self._max_connections = max_connections
        self._max_idle = max_keepalive_connections if max_keepalive_connections is not None else 1 << 30
        self._expiry = keepalive_expiry
        self._idle: dict[tuple[bytes, bytes, int], list[_Connection]] = {}
        self._idle_count = 0
        self._busy: set[_Connection] = set()
        self._opening = 0
        self._queue: collections.deque[asyncio.Future] = collections.deque()

    async def __aenter__(self) -> ConnectionPool:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()
        self._idle_count = 0
        for conn in list(self._busy):
            conn.close()
        self._busy.clear()

    # -- one request ----------------------------------------------------------------------
    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        scheme = request.url.scheme
        if scheme not in _DEFAULT_PORTS:
            raise httpcore.UnsupportedProtocol(f"unsupported URL scheme {scheme.decode(errors='replace')!r}")
        if not request.url.host:
            raise httpcore.UnsupportedProtocol("the URL has no host")
        origin = (scheme, request.url.host, request.url.port or _DEFAULT_PORTS[scheme])
        timeouts = request.extensions.get("timeout", {})
        payload = await _payload(request)
        head_only = request.method == b"HEAD"
        trace = request.extensions.get("trace")
        for attempt in (1, 2):
            # A second attempt goes on a new connection: the other idle ones are as old.
            conn = self._take_idle(origin) if attempt == 1 else None
            if conn is None:
                conn = await self._open(origin, timeouts)
            self._busy.add(conn)
            try:
                conn.start(payload, head_only)
                if trace is not None:
                    await trace("http11.send_request_headers.complete", {"request": request})
                while not conn.headers_done:
                    try:
                        await conn.wait(timeouts.get("read"))
                    except TimeoutError:
                        raise httpcore.ReadTimeout("timed out waiting for the response headers") from None
            except _Stale:
                self._discard(conn)
                if attempt == 1 and request.method in _IDEMPOTENT:
                    continue
                raise httpcore.RemoteProtocolError("the server closed the connection without sending a response"
                                                   ) from None
            except BaseException:
                self._discard(conn)  # cancelled or failed mid-exchange: the connection's state is unknown
                raise
            break
        return httpcore.Response(
            conn.status, headers=conn.headers, content=_Body(self, conn, timeouts.get("read")),
            extensions={"http_version": _http_version(conn), "reason_phrase": conn.reason})

    # -- connections ------------------------------------------------------------------------
    def _take_idle(self, origin: tuple[bytes, bytes, int]) -> _Connection | None:
        conns = self._idle.get(origin)
        now = time.monotonic()
        while conns:
            conn = conns.pop()
            self._idle_count -= 1
            if conn.closed or (self._expiry is not None and now - conn.idle_since > self._expiry):
                conn.close()
                self._wake_queue()
                continue
            conn.reused = True
            return conn
        return None

    def _count(self) -> int:
        return len(self._busy) + self._idle_count + self._opening

    async def _open(self, origin: tuple[bytes, bytes, int], timeouts: dict) -> _Connection:
        if self._max_connections is not None:
            await self._room(timeouts.get("pool"))
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        tls = scheme == b"https"
        hostname = host.decode("ascii")
        self._opening += 1
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                _, conn = await loop.create_connection(
                    lambda: _Connection(origin), hostname, port,
                    ssl=self._ssl_context if tls else None, server_hostname=hostname if tls else None)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {hostname}:{port}") from None
        except OSError as exc:  # refused, unreachable, no such host, and every TLS fault
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        finally:
            self._opening -= 1
            self._wake_queue()
        return conn

    async def _room(self, timeout: float | None) -> None:
        """Wait until fewer than max_connections are open, closing an idle one if that helps."""
        while self._count() >= self._max_connections:
            if self._idle_count:
                self._close_oldest_idle()
                continue
            waiter = asyncio.get_running_loop().create_future()
            self._queue.append(waiter)
            try:
                async with asyncio.timeout(timeout):
                    await waiter
            except TimeoutError:
                raise httpcore.PoolTimeout("timed out waiting for a free connection") from None
            finally:
                if waiter in self._queue:
                    self._queue.remove(waiter)

    def _wake_queue(self) -> None:
        while self._queue:
            waiter = self._queue.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _close_oldest_idle(self) -> None:
        oldest = min((c for conns in self._idle.values() for c in conns), key=lambda c: c.idle_since)
        self._idle[oldest.origin].remove(oldest)
        self._idle_count -= 1
        oldest.close()

    def _release(self, conn: _Connection) -> None:
        self._busy.discard(conn)
        if conn.reusable:
            conn.in_flight = False
            conn.idle_since = time.monotonic()
            self._idle.setdefault(conn.origin, []).append(conn)
            self._idle_count += 1
            if self._idle_count > self._max_idle:
                self._close_oldest_idle()
        else:
            conn.close()
        self._wake_queue()

    def _discard(self, conn: _Connection) -> None:
        self._busy.discard(conn)
        conn.close()
        self._wake_queue()


def _http_version(conn: _Connection) -> bytes:
    return b"HTTP/" + conn._parser.get_http_version().encode("ascii")
