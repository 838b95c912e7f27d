"""URL normalisation and crawl scope.

A county portal links the same page many ways: `/zwgk/index.html` and `/zwgk/`, relative
and absolute, with share-tracking parameters, with raw Chinese or percent-encoded paths.
`normalize` turns each into one canonical string so the snapshot keys, the frontier and
the link graph agree. It is idempotent: normalising a normalised URL changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Only names whose meaning is certain: share/analytics markers that never select content.
_TRACKING_EXACT = {"spm", "_", "tdsourcetag"}
_TRACKING_PREFIX = ("utm_", "wxshare_")
# `from` also selects content on some CMSs, so only WeChat's share markers are dropped.
_FROM_SHARE_VALUES = {"singlemessage", "timeline", "groupmessage"}

# A directory URL and its index file are the same page on every CMS we meet.
_INDEX_FILES = {"index.html", "index.htm", "index.shtml", "default.htm", "default.html"}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
# Inside a query key or value '&' must stay encoded ('=' only splits at its first use).
_QUERY_SAFE = _UNRESERVED | frozenset("!$'()*+,;:@/?=")
_HEX = frozenset("0123456789abcdefABCDEF")
# Components with nothing to encode or decode (most hrefs) skip the character loop.
_PLAIN = {
    id(_PATH_SAFE): re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]*"),
    id(_QUERY_SAFE): re.compile(r"[A-Za-z0-9\-._~!$'()*+,;:@/?=]*"),
}

_JSESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
# Browsers drop these before parsing; a scraped href often carries them.
_STRIP_CHARS = " \t\r\n\f\v\u00a0\u3000\ufeff"
_INNER_WS = re.compile(r"[\t\r\n]")


def _pct(text: str, safe: frozenset[str]) -> str:
    """Percent-encode one URL component the same way whatever form it arrived in.

    Valid %XX escapes of unreserved bytes are decoded, other escapes are upper-cased,
    everything not in `safe` (including non-ASCII, as UTF-8) is encoded. Applying it
    twice gives the same result, which is what makes `normalize` idempotent.
    """
    plain = _PLAIN.get(id(safe))
    if plain is not None and plain.fullmatch(text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%":
            if i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
                byte = int(text[i + 1 : i + 3], 16)
                dec = chr(byte)
                out.append(dec if byte < 128 and dec in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
                i += 3
                continue
            out.append("%25")
        elif ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    if "/." not in path:  # no "." or ".." segment: nothing to remove
        return path
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:]:
        if seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    result = "/" + "/".join(out)
    # "/a/." and "/a/.." name a directory: keep the trailing slash.
    if segments[-1] in (".", "..") and not result.endswith("/"):
        result += "/"
    return result


def _is_tracking(key: str, value: str) -> bool:
    k = key.lower()
    if k in _TRACKING_EXACT or k.startswith(_TRACKING_PREFIX):
        return True
    return k == "from" and value.lower() in _FROM_SHARE_VALUES


_BAD_HOST = re.compile(r"[ <>\"'`{}|\\^%]")
_SLASHES = re.compile(r"/{2,}")


@lru_cache(maxsize=1 << 12)
def _host(netloc_host: str) -> str | None:
    host = netloc_host.strip().rstrip(".").lower()
    if not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if _BAD_HOST.search(host):
        return None
    return host


# A crawl normalises each link several times (extraction, scope, admission, url pattern)
# and pages share most hrefs: memoised, as a pure function of its arguments may be.
@lru_cache(maxsize=1 << 15)
def normalize(url: str, base: str | None = None) -> str | None:
    """Canonical absolute http(s) URL, or None for anything we do not crawl.

    None for javascript:/mailto:/tel:/data: links, bare fragments, unparsable hosts
    and ports. Query strings keep their raw bytes (re-encoded as UTF-8 when they arrive
    unencoded), so a GBK query on a GBK site is not decoded and re-encoded wrongly.
    """
    if not isinstance(url, str):
        return None
    raw = _scrub(url)
    if not raw or raw.startswith("#"):
        return None
    if base:
        raw = _join(_scrub(base), raw)
        if raw is None:
            return None
    return _canonical(raw)


def _scrub(url: str) -> str:
    return _INNER_WS.sub("", url.strip(_STRIP_CHARS)).replace("\\", "/")


# urljoin(base, href) reads nothing of the base but its scheme, host and directory when
# the href has a path of its own and no scheme or host ("../a.html", "/zwgk/", "x?id=1"):
# those joins are memoised by directory, so the pages of one folder share them.
_DIR_RELATIVE = re.compile(r"(?:/(?!/)|[A-Za-z0-9._~%-])[^:/?#]*(?:[/?#]|$)")
_DIR_JOINS: dict[tuple[str, str], str | None] = {}
_DIR_JOINS_MAX = 1 << 15


def _join(base: str, raw: str) -> str | None:
    """urljoin(base, raw), or None where urljoin raises ValueError."""
    key = (_base_dir(base), raw) if _DIR_RELATIVE.match(raw) else None
    if key is not None and key[0] is not None and key in _DIR_JOINS:
        return _DIR_JOINS[key]
    try:
        joined = urljoin(base, raw)
    except ValueError:
        joined = None
    if key is not None and key[0] is not None:
        if len(_DIR_JOINS) >= _DIR_JOINS_MAX:
            _DIR_JOINS.clear()
        _DIR_JOINS[key] = joined
    return joined


def _base_dir(base: str) -> str | None:
    """`scheme://host/dir/` of an http(s) base with a path; None for any other base."""
    if base.startswith("http://"):
        start = 7
    elif base.startswith("https://"):
        start = 8
    else:
        return None
    end = len(base)  # the path ends at the query or the fragment
    for mark in "?#":
        at = base.find(mark, start, end)
        if at >= 0:
            end = at
    path = base.find("/", start, end)  # the host ends at the path's first slash
    if path < 0:
        return None
    return base[: base.rfind("/", path, end) + 1]


@lru_cache(maxsize=1 << 12)
def _host_port(netloc: str) -> tuple[str | None, int | None] | None:
    """(hostname, port) of a netloc as urlsplit reads them, None for a bad port."""
    parts = SplitResult("", netloc, "", "", "")
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname, port


# Many relative links resolve to one absolute URL (a page linked from every column): the
# rest of the work is memoised on the joined URL.
@lru_cache(maxsize=1 << 15)
def _canonical(raw: str) -> str | None:
    """`normalize` of an absolute URL, once joined with its base and scrubbed."""
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    hp = _host_port(parts.netloc)
    if hp is None:
        return None
    hostname, port = hp
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or not hostname:
        return None
    host = _host(hostname)
    if host is None:
        return None
    if ":" in host and not host.startswith("["):  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"

    path = _JSESSION.sub("", parts.path)
    path = _pct(path, _PATH_SAFE)
    path = _SLASHES.sub("/", path)
    if not path.startswith("/"):
        path = "/" + path
    path = _remove_dot_segments(path)
    head, _, last = path.rpartition("/")
    if last.lower() in _INDEX_FILES:
        path = head + "/"

    pairs: list[tuple[str, str]] = []
    for piece in parts.query.split("&"):
        if not piece:
            continue
        key, eq, value = piece.partition("=")
        key, value = _pct(key, _QUERY_SAFE), _pct(value, _QUERY_SAFE)
        if not key and not value:
            continue
        if _is_tracking(key, value):
            continue
        pairs.append((key, eq + value))
    pairs.sort()
    query = "&".join(k + v for k, v in pairs)
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=1 << 15)
def _hostport(url: str) -> str | None:
    norm = normalize(url)
    return urlsplit(norm).netloc if norm else None


def _toggle_www(hostport: str) -> str:
    return hostport[4:] if hostport.startswith("www.") else "www." + hostport


class Scope:
    """Which URLs belong to the site being scanned.

    The start URL's host (with or without `www.`), any scheme, plus the extra hosts
    given (a county's 信息公开 platform often lives on a sibling host). A host with a
    non-default port is a different host (`127.0.0.1:8001` is not `127.0.0.1:8002`).
    """

    def __init__(self, start_url: str, extra_hosts: Iterable[str] = ()) -> None:
        start = _hostport(start_url)
        if start is None:
            raise ValueError(f"start URL is not an http(s) URL: {start_url!r}")
        self._hosts: list[str] = [start]
        for extra in extra_hosts:
            text = extra.strip()
            hp = _hostport(text if "://" in text else "http://" + text)
            if hp and hp not in self._hosts:
                self._hosts.append(hp)
        self._accept = set(self._hosts) | {_toggle_www(start)}

    @property
    def hosts(self) -> list[str]:
        return list(self._hosts)

    def contains(self, url: str) -> bool:
        hp = _hostport(url)
        return hp is not None and hp in self._accept

    __contains__ = contains

    def __repr__(self) -> str:
        return f"Scope({self._hosts!r})"


def url_pattern(url: str) -> str:
    """A coarse shape of a URL, for bounding crawler traps (calendars, endless paging).

    Host and path with every run of digits replaced by `N`, then the sorted query keys
    without values: `a.gov.cn/zwgk/N/tN_N.html?id&page`.
    """
    norm = normalize(url) or url
    parts = urlsplit(norm)
    path = re.sub(r"\d+", "N", parts.path)
    keys = sorted({p.partition("=")[0] for p in parts.query.split("&") if p})
    keys = [re.sub(r"\d+", "N", k) for k in keys]
    return parts.netloc + path + ("?" + "&".join(keys) if keys else "")
