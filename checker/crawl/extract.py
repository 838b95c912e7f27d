"""What a county portal page says, read from its HTML.

Pure function of (html, url): page kind (list / detail / other / home), breadcrumb, main
text, footer, the 信息公开 metadata block (索引号, 文号, 发布机构 …), the dated items of a
column list, links with the region they sit in, and forms. Heuristics are tuned on real
TRS, 大汉 and 福建集约化 pages (see tests/crawl/test_realpages.py). Scraped HTML is hostile:
the walk is iterative (no recursion limit), every output is capped, and any internal
error becomes an `Extracted` with kind 'other' and `problem` set instead of an exception.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from checker.site.records import Form, Link, ListItem

from . import cms, urls
from .dates import parse_date


@dataclass(slots=True)
class Extracted:
    """The PageRecord fields extraction fills; the crawler copies them over."""

    kind: str = "other"
    title: str = ""
    breadcrumb: tuple[str, ...] = ()
    text: str = ""
    body: str = ""
    footer: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    published: date | None = None
    list_items: tuple[ListItem, ...] = ()
    empty_list: bool = False
    links: tuple[Link, ...] = ()
    forms: tuple[Form, ...] = ()
    problem: str = ""


MAX_LINKS = 5000
MAX_LIST_ITEMS = 1000
MAX_ANCHOR_TEXT = 300
MAX_META_VALUE = 300
MIN_ARTICLE_CHARS = 150
# A list item is a title, a date, perhaps a one-line summary; a block longer than this
# holding a single link is a page section, not an item.
MAX_ITEM_CHARS = 600
MAX_SUMMARY_CHARS = 200
# Editor containers (TRS_Editor, #zoom) are articles even when short: a 公告 can be two lines.
MIN_EDITOR_CHARS = 30

# ---------------------------------------------------------------- vocabulary

_JUNK_TAGS = ["script", "style", "noscript", "template"]
_NO_TEXT_TAGS = frozenset(
    {"select", "option", "iframe", "frame", "textarea", "svg", "object", "head", "title"}
)
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div", "dl"}
    | {"dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"}
    | {"hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead"}
    | {"tfoot", "tr", "ul", "body", "html"}
)
_CELL_TAGS = frozenset({"td", "th"})

_BC_SUBSTR = ("position", "crumb", "location", "dqwz", "weizhi", "nav-path", "nav_path", "navpath", "curpos")
_FOOTER_SUBSTR = ("footer", "copyright")
_FOOTER_TOKEN_PREFIX = ("foot", "bottom")
_FOOTER_TOKEN_EQ = frozenset({"bq", "banquan"})
_NAV_SUBSTR = ("nav", "menu", "header")
_NAV_TOKEN_PREFIX = ("head", "side", "left", "topnav", "topbar", "topmenu", "toplink", "subnav")
_NAV_TOKEN_EQ = frozenset({"top", "lm", "dh", "dhlm", "daohang"})
_ARTICLE_SUBSTR = ("trs_editor", "trs_ueditor", "main-txt", "main_txt", "zoom", "ucap-content", "vsb_content")
_ARTICLE_TOKEN_PREFIX = ("article", "content", "detail", "zoom")
_ARTICLE_TOKEN_EQ = frozenset({"con", "text", "nr", "zw", "zwnr", "xlnr", "wznr", "txt"})
_ARTICLE_TAGS = frozenset({"article", "ucapcontent"})
_EDITOR_SUBSTR = ("trs_editor", "trs_ueditor", "zoom", "ucap", "vsb_content", "bt_content")
_LISTY_TOKENS = ("list", "lb", "news", "xxgk", "gkml", "info")



def _words(substrings: Iterable[str] = (), prefixes: Iterable[str] = (), exact: Iterable[str] = ()) -> re.Pattern:
    """Finds, in a lower-cased "class id" string, any of `substrings`, or a class/id token
    (a run of [a-z0-9]) that starts with one of `prefixes` or is one of `exact`: one
    regex search instead of splitting every element's classes into tokens."""
    alts = [re.escape(s) for s in substrings]
    if prefixes:
        alts.append(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, prefixes))})")
    if exact:
        alts.append(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, exact))})(?![a-z0-9])")
    return re.compile("|".join(alts))


_BC_WORDS = _words(_BC_SUBSTR)
_FOOTER_WORDS = _words(_FOOTER_SUBSTR, _FOOTER_TOKEN_PREFIX, _FOOTER_TOKEN_EQ)
_NAV_WORDS = _words(_NAV_SUBSTR, _NAV_TOKEN_PREFIX, _NAV_TOKEN_EQ)
_ARTICLE_WORDS = _words(_ARTICLE_SUBSTR, _ARTICLE_TOKEN_PREFIX, _ARTICLE_TOKEN_EQ)
_EDITOR_WORDS = _words(_EDITOR_SUBSTR)
_LISTY_WORDS = _words(prefixes=_LISTY_TOKENS)

_CONTAINER_TAGS = frozenset({"ul", "ol", "tbody", "table", "div", "dl", "section"})
_NESTED_LIST_TAGS = frozenset({"li", "ul", "ol", "table", "tr"})
_ITEM_TAGS = frozenset({"li", "tr", "div", "dl", "dd", "p", "section", "article"})

_CRUMB_LABEL = re.compile(r"^\s*您?(?:当前|现在)?的?(?:所在)?的?位置(?:是)?\s*[:：]?\s*")
_CRUMB_TEXT_START = re.compile(r"^\s*(?:您(?:现在|当前)?的?(?:所在)?位置|当前(?:的)?位置|所在位置)")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|＞|→|/|\n)\s*")
_FOOTER_MARKERS = re.compile(
    r"网站标识码|ICP\s*备|ICP\s*证|版权所有|主办单位|主办\s*[:：]|公网安备|Copyright", re.IGNORECASE
)
_EMPTY_MARKERS = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|公开信息)|没有(?:相关)?记录|无相关(?:信息|内容|记录)|没有找到(?:相关)?(?:信息|内容|记录|数据)|该栏目(?:暂无|没有)"
)
_MORE_TEXT = re.compile(r"^(?:更多|more|MORE|More|查看更多|>>|»)")
_SEARCH_WORDS = re.compile(r"search|query|keyword|searchword|sousuo|搜索|检索|站内搜|全文检索", re.IGNORECASE)
_SEARCH_NAMES = frozenset({"q", "kw", "wd", "key", "keys", "searchkey", "searchtext", "word", "words"})

