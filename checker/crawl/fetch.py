"""HTTP fetching for the crawl: one httpx client, polite per host, honest about failures.

Everything the crawler learns from the network passes through `Fetcher.fetch`, which
never raises for network trouble: it returns a `FetchResult` whose `error_kind` (one of
`checker.site.records.ERROR_KINDS`) says why a URL did not become a page. The engine
depends on that distinction: a 403/412 challenge or a timeout is "we could not see", a
404 is "the link is broken", and only the second may fail a check.
"""

from __future__ import annotations

import asyncio
import contextvars
import random
import re
import ssl
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from .. import __version__
from .transport import Client, Transport

# ASCII only: header values outside latin-1 break some servers and proxies.
USER_AGENT = f"gov-portal-checker/{__version__} (government portal compliance checker; open source)"
# The product token robots.txt groups are matched against.
ROBOT_NAME = "gov-portal-checker"

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5

# Signs that a response is a WAF / anti-bot challenge rather than the site's own answer.
# Chinese government portals sit behind 瑞数 ($_ts, answers 412), 安全狗, 云锁 (yunsuo),
# 阿里云盾, 知道创宇/加速乐 (jsl, answers 521) and similar.
CHALLENGE_MARKERS = (
    "$_ts", "yunsuo", "安全狗", "safedog", "云盾", "知道创宇", "jiasule", "__jsl_clearance",
    "waf", "captcha", "验证", "access denied", "访问被拒绝", "challenge",
)
# A 200 page is called a challenge only on these, which do not occur in real content.
STRONG_CHALLENGE_MARKERS = ("$_ts", "yunsuo", "安全狗", "safedog", "云盾", "知道创宇", "jiasule", "__jsl_clearance")

# Conditional-request headers (If-None-Match / If-Modified-Since) of the fetch running in
# this task: set by `Fetcher.fetch(validators=…)` and sent on every hop, so a redirect
# chain ending in a 304 still counts as "unchanged".
_VALIDATORS: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("validators", default=None)

SleepFn = Callable[[float], Awaitable[None]]
InScopeFn = Callable[[str], bool]


