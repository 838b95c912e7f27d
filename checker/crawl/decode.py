"""Turning response bytes into text without mojibake.

Chinese county portals are served as UTF-8, GBK or GB2312 (often GBK bytes labelled
gb2312), and servers frequently send a default `charset=iso-8859-1` that has nothing to do
with the page. So every declared charset is tried strictly, in order of trust, and a
declaration that does not fit the bytes is passed over and reported in `problem` instead
of producing garbled text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

import charset_normalizer

SOURCES = ("bom", "header", "meta", "detected", "default")

# GB2312 and GBK are subsets of GB18030: a page labelled gb2312 that uses GBK-only
# characters (镕, 珺, 堃 in names) decodes cleanly only as gb18030.
_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "csgb2312", "euc-cn", "euccn", "936", "ms936", "gb18030", "chinese", "iso-ir-58", "csiso58gb231280"}
# Charsets servers send by default rather than by knowledge of the page.
_SERVER_DEFAULTS = {"iso8859-1", "cp1252", "ascii"}
# What a Chinese government page can plausibly be in; a detector's guess outside this
# set (cp1125 for random bytes) is worse than admitting we do not know.
_PLAUSIBLE_DETECTED = {"utf-8", "gb18030", "big5", "big5hkscs"}
# A declared codec that fails on a handful of bytes is still right: truncated bodies and
# one bad paste are common. Wrong codecs fail on a large share of the non-ASCII bytes.
_TOLERATED_ERROR_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)
# Covers <meta charset=...>, <meta charset="utf-8" name="viewport" ...> and the
# http-equiv form whose content attribute holds "text/html; charset=gbk".
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_META_WINDOW = 4096


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name actually used, e.g. 'gb18030', 'utf-8'
    source: str  # one of SOURCES
    problem: str = ""
    # No charset fits the bytes: the text is a guess full of replacement characters, and
    # judging it would turn garbage into verdicts. The crawler records such a page as a
    # 'decode' error, so the checks that depend on it end unknown.
    undecodable: bool = False


def _codec(label: str) -> str | None:
    """The Python codec for a charset label, with the GB family widened to gb18030."""
    name = label.strip().strip("\"'").lower()
    if not name:
        return None
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if info.name in {"gbk", "gb2312", "gb18030"}:
        return "gb18030"
    return info.name


def _display(codec: str) -> str:
    return codec.replace("_", "-")


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    head = body[:_META_WINDOW]
    for tag in _META_TAG.finditer(head):
        m = _META_CHARSET.search(tag.group(0))
        if m:
            return m.group(1).decode("ascii", "replace")
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _nearly(body: bytes, codec: str) -> str | None:
    """Decode with replacement when only a tiny share of the non-ASCII bytes is bad."""
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return None
    non_ascii = len(body) - len(body.translate(None, bytes(range(128))))
    bad = text.count("\ufffd")
    if non_ascii and bad <= max(1, non_ascii * _TOLERATED_ERROR_SHARE):
        return text
    return None


def _detect(body: bytes) -> str | None:
    try:
        best = charset_normalizer.from_bytes(body[:200_000]).best()
    except Exception:  # the detector is third-party code on hostile input
        return None
    if best is None or not best.encoding:
        return None
    codec = _codec(best.encoding)
    return codec if codec in _PLAUSIBLE_DETECTED else None


def decode(body: bytes, content_type: str | None) -> Decoded:
    """Decode a response body: BOM, then HTTP header, then <meta>, then detection."""
    problems: list[str] = []
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom) :], codec)
            if text is not None:
                return Decoded(text, codec, "bom")
            # Bytes that merely look like a BOM: fall through to the declarations.
            problems.append(f"starts like a {codec} byte-order mark but is not valid {codec}")
            break

    is_ascii = body.isascii()
    # (codec, source, declared label) in order of trust.
    candidates: list[tuple[str, str, str]] = []
    demoted: list[tuple[str, str, str]] = []

    hdr_label = header_charset(content_type)
    if hdr_label:
        codec = _codec(hdr_label)
        if codec is None:
            problems.append(f"header charset {hdr_label!r} is unknown")
        elif codec in _SERVER_DEFAULTS and not is_ascii:
            demoted.append((codec, "header", hdr_label))
            problems.append(f"header says {hdr_label} (a common server default) but the body is not ASCII; not trusted")
        else:
            candidates.append((codec, "header", hdr_label))

    meta_label = meta_charset(body)
    if meta_label:
        codec = _codec(meta_label)
        if codec is None:
            problems.append(f"meta charset {meta_label!r} is unknown")
        elif codec.startswith(("utf-16", "utf-32")):
            # A page whose <meta> we could read in ASCII is not UTF-16 (HTML spec rule).
            candidates.append(("utf-8", "meta", meta_label))
        elif codec in _SERVER_DEFAULTS and not is_ascii:
            demoted.append((codec, "meta", meta_label))
        else:
            candidates.append((codec, "meta", meta_label))

    if is_ascii and not candidates and not demoted:
        return Decoded(body.decode("ascii"), "utf-8", "default", "; ".join(problems))

    tried: list[tuple[str, str]] = []
    for codec, source, _label in candidates:
        text = _strict(body, codec)
        if text is not None:
            return _result(text, codec, source, tried, problems)
        tried.append((codec, source))

    # Declared charsets failed or were absent: look at the bytes themselves. Valid UTF-8
    # with non-ASCII bytes is almost never anything else, so it is checked first.
    detected: list[str] = []

    def attempt(codec: str | None) -> str | None:
        if codec is None or codec in detected:
            return None
        detected.append(codec)
        if any(c == codec for c, _ in tried):
            return None
        return _strict(body, codec)

    # The detector is slow on big pages, so it only runs when UTF-8 does not fit.
    for step in (lambda: "utf-8", lambda: _detect(body), lambda: "gb18030"):
        codec = step()
        text = attempt(codec)
        if text is not None:
            return _result(text, codec, "detected", tried, problems)

    # Nothing decodes strictly: a declared codec with a few bad bytes beats a guess.
    for codec, source, _label in candidates:
        text = _nearly(body, codec)
        if text is not None:
            problems.append(f"{source} charset {_display(codec)}: a few invalid byte sequences were replaced")
            return _result(text, codec, source, [t for t in tried if t != (codec, source)], problems)
    for codec, source, _label in demoted:
        text = _strict(body, codec)
        if text is not None:
            problems.append(f"only the {source}'s {_display(codec)} fits the bytes; text may be garbled")
            return _result(text, codec, source, tried, problems)
    for codec in detected:
        text = _nearly(body, codec)
        if text is not None:
            problems.append(f"decoded as {_display(codec)} with a few invalid byte sequences replaced")
            return _result(text, codec, "detected", tried, problems)

    problems.append("no declared or detected charset decodes the body; decoded as utf-8 with replacement characters")
    guess = _result(body.decode("utf-8", errors="replace"), "utf-8", "default", tried, problems)
    return replace(guess, undecodable=True)


def _result(text: str, codec: str, source: str, tried: list[tuple[str, str]], problems: list[str]) -> Decoded:
    notes = [
        f"{src} says {_display(c)} but body is not valid {_display(c)}; decoded as {_display(codec)} ({source})"
        for c, src in tried
        if c != codec
    ]
    return Decoded(text, _display(codec), source, "; ".join(notes + problems))
