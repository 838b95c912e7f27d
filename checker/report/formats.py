"""Every report format by name: one place that knows how to write a ScanResult as each.

`write_report(result, "xlsx", out)` writes one format; `out` may be a file or a folder (then
the format's default file name is used). Extras (`screenshots=`, `diff=`, `trend=` …) are
for the HTML scorecard; the tabular formats have nothing to do with them and ignore them,
so a caller can pass the same extras for every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.report.csv_export import write_csv
from checker.report.html import write_scorecard
from checker.report.json_report import write_json
from checker.report.junit import write_junit
from checker.report.xlsx import write_xlsx
from checker.results import ScanResult

Writer = Callable[..., None]


def _html(result: ScanResult, path: Path, **extras) -> None:
    write_scorecard(result, path, **extras)


def _plain(write: Callable[[ScanResult, Path], None]) -> Writer:
    def writer(result: ScanResult, path: Path, **_extras) -> None:
        write(result, path)

    writer.__doc__ = write.__doc__
    return writer


FORMATS: dict[str, Writer] = {
    "html": _html,
    "json": _plain(write_json),
    "csv": _plain(write_csv),
    "junit": _plain(write_junit),
    "xlsx": _plain(write_xlsx),
}

DEFAULT_NAMES = {
    "html": "scorecard.html",
    "json": "result.json",
    "csv": "items.csv",
    "junit": "junit.xml",
    "xlsx": "remediation.xlsx",
}


class UnknownFormat(ValueError):
    pass


def output_path(fmt: str, out: Path) -> Path:
    """Where `fmt` goes for `out`: `out` itself, or the default name inside `out` when it is a folder."""
    out = Path(out)
    return out / DEFAULT_NAMES[fmt] if out.is_dir() else out


def write_report(result: ScanResult, fmt: str, out_path: Path, **extras) -> Path:
    """Write `result` as `fmt` (a key of FORMATS) to `out_path` (file or existing folder);
    return the file written. Raises UnknownFormat for a name not in FORMATS."""
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise UnknownFormat(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})") from None
    path = output_path(fmt, out_path)
    writer(result, path, **extras)
    return path
