"""The bundled demo county portal (云溪县人民政府), served on 127.0.0.1.

Standard library only. Static files under `site/` are laid out by URL path and kept in
UTF-8 so they are reviewable; at request time the server

- replaces date tokens relative to its `today`, so the demo gives the same verdicts on
  any calendar day: `{{d:N}}` is today+N days as YYYY-MM-DD, `{{d:N|fmt}}` the same date
  through strftime (`%-m` / `%-d` give unpadded month and day on every platform), and
  `{{y:N}}` the year of today plus N;
- renders dates tied to a yearly deadline, which a fixed offset from today cannot get
  right all year round (the 年报 is due by 03-31 of the year after the report year):
  `{{due:MM-DD}}` is the most recent MM-DD on or before today (a day the month lacks is
  its last day), `{{due:MM-DD:N}}` that date N years later (N < 0: earlier), with an
  optional `|fmt`; `{{dueyear:MM-DD:N}}` is that date's year plus N, so
  「云溪县{{dueyear:03-15:-1}}年…年度报告」 published {{due:03-15}} is always the latest
  report and always on time. `{{mdue:DD}}` / `{{mdue:DD:N|fmt}}` are the monthly
  counterpart (the most recent day DD, N months later) for 月报 and 办件统计;
- lists newest first, like the CMS that would have generated them: a `<ul>` whose every
  item ends in an ISO `<span class="date">` is sorted by that date after rendering, so
  items dated by deadline tokens keep their place whatever the day;
- transcodes pages whose source declares gb2312/gbk in a meta tag to GB18030 bytes and,
  like many real servers, sends `Content-Type: text/html` with no charset for them;
- sends an `ETag` (a hash of the bytes served) and a `Last-Modified` (the file's mtime)
  with every site file, and answers a conditional request with 304 Not Modified, as the
  static file servers of real portals do; `If-None-Match` takes precedence over
  `If-Modified-Since` (RFC 9110), which matters because a page's bytes also change with
  `today`;
- answers the deliberate faults listed in `SPECIAL_ROUTES` / `CONTENT_TYPE_OVERRIDES`
  (a WAF block, a dead link, a wrong charset header);
- optionally serves the site as it is after some `CHANGES` (`DemoPortal(changes={...})`),
  so two scans of the demo differ and the history's diff has something to show. Without
  changes the portal serves exactly the files under `site/`.

`python -m checker.demo.server [--host H] [--port N] [--today YYYY-MM-DD] [--change NAME …]`
serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import calendar
import collections
import hashlib
import html
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)

SITE_DIR = Path(__file__).resolve().with_name("site")
CHANGES_DIR = Path(__file__).resolve().with_name("changes")

_TOKEN = re.compile(
    r"\{\{(?:(?P<kind>[dy]):(?P<n>[+-]?\d{1,5})"
    r"|(?P<due>due|dueyear):(?P<month>\d{2})-(?P<day>\d{2})(?::(?P<shift>[+-]?\d{1,3}))?"
    r"|mdue:(?P<mday>\d{2})(?::(?P<mshift>[+-]?\d{1,3}))?)"
    r"(?:\|(?P<fmt>[^{}]{1,40}))?\}\}"
)
# One list item per line, ending in its ISO date: what _sort_lists reorders.
_LIST = re.compile(r"(<ul[^>\n]*>\n)((?:<li>[^\n]*</li>\n)+)(?=</ul>)")
_ITEM_DATE = re.compile(r'<span class="date">(\d{4}-\d{2}-\d{2})</span></li>$')
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)

_STATIC_TYPES = {
    ".css": "text/css",
    ".js": "application/javascript",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}


def shanghai_today() -> date:
    """Today's date in China, whatever the machine's time zone."""
    try:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database on this machine: China has had no DST since 1991
        tz = timezone(timedelta(hours=8))
    return datetime.now(tz).date()


def _clamped(year: int, month: int, day: int) -> date:
    """That day, or the month's last day when the month is shorter (02-29 in 2026 → 02-28)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def last_due(today: date, month: int, day: int) -> date:
    """The most recent MM-DD on or before `today`: this year's once it has come, else last year's."""
    this_year = _clamped(today.year, month, day)
    return this_year if this_year <= today else _clamped(today.year - 1, month, day)


