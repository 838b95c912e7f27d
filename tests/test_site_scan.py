"""`checker scan --site FILE`: the site file gives the URL, profiles, budget and waivers;
an option typed on the command line wins over the file; a bad file stops with file:line."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from checker.cli import main
from checker.demo.server import DemoPortal

TODAY = date(2026, 11, 21)

SITE = """\
id: yunxi
name: 云溪县人民政府
start_url: {url}
profiles: [national]
budget:
  max_pages: 5
politeness:
  concurrency: 2
render:
  mode: never
waivers:
  - profile: national
    item: N10
    status: not_applicable
    reason: 测试：备案号由上级统一挂载。
    author: 测试人
    expires: 2030-01-01
"""


def scan(args: list[str]):
    result = CliRunner().invoke(main, ["scan", *args, "--as-of", TODAY.isoformat()])
    return result


def test_the_site_file_drives_the_scan_and_typed_options_win(tmp_path):
    with DemoPortal(today=TODAY) as portal:
        site = tmp_path / "yunxi.yaml"
        site.write_text(SITE.format(url=portal.base_url), encoding="utf-8")
        small = scan(["--site", str(site), "--out", str(tmp_path / "reports" / "small")])
        assert small.exit_code == 0, small.output
        result = json.loads((tmp_path / "reports" / "small" / "result.json").read_text(encoding="utf-8"))
        assert result["site"] == "yunxi" and [p["id"] for p in result["profiles"]] == ["national"]
        assert result["scan"]["status"] == "partial" and result["scan"]["pages"] <= 5  # the file's budget
        n10 = next(i for i in result["profiles"][0]["items"] if i["number"] == "N10")
        assert n10["status"] == "not_applicable" and n10["waiver"]["author"] == "测试人"
        assert "history: scan #1 of yunxi" in small.output
        assert (tmp_path / "reports" / "history.sqlite").is_file()

        full = scan(["--site", str(site), "--max-pages", "500", "--out", str(tmp_path / "reports" / "full"),
                     "--no-history"])
        assert full.exit_code == 0, full.output
        result = json.loads((tmp_path / "reports" / "full" / "result.json").read_text(encoding="utf-8"))
        assert result["scan"]["status"] == "complete" and result["scan"]["pages"] > 100  # typed beats the file
        assert "history:" not in full.output


def test_a_bad_site_file_names_file_line_and_field(tmp_path):
    site = tmp_path / "bad.yaml"
    site.write_text(SITE.format(url="http://127.0.0.1:1/").replace("max_pages: 5", "max_pages: many"),
                    encoding="utf-8")
    result = scan(["--site", str(site), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{site.as_posix()}:6" in result.output and "max_pages" in result.output


def test_without_url_or_site_the_scan_says_what_is_missing(tmp_path):
    result = scan(["--out", str(tmp_path / "out"), "--profile", "national"])
    assert result.exit_code == 2 and "--site" in result.output
