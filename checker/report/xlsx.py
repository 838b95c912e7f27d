"""XLSX 整改清单: the sheet a county office works from.

Sheet 「整改清单」 lists the failing and unknown items grouped by 牵头单位 (a heading row per
unit, its items beneath as an outline level Excel can fold); items with no lead unit go
under 未明确牵头单位, last. Sheet 「全部事项」 has every item with a filter. Each sheet opens
with a title row (site, scan date) and a line on how complete the scan was, so a partial
scan is not taken for a clean one; the header row is bold and frozen.

Cells hold scraped text, so each is cleaned of control characters (openpyxl refuses them),
capped, and neutralised against formula injection; only http(s) evidence URLs become links.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from checker.report.html import SCAN_STATUS_LABELS, safe_href
from checker.report.json_report import _write_atomic
from checker.report.tabular import NO_LEAD_UNIT, ItemRow, item_rows, neutralise
from checker.results import ScanResult, Status

TODO_SHEET = "整改清单"
ALL_SHEET = "全部事项"
TODO_STATUSES = (Status.FAIL, Status.UNKNOWN)

# (header, width in characters). Widths suit CJK text at the default font.
TODO_COLUMNS: Sequence[tuple[str, int]] = (
    ("指标体系", 14), ("序号", 6), ("事项", 18), ("工作要求", 60), ("状态", 9),
    ("问题描述", 40), ("证据链接", 40), ("完成时限", 16), ("截止日期", 11), ("责任单位", 18),
)
ALL_COLUMNS: Sequence[tuple[str, int]] = (
    ("指标体系", 14), ("序号", 6), ("分类", 14), ("事项", 18), ("工作要求", 60), ("状态", 9),
    ("权重", 6), ("否决项", 7), ("牵头单位", 16), ("责任单位", 18), ("完成时限", 16), ("截止日期", 11),
    ("问题描述", 40), ("证据链接", 40), ("豁免", 30),
)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_LINK = Font(color="0563C1", underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNIT_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_STATUS_FILL = {
    Status.PASS: PatternFill("solid", fgColor="E2EFDA"),
    Status.FAIL: PatternFill("solid", fgColor="F8CBAD"),
    Status.UNKNOWN: PatternFill("solid", fgColor="FFE699"),
}


def _todo_values(row: ItemRow) -> list:
    return [row.profile, row.number, row.name, row.content, row.status_label, row.finding,
            row.evidence_url, row.deadline_text, row.deadline, row.units]


def _all_values(row: ItemRow) -> list:
    return [row.profile, row.number, row.group, row.name, row.content, row.status_label, row.weight,
            "是" if row.veto else "", row.lead_unit, row.units, row.deadline_text, row.deadline,
            row.finding, row.evidence_url, row.waiver]


def _title(ws: Worksheet, result: ScanResult, heading: str, width: int) -> None:
    scan = result.scan
    site = result.site or scan.start_url
    ws.cell(1, 1, neutralise(f"{site} 政务公开{heading}（扫描日期 {scan.as_of.isoformat()}）")).font = _TITLE
    status = SCAN_STATUS_LABELS.get(scan.status, scan.status)
    facts = [f"扫描状态：{status}" + (f"（{scan.status_reason}）" if scan.status_reason else ""),
             f"已抓取页面 {scan.pages}", f"被拦截 {scan.blocked}", f"抓取失败 {scan.fetch_errors}"]
    if scan.budget_exhausted:
        facts.append("抓取预算已用尽，站点未抓全")
    facts.append("指标体系：" + "、".join(f"{p.id}（{p.title}）" for p in result.profiles))
    ws.cell(2, 1, neutralise("；".join(facts))).alignment = _WRAP
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.row_dimensions[2].height = 32


def _header(ws: Worksheet, columns: Sequence[tuple[str, int]], row: int = 3) -> None:
    for col, (name, width) in enumerate(columns, 1):
        cell = ws.cell(row, col, name)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    # Everything above the first data row stays in view while scrolling.
    ws.freeze_panes = ws.cell(row + 1, 1)


def _put_row(ws: Worksheet, r: int, values: list, row: ItemRow, columns: Sequence[tuple[str, int]]) -> None:
    names = [name for name, _ in columns]
    for col, value in enumerate(values, 1):
        cell = ws.cell(r, col, neutralise(value) if isinstance(value, str) else value)
        cell.alignment = _WRAP
        if names[col - 1] == "截止日期" and value is not None:
            cell.number_format = "yyyy-mm-dd"  # a real date cell, so the office can sort by it
    status_cell = ws.cell(r, names.index("状态") + 1)
    if row.status in _STATUS_FILL:
        status_cell.fill = _STATUS_FILL[row.status]
    href = safe_href(row.evidence_url)
    if href:
        link = ws.cell(r, names.index("证据链接") + 1)
        link.hyperlink, link.font = href, _LINK


def _by_unit(rows: list[ItemRow]) -> list[tuple[str, list[ItemRow]]]:
    """Units in order of first appearance; items without a lead unit last."""
    groups: dict[str, list[ItemRow]] = {}
    for row in rows:
        groups.setdefault(row.lead_unit or NO_LEAD_UNIT, []).append(row)
    named = [(u, rs) for u, rs in groups.items() if u != NO_LEAD_UNIT]
    return named + ([(NO_LEAD_UNIT, groups[NO_LEAD_UNIT])] if NO_LEAD_UNIT in groups else [])


def _todo_sheet(ws: Worksheet, result: ScanResult, rows: list[ItemRow]) -> None:
    ws.title = TODO_SHEET
    _title(ws, result, "整改清单", len(TODO_COLUMNS))
    _header(ws, TODO_COLUMNS)
    todo = [row for row in rows if row.status in TODO_STATUSES]
    r = 4
    if not todo:
        ws.cell(r, 1, "无未通过或无法判断的事项。")
        return
    for unit, unit_rows in _by_unit(todo):
        fails = sum(row.status == Status.FAIL for row in unit_rows)
        heading = ws.cell(r, 1, neutralise(f"牵头单位：{unit}（未通过 {fails} 项，无法判断 {len(unit_rows) - fails} 项）"))
        heading.font = _BOLD
        for col in range(1, len(TODO_COLUMNS) + 1):
            ws.cell(r, col).fill = _UNIT_FILL
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(TODO_COLUMNS))
        r += 1
        for row in unit_rows:
            _put_row(ws, r, _todo_values(row), row, TODO_COLUMNS)
            ws.row_dimensions[r].outline_level = 1
            r += 1
    ws.sheet_properties.outlinePr.summaryBelow = False  # the unit heading sits above its items


def _all_sheet(ws: Worksheet, result: ScanResult, rows: list[ItemRow]) -> None:
    _title(ws, result, "检查事项", len(ALL_COLUMNS))
    _header(ws, ALL_COLUMNS)
    for r, row in enumerate(rows, 4):
        _put_row(ws, r, _all_values(row), row, ALL_COLUMNS)
    ws.auto_filter.ref = f"A3:{get_column_letter(len(ALL_COLUMNS))}{3 + len(rows)}"


def build_workbook(result: ScanResult) -> Workbook:
    """The 整改清单 workbook for `result` (not saved)."""
    rows = list(item_rows(result))
    wb = Workbook()
    _todo_sheet(wb.active, result, rows)
    _all_sheet(wb.create_sheet(ALL_SHEET), result, rows)
    return wb


def render_xlsx(result: ScanResult) -> bytes:
    buf = io.BytesIO()
    build_workbook(result).save(buf)
    return buf.getvalue()


def write_xlsx(result: ScanResult, path: Path) -> None:
    """Write the 整改清单 workbook to `path`; replaces the file atomically."""
    _write_atomic(Path(path), render_xlsx(result))
