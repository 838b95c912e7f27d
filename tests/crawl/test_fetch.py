"""Fetcher: retries, Retry-After, blocked/WAF recognition, size cap, scope-checked redirects,
TLS fallback, politeness. HTTP is mocked with pytest-httpx, except for the TLS test, which
runs a real HTTPS server with a self-signed certificate on 127.0.0.1."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import ssl
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpx import IteratorStream

from checker import __version__
from checker.crawl.fetch import USER_AGENT, Fetcher, FetchResult, challenge_marker, retry_after_seconds

URL = "https://www.example.gov.cn/zwgk/"
HTML = "<html><head><title>政务公开</title></head><body><p>" + "正文内容。" * 50 + "</p></body></html>"


class Sleeps:
    """Records the waits the fetcher asks for instead of sleeping."""

    def __init__(self):
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def fetch(url: str = URL, **kwargs) -> tuple[FetchResult, Sleeps]:
    sleeps = Sleeps()

    async def go():
        async with Fetcher(sleep=sleeps, **kwargs) as f:
            return await f.fetch(url)

    return asyncio.run(go()), sleeps


def test_retries_on_503_then_succeeds(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=503)
    httpx_mock.add_response(url=URL, html=HTML)
    res, sleeps = fetch()
    assert res.ok and res.status == 200 and res.attempts == 2
    assert "政务公开" in res.body.decode()
    assert len(sleeps.waits) == 1 and 0.5 <= sleeps.waits[0] <= 1.0  # backoff base 0.5 + jitter


def test_backoff_grows_and_persistent_5xx_is_an_http_error(httpx_mock):
    for _ in range(3):
        httpx_mock.add_response(url=URL, status_code=502)
    res, sleeps = fetch(retries=2)
    assert res.error_kind == "http" and res.status == 502 and res.attempts == 3
    assert len(sleeps.waits) == 2
    assert 0.5 <= sleeps.waits[0] <= 1.0 and 1.0 <= sleeps.waits[1] <= 1.5


def test_retry_after_seconds_is_honoured(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "7"})
    httpx_mock.add_response(url=URL, html=HTML)
    res, sleeps = fetch()
    assert res.ok and sleeps.waits == [7.0]


def test_retry_after_is_capped(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "3600"})
    httpx_mock.add_response(url=URL, html=HTML)
    res, sleeps = fetch(retry_after_cap=60.0)
    assert res.ok and sleeps.waits == [60.0]


def test_retry_after_http_date(httpx_mock):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": when})
    httpx_mock.add_response(url=URL, html=HTML)
    res, sleeps = fetch()
    assert res.ok and len(sleeps.waits) == 1 and 27 <= sleeps.waits[0] <= 30


def test_retry_after_parsing():
    now = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Sun, 01 Mar 2026 08:01:30 GMT", now=now) == 90.0
    assert retry_after_seconds("Sun, 01 Mar 2026 07:00:00 GMT", now=now) == 0.0  # in the past
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_timeouts_are_retried_then_reported(httpx_mock):
    for _ in range(3):
        httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=URL)
    res, sleeps = fetch()
    assert res.error_kind == "timeout" and res.status is None and res.attempts == 3
    assert len(sleeps.waits) == 2


def test_connect_error_kind(httpx_mock):
    httpx_mock.add_exception(httpx.ConnectError("[Errno 111] Connection refused"), url=URL)
    res, _ = fetch(retries=0)
    assert res.error_kind == "connect" and "refused" in res.error


def test_412_challenge_is_blocked_and_not_retried(httpx_mock):
    ruishu = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">' \
             b'<script>$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=1234;</script>' \
             b'<script src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js"></script></head><body></body></html>'
    httpx_mock.add_response(url=URL, status_code=412, content=ruishu)
    res, sleeps = fetch()
    assert res.error_kind == "blocked" and res.status == 412 and "$_ts" in res.error
    assert len(httpx_mock.get_requests()) == 1 and sleeps.waits == []


def test_403_waf_page_in_gbk_is_blocked(httpx_mock):
    page = ("<html><head><title>网站防火墙</title></head><body><h1>您的请求带有不合法参数，已被网站管理员设置拦截！"
            "</h1><p>可能原因：您提交的内容包含危险的攻击请求</p><p>如何解决：请联系网站管理员。</p>"
            "<p>网站防火墙 安全狗 提供技术支持</p></body></html>").encode("gbk")
    httpx_mock.add_response(url=URL, status_code=403, content=page,
                            headers={"Content-Type": "text/html; charset=gbk"})
    res, _ = fetch()
    assert res.error_kind == "blocked" and res.status == 403 and "安全狗" in res.error


def test_plain_403_is_blocked_not_absent(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=403, text="Forbidden")
    res, _ = fetch()
    assert res.error_kind == "blocked" and res.error == "HTTP 403 forbidden"


def test_521_js_challenge_is_blocked_but_plain_405_is_http(httpx_mock):
    jsl = b"<script>document.cookie=('_')+('_jsl_clearance')+('=1637');location.href=location.pathname</script>"
    httpx_mock.add_response(url=URL, status_code=521, content=jsl)
    res, _ = fetch()
    assert res.error_kind == "blocked" and res.status == 521
    other = "https://www.example.gov.cn/form.jsp"
    body = "<html><body><h1>Method Not Allowed</h1>" + "<p>The method is not allowed for this URL.</p>" * 5
    httpx_mock.add_response(url=other, status_code=405, text=body + "</body></html>")
    res, _ = fetch(other)
    assert res.error_kind == "http" and res.status == 405


def test_200_challenge_page_is_blocked(httpx_mock):
    page = b'<html><head><script type="text/javascript" src="/yunsuo_session_verify.js"></script></head></html>'
    httpx_mock.add_response(url=URL, content=page)
    res, _ = fetch()
    assert res.error_kind == "blocked" and res.status == 200


def test_404_is_http_and_not_retried(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=404, text="Not Found")
    res, sleeps = fetch()
    assert res.error_kind == "http" and res.status == 404 and res.error == "HTTP 404"
    assert sleeps.waits == [] and len(httpx_mock.get_requests()) == 1


def test_declared_too_large_body(httpx_mock):
    httpx_mock.add_response(url=URL, content=b"x" * 2000)  # Content-Length: 2000
    res, _ = fetch(max_bytes=1000)
    assert res.error_kind == "too_large" and "1000" in res.error and res.body == b""


def test_streamed_too_large_body_stops_reading(httpx_mock):
    chunks = [b"y" * 400 for _ in range(10)]
    httpx_mock.add_response(url=URL, stream=IteratorStream(chunks))  # no Content-Length
    res, _ = fetch(max_bytes=1000)
    assert res.error_kind == "too_large" and res.body == b""
    httpx_mock.add_response(url=URL, stream=IteratorStream(chunks[:2]))
    res, _ = fetch(max_bytes=1000)
    assert res.ok and res.body == b"y" * 800


def test_redirect_inside_scope_is_followed(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=301, headers={"Location": "/zwgk/index.html"})
    httpx_mock.add_response(url="https://www.example.gov.cn/zwgk/index.html", html=HTML)
    res, _ = fetch(in_scope=lambda u: "example.gov.cn" in u)
    assert res.ok and res.status == 200
    assert res.final_url == "https://www.example.gov.cn/zwgk/index.html" and res.redirect_to is None


def test_redirect_out_of_scope_is_returned_not_followed(httpx_mock):
    httpx_mock.add_response(url=URL, status_code=302, headers={"Location": "https://zwgk.city.gov.cn/county/"})
    res, _ = fetch(in_scope=lambda u: "example.gov.cn" in u)
    assert res.ok and res.status == 302
    assert res.final_url == URL and res.redirect_to == "https://zwgk.city.gov.cn/county/"
    assert len(httpx_mock.get_requests()) == 1  # the off-site host was never contacted


def test_redirect_loop_stops(httpx_mock):
    httpx_mock.add_response(status_code=302, headers={"Location": "/a"}, is_reusable=True)
    res, _ = fetch(max_redirects=3)
    assert res.error_kind == "http" and "redirects" in res.error
    assert len(httpx_mock.get_requests()) == 4


def test_honest_user_agent_is_sent(httpx_mock):
    httpx_mock.add_response(url=URL, html=HTML)
    fetch()
    ua = httpx_mock.get_requests()[0].headers["User-Agent"]
    assert ua == USER_AGENT and ua.startswith(f"gov-portal-checker/{__version__} (")
    assert ua.isascii()


def test_tls_error_retried_without_verification_and_reported(httpx_mock):
    err = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired")
    httpx_mock.add_exception(err, url=URL)
    httpx_mock.add_response(url=URL, html=HTML)
    httpx_mock.add_response(url=URL + "a.html", html=HTML)

    async def go():
        async with Fetcher(sleep=Sleeps()) as f:
            return await f.fetch(URL), await f.fetch(URL + "a.html")

    first, second = asyncio.run(go())
    assert first.ok and "CERTIFICATE_VERIFY_FAILED" in first.tls_problem
    assert second.ok and second.tls_problem == first.tls_problem  # the host stays flagged
    assert len(httpx_mock.get_requests()) == 3


def test_delay_spaces_request_starts_per_host(httpx_mock):
    httpx_mock.add_response(html=HTML, is_reusable=True)
    sleeps = Sleeps()

    async def go():
        async with Fetcher(sleep=sleeps, delay=1.5) as f:
            for path in ("a", "b"):
                await f.fetch(URL + path)
            await f.fetch("https://other.example.gov.cn/")  # another host: its own clock

    asyncio.run(go())
    assert len(sleeps.waits) == 1 and 1.4 < sleeps.waits[0] <= 1.5


def test_per_host_concurrency_limit_with_injected_transport():
    active = {"now": 0, "max": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        await asyncio.sleep(0.01)
        active["now"] -= 1
        return httpx.Response(200, html=HTML)

    async def go():
        async with Fetcher(per_host=2, transport=httpx.MockTransport(handler)) as f:
            results = await asyncio.gather(*(f.fetch(f"{URL}{i}.html") for i in range(8)))
        return results

    results = asyncio.run(go())
    assert all(r.ok for r in results)
    assert active["max"] == 2


def test_challenge_marker_on_real_looking_pages():
    assert challenge_marker("<h1>访问被拒绝</h1>".encode("gb18030")) == "访问被拒绝"
    assert challenge_marker(b"<html><script>var a=1;</script><body> </body></html>") == "script-only page"
    article = ("<html><body><script>var _hmt=[];</script><div>" + "县人民政府办公室关于印发通知。" * 40
               + "</div></body></html>").encode("utf-8")
    assert challenge_marker(article) is None
    assert challenge_marker(article, strong_only=True) is None


# -- a real TLS handshake against a self-signed certificate ------------------------------


@pytest.fixture
def https_server(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl not available to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=county.example"],
                   check=True, capture_output=True)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = HTML.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_real_self_signed_certificate_is_bypassed_and_recorded(https_server):
    res, _ = fetch(https_server, retries=0, timeout=5)
    assert res.ok and res.status == 200 and "政务公开" in res.body.decode()
    assert res.tls_problem and "CERTIFICATE_VERIFY_FAILED" in res.tls_problem


def test_unsendable_url_is_an_error_not_a_crash():
    for bad in ("http://[::1/", "http://xn--a.gov.cn/"):  # rejected before any network I/O
        res, sleeps = fetch(bad)
        assert res.error_kind == "connect" and res.status is None and sleeps.waits == [], res


def _probe(url: str) -> FetchResult:
    async def go():
        async with Fetcher(sleep=Sleeps(), retries=0) as f:
            return await f.fetch(url, headers_only=True)

    return asyncio.run(go())


def test_link_probe_reads_the_status_not_the_body(httpx_mock):
    pdf = "https://www.example.gov.cn/files/nb.pdf"
    httpx_mock.add_response(url=pdf, content=b"%PDF-1.7 " + b"x" * 10_000_000,
                            headers={"Content-Type": "application/pdf"})
    res = _probe(pdf)
    # A 10 MB body over the 5 MB cap is no problem: the probe never reads it.
    assert res.ok and res.status == 200 and res.body == b"" and res.content_type == "application/pdf"


def test_link_probe_of_a_missing_file_is_an_http_error(httpx_mock):
    gone = "https://www.example.gov.cn/files/old.doc"
    httpx_mock.add_response(url=gone, status_code=404, html="<h1>404 Not Found</h1>")
    res = _probe(gone)
    assert res.error_kind == "http" and res.status == 404