# Canonical metadata keys and the labels portals print for them.
_META_LABELS: dict[str, tuple[str, ...]] = {
    "索引号": ("索引号",),
    "文号": ("发文字号", "发文文号", "文件编号", "文件字号", "文号"),
    "发布机构": ("发布机构", "发文机关", "发布单位", "发文单位", "发文机构", "发布部门"),
    "发布日期": ("发布日期", "公开日期"),
    "生成日期": ("生成日期",),
    "成文日期": ("成文日期", "成文时间"),
    "有效性": ("有效性", "时效性", "效力状态"),
    "主题分类": ("主题分类",),
    "标题": ("标题", "文件名称", "信息名称", "名称"),
}
_DATE_KEYS = frozenset({"发布日期", "生成日期", "成文日期"})
_LABEL_TO_KEY = {label: key for key, labels in _META_LABELS.items() for label in labels}
# Labels printed with spaces or full-width padding inside (索 引 号, 标    题).
_LABEL_ALT = "|".join(
    r"[\s\u3000]*".join(map(re.escape, label)) for label in sorted(_LABEL_TO_KEY, key=len, reverse=True)
)
_LABEL_LINE = re.compile(rf"^[\s【\[]*({_LABEL_ALT})[\s】\]]*([:：]?)\s*(.*)$")
_LABEL_MID = re.compile(rf"(?<=\s)({_LABEL_ALT})\s*[:：]")
# A value stops where the next "label：" starts ("平潭网 来源：…").
_NEXT_LABEL = re.compile(r"\s+[^\s:：]{2,8}\s*[:：]")
_PUBLISHED_LINE_STRICT = re.compile(
    r"(?:发布时间|发布日期|发表时间|发文时间|公开时间|公开日期|更新时间)\s*[:：]\s*"
)
_PUBLISHED_LINE_LOOSE = re.compile(r"(?:^|\s)(?:时间|日期)\s*[:：]\s*")

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A source line break between two CJK characters of one text node is not rendered
# (CSS segment-break rule): "政府\n  信息" reads "政府信息", which pattern checks rely on.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
# Every space-like character (NBSP, en/em/thin spaces, 　, tabs …) is `\s`: one _WS pass
# turns any run of them into a single space, with no translate table first.
_WS = re.compile(r"\s+")
_SPACE_RUN = re.compile(r"[ ]{2,}")


# ---------------------------------------------------------------- small helpers


def _parse(html: str):
    try:
        from selectolax.lexbor import LexborHTMLParser

        return LexborHTMLParser(html)
    except Exception:
        from selectolax.parser import HTMLParser  # older selectolax only

        return HTMLParser(html)