def last_monthly(today: date, day: int, shift: int = 0) -> date:
    """The most recent day-of-month `day` on or before `today`, moved `shift` months."""
    months = today.year * 12 + today.month - 1 + shift
    if _clamped(today.year, today.month, day) > today:
        months -= 1
    return _clamped(months // 12, months % 12 + 1, day)


def _strftime(d: date, fmt: str | None) -> str:
    if not fmt:
        return d.isoformat()
    # %-m / %-d are glibc extensions; expand them here so Windows and macOS agree.
    fmt = fmt.replace("%-m", str(d.month)).replace("%-d", str(d.day))
    return d.strftime(fmt)


def render_tokens(text: str, today: date) -> str:
    """Replace every date token in `text`, relative to `today`. A malformed one is left as is."""

    def sub(m: re.Match[str]) -> str:
        fmt = m.group("fmt")
        if m.group("kind") == "y":
            return str(today.year + int(m.group("n")))
        if m.group("kind") == "d":
            return _strftime(today + timedelta(days=int(m.group("n"))), fmt)
        try:
            if m.group("mday") is not None:
                day = int(m.group("mday"))
                if not 1 <= day <= 31:
                    return m.group(0)
                return _strftime(last_monthly(today, day, int(m.group("mshift") or 0)), fmt)
            due = last_due(today, int(m.group("month")), int(m.group("day")))
        except ValueError:  # month 13, day 00
            return m.group(0)
        shift = int(m.group("shift") or 0)
        if m.group("due") == "dueyear":
            return m.group(0) if fmt else str(due.year + shift)
        return _strftime(_clamped(due.year + shift, due.month, int(m.group("day"))), fmt)

    return _TOKEN.sub(sub, text)


def _sort_lists(text: str) -> str:
    """Put every fully ISO-dated list in newest-first order (stable among equal dates)."""

    def sub(m: re.Match[str]) -> str:
        lines = m.group(2).splitlines(keepends=True)
        dates = [_ITEM_DATE.search(line.rstrip("\n")) for line in lines]
        if len(lines) < 2 or not all(dates):
            return m.group(0)
        order = sorted(range(len(lines)), key=lambda i: dates[i].group(1), reverse=True)
        return m.group(1) + "".join(lines[i] for i in order)

    return _LIST.sub(sub, text)


def render_page(text: str, today: date) -> str:
    """A page as served: tokens replaced, dated lists newest first."""
    return _sort_lists(render_tokens(text, today))


# ---------------------------------------------------------------- special routes
# Every deliberate fault and every non-file answer of the demo portal is in this section.


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


_WAF_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>网站防火墙</title></head>
<body style="font-family:sans-serif;text-align:center;padding-top:80px">
<h2>您的访问被拦截</h2>
<p>您的请求存在安全风险，已被网站防火墙拦截。</p>
<p>拦截编号：SD-20{stamp}-7F3A</p>
<p>如果您是网站管理员，请登录安全狗网站防火墙管理后台查看拦截日志。</p>
<p style="color:#999">网站防火墙 · 安全狗</p>
</body></html>
"""

_NOT_FOUND_PAGE = b"""<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""

_ROBOTS = b"User-agent: *\nDisallow: /admin/\n"


def _waf_block(portal: DemoPortal, query: str) -> Reply:
    body = _WAF_PAGE.replace("{stamp}", portal.today.strftime("%y%m%d")).encode("utf-8")
    return Reply(403, "text/html; charset=utf-8", body, (("X-Powered-By", "WAF/2.0"),))


def _not_found(portal: DemoPortal, query: str) -> Reply:
    return Reply(404, "text/html", _NOT_FOUND_PAGE)


def _robots(portal: DemoPortal, query: str) -> Reply:
    return Reply(200, "text/plain", _ROBOTS)


def _search_word(query: str) -> str:
    """The searchword parameter. A browser encodes a form's data in the page's charset: the
    homepage is GBK, so the word arrives GBK-encoded unless a client chose UTF-8. Like
    servers that accept both, UTF-8 is tried first (GBK bytes are rarely valid UTF-8)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            values = parse_qs(query, encoding=encoding, errors="strict").get("searchword")
        except UnicodeDecodeError:
            continue
        return (values or [""])[0].strip()[:40]
    return ""


def _search(portal: DemoPortal, query: str) -> Reply:
    word = _search_word(query)
    hits = [(url, title) for url, title in portal.titles() if word and word in title][:20]
    rows = "".join(f'<li><a href="{html.escape(url)}" target="_blank">{html.escape(title)}</a></li>\n'
                   for url, title in hits)
    if not word:
        result = "<p>请输入检索关键词。</p>"
    elif hits:
        result = f"<p>检索“{html.escape(word)}”，共找到 {len(hits)} 条结果：</p>\n<ul class=\"search_list\">\n{rows}</ul>"
    else:
        result = f"<p>没有找到与“{html.escape(word)}”相关的信息。</p>"
    page = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8" />'
            "<title>站内搜索_云溪县人民政府</title></head>\n<body>\n"
            '<div class="search_head"><a href="/">云溪县人民政府</a> 站内搜索</div>\n'
            '<form action="/search/" method="get"><input type="text" name="searchword" '
            f'value="{html.escape(word)}" /><input type="submit" value="搜索" /></form>\n'
            f'<div class="search_result">\n{result}\n</div>\n</body></html>\n')
    return Reply(200, "text/html; charset=utf-8", page.encode("utf-8"))


_MAX_POST = 64 * 1024


def _letter_received() -> Reply:
    page = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8" /><title>县长信箱_云溪县人民政府</title>'
            '</head>\n<body>\n<p>您的来信已提交。（演示站点，不保存信件内容。）</p>\n<p><a href="/hdjl/">返回</a></p>\n'
            "</body></html>\n")
    return Reply(200, "text/html; charset=utf-8", page.encode("utf-8"))


# (path, matches everything below it too, handler)
SPECIAL_ROUTES: tuple[tuple[str, bool, Callable[[DemoPortal, str], Reply]], ...] = (
    ("/robots.txt", False, _robots),
    ("/search/", False, _search),
    ("/zwgk/zdly/shjz/", True, _waf_block),  # 社会救助: blocked by a WAF → unknown, never fail
    ("/xwzx/lszt/", True, _not_found),  # 历史专题 on the homepage: a broken link
)

# Site files (relative to site/) whose Content-Type header lies about the charset.
CONTENT_TYPE_OVERRIDES = {
    "zwgk/qzqd/index.html": "text/html; charset=iso-8859-1",  # GB18030 bytes under a Latin-1 header
}


# ---------------------------------------------------------------- changes
# What a county office might do between two nightly scans. A change edits site files (each
# edit's text must occur in the file, so a change cannot silently stop applying when the
# site is edited) and may add files, kept under changes/<name>/ in the site's layout.


@dataclass(frozen=True)
class PortalChange:
    description: str
    edits: tuple[tuple[str, str, str], ...] = ()  # (site file, text, replacement)


CHANGES: dict[str, PortalChange] = {
    # Fixes a deliberate fault: 行政事业性收费 (pingcheng item 9, national N37) gets a document.
    "fix-fees": PortalChange(
        "行政事业性收费栏目发布收费项目目录清单（原为空白栏目）",
        (("zwgk/sf/index.html", '<ul>\n</ul>\n<div class="no_data">暂无信息</div>\n',
          '<ul>\n<li><a href="./202505/t20250528_3401.html" title="云溪县行政事业性收费项目目录清单" target="_blank">'
          '云溪县行政事业性收费项目目录清单</a><span class="date">{{d:-30}}</span></li>\n</ul>\n'),),
    ),
    # Fixes another: the homepage drops its dead 历史专题 link (national N18 passes; pingcheng
    # item 38, which also counts site-wide links, becomes unknown: one link is behind the WAF).
    # With every change a scan scores higher, so the trend moves too.
    "fix-dead-link": PortalChange(
        "首页删去失效的“历史专题”链接",
        (("index.html", '<li><a href="/xwzx/lszt/">历史专题</a></li>', ""),),
    ),
    # Breaks what passes today: the 政府信息公开指南 (pingcheng item 12) loses its landline.
    "break-guide-phone": PortalChange(
        "政府信息公开指南删去固定联系电话，投诉举报改为只经县长信箱",
        (("zwgk/zfxxgkzn/202412/t20241212_3001.html", "联系电话：0352-6012345<br />", ""),
         ("zwgk/zfxxgkzn/202412/t20241212_3001.html", "投诉举报电话：0352-6012300。", "投诉举报：请通过县长信箱在线反映。")),
    ),
}


def _apply_edits(text: str, rel: str, edits: Iterable[tuple[str, str, str]]) -> str:
    for file, old, new in edits:
        if file != rel:
            continue
        if old not in text:
            raise RuntimeError(f"demo change no longer applies: {old!r} is not in {rel}")
        text = text.replace(old, new)
    return text


def _special(path: str) -> Callable[[DemoPortal, str], Reply] | None:
    for route, below, handler in SPECIAL_ROUTES:
        # A WAF or a missing folder answers the same with or without the trailing slash.
        if path in (route, route.rstrip("/")) or (below and path.startswith(route)):
            return handler
    return None


# ---------------------------------------------------------------- files


def _file_for(path: str, root: Path = SITE_DIR) -> tuple[Path | None, bool]:
    """Map a URL path to a file under `root`: (file or None, is a directory without '/')."""
    if "\x00" in path or "\\" in path:
        return None, False
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith((".", "_")) for p in parts):
        return None, False
    target = root.joinpath(*parts)
    try:
        target = target.resolve()
    except OSError:
        return None, False
    if target != root and root not in target.parents:
        return None, False
    if target.is_dir():
        if not path.endswith("/"):
            return None, (target / "index.html").is_file()
        target = target / "index.html"
    return (target if target.is_file() else None), False


def _html_reply(raw: bytes, rel: str, today: date, edits: Iterable[tuple[str, str, str]] = ()) -> Reply:
    text = render_page(_apply_edits(raw.decode("utf-8"), rel, edits), today)
    m = _META_CHARSET.search(raw[:2048])
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    if declared in _GB_FAMILY:
        # GB18030 is a superset of GBK and GB2312: pages that say gb2312 but use 珺 or 镕
        # still get bytes a tolerant decoder can read, as on real portals.
        body, ctype = text.encode("gb18030"), "text/html"
    else:
        body, ctype = text.encode("utf-8"), "text/html; charset=utf-8"
    return Reply(200, CONTENT_TYPE_OVERRIDES.get(rel, ctype), body)


def _file_reply(file: Path, today: date, root: Path = SITE_DIR,
                edits: Iterable[tuple[str, str, str]] = ()) -> Reply:
    rel = file.relative_to(root).as_posix()
    raw = file.read_bytes()
    if file.suffix == ".html":
        return _html_reply(raw, rel, today, edits)
    return Reply(200, CONTENT_TYPE_OVERRIDES.get(rel, _STATIC_TYPES.get(file.suffix, "application/octet-stream")), raw)


def _validated(reply: Reply, file: Path, headers) -> Reply:
    """`reply` with its validators, or a 304 when the client's copy is current."""
    etag = '"' + hashlib.sha256(reply.body).hexdigest()[:20] + '"'
    mtime = int(file.stat().st_mtime)
    validators = (("ETag", etag), ("Last-Modified", formatdate(mtime, usegmt=True)))
    match = headers.get("If-None-Match")
    since = headers.get("If-Modified-Since")
    if match is not None:
        fresh = match.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in match.split(",")]
    elif since is not None:
        try:
            fresh = int(parsedate_to_datetime(since).timestamp()) >= mtime
        except (TypeError, ValueError, IndexError, OverflowError):
            fresh = False
    else:
        fresh = False
    if fresh:
        return Reply(304, reply.content_type, b"", validators)
    return Reply(reply.status, reply.content_type, reply.body, reply.headers + validators)


