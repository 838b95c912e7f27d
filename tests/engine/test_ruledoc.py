"""Generated rule documentation and the coverage table (`checker rules doc` / `coverage`)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.engine import ruledoc
from checker.engine.cases import load_cases
from checker.engine.loader import load_rules

CHECKS = """\
checks:
  - id: qzqd-exists
    kind: exists
    title: 设置权责清单栏目
    description: 平城区2024任务分解表第5项。
    aliases: [qzqd]
    target: &qzqd {names: [权责清单], url_hints: [qzqd]}
  - id: qzqd-not-blank
    kind: not_blank
    title: 权责清单栏目有内容
    target: *qzqd
    min_items: 2
"""
PROFILE = """\
id: demo-2024
title: 某县2024年政务公开工作任务分解表
source: 999_demo.txt
issuer: 某县
year: 2024
numbering: 沿用分解表序号。
items:
  - number: "1"
    name: 权责清单公开
    content: 做好本单位权责清单并依法在政府门户网站公开和动态更新。
    lead_unit: 县审批局
    units: 各部门
    deadline_text: 2024年6月底前
    deadline: 2024-06-30
    checks: [qzqd, qzqd-not-blank]
  - number: "2"
    name: 权责清单动态调整
    content: 动态调整权责清单，逐项注明依据。
    checks: [qzqd-exists]
    manual_note: 是否逐项注明依据需人工核对。
  - number: "3"
    name: 加强培训
    content: 年内至少组织一次培训。
    weight: 0
    manual: 培训属于内部工作|门户网站上无法核验。
"""
CASES = """\
check: qzqd-not-blank
cases:
  - name: column with two items
    expect: pass
    summary_contains: 有 2 条信息
    site:
      pages:
        - url: /
          nav: {权责清单: /zwgk/qzqd/}
        - url: /zwgk/qzqd/
          crumb: [首页, 政府信息公开, 权责清单]
          items:
            - [县发改局权责清单, ./1.html, 2024-03-01]
            - [县财政局权责清单, ./2.html, 2024-02-01]
  - name: blocked column
    expect: unknown
    site:
      partial: true
      pages:
        - url: /
        - url: /zwgk/qzqd/
          status: 412
