"""The crawl's WARC archive against a real HTTP server on 127.0.0.1: every stored page's
exact bytes (GBK stays GBK), error bodies, robots.txt and probed binaries are archived,
the snapshot's record ids resolve, a killed crawl's file reads up to its last full
record, a resumed crawl appends to it, and old snapshots still load."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from checker.crawl.archive import WARC_NAME, WarcArchive, find_response, iter_responses, read_at, readable_end
from checker.crawl.crawler import CrawlSettings, crawl
from checker.site import snapshot as snapshot_module
from checker.site.snapshot import Snapshot

AS_OF = date(2026, 3, 1)


def gbk(title: str, body: str) -> bytes:
    return (f'<html><head><meta charset="gbk"><title>{title}</title></head>'
            f"<body>{body}</body></html>").encode("gbk")


PDF = b"%PDF-1.4\n" + b"0" * 5000
PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
    "/": (200, {"Content-Type": "text/html"}, gbk("平城区人民政府", (
        '<a href="/zwgk/">政府信息公开</a><a href="/gone.html">失效链接</a><a href="/waf.html">栏目</a>'
        '<a href="/files/nb.pdf">年报</a><a href="/files/data.zip">数据包</a><a href="/utf8.html">通知公告</a>'))),
    "/zwgk/": (200, {"Content-Type": "text/html"}, gbk("政府信息公开", "<p>索引号：11140213MB0123456X/2024-00001</p>")),
    "/utf8.html": (200, {"Content-Type": "text/html; charset=utf-8"},
                   '<html><head><title>通知公告</title></head><body><p>公告正文</p></body></html>'.encode()),
    "/gone.html": (404, {"Content-Type": "text/html"}, gbk("页面不存在", "<h1>404 您访问的页面不存在</h1>")),
    "/waf.html": (403, {"Content-Type": "text/html"}, gbk("网站防火墙", "<h1>已被网站管理员设置拦截</h1><p>安全狗</p>")),
    "/files/nb.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
    "/files/data.zip": (200, {"Content-Type": "application/zip"}, b"PK\x03\x04" + b"z" * 3000),
}
PROBED = "/files/data.zip"  # a binary no extractor reads: its link is probed, its body not read


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        status, headers, body = PAGES.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("X-Served-By", "test")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def scanned(server, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scan")
    summary = asyncio.run(crawl(CrawlSettings(start_url=server + "/", as_of=AS_OF, retries=0),
                                out / "snapshot.sqlite"))
    assert summary.status == "complete", summary
    return out


def test_every_stored_page_has_its_exact_bytes_in_the_warc(scanned, server):
    warc = scanned / WARC_NAME
    responses = {r.url: r for r in iter_responses(warc)}
    with Snapshot(scanned / "snapshot.sqlite") as snap:
        pages = list(snap.pages())
        assert {p.url for p in pages} >= {server + "/", server + "/zwgk/", server + "/utf8.html"}
        for page in pages:
            assert page.warc_record.startswith("<urn:uuid:"), page.url
            resp = read_at(warc, page.warc_offset)  # the offset points at the record itself
            assert resp is not None and resp.record_id == page.warc_record
            assert resp.url == page.final_url and resp.date == page.fetched_at
            path = page.url.removeprefix(server)
            if path != PROBED:
                assert resp.body == PAGES[path][2], page.url  # bytes as served
                assert responses[page.url].body == PAGES[path][2]
        home = responses[server + "/"]
        assert home.body.decode("gbk").count("平城区人民政府") == 1  # GBK bytes stayed GBK
        with pytest.raises(UnicodeDecodeError):
            home.body.decode("utf-8")
        assert home.status_line == "HTTP/1.0 200 OK"  # the server speaks HTTP/1.0: as received and home.header("X-Served-By") == "test"


def test_error_responses_robots_and_probes_are_archived(scanned, server):
    warc = scanned / WARC_NAME
    with Snapshot(scanned / "snapshot.sqlite") as snap:
        errors = {e.url.removeprefix(server): e for e in snap.errors()}
        for path, status in (("/gone.html", 404), ("/waf.html", 403)):
            err = errors[path]
            assert err.status == status and err.warc_record
            resp = find_response(warc, err.warc_record)
            assert resp.status == status and resp.body == PAGES[path][2]  # the 404/403 body itself
        robots = snap.archived(server + "/robots.txt")
        assert robots is not None
        assert read_at(warc, robots[1]).body == PAGES["/robots.txt"][2]
        probed = snap.get(server + PROBED)
        resp = find_response(warc, probed.warc_record, probed.warc_offset)
        assert resp.truncated and resp.body == b"" and "headers only" in resp.note
        assert resp.header("Content-Length") == str(len(PAGES[PROBED][2]))  # headers as received


def test_records_read_with_warcio_and_pair_request_with_response(scanned):
    with open(scanned / WARC_NAME, "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Record-ID"),
                    r.rec_headers.get_header("WARC-Concurrent-To"), r.rec_headers.get_header("WARC-Target-URI"))
                   for r in ArchiveIterator(fh)]
    assert records[0][0] == "warcinfo"
    responses = {rid: uri for kind, rid, _, uri in records if kind == "response"}
    requests = [(to, uri) for kind, _, to, uri in records if kind == "request"]
    assert len(requests) == len(responses) == 8  # robots, 3 pages, PDF, probed zip, 404, 403
    assert all(responses[to] == uri for to, uri in requests)


def test_killed_crawl_leaves_a_file_readable_to_the_last_full_record(scanned, tmp_path):
    warc = tmp_path / WARC_NAME
    shutil.copy(scanned / WARC_NAME, warc)
    full = list(iter_responses(warc))
    last = full[-1].offset
    # The kill lands in the middle of the last response record's gzip member.
    with open(warc, "r+b") as fh:
        fh.truncate(last + 40)
    survived = list(iter_responses(warc))
    assert [r.record_id for r in survived] == [r.record_id for r in full[:-1]]
    assert readable_end(warc) == last
    # A resumed crawl cuts the torn tail and appends: the whole file reads again.
    with WarcArchive(warc, info={"software": "test"}) as archive:
        ref = archive.write_exchange(url="http://x/new.html", date="2026-03-01T00:00:00Z", status=200,
                                     reason="OK", headers=[("Content-Type", "text/html")], body=b"<html>new</html>")
    again = list(iter_responses(warc))
    assert [r.record_id for r in again] == [r.record_id for r in full[:-1]] + [ref.record_id]
    assert read_at(warc, ref.offset).body == b"<html>new</html>"
    with open(warc, "rb") as fh:
        assert sum(1 for _ in ArchiveIterator(fh)) > 0  # warcio reads it end to end without error


def test_resumed_crawl_appends_to_the_same_archive(server, tmp_path):
    snap_path = tmp_path / "snapshot.sqlite"
    summary = asyncio.run(crawl(CrawlSettings(start_url=server + "/", as_of=AS_OF, max_pages=2, retries=0),
                                snap_path))
    assert summary.status == "partial"
    first = [r.record_id for r in iter_responses(tmp_path / WARC_NAME)]
    asyncio.run(crawl(CrawlSettings(start_url=server + "/", as_of=AS_OF, max_pages=50, retries=0),
                      snap_path, resume=True))
    after = [r.record_id for r in iter_responses(tmp_path / WARC_NAME)]
    assert after[: len(first)] == first and len(after) > len(first)
    with open(tmp_path / WARC_NAME, "rb") as fh:
        assert [r.rec_type for r in ArchiveIterator(fh)].count("warcinfo") == 2  # one per run
    with Snapshot(snap_path) as snap:
        ids = set(after)
        assert all(p.warc_record in ids for p in snap.pages())


def test_a_snapshot_written_before_the_archive_still_loads(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(snapshot_module._SCHEMA)  # the schema as released, without the archive columns
    db.execute("INSERT INTO meta VALUES ('start_url', 'http://x/'), ('as_of', '2026-03-01')")
    db.execute("INSERT INTO pages(url, final_url, status, fetched_at, depth, kind) "
               "VALUES ('http://x/', 'http://x/', 200, '2026-03-01T00:00:00Z', 0, 'home')")
    db.execute("INSERT INTO fetch_errors(url, kind, status, message, at) "
               "VALUES ('http://x/a', 'http', 404, 'HTTP 404', '2026-03-01T00:00:00Z')")
    db.commit()
    db.close()
    with Snapshot(path) as snap:
        assert snap.homepage().warc_record == "" and snap.homepage().warc_offset is None
        assert snap.errors()[0].warc_record == ""
        assert snap.archived("http://x/") is None
