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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
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

_CONTAINER_TAGS = frozenset({"ul", "ol", "tbody", "table", "div", "dl", "section"})
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

_SPACES = str.maketrans({c: " " for c in "\u00a0\u2002\u2003\u2009\u200a\u3000\t\r\f\v"})
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A source line break between two CJK characters of one text node is not rendered
# (CSS segment-break rule): "政府\n  信息" reads "政府信息", which pattern checks rely on.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_SPACE_RUN = re.compile(r"[ ]{2,}")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


# ---------------------------------------------------------------- small helpers


def _parse(html: str):
    try:
        from selectolax.lexbor import LexborHTMLParser

        return LexborHTMLParser(html)
    except Exception:
        from selectolax.parser import HTMLParser  # older selectolax only

        return HTMLParser(html)


def _collapse(text: str | None) -> str:
    return _WS.sub(" ", (text or "").translate(_SPACES)).strip()


def _attrs(node) -> dict[str, str]:
    try:
        return {k: (v or "") for k, v in node.attributes.items()}
    except Exception:
        return {}


def _class_id(node) -> tuple[str, list[str]]:
    a = _attrs(node)
    s = f"{a.get('class', '')} {a.get('id', '')}".lower()
    return s, [t for t in _NON_ALNUM.split(s) if t]


def _children(node) -> list:
    out = []
    c = node.child
    while c is not None:
        out.append(c)
        c = c.next
    return out


def _element_children(node) -> list:
    return [c for c in _children(node) if c.is_element_node]


def _ancestors(node) -> Iterable:
    p = node.parent
    while p is not None and p.tag not in ("-document", "html"):
        yield p
        p = p.parent


# Per-element measures, computed once bottom-up so no heuristic re-reads a subtree
# (a page of 20 000 nested <div>s must not cost 20 000² steps).
_TEXT, _LINK, _ELEMS, _ANCHORS = range(4)


def _measure(root) -> dict[int, list[int]]:
    """mem_id -> [non-space text chars, of which inside links, elements, anchors]."""
    stats: dict[int, list[int]] = {}
    stack: list[tuple[object, int | None, bool]] = [(root, None, False)]
    while stack:
        n, parent, leaving = stack.pop()
        if leaving:
            s = stats[n.mem_id]
            if n.tag == "a":
                s[_LINK] = s[_TEXT]
                s[_ANCHORS] += 1
            if parent is not None:
                ps = stats[parent]
                for i in range(4):
                    ps[i] += s[i]
            continue
        if n.is_text_node:
            if parent is not None:
                t = n.text_content or ""
                stats[parent][_TEXT] += len("".join(t.split()))  # split() drops exactly the isspace() chars
            continue
        if not n.is_element_node or n.tag in _NO_TEXT_TAGS:
            continue
        mid = n.mem_id
        stats[mid] = [0, 0, 1, 0]
        stack.append((n, parent, True))
        stack.extend((k, mid, False) for k in reversed(_children(n)))
    return stats


# Region flags, inherited from ancestors.
F_CRUMB, F_FOOTER, F_NAV, F_LIST = 1, 2, 4, 8


def _flag_map(root, marks: dict[int, int]) -> dict[int, int]:
    """mem_id -> OR of the marks on the element and all its ancestors."""
    flags: dict[int, int] = {}
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        n, inherited = stack.pop()
        if not n.is_element_node:
            continue
        f = inherited | marks.get(n.mem_id, 0)
        flags[n.mem_id] = f
        if n.tag in _NO_TEXT_TAGS:
            continue
        stack.extend((k, f) for k in _children(n))
    return flags


def _cap(text: str, limit: int, what: str, problems: list[str]) -> str:
    if len(text) > limit:
        problems.append(f"{what} truncated to {limit} characters")
        return text[:limit]
    return text


# ---------------------------------------------------------------- text rendering


def _render(
    node, skip: set[int] | frozenset[int] = frozenset(), *, cells_as_lines: bool = False, crumb: bool = False
) -> str:
    """Readable text of a subtree: one line per block, inline runs joined.

    `skip` holds mem_ids of subtrees left out (nav, footer …). With `crumb`, every
    element boundary breaks the line so breadcrumb segments come apart even when the
    separators are drawn by CSS.
    """
    if node is None:
        return ""
    parts: list[str] = []
    stack: list[tuple[object, str | None]] = [(node, None)]
    while stack:
        n, closing = stack.pop()
        if closing is not None:
            parts.append(closing)
            continue
        if n.is_text_node:
            t = n.text_content or ""
            if t:
                if "\n" in t:  # the only case _CJK_BREAK can match
                    t = _CJK_BREAK.sub("", t)
                parts.append(_WS.sub(" ", t))
            continue
        if not n.is_element_node and n is not node:
            continue
        tag = n.tag
        if n is not node and (n.mem_id in skip or tag in _NO_TEXT_TAGS):
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if crumb:
            sep = "\n"
        elif tag in _CELL_TAGS:
            sep = "\n" if cells_as_lines else "\t"
        elif tag in _BLOCK_TAGS:
            sep = "\n"
        else:
            sep = ""
        if sep:
            parts.append(sep)
            stack.append((None, sep))
        kids = _children(n)
        stack.extend((k, None) for k in reversed(kids))
    return _clean("".join(parts))


