"""Tables out of a task list file: .docx (python-docx), .xlsx (openpyxl), .pdf (pdfplumber).

Merged cells come out the same whatever the format: a vertically merged cell's text in its
first row and '' below (the reader carries a name down, not a unit or a deadline), a
horizontally merged cell's text repeated in each column it spans (as python-docx gives
it), so that a row made of one merged cell reads as a section heading.

PDF: pdfplumber rather than pypdf (which checker/crawl/attachments.py uses for plain
text). A task list is a ruled table, and pdfplumber finds the cells from the ruling lines
(cells, not lines of text in reading order, which is all pypdf gives): without it a row
whose cells wrap over several lines comes out interleaved. It is pure Python over
pdfminer.six and maintained. A PDF without a text layer (a scan) is refused: no OCR.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

from .columns import clean, find_header
from .model import ImportProblem, Table

MAX_ROWS = 5000  # a task list has tens of rows; a file with more is not one (or is hostile)
MAX_COLUMNS = 40
MAX_CELL = 5000


def read_tables(path: Path) -> list[Table]:
    """Every table of the file, in reading order, the header row found by meaning."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        grids = _docx_grids(path)
    elif suffix in (".xlsx", ".xlsm"):
        grids = _xlsx_grids(path)
    elif suffix == ".pdf":
        grids = _pdf_grids(path)
    else:
        raise ImportProblem(f"{path.name}: 不支持的文件类型 {suffix or '(无扩展名)'}；可读取 .docx、.xlsx、.pdf、.txt")
    return [_table(grid, source) for grid, source in grids]


def _table(grid: list[list[str]], source: str) -> Table:
    width = min(MAX_COLUMNS, max((len(row) for row in grid), default=0))
    rows = [[(cell or "")[:MAX_CELL] for cell in row[:width]] + [""] * (width - len(row)) for row in grid[:MAX_ROWS]]
    at = find_header(rows)
    if at is None:
        return Table(header=[], rows=rows, source=source)
    return Table(header=rows[at], rows=rows[at + 1 :], source=source)


# ---- .docx -------------------------------------------------------------------------------


def _docx_grids(path: Path) -> list[tuple[list[list[str]], str]]:
    import docx
    from docx.table import _Cell

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged or non-Word file
        raise ImportProblem(f"{path.name}: 无法作为 Word 文档打开（{type(exc).__name__}）") from exc
    grids = []
    for number, table in enumerate(document.tables, start=1):
        grid: list[list[str]] = []
        for tr in table._tbl.tr_lst[:MAX_ROWS]:
            # Walk the XML rather than row.cells: row.cells gives a vertically merged cell's
            # text again in every row it spans, and the reader must see where a merge ends.
            cells = [""] * tr.grid_before
            for tc in tr.tc_lst:
                text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
                cells.extend([text] * tc.grid_span)
            grid.append(cells)
        grids.append((grid, f"{path.name}, 表格{number}"))
    return grids


# ---- .xlsx -------------------------------------------------------------------------------


def _xlsx_grids(path: Path) -> list[tuple[list[list[str]], str]]:
    import openpyxl

    try:
        # Not read_only: merged ranges are only known in the full mode; a task list is small.
        book = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as exc:
        raise ImportProblem(f"{path.name}: 无法作为 Excel 工作簿打开（{type(exc).__name__}）") from exc
    grids = []
    for sheet in book.worksheets:
        rows = min(sheet.max_row, MAX_ROWS)
        columns = min(sheet.max_column, MAX_COLUMNS)
        grid = [["" if v is None else _xlsx_text(v) for v in row] for row in sheet.iter_rows(max_row=rows, max_col=columns, values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            if top >= rows or left >= columns:
                continue
            text = grid[top][left]
            for r in range(top, min(merged.max_row, rows)):
                for c in range(left, min(merged.max_col, columns)):
                    grid[r][c] = text if r == top else ""
        grids.append((grid, f"{path.name}, 工作表“{sheet.title}”"))
    return grids


def _xlsx_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 序号 typed as a number
    return str(value)


# ---- .pdf --------------------------------------------------------------------------------


def _pdf_grids(path: Path) -> list[tuple[list[list[str]], str]]:
    import pdfplumber
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        encrypted = reader.is_encrypted and not reader.decrypt("")
    except Exception as exc:
        raise ImportProblem(f"{path.name}: 无法作为 PDF 打开（{type(exc).__name__}）") from exc
    if encrypted:
        raise ImportProblem(f"{path.name}: PDF 已加密（需要密码才能打开），无法读取；请提供未加密的文件或 Word/Excel 原件")
    # pdfminer warns about every glyph of a font without a FontBBox (Chromium writes such
    # fonts); harmless for text, and noise on the terminal.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    grids = []
    chars = 0
    with pdfplumber.open(str(path), password="") as pdf:
        for page_number, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            # A merged cell that runs on to the next page has no bottom border on this page
            # (nor a top one on the next), and pdfplumber drops a cell it cannot close, text
            # and all: the table's own top and bottom edges close such cells.
            edges = sorted({round(edge, 2) for found in page.find_tables() for edge in (found.bbox[1], found.bbox[3])})
            settings = {"explicit_horizontal_lines": edges} if edges else {}
            for table in page.extract_tables(settings):
                grid = [[_pdf_cell(cell) for cell in row] for row in table]
                grids.append((grid, f"{path.name}, 第{page_number}页"))
    if chars == 0:
        raise ImportProblem(
            f"{path.name}: PDF 没有文字层（扫描件或图片），无法读取表格（不提供 OCR 文字识别）；请提供 Word/Excel 原件或带文字的 PDF"
        )
    if not grids:
        raise ImportProblem(f"{path.name}: PDF 中没有找到带表格线的表格；可将其文字另存为 .txt 再导入")
    return grids


def _pdf_cell(cell: str | None) -> str:
    # A line break inside a PDF cell is only where the text wrapped (unlike a Word paragraph
    # or an Excel line break, it never separates two units): join the lines here, Chinese
    # without a space. None is the covered part of a merged cell.
    return clean(fold_radicals(cell or ""))


# CJK fonts (Noto CJK among them) draw 大 and the Kangxi radical ⼤ with one glyph, and PDF
# writers (Chromium's among them) often map that glyph back to the radical: the text layer
# then reads 扩⼤, 政府⽹站, 部⻔. Radicals never occur in a task list's prose, so they are
# folded back to the ideographs. NFKC does it for the Kangxi block, but to traditional forms
# for a few (⼾ → 戶), hence the simplified overrides; the CJK Radicals Supplement has no
# decomposition at all, hence the table of its simplified forms.
_RADICALS = {
    "⼾": "户", "⻅": "见", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻋": "车", "⻐": "钅", "⻓": "长",
    "⻔": "门", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻠": "饣", "⻢": "马", "⻣": "骨",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿",
    "⻰": "龙", "⻳": "龟", "⺟": "母", "⺠": "民", "⺰": "纟", "⻝": "食", "⺁": "厂", "⺌": "小",
    "⺗": "心", "⺝": "月", "⺮": "竹", "⻊": "足", "⻗": "雨", "⻘": "青", "⻤": "鬼", "⻄": "西",
}  # fmt: skip


def fold_radicals(text: str) -> str:
    """Kangxi and supplementary CJK radicals in extracted PDF text back to the ideographs."""
    if not any("\u2e80" <= ch <= "\u2fdf" for ch in text):
        return text
    return "".join(
        _RADICALS.get(ch) or (unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch) for ch in text
    )
