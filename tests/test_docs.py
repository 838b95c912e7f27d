"""Documentation that must not drift from the code: kinds, schemas, commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.engine.kinds import KINDS
from checker.engine.loader import export_schemas

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_is_documented_with_an_example(name):
    doc = KINDS[name].__doc__ or ""
    assert doc.startswith(f"{name}:"), f"kinds/{name}.py: the docstring should open with '{name}: …'"
    assert "Example" in doc and f"kind: {name}" in doc, f"kinds/{name}.py: the docstring needs an example rule"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_is_in_the_rules_guide(name):
    assert f"`{name}`" in (ROOT / "rules" / "README.md").read_text(encoding="utf-8")


def test_published_schemas_are_current(tmp_path):
    fresh = {p.name: p for p in export_schemas(tmp_path)}
    published = ROOT / "rules" / "schema"
    for name, path in fresh.items():
        committed = published / name
        assert committed.exists(), f"rules/schema/{name} missing: run `checker rules schema`"
        assert json.loads(committed.read_text(encoding="utf-8")) == json.loads(path.read_text(encoding="utf-8")), (
            f"rules/schema/{name} is stale: run `checker rules schema`")


@pytest.mark.parametrize("command", ["scan", "evaluate", "demo", "history", "diff", "report", "rules list",
                                     "rules lint", "rules schema", "rules doc", "rules coverage", "rules import"])
def test_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"checker {command}" in readme
    group = main
    for word in command.split():
        group = group.commands[word] if hasattr(group, "commands") else group
    assert group is not main


# -- generated rule documentation (checker rules doc / coverage) ------------------------------------
def _fresh_rule_docs() -> dict[str, str]:
    from checker.engine import ruledoc
    from checker.engine.cases import load_cases
    from checker.engine.loader import DEFAULT_RULES_DIR, load_rules

    return ruledoc.generate(load_rules(DEFAULT_RULES_DIR),
                            load_cases(DEFAULT_RULES_DIR / "cases", base=DEFAULT_RULES_DIR.parent))


def test_rule_docs_are_current():
    fresh = _fresh_rule_docs()
    docs = ROOT / "docs" / "rules"
    committed = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} if docs.is_dir() else set()
    stale = sorted(rel for rel, text in fresh.items()
                   if rel not in committed or (docs / rel).read_text(encoding="utf-8") != text)
    extra = sorted(committed - set(fresh))
    assert not stale and not extra, (
        f"docs/rules is stale: run `checker rules doc` (differs: {stale[:10]}, no longer generated: {extra[:10]})")


def test_rule_docs_do_not_depend_on_the_order_rules_are_read():
    # Files are read in name order today; the pages must not depend on that (nor on dict order).
    from dataclasses import replace

    from checker.engine import ruledoc
    from checker.engine.cases import load_cases
    from checker.engine.loader import DEFAULT_RULES_DIR, load_rules

    rules = load_rules(DEFAULT_RULES_DIR)
    cases = load_cases(DEFAULT_RULES_DIR / "cases", base=DEFAULT_RULES_DIR.parent)
    backwards = replace(rules, checks=dict(reversed(rules.checks.items())),
                        profiles=dict(reversed(rules.profiles.items())))
    assert ruledoc.generate(rules, cases) == ruledoc.generate(backwards, list(reversed(cases)))


def test_readme_coverage_table_is_current():
    from checker.engine import ruledoc
    from checker.engine.loader import DEFAULT_RULES_DIR, load_rules

    block = ruledoc.read_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "README.md lacks the <!-- coverage:start --> … <!-- coverage:end --> markers"
    fresh = ruledoc.coverage_markdown(load_rules(DEFAULT_RULES_DIR).profiles.values()).strip()
    assert block == fresh, "README.md's Rule coverage table is stale: run `checker rules coverage --update README.md`"
