"""The .txt importer against the five real task lists and their curated profiles, plus
small hand-made extractions for each convention it must follow."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.engine.loader import load_rules
from checker.importer.cells import lead_from_units, units_cell
from checker.importer.deadlines import is_standing, parse_deadline
from checker.importer.model import ImportProblem, TaskRow
from checker.importer.numbering import assign_numbers
from checker.importer.profile_writer import OutputExists, render, write_profile
from checker.importer.run import FIELDS, Decision, import_file
from checker.importer.text import NoTableFound, read_text

ROOT = Path(__file__).resolve().parents[2]
TASKLISTS = ROOT.parent / "shared" / "tasklists"
LISTS = {
    "pingcheng-2024": "000_d1a42ae4060ce4a9.txt",
    "qinyuan-2022": "001_01b5282c9a763f4a.txt",
    "yongji-2021": "002_94b99fd02a09614a.txt",
    "pingli": "003_489f43982cffd6fc.txt",
    "mudan-2023": "004_9464d6d3f45efab0.txt",
}


@pytest.fixture(scope="module")
def curated():
    return load_rules(ROOT / "rules")


def assert_reproduces(imported, profile, label: str) -> None:
    assert [i.row.number for i in imported.items] == [i.number for i in profile.items]
    for mine, want in zip(imported.items, profile.items, strict=True):
        got = mine.fields()
        for field in FIELDS:
            assert got[field] == getattr(want, field), f"{label} {want.number} {field}"


@pytest.mark.parametrize("profile_id", list(LISTS))
def test_real_list_reproduces_curated_profile(profile_id, curated, tmp_path):
    path = TASKLISTS / LISTS[profile_id]
    if not path.is_file():
        pytest.skip(f"{path} not available")
    assert_reproduces(import_file(path, profile_id, checks=curated.checks), curated.profiles[profile_id], profile_id)


# A cell-stream extraction in the shape of the real ones: every cell starts with a tab,
# cells fold over lines, stray 、 and 。 lines, a repeated page header, an empty 任务名称
# cell (merged) and a 责任单位 cell the extraction split in two.
STREAM = """ \t附件

\t       某某县2025年政务公开工作任务分解表

\t序号
\t任务名称
\t任务内容
\t责任单位
\t时间节点

\t

1
\t
权责清单
\t在政府门户网站公布并动态调整权责清单，逐项注明
法律依据。
\t
县审批局牵头， 各乡镇
落实
\t
、
全年

\t
2
\t
政府信息公开年报
\t每年 1 月 31 日前在政府网站发布上一年度年报。
\t
。
县政府办、各乡镇、县直各有关
。\t部门
\t
、
每年 1 月 31 日前
 \t序号
\t任务名称
\t任务内容
\t责任单位
\t时间节点

\t
3
\t
\t开展政务公开业务 培训。
\t县政府办
\t11 月底前
"""


def test_stream_text_with_noise_page_header_and_split_cell():
    table = read_text(STREAM, "demo.txt")
    assert table.year == 2025
    assert table.columns == {"number": "序号", "name": "任务名称", "content": "任务内容", "units": "责任单位",
                             "deadline": "时间节点"}
    rows = table.rows
    assert [r.number for r in rows] == ["1", "2", "3"]
    assert rows[0].content == "在政府门户网站公布并动态调整权责清单，逐项注明法律依据。"
    assert rows[0].units == "县审批局牵头，各乡镇落实"
    assert rows[0].deadline_text == "全年"
    assert rows[1].units == "县政府办、各乡镇、县直各有关部门"  # split cell joined, stray 。 dropped
    assert rows[1].deadline_text == "每年 1 月 31 日前"
    assert rows[2].name == "政府信息公开年报"  # empty name cell: the item above's
    assert rows[2].content == "开展政务公开业务 培训。"  # spaces inside a text cell are kept


# One row per line; 任务名称 spans two columns (category, task); title repeated per page.
LINES = """某区2025年政务公开工作任务分解表

序号\t任务名称\t\t具体内容\t牵头单位\t责任单位\t完成时限
1\t基础信息公开\t机构职能\t公开机构职能、内设机构、办公地址等信息。\t区政府办\t各部门\t全年
2\t\t政府信息公开指南\t及时更新政府信息公开指南。\t区政府办\t区民政局 区医保局\t3月底前

某区2025年政务公开工作任务分解表

