"""`checker report RESULT --format FMT …`: any report format from a stored result.json, no rescan.

Exit codes follow checker/cli.py: 0 written, 2 bad input (a file that is not a result.json,
an unusable --out).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NoReturn

import click
from pydantic import ValidationError

from checker.report.formats import FORMATS, output_path, write_report
from checker.results import RESULT_SCHEMA_VERSION, ScanResult

ALL = "all"
ERRORS_SHOWN = 5


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def _stored_version(data: bytes) -> str | None:
    try:
        version = json.loads(data).get("schema_version")
    except (ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def load_result(path: Path) -> ScanResult:
    """Read a result.json; exits 2 with a short, readable message when it is not one."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        return ScanResult.model_validate_json(data)
    except ValidationError as exc:
        problems = exc.errors(include_url=False, include_input=False)
        lines = [f"  {'.'.join(map(str, p['loc'])) or '(file)'}: {p['msg']}" for p in problems[:ERRORS_SHOWN]]
        if len(problems) > ERRORS_SHOWN:
            lines.append(f"  … and {len(problems) - ERRORS_SHOWN} more")
        version = _stored_version(data)
        hint = ""
        if version and version.split(".")[0] != RESULT_SCHEMA_VERSION.split(".")[0]:
            hint = f" (schema {version}; this checker reads {RESULT_SCHEMA_VERSION})"
        _fail(f"{path} is not a valid result.json{hint}:\n" + "\n".join(lines))


def _targets(result_path: Path, formats: list[str], out_arg: str | None) -> dict[str, Path]:
    """Output file per format. Several formats need a folder; one format takes a file or a
    folder (an existing one, or any path written with a trailing slash)."""
    out = None if out_arg is None else Path(out_arg)
    if out is None:
        folder = result_path.parent
    elif len(formats) > 1 or out.is_dir() or out_arg.endswith(("/", os.sep)):
        if out.exists() and not out.is_dir():
            _fail(f"--out {out} is a file; several formats need a folder")
        folder = out
    else:
        return {formats[0]: out}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"cannot create {folder}: {exc.strerror or exc}")
    return {fmt: output_path(fmt, folder) for fmt in formats}


def _screenshots(result_path: Path, html_path: Path) -> dict[str, str]:
    # Screenshot links are relative to the folder of the scan; elsewhere they would break.
    if html_path.resolve().parent != result_path.resolve().parent:
        return {}
    from checker.crawl.screenshots import read_index

    return read_index(result_path.parent)


@click.command("report")
@click.argument("result_path", metavar="RESULT", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--format", "-f", "formats", multiple=True, default=("html",), show_default=True,
              type=click.Choice([*FORMATS, ALL]), help="Report format (repeatable; `all` for every one).")
# A plain string, not a Path: a trailing slash ("reports/") says "folder" and Path would drop it.
@click.option("--out", "-o", type=click.Path(), default=None,
              help="Output file (one format) or folder (default: RESULT's folder, default file names).")
def report(result_path: Path, formats: tuple[str, ...], out: str | None) -> None:
    """Render RESULT (a stored result.json) as html, json, csv, junit or xlsx, without rescanning."""
    chosen = list(FORMATS) if ALL in formats else list(dict.fromkeys(formats))
    result = load_result(result_path)
    for fmt, path in _targets(result_path, chosen, out).items():
        if path.resolve() == result_path.resolve():
            click.echo(f"  {fmt}: {path} (the input itself, left as it is)")
            continue
        extras = {"screenshots": _screenshots(result_path, path)} if fmt == "html" else {}
        try:
            written = write_report(result, fmt, path, **extras)
        except OSError as exc:
            _fail(f"cannot write {path}: {exc.strerror or exc}")
        click.echo(f"  {fmt}: {written}")
