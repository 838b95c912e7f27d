"""Every rule case in rules/cases/*.yaml, run through the real crawler and engine.

One test per case, id `<check-id>::<case name>`: the case's site is rendered as CMS pages,
crawled over an in-memory transport into a real snapshot, and the check evaluated on it
(`checker.engine.cases.run_case`). A case file that does not load, or names a check that
does not exist, is a failing test too, so a broken file cannot silently drop its cases.
"""

from __future__ import annotations

from functools import cache

import pytest

from checker.engine.cases import (
    Case,
    case_problems,
    describe_result,
    former_ids,
    load_case_file,
    mismatches,
    run_case,
)
from checker.engine.loader import DEFAULT_RULES_DIR, Problem, load_rules

CASES_DIR = DEFAULT_RULES_DIR / "cases"
BASE = DEFAULT_RULES_DIR.parent


@cache
def _checks():
    return load_rules(DEFAULT_RULES_DIR).checks


def _params():
    params = []
    for path in sorted(CASES_DIR.glob("*.y*ml")):
        problems: list[Problem] = []
        loaded = load_case_file(path, base=BASE, problems=problems)
        if loaded is None:
            message = "\n".join(str(p) for p in problems)
            params.append(pytest.param(None, None, message, id=f"{path.stem}::(file does not load)"))
            continue
        for case in loaded.cases:
            params.append(pytest.param(loaded.check, case, loaded.file, id=f"{loaded.check}::{case.name}"))
    return params


@pytest.mark.parametrize(("check_id", "case", "where"), _params())
def test_rule_case(check_id: str | None, case: Case | None, where: str):
    if case is None:
        pytest.fail(f"case file does not load:\n{where}")
    checks = _checks()
    check = checks.get(check_id) or checks.get(former_ids(checks).get(check_id, ""))
    if check is None:
        pytest.fail(f"{where}: no check {check_id!r} in rules/checks/ (or it does not load)")
    result = run_case(check, case)
    wrong = mismatches(case, result)
    assert not wrong, f"{where} [{case.name}]: " + "; ".join(wrong) + "\n" + describe_result(result)


def test_every_check_has_a_pass_and_a_fail_case():
    # What `checker rules lint` reports about cases: missing ones, unknown checks, invalid files.
    rules = load_rules(DEFAULT_RULES_DIR)
    problems = [p for p in case_problems(CASES_DIR, rules.checks, rules.check_sites, base=BASE) if p.level == "error"]
    assert not problems, f"{len(problems)} case problems (checker rules lint):\n" + "\n".join(map(str, problems))
