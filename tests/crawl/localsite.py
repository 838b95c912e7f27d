"""A threaded HTTP server on 127.0.0.1 whose answers come from a function, for crawl tests
that need request-dependent answers (cookies, query strings)."""

from __future__ import annotations

import http.server
import sys
import threading
from collections import Counter
from collections.abc import Callable

Answer = tuple[int, dict[str, str], bytes]
Handler = Callable[[str, dict[str, str]], Answer]

NOT_FOUND: Answer = (404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>")


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-answer (a crawl out of time, a cancelled fetch) is what
        # some tests make happen: no traceback for it.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalSite:
    """`handler(path_with_query, lower-cased request headers)` -> (status, headers, body).

    `hits` counts requests by `hit_key(path_with_query)` (the full path by default).
    `keep_alive` answers in HTTP/1.1 and keeps connections open, as real servers do."""

    def __init__(self, handler: Handler, *, hit_key: Callable[[str], str] = lambda path: path,
                 keep_alive: bool = False):
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        lock = threading.Lock()
        site = self

        class _H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_GET(self):
                headers = {k.lower(): v for k, v in self.headers.items()}
                with lock:
                    site.hits[hit_key(self.path)] += 1
                    site.requests.append((self.path, headers))
                status, out_headers, body = handler(self.path, headers)
                self.send_response(status)
                for k, v in out_headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), _H)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> LocalSite:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def from_pages(pages: dict[str, Answer]) -> Handler:
    return lambda path, _headers: pages.get(path, NOT_FOUND)
