"""Command line: `checker scan | evaluate | demo | rules`.

The CLI only wires stages together; each stage lives in its own package. Exit codes:
0 success, 1 the scan ran but the site was unreachable, 2 bad input (rules, arguments),
130 interrupted.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from checker import __version__
from checker.crawl.crawler import CrawlSettings, crawl
from checker.engine.evaluate import evaluate
from checker.engine.loader import DEFAULT_RULES_DIR, Rules, export_schemas, lint, load_rules
from checker.engine.waivers import apply_waivers
from checker.history.cli import diff_cmd, history_cmd
from checker.importer.cli import import_cmd
from checker.report import write_json, write_scorecard
from checker.report.cli import report
from checker.site.snapshot import Snapshot
from checker.siteconfig import SiteConfig, SiteConfigError, load_site

SNAPSHOT_NAME = "snapshot.sqlite"


def _now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _load(rules_dir: Path, profile_ids: tuple[str, ...]) -> tuple[Rules, list]:
    rules = load_rules(rules_dir)
    errors = [p for p in rules.problems if p.level == "error"]
    if errors:
        for p in errors:
            click.echo(str(p), err=True)
        raise SystemExit(2)
    missing = [p for p in profile_ids if p not in rules.profiles]
    if missing:
        known = ", ".join(sorted(rules.profiles))
        raise click.UsageError(f"unknown profile: {', '.join(missing)} (known: {known})")
    return rules, [rules.profiles[p] for p in profile_ids]


def _screenshots(result, out: Path) -> None:
    """Screenshots of failed checks' pages (needs the network and Chromium; skipped with a warning)."""
    from checker.crawl.browser import BrowserUnavailable
    from checker.crawl.screenshots import screenshot_failures

    try:
        shots = asyncio.run(screenshot_failures(result, out))
    except BrowserUnavailable as exc:
        click.echo(f"warning: screenshots skipped: {exc}", err=True)
        return
    failed = [s for s in shots if s.error]
    click.echo(f"screenshots: {len(shots) - len(failed)} taken" + (f", {len(failed)} failed" if failed else ""))


def _history(out: Path, history: str | None):
    """The history database a scan in `out` is recorded in: `--history` (URL or file), else
    $CHECKER_HISTORY_DB, else history.sqlite in the reports folder that holds `out`."""
    from checker.history.store import History

    return History(history or os.environ.get("CHECKER_HISTORY_DB") or None, reports_dir=out.resolve().parent)


def _evaluate_and_report(snapshot_path: Path, out: Path, rules: Rules, profiles: list,
                         evaluated_at: str | None, screenshots: bool = False, site: SiteConfig | None = None,
                         history: str | None | bool = None) -> str:
    """Evaluate a stored snapshot, apply the site file's waivers, record the scan in the
    history (unless `history` is False) and write result.json + scorecard.html, the
    scorecard with the changes since the site's previous scan and its trend. Returns the
    scan status."""
    from checker.crawl.screenshots import read_index
    from checker.history.diff import diff

    with Snapshot(snapshot_path) as snap:
        result = evaluate(snap, profiles, rules.checks, evaluated_at=evaluated_at or _now_utc(),
                          snapshot_name=snapshot_path.name)
    if site is not None:
        result = apply_waivers(result, site.result_waivers(), rules.profiles)
        result.site = site.id
    out.mkdir(parents=True, exist_ok=True)
    write_json(result, out / "result.json")
    if screenshots:
        _screenshots(result, out)
    changes, trend = None, None
    if history is not False:
        from checker.history.store import site_key

        with _history(out, history or None) as db:
            scan_id = db.record(result, out / "result.json")
            before = db.previous(scan_id)
            if before is not None:
                changes = diff(before[1], result, old_scan_id=before[0], new_scan_id=scan_id)
            trend = {p.id: db.trend(site_key(result), p.id) for p in result.profiles}
        click.echo(f"history: scan #{scan_id} of {site_key(result)} in {db.url}"
                   + ("" if before is not None else " (its first scan)"))
    # Screenshots are a report-side artifact: linked when present beside the scorecard.
    write_scorecard(result, out / "scorecard.html", read_index(out), diff=changes, trend=trend)
    for p in result.profiles:
        c = p.counts
        score = "—" if p.score is None else f"{p.score:g}"
        click.echo(f"  {p.id}: {score} {p.grade}  (pass {c.pass_}, fail {c.fail}, unknown {c.unknown}, "
                   f"manual {c.manual}, n/a {c.not_applicable})")
    click.echo(f"scorecard: {out / 'scorecard.html'}")
    return result.scan.status


