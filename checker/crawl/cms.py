"""CMS patterns whose data is in the page but not in its HTML: read without a browser.

- TRS WCM draws its pager with an inline `createPageHTML(n, i, "index", "html")` call (or
  `var countPage = n` plus a call on variables): pages 2…n exist at index_1.html …
  index_{n-1}.html beside the list page, reachable through no `<a href>` at all.
- 大汉 JCMS puts a column's first records inside `<script type="text/xml"><datastore>`,
  one `<record><![CDATA[<li>…</li>]]></record>` per item, and serves the rest from
  `/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…` with the
  column's parameters (given in `<nextgroup>` or in the jpage call).

Everything here works on the raw HTML (script contents are dropped by extraction), is
bounded (record count, page count, fragment size) and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from . import urls

# A column of more pages than this is a trap or a very old archive; its head is enough.
MAX_PAGES = 500
MAX_RECORDS = 1000
MAX_RECORD_CHARS = 5000
# Records asked of dataproxy.jsp per request, when the page does not say.
DEFAULT_CHUNK = 45
DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"

_SCAN_LIMIT = 2_000_000  # characters of HTML searched for the patterns

_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]{1,300})\)")
_VAR_INT = r"(?:var|let|const)?\s*{name}\s*=\s*['\"]?(\d{{1,6}})"
_ARG = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|([A-Za-z_$][\w$.]*)|(-?\d+))\s*(?:,|$)""")
_EXT = re.compile(r"^[A-Za-z]{2,5}$")
_PREFIX = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


@dataclass(frozen=True, slots=True)
class PageLink:
    url: str
    text: str


def _int_var(html: str, name: str) -> int | None:
    m = re.search(_VAR_INT.format(name=re.escape(name)), html)
    return int(m.group(1)) if m else None


def _args(raw: str) -> list[str | int]:
    """The arguments of a JS call: quoted strings, integers, or names resolved later."""
    out: list[str | int] = []
    pos = 0
    raw = raw.strip()
    while pos < len(raw) and len(out) < 10:
        m = _ARG.match(raw, pos)
        if not m or m.end() == pos:
            return []
        s1, s2, name, num = m.groups()
        if num is not None:
            out.append(int(num))
        elif name is not None:
            out.append("$" + name)  # a variable, resolved by the caller
        else:
            out.append(s1 if s1 is not None else s2)
        pos = m.end()
    return out


def trs_pages(html: str, page_url: str) -> list[PageLink]:
    """Links to the other pages of a TRS column, from its `createPageHTML` pager.

    Forms met on portals: createPageHTML(5, 0, "index", "html"); createPageHTML(countPage,
    currentPage, "index", "shtml") after `var countPage = 5`; and the newer
    createPageHTML('page_div', 5, 1, 'index', 'html', 68) whose first argument is the
    pager's element id. Page 0 is `index.html`, page k is `index_k.html`, same directory.
    """
    html = html[:_SCAN_LIMIT]
    m = _CREATE_PAGE.search(html)
    count, prefix, ext = None, "index", "html"
    if m:
        args = _args(m.group(1))
        if args and isinstance(args[0], str) and not args[0].startswith("$") and len(args) >= 5:
            args = args[1:]  # the element-id form
        resolved: list[str | int | None] = []
        for a in args:
            if isinstance(a, str) and a.startswith("$"):
                resolved.append(_int_var(html, a[1:].rsplit(".", 1)[-1]))
            else:
                resolved.append(a)
        if len(resolved) >= 1 and isinstance(resolved[0], int):
            count = resolved[0]
        if len(resolved) >= 4 and isinstance(resolved[2], str) and isinstance(resolved[3], str):
            prefix, ext = resolved[2], resolved[3]
    if count is None and m is not None:
        count = _int_var(html, "countPage")
    if count is None or count < 2 or not _PREFIX.match(prefix) or not _EXT.match(ext):
        return []
    count = min(count, MAX_PAGES)
    return [PageLink(urljoin(page_url, f"{prefix}_{k}.{ext}"), f"第{k + 1}页") for k in range(1, count)]


# ---------------------------------------------------------------- 大汉 JCMS datastore