def _collapse(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _attrs(node) -> dict[str, str]:
    try:
        return {k: (v or "") for k, v in node.attributes.items()}
    except Exception:
        return {}


def _cap(text: str, limit: int, what: str, problems: list[str]) -> str:
    if len(text) > limit:
        problems.append(f"{what} truncated to {limit} characters")
        return text[:limit]
    return text


# ---------------------------------------------------------------- the page index

# Per-element measures: non-space text chars, of which inside links, elements, anchors.
_TEXT, _LINK, _ELEMS, _ANCHORS = range(4)

# Region flags, inherited from ancestors.
F_CRUMB, F_FOOTER, F_NAV, F_LIST = 1, 2, 4, 8


def _text_token(raw: str) -> str:
    """A text node as rendered: source breaks between CJK characters dropped, whitespace
    runs made one space, zero-width characters removed (what the line clean-up would do
    to the joined text: it is done once per node here, not once per rendering)."""
    if "\n" in raw:  # the only case _CJK_BREAK can match
        raw = _CJK_BREAK.sub("", raw)
    return _WS.sub(" ", raw).replace("\u200b", "").replace("\ufeff", "")


# The token at each end of an element in the page's text: a line break after blocks, a
# space (the tab the clean-up turns into one) between table cells, nothing for inline
# elements. A <br> is a single token.
_SEPS = {**dict.fromkeys(_BLOCK_TAGS, "\n"), "br": "\n", **dict.fromkeys(_CELL_TAGS, " ")}


class _Index:
    """One walk over a subtree, read by every heuristic and rendering after it.

    Each visible element (not inside _NO_TEXT_TAGS) is numbered in document order with its
    node, tag, parent, attributes, class/id string and text measures, summed bottom-up so
    no heuristic re-reads a subtree (a page of 20 000 nested <div>s must not cost 20 000²
    steps). Element i's subtree is elements i to end[i] - 1. A _NO_TEXT_TAGS element is
    kept only as `hidden`: it takes a region flag (a link may sit on it) and nothing else.

    Text is kept as render tokens: one per text node and one at each end of an element.
    An element's rendering is the run of tokens from its `open` to its `close` position,
    so a rendering that leaves subtrees out is a join of slices, however many renderings
    a page needs.
    """

    def __init__(self, root) -> None:
        self.nodes: list = []
        self.tags: list[str] = []
        self.parent: list[int] = []  # -1 for the root
        self.end: list[int] = []
        self.attrs: list[dict[str, str]] = []
        self.class_ids: list[str] = []  # lower-cased "class id"
        self.stats: list[list[int]] = []
        self.open: list[int] = []
        self.close: list[int] = []
        self.pos: dict[int, int] = {}  # mem_id -> element number
        self.hidden: list[tuple[int, int]] = []  # (mem_id, parent) of _NO_TEXT_TAGS elements
        self.texts: list[tuple[str, int]] = []  # (raw text, parent) of non-blank text nodes
        self.tokens: list[str] = []  # as rendered for the page's text (cells inline)
        self._modes: dict[str, list[str]] = {}
        self._hidden_parents: list[int] | None = None
        self._walk(root)

    def _walk(self, root) -> None:
        # traverse() is lexbor's own depth-first walk; an element ends where the walk next
        # reaches one of its ancestors, found through the next node's parent.
        nodes, tags, parent, ends, attrs_of, class_ids = (
            self.nodes, self.tags, self.parent, self.end, self.attrs, self.class_ids)
        stats, opens, closes, pos, tokens, texts = (
            self.stats, self.open, self.close, self.pos, self.tokens, self.texts)
        walking: list[int] = []  # element numbers from the root down to the current node
        for n in root.traverse(include_text=True):
            if walking:
                p = pos.get(n.parent.mem_id)
                if p is None:
                    continue  # inside a _NO_TEXT_TAGS element
                while walking[-1] != p:
                    self._leave(walking.pop())
                if n.is_text_node:
                    t = n.text_content or ""
                    if t.isspace():  # the breaks between tags: one space once rendered
                        tokens.append(" ")
                    elif t:
                        tokens.append(_text_token(t))
                        stats[p][_TEXT] += len("".join(t.split()))  # split() drops exactly the isspace() chars
                        texts.append((t, p))
                    continue
                if not n.is_element_node:
                    continue  # comments
                tag = n.tag
                if tag in _NO_TEXT_TAGS:
                    self.hidden.append((n.mem_id, p))
                    continue
            else:  # the root, which is never left out
                if n.is_text_node:
                    t = n.text_content or ""
                    if t:
                        tokens.append(_text_token(t))
                    return
                p, tag = -1, n.tag
            i = len(nodes)
            nodes.append(n)
            tags.append(tag)
            parent.append(p)
            ends.append(0)
            pos[n.mem_id] = i
            try:
                a = n.attributes
            except Exception:
                a = {}
            if a:
                if None in a.values():  # valueless attributes (<td nowrap>) read as ""
                    a = {k: (v or "") for k, v in a.items()}
                class_ids.append(f"{a.get('class', '')} {a.get('id', '')}".lower())
            else:
                class_ids.append(" ")
            attrs_of.append(a)
            stats.append([0, 0, 1, 0])
            at = len(tokens)
            opens.append(at)
            closes.append(at)
            tokens.append(_SEPS.get(tag, ""))
            walking.append(i)
        while walking:
            self._leave(walking.pop())

    def _leave(self, i: int) -> None:
        s = self.stats[i]
        tag = self.tags[i]
        self.end[i] = len(self.nodes)
        if tag == "a":
            s[_LINK] = s[_TEXT]
            s[_ANCHORS] += 1
        p = self.parent[i]
        if p >= 0:
            ps = self.stats[p]
            ps[0] += s[0]
            ps[1] += s[1]
            ps[2] += s[2]
            ps[3] += s[3]
        if tag != "br":  # a <br> is one token, never a pair
            self.close[i] = len(self.tokens)
            self.tokens.append(_SEPS.get(tag, ""))

    def children(self, i: int) -> Iterator[int]:
        """Element children of element i (visible ones), in document order."""
        j, end = i + 1, self.end[i]
        while j < end:
            yield j
            j = self.end[j]

    def _holds_hidden(self, i: int) -> bool:
        """Whether a _NO_TEXT_TAGS element lies inside element i's subtree."""
        if self._hidden_parents is None:
            self._hidden_parents = sorted(p for _mid, p in self.hidden)
        k = bisect_left(self._hidden_parents, i)
        return k < len(self._hidden_parents) and self._hidden_parents[k] < self.end[i]

    def holds_list(self, i: int) -> bool:
        """Whether a list, list item, table or row lies inside element i (not i itself)."""
        if self._holds_hidden(i):  # elements inside _NO_TEXT_TAGS count too: ask the tree
            mid = self.nodes[i].mem_id
            return any(n.mem_id != mid for n in self.nodes[i].css("li, ul, ol, table, tr"))
        tags = self.tags
        return any(tags[j] in _NESTED_LIST_TAGS for j in range(i + 1, self.end[i]))

    def links_in(self, i: int) -> list[tuple[object, dict[str, str]]]:
        """The a[href] elements of element i's subtree (i included), with their attributes."""
        if self._holds_hidden(i):  # elements inside _NO_TEXT_TAGS count too: ask the tree
            return [(a, _attrs(a)) for a in self.nodes[i].css("a[href]")]
        tags, attrs, nodes = self.tags, self.attrs, self.nodes
        return [(nodes[j], attrs[j]) for j in range(i, self.end[i]) if tags[j] == "a" and "href" in attrs[j]]

    def _mode_tokens(self, mode: str) -> list[str]:
        if mode == "text":
            return self.tokens
        got = self._modes.get(mode)
        if got is None:
            got = list(self.tokens)
            if mode == "cells":  # table cells one per line, for label/value metadata tables
                for i, tag in enumerate(self.tags):
                    if tag in _CELL_TAGS:
                        got[self.open[i]] = got[self.close[i]] = "\n"
            else:  # "crumb": every element boundary breaks the line
                for at in self.open + self.close:
                    got[at] = "\n"
            self._modes[mode] = got
        return got

    def render(self, i: int, skip: Iterable[int] = (), mode: str = "text") -> str:
        """Readable text of element i's subtree, leaving out the subtrees of `skip`
        (element numbers; i itself is never left out). Modes: "text" (one line per
        block, cells inline), "cells" (each table cell its own line), "crumb" (every
        element boundary breaks the line, so breadcrumb segments come apart even when
        the separators are drawn by CSS)."""
        toks = self._mode_tokens(mode)
        start, end = self.open[i], self.close[i] + 1
        opens, closes = self.open, self.close
        cuts = sorted((opens[j], closes[j] + 1) for j in skip if start < opens[j] and closes[j] < end)
        pieces = []
        at = start
        for s, e in cuts:
            if s < at:
                continue  # inside a subtree already left out
            pieces.append("".join(toks[at:s]))
            at = e
        pieces.append("".join(toks[at:end]))
        return _lines("".join(pieces))

    def flags(self, marks: dict[int, int]) -> list[int]:
        """Element number -> OR of the marks (by element number) on it and its ancestors."""
        out = [0] * len(self.nodes)
        get = marks.get
        for i, p in enumerate(self.parent):
            out[i] = (out[p] if p >= 0 else 0) | get(i, 0)
        return out

    def flags_by_mem_id(self, flags: list[int]) -> dict[int, int]:
        """The same flags keyed by mem_id, hidden elements included (they inherit)."""
        out = {mid: flags[i] for mid, i in self.pos.items()}
        for mid, p in self.hidden:
            out[mid] = flags[p]
        return out

    def ancestors(self, i: int, limit: int):
        """Up to `limit` ancestors of element i, nearest first, not leaving the index nor
        going above <html>."""
        p = self.parent[i]
        while limit > 0 and p >= 0 and self.tags[p] not in ("-document", "html"):
            yield p
            p = self.parent[p]
            limit -= 1


def _lines(raw: str) -> str:
    """Joined render tokens as text: no empty lines, none with spaces at its ends."""
    # Runs of spaces never span a line break: squeezed once over the whole text, not per line.
    raw = _SPACE_RUN.sub(" ", raw)
    return "\n".join(filter(None, map(str.strip, raw.split("\n"))))


def _render(node, *, mode: str = "text") -> str:
    """Readable text of a subtree that is not part of the page's index (a 大汉 record)."""
    if node is None:
        return ""
    idx = _Index(node)
    return idx.render(0, mode=mode) if idx.nodes else _lines("".join(idx.tokens))


# ---------------------------------------------------------------- page structure


@dataclass
class _Structure:
    """Element numbers (in the page's _Index) of the breadcrumb, footer and navigation."""

    crumb: int | None = None
    breadcrumb: tuple[str, ...] = ()
    footer: int | None = None
    nav: list[int] = field(default_factory=list)

    def regions(self) -> set[int]:
        return set(self.nav) | {i for i in (self.crumb, self.footer) if i is not None}


_CSS_POSITION_UTILITY = re.compile(r"position-(?:relative|absolute|fixed|sticky|static)")


def _is_breadcrumb_kw(s: str) -> bool:
    if "position-" in s:  # else there is nothing to remove
        s = _CSS_POSITION_UTILITY.sub("", s)  # Bootstrap's position-relative is not a 位置 bar
    return _BC_WORDS.search(s) is not None


def _is_footer_kw(tag: str, s: str) -> bool:
    return tag == "footer" or _FOOTER_WORDS.search(s) is not None


def _is_nav_kw(tag: str, s: str, role: str) -> bool:
    if tag in ("nav", "header") or role in ("navigation", "banner", "menubar"):
        return True
    return _NAV_WORDS.search(s) is not None


def _crumb_segments(idx: _Index, i: int) -> tuple[str, ...]:
    text = idx.render(i, mode="crumb")
    out: list[str] = []
    for piece in _CRUMB_SPLIT.split(text):
        piece = _CRUMB_LABEL.sub("", _collapse(piece)).strip(" :：-·|")
        if piece and len(out) < 12:
            out.append(piece[:60])
    return tuple(out)


def _named_blocks(idx: _Index) -> tuple[list[int], list[int], list[int]]:
    """Elements whose tag, class/id or role names them a breadcrumb, a footer (only the
    outermost of nested ones) or navigation, in document order."""
    crumb_kw: list[int] = []
    footer_outer: list[int] = []
    nav_kw: list[int] = []
    tags, parent, class_ids, attrs = idx.tags, idx.parent, idx.class_ids, idx.attrs
    in_footer = [False] * len(tags)  # inside (or being) a footer-named block
    for i, tag in enumerate(tags):
        p = parent[i]
        inside = in_footer[p] if p >= 0 else False
        if tag not in ("html", "body"):
            s = class_ids[i]
            role = attrs[i].get("role", "").lower()
            if s.strip() or tag in ("nav", "header", "footer") or role:
                if _is_breadcrumb_kw(s):
                    crumb_kw.append(i)
                elif _is_footer_kw(tag, s):
                    if not inside:
                        footer_outer.append(i)
                    inside = True
                elif _is_nav_kw(tag, s, role):
                    nav_kw.append(i)
        in_footer[i] = inside
    return crumb_kw, footer_outer, nav_kw


def _find_structure(idx: _Index) -> _Structure:
    st = _Structure()
    crumb_kw, footer_outer, nav_kw = _named_blocks(idx)
    stats, tags, parent = idx.stats, idx.tags, idx.parent

    def size(i: int) -> int:
        return stats[i][_TEXT]

    # Breadcrumb: a named container first, else the element around "当前位置：".
    for i in crumb_kw:
        if size(i) <= 400:
            segs = _crumb_segments(idx, i)
            # A named bar needs two segments (首页 > 栏目); one word is a stray match.
            if len(segs) >= 2:
                st.crumb, st.breadcrumb = i, segs
                break
    if st.crumb is None:
        label = next((p for t, p in idx.texts if _CRUMB_TEXT_START.match(t)), None)
        i = label if label is not None else -1
        for _ in range(4):
            # The walk up stops at <body>/<html> (the index root) at the latest.
            if i < 0 or tags[i] in ("body", "html") or size(i) > 400:
                break
            segs = _crumb_segments(idx, i)
            if segs:
                st.crumb, st.breadcrumb = i, segs
                break
            i = parent[i]

    # Footer: the outermost footer-named blocks; the last one carrying site markers
    # (网站标识码, ICP备案 …) wins, else the last sizeable one.
    outer = [i for i in footer_outer if _plausible_boxed(stats[i], 6000, 0.5)]
    chosen = None
    for i in outer:
        if _FOOTER_MARKERS.search(idx.nodes[i].text(deep=True) or ""):
            chosen = i
    if chosen is None:
        for i in outer:
            if size(i) >= 20:
                chosen = i
    if chosen is None:
        # No named footer: the block around the last copyright-like text.
        marker = next((p for t, p in reversed(idx.texts) if _FOOTER_MARKERS.search(t)), None)
        i = marker if marker is not None else -1
        for _ in range(5):
            if i < 0 or tags[i] in ("body", "html") or size(i) > 1500:
                break
            chosen = i
            i = parent[i]
    st.footer = chosen

    # Navigation: named blocks that are mostly links or short (a "left" column holding
    # the article is not navigation).
    st.nav = [i for i in nav_kw if _plausible_boxed(stats[i], 1200, 0.6)]
    return st


def _plausible_boxed(s: list[int], max_len: int, min_link_share: float) -> bool:
    return s[_TEXT] <= max_len or s[_LINK] >= s[_TEXT] * min_link_share


# ---------------------------------------------------------------- lists


@dataclass
class _ListBox:
    elem: int  # in the page's _Index
    items: list[ListItem]
    dated: int
    nonempty: int
    in_nav: bool
    listy: bool
    text_len: int
    order: int

    @property
    def dated_share(self) -> float:
        return self.dated / len(self.items) if self.items else 0.0

    @property
    def score(self) -> float:
        return (
            len(self.items)
            * (1 + 2 * self.dated_share)
            * (1.5 if self.listy else 1.0)
            * (0.3 if self.in_nav else 1.0)
        )


def _item_from(child, anchors: list[tuple[object, dict[str, str]]], base: str, today: date | None):
    """The list item a block holds, with the length of its text; None when it holds no
    single titled link. `anchors`: its a[href] elements (the block included) with their
    attributes. A block holding its own list or table is a section of the page, not an
    item: callers check that first (a JCMS record wraps its one item in a table of its own)."""
    urls_seen: dict[str, tuple[dict[str, str], str]] = {}
    for a, attrs in anchors:
        text = _collapse(a.text(deep=True))
        if _MORE_TEXT.match(text):
            continue
        u = urls.normalize(attrs.get("href", ""), base)
        if u is None:
            continue
        prev = urls_seen.get(u)
        if prev is None or len(text) > len(prev[1]):
            urls_seen[u] = (attrs, text)
    if len(urls_seen) != 1:
        return None
    url, (attrs, text) = next(iter(urls_seen.items()))
    title_attr = _collapse(attrs.get("title", ""))
    # The title attribute usually carries the untruncated title ("关于…的通知" vs "关于…"),
    # but only when it continues the visible text: "点击查看详情" is not a title.
    stem = text.rstrip("…. 。")[:8]
    if title_attr and (not text or (title_attr.startswith(stem) and len(title_attr) >= len(stem))):
        title = title_attr if len(title_attr) >= len(text.rstrip("…. 。")) else text
    else:
        title = text
    if len(title) < 4:
        return None
    full = _collapse(child.text(deep=True, separator=" "))
    outside = full.replace(text, " ", 1) if text else full
    d, raw = parse_date(outside, today=today)
    if d is None and not raw:
        d, raw = parse_date(full, today=today)
    return ListItem(title=title[:MAX_ANCHOR_TEXT], url=url, date=d, date_raw=raw[:40]), len(full)


def _find_lists(idx: _Index, flags: list[int], base: str, today: date | None) -> list[_ListBox]:
    boxes: list[_ListBox] = []
    tags, stats = idx.tags, idx.stats
    for i, tag in enumerate(tags):
        if tag not in _CONTAINER_TAGS:
            continue
        f = flags[i]
        if f & (F_FOOTER | F_CRUMB):
            continue
        # Element children inside _NO_TEXT_TAGS are not in the index: they are never
        # items (no item tag, no text), so leaving them out changes nothing.
        kids = list(idx.children(i))
        if not any(tags[k] in _ITEM_TAGS for k in kids):
            continue
        nonempty = 0
        items: list[ListItem] = []
        text_len = 0
        for k in kids:
            ks = stats[k]
            if ks[_TEXT] == 0 and ks[_ANCHORS] == 0:
                continue
            nonempty += 1
            # Cheap limits first: an item is small and holds a link or a few.
            if (
                tags[k] not in _ITEM_TAGS
                or not 1 <= ks[_ANCHORS] <= 12
                or ks[_TEXT] > MAX_ITEM_CHARS
                or ks[_ELEMS] > 200
            ):
                continue
            # Title plus a short summary is an item; paragraphs with a link inside are prose.
            if ks[_TEXT] - ks[_LINK] > MAX_SUMMARY_CHARS and ks[_LINK] * 4 < ks[_TEXT]:
                continue
            if idx.holds_list(k):
                continue  # a section of the page, not one item
            got = _item_from(idx.nodes[k], idx.links_in(k), base, today)
            if got is None:
                continue
            items.append(got[0])
            text_len += got[1]
        if not items or len(items) * 2 < nonempty:
            continue
        listy = any(_LISTY_WORDS.search(idx.class_ids[j]) for j in (i, *idx.ancestors(i, 2)))
        dated = sum(1 for it in items if it.date is not None or it.date_raw)
        boxes.append(_ListBox(i, items, dated, nonempty, bool(f & F_NAV), listy, text_len, i))
    return boxes


def _links_documents(items: list[ListItem]) -> bool:
    """Most items link to documents (a file), not to sub-columns (a folder): how a column's
    list differs from a hub page's list of its sub-columns."""
    files = sum(1 for i in items if not urlsplit(i.url).path.endswith("/"))
    return files * 2 > len(items)


def _main_list(boxes: list[_ListBox], has_crumb: bool) -> _ListBox | None:
    eligible = []
    for b in boxes:
        n = len(b.items)
        if b.in_nav and b.dated_share < 0.5:
            continue
        # Undated links are a list only when there are many, or when a column page (it has
        # a breadcrumb) holds them in a container its CMS names as a list: a column whose
        # items show no dates is still a column (and counts as not updated).
        if b.dated == 0 and n < 5 and not (has_crumb and b.listy and n >= 3 and _links_documents(b.items)):
            continue
        if n < 3 and not (has_crumb and b.dated >= 1):
            continue
        eligible.append(b)
    if not eligible:
        return None
    return max(eligible, key=lambda b: (b.score, -b.order))


def _home_lists(boxes: list[_ListBox]) -> list[_ListBox]:
    """Every list on a homepage that reads as news or documents: dated ones, and undated
    ones only when named like a list (menus of columns are link lists too)."""
    out = []
    for b in boxes:
        if b.dated == 0 and (b.in_nav or not b.listy or len(b.items) < 3):
            continue
        out.append(b)
    return out


# ---------------------------------------------------------------- article and metadata


def _is_article_kw(tag: str, s: str) -> bool:
    return tag in _ARTICLE_TAGS or _ARTICLE_WORDS.search(s) is not None


def _find_article(idx: _Index, flags: list[int]):
    """The article body.

    Editor containers (TRS_Editor, #zoom, ucapcontent) are what CMSs wrap the typed text
    in, so the innermost of those holding most of the text wins. Otherwise, among
    content-named blocks, the innermost one holding 85% of the most non-link text (not the
    wrapper that adds title, metadata and share buttons). Returns (element number,
    non-link chars, whether it is an editor container).
    """
    cands = []
    for i, tag in enumerate(idx.tags):  # document order, as a tie-break
        if tag in ("html", "body"):
            continue
        if flags[i] & (F_NAV | F_FOOTER | F_CRUMB):
            continue
        s = idx.class_ids[i]
        if not _is_article_kw(tag, s):
            continue
        st = idx.stats[i]
        if st[_TEXT] < 20:
            continue
        own = st[_TEXT] - st[_LINK]
        strong = tag == "ucapcontent" or _EDITOR_WORDS.search(s) is not None
        cands.append((own, st[_TEXT], i, strong))
    if not cands:
        return None, 0, False
    best_own = max(c[0] for c in cands)
    if best_own <= 0:
        return None, 0, False
    # "Most" of the text, or all but a title and a date line on a short page.
    strong = [
        c for c in cands if c[3] and c[0] >= MIN_EDITOR_CHARS and (c[0] >= 0.5 * best_own or best_own - c[0] <= 150)
    ]
    near = strong or [c for c in cands if c[0] >= 0.85 * best_own]
    own, _total, i, is_strong = min(near, key=lambda c: (c[1], -c[2]))
    return i, own, is_strong


def _meta_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """(canonical key, value) pairs from label/value lines, in page order."""
    pairs: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if len(line) > 400:
            continue
        m = _LABEL_LINE.match(line)
        if not m:
            continue
        starts = [(m.start(1), m.group(1), m.end(2) if m.group(2) else m.end(1), bool(m.group(2)))]
        for mm in _LABEL_MID.finditer(line, m.end(1)):
            starts.append((mm.start(1), mm.group(1), mm.end(), True))
        for j, (_s, label, vstart, had_colon) in enumerate(starts):
            vend = starts[j + 1][0] if j + 1 < len(starts) else len(line)
            value = line[vstart:vend].strip()
            cut = _NEXT_LABEL.search(value)
            if cut:
                value = value[: cut.start()]
            value = value.strip(" :：")
            if not value and j == len(starts) - 1 and i + 1 < len(lines):
                nxt = lines[i + 1]
                if len(nxt) <= 150 and not _LABEL_LINE.match(nxt):
                    value = nxt.strip()
            if not value or (not had_colon and j > 0):
                continue
            key = _LABEL_TO_KEY.get(re.sub(r"[\s\u3000]+", "", label))
            if key:
                pairs.append((key, _collapse(value)[:MAX_META_VALUE]))
    return pairs


def _read_meta(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, value in _meta_pairs(lines):
        if key in meta:
            continue
        if key in _DATE_KEYS and parse_date(value)[0] is None:
            continue
        meta[key] = value
    return meta


def _published_line(lines: list[str], *, loose: bool) -> tuple[date | None, str]:
    pattern = _PUBLISHED_LINE_LOOSE if loose else _PUBLISHED_LINE_STRICT
    for line in lines:
        for m in pattern.finditer(line):
            rest = line[m.end() : m.end() + 40]
            d, raw = parse_date(rest)
            if d is not None and rest.find(raw) <= 2:
                return d, raw
    return None, ""


def _html_meta(tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in tree.css("meta[name]"):
        a = _attrs(m)
        name = a.get("name", "").strip().lower()
        if name and name not in out:
            out[name] = _collapse(a.get("content", ""))[:MAX_META_VALUE]
    return out


# ---------------------------------------------------------------- links and forms


def _region(flag: int) -> str:
    for bit, region in ((F_CRUMB, "breadcrumb"), (F_FOOTER, "footer"), (F_LIST, "list"), (F_NAV, "nav")):
        if flag & bit:
            return region
    return "body"


def _anchor_text(a) -> str:
    text = _collapse(a.text(deep=True))
    if not text:
        for img in a.css("img"):
            ia = _attrs(img)
            text = _collapse(ia.get("alt") or ia.get("title") or "")
            if text:
                break
    if not text:
        text = _collapse(_attrs(a).get("title", ""))
    return text[:MAX_ANCHOR_TEXT]


def _links(
    tree, base: str, in_scope: Callable[[str], bool], flags: dict[int, int], problems: list[str]
) -> tuple[Link, ...]:
    out: list[Link] = []
    seen: set[tuple[str, str, str]] = set()
    for a in tree.css("a[href], area[href], iframe[src], frame[src]"):
        attrs = _attrs(a)
        href = attrs.get("href") if a.tag in ("a", "area") else attrs.get("src")
        u = urls.normalize(href or "", base)
        if u is None:
            continue
        text = (
            _anchor_text(a) if a.tag in ("a", "area") else _collapse(attrs.get("title", ""))[:MAX_ANCHOR_TEXT]
        )
        region = _region(flags.get(a.mem_id, 0))
        key = (u, text, region)
        if key in seen:
            continue
        seen.add(key)
        if len(out) >= MAX_LINKS:
            problems.append(f"more than {MAX_LINKS} links; the rest were dropped")
            break
        out.append(Link(url=u, text=text, region=region, internal=bool(in_scope(u))))
    return tuple(out)


def _forms(tree, base: str) -> tuple[Form, ...]:
    out: list[Form] = []
    for f in tree.css("form")[:50]:
        fa = _attrs(f)
        action_raw = fa.get("action", "").strip()
        action = (urls.normalize(action_raw, base) if action_raw else urls.normalize(base)) or ""
        method = (fa.get("method") or "get").strip().lower()[:10]
        names: list[str] = []
        hints = [action_raw, fa.get("class", ""), fa.get("id", ""), fa.get("name", "")]
        search = False
        for inp in f.css("input, select, textarea, button"):
            ia = _attrs(inp)
            name = ia.get("name", "").strip()
            if name and name not in names and len(names) < 50:
                names.append(name[:100])
            if name.lower() in _SEARCH_NAMES:
                search = True
            hints += [
                name,
                ia.get("placeholder", ""),
                ia.get("title", ""),
                ia.get("alt", ""),
                ia.get("value", "") if ia.get("type", "").lower() in ("submit", "button") else "",
            ]
            if inp.tag == "button":
                hints.append(_collapse(inp.text(deep=True)))
        if not search:
            search = any(_SEARCH_WORDS.search(h or "") for h in hints)
        defaults, query_input = _form_defaults(f)
        out.append(Form(action=action, method=method, inputs=tuple(names), is_search=search,
                        defaults=defaults, query_input=query_input))
    return tuple(out)


_NOT_SUBMITTED = frozenset({"submit", "button", "reset", "image", "file"})
_TEXT_TYPES = frozenset({"", "text", "search"})


def _form_defaults(f) -> tuple[tuple[tuple[str, str], ...], str]:
    """What submitting the form untouched sends, and the text input its words go into.

    The site-search probe fills the text input and keeps the rest: TRS and 大汉 search
    forms carry hidden channel/site ids without which the search answers nothing.
    """
    pairs: list[tuple[str, str]] = []
    texts: list[tuple[str, str]] = []  # (name, placeholder/title/id) of text inputs
    for inp in f.css("input, select, textarea")[:50]:
        ia = _attrs(inp)
        name = ia.get("name", "").strip()[:100]
        if not name or "disabled" in ia:
            continue
        if inp.tag == "select":
            options = inp.css("option")
            chosen = next((o for o in options if "selected" in _attrs(o)), options[0] if options else None)
            if chosen is not None:
                oa = _attrs(chosen)
                pairs.append((name, (oa["value"] if "value" in oa else _collapse(chosen.text(deep=True)))[:200]))
            continue
        if inp.tag == "textarea":
            pairs.append((name, _collapse(inp.text(deep=True))[:200]))
            continue
        kind = ia.get("type", "").strip().lower()
        if kind in _NOT_SUBMITTED or (kind in ("checkbox", "radio") and "checked" not in ia):
            continue
        pairs.append((name, (ia.get("value", "on") if kind in ("checkbox", "radio") else ia.get("value", ""))[:200]))
        if kind in _TEXT_TYPES:
            texts.append((name, " ".join((ia.get("placeholder", ""), ia.get("title", ""), ia.get("id", "")))))
    query = next((n for n, hint in texts if n.lower() in _SEARCH_NAMES or _SEARCH_WORDS.search(f"{n} {hint}")),
                 texts[0][0] if texts else "")
    return tuple(pairs), query


# ---------------------------------------------------------------- entry point


def extract(
    html: str,
    url: str,
    in_scope: Callable[[str], bool],
    *,
    today: date | None = None,
    is_home: bool = False,
    max_text: int = 200_000,
) -> Extracted:
    """Read one decoded page. Never raises: trouble is reported in `problem`."""
    try:
        return _extract(html, url, in_scope, today=today, is_home=is_home, max_text=max_text)
    except Exception as exc:  # hostile HTML must not stop a crawl
        return Extracted(
            kind="home" if is_home else "other",
            problem=f"extraction failed: {type(exc).__name__}: {exc}"[:500],
        )


def _extract(
    html: str, url: str, in_scope: Callable[[str], bool], *, today: date | None, is_home: bool, max_text: int
) -> Extracted:
    problems: list[str] = []
    page_url = urls.normalize(url) or url
    # CMS data that lives in scripts, read before the scripts are dropped.
    pager = cms.trs_pages(html or "", page_url)
    store = cms.datastore(html or "", page_url)
    tree = _parse(html or "")
    tree.strip_tags(_JUNK_TAGS)

    base = page_url
    base_el = tree.css_first("base[href]")
    if base_el is not None:
        b = urls.normalize(_attrs(base_el).get("href", ""), page_url)
        if b:
            base = b

    title_el = tree.css_first("title")
    title = _collapse(title_el.text(deep=True) if title_el is not None else "")[:500]

    idx = _Index(tree.body if tree.body is not None else tree.root)
    root = 0  # the index's root element
    st = _find_structure(idx)
    region_skip = st.regions()
    marks: dict[int, int] = {}
    for ids, bit in ((st.nav, F_NAV), ([st.footer], F_FOOTER), ([st.crumb], F_CRUMB)):
        for i in ids:
            if i is not None:
                marks[i] = marks.get(i, 0) | bit
    flags = idx.flags(marks)

    boxes = _find_lists(idx, flags, base, today)
    main_list = None if is_home else _main_list(boxes, bool(st.breadcrumb))
    home_boxes = _home_lists(boxes) if is_home else []

    article, article_own, editor = _find_article(idx, flags)
    if article is not None and main_list is not None:
        if article in idx.ancestors(main_list.elem, len(idx.nodes)):
            # A "content" wrapper around a list is the list area, not an article.
            article_own -= main_list.text_len
        elif main_list.elem in idx.ancestors(article, len(idx.nodes)):
            # A "list" whose item holds the article body is the page layout, not a list.
            main_list = None

    # Metadata: read outside the article body first (the 信息公开 box sits above it), then
    # the head of the article (some CMSs put the box inside the content area).
    outside_skip = set(region_skip)
    if main_list is not None:
        outside_skip.add(main_list.elem)
    if article is not None:
        outside_skip.add(article)
    outside_lines = idx.render(root, outside_skip, mode="cells").split("\n")
    article_lines = idx.render(article, mode="cells").split("\n")[:40] if article is not None else []
    meta = _read_meta(outside_lines)
    if "索引号" not in meta and "文号" not in meta and article_lines:
        for k, v in _read_meta(article_lines).items():
            meta.setdefault(k, v)
    has_meta_block = "索引号" in meta or "文号" in meta

    main_text = idx.render(root, region_skip)
    list_dominant = main_list is not None and not (article_own >= max(MIN_ARTICLE_CHARS, main_list.text_len))

    empty_list = False
    if is_home:
        kind = "home"
    elif has_meta_block:
        kind = "detail"
    elif list_dominant:
        kind = "list"
    elif st.breadcrumb and main_list is None and article_own < 300 and _says_empty(main_text):
        kind, empty_list = "list", True
    elif article is not None and article_own >= (MIN_EDITOR_CHARS if editor else MIN_ARTICLE_CHARS):
        kind = "detail"
    elif main_list is not None:
        kind = "list"
    else:
        kind = "other"

    # List items and the link regions they imply.
    list_ids: set[int] = set()
    items: list[ListItem] = []
    if kind == "list" and main_list is not None:
        list_ids.add(main_list.elem)
        items = list(main_list.items)
    elif kind == "home":
        seen: set[tuple[str, str]] = set()
        for b in home_boxes:
            list_ids.add(b.elem)
            for it in b.items:
                if (it.url, it.title) not in seen:
                    seen.add((it.url, it.title))
                    items.append(it)
    for i in list_ids:
        marks[i] = marks.get(i, 0) | F_LIST
    if list_ids:
        flags = idx.flags(marks)
    flags_by_id = idx.flags_by_mem_id(flags)
    if len(items) > MAX_LIST_ITEMS:
        problems.append(f"more than {MAX_LIST_ITEMS} list items; the rest were dropped")
        items = items[:MAX_LIST_ITEMS]

    # Article title, kept apart from the <title> (which carries column and site names).
    html_meta = _html_meta(tree)
    if kind == "detail" and "标题" not in meta:
        art_title = html_meta.get("articletitle", "") or _heading_title(idx.nodes[root], flags_by_id)
        if art_title and art_title != title:
            meta["标题"] = art_title[:MAX_META_VALUE]

    published = None
    if kind in ("detail", "other"):
        head_lines = outside_lines + article_lines[:10]
        for source in (
            lambda: parse_date(meta.get("发布日期", "")),
            lambda: _published_line(head_lines, loose=False),
            lambda: _published_line(outside_lines, loose=True),
            lambda: parse_date(html_meta.get("pubdate", "") or html_meta.get("publishdate", "")),
            lambda: parse_date(meta.get("生成日期", "")),
        ):
            d, _raw = source()
            if d is not None:
                published = d
                break

    if kind == "detail":
        body = idx.render(article, region_skip) if article is not None else main_text
    elif kind == "list" and main_list is not None:
        body = idx.render(main_list.elem)
    else:
        body = main_text
    text = idx.render(root)
    footer = idx.render(st.footer) if st.footer is not None else ""
    links = _links(tree, base, in_scope, flags_by_id, problems)
    if store is not None:
        kind, items, empty_list, body, text, links = _with_datastore(
            store, base, in_scope, today, kind, items, body, text, links, is_home)
    if pager:
        # Only the inline pager reaches these pages: the crawl must see them as list links.
        links = links + tuple(Link(url=p.url, text=p.text, region="list", internal=bool(in_scope(p.url)))
                              for p in pager if urls.normalize(p.url))

    return Extracted(
        kind=kind,
        title=title,
        breadcrumb=st.breadcrumb,
        text=_cap(text, max_text, "text", problems),
        body=_cap(body, max_text, "body", problems),
        footer=_cap(footer, max_text, "footer", problems),
        meta=meta,
        published=published,
        list_items=tuple(items),
        empty_list=empty_list,
        links=links[:MAX_LINKS + 600],
        forms=_forms(tree, base),
        problem="; ".join(problems),
    )


def record_items(fragments: Iterable[str], base: str, today: date | None) -> tuple[list[ListItem], list[str]]:
    """List items from HTML fragments (大汉 datastore records), read like any list's
    items; also each fragment's text."""
    items: list[ListItem] = []
    texts: list[str] = []
    for frag in fragments:
        tree = _parse(f"<div>{frag}</div>")
        node = tree.body.child if tree.body is not None else None
        while node is not None and not node.is_element_node:
            node = node.next
        if node is None:
            continue
        got = _item_from(node, [(a, _attrs(a)) for a in node.css("a[href]")], base, today)
        if got is not None:
            items.append(got[0])
            texts.append(_render(node))
    return items, texts


def _with_datastore(store, base, in_scope, today, kind, items, body, text, links, is_home):
    """A 大汉 JCMS page: its datastore records are the column's list."""
    rec_items, rec_texts = record_items(store.records, base, today)
    rec_links = tuple(Link(url=i.url, text=i.title[:MAX_ANCHOR_TEXT], region="list", internal=bool(in_scope(i.url)))
                      for i in rec_items)
    more = tuple(Link(url=p.url, text=p.text, region="list", internal=bool(in_scope(p.url))) for p in store.more)
    records_text = "\n".join(rec_texts)
    empty = False
    if is_home:
        seen = {(i.url, i.title) for i in items}
        items = list(items) + [i for i in rec_items if (i.url, i.title) not in seen]
    else:
        # The records are the column, whatever the static HTML around them looked like.
        kind, items, empty = "list", rec_items, not rec_items
        body = records_text or body
    text = f"{text}\n{records_text}" if records_text else text
    return kind, items[:MAX_LIST_ITEMS], empty, body, text, links + rec_links + more


def _says_empty(main_text: str) -> bool:
    """A column's "暂无信息" stands alone on its line; inside a sentence it is content."""
    return any(len(line) <= 40 and _EMPTY_MARKERS.search(line) for line in main_text.split("\n"))


def _heading_title(root, flags: dict[int, int]) -> str:
    for sel in ("h1", "h2", "[class*=title]", "[class*=Title]", "[id*=title]"):
        for n in root.css(sel):
            if flags.get(n.mem_id, 0) & (F_NAV | F_FOOTER | F_CRUMB | F_LIST):
                continue
            t = _collapse(n.text(deep=True))
            if 6 <= len(t) <= 200:
                return t
    return ""
