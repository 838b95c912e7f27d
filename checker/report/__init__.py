"""Report stage: a ScanResult rendered to `result.json` and a self-contained HTML scorecard."""

from checker.report.html import render_scorecard, write_scorecard
from checker.report.json_report import dump_json, read_json, write_json

__all__ = ["dump_json", "read_json", "render_scorecard", "write_json", "write_scorecard"]
