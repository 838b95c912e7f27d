"""What every reader of a task list produces, whatever the file format.

Table readers (.docx, .xlsx, .pdf: `tables.py`) give `Table`s; `columns.py` recognises
their header columns by meaning and turns rows into `TaskRow`s. The .txt reader
(`text.py`) reads the messy text extraction straight into `TaskRow`s. Everything after
that (numbering, deadlines, check suggestions, the profile YAML) works on `TaskRow`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """What a column of a task list holds, recognised from its header by meaning."""

    NUMBER = "number"  # 序号
    NAME = "name"  # 任务名称 / 工作任务 / 公开任务
    CONTENT = "content"  # 具体内容 / 任务内容 / 公开内容
    REQUIREMENT = "requirement"  # 工作要求 / 具体要求 (joined to content when both exist)
    LEAD_UNIT = "lead_unit"  # 牵头单位 / 牵头部门
    UNITS = "units"  # 责任单位 / 责任部门
    DEADLINE = "deadline"  # 完成时限 / 时间节点 / 时限及要求
    # Added by tables/columns: the category column(s) above the item's own name (分类, or the
    # outer level(s) of a 任务名称 header spanning several columns); goes to TaskRow.group.
    GROUP = "group"


@dataclass
class Table:
    """A table as read from a file: header cells and body rows (merged cells already
    expanded: a merged cell's text in its first row, '' below, as python-docx/openpyxl
    give them), with where it came from for messages."""

    header: list[str]
    rows: list[list[str]]
    source: str  # e.g. "list.docx, table 2" / "list.xlsx, sheet 任务表"


@dataclass
class TaskRow:
    """One item of a task list, fields verbatim as printed (whitespace normalised)."""

    number: str = ""  # as printed; '' when the list has none (numbered later, in reading order)
    group: str = ""  # the section heading(s) above it, e.g. "一、政府信息公开"
    name: str = ""  # 任务名称; an empty cell belongs to the item above (carried down)
    content: str = ""
    lead_unit: str = ""
    units: str = ""
    deadline_text: str = ""
    where: str = ""  # "line 123" / "table 1, row 5": for messages


@dataclass
class ImportReport:
    """What `checker rules import` says on the terminal."""

    items: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # role -> header text as printed
    with_suggestions: int = 0
    left_for_a_person: int = 0
    problems: list[str] = field(default_factory=list)


class ImportProblem(Exception):
    """A task list that cannot be imported; the message, in plain words, says why (shown on
    the terminal as is): no recognisable table, an encrypted or image-only PDF, …"""
