"""Two real scans of the demo portal for the history tests: as shipped, then after every
demo change (a fault fixed, a dead link removed, the guide's landline gone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from checker.demo.server import CHANGES
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.report import write_json
from checker.results import ScanResult
from tests.demo_scan import scan_demo

TODAY = date(2026, 11, 21)
PROFILES = ("pingcheng-2024", "national")


@dataclass(frozen=True)
class DemoScans:
    old: ScanResult
    new: ScanResult
    old_path: Path  # result.json
    new_path: Path


def _scan(out: Path, evaluated_at: str, changes: frozenset[str], rules) -> tuple[ScanResult, Path]:
    out.mkdir(parents=True)
    result = scan_demo(out, today=TODAY, evaluated_at=evaluated_at, profiles=PROFILES, changes=changes,
                       rules=rules)
    write_json(result, out / "result.json")
    return result, out / "result.json"


@pytest.fixture(scope="session")
def demo_scans(tmp_path_factory) -> DemoScans:
    root = tmp_path_factory.mktemp("history-demo")
    rules = load_rules(DEFAULT_RULES_DIR)
    old, old_path = _scan(root / "old", "2026-11-21T08:00:00Z", frozenset(), rules)
    new, new_path = _scan(root / "new", "2026-11-22T08:00:00Z", frozenset(CHANGES), rules)
    return DemoScans(old, new, old_path, new_path)