"""


@pytest.fixture
def rules_dir(tmp_path) -> Path:
    root = tmp_path / "rules"
    for sub, name, text in (("checks", "c.yaml", CHECKS), ("profiles", "demo-2024.yaml", PROFILE),
                            ("cases", "qzqd-not-blank.yaml", CASES)):
        (root / sub).mkdir(parents=True)
        (root / sub / name).write_text(text, encoding="utf-8")
    return root


def _generate(root: Path) -> dict[str, str]:
    return ruledoc.generate(load_rules(root), load_cases(root / "cases", base=root.parent))


def test_coverage_counts_automated_partly_and_manual(rules_dir):
    cov = ruledoc.coverage(load_rules(rules_dir).profiles["demo-2024"])
    assert ([i.number for i in cov.automated], [i.number for i in cov.partly], [i.number for i in cov.manual]) == (
        ["1"], ["2"], ["3"])
    text = ruledoc.coverage_text([cov.profile])
    assert text.splitlines()[:2] == ["profile    items  automated  partly  manual",
                                     "demo-2024      3          1       1       1"]
    assert "  3  加强培训 — 培训属于内部工作|门户网站上无法核验。" in text


def test_coverage_markdown_escapes_cells_and_links_the_profile_page(rules_dir):
    md = ruledoc.coverage_markdown(load_rules(rules_dir).profiles.values())
    assert "| [demo-2024](docs/rules/profiles/demo-2024.md) 某县2024年政务公开工作任务分解表 | 3 | 1 | 1 | 1 |" in md
    assert "<details><summary>demo-2024: 1 manual item</summary>" in md
    assert "| 3 | 加强培训 | 培训属于内部工作\\|门户网站上无法核验。 |" in md


def test_replace_and_read_block():
    text = "# T\n\n<!-- coverage:start -->\nold\n<!-- coverage:end -->\nafter\n"
    new = ruledoc.replace_block(text, "| a |\n")
    assert new == "# T\n\n<!-- coverage:start -->\n| a |\n<!-- coverage:end -->\nafter\n"
    assert ruledoc.read_block(new) == "| a |"
    assert ruledoc.read_block("no markers") is None
    with pytest.raises(ValueError, match="markers"):
        ruledoc.replace_block("no markers", "x")


def test_check_page_says_what_why_parameters_and_cases(rules_dir):
    page = _generate(rules_dir)["checks/qzqd-not-blank.md"]
    assert page.startswith("# 权责清单栏目有内容\n")
    assert "| id | `qzqd-not-blank` |" in page and "| kind | `not_blank` |" in page
    assert "| defined in | `rules/checks/c.yaml` |" in page
    # Where it is used, quoting the task list.
    assert "- **demo-2024** [item 1 权责清单公开](../profiles/demo-2024.md#item-1)" in page
    assert "  > 做好本单位权责清单并依法在政府门户网站公开和动态更新。" in page
    # Parameters as YAML, without the fields every check has.
    params = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert params == "target:\n  names: [权责清单]\n  url_hints: [qzqd]\nmin_items: 2\n"
    # Cases with a compact listing of their sites.
    assert "### pass: column with two items" in page and "### unknown: blocked column" in page
    assert "- `/zwgk/qzqd/` column 「权责清单」; 2 items" in page
    assert "- `/zwgk/qzqd/` HTTP 412" in page
    assert "Site (trs, as of 2026-11-21, partial crawl):" in page
    assert "Expected: summary contains 「有 2 条信息」." in page


def test_check_without_cases_and_profile_page(rules_dir):
    files = _generate(rules_dir)
    assert "None yet: `checker rules lint` reports this" in files["checks/qzqd-exists.md"]
    # A profile naming a former id is shown under the current one.
    assert "- **demo-2024** [item 1 权责清单公开]" in files["checks/qzqd-exists.md"]
    profile = files["profiles/demo-2024.md"]
    assert "| items | 3: 1 automated, 1 partly automated, 1 manual |" in profile
    assert '<a id="item-1"></a>\n\n### 1 权责清单公开\n\n> 做好本单位权责清单并依法在政府门户网站公开和动态更新。' in profile
    assert "- 完成时限: 2024年6月底前 (2024-06-30)" in profile
    assert "  - [`qzqd-exists`](../checks/qzqd-exists.md) 设置权责清单栏目" in profile
    assert "- still for a person: 是否逐项注明依据需人工核对。" in profile
    assert "- weight: 0\n- **manual**: 培训属于内部工作|门户网站上无法核验。" in profile
    index = files["README.md"]
    assert "| [`qzqd-not-blank`](checks/qzqd-not-blank.md) | `not_blank` | 权责清单栏目有内容 | stable | 1 / 0 / 1 | demo-2024 |" in index
    assert sorted(files) == ["README.md", "checks/qzqd-exists.md", "checks/qzqd-not-blank.md", "profiles/demo-2024.md"]


def test_write_replaces_and_removes_stale_pages(rules_dir, tmp_path):
    out = tmp_path / "docs"
    files = _generate(rules_dir)
    written, removed = ruledoc.write(out, files)
    assert len(written) == 4 and removed == []
    (out / "checks" / "gone.md").write_text("old", encoding="utf-8")
    written, removed = ruledoc.write(out, files)
    assert written == [] and removed == [out / "checks" / "gone.md"]


def test_cli_doc_and_coverage(rules_dir, tmp_path):
    runner = CliRunner()
    out = tmp_path / "docs"
    result = runner.invoke(main, ["rules", "doc", "--rules", str(rules_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "checks" / "qzqd-not-blank.md").read_text(encoding="utf-8") == _generate(rules_dir)[
        "checks/qzqd-not-blank.md"]

    result = runner.invoke(main, ["rules", "coverage", "--rules", str(rules_dir)])
    assert result.exit_code == 0 and result.output.startswith("profile    items  automated  partly  manual\n")
    result = runner.invoke(main, ["rules", "coverage", "--markdown", "--rules", str(rules_dir)])
    assert result.output.startswith("| profile | items | automated | partly automated | manual |")

    readme = tmp_path / "README.md"
    readme.write_text(textwrap.dedent("""\
        # x
        <!-- coverage:start -->
        <!-- coverage:end -->
        """), encoding="utf-8")
    result = runner.invoke(main, ["rules", "coverage", "--update", str(readme), "--rules", str(rules_dir)])
    assert result.exit_code == 0 and "updated" in result.output
    assert ruledoc.read_block(readme.read_text(encoding="utf-8")) == ruledoc.coverage_markdown(
        load_rules(rules_dir).profiles.values()).strip()
    result = runner.invoke(main, ["rules", "coverage", "--update", str(readme), "--rules", str(rules_dir)])
    assert "already current" in result.output
