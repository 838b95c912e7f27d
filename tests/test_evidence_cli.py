"""`checker evidence show` on a real scan of the demo portal, and the WARC references in
result.json: every pass/fail evidence entry about a fetched URL names the archived
response, and `--extract` gives back the bytes the server sent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.crawl.archive import WARC_NAME, find_response
from checker.demo.server import DemoPortal
from checker.report.json_report import read_json
from checker.results import Status

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def scan():
    """A scan of the demo portal through the CLI; the portal stays up for the module's tests."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, DemoPortal(today=TODAY) as portal:
        out = Path(tmp) / "out"
        res = CliRunner().invoke(main, ["scan", portal.base_url, "--profile", "pingcheng-2024", "--profile",
                                        "national", "--out", str(out), "--as-of", TODAY.isoformat()])
        assert res.exit_code == 0, res.output
        yield out, portal


def _failed_item(result, profile_id: str):
    profile = next(p for p in result.profiles if p.id == profile_id)
    return next(i for i in profile.items if i.status == Status.FAIL and any(
        ev.warc_record for c in i.checks for ev in c.evidence))


def test_pass_and_fail_evidence_reference_their_warc_record(scan):
    out, _ = scan
    result = read_json(out / "result.json")
    checked = 0
    for profile in result.profiles:
        for item in profile.items:
            for check in item.checks:
                if check.status not in (Status.PASS, Status.FAIL):
                    continue
                for ev in check.evidence:
                    if not (ev.url and ev.fetched_at and ev.http_status):
                        continue  # not about a fetch
                    assert ev.warc_record, (check.check_id, ev.url)
                    resp = find_response(out / WARC_NAME, ev.warc_record)
                    assert resp is not None and resp.status == ev.http_status, (check.check_id, ev.url)
                    checked += 1
    assert checked > 50


def test_show_prints_the_items_checks_and_evidence(scan):
    out, _ = scan
    result = read_json(out / "result.json")
    item = _failed_item(result, "pingcheng-2024")
    res = CliRunner().invoke(main, ["evidence", "show", str(out / "result.json"), item.number])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"事项 {item.number}　{item.name}")
    assert "状态：未通过" in res.output
    for check in item.checks:
        assert f"检查 {check.check_id}" in res.output
        for ev in check.evidence:
            if ev.url:
                assert f"网址：{ev.url}" in res.output
            if ev.warc_record:
                assert f"存档：{ev.warc_record}" in res.output
            if ev.http_status:
                assert f"HTTP 状态：{ev.http_status}" in res.output


def test_show_by_check_id_and_bad_input(scan):
    out, _ = scan
    result = read_json(out / "result.json")
    check = _failed_item(result, "national").checks[0]
    res = CliRunner().invoke(main, ["evidence", "show", str(out / "result.json"), check.check_id,
                                    "--profile", "national"])
    assert res.exit_code == 0, res.output
    assert res.output.count(f"检查 {check.check_id}") >= 1
    assert all(line.strip().startswith("检查 " + check.check_id)
               for line in res.output.splitlines() if line.strip().startswith("检查 "))
    res = CliRunner().invoke(main, ["evidence", "show", str(out / "result.json"), "no-such-item"])
    assert res.exit_code == 2 and "no item numbered" in res.output


def test_extract_writes_the_archived_bytes_the_server_sent(scan, tmp_path):
    out, portal = scan
    result = read_json(out / "result.json")
    item = _failed_item(result, "pingcheng-2024")
    res = CliRunner().invoke(main, ["evidence", "show", str(out / "result.json"), item.number,
                                    "--extract", str(tmp_path / "ex")])
    assert res.exit_code == 0, res.output
    bodies = sorted(p for p in (tmp_path / "ex").iterdir() if not p.name.endswith(".headers.txt"))
    assert bodies
    records = {ev.warc_record for c in item.checks for ev in c.evidence if ev.warc_record}
    assert len(bodies) == len(records)
    for body in bodies:
        assert str(body) in res.output
        headers = body.with_name(body.stem + ".headers.txt").read_text(encoding="utf-8")
        url = next(line.split(": ", 1)[1] for line in headers.splitlines() if line.startswith("WARC-Target-URI: "))
        live = httpx.get(url)  # the demo serves the same bytes for the same day
        assert body.read_bytes() == live.content, url
        assert headers.splitlines()[0].endswith(f"{live.status_code} {live.reason_phrase}")
        if "text/html" in live.headers.get("content-type", ""):
            assert body.suffix == ".html"


def test_result_json_schema_knows_warc_record():
    schema = json.loads((Path(__file__).parents[1] / "rules" / "schema" / "result.schema.json").read_text())
    assert "warc_record" in schema["$defs"]["Evidence"]["properties"]
