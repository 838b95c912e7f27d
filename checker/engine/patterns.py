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
from functools import lru_cache

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


_FAX_LABEL = re.compile(r"传\s*真(?:号码|电话)?[^0-9\n]{0,6}$")


def _contact_landline_ok(m: re.Match[str]) -> bool:
    # The number a guide gives as its 联系电话, not its 传真: a fax line is a landline too, and
    # counting it would pass a guide whose only phone is a mobile. 电话/传真 serves both.
    before = m.string[max(0, m.start() - 12) : m.start()]
    if _FAX_LABEL.search(before) and not re.search(r"电话\s*[/、／]\s*传\s*真", before):
        return False
    return _landline_ok(m)


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
        "contact_landline", "固定联系电话",
        re.compile(_NOT_AFTER + _LANDLINE),
        "作为联系电话公开的固定电话：同 landline，但不取“传真”后的号码（“电话/传真”除外）。",
        _contact_landline_ok,
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
            r"|(?<![A-Za-z0-9.@-])(?:www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn)",
            re.I,
        ),
        "网址：http(s):// 开头的地址，或 www.xxx.gov.cn / xxx.gov.cn 这样的域名（电子邮箱的域名部分不算）。",
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
    regex = _keyword_regex(keyword)
    if regex is None:
        return None
    text = text[:MAX_TEXT]
    m = regex.search(fold(text))
    if not m:
        return None
    return Match(keyword, text[m.start() : m.end()], m.start(), m.end(), _context(text, m.start(), m.end()))


# A column's every title is searched for each required keyword: the regex is built once.
@lru_cache(maxsize=4096)
def _keyword_regex(keyword: str) -> re.Pattern[str] | None:
    chars = [re.escape(c) for c in fold(keyword) if not c.isspace()]
    return re.compile(r"\s*".join(chars)) if chars else None


# -- personal data (《个人信息保护法》; 001 item 7) ----------------------------------------------------
# Numbers that identify a person: 身份证号 (GB 11643 check digit), full mobile numbers, bank
# card numbers (Luhn). The scan runs one compiled regex per text and judges the labels
# around each candidate in Python: texts are long and numerous (20,000 pages a scan), and
# candidates are few.

PERSONAL_LABELS = {"id_card": "身份证号", "mobile": "手机号码", "bank_card": "银行卡号"}

_CARD_BODY = r"[1-9][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?"
# A card number needs a banking word close by: 16–19 digits passing Luhn are otherwise
# order, case and 流水 numbers one time in ten.
_CARD_LABEL = re.compile(r"银行|卡号|账号|帐号|开户|账户|帐户|银联|储蓄卡|借记卡|信用卡|社保卡|一卡通")
_CARD_BEFORE, _CARD_AFTER = 40, 12
# Numbers labelled as these are the organisation's, or a record's, not a person's.
_NOT_PERSONAL_LABEL = re.compile(
    r"(?:信用代码|标识码|索引号|注册号|登记号|编号|编码|单号|流水号|订单|案号|文号|代码|邮编|邮政编码|批准号|许可证号|税号)"
    r"[^0-9\n]{0,6}$"
)
_PERSON_LABEL = re.compile(r"身份|证件|公民")  # 证件编号 is an 身份证号 whatever 编号 says
# A mobile under one of these labels is an office line the page publishes on purpose.
_HOTLINE_LABEL = re.compile(
    r"(?:(?:举报|投诉|监督|咨询|服务|值班|办公|受理|客服|报名|工作)(?:电话|专线|手机|号码)|热线|传真)[^0-9\n]{0,6}$"
)

# One pass finds every candidate. The leading [1-9] lets the regex engine skip fast to
# digits (a lookbehind first would make it try every position); right after it, a cheap
# lookbehind drops positions inside a longer run (11140202MB…, O(run²) work otherwise) and
# a lookahead drops what is too short to be a candidate (2026年, 2026-03-01), before the
# alternatives are tried. The rest of the boundary rules are checked in Python.
_PERSONAL_SCAN = re.compile(
    r"[1-9](?<![0-9A-Za-z*_/\\][1-9])(?=[0-9*]{2,3}[ -]?[0-9*]{4})(?:"
    r"(?P<id_card>[0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{5}[0-9Xx])"
    r"|(?P<bank_card>[0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)"
    r"|(?P<mobile>(?<=1)[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4})"
    # Masked forms: 1402**********1234, 138****5678, 6222********1234 …
    r"|(?P<masked>[0-9]{0,12}\*[0-9*]{0,17}[Xx]?)"
    # … and grouped ones: 6222 **** **** 1234, 138 **** 5678. Groups of four only, so a
    # masked number never swallows the separate number printed after it.
    r"|(?P<masked_grouped>[0-9]{1,5}(?:[ -][0-9*]{4}){1,3}(?:[ -][0-9*]{1,4})?)"
    r")(?![0-9A-Za-z*])"
)
_FULLWIDTH = "０１２３４５６７８９＊"
# redact() runs these on folded text: ASCII digits only.
_LONG_DIGITS = re.compile(r"[0-9]{11,}")
_GROUPED_DIGITS = re.compile(r"[0-9]{3,4}(?:[ -][0-9]{4}){2,4}(?:[ -][0-9]{1,4})?")
_RUN = "0123456789*Xx"


