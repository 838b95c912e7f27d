"""Cleaning one cell's text, as extracted from a task-list table.

Text extractions of Word/PDF tables break cells over lines, leave stray `、` / `。`
marks on lines of their own and keep the typesetter's spaces between Chinese
characters. The conventions here are the ones the curated profiles document:

- text cells (具体内容/工作要求) are quoted verbatim: lines are joined directly, spaces
  inside a line are kept;
- labels (任务名称, 时限, section headings) lose the layout spaces between two Chinese
  characters (`权责清单和 各类告知` → `权责清单和各类告知`) and their line breaks;
- unit cells (牵头/责任单位) are labels too, except that a space or line break between
  two whole unit names separates them (`县政府办⏎县审计局` → `县政府办 县审计局`), while
  a unit name broken over two lines is joined (`县政府⏎信息中心` → `县政府信息中心`).
"""

from __future__ import annotations

import re

MAX_CELL = 20_000  # hostile input: no cell of a task list is anywhere near this long

# A line holding nothing but punctuation is extraction noise, not text.
_NOISE_LINE = re.compile(r"^[\s、。，,.;；:：()（）\[\]【】\-—_|·•]*$")
_WIDE = r"[^\x00-\x7f]"
_SPACE_BETWEEN_WIDE = re.compile(rf"(?<={_WIDE})[ \t\u3000\u00a0]+(?={_WIDE})")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")

# How a unit name ends, and how the next one begins: a break between the two separates
# two units; any other break is a unit name folded over two lines.
_UNIT_END = ("办", "局", "室", "中心", "委", "会", "院", "所", "站", "队", "镇", "乡", "街道",
             "部门", "单位", "馆", "处", "厅", "社", "团", "组", "分局")
_UNIT_START = tuple("区县市省各镇乡街")


def lines(raw: str) -> list[str]:
    """The cell's lines, stripped, without blank and punctuation-only lines."""
    out = []
    for line in raw[:MAX_CELL].replace("\r", "").split("\n"):
        line = line.strip(" \t\u3000\u00a0")
        if line and not _NOISE_LINE.match(line):
            out.append(line)
    return out


def text_cell(raw: str) -> str:
    """A 具体内容/工作要求 cell: lines joined directly, spaces inside a line kept."""
    return "".join(lines(raw)).strip()


def label(raw: str) -> str:
    """A name, heading or deadline cell: one line, no layout spaces between Chinese."""
    joined = "".join(lines(raw))
    return _SPACES.sub(" ", _SPACE_BETWEEN_WIDE.sub("", joined)).strip()


def _unit_break(left: str, right: str) -> bool:
    return left.endswith(_UNIT_END) and right.startswith(_UNIT_START)


def units_cell(raw: str) -> str:
    """A 牵头/责任单位 cell: whole unit names separated by one space, folds joined."""
    parts: list[str] = []
    for line in lines(raw):
        for piece in _SPACES.split(line):
            if not piece:
                continue
            if not parts:
                parts.append(piece)
            elif _unit_break(parts[-1], piece) or parts[-1][-1].isascii() or piece[0].isascii():
                parts.append(" " + piece)
            else:
                parts.append(piece)
    return "".join(parts)


_LEAD = re.compile(r"^(?P<lead>[^，,；;]+?)\s*牵头")


def lead_from_units(units: str) -> str:
    """`县司法局牵头，各乡镇…落实` → `县司法局`: the units a 责任单位 cell says lead."""
    m = _LEAD.match(units)
    return m.group("lead").strip() if m else ""
