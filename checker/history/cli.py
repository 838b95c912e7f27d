"""`checker history SITE` and `checker diff OLD NEW`.

Registered on the main group by checker/cli.py:

    from checker.history.cli import diff_cmd, history_cmd
    main.add_command(history_cmd)
    main.add_command(diff_cmd)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from pydantic import ValidationError

from checker.history.diff import diff, format_diff
from checker.history.store import DEFAULT_REPORTS_DIR, History
from checker.results import ScanResult

DB_ENV = "CHECKER_HISTORY_DB"

_db_option = click.option(
    "--db", default=None, envvar=DB_ENV, show_envvar=True,
    help="History database: a SQLAlchemy URL (postgresql+psycopg://user@host/db) or a SQLite file path. "
         "Default: REPORTS/history.sqlite.")
_reports_option = click.option(
    "--reports", "reports_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_REPORTS_DIR,
    show_default=True, help="Reports folder holding the default history.sqlite.")


def _score(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


@click.command("history")
@click.argument("site", required=False)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Newest scans to list.")
@_db_option
@_reports_option
def history_cmd(site, limit, db, reports_dir) -> None:
    """List the recorded scans of SITE, oldest first: id, time, status, pages, score per
    profile. SITE is the site file's id, else the start URL's host. Without SITE, list the
    sites the history knows. Exit status 1 when SITE has no recorded scan."""
    with History(db, reports_dir) as history:
        if not site:
            for name in history.sites():
                click.echo(name)
            return
        rows = history.scans(site, limit=limit)
        if not rows:
            known = "、".join(history.sites()) or "（无）"
            click.echo(f"历史记录中没有站点 {site} 的扫描。已记录的站点：{known}", err=True)
            sys.exit(1)
    profiles: list[str] = []
    for row in rows:
        profiles += [p for p in row.profiles if p not in profiles]
    header = ["id", "评估时间", "扫描日", "状态", "页面", *profiles]
    table = [[str(r.id), r.evaluated_at, r.as_of, r.scan_status, str(r.pages),
              *(_score(r.profiles[p]) if p in r.profiles else "" for p in profiles)] for r in rows]
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _read_result(path: Path) -> ScanResult:
    if path.is_dir():
        path = path / "result.json"
    try:
        return ScanResult.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError) as exc:
        raise click.BadParameter(f"{path}: not a readable result.json ({str(exc).splitlines()[0]})") from exc


class _Lazy:
    """Opens the history only when a scan id is asked for, so diffing two files needs no database."""

    def __init__(self, db: str | None, reports_dir: Path):
        self.db, self.reports_dir, self.history = db, reports_dir, None
        self.near: Path | None = None  # a scan folder named on the command line

    def get(self) -> History:
        if self.history is None:
            db, reports_dir = self.db, self.reports_dir
            if (db is None and self.reports_dir == DEFAULT_REPORTS_DIR and self.near is not None
                    and (self.near.parent / "history.sqlite").is_file()):
                # `checker scan --out reports/x/` records in reports/history.sqlite: the
                # database beside the scan's folder is the one it was recorded in.
                reports_dir = self.near.parent
            self.history = History(db, reports_dir)
        return self.history

    def close(self) -> None:
        if self.history is not None:
            self.history.close()


def _resolve(arg: str, lazy: _Lazy) -> tuple[ScanResult, int | None]:
    path = Path(arg)
    if path.exists():
        lazy.near = lazy.near or (path if path.is_dir() else path.parent).resolve()
        return _read_result(path), None
    if arg.isdigit():
        try:
            return lazy.get().load(int(arg)), int(arg)
        except KeyError as exc:
            raise click.BadParameter(f"no scan {arg} in the history", param_hint="OLD/NEW") from exc
    raise click.BadParameter(f"{arg}: neither a result.json (or its folder) nor a history scan id",
                             param_hint="OLD/NEW")


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--profile", "profiles", multiple=True, help="Compare only this profile (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON (ScanDiff) instead of text.")
@_db_option
@_reports_option
def diff_cmd(old, new, profiles, as_json, db, reports_dir) -> None:
    """Print what changed from scan OLD to scan NEW: newly failing, fixed, still failing and
    newly unknown items per profile.

    OLD and NEW are result.json files (or the folders holding them) or scan ids of the
    history; OLD may be `previous`: the scan of NEW's site evaluated just before NEW.

    Exit status: 0 when nothing newly fails, 1 when an item newly fails or a still-failing
    item fails somewhere new (a new finding), 2 on bad input. Made for nightly jobs and CI.
    """
    lazy = _Lazy(db, reports_dir)
    try:
        new_result, new_id = _resolve(new, lazy)
        if old == "previous":
            found = lazy.get().previous(new_id if new_id is not None else new_result)
            if found is None:
                raise click.BadParameter("the history has no earlier scan of this site", param_hint="OLD")
            old_id, old_result = found
        else:
            old_result, old_id = _resolve(old, lazy)
    finally:
        lazy.close()
    result = diff(old_result, new_result, profiles=profiles or None, old_scan_id=old_id, new_scan_id=new_id)
    if profiles and not result.profiles:
        raise click.BadParameter(f"no profile {', '.join(profiles)} in both scans", param_hint="--profile")
    click.echo(result.model_dump_json(indent=2) if as_json else format_diff(result))
    sys.exit(1 if result.has_new_failures else 0)
