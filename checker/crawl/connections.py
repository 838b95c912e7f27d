"""HTTP/1.1 connections for the crawl, on asyncio alone, with llhttp (httptools) parsing.

httpx's own pool (httpcore over anyio, h11 parsing) spends about 1.1 ms of CPU on a
request to a local server, over three or four event-loop steps before the request is
written and as many after the answer arrives; h11 alone parses a response in ~0.16 ms.
At the politeness bound (bench/, figure 1: 4 requests in flight, 50 ms each) that CPU is
time a slot holds no request. Here a connection is an `asyncio.Protocol`: the answer is
parsed by llhttp as it arrives and the caller wakes once, when the headers are in.

**Per-host slots.** With `max_per_host`, the pool holds each host to that many requests
in flight, and requests beyond it queue here with their bytes ready: the moment an answer
is complete, the protocol callback that read its last byte writes the next queued request
for that origin on the same connection, before any task runs. A slot is never idle for
the event loop's sake (the fetcher lets requests queue here when it can: fetch.py).

`ConnectionPool` speaks httpcore's pool interface (`handle_async_request`, `aclose`), so
httpx's `AsyncHTTPTransport` drives it (transport.py): httpx's client, its exception
mapping and pytest-httpx's patching of the transport all stay as they are. Errors are
httpcore's exceptions, with the OS or TLS error as their cause (the fetcher looks there
for certificate faults).

Behaviour worth knowing:
- One request at a time per connection (no pipelining). An answer's body is kept with
  the request it answers, so its connection serves the next request while the body is
  still being read. Idle connections are kept per origin for `keepalive_expiry` seconds,
  at most `max_keepalive_connections` of them.
- A server's close of an idle connection arrives as a protocol callback, so reusing one
  needs no system call; a request whose reused connection turns out to be closed before
  any byte of the answer arrived is sent once more on a new connection (GET/HEAD only).
- Reading pauses while `_READ_HIGH_WATER` bytes of a body wait for the caller, who takes
  whatever has arrived in one piece.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
import time
import typing
from dataclasses import dataclass

import httpcore
import httptools

# Reading pauses while this much body is waiting for the caller.
_READ_HIGH_WATER = 1 << 20
_DEFAULT_PORTS = {b"http": 80, b"https": 443}
_IDEMPOTENT = frozenset({b"GET", b"HEAD", b"OPTIONS"})

Origin = tuple[bytes, bytes, int]  # scheme, host, port


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


class _Exchange:
    """One request and its answer as it arrives: what the caller waits on and reads."""

    __slots__ = ("conn", "head_only", "received_any", "status", "reason", "headers", "headers_done",
                 "complete", "framed", "keep_alive", "version", "body", "buffered", "paused", "error", "_waiter")

    def __init__(self, head_only: bool):
        self.conn: _Connection | None = None
        self.head_only = head_only
        self.received_any = False
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.headers_done = False
        self.complete = False
        self.framed = True  # the body's end is known from its framing (length or chunks)
        self.keep_alive = False  # the answer allows another request on its connection
        self.version = "1.1"
        self.body: collections.deque[bytes] = collections.deque()
        self.buffered = 0
        self.paused = False  # its connection stopped reading until the caller takes the body
        self.error: BaseException | None = None
        self._waiter: asyncio.Future | None = None

    @property
    def ours(self) -> bool:
        """Whether its connection is still carrying it."""
        return self.conn is not None and self.conn.exchange is self

    async def wait(self, timeout: float | None) -> None:
        """Until something arrives (headers, body, the end) or the exchange fails."""
        if self.error is None:
            loop = asyncio.get_running_loop()
            waiter = self._waiter = loop.create_future()
            timer = loop.call_later(timeout, _expire, waiter) if timeout is not None else None
            try:
                await waiter
            finally:
                self._waiter = None
                if timer is not None:
                    timer.cancel()
        if self.error is not None:
            raise self.error

    def wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def fail(self, error: BaseException, cause: BaseException | None = None) -> None:
        if cause is not None:
            error.__cause__ = cause
        if self.error is None and not self.complete:
            self.error = error
        self.wake()

    def take_body(self) -> bytes:
        data = self.body.popleft() if len(self.body) == 1 else b"".join(self.body)
        self.body.clear()
        self.buffered = 0
        if self.paused:
            self.paused = False
            if self.ours and not self.conn.closed:
                self.conn.transport.resume_reading()
        return data


def _expire(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _Connection(asyncio.Protocol):
    """One TCP or TLS connection to one origin, carrying one exchange at a time."""

    def __init__(self, pool: ConnectionPool, origin: Origin):
        self.pool, self.origin = pool, origin
        self.transport: asyncio.Transport | None = None
        self.exchange: _Exchange | None = None
        self.closed = False
        self.busy = False  # holds one of its host's slots (carrying a request, or handed one)
        self.reused = False  # carried a request before the current one
        self.idle_since = 0.0
        self._broken = False  # the server sent more than its answer: not to be reused
        self._parser = httptools.HttpResponseParser(self)
        self._parser.set_dangerous_leniencies(
            # What browsers take from old servers: bare LF line ends, stray spaces after a
            # chunk size, both Content-Length and chunked (chunked wins).
            lenient_optional_cr_before_lf=True, lenient_spaces_after_chunk_size=True,
            lenient_chunked_length=True)

    def start(self, exchange: _Exchange, payload: bytes) -> None:
        self.exchange, exchange.conn, self.busy = exchange, self, True
        self.transport.write(payload)

    def close(self) -> None:
        """Abort the connection; an exchange still on it fails."""
        if self.closed:
            return
        exchange = self.exchange
        if exchange is not None and not exchange.complete:
            exchange.fail(httpcore.ReadError("the connection was closed before the answer was complete"))
        self._gone()
        if self.transport is not None:
            self.transport.abort()

    def _gone(self) -> None:
        self.exchange, self.closed = None, True
        self.pool._closed(self)

    # -- asyncio.Protocol ---------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        exchange = self.exchange
        if exchange is None:  # bytes no request asked for: nothing on it can be trusted
            self.close()
            return
        exchange.received_any = True
        try:
            self._parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._broken = True
            exchange.fail(httpcore.RemoteProtocolError(f"malformed HTTP response: {exc}"))
        if exchange.complete:
            self._finished(exchange)
        elif exchange.error is not None:
            self.close()
        else:
            exchange.wake()

    def _finished(self, exchange: _Exchange) -> None:
        self.exchange = None
        if exchange.paused:  # its body is all here: the connection may read for the next one
            exchange.paused = False
            self.transport.resume_reading()
        exchange.wake()
        if self._broken or exchange.head_only or not (exchange.keep_alive and exchange.framed):
            self.close()
        else:
            self.pool._done(self)

    def eof_received(self) -> bool:
        self._ended(None)
        return False  # close our side as well

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended(exc)

    def _ended(self, exc: Exception | None) -> None:
        if self.closed:
            return
        exchange = self.exchange
        if exchange is not None and not exchange.complete:
            if exchange.headers_done and not exchange.framed and exc is None:
                exchange.complete = True  # a body delimited by the close of the connection
                exchange.wake()
            elif not exchange.received_any and self.reused:
                exchange.fail(_Stale())
            elif exc is not None:
                exchange.fail(httpcore.ReadError(str(exc) or type(exc).__name__), exc)
            else:
                exchange.fail(httpcore.RemoteProtocolError(
                    "the server closed the connection before the response was complete"
                    if exchange.headers_done else "the server closed the connection without sending a response"))
        self._gone()

    # -- httptools callbacks: always within data_received, with self.exchange set ---------
    def _stray(self) -> bool:
        """Whether the parser is reading past the end of the current answer."""
        if self.exchange.complete:
            self._broken = True
            return True
        return False

    def on_status(self, reason: bytes) -> None:
        if not self._stray():
            self.exchange.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self._stray():
            self.exchange.headers.append((name, value))

    def on_headers_complete(self) -> None:
        if self._stray():
            return
        exchange = self.exchange
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # 100 Continue and the like: wait for the real one (101 fails)
            exchange.headers, exchange.reason = [], b""
            return
        exchange.status, exchange.headers_done = status, True
        # Asked here: llhttp forgets them once the message is over.
        exchange.keep_alive = self._parser.should_keep_alive()
        exchange.version = self._parser.get_http_version()
        if exchange.head_only:
            exchange.complete = True
        elif status not in (204, 304):
            framing = {name.lower() for name, _ in exchange.headers}
            exchange.framed = b"content-length" in framing or b"transfer-encoding" in framing

    def on_body(self, chunk: bytes) -> None:
        if self._stray():
            return
        exchange = self.exchange
        exchange.body.append(chunk)
        exchange.buffered += len(chunk)
        if exchange.buffered > _READ_HIGH_WATER and not exchange.paused:
            exchange.paused = True
            self.transport.pause_reading()

    def on_message_complete(self) -> None:
        if not self._stray() and self.exchange.headers_done:
            self.exchange.complete = True


class _Body:
    """A response's body for httpcore.Response; closing it early closes its connection."""

    def __init__(self, exchange: _Exchange, read_timeout: float | None):
        self._exchange, self._timeout = exchange, read_timeout

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        exchange = self._exchange
        while True:
            if exchange.body:
                yield exchange.take_body()
            elif exchange.complete:
                return
            else:
                try:
                    await exchange.wait(self._timeout)
                except TimeoutError:
                    await self.aclose()
                    raise httpcore.ReadTimeout("timed out reading the response body") from None

    async def aclose(self) -> None:
        exchange = self._exchange
        if exchange.ours:  # the body is not all here: the connection is in an unknown state
            exchange.conn.close()
        exchange.body.clear()


