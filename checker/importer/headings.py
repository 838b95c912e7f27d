"""Section headings inside a task list: `一、政府信息公开` (level 1), `（一）主动公开` (level 2).

Besides the two printed forms, Word's automatic list numbering sometimes survives the
text extraction as Arabic numbers in parentheses, one per folded line
(`（7） 政务⏎（8） 服务公开`): such a heading lost its own number, and takes the next one
in sequence after the previous level-2 heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import cells

_CN = "〇零一二三四五六七八九十百"
LEVEL1 = re.compile(rf"^(?P<num>[{_CN}]+)\s*[、.．]\s*")
LEVEL2 = re.compile(rf"^[（(]\s*(?P<num>[{_CN}]+)\s*[）)]\s*")
_AUTO = re.compile(r"^[（(]\s*\d{1,3}\s*[）)]\s*")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def cn_number(text: str) -> int | None:
    """一 → 1, 十三 → 13, 二十 → 20 (task lists never go near 百)."""
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


_NUMERALS = "一二三四五六七八九十"


def cn_numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[units - 1] if units else "")


@dataclass
class Level:
    """One cell of the task-name column(s): a heading or a task name."""

    text: str
    level: int = 0  # 1 or 2 for headings, 0 for a task name
    number: int | None = None  # the heading's number; None for an auto-numbered heading


def parse_level(raw: str) -> Level:
    lines = cells.lines(raw)
    # Fragments before a proper level-2 heading in the same cell are extraction debris.
    for i, line in enumerate(lines):
        if LEVEL2.match(line):
            lines = lines[i:]
            break
    if lines and _AUTO.match(lines[0]):
        body = cells.label("\n".join(_AUTO.sub("", line) for line in lines))
        return Level(body, 2, None)
    text = cells.label("\n".join(lines))
    if (m := LEVEL1.match(text)) and (n := cn_number(m["num"])) is not None and len(text) > m.end():
        return Level(text, 1, n)
    if (m := LEVEL2.match(text)) and (n := cn_number(m["num"])) is not None:
        return Level(text, 2, n)
    return Level(text)


def strip_number(text: str) -> str:
    """`（一）围绕…` → `围绕…`."""
    for pattern in (LEVEL2, LEVEL1):
        if m := pattern.match(text):
            return text[m.end():]
    return text


def path_numbers(group: str) -> list[int]:
    """The heading numbers along a group path (`一、… › （三）… › 名称` → [1, 3])."""
    out = []
    for part in group.split(" › "):
        for pattern in (LEVEL1, LEVEL2):
            if (m := pattern.match(part)) and (n := cn_number(m["num"])) is not None:
                out.append(n)
                break
    return out
