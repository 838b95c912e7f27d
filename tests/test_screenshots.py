"""`--screenshots`: Chromium pictures of the pages behind failed checks, linked from the
scorecard, while result.json stays what `checker evaluate` reproduces."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from checker.cli import main
from checker.crawl.browser import BrowserUnavailable, chromium_path
from checker.crawl.screenshots import INDEX_NAME, failed_evidence_urls, read_index, screenshot_file
from checker.demo.server import DemoPortal
from checker.report.json_report import read_json

TODAY = date(2026, 11, 21)


def _chromium() -> bool:
    try:
        chromium_path()
    except BrowserUnavailable:
        return False
    return True


@pytest.mark.skipif(not _chromium(), reason="Chromium is not installed (./dev setup installs it)")
def test_failed_items_get_screenshots_linked_from_the_scorecard(tmp_path):
    out = tmp_path / "out"
    with DemoPortal(today=TODAY) as portal:
        res = CliRunner().invoke(main, ["scan", portal.base_url, "--profile", "pingcheng-2024", "--out", str(out),
                                        "--as-of", TODAY.isoformat(), "--screenshots"])
    assert res.exit_code == 0, res.output
    assert "screenshots:" in res.output
    result = read_json(out / "result.json")
    urls = failed_evidence_urls(result)
    assert urls, "the demo has failed items"
    shots = read_index(out)
    assert set(shots) == set(urls)  # every failed evidence page was pictured
    for url, rel in shots.items():
        data = (out / rel).read_bytes()
        assert rel == screenshot_file(url) and data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
    tree = HTMLParser((out / "scorecard.html").read_text(encoding="utf-8"))
    links = {a.attributes["href"] for a in tree.css("a.shot")}
    assert links == set(shots.values())
    # Every failed check's evidence entry on the site links its page's screenshot.
    in_failed = set()
    for check in tree.css("div.check.st-fail"):
        in_failed |= {a.attributes["href"] for a in check.css("a.shot")}
    assert in_failed == set(shots.values())

    # Re-evaluating keeps result.json byte for byte and keeps linking the screenshots.
    before = (out / "result.json").read_bytes()
    res = CliRunner().invoke(main, ["evaluate", str(out / "snapshot.sqlite"), "--profile", "pingcheng-2024",
                                    "--evaluated-at", result.evaluated_at])
    assert res.exit_code == 0, res.output
    assert (out / "result.json").read_bytes() == before
    assert (out / INDEX_NAME).exists()
    again = HTMLParser((out / "scorecard.html").read_text(encoding="utf-8"))
    assert {a.attributes["href"] for a in again.css("a.shot")} == links