def _clear_outputs(out: Path) -> None:
    for name in (SNAPSHOT_NAME, f"{SNAPSHOT_NAME}-wal", f"{SNAPSHOT_NAME}-shm", "result.json", "scorecard.html",
                 "crawl.warc.gz", "screenshots.json"):
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "screenshots", ignore_errors=True)


def _run_scan(settings: CrawlSettings, out: Path, rules: Rules, profiles: list, resume: bool,
              force: bool = False, screenshots: bool = False, site: SiteConfig | None = None,
              history: str | None | bool = None) -> int:
    snapshot_path = out / SNAPSHOT_NAME
    if force and not resume:
        _clear_outputs(out)
    if snapshot_path.exists() and not resume:
        raise click.UsageError(f"{snapshot_path} exists: add --resume to continue that scan, "
                               f"or --force to start over")
    if resume and not snapshot_path.exists():
        raise click.UsageError(f"--resume: no snapshot at {snapshot_path}")
    out.mkdir(parents=True, exist_ok=True)
    click.echo(f"scanning {settings.start_url} → {out}")
    try:
        summary = asyncio.run(crawl(settings, snapshot_path, resume=resume))
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: the partial snapshot is in {snapshot_path}; "
                   f"continue with the same command plus --resume", err=True)
        return 130
    click.echo(f"crawl {summary.status}: {summary.pages} pages, {summary.errors} fetch errors"
               + (f" ({summary.status_reason})" if summary.status != "complete" and summary.status_reason else ""))
    status = _evaluate_and_report(snapshot_path, out, rules, profiles, None, screenshots, site, history)
    return 1 if status == "unreachable" else 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checker")
def main() -> None:
    """Compliance checker for Chinese government portals (政务公开合规检查)."""


_screenshots_option = click.option(
    "--screenshots", is_flag=True,
    help="After evaluation, screenshot the pages behind failed checks (Chromium) into OUT/screenshots/.")
_rules_option = click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
                             default=DEFAULT_RULES_DIR, show_default=True, help="Rules folder (checks/, profiles/).")


_history_options = [
    click.option("--history", "history", default=None, metavar="DB",
                 help="History database (SQLAlchemy URL or SQLite file; default: $CHECKER_HISTORY_DB, else "
                      "history.sqlite in the folder that holds OUT)."),
    click.option("--no-history", is_flag=True, help="Do not record this scan in the history."),
]


def _with_history_options(f):
    for option in reversed(_history_options):
        f = option(f)
    return f


def _site_file(path: Path | None) -> SiteConfig | None:
    if path is None:
        return None
    try:
        return load_site(path)
    except SiteConfigError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(2) from exc


def _typed(name: str) -> bool:
    """Whether the user typed option `name` (it then wins over the site file)."""
    source = click.get_current_context().get_parameter_source(name)
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")


