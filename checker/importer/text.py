"""The .txt reader: a task-list table as text extracted from Word or PDF.

Two shapes occur (see ../shared/tasklists/):

- *line rows*: one table row per line, cells separated by tabs, the header on one line;
- *cell stream*: every cell starts with a tab at the start of a line, its text runs over
  as many lines as the extraction folded it into, and blank lines fall anywhere.

Either way the header row is found by meaning (`序号`, `任务名称`/`工作任务`, `具体内容`,
`工作要求`, `牵头单位`, `责任单位`, `完成时限`/`时间节点` …), repeated headers at each printed
page are dropped, and the stream is cut into rows: at the item numbers where the list has
them, otherwise by fitting the page's cells to a constant row width (rows of a merged,
multi-level task-name column are wider than the header). Cells then go to columns from
the right: the last columns (units, deadline) are fixed, the text column (内容/要求) is
the one before them, and whatever is left before it is the number and the task name's
levels (section headings, category, task name), carried down where a cell is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import cells
from .columns import EXPECTED, recognise_cell
from .headings import Level, cn_numeral, parse_level, strip_number
from .model import ImportProblem, Role, TaskRow

MAX_TEXT = 2_000_000  # characters; a task list is ~20 k
GROUP_SEP = " › "

class NoTableFound(ImportProblem):
    """No header row of a task list: says what was found and what was expected."""

    def __init__(self, source: str, found: list[str]):
        self.found = found
        seen = "、".join(found) if found else "none"
        super().__init__(f"{source}: no task-list table found (header columns recognised: {seen}; "
                         f"expected columns like: {EXPECTED})")


def header_role(text: str) -> Role | None:
    """The role of a header cell, by meaning (the same recognition as table files)."""
    return recognise_cell(text)


@dataclass
class Layout:
    """The header: a role per column; None for an unlabelled column (a merged header
    cell spanning two columns: a second level of the column before it)."""

    roles: list[Role | None]
    labels: dict[Role, str]

    @property
    def text_role(self) -> Role:
        return Role.REQUIREMENT if Role.REQUIREMENT in self.roles else Role.CONTENT

    @property
    def text_index(self) -> int:
        return self.roles.index(self.text_role)

    @property
    def after(self) -> list[Role | None]:
        return self.roles[self.text_index + 1:]

    @property
    def before(self) -> list[Role | None]:
        return self.roles[:self.text_index]


@dataclass
class TextTable:
    rows: list[TaskRow]
    columns: dict[str, str]  # role -> header text as printed
    title: str = ""
    year: int | None = None
    problems: list[str] = field(default_factory=list)


def _layout(labels: list[str]) -> Layout | None:
    roles: list[Role | None] = []
    names: dict[Role, str] = {}
    for text in labels:
        role = header_role(text)
        if role is not None and role in names:
            role = None
        roles.append(role)
        if role is not None:
            names[role] = re.sub(r"\s+", "", text)
    while roles and roles[-1] is None:
        roles.pop()
    while roles and roles[0] is None:
        roles.pop(0)
    if Role.CONTENT not in names and Role.REQUIREMENT not in names:
        return None
    if len(names) < 2:
        return None
    return Layout(roles, names)


# ---------------------------------------------------------------------------- reading

@dataclass
class _Raw:
    cells: list[str]
    where: str


_ATTACHMENT_MARK = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?$")


def _title(preamble: str) -> str:
    """The list's title above its header: a line naming a table or task list, else the first
    line that is not an attachment mark (公文 print 附件 / 附件2 above the title)."""
    lines = [ln.strip() for ln in preamble.split("\n")
             if ln.strip() and header_role(ln) is None and not _ATTACHMENT_MARK.match(ln.strip())]
    return next((ln for ln in lines if re.search(r"表|要点|任务|清单", ln)), lines[0] if lines else "")


def read_text(text: str, source: str = "task list") -> TextTable:
    text = text[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    found = _line_header(text)
    if found is not None:
        layout, start, preamble = found
        raws = _line_rows(text, start)
    else:
        found = _stream_header(text)
        if found is None:
            raise NoTableFound(source, _labels_seen(text))
        layout, start, preamble = found
        raws = _stream_rows(text, start, layout)
    title = _title(preamble)
    year = re.search(r"(20\d\d)\s*年", title) or re.search(r"(20\d\d)\s*年", preamble)
    rows = _assemble(raws, layout)
    columns = {role.value: label for role, label in layout.labels.items()}
    return TextTable(rows, columns, cells.label(title), int(year.group(1)) if year else None)


def _labels_seen(text: str) -> list[str]:
    seen: list[str] = []
    for piece in re.split(r"[\t\n]", text[:200_000]):
        piece = piece.strip()
        if piece and header_role(piece) is not None and piece not in seen:
            seen.append(piece)
    return seen[:20]


def _line_header(text: str) -> tuple[Layout, int, str] | None:
    pos = 0
    for line in text.split("\n"):
        if "\t" in line.strip():
            labels = [c.strip() for c in line.split("\t")]
            if sum(header_role(c) is not None for c in labels) >= 2 and (layout := _layout(labels)):
                return layout, pos + len(line) + 1, text[:pos]
        pos += len(line) + 1
    return None


def _is_header_line(line: str) -> bool:
    return sum(header_role(c) is not None for c in line.split("\t")) >= 2


def _line_rows(text: str, start: int) -> list[_Raw]:
    line_no = text[:start].count("\n")
    raws = []
    for line in text[start:].split("\n"):
        line_no += 1
        if "\t" not in line.strip() or _is_header_line(line):
            continue  # titles repeated at each printed page, blank lines, repeated headers
        parts = line.split("\t")
        raws.append(_Raw(parts, f"line {line_no}"))
    return raws


def _split_cells(text: str, start: int) -> list[tuple[str, int]]:
    """Cells of a cell-stream text from `start`: (raw text, line number)."""
    out = []
    line_no = text[:start].count("\n") + 1
    pieces = text[start:].split("\t")
    for i, piece in enumerate(pieces):
        if i:  # the first piece is what precedes the first tab
            out.append((piece, line_no))
        line_no += piece.count("\n")
    return out


def _stream_header(text: str) -> tuple[Layout, int, str] | None:
    cells_ = _split_cells(text, 0)
    offsets = []
    pos = text.find("\t")
    for raw, _ in cells_:
        offsets.append(pos + 1)
        pos += len(raw) + 1
    i = 0
    while i < len(cells_):
        j = i
        while j < len(cells_) and header_role(cells.label(cells_[j][0])) is not None:
            j += 1
        if j - i >= 2 and (layout := _layout([cells.label(c) for c, _ in cells_[i:j]])):
            return layout, offsets[j] - 1 if j < len(cells_) else len(text), text[:offsets[i]]
        i = j + 1
    return None


def _stream_rows(text: str, start: int, layout: Layout) -> list[_Raw]:
    stream = _split_cells(text, start)
    # Pages: cut at every repeated header (a run of two or more header cells).
    pages: list[list[tuple[str, int]]] = [[]]
    i = 0
    while i < len(stream):
        j = i
        roles = set()
        while j < len(stream) and (role := header_role(cells.label(stream[j][0]))) is not None:
            roles.add(role)
            j += 1
        if j - i >= 2 and len(roles) >= 2:  # two short names in a row are not a header
            pages.append([])
            i = j
            continue
        pages[-1].append(stream[i])
        i += 1
    raws: list[_Raw] = []
    numbered = Role.NUMBER in layout.roles
    last_number = 0
    for page in pages:
        if not page:
            continue
        segments: list[list[tuple[str, int]]] = [[]]
        if numbered:
            for cell in page:
                value = cells.label(cell[0])
                if value.isdigit() and (int(value) in (last_number, last_number + 1)):
                    last_number = int(value)
                    if segments[-1]:
                        segments.append([])
                segments[-1].append(cell)
        else:
            segments = [page]
        for seg in segments:
            if not seg:
                continue
            anchored = numbered and cells.label(seg[0][0]).isdigit()
            raws.extend(_fit(seg, layout, anchored))
    return raws


def _text_like(raw: str) -> float:
    t = cells.text_cell(raw)
    if not t:
        return -3.0
    score = min(len(t), 60) / 20
    if re.search(r"[。；;]", t):
        score += 2
    if re.search(r"[，,]", t):
        score += 1
    return score


def _fit(seg: list[tuple[str, int]], layout: Layout, anchored: bool) -> list[_Raw]:
    """Cut a run of cells into rows of one width (the header's, or wider where the
    task-name column has more levels than the header shows)."""
    width = len(layout.roles)
    k_after = len(layout.after)
    if anchored and len(seg) < 2 * width:
        return [_Raw([c for c, _ in seg], f"line {seg[0][1]}")]
    best: tuple[float, int] | None = None
    for w in range(max(k_after + 1, width - 1), width + 5):
        if len(seg) % w:
            continue
        rows = [seg[k:k + w] for k in range(0, len(seg), w)]
        score = sum(_text_like(r[w - k_after - 1][0]) - sum(
            max(0.0, _text_like(c[0])) for c in r[:w - k_after - 1]) * 0.5 for r in rows) / len(rows)
        score -= abs(w - width) * 0.01
        if best is None or score > best[0]:
            best = (score, w)
    if best is None:  # no constant width: one row per text cell
        return _walk(seg, layout)
    w = best[1]
    return [_Raw([c for c, _ in seg[k:k + w]], f"line {seg[k][1]}") for k in range(0, len(seg), w)]


def _walk(seg: list[tuple[str, int]], layout: Layout) -> list[_Raw]:
    k_after = len(layout.after)
    out: list[_Raw] = []
    s = 0
    while s < len(seg):
        t = next((k for k in range(s, len(seg)) if _text_like(seg[k][0]) >= 2), None)
        if t is None:
            break
        end = min(len(seg), t + k_after + 1)
        out.append(_Raw([c for c, _ in seg[s:end]], f"line {seg[s][1]}"))
        s = end
    return out


# ---------------------------------------------------------------------------- rows

def _split_row(raw: list[str], layout: Layout) -> tuple[list[str], str, list[str]]:
    """(cells before the text column, the text cell, cells after it)."""
    k_after = len(layout.after)
    n_before = len(layout.before)
    if len(raw) < k_after + 1:
        raw = [""] * (k_after + 1 - len(raw)) + raw
    before, text, after = raw[:len(raw) - k_after - 1], raw[len(raw) - k_after - 1], raw[len(raw) - k_after:]
    if Role.NUMBER in layout.before and len(before) > n_before:
        # A numbered table has a fixed width: surplus cells are a cell the extraction
        # split in two, after the text column; join them to the first cell after it.
        before, text, rest = raw[:n_before], raw[n_before], raw[n_before + 1:]
        keep = max(0, k_after - 1)
        head = rest[:len(rest) - keep] if keep else rest
        after = ["\n".join(head)] + (rest[len(rest) - keep:] if keep else [])
        if not k_after:
            after = []
    return before, text, after


def _assemble(raws: list[_Raw], layout: Layout) -> list[TaskRow]:
    rows: list[TaskRow] = []
    state: list[Level] = []
    last_l2 = 0
    labels = layout.labels
    for raw in raws:
        before, text_raw, after = _split_row(raw.cells, layout)
        text = cells.text_cell(text_raw)
        if not text:
            continue
        number = ""
        if Role.NUMBER in layout.before:
            number = cells.label(before[0]) if before else ""
            before = before[1:]
        levels = [parse_level(c) for c in before]
        for lv in levels:
            if lv.level == 2:
                if lv.number is None:  # auto-numbered: the next one in sequence
                    lv.number = last_l2 + 1
                    lv.text = f"（{cn_numeral(lv.number)}）{lv.text}"
                last_l2 = lv.number
        state = _carry(state, levels)
        path = _dedupe([lv for lv in state if lv.text])
        if not path:
            name, group = "", ""
        elif path[-1].level:  # the deepest level is a heading: it names its items
            name, group = strip_number(path[-1].text), GROUP_SEP.join(lv.text for lv in path)
        else:
            name, group = path[-1].text, GROUP_SEP.join(lv.text for lv in path[:-1])
        row = TaskRow(number=number, group=group, name=name, where=raw.where)
        name_roles = [r for r in layout.before if r is not Role.NUMBER]
        if layout.text_role is Role.REQUIREMENT and Role.CONTENT in name_roles:
            # Both 公开内容 and 具体要求: the content names the item, and both are quoted.
            row.content = f"{labels[Role.CONTENT]}：{name}；{labels[Role.REQUIREMENT]}：{text}"
        else:
            row.content = text
        for role, value in zip(layout.after, after, strict=False):
            if role is Role.LEAD_UNIT:
                row.lead_unit = cells.units_cell(value)
            elif role is Role.UNITS:
                row.units = cells.units_cell(value)
            elif role is Role.DEADLINE:
                row.deadline_text = cells.label(value)
        rows.append(row)
    return rows


def _carry(state: list[Level], levels: list[Level]) -> list[Level]:
    """Empty name cells belong to the item above; a new value at one level resets the
    levels below it (a new section starts with its own task names)."""
    new = list(state[:len(levels)]) + [Level("")] * max(0, len(levels) - len(state))
    for i, lv in enumerate(levels):
        if lv.text and lv.text != new[i].text:
            new[i] = lv
            new[i + 1:] = [Level("")] * (len(new) - i - 1)
    return new


def _dedupe(path: list[Level]) -> list[Level]:
    out: list[Level] = []
    for lv in path:
        if not out or out[-1].text != lv.text:
            out.append(lv)
    return out
