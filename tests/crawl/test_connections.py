"""The crawl's HTTP/1.1 connections (checker/crawl/connections.py), driven through httpx as
the fetcher drives them, against a scripted asyncio server on 127.0.0.1 that writes each
answer byte for byte: keep-alive reuse, every way a body can end, servers that hang up,
stall or answer garbage, the pool's limits and per-host slots (a queued request written by
the callback that completes the answer before it), and requests a URL must not forge."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable

import httpcore
import httpx
import pytest

from checker.crawl import connections
from checker.crawl.transport import Client, Transport

# (bytes to write, whether to close the connection after them); None: hang up without answering.
Reply = tuple[bytes, bool] | None
# answer(request head, how many requests this connection carried before it) -> Reply
Answer = Callable[[bytes, int], Reply]

PAGE = "<html><title>政务公开</title></html>".encode()


def ok(body: bytes = PAGE, *, extra: bytes = b"", close: bool = False) -> Reply:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + extra
            + b"Content-Length: %d\r\n\r\n" % len(body) + body, close)


class Scripted:
    """An asyncio server whose answers are written as raw bytes by `answer`; it counts the
    connections it accepted and keeps every request head it read."""

    def __init__(self, answer: Answer, *, stall: bool = False):
        self.answer, self.stall = answer, stall
        self.connections = 0
        self.requests: list[bytes] = []

    async def __aenter__(self) -> Scripted:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.base = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc) -> None:
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head)
                if self.stall:
                    await asyncio.sleep(30)
                reply = self.answer(head, served)
                served += 1
                if reply is None:
                    break
                data, close = reply
                writer.write(data)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def run(answer: Answer, go, *, stall: bool = False, **transport):
    """`go(client, base_url)` against a scripted server; returns (its result, the server)."""
    async def main():
        async with Scripted(answer, stall=stall) as server, \
                Client(transport=Transport(**transport), timeout=2.0) as client:
            return await go(client, server.base), server

    return asyncio.run(main())


def path_of(head: bytes) -> str:
    return head.split(b" ")[1].decode()


def test_keep_alive_carries_every_request_over_one_connection():
    async def go(client, base):
        return [await client.get(f"{base}/p{i}") for i in range(5)]

    responses, server = run(lambda head, n: ok(path_of(head).encode()), go)
    assert [r.text for r in responses] == [f"/p{i}" for i in range(5)]
    assert server.connections == 1
    first = responses[0]
    assert first.status_code == 200 and first.http_version == "HTTP/1.1" and first.reason_phrase == "OK"
    assert first.headers["content-type"] == "text/html; charset=utf-8"


def test_the_request_on_the_wire_is_what_httpx_built():
    async def go(client, base):
        return await client.get(f"{base}/zwgk/index.html?a=1&b=%E6%94%BF", headers={"User-Agent": "ua/1"})

    _, server = run(lambda head, n: ok(), go)
    lines = server.requests[0].decode().split("\r\n")
    assert lines[0] == "GET /zwgk/index.html?a=1&b=%E6%94%BF HTTP/1.1"
    assert "User-Agent: ua/1" in lines and any(line.startswith("Host: 127.0.0.1:") for line in lines)
    assert lines[-2:] == ["", ""]


def test_chunked_gzip_and_close_delimited_bodies_arrive_whole():
    big = "公开".encode() * 5000
    packed = gzip.compress(big)

    def answer(head, n):
        path = path_of(head)
        if path == "/chunked":
            return (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", False)
        if path == "/gzip":
            return ok(packed, extra=b"Content-Encoding: gzip\r\n")
        # No length, no chunks: the body ends where the server closes the connection.
        return b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + big, True

    async def go(client, base):
        return [await client.get(f"{base}/{p}") for p in ("chunked", "gzip", "close", "chunked")]

    (chunked, zipped, closed, again), server = run(answer, go)
    assert chunked.content == b"hello world" and again.content == b"hello world"
    assert zipped.content == big
    assert closed.content == big and closed.http_version == "HTTP/1.0"
    assert server.connections == 2  # the close-delimited answer ended its connection


def test_bare_lf_line_ends_of_old_servers_are_read():
    async def go(client, base):
        return await client.get(base + "/")

    response, _ = run(lambda head, n: (b"HTTP/1.1 200 OK\nContent-Length: 2\nServer: old\n\nok", False), go)
    assert response.status_code == 200 and response.content == b"ok" and response.headers["server"] == "old"


def test_a_connection_the_server_closed_while_idle_is_not_reused():
    async def go(client, base):
        first = await client.get(base + "/a")
        await asyncio.sleep(0.05)  # the server's close arrives
        return first, await client.get(base + "/b")

    (first, second), server = run(lambda head, n: ok(close=True), go)
    assert first.status_code == second.status_code == 200
    assert server.connections == 2 and len(server.requests) == 2


@pytest.mark.parametrize("status_line, extra", [
    (b"HTTP/1.1 200 OK", b"Connection: close\r\n"),
    (b"HTTP/1.0 200 OK", b""),  # HTTP/1.0 without keep-alive
])
def test_an_answer_that_ends_its_connection_is_not_followed_by_another_request_on_it(status_line, extra):
    # The server lingers instead of closing: only what the answer said keeps us off.
    async def go(client, base):
        return [(await client.get(f"{base}/p{i}")).status_code for i in range(2)]

    reply = status_line + b"\r\n" + extra + b"Content-Length: 2\r\n\r\nok"
    statuses, server = run(lambda head, n: (reply, False), go)
    assert statuses == [200, 200] and server.connections == 2


def test_a_request_lost_to_a_keep_alive_race_is_sent_again_on_a_new_connection():
    # The server reads the second request on a kept-alive connection and hangs up without
    # answering, as a server does whose keep-alive timeout ran out as the request arrived.
    async def go(client, base):
        return [await client.get(f"{base}/p{i}") for i in range(2)]

    responses, server = run(lambda head, n: ok() if n == 0 else None, go)
    assert [r.status_code for r in responses] == [200, 200]
    assert server.connections == 2
    assert [path_of(h) for h in server.requests] == ["/p0", "/p1", "/p1"]


def test_a_fresh_connection_that_hangs_up_without_answering_is_an_error_not_a_retry_loop():
    async def go(client, base):
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await client.get(base + "/")

    _, server = run(lambda head, n: None, go)
    assert server.connections == 1


def test_an_answer_cut_short_is_an_error():
    async def go(client, base):
        with pytest.raises(httpx.RemoteProtocolError, match="before the response was complete"):
            await client.get(base + "/")

    run(lambda head, n: (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part", True), go)


def test_garbage_instead_of_http_is_a_protocol_error():
    async def go(client, base):
        with pytest.raises(httpx.RemoteProtocolError, match="malformed HTTP response"):
            await client.get(base + "/")

    run(lambda head, n: (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", False), go)


def test_a_stalled_server_times_out():
    async def go(client, base):
        with pytest.raises(httpx.ReadTimeout):
            await client.get(base + "/", timeout=0.2)

    run(lambda head, n: ok(), go, stall=True)


def test_a_refused_connection_is_a_connect_error():
    async def main():
        async with Client(transport=Transport()) as client:
            with pytest.raises(httpx.ConnectError) as caught:
                await client.get("http://127.0.0.1:9/")  # discard port: nothing listens
            return caught.value

    error = asyncio.run(main())
    assert isinstance(error.__cause__, httpcore.ConnectError)
    assert isinstance(error.__cause__.__cause__, OSError)  # the fetcher looks here for TLS faults


@pytest.mark.parametrize("value", ["a\r\nX-Forged: 1", "a\nX-Forged: 1", "a\0b"])
def test_a_header_cannot_write_request_lines_of_its_own(value):
    async def go(client, base):
        with pytest.raises(httpx.LocalProtocolError):
            await client.get(base + "/", headers={"X-Note": value})

    _, server = run(lambda head, n: ok(), go)
    assert server.requests == []


def test_a_response_closed_before_its_body_was_read_does_not_leave_its_connection_for_reuse():
    # The fetcher's link probes read the status line and close the response.
    async def go(client, base):
        async with client.stream("GET", base + "/big") as response:
            status = response.status_code
        return status, (await client.get(base + "/small")).content

    (status, small), server = run(lambda head, n: ok(b"x" * 200_000 if path_of(head) == "/big" else b"ok"), go)
    assert status == 200 and small == b"ok"
    assert server.connections == 2


def test_head_answers_have_no_body_even_when_they_announce_one():
    async def go(client, base):
        head = await client.head(base + "/")
        return head, await client.get(base + "/")

    (head, get), _ = run(lambda head, n: ok(b"twelve bytes"), go)
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == "12"
    assert get.content == b"twelve bytes"


def test_interim_100_continue_is_skipped():
    async def go(client, base):
        return await client.get(base + "/")

    response, _ = run(lambda head, n: (b"HTTP/1.1 100 Continue\r\n\r\n" + ok()[0], False), go)
    assert response.status_code == 200 and response.content == PAGE


def test_reading_pauses_while_the_body_waits_for_the_reader():
    body = bytes(range(256)) * 40_000  # 10 MB

    async def go(client, base):
        async with client.stream("GET", base + "/") as response:
            await asyncio.sleep(0.3)  # the server writes everything; we do not read yet
            pool = client._transport._pool
            (conn,) = pool._conns
            exchange = conn.exchange
            return exchange.buffered, exchange.paused, await response.aread()

    (waiting, paused, received), _ = run(lambda head, n: ok(body), go)
    assert paused and connections._READ_HIGH_WATER < waiting <= connections._READ_HIGH_WATER + 2**20
    assert received == body


def test_the_pool_holds_at_most_max_connections_and_times_out_waiting_for_one():
    big = b"x" * 5_000_000  # still arriving (reading paused) while /b waits for a connection

    async def go(client, base):
        async with client.stream("GET", base + "/a"):
            with pytest.raises(httpx.PoolTimeout):
                await client.get(base + "/b", timeout=httpx.Timeout(2.0, pool=0.2))
        return (await client.get(base + "/c")).status_code  # /a's unread body closed its connection

    status, server = run(lambda head, n: ok(big if path_of(head) == "/a" else b"ok"), go,
                         limits=httpx.Limits(max_connections=1))
    assert status == 200 and server.connections == 2


def test_an_answer_all_here_frees_its_connection_before_its_body_is_read():
    async def go(client, base):
        async with client.stream("GET", base + "/a") as first:
            await asyncio.sleep(0.05)  # all of /a has arrived, none of it read
            second = await client.get(base + "/b")
            return await first.aread(), second.content

    (first, second), server = run(lambda head, n: ok(path_of(head).encode()), go,
                                  limits=httpx.Limits(max_connections=1))
    assert (first, second) == (b"/a", b"/b") and server.connections == 1


class Concurrency:
    """Answers each request after `delay`, counting how many it holds at once."""

    def __init__(self, delay: float = 0.05):
        self.delay, self.now, self.most, self.order = delay, 0, 0, []

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.now += 1
                self.most = max(self.most, self.now)
                self.order.append(path_of(head))
                await asyncio.sleep(self.delay)
                self.now -= 1
                writer.write(ok(path_of(head).encode())[0])
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def run_slow(go, *, delay: float, per_host: int):
    """`go(client, base_url, pool)` through a pool of `per_host` slots against a server that
    answers each request after `delay`; returns (its result, the server's `Concurrency`)."""
    async def main():
        site = Concurrency(delay)
        server = await asyncio.start_server(site.serve, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        try:
            transport = Transport(per_host=per_host)
            async with Client(transport=transport) as client:
                return await go(client, base, transport._pool), site
        finally:
            server.close()

    return asyncio.run(main())


def taken(pool) -> tuple[int, int, int]:
    """Slots taken, requests queued, connections open."""
    return sum(pool._slots.values()), sum(len(q) for q in pool._queued.values()), len(pool._conns)


async def in_flight_and_queued(client, base: str, second: str = "/second"):
    """Two requests to a one-slot host: the first in flight, the second queued behind it."""
    first = asyncio.create_task(client.get(base + "/first"))
    await asyncio.sleep(0.01)
    queued = asyncio.create_task(client.get(base + second))
    await asyncio.sleep(0.01)
    return first, queued


def test_a_host_gets_at_most_per_host_requests_at_once_and_queued_ones_go_out_in_order():
    async def go(client, base, pool):
        responses = await asyncio.gather(*(client.get(f"{base}/p{i}") for i in range(10)))
        return [r.text for r in responses], taken(pool)

    (texts, state), site = run_slow(go, delay=0.05, per_host=2)
    assert texts == [f"/p{i}" for i in range(10)]
    assert site.most == 2 and site.order == [f"/p{i}" for i in range(10)]
    assert state == (0, 0, 2)  # two connections carried them all; every slot given back


def test_the_next_queued_request_goes_out_before_the_task_that_sent_it_runs():
    # The callback that reads an answer's last byte writes the next queued request: by
    # the time the first request's task runs on, the second already has its connection.
    async def go(client, base, pool):
        first, second = await in_flight_and_queued(client, base)
        (queued,) = pool._queued[b"127.0.0.1"]
        await first
        granted = queued.granted.done() and queued.granted.result() is not None
        await second
        return granted

    granted, _ = run_slow(go, delay=0.05, per_host=1)
    assert granted


def test_a_queued_request_that_is_cancelled_gives_its_place_back():
    async def go(client, base, pool):
        first, doomed = await in_flight_and_queued(client, base, "/doomed")
        doomed.cancel()
        third = await client.get(base + "/third")
        await first
        return third.text, taken(pool)[:2]

    (third, state), site = run_slow(go, delay=0.1, per_host=1)
    assert site.order == ["/first", "/third"] and third == "/third" and state == (0, 0)


def test_cancelling_the_request_in_flight_and_the_one_queued_behind_it_together():
    # The first's cancellation frees the slot while the second, cancelled too, still sits
    # in the queue: the second must end cancelled, and nothing may stay taken.
    async def go(client, base, pool):
        first, second = await in_flight_and_queued(client, base)
        first.cancel()
        second.cancel()
        outcomes = await asyncio.gather(first, second, return_exceptions=True)
        return outcomes, taken(pool), (await client.get(base + "/after")).text

    (outcomes, state, after), _ = run_slow(go, delay=0.2, per_host=1)
    assert all(isinstance(o, asyncio.CancelledError) for o in outcomes), outcomes
    assert state == (0, 0, 0) and after == "/after"


def test_closing_the_pool_fails_the_requests_queued_in_it():
    async def go(client, base, pool):
        tasks = [asyncio.create_task(client.get(f"{base}/{i}")) for i in range(2)]
        await asyncio.sleep(0.05)
        await pool.aclose()
        return await asyncio.gather(*tasks, return_exceptions=True)

    outcomes, _ = run_slow(go, delay=0.2, per_host=1)
    assert isinstance(outcomes[0], httpx.ReadError)  # in flight: its connection closed
    assert isinstance(outcomes[1], httpx.ConnectError) and "pool was closed" in str(outcomes[1])


def test_a_failed_request_frees_its_hosts_slot():
    async def go(client, base):
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(base + "/bad")
        return (await client.get(base + "/good")).status_code, client._transport._pool._slots[b"127.0.0.1"]

    (status, slots), _ = run(lambda head, n: None if path_of(head) == "/bad" else ok(), go, per_host=1)
    assert status == 200 and slots == 0


def test_idle_connections_beyond_the_keep_alive_limit_are_closed():
    async def go(client, base):
        await asyncio.gather(*(client.get(f"{base}/{i}") for i in range(4)))
        return client._transport._pool._idle_count

    idle, server = run(lambda head, n: ok(), go, limits=httpx.Limits(max_keepalive_connections=2))
    assert server.connections == 4 and idle == 2


def test_a_cancelled_request_gives_its_connection_up():
    async def go(client, base):
        task = asyncio.create_task(client.get(base + "/"))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        pool = client._transport._pool
        return len(pool._conns), sum(pool._slots.values())

    (open_, slots), _ = run(lambda head, n: ok(), go, stall=True)
    assert (open_, slots) == (0, 0)


def test_urls_the_pool_cannot_serve_are_refused_plainly():
    async def main():
        pool = connections.ConnectionPool(ssl_context=httpx.create_ssl_context())
        with pytest.raises(httpcore.UnsupportedProtocol):
            await pool.handle_async_request(httpcore.Request("GET", "ftp://example.gov.cn/a"))

    asyncio.run(main())