_DATASTORE = re.compile(r"<datastore\b[^>]*>(.*?)</datastore\s*>", re.S | re.I)
_RECORD = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record\s*>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup\s*>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*['"]([^'"]{1,2000})['"]""", re.I)
_TOTAL = re.compile(r"(?:<totalrecord>\s*|totalRecord\s*['\"]?\s*[:=]\s*['\"]?)(\d{1,7})", re.I)
_PERPAGE = re.compile(r"perPage\s*['\"]?\s*[:=]\s*['\"]?(\d{1,4})", re.I)
_PROXY_URL = re.compile(r"proxyUrl\s*['\"]?\s*[:=]\s*['\"]([^'\"]{1,300})['\"]", re.I)
_PARAM = re.compile(
    r"""\b(appid|webid|path|columnid|unitid|webname|permissiontype|sourceContentType|col)\s*['"]?\s*[:=]\s*['"]?([^'",&\s})]{1,200})""",
    re.I,
)
_PARAM_NAMES = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
                "permissiontype")


@dataclass
class Datastore:
    records: list[str] = field(default_factory=list)  # HTML fragments, one per item
    next_url: str | None = None  # dataproxy request for the records after these
    total: int | None = None  # records the column holds, when the page says
    more: list[PageLink] = field(default_factory=list)  # every further dataproxy request


def _unescape_cdata(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _proxy_params(block: str, script: str) -> tuple[str, dict[str, str]] | None:
    """(dataproxy path, column parameters) from `<nextgroup>`, else from the jpage call."""
    path, params = DATAPROXY_PATH, {}
    ng = _NEXTGROUP.search(block)
    if ng:
        inner = ng.group(1) if ng.group(1) is not None else _unescape_cdata(ng.group(2) or "")
        href = _HREF.search(inner)
        if href:
            parts = urlsplit(href.group(1).replace("&amp;", "&"))
            if parts.path:
                path = parts.path
            params = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True)
                      if k.lower() not in ("page", "startrecord", "endrecord", "perpage")}
    if "columnid" not in {k.lower() for k in params}:
        for m in _PARAM.finditer(script):
            params.setdefault(m.group(1), m.group(2))
        pm = _PROXY_URL.search(script)
        if pm:
            path = pm.group(1)
    if "columnid" not in {k.lower() for k in params}:
        return None
    params.setdefault("col", "1")
    params.setdefault("sourceContentType", "1")
    return path, params


def dataproxy_url(base: str, path: str, params: dict[str, str], start: int, end: int, perpage: int) -> str | None:
    query = {"startrecord": str(start), "endrecord": str(end), "perpage": str(perpage), **params}
    return urls.normalize(f"{path}?{urlencode(query)}", base)


def datastore(html: str, page_url: str) -> Datastore | None:
    """The records of a 大汉 JCMS list, and the dataproxy requests for the rest.

    On a list page every further chunk is listed when the total is known (so all chunks
    sit one link away from the column, like TRS pages); a dataproxy answer without a
    total links the next chunk only while it came back full.
    """
    html = html[:_SCAN_LIMIT]
    m = _DATASTORE.search(html)
    if not m:
        return None
    block = m.group(1)
    store = Datastore()
    for rm in _RECORD.finditer(block):
        frag = rm.group(1) if rm.group(1) is not None else _unescape_cdata(rm.group(2) or "")
        store.records.append(frag[:MAX_RECORD_CHARS])
        if len(store.records) >= MAX_RECORDS:
            break
    total = _TOTAL.search(html)
    store.total = int(total.group(1)) if total else None
    perpage_m = _PERPAGE.search(html)
    proxy = _proxy_params(block, html)
    if proxy is None:
        return store
    path, params = proxy
    q = dict(parse_qsl(urlsplit(page_url).query))
    here_start, here_end = q.get("startrecord", ""), q.get("endrecord", "")
    perpage = int(perpage_m.group(1)) if perpage_m else int(q.get("perpage", "0") or 0) or 15
    if here_start.isdigit() and here_end.isdigit():  # a dataproxy answer: chain on
        chunk = int(here_end) - int(here_start) + 1
        if chunk > 0 and len(store.records) >= chunk and (store.total is None or int(here_end) < store.total):
            nxt = dataproxy_url(page_url, path, params, int(here_end) + 1, int(here_end) + chunk, perpage)
            if nxt:
                store.next_url = nxt
                store.more.append(PageLink(nxt, f"第{int(here_end) + 1}-{int(here_end) + chunk}条"))
        return store
    seen = len(store.records)
    chunk = max(seen, perpage, 1) if seen else DEFAULT_CHUNK
    if store.total is not None:
        starts = range(seen + 1, min(store.total, seen + chunk * MAX_PAGES) + 1, chunk)
    elif _NEXTGROUP.search(block) and seen:
        starts = range(seen + 1, seen + 2)  # one chunk; its answer links the next
    else:
        starts = range(0)
    for s in starts:
        u = dataproxy_url(page_url, path, params, s, s + chunk - 1, perpage)
        if u:
            store.more.append(PageLink(u, f"第{s}-{s + chunk - 1}条"))
    store.next_url = store.more[0].url if store.more else None
    return store


def is_datastore_response(url: str, body: bytes) -> bool:
    """A dataproxy.jsp answer (XML, not HTML) that extraction should still read as a list."""
    return "dataproxy" in urlsplit(url).path.lower() or b"<datastore" in body[:4096].lower()


# ---------------------------------------------------------------- script-filled pages

_SCRIPT_FILL = re.compile(
    r"""\bms-(?:for|repeat|controller|each)\b|\bv-for\b|\bv-model\b|\bng-repeat\b|\bx-data\b|\{\{\s*[\w.$\[\]'"]+\s*\}\}|"""
    r"""\bavalon\b|\bnew\s+Vue\b|createApp\(|\$\.(?:ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|\baxios\b|XMLHttpRequest""",
)


def script_fill_marker(html: str) -> str | None:
    """The sign that the page's content is drawn by script (template markers, XHR calls)."""
    m = _SCRIPT_FILL.search(html[:_SCAN_LIMIT])
    return m.group(0)[:40] if m else None


def host_dir(url: str) -> str:
    """The URL's directory, for grouping sibling pages."""
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path.rsplit("/", 1)[0] + "/", "", ""))