@dataclass
class FetchResult:
    url: str  # as requested
    final_url: str  # last URL actually requested (the redirect source when a hop left scope)
    status: int | None  # None when no HTTP response arrived
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""
    elapsed: float = 0.0  # seconds, whole fetch including retries
    error_kind: str | None = None  # one of ERROR_KINDS; None = usable response
    error: str | None = None  # human-readable reason
    tls_problem: str | None = None  # certificate/handshake fault bypassed to get this response
    redirect_to: str | None = None  # set when a redirect left the scan scope and was not followed
    attempts: int = 1
    # As received, for the WARC archive (archive.py): the HTTP version and reason phrase of
    # the status line, the raw header list (order, case and repeats kept), the request
    # headers sent, whether the body was read (a probed binary's is not), the fetch time.
    http_version: str = ""
    reason: str = ""
    raw_headers: tuple[tuple[bytes, bytes], ...] = ()
    request_headers: tuple[tuple[bytes, bytes], ...] = ()
    body_read: bool = True
    fetched_at: str = ""  # ISO 8601 UTC, seconds precision, when the fetch completed
    warc_record: str = ""  # WARC-Record-ID of the archived response ('' when not archived)
    warc_offset: int | None = None  # file offset of that record's gzip member

    @property
    def ok(self) -> bool:
        return self.error_kind is None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class _TooLarge(Exception):
    pass


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds a `Retry-After` header asks us to wait (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_SCRIPT_STYLE = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(rb"<[^>]*>")


def challenge_marker(body: bytes, *, strong_only: bool = False) -> str | None:
    """The marker that makes `body` look like an anti-bot page, or None.

    Works on bytes so GBK and UTF-8 pages are both recognised without decoding them.
    """
    head = body[:200_000]
    lowered = head.lower()
    for marker in STRONG_CHALLENGE_MARKERS if strong_only else CHALLENGE_MARKERS:
        for enc in ("utf-8", "gb18030"):
            if marker.encode(enc) in lowered:
                return marker
    if strong_only:
        return None
    # A page that is all script and next to no visible text is a JS challenge.
    if b"<script" in lowered:
        visible = _TAG.sub(b" ", _SCRIPT_STYLE.sub(b" ", head))
        if len(b"".join(visible.split())) < 100:
            return "script-only page"
    return None


def _is_tls_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLError | ssl.CertificateError):
            return True
        text = str(cur)
        if "CERTIFICATE_VERIFY_FAILED" in text or "[SSL" in text or "SSL:" in text:
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _lenient_ssl_context() -> ssl.SSLContext:
    """No certificate checks, old protocols and ciphers allowed: many county portals run
    expired or self-signed certificates on servers too old for OpenSSL 3's defaults."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.options |= getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)
    try:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():  # deprecated for good reason, needed for old servers
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
    except (ssl.SSLError, ValueError):
        pass
    return ctx


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:  # unparsable: fetching it fails anyway, with its own error
        return url


class Fetcher:
    """Polite GETs: per-host concurrency and spacing, retries with backoff, size cap,
    redirects followed only while they stay inside the scan scope."""

    def __init__(
        self,
        *,
        in_scope: InScopeFn | None = None,
        timeout: float = 20.0,
        retries: int = 2,
        per_host: int = 4,
        delay: float = 0.0,
        max_bytes: int = 5_000_000,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: SleepFn = asyncio.sleep,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        retry_after_cap: float = 60.0,
    ):
        self.in_scope = in_scope or (lambda url: True)
        self.retries = max(0, retries)
        self.per_host = max(1, per_host)
        self.delay = max(0.0, delay)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.backoff_base, self.backoff_cap, self.retry_after_cap = backoff_base, backoff_cap, retry_after_cap
        self._sleep = sleep
        self._timeout = httpx.Timeout(timeout)
        self._headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                         "Accept-Language": "zh-CN,zh;q=0.9"}
        self._transport = transport
        # Our own transport holds each host to `per_host` requests itself (connections.py).
        self._pooled = transport is None
        # Redirects are followed by hand so every hop can be checked against the scope.
        self.client = Client(headers=self._headers, timeout=self._timeout, verify=True, follow_redirects=False,
                             transport=transport or Transport(verify=True, per_host=self.per_host))
        self._lenient: Client | None = None
        self._tls_hosts: dict[str, str] = {}  # host -> the TLS fault seen there
        self._sems: dict[tuple[str, bool], asyncio.Semaphore] = {}
        self._spacing_locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        # Bytes received (status line, headers and the body as read): what an incremental
        # scan saves is measured here.
        self.bytes_received = 0
        # Called with every final result that carries an HTTP response (robots.txt and
        # probes included): the crawl archives them to its WARC here. It may set the
        # result's warc_record / warc_offset.
        self.on_result: Callable[[FetchResult], None] | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()
        if self._lenient is not None:
            await self._lenient.aclose()

    # -- politeness -----------------------------------------------------------------------
    def set_host_delay(self, host: str, seconds: float | None) -> None:
        """Raise the spacing between request starts for one host (robots Crawl-delay)."""
        if seconds:
            self._host_delay[host.lower()] = max(self._host_delay.get(host.lower(), 0.0), seconds)

    def host_delay(self, host: str) -> float:
        return max(self.delay, self._host_delay.get(host.lower(), 0.0))

    async def _wait_turn(self, host: str) -> None:
        spacing = self.host_delay(host)
        if spacing <= 0:
            return
        lock = self._spacing_locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            wait = self._next_start.get(host, 0.0) - now
            if wait > 0:
                await self._sleep(wait)
            self._next_start[host] = max(now, self._next_start.get(host, 0.0)) + spacing

    def _slots(self, host: str) -> asyncio.Semaphore:
        """The fetcher's limit on requests to `host`.

        Our transport holds each host to `per_host` requests in flight and writes a queued
        request the moment an answer is complete, from the callback that read it: no task
        has to run first. So, unless starts must be spaced (Crawl-delay: a queued request
        could go out right behind another), twice `per_host` requests pass here to queue
        there. With spacing, or a transport of the caller's, this is the limit."""
        queue = self._pooled and not self.host_delay(host)
        sem = self._sems.get((host, queue))
        if sem is None:
            sem = self._sems[(host, queue)] = asyncio.Semaphore(self.per_host * (2 if queue else 1))
        return sem

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff_base * 2**attempt) + random.uniform(0, self.backoff_base)

    def _lenient_client(self) -> Client:
        if self._lenient is None:
            lenient = _lenient_ssl_context()
            self._lenient = Client(
                headers=self._headers, timeout=self._timeout, verify=lenient, follow_redirects=False,
                transport=self._transport or Transport(verify=lenient, per_host=self.per_host))
        return self._lenient

    # -- one request --------------------------------------------------------------------
    async def _get(self, url: str, max_bytes: int, headers_only: bool = False
                   ) -> tuple[httpx.Response, bytes, str | None]:
        """One GET (no redirects) under the host's limits; falls back to a lenient TLS client
        on a certificate or handshake error and says so."""
        host = _host(url)
        async with self._slots(host):
            await self._wait_turn(host)
            tls_problem = self._tls_hosts.get(host)
            client = self._lenient_client() if tls_problem else self.client
            try:
                answer = await self._send(client, url, max_bytes, headers_only)
            except httpx.TransportError as exc:
                if tls_problem or not url.startswith("https:") or not _is_tls_error(exc):
                    raise
                tls_problem = f"TLS: {exc}"[:300]
                self._tls_hosts[host] = tls_problem
                answer = await self._send(self._lenient_client(), url, max_bytes, headers_only)
        return (*answer, tls_problem)

    async def _send(self, client: Client, url: str, max_bytes: int, headers_only: bool
                    ) -> tuple[httpx.Response, bytes]:
        request = client.build_request("GET", url, headers=_VALIDATORS.get())
        response = await client.send(request, stream=True)
        self.bytes_received += 16 + sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
        try:
            if headers_only and not response.is_redirect and response.status_code < 400:
                # A link probe: the status line is the answer; the body is not worth reading.
                # (GET rather than HEAD: many government servers answer HEAD with 405 or 500.)
                return response, b""
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _TooLarge(f"Content-Length {declared} exceeds {max_bytes} bytes")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _TooLarge(f"body exceeds {max_bytes} bytes")
                chunks.append(chunk)
            self.bytes_received += size
            return response, b"".join(chunks)
        finally:
            await response.aclose()

    async def _follow(self, url: str, max_bytes: int, headers_only: bool = False) -> FetchResult:
        """GET `url`, following in-scope redirects; transport errors propagate."""
        current, tls_problem = url, None
        for _hop in range(self.max_redirects + 1):
            response, body, tls = await self._get(current, max_bytes, headers_only)
            tls_problem = tls_problem or tls
            headers = {k.lower(): v for k, v in response.headers.items()}
            result = FetchResult(url, current, response.status_code, headers, body, tls_problem=tls_problem)
            result.http_version, result.reason = response.http_version, response.reason_phrase
            result.raw_headers = tuple(response.headers.raw)
            result.request_headers = tuple(response.request.headers.raw)
            result.body_read = not (headers_only and not response.is_redirect and response.status_code < 400)
            if not response.is_redirect or "location" not in headers:  # 304, or a 3xx that leads nowhere
                return result
            try:
                target = str(httpx.URL(current).join(headers["location"].strip()))
            except (httpx.InvalidURL, ValueError):
                result.error_kind, result.error = "http", f"bad redirect Location: {headers['location'][:200]}"
                return result
            if not target.startswith(("http://", "https://")) or not self.in_scope(target):
                result.redirect_to = target
                return result
            current = target
        result.error_kind, result.error = "http", f"more than {self.max_redirects} redirects"
        return result

    # -- public -----------------------------------------------------------------------------
    async def fetch(self, url: str, *, max_bytes: int | None = None, headers_only: bool = False,
                    validators: dict[str, str] | None = None) -> FetchResult:
        """GET `url` with retries. `headers_only` probes a link: the body of a successful
        answer is not read (error pages still are, to recognise challenge pages).
        `validators` makes the request conditional (If-None-Match / If-Modified-Since): a 304
        answer is then a usable result with an empty body."""
        token = _VALIDATORS.set(validators or None)
        try:
            return await self._fetch(url, max_bytes=max_bytes, headers_only=headers_only)
        finally:
            _VALIDATORS.reset(token)

    async def _fetch(self, url: str, *, max_bytes: int | None, headers_only: bool) -> FetchResult:
        limit = self.max_bytes if max_bytes is None else max_bytes
        started = time.monotonic()
        result: FetchResult | None = None
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                result = await self._follow(url, limit, headers_only)
            except _TooLarge as exc:
                return FetchResult(url, url, None, error_kind="too_large", error=str(exc),
                                   elapsed=time.monotonic() - started, attempts=attempt + 1)
            except httpx.TimeoutException as exc:
                result = self._failure(url, "timeout", exc)
            except httpx.TransportError as exc:
                kind = "tls" if _is_tls_error(exc) else "connect"
                result = self._failure(url, kind, exc)
                if kind == "tls":  # the lenient client already failed: retrying will not help
                    last = True
            except (httpx.HTTPError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
                # A URL httpx cannot even send (bad host label, bad port): a link that leads nowhere.
                result = self._failure(url, "connect", exc)
                last = True
            result.attempts = attempt + 1
            retryable = result.error_kind in ("timeout", "connect") or (
                result.error_kind is None and result.status in RETRY_STATUSES)
            if last or not retryable:
                break
            wait = None
            if result.status in RETRY_STATUSES:
                wait = retry_after_seconds(result.headers.get("retry-after"))
            wait = self._backoff(attempt) if wait is None else min(wait, self.retry_after_cap)
            await self._sleep(wait)
        assert result is not None
        result.elapsed = time.monotonic() - started
        result.fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        result = self._classify(result)
        if self.on_result is not None and result.status is not None:
            self.on_result(result)
        return result

    def _failure(self, url: str, kind: str, exc: Exception) -> FetchResult:
        message = f"{type(exc).__name__}: {exc}".strip().rstrip(":")[:500]
        host = _host(url)
        return FetchResult(url, url, None, error_kind=kind, error=message, tls_problem=self._tls_hosts.get(host))

    @staticmethod
    def _classify(result: FetchResult) -> FetchResult:
        """Turn a final HTTP status into an error kind where it is one."""
        status = result.status
        if result.error_kind is not None or status is None:
            return result
        if 200 <= status < 300:
            marker = challenge_marker(result.body, strong_only=True) if len(result.body) < 20_000 else None
            if marker:
                result.error_kind, result.error = "blocked", f"HTTP {status} anti-bot challenge page ({marker})"
            return result
        if status == 304 and _VALIDATORS.get():
            return result  # not modified since the copy we hold: the caller reuses it
        if 300 <= status < 400:
            if result.redirect_to is None:  # a 3xx without a usable Location
                result.error_kind, result.error = "http", f"HTTP {status} redirect without Location"
            return result
        marker = challenge_marker(result.body)
        if status == 412:
            result.error_kind = "blocked"
            result.error = f"HTTP 412 anti-bot challenge ({marker or 'precondition failed'})"
        elif status in (401, 403):
            # A public page answering 403 is a gate in front of us, not evidence of absence.
            result.error_kind = "blocked"
            result.error = f"HTTP {status} forbidden" + (f" (WAF/challenge: {marker})" if marker else "")
        elif status == 429:
            result.error_kind, result.error = "blocked", "HTTP 429 rate limited after retries"
        elif status in (405, 521) and marker:
            result.error_kind, result.error = "blocked", f"HTTP {status} WAF/challenge page ({marker})"
        else:
            result.error_kind, result.error = "http", f"HTTP {status}"
        return result