序号\t任务名称\t\t具体内容\t牵头单位\t责任单位\t完成时限
3\t\t\t指南中公开政务新媒体账号信息。\t区政府办\t各部门\t2025年6月30日前
"""


def test_the_title_is_not_the_attachment_mark_above_it():
    table = read_text("附件2\n\n" + LINES, "lines.txt")
    assert table.title == "某区2025年政务公开工作任务分解表" and table.year == 2025


def test_line_rows_two_level_name_carried_down():
    rows = read_text(LINES).rows
    assert [(r.number, r.group, r.name) for r in rows] == [
        ("1", "基础信息公开", "机构职能"),
        ("2", "基础信息公开", "政府信息公开指南"),
        ("3", "基础信息公开", "政府信息公开指南"),
    ]
    assert rows[1].units == "区民政局 区医保局"


# Unnumbered, nested sections in a merged 工作任务 column, vertical text (one character a
# line) and a heading whose number Word's auto-numbering replaced with (5)/(6).
NESTED = """\t工作任务
\t工作要求
\t牵头部门
\t责任部门

\t一、
政
务
公
开
\t（一）
主
动
公
开
\t会议公开
\t列席会议制度并抓好落实。
\t县政府办
\t各镇，各部门

\t
\t
\t
\t会议结果及时公开。
\t县政府
信息中心
\t各镇
各部门

\t
\t（5） 政务
（6） 服务公开
\t服务事项公开
\t集中分类展示办事服务事项。
\t
\t
"""


def test_nested_sections_numbered_by_path():
    rows = read_text(NESTED).rows
    numbering = assign_numbers(rows)
    assert "分级路径" in numbering
    assert [(r.number, r.group, r.name) for r in rows] == [
        ("1.1.1", "一、政务公开 › （一）主动公开", "会议公开"),
        ("1.1.2", "一、政务公开 › （一）主动公开", "会议公开"),
        ("1.2.1", "一、政务公开 › （二）政务服务公开", "服务事项公开"),
    ]
    assert rows[1].lead_unit == "县政府信息中心"  # a unit name folded over two lines
    assert rows[1].units == "各镇 各部门"  # two units on two lines


def test_group_numbers_and_labelled_content():
    text = """\t序号\n\t公开任务\n\t公开内容\n\t具体要求\n\t责任部门\n\t时限及要求\n