def _clean(raw: str) -> str:
    # Runs of spaces never span a line break: squeezed once over the whole text, not per line.
    raw = _SPACE_RUN.sub(" ", raw.translate(_SPACES).replace("\u200b", "").replace("\ufeff", ""))
    lines = (line.strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- page structure


@dataclass
class _Structure:
    crumb_node: object | None = None
    breadcrumb: tuple[str, ...] = ()
    footer_node: object | None = None
    nav_ids: set[int] = field(default_factory=set)
    footer_ids: set[int] = field(default_factory=set)
    crumb_ids: set[int] = field(default_factory=set)


_CSS_POSITION_UTILITY = re.compile(r"position-(?:relative|absolute|fixed|sticky|static)")


def _is_breadcrumb_kw(s: str) -> bool:
    s = _CSS_POSITION_UTILITY.sub("", s)  # Bootstrap's position-relative is not a 位置 bar
    return any(k in s for k in _BC_SUBSTR)


def _is_footer_kw(tag: str, s: str, tokens: list[str]) -> bool:
    if tag == "footer":
        return True
    if any(k in s for k in _FOOTER_SUBSTR):
        return True
    return any(t.startswith(_FOOTER_TOKEN_PREFIX) or t in _FOOTER_TOKEN_EQ for t in tokens)


def _is_nav_kw(tag: str, s: str, tokens: list[str], role: str) -> bool:
    if tag in ("nav", "header") or role in ("navigation", "banner", "menubar"):
        return True
    if any(k in s for k in _NAV_SUBSTR):
        return True
    return any(t.startswith(_NAV_TOKEN_PREFIX) or t in _NAV_TOKEN_EQ for t in tokens)


def _crumb_segments(node) -> tuple[str, ...]:
    text = _render(node, crumb=True)
    out: list[str] = []
    for piece in _CRUMB_SPLIT.split(text):
        piece = _CRUMB_LABEL.sub("", _collapse(piece)).strip(" :：-·|")
        if piece and len(out) < 12:
            out.append(piece[:60])
    return tuple(out)


def _find_structure(root, stats: dict[int, list[int]]) -> _Structure:
    st = _Structure()
    crumb_kw: list = []
    crumb_label_nodes: list = []
    footer_outer: list = []  # footer-named blocks not inside another one
    nav_kw: list = []
    marker_node = None

    def size(n) -> int:
        return stats.get(n.mem_id, (0,))[_TEXT]

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        n, in_footer = stack.pop()
        if n.is_text_node:
            t = n.text_content or ""
            if t.strip():
                if not crumb_label_nodes and _CRUMB_TEXT_START.match(t):
                    crumb_label_nodes.append(n)
                if _FOOTER_MARKERS.search(t):
                    marker_node = n
            continue
        if not n.is_element_node:
            continue
        tag = n.tag
        if tag in _NO_TEXT_TAGS:
            continue
        if tag not in ("html", "body"):
            s, tokens = _class_id(n)
            role = _attrs(n).get("role", "").lower()
            if s.strip() or tag in ("nav", "header", "footer") or role:
                if _is_breadcrumb_kw(s):
                    crumb_kw.append(n)
                elif _is_footer_kw(tag, s, tokens):
                    if not in_footer:
                        footer_outer.append(n)
                    in_footer = True
                elif _is_nav_kw(tag, s, tokens, role):
                    nav_kw.append(n)
        stack.extend((k, in_footer) for k in reversed(_children(n)))

    # Breadcrumb: a named container first, else the element around "当前位置：".
    for n in crumb_kw:
        if size(n) <= 400:
            segs = _crumb_segments(n)
            # A named bar needs two segments (首页 > 栏目); one word is a stray match.
            if len(segs) >= 2:
                st.crumb_node, st.breadcrumb = n, segs
                break
    if st.crumb_node is None and crumb_label_nodes:
        n = crumb_label_nodes[0].parent
        for _ in range(4):
            if n is None or n.tag in ("body", "html") or size(n) > 400:
                break
            segs = _crumb_segments(n)
            if segs:
                st.crumb_node, st.breadcrumb = n, segs
                break
            n = n.parent
    if st.crumb_node is not None:
        st.crumb_ids.add(st.crumb_node.mem_id)

    # Footer: the outermost footer-named blocks; the last one carrying site markers
    # (网站标识码, ICP备案 …) wins, else the last sizeable one.
    outer = [n for n in footer_outer if _plausible_boxed(n, stats, 6000, 0.5)]
    chosen = None
    for n in outer:
        if _FOOTER_MARKERS.search(n.text(deep=True) or ""):
            chosen = n
    if chosen is None:
        for n in outer:
            if size(n) >= 20:
                chosen = n
    if chosen is None and marker_node is not None:
        # No named footer: the block around the last copyright-like text.
        n = marker_node.parent
        best = None
        for _ in range(5):
            if n is None or n.tag in ("body", "html") or size(n) > 1500:
                break
            best = n
            n = n.parent
        chosen = best
    if chosen is not None:
        st.footer_node = chosen
        st.footer_ids.add(chosen.mem_id)

    # Navigation: named blocks that are mostly links or short (a "left" column holding
    # the article is not navigation).
    for n in nav_kw:
        if _plausible_boxed(n, stats, 1200, 0.6):
            st.nav_ids.add(n.mem_id)
    return st


def _plausible_boxed(node, stats: dict[int, list[int]], max_len: int, min_link_share: float) -> bool:
    s = stats.get(node.mem_id)
    if s is None:
        return False
    return s[_TEXT] <= max_len or s[_LINK] >= s[_TEXT] * min_link_share


# ---------------------------------------------------------------- lists


@dataclass
class _ListBox:
    node: object
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


def _item_from(child, base: str, today: date | None, *, nested_ok: bool = False):
    # A block holding its own list or table is a section of the page, not one item (a
    # JCMS record wraps its one item in a table of its own: `nested_ok`).
    if not nested_ok and any(n.mem_id != child.mem_id for n in child.css("li, ul, ol, table, tr")):
        return None
    urls_seen: dict[str, tuple[object, str]] = {}
    for a in child.css("a[href]"):
        text = _collapse(a.text(deep=True))
        if _MORE_TEXT.match(text):
            continue
        u = urls.normalize(_attrs(a).get("href", ""), base)
        if u is None:
            continue
        prev = urls_seen.get(u)
        if prev is None or len(text) > len(prev[1]):
            urls_seen[u] = (a, text)
    if len(urls_seen) != 1:
        return None
    url, (a, text) = next(iter(urls_seen.items()))
    title_attr = _collapse(_attrs(a).get("title", ""))
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


def _find_lists(
    root, stats: dict[int, list[int]], flags: dict[int, int], base: str, today: date | None
) -> list[_ListBox]:
    boxes: list[_ListBox] = []
    order = 0
    for node in root.css(", ".join(sorted(_CONTAINER_TAGS))):
        order += 1
        f = flags.get(node.mem_id, 0)
        if f & (F_FOOTER | F_CRUMB):
            continue
        kids = _element_children(node)
        if not any(k.tag in _ITEM_TAGS for k in kids):
            continue
        nonempty = 0
        items: list[ListItem] = []
        text_len = 0
        for k in kids:
            ks = stats.get(k.mem_id)
            if ks is None or (ks[_TEXT] == 0 and ks[_ANCHORS] == 0):
                continue
            nonempty += 1
            # Cheap limits first: an item is small and holds a link or a few.
            if (
                k.tag not in _ITEM_TAGS
                or not 1 <= ks[_ANCHORS] <= 12
                or ks[_TEXT] > MAX_ITEM_CHARS
                or ks[_ELEMS] > 200
            ):
                continue
            # Title plus a short summary is an item; paragraphs with a link inside are prose.
            if ks[_TEXT] - ks[_LINK] > MAX_SUMMARY_CHARS and ks[_LINK] * 4 < ks[_TEXT]:
                continue
            got = _item_from(k, base, today)
            if got is None:
                continue
            items.append(got[0])
            text_len += got[1]
        if not items or len(items) * 2 < nonempty:
            continue
        tokens = _class_id(node)[1]
        for p in islice(_ancestors(node), 2):
            tokens = tokens + _class_id(p)[1]
        listy = any(t.startswith(_LISTY_TOKENS) for t in tokens)
        dated = sum(1 for i in items if i.date is not None or i.date_raw)
        boxes.append(_ListBox(node, items, dated, nonempty, bool(f & F_NAV), listy, text_len, order))
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


def _is_article_kw(tag: str, s: str, tokens: list[str]) -> bool:
    if tag in _ARTICLE_TAGS:
        return True
    if any(k in s for k in _ARTICLE_SUBSTR):
        return True
    return any(t.startswith(_ARTICLE_TOKEN_PREFIX) or t in _ARTICLE_TOKEN_EQ for t in tokens)


def _find_article(root, stats: dict[int, list[int]], flags: dict[int, int]):
    """The article body.

    Editor containers (TRS_Editor, #zoom, ucapcontent) are what CMSs wrap the typed text
    in, so the innermost of those holding most of the text wins. Otherwise, among
    content-named blocks, the innermost one holding 85% of the most non-link text (not the
    wrapper that adds title, metadata and share buttons). Returns (node, non-link chars,
    whether it is an editor container).
    """
    cands = []
    order = 0
    for n in root.traverse():
        order += 1
        if not n.is_element_node or n.tag in ("html", "body"):
            continue
        if flags.get(n.mem_id, 0) & (F_NAV | F_FOOTER | F_CRUMB):
            continue
        s, tokens = _class_id(n)
        if not _is_article_kw(n.tag, s, tokens):
            continue
        st = stats.get(n.mem_id)
        if st is None or st[_TEXT] < 20:
            continue
        own = st[_TEXT] - st[_LINK]
        strong = n.tag == "ucapcontent" or any(k in s for k in _EDITOR_SUBSTR)
        cands.append((own, st[_TEXT], order, strong, n))
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
    own, _total, _order, is_strong, node = min(near, key=lambda c: (c[1], -c[2]))
    return node, own, is_strong


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

    root = tree.body if tree.body is not None else tree.root
    stats = _measure(root)
    st = _find_structure(root, stats)
    region_skip = st.nav_ids | st.footer_ids | st.crumb_ids
    marks: dict[int, int] = {}
    for ids, bit in ((st.nav_ids, F_NAV), (st.footer_ids, F_FOOTER), (st.crumb_ids, F_CRUMB)):
        for i in ids:
            marks[i] = marks.get(i, 0) | bit
    flags = _flag_map(root, marks)

    boxes = _find_lists(root, stats, flags, base, today)
    main_list = None if is_home else _main_list(boxes, bool(st.breadcrumb))
    home_boxes = _home_lists(boxes) if is_home else []

    article, article_own, editor = _find_article(root, stats, flags)
    if article is not None and main_list is not None:
        if article.mem_id in {p.mem_id for p in _ancestors(main_list.node)}:
            # A "content" wrapper around a list is the list area, not an article.
            article_own -= main_list.text_len
        elif main_list.node.mem_id in {p.mem_id for p in _ancestors(article)}:
            # A "list" whose item holds the article body is the page layout, not a list.
            main_list = None

    # Metadata: read outside the article body first (the 信息公开 box sits above it), then
    # the head of the article (some CMSs put the box inside the content area).
    outside_skip = set(region_skip)
    if main_list is not None:
        outside_skip.add(main_list.node.mem_id)
    if article is not None:
        outside_skip.add(article.mem_id)
    outside_lines = _render(root, outside_skip, cells_as_lines=True).split("\n")
    article_lines = _render(article, cells_as_lines=True).split("\n")[:40] if article is not None else []
    meta = _read_meta(outside_lines)
    if "索引号" not in meta and "文号" not in meta and article_lines:
        for k, v in _read_meta(article_lines).items():
            meta.setdefault(k, v)
    has_meta_block = "索引号" in meta or "文号" in meta

    main_text = _render(root, region_skip)
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
        list_ids.add(main_list.node.mem_id)
        items = list(main_list.items)
    elif kind == "home":
        seen: set[tuple[str, str]] = set()
        for b in home_boxes:
            list_ids.add(b.node.mem_id)
            for it in b.items:
                if (it.url, it.title) not in seen:
                    seen.add((it.url, it.title))
                    items.append(it)
    for i in list_ids:
        marks[i] = marks.get(i, 0) | F_LIST
    if list_ids:
        flags = _flag_map(root, marks)
    if len(items) > MAX_LIST_ITEMS:
        problems.append(f"more than {MAX_LIST_ITEMS} list items; the rest were dropped")
        items = items[:MAX_LIST_ITEMS]

    # Article title, kept apart from the <title> (which carries column and site names).
    html_meta = _html_meta(tree)
    if kind == "detail" and "标题" not in meta:
        art_title = html_meta.get("articletitle", "") or _heading_title(root, flags)
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
        body = _render(article, region_skip) if article is not None else main_text
    elif kind == "list" and main_list is not None:
        body = _render(main_list.node)
    else:
        body = main_text
    text = _render(root)
    footer = _render(st.footer_node) if st.footer_node is not None else ""
    links = _links(tree, base, in_scope, flags, problems)
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
        got = _item_from(node, base, today, nested_ok=True)
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
