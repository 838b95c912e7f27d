"""Rule loading and lint: every problem names its file, line and field."""

from __future__ import annotations

import json
import textwrap
import types

import pytest

from checker.engine.kinds import KINDS
from checker.engine.loader import (
    DEFAULT_RULES_DIR,
    Problem,
    export_schemas,
    lint,
    load_checks,
    load_profiles,
    load_rules,
)

GOOD_CHECKS = """\
checks:
  - id: qzqd-exists
    kind: exists
    title: 公开权责清单栏目
    target: {names: [权责清单, 权力清单], url_hints: [qzqd]}
  - id: footer-site-code
    kind: footer_has
    title: 页脚展示网站标识码
    element: site_code
    aliases: [site-code]
"""

GOOD_PROFILE = """\
id: pingcheng-2024
title: 平城区2024年政务公开工作任务分解表
source: 000_d1a42ae4060ce4a9.txt
year: 2024
items:
  - number: "1"
    name: 权责清单
    content: 公开权责清单
    checks: [qzqd-exists]
  - number: "2"
    name: 网站标识
    content: 页脚展示网站标识码
    checks: [footer-site-code]
  - number: "3"
    name: 内部台账
    content: 建立台账
    manual: 需查阅内部台账
"""


def _rules(tmp_path, checks: dict[str, str] | None = None, profiles: dict[str, str] | None = None):
    root = tmp_path / "rules"
    (root / "checks").mkdir(parents=True)
    (root / "profiles").mkdir(parents=True)
    for name, text in (checks if checks is not None else {"site.yaml": GOOD_CHECKS}).items():
        (root / "checks" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in (profiles if profiles is not None else {"pingcheng.yaml": GOOD_PROFILE}).items():
        (root / "profiles" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _errors(problems):
    return [p for p in problems if p.level == "error"]


def test_good_rules_load_clean(tmp_path):
    rules = load_rules(_rules(tmp_path))
    assert rules.problems == []
    assert list(rules.checks) == ["qzqd-exists", "footer-site-code"]
    assert rules.checks["qzqd-exists"].target.names == ["权责清单", "权力清单"]
    assert rules.profiles["pingcheng-2024"].items[2].manual == "需查阅内部台账"


def test_problem_str():
    assert str(Problem("rules/checks/footer.yaml", 12, "checks[3].target.names", "Input should be a valid list")) == (
        "rules/checks/footer.yaml:12: checks[3].target.names: Input should be a valid list")
    assert str(Problem("rules/checks/a.yaml", None, "", "directory not found")) == "rules/checks/a.yaml: directory not found"
    assert str(Problem("a.yaml", 3, "id", "unused", "warning")) == "a.yaml:3: id: warning: unused"


def test_wrong_type_points_at_the_field_line(tmp_path):
    bad = GOOD_CHECKS + """\
  - id: gfxwj-validity
    kind: documents_match
    title: 规范性文件标注有效期
    target:
      names: 行政规范性文件
    patterns: [validity_period]
"""
    root = _rules(tmp_path, checks={"footer.yaml": bad})
    rules = load_rules(root)
    assert [str(p) for p in rules.errors] == [
        "rules/checks/footer.yaml:15: checks[2].target.names: Input should be a valid list"]
    assert "gfxwj-validity" not in rules.checks and "qzqd-exists" in rules.checks


def test_unknown_kind_lists_the_known_ones(tmp_path):
    bad = GOOD_CHECKS + """\
  - id: nav-search
    kind: has_search
    title: 首页有搜索
"""
    problems = _errors(load_rules(_rules(tmp_path, checks={"x.yaml": bad})).problems)
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.line, p.field) == ("rules/checks/x.yaml", 12, "checks[2].kind")
    assert p.message.startswith("unknown kind 'has_search'; known kinds: exists, not_blank")


def test_missing_kind_points_at_the_check(tmp_path):
    bad = GOOD_CHECKS + """\
  - id: no-kind
    title: 没有类型
"""
    (p,) = _errors(load_rules(_rules(tmp_path, checks={"x.yaml": bad})).problems)
    assert (p.line, p.field) == (11, "checks[2].kind")
    assert p.message.startswith("missing kind")


def test_unknown_field_and_missing_field(tmp_path):
    bad = """\
checks:
  - id: qzqd-exists
    kind: exists
    title: 公开权责清单栏目
    target:
      names: [权责清单]
      scop: column
  - id: qzqd-fresh
    kind: updated_within
    target: {names: [权责清单]}
    days: 30
"""
    problems = _errors(load_rules(_rules(tmp_path, checks={"x.yaml": bad}, profiles={})).problems)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (7, "checks[0].target.scop", "Extra inputs are not permitted"),
        (8, "checks[1].title", "Field required"),
    ]