# ---------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx/1.20.1"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY a keep-alive client
    # waits out the peer's delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True
    portal: DemoPortal  # set on the subclass made per portal

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_POST(self) -> None:
        """Only the 县长信箱 form posts; the demo keeps no letters, it just says thanks."""
        try:
            length = max(0, min(int(self.headers.get("Content-Length") or 0), _MAX_POST))
        except ValueError:
            length = 0
        self.rfile.read(length)
        path = unquote(urlsplit(self.path).path)
        self.portal._count(path)
        reply = _letter_received() if path == "/hdjl/" else Reply(405, "text/html", b"", (("Allow", "GET, HEAD"),))
        if length == _MAX_POST:  # the rest of an oversized body is not worth reading
            reply = Reply(reply.status, reply.content_type, reply.body, reply.headers + (("Connection", "close"),))
            self.close_connection = True
        self._send(reply, send_body=True)

    def _answer(self, send_body: bool) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path) or "/"
        self.portal._count(path)
        handler = _special(path)
        if handler is not None:
            reply = handler(self.portal, split.query)
        else:
            file, add_slash, root = self.portal._find_file(path)
            if add_slash:
                location = split.path + "/" + (f"?{split.query}" if split.query else "")
                reply = Reply(301, "text/html", b"", (("Location", location),))
            elif file is None:
                reply = _not_found(self.portal, split.query)
            else:
                reply = _validated(_file_reply(file, self.portal.today, root, self.portal._edits), file, self.headers)
        self._send(reply, send_body)

    def _send(self, reply: Reply, send_body: bool) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args) -> None:
        log.debug("demo portal: " + format, *args)


