"""The named-pattern library: what rules mean by `pattern: landline`, `pattern: doc_number` ….

Each pattern is a regex plus, where a regex cannot say it, a validator (a checksum, a
label that must sit next to the match). Rules name patterns instead of repeating
regexes, so a fix here fixes every rule, and every pattern has its own pass/fail tests
(tests/engine/test_patterns.py).

Matching runs on a *folded* copy of the text in which full-width ASCII (０-９, （）, ：, ＠,
－) and the ideographic space become their half-width forms. The fold maps one character
to one character, so match offsets index the original text and the evidence quotes what
the page really printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# Scraped text is hostile: never run the library over more than this many characters.
MAX_TEXT = 1_000_000
CONTEXT_CHARS = 30

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20  # ideographic space
# Dashes people type between 区号 and 号码: em/en dashes, the minus sign, the wave dash.
for _c in "‐‑‒–—―−﹣～〜":
    _FOLD[ord(_c)] = ord("-")


def fold(text: str) -> str:
    """Full-width ASCII and odd dashes to their plain forms, one char for one char."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Pattern:
    name: str
    label: str  # Chinese, for the scorecard
    regex: re.Pattern[str]
    description: str
    validate: Callable[[re.Match[str]], bool] | None = None


@dataclass(frozen=True)
class Match:
    pattern: str
    text: str  # the matched text as printed on the page
    start: int
    end: int
    context: str  # the match with up to CONTEXT_CHARS characters either side, whitespace collapsed


_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵黔云滇藏陕秦甘陇青宁新"

# 区号: 010, 02x, or 0 + three digits starting 3–9 (0352, 0591). 号码: 7–8 digits that
# do not start with 0; an 11-digit mobile after a 区号 fails the digit-run guard.
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_LOCAL = r"[1-9]\d{6,7}"
_EXT = r"(?:\s*(?:转|分机|-|ext\.?)\s*\d{1,6}(?!\d))?"
_LANDLINE = (
    rf"(?:\((?P<pa>{_AREA})\)\s*|(?P<a>{_AREA})(?P<sep>\s*-\s*|\s+|))"
    rf"(?P<num>{_LOCAL})(?!\d){_EXT}"
)
# Not inside a longer run of digits, letters or an index number (…/2024-00123).
_NOT_AFTER = r"(?<![0-9A-Za-z/])(?<!\d-)"
_PHONE_LABEL = re.compile(r"(?:电话|热线|传真|座机|tel|phone|联系方式)[^0-9\n]{0,6}$", re.I)


def _landline_ok(m: re.Match[str]) -> bool:
    # An unseparated run like 03521234567 could be any number; take it only after a label.
    if m.group("a") and m.group("sep") == "":
        return bool(_PHONE_LABEL.search(m.string[max(0, m.start() - 12) : m.start()]))
    return True


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_card_ok(m: re.Match[str]) -> bool:
    s = m.group(0).upper()
    try:
        date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == s[17]


_CN_NUM = "一二两三四五六七八九十"
_DATE = r"(?:19|20)\d{2}\s*(?:年|[-./])\s*\d{1,2}(?:\s*(?:月|[-./])\s*\d{1,2}\s*日?)?"