def luhn_ok(digits: str) -> bool:
    """The Luhn check of bank card numbers (ISO/IEC 7812)."""
    if not digits.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def id_card_ok(number: str) -> bool:
    """An 18-character 身份证号 with a real birth date and the GB 11643 check character."""
    s = number.upper()
    if len(s) != 18 or not s[:17].isdigit():
        return False
    try:
        date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return "10X98765432"[sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True)) % 11] == s[17]


def _bank_card_context(text: str, start: int, end: int) -> bool:
    return bool(_CARD_LABEL.search(text[max(0, start - _CARD_BEFORE) : end + _CARD_AFTER]))


def _bank_card_ok(m: re.Match[str]) -> bool:
    digits = re.sub(r"[ -]", "", m.group(0))
    before = m.string[max(0, m.start() - 14) : m.start()]
    return (
        16 <= len(digits) <= 19 and luhn_ok(digits) and not _NOT_PERSONAL_LABEL.search(before)
        and _bank_card_context(m.string, m.start(), m.end())
    )


_DEFS.append(Pattern(
    "bank_card", "银行卡号",
    re.compile(r"(?<![0-9A-Za-z*])" + _CARD_BODY + r"(?![0-9A-Za-z*])"),
    "16–19 位银行卡号（可按 4 位分组），通过 Luhn 校验，且前后有“银行、卡号、账号、开户”等字样；"
    "打码的（6222 **** **** 1234）不算。",
    _bank_card_ok,
))
PATTERNS["bank_card"] = _DEFS[-1]


@dataclass(frozen=True)
class PersonalMatch:
    kind: str  # id_card | mobile | bank_card
    start: int
    end: int
    text: str  # as printed: never put this in a report, show `masked`
    masked: bool  # the page printed it masked already (compliant)

    @property
    def shown(self) -> str:
        """The form a report may show."""
        return mask(self.text, self.kind)


def mask(text: str, kind: str) -> str:
    """A personal number with its middle hidden: 140202********1234, 138****5678, 6222 **** **** 1234.

    Works on numbers the page masked already (they are masked again, so a weak mask such as
    1402021990010112** is not shown as printed) and on full-width digits.
    """
    s = "".join(c for c in fold(text) if c not in " -\t\n")
    if kind == "bank_card":
        return f"{s[:4]} **** **** {s[-4:]}" if len(s) >= 12 else "*" * len(s)
    keep = {"mobile": 3, "id_card": 6}.get(kind, 3)
    if len(s) < keep + 4 + 2:
        return "*" * len(s)
    return s[:keep] + "*" * (len(s) - keep - 4) + s[-4:]


def _folded(text: str) -> str:
    # Folding costs a dictionary lookup per character, and a regex for full-width digits
    # costs more than eleven substring tests: fold only when there is something to fold.
    return fold(text) if any(c in text for c in _FULLWIDTH) else text


def _boundary_ok(text: str, start: int) -> bool:
    """Not the tail of a longer token: letters, digits, an index number (…/2024-), a decimal."""
    if start == 0:
        return True
    prev = text[start - 1]
    if prev.isascii() and (prev.isalnum() or prev in "*_/\\=%#&?"):
        return False
    return not (prev in "-." and start > 1 and text[start - 2].isdigit())


def _classify_masked(s: str) -> str | None:
    """The kind of a masked number by its shape, or None when it is not one."""
    plain = s.replace(" ", "").replace("-", "")
    stars, digits = plain.count("*"), sum(c.isdigit() for c in plain)
    if stars < 3 or digits < 4:
        return None
    if len(plain) == 11 and plain[0] == "1" and plain[1] in "3456789":
        return "mobile"
    if len(plain) in (15, 18):
        return "id_card"
    if 16 <= len(plain) <= 19:
        return "bank_card"
    return None