class DemoPortal:
    """The demo portal on a local port, in a daemon thread. Use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, today: date | None = None,
                 changes: Iterable[str] = ()):
        unknown = sorted(set(changes) - set(CHANGES))
        if unknown:
            raise ValueError(f"unknown demo change: {', '.join(unknown)} (known: {', '.join(sorted(CHANGES))})")
        self.changes = frozenset(changes)
        names = sorted(self.changes)
        self._edits = tuple(edit for name in names for edit in CHANGES[name].edits)
        # A change's own files come before the site's (a change may replace a site file).
        self._roots = tuple(CHANGES_DIR / name for name in names if (CHANGES_DIR / name).is_dir()) + (SITE_DIR,)
        self.host = host
        self.port = port
        self.today = today or shanghai_today()
        self.hits: collections.Counter[str] = collections.Counter()
        self._hits_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._titles: list[tuple[str, str]] | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo portal is not running; call start() first")
        host = self.host if self.host not in ("0.0.0.0", "") else "127.0.0.1"
        return f"http://{host}:{self._server.server_address[1]}/"

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        handler = type("DemoHandler", (_Handler,), {"portal": self})
        server = ThreadingHTTPServer((self.host, self.port), handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="demo-portal", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoPortal:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _find_file(self, path: str) -> tuple[Path | None, bool, Path]:
        """`_file_for` over the active changes' files, then the site's: (file, add slash, root)."""
        for root in self._roots:
            file, add_slash = _file_for(path, root)
            if file is not None or add_slash:
                return file, add_slash, root
        return None, False, SITE_DIR

    def _count(self, path: str) -> None:
        with self._hits_lock:
            self.hits[path] += 1

    def titles(self) -> list[tuple[str, str]]:
        """(URL path, page title) of every page, for the site search; tokens rendered."""
        if self._titles is None:
            found, seen = [], set()
            # Ordered as one sorted walk of the merged folders (a change's file replaces the site's).
            files = sorted(((file.relative_to(root), root, file) for root in self._roots for file in root.rglob("*.html")),
                           key=lambda t: (t[0], self._roots.index(t[1])))
            for _, root, file in files:
                rel = file.relative_to(root).as_posix()
                if rel in seen:
                    continue
                seen.add(rel)
                m = _TITLE.search(_apply_edits(file.read_text(encoding="utf-8"), rel, self._edits))
                if not m:
                    continue
                url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
                title = html.unescape(m.group(1)).split("_")[0].strip()
                found.append((url, title))
            self._titles = found
        return [(url, render_tokens(title, self.today)) for url, title in self._titles]


def build_arg_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m checker.demo.server",
                                description="Serve the 云溪县 demo county portal until Ctrl-C.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--today", type=date.fromisoformat, default=None,
                   help="pretend today is this date (YYYY-MM-DD); default: today in Asia/Shanghai")
    p.add_argument("--change", action="append", default=[], choices=sorted(CHANGES),
                   help="serve the site as it is after this change (repeatable): " +
                   "; ".join(f"{name}: {c.description}" for name, c in sorted(CHANGES.items())))
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_arg_parser().parse_args(argv)
    portal = DemoPortal(host=args.host, port=args.port, today=args.today, changes=args.change)
    portal.start()
    print(f"云溪县 demo portal at {portal.base_url} (today = {portal.today}); Ctrl-C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
