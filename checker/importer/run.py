"""`import_file(path, id)`: a task list file to a profile skeleton.

Reading depends on the format (`text.py` for .txt; `tables.py` + `columns.py` for .docx,
.xlsx, .pdf); everything after works on `TaskRow`s and is the same for all formats:
lead unit from a 责任单位 cell that names one, item numbers (`numbering.py`), deadlines
(`deadlines.py`), check suggestions (`suggest.py`), then the profile (`profile_writer.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import cells
from .deadlines import parse_deadline
from .model import ImportProblem, ImportReport, Role, TaskRow
from .numbering import assign_numbers

MAX_FILE = 50 * 1024 * 1024  # bytes; a task list is a few hundred kB at most
TEXT_SUFFIXES = (".txt", ".text")
TABLE_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".pdf")


@dataclass
class Decision:
    """What the importer proposes for one item: checks with their trigger words, or manual."""

    checks: list[str] = field(default_factory=list)
    triggers: dict[str, list[str]] = field(default_factory=dict)  # check id -> words in the item
    manual: str | None = None


@dataclass
class ImportedItem:
    row: TaskRow
    deadline: date | None
    decision: Decision

    def fields(self) -> dict[str, object]:
        """The item's fields by their names in a profile (`Item`), for comparing with one."""
        return {"name": self.row.name, "group": self.row.group, "content": self.row.content,
                "lead_unit": self.row.lead_unit, "units": self.row.units,
                "deadline_text": self.row.deadline_text, "deadline": self.deadline}


# What an import is compared on with a curated profile (bench/import_accuracy.py, tests).
FIELDS = ("name", "group", "content", "lead_unit", "units", "deadline_text", "deadline")


@dataclass
class Imported:
    """A task list read and decided: what profile_writer turns into YAML."""

    source: str
    title: str
    year: int | None
    numbering: str
    items: list[ImportedItem]
    report: ImportReport
    suggestions_available: bool


@dataclass
class _Read:
    rows: list[TaskRow]
    columns: dict[str, str]
    title: str = ""
    year: int | None = None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


def read_rows(path: Path) -> _Read:
    """The task list's rows, whatever the format; ImportProblem when there is none."""
    path = Path(path)
    if not path.is_file():
        raise ImportProblem(f"{path}: no such file")
    if path.stat().st_size > MAX_FILE:
        raise ImportProblem(f"{path.name}: file too large for a task list ({path.stat().st_size} bytes)")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix == "":
        from .text import read_text

        table = read_text(_decode(path.read_bytes()), path.name)
        return _Read(table.rows, table.columns, table.title, table.year)
    if suffix in TABLE_SUFFIXES:
        try:
            from .columns import rows_from_tables
            from .tables import read_tables
        except ImportError as exc:  # being written in parallel; say so rather than crash
            raise ImportProblem(f"{path.name}: reading {suffix} files is not available ({exc})") from exc
        tables = read_tables(path)
        rows = rows_from_tables(tables)
        columns: dict[str, str] = {}
        title = ""
        try:
            from .columns import recognise

            for t in tables:
                for role, index in recognise(t.header).items():
                    columns.setdefault(role.value, re.sub(r"\s+", "", t.header[index]))
        except (ImportError, AttributeError, TypeError, IndexError):
            pass
        title = _title_of(path)
        year = _year_of(title) or _year_of(path.stem + " " + " ".join(t.source for t in tables))
        return _Read(rows, columns, title, year)
    raise ImportProblem(f"{path.name}: unsupported file type {suffix}; "
                        "readable: .txt, .docx, .xlsx, .pdf")


def _title_of(path: Path) -> str:
    """The list's title (`沁源县2022年…分解表`), printed above the table: the list's year
    dates `11 月底前`. Best effort: '' when the file does not show one."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            import docx

            texts = [p.text for p in docx.Document(str(path)).paragraphs[:10]]
        elif suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                texts = [str(c) for row in sheet.iter_rows(max_row=5, values_only=True) for c in row if c]
            finally:
                book.close()
        elif suffix == ".pdf":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                texts = (pdf.pages[0].extract_text() or "").split("\n")[:5] if pdf.pages else []
        else:
            return ""
    except Exception:  # noqa: BLE001 - the title is optional; the table readers report real problems
        return ""
    for text in texts:
        text = re.sub(r"\s+", "", text or "")
        if text and ("表" in text or "任务" in text or re.search(r"20\d\d年", text)) and len(text) < 80:
            return text
    return ""


def _year_of(text: str) -> int | None:
    m = re.search(r"(20\d\d)\s*年", text) or re.search(r"(?<!\d)(20\d\d)(?!\d)", text)
    return int(m.group(1)) if m else None


def _load_suggester():
    try:
        from .suggest import suggest
    except ImportError:
        return None
    return suggest


def _manual_reason(row: TaskRow, checks) -> str | None:
    try:
        from .suggest import manual_reason
    except ImportError:
        return None
    return manual_reason(row, checks)


def _decide(row: TaskRow, suggester, checks) -> Decision:
    if suggester is None:
        return Decision(manual="未给出建议的检查（检查建议模块不可用）；需人工判断能否从门户网站核验。")
    found = suggester(row, checks) or []
    decision = Decision()
    for s in found:
        check = getattr(s, "check", None) or getattr(s, "check_id", None) or getattr(s, "id", None)
        words = list(getattr(s, "triggers", None) or getattr(s, "words", None) or [])
        reason = getattr(s, "manual", None) or getattr(s, "reason", None)
        if check and check != "manual":
            if check not in decision.checks:
                decision.checks.append(check)
                decision.triggers[check] = [str(w) for w in words]
        elif reason and decision.manual is None:
            decision.manual = str(reason)
    if decision.checks:
        decision.manual = None
    elif decision.manual is None and (reason := _manual_reason(row, checks)):
        decision.manual = reason
    elif decision.manual is None:
        decision.manual = "未找到对应的检查：内容中没有指向门户网站可见栏目或页面的词语，需人工判断。"
    return decision


def import_file(path: Path, profile_id: str, *, checks: dict | None = None,
                rules_dir: Path | None = None) -> Imported:
    """Read a task list and decide each item. `checks`: the check library by id (loaded
    from `rules_dir`, default rules/, when not given) for the suggestions."""
    path = Path(path)
    read = read_rows(path)
    report = ImportReport(columns=dict(read.columns))
    rows = [r for r in read.rows if r.content.strip()]
    if not rows:
        raise ImportProblem(f"{path.name}: the table has a header but no items")
    has_lead_column = Role.LEAD_UNIT.value in read.columns
    for r in rows:
        if not r.lead_unit and not has_lead_column:
            r.lead_unit = cells.lead_from_units(r.units)
        if not r.name:
            report.problems.append(f"{r.where}: item without a task name; the group or the text's start is used")
            r.name = (r.group.split(" › ")[-1] if r.group else r.content[:20]) or "（未命名）"
    numbering = assign_numbers(rows)
    suggester = _load_suggester()
    if suggester is not None and checks is None:
        from checker.engine.loader import DEFAULT_RULES_DIR, load_rules

        checks = load_rules(rules_dir or DEFAULT_RULES_DIR).checks
    items = []
    for r in rows:
        decision = _decide(r, suggester, checks)
        items.append(ImportedItem(r, parse_deadline(r.deadline_text, read.year), decision))
    report.items = len(items)
    report.with_suggestions = sum(1 for i in items if i.decision.checks)
    report.left_for_a_person = report.items - report.with_suggestions
    return Imported(path.name, read.title or path.stem, read.year, numbering, items, report,
                    suggester is not None)