_DEFS: list[Pattern] = [
    Pattern(
        "landline", "固定电话",
        re.compile(_NOT_AFTER + _LANDLINE),
        "区号加 7–8 位号码：0352-1234567、(0352)1234567、010 12345678，可带分机（转 123）。"
        "不含手机号、12345 等热线，也不取身份证号等长数字串中的片段。",
        _landline_ok,
    ),
    Pattern(
        "mobile", "手机号码",
        re.compile(r"(?<![0-9A-Za-z])1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])"),
        "11 位手机号码（1[3-9] 开头），不在更长的数字串中。",
    ),
    Pattern(
        "doc_number", "文号",
        re.compile(
            r"(?P<issuer>[\u4e00-\u9fff]{1,12})\s*[〔\[(【﹝〖]\s*(?P<year>(?:19|20)\d{2})\s*[〕\])】﹞〗]"
            r"\s*(?:第\s*)?(?P<num>\d{1,5})\s*号"
        ),
        "发文机关代字〔年份〕序号号，如 平政发〔2024〕3号；年份括号可为 〔〕[]()【】。",
    ),
    Pattern(
        "validity_period", "有效期",
        re.compile(
            rf"有效期限?\s*(?:为|是|:|至|到|自|延长至|截至|截止(?:日期)?(?:为|到|至)?)?\s*"
            r"(?:自[^。；;\n]{1,15}?起\s*)?"
            rf"(?:(?:\d{{1,3}}|[{_CN_NUM}]{{1,3}})\s*(?:年|个月|月)|{_DATE})"
        ),
        "有效期加期限或日期：有效期5年、有效期为五年、有效期至2029年3月1日；“长期有效”不算。",
    ),
    Pattern(
        "interpretation", "解读（解释）主体",
        re.compile(
            r"由[^。；;\n]{1,30}?负责[^。；;\n]{0,10}?(?:解读|解释)"
            r"|[\u4e00-\u9fff]{2,20}负责(?:对本[^。；;\n]{0,8})?(?:解读|解释)(?=\s*(?:[。；;,，]|$))"
            r"|(?:解读|解释)(?:机关|主体|单位|部门)\s*[:为是]\s*[^\s。；;]{1,30}"
            r"|解释权(?:归|属于?)[^。；;\n]{1,30}"
        ),
        "解读或解释主体的说明：本办法由XX负责解释、解读机关：XX、解释权归XX。",
    ),
    Pattern(
        "site_code", "网站标识码",
        re.compile(r"网站标识码\s*:?\s*(?P<code>\d{10})(?!\d)"),
        "网站标识码后接 10 位数字。",
    ),
    Pattern(
        "icp", "ICP备案号",
        re.compile(rf"[{_PROVINCES}]\s*ICP\s*备\s*\d{{4,12}}\s*号(?:\s*-\s*\d{{1,4}})?", re.I),
        "省份简称 + ICP备 + 数字 + 号，可带 -序号：晋ICP备05004519号-1。",
    ),
    Pattern(
        "police_record", "公安机关备案号",
        re.compile(
            rf"[{_PROVINCES}]\s*公网安备\s*(?:号\s*:?\s*)?\d{{14}}(?!\d)\s*号?"
            r"|公安(?:机关)?备案号\s*:?\s*\d[\d-]{5,30}\d"
        ),
        "省份简称 + 公网安备 + 14 位数字 + 号，或“公安备案号：35012899001-19002”。",
    ),
    Pattern(
        "email", "电子邮箱",
        re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,10}"),
        "电子邮箱地址（全角 ＠ 亦可）。",
    ),
    Pattern(
        "url_or_domain", "网址",
        re.compile(
            r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'，。；、）)]*)?"
            r"|(?<![A-Za-z0-9.-])(?:www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn)",
            re.I,
        ),
        "网址：http(s):// 开头的地址，或 www.xxx.gov.cn / xxx.gov.cn 这样的域名。",
    ),
    Pattern(
        "fax", "传真号码",
        re.compile(r"传\s*真(?:号码|电话)?[^0-9\n]{0,6}?" + _LANDLINE),
        "“传真”后接固定电话号码。",
    ),
    Pattern(
        "id_card", "身份证号",
        re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9A-Za-z])"),
        "18 位公民身份号码，校验码正确（GB 11643）；打码的（1402**********1234）不算。",
        _id_card_ok,
    ),
]

PATTERNS: dict[str, Pattern] = {p.name: p for p in _DEFS}


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    return " ".join(f"{left}{text[start:end]}{right}".split())


def _get(name: str) -> Pattern:
    try:
        return PATTERNS[name]
    except KeyError:
        raise KeyError(f"unknown pattern {name!r}; known: {', '.join(PATTERNS)}") from None


def _iter(name: str, text: str):
    pattern = _get(name)
    text = text[:MAX_TEXT]
    for m in pattern.regex.finditer(fold(text)):
        if pattern.validate is None or pattern.validate(m):
            yield Match(name, text[m.start() : m.end()], m.start(), m.end(), _context(text, m.start(), m.end()))


def find(name: str, text: str) -> list[Match]:
    """Every match of the named pattern in `text`, in order."""
    return list(_iter(name, text))


def search(name: str, text: str) -> Match | None:
    """The first match of the named pattern, or None."""
    return next(_iter(name, text), None)


def search_regex(regex: re.Pattern[str], text: str, name: str = "") -> Match | None:
    """First match of an ad-hoc regex, on the folded text like the named patterns."""
    text = text[:MAX_TEXT]
    m = regex.search(fold(text))
    if not m:
        return None
    return Match(name or regex.pattern, text[m.start() : m.end()], m.start(), m.end(), _context(text, m.start(), m.end()))


ALTERNATIVE_SEPARATOR = "|"


def alternatives(keyword: str) -> list[str]:
    """The alternatives of a rule keyword: `办公时间|工作时间` → [办公时间, 工作时间]."""
    return [a.strip() for a in keyword.split(ALTERNATIVE_SEPARATOR) if a.strip()]


def keyword_problem(keyword: str) -> str | None:
    """Why a rule keyword is malformed (an empty alternative), or None."""
    parts = keyword.split(ALTERNATIVE_SEPARATOR)
    if any(not p.strip() for p in parts):
        return f"keyword {keyword!r} has an empty alternative (write alternatives as 办公时间|工作时间)"
    return None


def keyword_label(keyword: str) -> str:
    """How the scorecard names a keyword: 「办公时间」或「工作时间」."""
    return "或".join(f"「{a}」" for a in alternatives(keyword)) or f"「{keyword}」"


def keyword_any(keyword: str, text: str) -> Match | None:
    """The first alternative of `keyword`, in the order written, found in `text`.

    The match's `pattern` is that alternative, so evidence can say which one the page used.
    """
    for alt in alternatives(keyword):
        match = keyword_search(alt, text)
        if match:
            return match
    return None


def keyword_search(keyword: str, text: str) -> Match | None:
    """A literal keyword, tolerating whitespace the page put between its characters (政 务 公 开)."""
    chars = [re.escape(c) for c in fold(keyword) if not c.isspace()]
    if not chars:
        return None
    text = text[:MAX_TEXT]
    m = re.search(r"\s*".join(chars), fold(text))
    if not m:
        return None
    return Match(keyword, text[m.start() : m.end()], m.start(), m.end(), _context(text, m.start(), m.end()))
