"""Task-list files built from the curated profiles, the way counties print them.

Two lists (平城区 2024: 序号 · 任务名称 over two columns · 具体内容 · 牵头单位 · 责任单位 · 完成时限;
永济市 2021: 序号 · 公开任务 · 公开内容 · 具体要求 · 责任部门 · 时限及要求) are written back as
Word, Excel and PDF tables from the profiles' items, with what real files have: merged cells
for a name shared by several rows (so the reader must carry it down), section rows made of
one merged cell, a title row above the header, a table split in two at a "page", header
rows repeated in the body, header words varied and broken over lines.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from ruamel.yaml import YAML

PROFILES = Path(__file__).resolve().parents[2] / "rules" / "profiles"
FIELDS = ("number", "group", "name", "content", "lead_unit", "units", "deadline_text")


def items(profile: str) -> list[dict]:
    data = YAML(typ="safe").load((PROFILES / f"{profile}.yaml").read_text(encoding="utf-8"))
    return [{field: str(item.get(field) or "") for field in FIELDS} for item in data["items"]]


def runs(rows: list[dict], key) -> list[tuple[int, int]]:
    """(first, last) row indexes of consecutive rows sharing key(row): one merged cell each."""
    out, start = [], 0
    for _, group in groupby(rows, key=key):
        size = len(list(group))
        out.append((start, start + size - 1))
        start += size
    return out


# ---- 平城区: what each row of the printed table holds ----------------------------------------

PINGCHENG_HEADER = ["序  号", "任务\n名称", "任务名称", "具体\n内容", "牵头\n单位", "责任单位", "完成\n时限"]


def pingcheng_cells(item: dict) -> list[str]:
    return [item["number"], item["group"], item["name"], item["content"], item["lead_unit"], item["units"], item["deadline_text"]]


# ---- 永济市 ---------------------------------------------------------------------------------

YONGJI_HEADER = ["序号", "公开\n任务", "公开内容", "具体要求", "责任\n部门", "时限及\n要求"]


def yongji_cells(item: dict) -> list[str]:
    requirement = item["content"].split("；具体要求：", 1)[1]
    return [item["number"].split(".")[0], item["group"], item["name"], requirement, item["units"], item["deadline_text"]]


# ---- .docx ----------------------------------------------------------------------------------


def _docx_table(document, header: list[str], rows: list[list[str]], merge_columns: dict[int, list[tuple[int, int]]], title: str = ""):
    width = len(header)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    if title:
        cells = table.add_row().cells
        cells[0].text = title
        cells[0].merge(cells[-1])
    top = len(table.rows)
    cells = table.add_row().cells
    for index, text in enumerate(header):
        if index and text.replace("\n", "") == header[index - 1].replace("\n", ""):
            continue
        cells[index].text = text
    for index in range(1, width):  # a header word spanning two columns is one merged cell
        if header[index].replace("\n", "") == header[index - 1].replace("\n", ""):
            cells[index - 1].merge(cells[index])
    for row in rows:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = text
    for column, spans in merge_columns.items():
        for first, last in spans:
            if last > first:
                for r in range(first + 1, last + 1):
                    table.cell(top + 1 + r, column).text = ""
                table.cell(top + 1 + first, column).merge(table.cell(top + 1 + last, column))
    return table


def pingcheng_docx(path: Path) -> list[dict]:
    """Two Word tables (the list split at a page, header repeated, the merged 任务名称 printed
    again), a header row repeated inside the first, names and groups in merged cells."""
    import docx

    expected = items("pingcheng-2024")
    document = docx.Document()
    document.add_paragraph("附件：2024年平城区政务公开工作任务分解表")
    split = 27  # between items 27 and 28, both 行政规范性文件: a merged cell split by the page
    for part, (rows, title) in enumerate(((expected[:split], "2024年平城区政务公开工作任务分解表"), (expected[split:], ""))):
        cells = [pingcheng_cells(item) for item in rows]
        if part == 0:
            cells.insert(12, list(PINGCHENG_HEADER))  # the header printed again on a new page
            with_header = rows[:12] + [None] + rows[12:]
        else:
            with_header = list(rows)
        merges = {
            1: runs(with_header, key=lambda item: ("header",) if item is None else (item["group"],)),
            2: runs(with_header, key=lambda item: ("header",) if item is None else (item["group"], item["name"])),
        }
        _docx_table(document, PINGCHENG_HEADER, cells, merges, title)
        document.add_paragraph("")
    document.add_paragraph("注：本表由区政务公开办负责解释。")
    document.save(str(path))
    return expected


def yongji_docx(path: Path) -> list[dict]:
    """序号 and 公开任务 merged over each group, 公开内容 over its rows; the table split in two
    after item 1.6, the second part printing the group's number and name again."""
    import docx

    expected = items("yongji-2021")
    document = docx.Document()
    split = 6
    for rows in (expected[:split], expected[split:]):
        merges = {
            0: runs(rows, key=lambda item: item["number"].split(".")[0]),
            1: runs(rows, key=lambda item: item["number"].split(".")[0]),
            2: runs(rows, key=lambda item: (item["number"].split(".")[0], item["name"])),
        }
        _docx_table(document, YONGJI_HEADER, [yongji_cells(item) for item in rows], merges)
        document.add_page_break()
    document.save(str(path))
    return expected


# ---- .xlsx ----------------------------------------------------------------------------------