def test_model_validator_message_without_prefix(tmp_path):
    bad = """\
checks:
  - id: guide-phone
    kind: text_matches
    title: 指南公开电话
    target: {scope: page, names: [政府信息公开指南]}
"""
    (p,) = _errors(load_rules(_rules(tmp_path, checks={"x.yaml": bad}, profiles={})).problems)
    assert (p.line, p.field, p.message) == (2, "checks[0]", "give at least one of patterns or keywords")


def test_unknown_pattern_name(tmp_path):
    bad = """\
checks:
  - id: guide-phone
    kind: text_matches
    title: 指南公开电话
    target: {scope: page, names: [政府信息公开指南]}
    patterns:
      - landline
      - telephone
"""
    problems = _errors(load_rules(_rules(tmp_path, checks={"x.yaml": bad}, profiles={})).problems)
    assert [(p.line, p.field) for p in problems] == [(8, "checks[0].patterns[1]")]
    assert problems[0].message.startswith("unknown pattern 'telephone'; known patterns: landline")


def test_bad_indentation_is_a_yaml_error_with_its_line(tmp_path):
    bad = """\
checks:
  - id: qzqd-exists
    kind: exists
   title: 公开权责清单栏目
"""
    (p,) = load_rules(_rules(tmp_path, checks={"x.yaml": bad}, profiles={})).problems
    assert (p.file, p.line) == ("rules/checks/x.yaml", 4)
    assert p.message.startswith("YAML syntax error")


def test_duplicate_yaml_key_is_reported(tmp_path):
    bad = """\
checks:
  - id: qzqd-exists
    kind: exists
    title: 公开权责清单栏目
    title: 又一个标题
    target: {names: [权责清单]}
"""
    (p,) = load_rules(_rules(tmp_path, checks={"x.yaml": bad}, profiles={})).problems
    assert p.line == 5 and "duplicate key" in p.message


def test_empty_file_and_wrong_top_level(tmp_path):
    problems = load_rules(_rules(tmp_path, checks={"a.yaml": "", "b.yaml": "- id: x\n", "c.yaml": "check: []\n"},
                                 profiles={})).problems
    assert [str(p) for p in problems] == [
        "rules/checks/a.yaml:1: file is empty",
        "rules/checks/b.yaml:1: a check file is a mapping with a `checks:` list",
        "rules/checks/c.yaml:1: check: Extra inputs are not permitted",
        "rules/checks/c.yaml:1: checks: Input should be a valid list",
    ]


def test_duplicate_check_ids_across_files_name_both_places(tmp_path):
    other = """\
checks:
  - id: footer-icp
    kind: footer_has
    title: ICP
    element: icp
  - id: qzqd-exists
    kind: exists
    title: 权责清单（重复）
    target: {names: [权责清单]}
"""
    problems = _errors(load_rules(_rules(tmp_path, checks={"a.yaml": GOOD_CHECKS, "b.yaml": other})).problems)
    assert [(p.file, p.line) for p in problems] == [("rules/checks/a.yaml", 2), ("rules/checks/b.yaml", 6)]
    assert all("rules/checks/a.yaml:2, rules/checks/b.yaml:6" in p.message for p in problems)


def test_profile_unknown_check_and_duplicate_ids(tmp_path):
    bad = GOOD_PROFILE.replace("checks: [footer-site-code]", "checks:\n      - footer-site-code\n      - footer-icp")
    profiles = {"a.yaml": bad, "b.yaml": GOOD_PROFILE}
    problems = _errors(load_rules(_rules(tmp_path, profiles=profiles)).problems)
    assert [str(p) for p in problems] == [
        "rules/profiles/a.yaml:1: id: profile id 'pingcheng-2024' is defined more than once: "
        "rules/profiles/a.yaml:1, rules/profiles/b.yaml:1",
        "rules/profiles/b.yaml:1: id: profile id 'pingcheng-2024' is defined more than once: "
        "rules/profiles/a.yaml:1, rules/profiles/b.yaml:1",
        "rules/profiles/a.yaml:15: items[1].checks[1]: unknown check id 'footer-icp'",
    ]