\t1\n\t扩大公开范围\n打造阳光政府\n\t规划公开\n\t公开“十四五”规划。\n\t市发改局\n\t2021年8月15日前完成。\n
\t\n\t\n\t\n\t公开专项规划。\n\t市自然资源局\n\t及时公开。\n
\t2\n\t优化便民举措\n\t政策解读\n\t提升解读质量。\n\t市政府办公室牵头，各单位落实\n\t立即落实并长期坚持。\n"""
    rows = read_text(text).rows
    assign_numbers(rows)
    assert [r.number for r in rows] == ["1.1", "1.2", "2.1"]
    assert rows[1].name == "规划公开" and rows[1].group == "扩大公开范围打造阳光政府"
    assert rows[1].content == "公开内容：规划公开；具体要求：公开专项规划。"


def test_numbers_from_text_prefix():
    rows = [TaskRow(content="1.聚焦扩大投资"), TaskRow(content="2.加强信息公开")]
    assign_numbers(rows)
    assert [(r.number, r.content) for r in rows] == [("1", "聚焦扩大投资"), ("2", "加强信息公开")]


def test_reading_order_when_nothing_numbers_items():
    rows = [TaskRow(content="甲"), TaskRow(content="乙")]
    assert "阅读顺序" in assign_numbers(rows)
    assert [r.number for r in rows] == ["1", "2"]


@pytest.mark.parametrize(("text", "year", "want"), [
    ("2021年8月15日前，在政府门户网站制作转型政策专题。", 2021, date(2021, 8, 15)),
    ("11 月底前", 2022, date(2022, 11, 30)),
    ("9月底", 2022, date(2022, 9, 30)),
    ("每年 3 月底前", 2022, date(2022, 3, 31)),
    ("12月31日前完成，工作情况纳入信息公开年度报告", 2023, date(2023, 12, 31)),
    ("2024年3月31日前公开本级政府信息公开工作年度报告", 2023, date(2024, 3, 31)),
    ("2022 年度的市场监管信息 10 月底前补录完成，每年 3 月底前公布", 2022, date(2022, 10, 31)),
    ("2021年11月底前，市政府办公室进行通报。", 2021, date(2021, 11, 30)),
    ("2月底前", 2024, date(2024, 2, 29)),
    ("全年", 2024, None),
    ("动态更新，工作情况纳入年度报告", 2023, None),
    ("立即落实并长期坚持。", 2021, None),
    ("各单位每月底前报送", 2021, None),
    ("11 月底前", None, None),  # no year known: not guessed
])
def test_deadlines(text, year, want):
    assert parse_deadline(text, year) == want


def test_standing_duties():
    assert is_standing("全年") and is_standing("动态更新") and is_standing("及时公开")
    assert not is_standing("11 月底前")


def test_units_and_lead():
    assert units_cell("县委网信办\n县委外宣办") == "县委网信办 县委外宣办"
    assert units_cell("县生态\n环境局平利分局") == "县生态环境局平利分局"
    assert units_cell("县市场监管局牵头， 各乡镇及有关部门配合") == "县市场监管局牵头，各乡镇及有关部门配合"
    assert lead_from_units("市政府办公室、市审批服务管理局牵头，各单位抓好落实") == "市政府办公室、市审批服务管理局"
    assert lead_from_units("县教育局牵头落实") == "县教育局"
    assert lead_from_units("各乡镇、开发区，县直各有关部门") == ""


def test_no_table_names_columns_found_and_expected(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("关于做好政务公开工作的通知\n\n序号\n一、责任单位要高度重视。\n", encoding="utf-8")
    with pytest.raises(NoTableFound) as err:
        import_file(path, "x")
    message = str(err.value)
    assert "序号" in message and "expected" in message and "具体内容" in message
    assert isinstance(err.value, ImportProblem)


def _write_list(tmp_path: Path) -> Path:
    path = tmp_path / "list.txt"
    path.write_text(STREAM, encoding="gb18030")  # county files are often GBK
    return path


def test_output_lints_and_loads_with_suggestions(tmp_path, curated):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "checks", rules / "checks")
    (rules / "profiles").mkdir()
    imported = import_file(_write_list(tmp_path), "demo-2025", checks=curated.checks)
    # What a suggestion looks like in the file: a real check id with its trigger words.
    first = imported.items[0]
    check_id = next(iter(curated.checks))
    first.decision = Decision(checks=[check_id], triggers={check_id: ["权责清单"]})
    out = write_profile(imported, "demo-2025", rules / "profiles" / "demo-2025.yaml")
    loaded = load_rules(rules)
    assert not [p for p in loaded.problems if p.level == "error"], loaded.problems
    profile = loaded.profiles["demo-2025"]
    assert profile.items[0].checks == [check_id] and profile.items[0].suggested
    assert profile.items[0].triggers == {check_id: ["权责清单"]}
    assert all(i.suggested for i in profile.items)
    assert all(i.manual for i in profile.items[1:] if not i.checks)
    assert profile.items[1].deadline == date(2025, 1, 31)
    with pytest.raises(OutputExists):
        write_profile(imported, "demo-2025", out)
    assert "suggested: true" in render(imported, "demo-2025")


def test_cli_summary_and_force(tmp_path):
    src = _write_list(tmp_path)
    out = tmp_path / "demo.yaml"
    rules = tmp_path / "rules"  # only the check library: the suggestions' vocabulary
    shutil.copytree(ROOT / "rules" / "checks", rules / "checks")
    runner = CliRunner()
    result = runner.invoke(main, ["rules", "import", str(src), "--id", "demo-2025", "--out", str(out),
                                  "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    assert "items found: 3" in result.output
    assert "columns recognised: 序号（序号）" in result.output
    assert "items left for a person:" in result.output
    before = out.read_text(encoding="utf-8")
    out.write_text("# edited by a person\n" + before, encoding="utf-8")
    again = runner.invoke(main, ["rules", "import", str(src), "--id", "demo-2025", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert out.read_text(encoding="utf-8").startswith("# edited by a person")
    forced = runner.invoke(main, ["rules", "import", str(src), "--id", "demo-2025", "--out", str(out), "--force",
                                  "--rules", str(rules)])
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8") == before


def test_cli_bad_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("什么表格也没有\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "import", str(path), "--id", "x", "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert "no task-list table found" in result.output and "expected" in result.output
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize(("builder", "profile_id"), [
    ("pingcheng_docx", "pingcheng-2024"), ("yongji_xlsx", "yongji-2021"), ("yongji_docx", "yongji-2021"),
])
def test_table_files_import_to_the_same_items(builder, profile_id, curated, tmp_path):
    """The whole pipeline (numbering, lead units, the list's year for deadlines) on .docx
    and .xlsx versions of two lists, built with merged cells and repeated header rows."""
    from tests.importer import tasklist_files

    path = tmp_path / f"list.{builder.rsplit('_', 1)[1]}"
    getattr(tasklist_files, builder)(path)
    assert_reproduces(import_file(path, profile_id, checks=curated.checks), curated.profiles[profile_id], builder)
