"""Word, Excel and PDF task lists read back into the curated profiles' items."""

from __future__ import annotations

import asyncio
import io

import pytest

from checker.importer.columns import lead_from_units, recognise, rows_from_tables
from checker.importer.model import ImportProblem, Role, Table
from checker.importer.tables import fold_radicals, read_tables
from tests.crawl.browserskip import needs_browser

from . import tasklist_files as files


def mismatches(rows, expected: list[dict], *, ignore_spaces: bool = False) -> list[str]:
    def norm(text: str) -> str:
        return text.replace(" ", "") if ignore_spaces else text

    out = [f"{len(rows)} rows read, {len(expected)} expected"] if len(rows) != len(expected) else []
    for row, item in zip(rows, expected, strict=False):
        for field in files.FIELDS:
            if norm(getattr(row, field)) != norm(item[field]):
                out.append(f"item {item['number']} {field}: {getattr(row, field)!r} != {item[field]!r}")
    return out


@pytest.mark.parametrize(
    ("build", "suffix"),
    [
        (files.pingcheng_docx, ".docx"),
        (files.yongji_docx, ".docx"),
        (files.pingcheng_xlsx, ".xlsx"),
        (files.yongji_xlsx, ".xlsx"),
    ],
    ids=["pingcheng.docx", "yongji.docx", "pingcheng.xlsx", "yongji.xlsx"],
)
def test_office_files_reproduce_the_curated_items(tmp_path, build, suffix):
    path = tmp_path / f"list{suffix}"
    expected = build(path)
    rows = rows_from_tables(read_tables(path))
    assert mismatches(rows, expected) == []
    assert len(rows) in (50, 35)


def test_docx_merged_cells_are_expanded_first_row_only(tmp_path):
    path = tmp_path / "list.docx"
    files.yongji_docx(path)
    tables = read_tables(path)
    assert len(tables) == 2  # the list split at a page: two Word tables, the header in each
    first = tables[0]
    assert recognise(first.header) == {
        Role.NUMBER: 0, Role.NAME: 1, Role.CONTENT: 2, Role.REQUIREMENT: 3, Role.UNITS: 4, Role.DEADLINE: 5
    }  # fmt: skip
    # 序号 and 公开任务 are one merged cell over group 1's six rows: text once, '' below
    assert [row[0].strip() for row in first.rows] == ["1", "", "", "", "", ""]
    assert first.rows[1][1] == "" and first.rows[0][1].strip() == "扩大公开范围打造阳光政府"


def test_header_recognised_by_meaning_whatever_the_wording():
    assert recognise(["序\n号", "工作任务", "工作要求", "牵头部门", "责任部门"]) == {
        Role.NUMBER: 0, Role.NAME: 1, Role.REQUIREMENT: 2, Role.LEAD_UNIT: 3, Role.UNITS: 4
    }  # fmt: skip
    assert recognise(["序号", "任务名称", "任务内容", "责任单位", "时间节点"])[Role.CONTENT] == 2
    assert recognise(["序号", "公开任务", "公开内容", "具体要求", "责任部门", "时限及要求"])[Role.DEADLINE] == 5
    # 任务名称 merged over two columns: the outer one is the category
    assert recognise(["序号", "任务名称", "", "具体内容", "牵头单位", "责任单位", "完成时限"])[Role.GROUP] == 1
    assert recognise(["序号", "任务名称", "任务名称", "具体内容"])[Role.NAME] == 2


def test_section_rows_and_carried_names():
    header = ["序号", "任务名称", "具体内容", "责任单位", "完成时限"]
    table = Table(
        header=header,
        rows=[
            ["一、政府信息公开"] * 5,
            ["1", "规范性文件", "统一编号。", "县司法局牵头，各部门落实", "全年"],
            ["2", "", "集中公开。", "各部门", "11 月底前"],
            list(header),  # a new page
            ["（一）主动公开", "", "", "", ""],
            ["3", "政策解读", "同步解读。", "", ""],
        ],
        source="t",
    )
    rows = rows_from_tables([table])
    assert [(r.number, r.group, r.name, r.content) for r in rows] == [
        ("1", "一、政府信息公开", "规范性文件", "统一编号。"),
        ("2", "一、政府信息公开", "规范性文件", "集中公开。"),
        ("3", "一、政府信息公开 › （一）主动公开", "政策解读", "同步解读。"),
    ]
    assert rows[0].lead_unit == "县司法局" and rows[1].lead_unit == ""
    assert rows[1].deadline_text == "11 月底前"


def test_lead_unit_from_units_only_when_named():
    assert lead_from_units("市政府办公室、市委网信办牵头，各镇（街道）抓好落实") == "市政府办公室、市委网信办"
    assert lead_from_units("各部门、各街道") == ""


def test_no_task_table_names_found_and_expected_columns(tmp_path):
    import docx

    path = tmp_path / "notes.docx"
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["姓名", "职务", "电话"], strict=True):
        cell.text = text
    document.save(str(path))
    with pytest.raises(ImportProblem) as problem:
        rows_from_tables(read_tables(path))
    message = str(problem.value)
    assert "姓名 · 职务 · 电话" in message and "任务名称" in message and "牵头单位" in message


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "list.odt"
    path.write_bytes(b"x")
    with pytest.raises(ImportProblem, match="不支持"):
        read_tables(path)


def _image_pdf(path) -> None:
    """A scanned page: an image of a ruled table, no text layer (Pillow writes it as PDF)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (842, 595), "white")
    draw = ImageDraw.Draw(image)
    for y in range(60, 560, 40):
        draw.line((40, y, 800, y), fill="black")
    for x in (40, 90, 200, 600, 700, 800):
        draw.line((x, 60, x, 540), fill="black")
    image.save(str(path), "PDF", resolution=72)


def test_image_only_pdf_says_no_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    _image_pdf(path)
    with pytest.raises(ImportProblem) as problem:
        read_tables(path)
    assert "没有文字层" in str(problem.value) and "OCR" in str(problem.value)


def test_encrypted_pdf_says_so(tmp_path):
    import pypdf

    plain = tmp_path / "plain.pdf"
    _image_pdf(plain)
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ImportProblem, match="已加密"):
        read_tables(path)


def test_radicals_in_pdf_text_fold_to_ideographs():
    assert fold_radicals("扩⼤公开，政府⻔⼾⽹站，⻝品") == "扩大公开，政府门户网站，食品"
    assert fold_radicals("各部门、各街道") == "各部门、各街道"


@pytest.fixture(scope="module")
def printed_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    pingcheng_html, pingcheng = files.pingcheng_html()
    yongji_html, yongji = files.yongji_html()
    pages = {folder / "pingcheng.pdf": pingcheng_html, folder / "yongji.pdf": yongji_html}
    asyncio.run(files.print_pdfs(pages))
    return {"pingcheng": (folder / "pingcheng.pdf", pingcheng), "yongji": (folder / "yongji.pdf", yongji)}


@needs_browser
@pytest.mark.parametrize("name", ["pingcheng", "yongji"])
def test_pdf_reproduces_the_curated_items(printed_pdfs, name):
    path, expected = printed_pdfs[name]
    tables = read_tables(path)
    assert len(tables) > 2  # one table per printed page, the header repeated on each
    # Spaces are compared loosely: a cell wrapped at a space (平城 item 23's two units) loses
    # it in any PDF, the text layer has no character there.
    assert mismatches(rows_from_tables(tables), expected, ignore_spaces=True) == []
