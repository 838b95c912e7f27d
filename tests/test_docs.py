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


@pytest.mark.parametrize("command", ["scan", "evaluate", "demo", "rules list", "rules lint", "rules schema"])
def test_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"checker {command}" in readme
    group = main
    for word in command.split():
        group = group.commands[word] if hasattr(group, "commands") else group
    assert group is not main