def test_profile_item_errors_point_at_the_item(tmp_path):
    bad = GOOD_PROFILE.replace("    manual: 需查阅内部台账\n", "").replace('number: "2"', 'number: "1"')
    problems = load_rules(_rules(tmp_path, profiles={"p.yaml": bad})).problems
    assert [(p.line, p.field, p.message) for p in _errors(problems)] == [
        (14, "items[2]", "an item needs checks or a manual reason")]
    fixed = GOOD_PROFILE.replace('number: "2"', 'number: "1"')
    (dup,) = _errors(load_rules(_rules(tmp_path / "2", profiles={"p.yaml": fixed})).problems)
    assert (dup.line, dup.field, dup.message) == (10, "items[1].number", "item number 1 appears twice")


def test_profile_wrong_types(tmp_path):
    bad = GOOD_PROFILE.replace("year: 2024", "year: 二〇二四").replace("checks: [qzqd-exists]", "checks: qzqd-exists")
    problems = load_rules(_rules(tmp_path, profiles={"p.yaml": bad})).problems
    assert [(p.line, p.field) for p in _errors(problems)] == [(4, "year"), (9, "items[0].checks")]


def test_warnings_unused_alias_and_deprecated(tmp_path):
    checks = GOOD_CHECKS + """\
  - id: old-check
    kind: exists
    title: 旧检查
    status: deprecated
    target: {names: [旧栏目]}
  - id: spare
    kind: exists
    title: 未使用
    target: {names: [备用]}
"""
    profile = GOOD_PROFILE.replace("checks: [footer-site-code]", "checks: [site-code, old-check]")
    rules = load_rules(_rules(tmp_path, checks={"c.yaml": checks}, profiles={"p.yaml": profile}))
    assert rules.errors == []
    assert sorted((p.line, p.message) for p in rules.warnings) == [
        (13, "'site-code' is a former id of check 'footer-site-code'"),
        (13, "check 'old-check' is deprecated"),
        (16, "check 'spare' is not used by any profile"),
    ]


def test_lint_reports_kind_modules_without_docstrings(tmp_path):
    undocumented = types.ModuleType("checker.engine.kinds.mystery")
    no_example = types.ModuleType("checker.engine.kinds.terse", "terse: does a thing.")
    problems = lint(_rules(tmp_path), kinds={**KINDS, "mystery": undocumented, "terse": no_example})
    assert [str(p) for p in problems] == [
        "checker/engine/kinds/mystery.py: kind module has no docstring (it is the kind's documentation)",
        "checker/engine/kinds/terse.py: warning: kind docstring has no Example section",
    ]


def test_lint_errors_come_before_warnings(tmp_path):
    checks = GOOD_CHECKS + "  - id: spare\n    kind: exists\n    title: 未使用\n    target: {names: [x]}\n"
    profile = GOOD_PROFILE.replace("checks: [qzqd-exists]", "checks: [nope]")
    problems = lint(_rules(tmp_path, checks={"c.yaml": checks}, profiles={"p.yaml": profile}))
    assert [p.level for p in problems] == ["error", "warning", "warning"]


def test_load_checks_and_profiles_directly(tmp_path):
    root = _rules(tmp_path)
    problems: list[Problem] = []
    assert list(load_checks(root / "checks", problems=problems)) == ["qzqd-exists", "footer-site-code"]
    assert list(load_profiles(root / "profiles", problems=problems)) == ["pingcheng-2024"]
    assert problems == []


def test_missing_directories_are_reported(tmp_path):
    problems = load_rules(tmp_path / "nowhere").problems
    assert [str(p) for p in problems] == ["nowhere/checks: directory not found", "nowhere/profiles: directory not found"]


def test_default_rules_dir_is_the_repo_rules_folder():
    assert DEFAULT_RULES_DIR.name == "rules"
    assert (DEFAULT_RULES_DIR.parent / "checker" / "__init__.py").exists()


def test_export_schemas_is_deterministic_and_usable(tmp_path):
    import jsonschema
    from ruamel.yaml import YAML

    first = [p.read_bytes() for p in export_schemas(tmp_path / "a")]
    second = [p.read_bytes() for p in export_schemas(tmp_path / "b")]
    assert first == second
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["check-file.schema.json", "profile.schema.json", "result.schema.json", "site.schema.json"]
    check_schema = json.loads((tmp_path / "a" / "check-file.schema.json").read_text(encoding="utf-8"))
    profile_schema = json.loads((tmp_path / "a" / "profile.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(YAML(typ="safe").load(GOOD_CHECKS), check_schema)
    jsonschema.validate(json.loads(json.dumps(YAML(typ="safe").load(GOOD_PROFILE))), profile_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"checks": [{"id": "x", "kind": "nope", "title": "t"}]}, check_schema)
    assert "权责清单" not in first[0].decode()  # schema text comes from the models, not the rules