def pingcheng_xlsx(path: Path) -> list[dict]:
    """No category column: each category is a section row merged across the sheet. A notes sheet
    first (no table), a title row, header words of another county, the header repeated."""
    import openpyxl

    expected = items("pingcheng-2024")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表根据《2024年政务公开工作要点》制定。"])
    notes.append(["各单位于每季度末报送进展。"])
    sheet = book.create_sheet("任务分解表")
    header = ["序 号", "工作\n任务", "任务内容", "牵头部门", "责任部门", "时间节点"]
    sheet.append(["2024年平城区政务公开工作任务分解表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet.append(header)
    name_start: int | None = None
    previous: dict | None = None
    for position, item in enumerate(expected):
        if position == 20:
            sheet.append(header)  # printed again at the top of a page
            previous = None
        if previous is None or item["group"] != previous["group"]:
            sheet.append([item["group"]])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
            previous = None
        same_name = previous is not None and item["name"] == previous["name"]
        sheet.append([int(item["number"]), "" if same_name else item["name"], item["content"], item["lead_unit"], item["units"], item["deadline_text"]])
        if same_name:
            sheet.merge_cells(start_row=name_start, start_column=2, end_row=sheet.max_row, end_column=2)
        else:
            name_start = sheet.max_row
        previous = item
    book.save(str(path))
    return expected


def yongji_xlsx(path: Path) -> list[dict]:
    import openpyxl

    expected = items("yongji-2021")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "永济市2021"
    sheet.append(YONGJI_HEADER)
    spans: dict[int, list[int]] = {0: [], 1: [], 2: []}
    starts = {0: 0, 1: 0, 2: 0}
    previous: dict | None = None
    for position, item in enumerate(expected):
        group = item["number"].split(".")[0]
        cells = yongji_cells(item)
        if position == 16:
            sheet.append(YONGJI_HEADER)  # a new page: header, then the group's number and name again
            previous = None
        new_group = previous is None or previous["number"].split(".")[0] != group
        new_name = new_group or previous["name"] != item["name"]
        row = [cells[0] if new_group else None, cells[1] if new_group else None, cells[2] if new_name else None] + cells[3:]
        sheet.append(row)
        here = sheet.max_row
        for column, new in ((0, new_group), (1, new_group), (2, new_name)):
            if new:
                starts[column] = here
            elif here > starts[column]:
                spans[column].append(here)
        previous = item
    # merge each run of continued cells with its first row
    for column in (0, 1, 2):
        rows = sorted(set(spans[column]))
        for _, run in groupby(enumerate(rows), key=lambda pair: pair[1] - pair[0]):
            block = [row for _, row in run]
            sheet.merge_cells(start_row=block[0] - 1, start_column=column + 1, end_row=block[-1], end_column=column + 1)
    book.save(str(path))
    return expected


# ---- .pdf (HTML table printed by Chromium) ----------------------------------------------------


def _html(title: str, header: list[str], rows: list[list[str]], spans: dict[int, list[tuple[int, int]]]) -> str:
    from html import escape

    covered = {(r, column) for column, runs_ in spans.items() for first, last in runs_ for r in range(first + 1, last + 1)}
    rowspan = {(first, column): last - first + 1 for column, runs_ in spans.items() for first, last in runs_ if last > first}
    head_cells, index = [], 0
    while index < len(header):
        span = 1
        while index + span < len(header) and header[index + span].replace("\n", "") == header[index].replace("\n", ""):
            span += 1
        head_cells.append(f'<th colspan="{span}">{escape(header[index]).replace(chr(10), "<br>")}</th>')
        index += span
    body = []
    for r, row in enumerate(rows):
        tds = []
        for column, text in enumerate(row):
            if (r, column) in covered:
                continue
            attr = f' rowspan="{rowspan[(r, column)]}"' if (r, column) in rowspan else ""
            tds.append(f"<td{attr}>{escape(text)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        "<!doctype html><meta charset=utf-8><style>"
        "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:9pt}"
        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:3px;vertical-align:top}"
        "thead{display:table-header-group}tr{break-inside:avoid}"
        f"</style><h3>{escape(title)}</h3><table><thead><tr>{''.join(head_cells)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def pingcheng_html() -> tuple[str, list[dict]]:
    expected = items("pingcheng-2024")
    spans = {
        1: runs(expected, key=lambda item: item["group"]),
        2: runs(expected, key=lambda item: (item["group"], item["name"])),
    }
    return _html("2024年平城区政务公开工作任务分解表", PINGCHENG_HEADER, [pingcheng_cells(i) for i in expected], spans), expected


def yongji_html() -> tuple[str, list[dict]]:
    expected = items("yongji-2021")
    spans = {
        0: runs(expected, key=lambda item: item["number"].split(".")[0]),
        1: runs(expected, key=lambda item: item["number"].split(".")[0]),
        2: runs(expected, key=lambda item: (item["number"].split(".")[0], item["name"])),
    }
    return _html("永济市2021年政务公开工作要点任务分解表", YONGJI_HEADER, [yongji_cells(i) for i in expected], spans), expected


async def print_pdfs(pages: dict[Path, str]) -> None:
    """Print each HTML page to its PDF path with Debian's Chromium (landscape A4, as these
    tables are printed)."""
    from checker.crawl.browser import launch

    async with launch() as context:
        page = await context.new_page()
        for path, html in pages.items():
            await page.set_content(html)
            await page.pdf(path=str(path), format="A4", landscape=True, margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        await page.close()
