"""Task-list columns by meaning, and table rows into `TaskRow`s.

Every county words its header differently (序号 / 任务名称 / 工作任务 / 公开任务 / 具体内容 /
工作要求 / 牵头部门 / 责任单位 / 时间节点 / 时限及要求 …), so a header cell is matched against
the words each role is known by, not by its position. `rows_from_tables` then reads the
body the way a person reads the printed table: repeated header rows (a table continued on
a new page) are skipped, an empty 任务名称 cell belongs to the item above (merged cell), a
row that is one merged cell (`一、政府信息公开`) is a section heading, not an item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import ImportProblem, Role, Table, TaskRow

# Order matters: the first pattern that matches a header cell decides its role. 时限及要求
# holds 要求 but is the deadline; 任务内容 holds 任务 but is the content; a header like
# 工作任务/工作内容 (one cell naming both) starts with the task name, so it is the name.
_ROLE_PATTERNS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.DEADLINE, re.compile(r"时限|时间节点|完成时间|完成期限|时间要求|办结时间|完成日期|截止时间")),
    (Role.LEAD_UNIT, re.compile(r"牵头")),
    (Role.UNITS, re.compile(r"(责任|配合|承办|实施|落实|参与|主体)(单位|部门)|责任主体|^(单位|部门)$")),
    (Role.NUMBER, re.compile(r"^(序号|编号|序|No\.?)$", re.IGNORECASE)),
    (Role.REQUIREMENT, re.compile(r"要求")),
    (Role.NAME, re.compile(r"^(工作任务|公开任务|任务名称|重点任务|主要任务|任务事项)")),
    (Role.CONTENT, re.compile(r"内容|措施|举措")),
    (Role.NAME, re.compile(r"任务|名称|事项|项目")),
    (Role.GROUP, re.compile(r"分类|类别|类型|领域|板块")),
)
EXPECTED = "序号、任务名称（工作任务/公开任务）、具体内容（任务内容/公开内容）或工作要求（具体要求）、牵头单位、责任单位、完成时限（时间节点）"
_MAX_HEADER_CELL = 14  # a header cell is a few words; a longer cell is body text
_TEXT_ROLES = (Role.NAME, Role.CONTENT, Role.REQUIREMENT)

_CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’…—·]")
_HEADING = re.compile(r"^(?:(?P<l1>[一二三四五六七八九十百]+、)|(?P<l2>[（(][一二三四五六七八九十百]+[）)])|(?P<l3>\d+[.、．]))")
_LEAD = re.compile(r"^([^，,；;。\s]{2,40}?)牵头")


def header_key(cell: str) -> str:
    """A header cell as compared: line breaks and spaces inside it do not matter."""
    return re.sub(r"\s+", "", cell or "")


def recognise_cell(cell: str) -> Role | None:
    """The role a header cell names, by meaning; None for body text or an unknown header."""
    key = header_key(cell)
    if not key or len(key) > _MAX_HEADER_CELL:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(key):
            return role
    return None


def _layout(header: list[str]) -> tuple[dict[Role, int], list[int]]:
    """Roles by column, and the name columns from outermost to innermost.

    A 任务名称 header merged over two or more columns (python-docx repeats its text in each,
    a PDF or spreadsheet leaves the cells right of it empty) means nested names: the outer
    column(s) are the category (group), the last one the item's own name.
    """
    roles: dict[Role, int] = {}
    names: list[int] = []
    previous: Role | None = None
    for index, cell in enumerate(header):
        role = recognise_cell(cell)
        if role is None and not header_key(cell) and previous is Role.NAME:
            role = Role.NAME  # the empty part of a merged 任务名称 header
        if role is Role.NAME:
            names.append(index)
        elif role is not None and role not in roles:
            roles[role] = index
        previous = role
    if names:
        roles[Role.NAME] = names[-1]
        if len(names) > 1 and Role.GROUP not in roles:
            roles[Role.GROUP] = names[0]
    return roles, names


def recognise(header: list[str]) -> dict[Role, int]:
    """Which column holds what, from the header cells' meaning (whitespace ignored)."""
    return _layout(header)[0]


