"""`result.json`: the ScanResult dumped as JSON, and read back.

The bytes are a function of the model only (pydantic keeps field order, the engine keeps list
order), so re-evaluating a snapshot with the same `evaluated_at` gives an identical file and
two scans can be diffed as text. Chinese stays readable (no `\\uXXXX` escapes).
"""

from __future__ import annotations

import os
from pathlib import Path

from checker.results import ScanResult


def dump_json(result: ScanResult) -> str:
    """The exact text `write_json` writes: indented JSON with aliases (`pass`), newline-terminated."""
    return result.model_dump_json(indent=2, by_alias=True) + "\n"


def write_json(result: ScanResult, path: Path) -> None:
    """Write `result` to `path` as UTF-8 JSON; replaces the file atomically."""
    _write_atomic(Path(path), dump_json(result).encode("utf-8"))


def read_json(path: Path) -> ScanResult:
    """Load a `result.json` written by `write_json` (or any file valid against its schema)."""
    return ScanResult.model_validate_json(Path(path).read_bytes())


def _write_atomic(path: Path, data: bytes) -> None:
    # A web server may be serving the reports folder: never let it see a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
