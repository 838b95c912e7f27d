"""`checker rules import FILE --id ID [--out PATH] [--force]`."""

from __future__ import annotations

from pathlib import Path

import click

from checker.engine.loader import DEFAULT_RULES_DIR

from .model import ImportProblem

_ROLE_NAMES = {"number": "序号", "name": "任务名称", "group": "分类", "content": "内容", "requirement": "要求",
               "lead_unit": "牵头单位", "units": "责任单位", "deadline": "完成时限"}


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--id", "profile_id", required=True, help="Profile id, e.g. mycounty-2025 (a-z, 0-9, -).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Output file (default: rules/profiles/<id>.yaml).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_RULES_DIR,
              show_default=True, help="Rules folder: its checks are what items are matched against.")
def import_cmd(file: Path, profile_id: str, out: Path | None, force: bool, rules_dir: Path) -> None:
    """Turn a task list (.txt, .docx, .xlsx, .pdf) into a profile skeleton to review."""
    import re

    from .profile_writer import OutputExists, write_profile
    from .run import import_file

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", profile_id):
        raise click.UsageError(f"--id {profile_id!r}: use lower-case letters, digits and '-'")
    out = out or Path(rules_dir) / "profiles" / f"{profile_id}.yaml"
    if out.exists() and not force:  # say so before the work, not after
        click.echo(f"error: {out} already exists; use --force to replace it", err=True)
        raise SystemExit(2)
    try:
        imported = import_file(file, profile_id, rules_dir=rules_dir)
        write_profile(imported, profile_id, out, force=force)
    except (ImportProblem, OutputExists) as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from exc
    r = imported.report
    cols = "、".join(f"{_ROLE_NAMES.get(role, role)}（{text}）" for role, text in r.columns.items())
    click.echo(f"items found: {r.items}")
    click.echo(f"columns recognised: {cols or '—'}")
    click.echo(f"items with suggested checks: {r.with_suggestions}")
    click.echo(f"items left for a person: {r.left_for_a_person}")
    if not imported.suggestions_available:
        click.echo("note: check suggestions are not available; every item is manual", err=True)
    for problem in r.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"wrote {out} (numbering: {imported.numbering})")
    click.echo("review the items marked suggested: true, then run: checker rules lint")