def is_header(cells: list[str]) -> bool:
    """Whether a row reads as a task-list header: two or more roles, one of them a text column."""
    roles = recognise(cells)
    return len(roles) >= 2 and any(role in roles for role in _TEXT_ROLES)


def find_header(rows: list[list[str]], within: int = 6) -> int | None:
    """Index of the header row among a table's first rows (a title row may come first)."""
    for index, cells in enumerate(rows[:within]):
        if is_header(cells):
            return index
    return None


def clean(text: str | None, *, breaks_as_spaces: bool = False) -> str:
    """A cell's text with whitespace normalised: a line break inside Chinese text is only where
    the line wrapped, so it goes; between Latin words (or, for unit lists, always) it is a space."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    out = ""
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        if out and (breaks_as_spaces or not (_CJK_OR_PUNCT.match(out[-1]) or _CJK_OR_PUNCT.match(line[0]))):
            out += " "
        out += line
    return re.sub(r"[ \t]+", " ", out)


def lead_from_units(units: str) -> str:
    """The lead unit a 责任单位 cell names (`县司法局牵头，各乡镇…落实` → 县司法局), else ''.
    Used only when the list has no 牵头单位 column."""
    match = _LEAD.match(units)
    return match.group(1) if match else ""


def _number(cell: str) -> str:
    return clean(cell).strip(" .、．")


def _heading_level(text: str) -> int:
    match = _HEADING.match(text)
    if not match:
        return 1
    return 1 if match.group("l1") else 2 if match.group("l2") else 3


class _Reader:
    """Reading state carried across rows and across tables of one list (a table continued on
    the next page, or split into several Word tables, is one list)."""

    def __init__(self) -> None:
        self.roles: dict[Role, int] = {}
        self.names: list[int] = []
        self.labels: dict[Role, str] = {}
        self.header_keys: list[str] = []
        self.width = 0
        self.headings: list[tuple[int, str]] = []
        self.carried: dict[int, str] = {}  # name column -> text carried down
        self.block = ""  # the printed number the current rows belong to
        self.last_printed = ""
        self.out: list[tuple[TaskRow, str, int]] = []  # row, block number, index within block

    def use(self, header: list[str]) -> None:
        roles, names = _layout(header)
        keys = [header_key(cell) for cell in header]
        if keys != self.header_keys:  # a new kind of table: nothing carries over
            self.carried, self.headings, self.block, self.last_printed = {}, [], "", ""
        self.roles, self.names, self.header_keys, self.width = roles, names, keys, len(header)
        self.labels = {role: header_key(header[index]) for role, index in roles.items()}

    def read(self, cells: list[str], where: str) -> None:
        cells = (list(cells) + [""] * self.width)[: max(self.width, len(cells))]
        if not any(cell.strip() for cell in cells):
            return
        if self._is_repeated_header(cells):
            return
        if self._heading(cells):
            return
        self._item(cells, where)

    def _is_repeated_header(self, cells: list[str]) -> bool:
        if [header_key(cell) for cell in cells[: self.width]] == self.header_keys:
            return True
        roles = recognise(cells)
        shared = [role for role in roles if self.roles.get(role) == roles[role]]
        return len(shared) >= 2 and any(role in shared for role in _TEXT_ROLES)

    def _heading(self, cells: list[str]) -> bool:
        values = [clean(cell) for cell in cells]
        filled = [value for value in values if value]
        if len(set(filled)) != 1:
            return False
        text = filled[0]
        text_columns = [self.roles[r] for r in (Role.CONTENT, Role.REQUIREMENT) if r in self.roles]
        spans_all = len(filled) == len(values) and len(values) > 1  # one cell merged across the row
        text_empty = all(not values[i] for i in text_columns if i < len(values))
        if not (spans_all or text_empty) or re.fullmatch(r"[\d.、．]+", text):
            return False
        level = _heading_level(text)
        self.headings = [(lvl, h) for lvl, h in self.headings if lvl < level] + [(level, text)]
        self.carried = {}
        return True

    def _cell(self, cells: list[str], role: Role, *, breaks_as_spaces: bool = False) -> str:
        index = self.roles.get(role)
        return clean(cells[index], breaks_as_spaces=breaks_as_spaces) if index is not None else ""

    def _item(self, cells: list[str], where: str) -> None:
        # The name levels: an empty cell is the merged cell above; a new outer level starts
        # its inner levels afresh.
        name_columns = list(self.names)
        content_as_name = Role.CONTENT in self.roles and Role.REQUIREMENT in self.roles
        if content_as_name:
            # 公开任务 · 公开内容 · 具体要求 (永济): the content column names the item, the task
            # column is its category, the requirement its text.
            name_columns.append(self.roles[Role.CONTENT])
        if Role.GROUP in self.roles and self.roles[Role.GROUP] not in name_columns:
            name_columns.insert(0, self.roles[Role.GROUP])
        levels: list[str] = []
        reset = False
        for column in name_columns:
            value = clean(cells[column])
            if value and not reset and self.carried.get(column) == value:
                pass  # the merged cell printed again on a new page
            elif value:
                reset = True
            if value:
                self.carried[column] = value
            elif reset:
                self.carried.pop(column, None)
            if self.carried.get(column):
                levels.append(self.carried[column])
        levels = [value for i, value in enumerate(levels) if i == 0 or value != levels[i - 1]]
        name = levels[-1] if levels else ""
        group = " › ".join([h for _, h in self.headings] + levels[:-1])

        requirement = self._cell(cells, Role.REQUIREMENT)
        if content_as_name:
            content = f"{self.labels[Role.CONTENT]}：{name}；{self.labels[Role.REQUIREMENT]}：{requirement}"
        else:
            content = self._cell(cells, Role.CONTENT) or requirement

        units = self._cell(cells, Role.UNITS, breaks_as_spaces=True)
        lead = self._cell(cells, Role.LEAD_UNIT, breaks_as_spaces=True)
        if Role.LEAD_UNIT not in self.roles:
            lead = lead_from_units(units)

        printed = _number(cells[self.roles[Role.NUMBER]]) if Role.NUMBER in self.roles else ""
        if printed and printed != self.last_printed:
            self.block, index = printed, 1
        elif self.block and self.out and self.out[-1][1] == self.block:
            index = self.out[-1][2] + 1  # an unnumbered row (merged 序号) under the number above
        else:
            index = 1
        if printed:
            self.last_printed = printed
        row = TaskRow(
            group=group,
            name=name,
            content=content,
            lead_unit=lead,
            units=units,
            deadline_text=self._cell(cells, Role.DEADLINE),
            where=where,
        )
        self.out.append((row, self.block, index))

    def rows(self) -> list[TaskRow]:
        # A printed 序号 spanning several rows numbers a group, not an item: then every item is
        # `group.row` (永济 1.1–1.10, 5.1), as the list's own numbering cannot tell them apart.
        nested = any(index > 1 for _, block, index in self.out if block)
        for row, block, index in self.out:
            row.number = (f"{block}.{index}" if nested else block) if block else ""
        return [row for row, _, _ in self.out]


def rows_from_tables(tables: Iterable[Table]) -> list[TaskRow]:
    """Task rows from the tables of one file, in reading order.

    A table whose header is not recognised continues the previous one when it has as many
    columns (a Word table split at a page without its header repeated); otherwise it is not
    part of the task list (a signature block, a notes sheet).
    """
    reader = _Reader()
    seen: list[str] = []
    used = False
    for table in tables:
        if table.header and is_header(table.header):
            reader.use(table.header)
            body = table.rows
        elif used and table.rows and len(table.rows[0]) == reader.width:
            body = ([table.header] if table.header else []) + table.rows
        else:
            first = table.header or next((r for r in table.rows if any(c.strip() for c in r)), [])
            seen.append(f"{table.source}: " + " · ".join(header_key(c) for c in first if header_key(c))[:200])
            continue
        used = True
        for number, cells in enumerate(body, start=1):
            reader.read(cells, f"{table.source}, row {number}")
    if not used:
        found = "；".join(seen) if seen else "没有表格"
        raise ImportProblem(f"没有找到任务分解表：读到的表头为 {found}；需要的列为 {EXPECTED}")
    return reader.rows()