@dataclass(eq=False)
class _Queued:
    origin: Origin
    exchange: _Exchange
    payload: bytes
    # Set to the connection already carrying the request, or to None: a slot is yours.
    granted: asyncio.Future


class ConnectionPool:
    """Keep-alive HTTP/1.1 connections per origin, for `httpx.AsyncHTTPTransport`."""

    def __init__(self, *, ssl_context: ssl.SSLContext, max_connections: int | None = 100,
                 max_keepalive_connections: int | None = 20, keepalive_expiry: float | None = 5.0,
                 max_per_host: int | None = None):
        self._ssl_context = ssl_context
        self._max_connections = max_connections
        self._max_idle = max_keepalive_connections if max_keepalive_connections is not None else 1 << 30
        self._expiry = keepalive_expiry
        self.max_per_host = max_per_host
        self._conns: set[_Connection] = set()
        self._opening = 0
        self._idle: dict[Origin, list[_Connection]] = {}
        self._idle_count = 0
        self._slots: dict[bytes, int] = collections.Counter()  # per host: slots taken
        self._queued: dict[bytes, collections.deque[_Queued]] = collections.defaultdict(collections.deque)
        self._room_waiters: collections.deque[asyncio.Future] = collections.deque()

    async def __aenter__(self) -> ConnectionPool:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for queue in self._queued.values():
            for queued in queue:
                if not queued.granted.done():
                    queued.granted.set_exception(httpcore.ConnectError("the connection pool was closed"))
            queue.clear()
        for conn in list(self._conns):
            conn.close()

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
        for attempt in (1, 2):
            exchange = _Exchange(head_only=request.method == b"HEAD")
            # A second attempt goes on a new connection: the other idle ones are as old.
            await self._send(origin, exchange, payload, timeouts, fresh=attempt == 2)
            try:
                while not exchange.headers_done:
                    try:
                        await exchange.wait(timeouts.get("read"))
                    except TimeoutError:
                        raise httpcore.ReadTimeout("timed out waiting for the response headers") from None
            except _Stale:
                if attempt == 1 and request.method in _IDEMPOTENT:
                    continue
                raise httpcore.RemoteProtocolError("the server closed the connection without sending a response"
                                                   ) from None
            except BaseException:
                if exchange.ours:  # cancelled or timed out mid-exchange: the connection's state is unknown
                    exchange.conn.close()
                raise
            break
        return httpcore.Response(
            exchange.status, headers=exchange.headers, content=_Body(exchange, timeouts.get("read")),
            extensions={"http_version": f"HTTP/{exchange.version}".encode("ascii"), "reason_phrase": exchange.reason})

    async def _send(self, origin: Origin, exchange: _Exchange, payload: bytes, timeouts: dict,
                    fresh: bool) -> None:
        """Put the request on a connection: at once when its host has a free slot, else
        when a slot frees (queued, perhaps written by the callback that freed it)."""
        host = origin[1]
        if self.max_per_host is not None and self._slots[host] >= self.max_per_host:
            queued = _Queued(origin, exchange, payload, asyncio.get_running_loop().create_future())
            self._queued[host].append(queued)
            try:
                conn = await queued.granted
            except BaseException:
                self._withdraw(queued)
                raise
            if conn is not None:
                return  # written by the callback that freed the slot
        else:
            self._slots[host] += 1
        try:
            conn = None if fresh else self._take_idle(origin)
            if conn is None:
                conn = await self._open(origin, timeouts)
        except BaseException:
            self._free_slot(host)
            raise
        conn.start(exchange, payload)

    def _withdraw(self, queued: _Queued) -> None:
        """A queued request given up (cancelled, or the pool closed): hand back what it was
        granted, if anything."""
        granted = queued.granted
        if not granted.done() or granted.cancelled() or granted.exception() is not None:
            queue = self._queued[queued.origin[1]]
            if queued in queue:  # a slot freed meanwhile may have dropped it already
                queue.remove(queued)
        elif granted.result() is not None:
            granted.result().close()  # its request went out: the connection's state is unknown
        else:
            self._free_slot(queued.origin[1])

    # -- slots and connections -------------------------------------------------------------
    def _free_slot(self, host: bytes) -> None:
        """A slot of `host` is free: it passes to the first request queued for it, if any."""
        queue = self._queued.get(host)
        while queue:
            queued = queue.popleft()
            if not queued.granted.done():
                queued.granted.set_result(None)
                return
        self._slots[host] -= 1

    def _done(self, conn: _Connection) -> None:
        """`conn` finished an answer and may carry another: the next request queued for its
        origin goes out on it now, in the callback that read the answer's last byte."""
        host = conn.origin[1]
        queue = self._queued.get(host)
        if queue:
            for queued in queue:
                if queued.origin == conn.origin and not queued.granted.done():
                    queue.remove(queued)
                    conn.reused = True
                    conn.start(queued.exchange, queued.payload)
                    queued.granted.set_result(conn)
                    return
        conn.busy = False
        conn.idle_since = time.monotonic()
        self._idle.setdefault(conn.origin, []).append(conn)
        self._idle_count += 1
        if self._idle_count > self._max_idle:
            self._close_oldest_idle()
        self._free_slot(host)
        self._wake_room()  # an idle connection may be closed to make room

    def _closed(self, conn: _Connection) -> None:
        """Bookkeeping for a connection that closed, whoever closed it."""
        self._conns.discard(conn)
        if conn.busy:
            conn.busy = False
            self._free_slot(conn.origin[1])
        else:
            idle = self._idle.get(conn.origin)
            if idle and conn in idle:
                idle.remove(conn)
                self._idle_count -= 1
        self._wake_room()

    def _wake_room(self) -> None:
        while self._room_waiters:
            waiter = self._room_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _take_idle(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            self._idle_count -= 1
            if self._expiry is not None and now - conn.idle_since > self._expiry:
                conn.close()
                continue
            conn.reused = True
            return conn
        return None

    def _close_oldest_idle(self) -> None:
        oldest = min((c for conns in self._idle.values() for c in conns), key=lambda c: c.idle_since)
        oldest.close()

    async def _open(self, origin: Origin, timeouts: dict) -> _Connection:
        if self._max_connections is not None:
            await self._room(timeouts.get("pool"))
        scheme, host, port = origin
        tls = scheme == b"https"
        hostname = host.decode("ascii")
        self._opening += 1
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                _, conn = await asyncio.get_running_loop().create_connection(
                    lambda: _Connection(self, origin), hostname, port,
                    ssl=self._ssl_context if tls else None, server_hostname=hostname if tls else None)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {hostname}:{port}") from None
        except OSError as exc:  # refused, unreachable, no such host, and every TLS fault
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        finally:
            self._opening -= 1
        self._conns.add(conn)
        return conn

    async def _room(self, timeout: float | None) -> None:
        """Wait until fewer than max_connections are open, closing an idle one if that helps."""
        while len(self._conns) + self._opening >= self._max_connections:
            if self._idle_count:
                self._close_oldest_idle()
                continue
            waiter = asyncio.get_running_loop().create_future()
            self._room_waiters.append(waiter)
            try:
                async with asyncio.timeout(timeout):
                    await waiter
            except TimeoutError:
                raise httpcore.PoolTimeout("timed out waiting for a free connection") from None
            finally:
                if waiter in self._room_waiters:
                    self._room_waiters.remove(waiter)
