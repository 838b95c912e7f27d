"""Measure the benchmark server alone: keep-alive connections fetching pages as fast as
one asyncio client process can. Its figure is a floor on the server's capacity (the
client may saturate first); either way the crawlers must stay well below it.

With `--httpx`, the same loop through the crawler's httpx client (`checker.crawl.transport`,
with no parsing or storage behind it): the floor that client sets under added latency.

Run: `python -m bench.loadgen PORT [--seconds 4] [--connections 32] [--httpx]`; prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return len(head) + length


async def _run(port: int, seconds: float, connections: int) -> dict:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /__bench/paths HTTP/1.1\r\nHost: x\r\n\r\n")
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    paths = (await reader.readexactly(length)).decode().split("\n")
    writer.close()
    done = sent = 0
    deadline = time.monotonic() + seconds

    async def client(offset: int) -> None:
        nonlocal done, sent
        r, w = await asyncio.open_connection("127.0.0.1", port)
        i = offset
        while time.monotonic() < deadline:
            n = await _get(r, w, paths[i % len(paths)])
            sent += n
            done += 1
            i += connections
        w.close()

    started = time.monotonic()
    await asyncio.gather(*(client(k) for k in range(connections)))
    elapsed = time.monotonic() - started
    return {"requests": done, "seconds": elapsed, "rps": done / elapsed, "mb_per_s": sent / elapsed / 1e6}


async def _run_httpx(port: int, seconds: float, connections: int) -> dict:
    import httpx

    from checker.crawl.transport import Client, Transport

    base = f"http://127.0.0.1:{port}"
    # The crawler's client (checker/crawl/transport.py), as its Fetcher builds it.
    async with Client(transport=Transport(limits=httpx.Limits(max_connections=connections))) as client:
        paths = (await client.get(f"{base}/__bench/paths")).text.split("\n")
        done = sent = 0
        deadline = time.monotonic() + seconds

        async def worker(offset: int) -> None:
            nonlocal done, sent
            i = offset
            while time.monotonic() < deadline:
                response = await client.get(base + paths[i % len(paths)])
                sent += len(response.content)
                done += 1
                i += connections

        started = time.monotonic()
        await asyncio.gather(*(worker(k) for k in range(connections)))
        elapsed = time.monotonic() - started
    return {"requests": done, "seconds": elapsed, "rps": done / elapsed, "mb_per_s": sent / elapsed / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--httpx", action="store_true", help="fetch through httpx instead of raw streams")
    args = ap.parse_args()
    run = _run_httpx if args.httpx else _run
    print(json.dumps(asyncio.run(run(args.port, args.seconds, args.connections))))


if __name__ == "__main__":
    main()