@main.command()
@click.argument("url", required=False)
@click.option("--site", "site_path", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Site file (sites/*.yaml): start URL, hosts, profiles, budget, politeness, render hints and "
                   "waivers. Options typed here win over it.")
@click.option("--profile", "profiles", multiple=True, help="Profile id (repeatable; default: the site file's).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Output folder.")
@click.option("--extra-host", "extra_hosts", multiple=True, help="Another host in scope (repeatable).")
@click.option("--max-pages", type=int, default=CrawlSettings.max_pages, show_default=True)
@click.option("--max-depth", type=int, default=CrawlSettings.max_depth, show_default=True)
@click.option("--max-time", type=float, default=CrawlSettings.max_seconds, show_default=True, help="Seconds.")
@click.option("--concurrency", type=int, default=CrawlSettings.concurrency, show_default=True,
              help="Concurrent requests per host.")
@click.option("--delay", type=float, default=CrawlSettings.delay, show_default=True,
              help="Seconds between requests to one host.")
@click.option("--timeout", type=float, default=CrawlSettings.timeout, show_default=True)
@click.option("--ignore-robots", is_flag=True,
              help="Do not obey robots.txt (only for auditors with authority to scan the site).")
@click.option("--resume", is_flag=True, help="Continue an interrupted scan in --out.")
@click.option("--force", is_flag=True, help="Replace an earlier scan's output in --out.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Scan date rules are judged against (default: today, Asia/Shanghai).")
@click.option("--render", type=click.Choice(["auto", "always", "never"]), default=CrawlSettings.render,
              show_default=True, help="Browser rendering: auto renders pages whose list is drawn by script "
              "and retries JavaScript challenges once; never uses no browser.")
@click.option("--render-url", "render_urls", multiple=True,
              help="Glob of URLs always rendered (repeatable), e.g. '*/gkmlpt/*'.")
@click.option("--render-budget", type=int, default=CrawlSettings.render_budget, show_default=True,
              help="Most pages rendered in one scan.")
@click.option("--incremental", "incremental", type=click.Path(path_type=Path, exists=True), default=None,
              help="A previous scan of the site (its folder or snapshot file): revisit it with conditional "
                   "requests and the revisit policy of docs/crawling-incremental.md.")
@_with_history_options
@_screenshots_option
@_rules_option
def scan(url, site_path, profiles, out, extra_hosts, max_pages, max_depth, max_time, concurrency, delay, timeout,
         ignore_robots, resume, force, as_of, render, render_urls, render_budget, rules_dir, screenshots,
         history, no_history, incremental=None) -> None:
    """Crawl URL (or the site file's start URL), evaluate the profiles, write scorecard.html,
    result.json and the snapshot to OUT, and record the scan in the history."""
    site = _site_file(site_path)
    if not url and site is None:
        raise click.UsageError("give the URL to scan, or --site FILE")
    profiles = profiles or (tuple(site.profiles) if site is not None else ())
    if not profiles:
        raise click.UsageError("give at least one --profile (or a site file that names profiles)")
    rules, chosen = _load(rules_dir, profiles)
    typed = {
        "extra_hosts": list(extra_hosts), "max_pages": max_pages, "max_depth": max_depth, "max_seconds": max_time,
        "concurrency": concurrency, "delay": delay, "timeout": timeout, "obey_robots": not ignore_robots,
        "render": render, "render_urls": list(render_urls), "render_budget": render_budget,
    }
    option_of = {"max_seconds": "max_time", "obey_robots": "ignore_robots"}
    values = dict(typed)
    if site is not None:
        overrides = site.crawl_overrides()
        values.update({k: v for k, v in overrides.items() if k != "start_url"
                       and not _typed(option_of.get(k, k))})
        if extra_hosts:  # hosts typed here add to the file's
            values["extra_hosts"] = list(dict.fromkeys([*overrides.get("extra_hosts", []), *extra_hosts]))
    settings = CrawlSettings(
        start_url=url or site.start_url, **values, as_of=as_of.date() if as_of else None,
        incremental=str(_previous_snapshot(incremental, out)) if incremental else "",
    )
    sys.exit(_run_scan(settings, out, rules, chosen, resume, force, screenshots, site=site,
                       history=False if no_history else history))


def _previous_snapshot(prev: Path, out: Path) -> Path:
    """The snapshot file `--incremental` names (a scan folder or the file itself)."""
    path = prev / SNAPSHOT_NAME if prev.is_dir() else prev
    if not path.is_file():
        raise click.UsageError(f"--incremental: no snapshot at {path}")
    if path.resolve() == (out / SNAPSHOT_NAME).resolve():
        raise click.UsageError("--incremental: give the previous scan's folder, not this scan's --out")
    return path


@main.command("evaluate")
@click.argument("snapshot", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--profile", "profiles", multiple=True, help="Profile id (repeatable; default: the site file's).")
@click.option("--site", "site_path", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Site file whose waivers apply (sites/*.yaml).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Output folder (default: the snapshot's folder).")
@click.option("--evaluated-at", default=None, help="Evaluation timestamp to record (default: now).")
@click.option("--history", "history", default=None, metavar="DB",
              help="Record this evaluation in a history database (URL or SQLite file); not recorded without.")
@_rules_option
def evaluate_cmd(snapshot, profiles, site_path, out, evaluated_at, history, rules_dir) -> None:
    """Re-run the rules on a stored SNAPSHOT, without any network access."""
    site = _site_file(site_path)
    profiles = profiles or (tuple(site.profiles) if site is not None else ())
    if not profiles:
        raise click.UsageError("give at least one --profile (or --site with a file that names profiles)")
    rules, chosen = _load(rules_dir, profiles)
    _evaluate_and_report(snapshot, out or snapshot.parent, rules, chosen, evaluated_at, site=site,
                         history=history or False)


DEMO_SITE = DEFAULT_RULES_DIR.parent / "sites" / "demo.yaml"


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("reports/demo"),
              show_default=True)
@click.option("--serve", is_flag=True, help="Keep the demo portal running after the scan (Ctrl-C to stop).")
@click.option("--change", "changes", multiple=True, metavar="NAME",
              help="Change the demo portal before scanning (repeatable): fix-fees, fix-dead-link, "
                   "break-guide-phone. Two demo runs, with and without, show a diff on the scorecard.")
@_with_history_options
@_screenshots_option
@_rules_option
def demo(out, serve, changes, history, no_history, rules_dir, screenshots) -> None:
    """Start the bundled demo county portal on 127.0.0.1 and scan it as sites/demo.yaml says."""
    from checker.demo.server import CHANGES, DemoPortal

    unknown = [c for c in changes if c not in CHANGES]
    if unknown:
        raise click.UsageError(f"unknown demo change: {', '.join(unknown)} (known: {', '.join(sorted(CHANGES))})")
    site = _site_file(DEMO_SITE)
    rules, chosen = _load(rules_dir, tuple(site.profiles))
    with DemoPortal(changes=changes) as portal:
        click.echo(f"demo portal (云溪县人民政府) at {portal.base_url}"
                   + (f", changed: {', '.join(changes)}" if changes else ""))
        settings = CrawlSettings(**{**site.crawl_overrides(), "start_url": portal.base_url}, as_of=portal.today)
        # The demo is a fresh scan every time; older demo output is not worth resuming.
        code = _run_scan(settings, out, rules, chosen, resume=False, force=True, screenshots=screenshots,
                         site=site, history=False if no_history else history)
        if serve and code == 0:
            click.echo("serving the demo portal; Ctrl-C to stop")
            try:
                while True:
                    asyncio.run(asyncio.sleep(3600))
            except KeyboardInterrupt:
                pass
    sys.exit(code)


@main.group()
def rules() -> None:
    """List, lint and export the rules."""


@rules.command("list")
@_rules_option
def rules_list(rules_dir) -> None:
    """List profiles with their items, and checks with their kinds."""
    loaded = load_rules(rules_dir)
    for p in loaded.profiles.values():
        manual = sum(1 for i in p.items if i.manual)
        click.echo(f"profile {p.id}: {p.title} — {len(p.items)} items ({len(p.items) - manual} checked, "
                   f"{manual} manual) [{p.source}]")
    for c in sorted(loaded.checks.values(), key=lambda c: c.id):
        click.echo(f"check   {c.id:<36} {c.kind:<16} {c.title}")
    for problem in loaded.problems:
        click.echo(str(problem), err=True)


@rules.command("lint")
@_rules_option
def rules_lint(rules_dir) -> None:
    """Validate every rule file; report file, line and field for each problem."""
    problems = lint(rules_dir)
    for p in problems:
        click.echo(str(p), err=True)
    errors = [p for p in problems if p.level == "error"]
    click.echo(f"{len(errors)} errors, {len(problems) - len(errors)} warnings")
    sys.exit(1 if errors else 0)


@rules.command("doc")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_RULES_DIR.parent / "docs" / "rules", show_default=True)
@_rules_option
def rules_doc(out, rules_dir) -> None:
    """Write a Markdown page per check and per profile (with its cases) to OUT."""
    from checker.engine import ruledoc
    from checker.engine.cases import load_cases

    loaded = _load_for_docs(rules_dir)
    problems: list = []
    cases = load_cases(Path(rules_dir) / "cases", base=Path(rules_dir).parent, problems=problems)
    for p in problems:  # an invalid case file is left out of the pages; lint reports it as an error
        click.echo(str(p), err=True)
    files = ruledoc.generate(loaded, cases)
    written, removed = ruledoc.write(out, files)
    for path in removed:
        click.echo(f"removed {path}")
    click.echo(f"{len(files)} pages in {out} ({len(written)} written, {len(removed)} removed)")


@rules.command("coverage")
@click.option("--markdown", is_flag=True, help="Markdown, as in the README's Rule coverage section.")
@click.option("--update", "update", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Rewrite the Markdown table between the coverage markers of this file (e.g. README.md).")
@_rules_option
def rules_coverage(markdown, update, rules_dir) -> None:
    """Per profile: items automated, partly automated and manual, and why the manual ones are."""
    from checker.engine import ruledoc

    profiles = list(_load_for_docs(rules_dir).profiles.values())
    if update is not None:
        text = update.read_text(encoding="utf-8")
        try:
            new = ruledoc.replace_block(text, ruledoc.coverage_markdown(profiles))
        except ValueError as exc:
            raise click.UsageError(f"{update}: {exc}") from exc
        if new != text:
            update.write_text(new, encoding="utf-8")
        click.echo(f"{update}: coverage {'updated' if new != text else 'already current'}")
        return
    click.echo(ruledoc.coverage_markdown(profiles) if markdown else ruledoc.coverage_text(profiles), nl=False)


def _load_for_docs(rules_dir: Path) -> Rules:
    """The valid rules; problems are reported (to stderr) but do not stop documentation."""
    loaded = load_rules(rules_dir)
    for p in loaded.errors:
        click.echo(str(p), err=True)
    return loaded


@rules.command("schema")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_RULES_DIR / "schema", show_default=True)
def rules_schema(out) -> None:
    """Export JSON Schemas for check files, profiles and result.json."""
    for path in export_schemas(out):
        click.echo(str(path))



@main.group()
def evidence() -> None:
    """Show the evidence behind a result, with its archived responses."""


@evidence.command("show")
@click.argument("result", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("item")
@click.option("--profile", default=None, help="Profile id, when the item number exists in several.")
@click.option("--extract", "extract_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Write each evidence page's archived body and headers (from crawl.warc.gz) into this folder.")
def evidence_show(result, item, profile, extract_dir) -> None:
    """Print ITEM (an item number or a check id) of RESULT (a result.json) with every evidence entry."""
    from checker.report.evidence import EvidenceError, extract, open_scan, render, select

    try:
        scan = open_scan(result)
        chosen = select(scan.result, item, profile)
        click.echo(render(scan, chosen), nl=False)
        if extract_dir is not None:
            files = extract(scan, chosen, extract_dir)
            click.echo(f"\n已从存档导出 {len(files)} 个响应到 {extract_dir}：")
            for record_id, body, headers in files:
                click.echo(f"  {record_id}\n    正文：{body}\n    响应头：{headers}")
    except EvidenceError as exc:
        raise click.UsageError(str(exc)) from exc


main.add_command(report)
main.add_command(history_cmd)
main.add_command(diff_cmd)
rules.add_command(import_cmd, "import")

if __name__ == "__main__":
    main()