def scan_personal(
    text: str, *, detect: tuple[str, ...] | list[str] = ("id_card", "mobile", "bank_card"),
    mobile_contexts: tuple[str, ...] | list[str] = (), mobile_window: int = 60,
) -> list[PersonalMatch]:
    """Every personal number in `text` (unmasked ones and masked ones), in order.

    One regex pass. A mobile counts only within `mobile_window` characters of one of
    `mobile_contexts` (when given) and not under a hotline label (举报电话 …); a card only
    near a banking word; nothing labelled 统一社会信用代码, 索引号, 编号, 订单 … Numbers that
    fail their checksum (身份证号 GB 11643, card Luhn) are not personal data.
    """
    text = text[:MAX_TEXT]
    scanned = _folded(text)
    wanted = set(detect)
    found: list[PersonalMatch] = []
    for m in _PERSONAL_SCAN.finditer(scanned):
        start, end = m.start(), m.end()
        if not _boundary_ok(scanned, start):
            continue
        raw = text[start:end]
        if m.group("masked") is not None or m.group("masked_grouped") is not None:
            kind = _classify_masked(m.group(0))
            if kind in wanted:
                found.append(PersonalMatch(kind, start, end, raw, True))
            continue
        before = scanned[max(0, start - 14) : start]
        labelled_other = bool(_NOT_PERSONAL_LABEL.search(before)) and not _PERSON_LABEL.search(before)
        kind = None
        if m.group("id_card") is not None:
            if id_card_ok(m.group(0)):
                kind = "id_card"
            elif luhn_ok(m.group(0)) and _bank_card_context(scanned, start, end):
                kind = "bank_card"  # 18 digits: an ID's shape, but a card's checksum and label
        elif m.group("bank_card") is not None:
            digits = m.group(0).replace(" ", "").replace("-", "")
            if luhn_ok(digits) and _bank_card_context(scanned, start, end):
                kind = "bank_card"
        elif m.group("mobile") is not None:
            kind = "mobile" if _mobile_counts(scanned, start, end, mobile_contexts, mobile_window) else None
        if kind is None or kind not in wanted or labelled_other:
            continue
        found.append(PersonalMatch(kind, start, end, raw, False))
    return found


def _mobile_counts(text: str, start: int, end: int, contexts, window: int) -> bool:
    if _HOTLINE_LABEL.search(text[max(0, start - 12) : start]):
        return False
    if not contexts:
        return True
    near = text[max(0, start - window) : end + window]
    return any(c in near for c in contexts)


def redact(text: str) -> str:
    """`text` with every number that could be personal data masked: for evidence and titles.

    Stricter than the scan: any candidate of the right shape is masked whatever its
    checksum, label or neighbours, and so is any other run of 11 or more digits or of
    digit groups (6222 0212 3456 …) wherever it stands (glued to letters in a URL or code).
    """
    scanned = _folded(text)
    spans: list[tuple[int, int, str | None]] = []
    for m in _PERSONAL_SCAN.finditer(scanned):
        kind = next((k for k in ("id_card", "bank_card", "mobile") if m.group(k) is not None), None)
        spans.append((m.start(), m.end(), kind or _classify_masked(m.group(0))))
    spans += [(m.start(), m.end(), None) for m in _LONG_DIGITS.finditer(scanned)]
    spans += [(m.start(), m.end(), "bank_card") for m in _GROUPED_DIGITS.finditer(scanned)]
    spans.sort(key=lambda t: (t[0], -t[1]))
    merged: list[list] = []
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:  # overlapping: one number, shown masked once
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = merged[-1][2] or kind
        else:
            merged.append([start, end, kind])
    out: list[str] = []
    last = 0
    for start, end, kind in merged:
        raw = text[start:end]
        out += [text[last:start], mask(raw, kind or _shape_kind(raw))]
        last = end
    out.append(text[last:])
    return "".join(out)


def _shape_kind(raw: str) -> str:
    digits = sum(c.isdigit() for c in fold(raw))
    return "mobile" if digits == 11 else "bank_card" if 16 <= digits <= 19 and digits != 18 else "id_card"


def personal_context(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> str:
    """The match with `chars` characters either side, every personal number in it masked.

    The window never starts or ends inside a run of digits, so no cut-off part of a
    neighbouring number is shown raw.
    """
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    while 0 < lo < start and fold(text[lo - 1]) in _RUN and fold(text[lo]) in _RUN:
        lo += 1
    while end < hi < len(text) and fold(text[hi]) in _RUN and fold(text[hi - 1]) in _RUN:
        hi -= 1
    return " ".join(redact(text[lo:hi]).split())
