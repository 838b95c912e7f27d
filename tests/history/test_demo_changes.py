"""The demo portal's optional changes: what the history's diff is shown with."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from checker.demo.server import CHANGES, SITE_DIR, DemoPortal

TODAY = date(2026, 11, 21)
FEE_PAGE = "zwgk/sf/202505/t20250528_3401.html"


def _get(portal: DemoPortal, path: str) -> httpx.Response:
    return httpx.get(portal.base_url + path, timeout=5)


def test_unknown_change_is_refused():
    with pytest.raises(ValueError, match="fix-fees"):
        DemoPortal(changes={"fix-everything"})


def test_a_change_touches_only_its_own_pages():
    """fix-fees alone: the fee column differs, pages of the other changes are the same bytes."""
    with DemoPortal(today=TODAY) as plain, DemoPortal(today=TODAY, changes={"fix-fees"}) as fees:
        for path in ("", "zwgk/zfxxgkzn/202412/t20241212_3001.html", "zwgk/czyjs/"):
            a, b = _get(plain, path), _get(fees, path)
            assert a.status_code == 200 and a.content == b.content, path
        assert _get(plain, FEE_PAGE).status_code == 404 and _get(fees, FEE_PAGE).status_code == 200
        assert "暂无信息" in _get(plain, "zwgk/sf/").content.decode("gb18030")
        assert "暂无信息" not in _get(fees, "zwgk/sf/").content.decode("gb18030")


def test_each_change_serves_the_edited_site():
    with DemoPortal(today=TODAY, changes=CHANGES) as portal:
        fees = _get(portal, "zwgk/sf/").content.decode("gb18030")
        assert "暂无信息" not in fees and "云溪县行政事业性收费项目目录清单" in fees
        page = _get(portal, FEE_PAGE)
        assert page.status_code == 200 and "收费项目目录清单" in page.content.decode("gb18030")
        assert "{{" not in page.content.decode("gb18030")  # its date tokens are rendered
        guide = _get(portal, "zwgk/zfxxgkzn/202412/t20241212_3001.html").content.decode("gb18030")
        body = guide.split('id="zoom"')[1].split('class="footer"')[0]
        assert "0352-6012345" not in body and "0352-6012300" not in body
        assert "传真号码：0352-6012346" in body
        assert 'href="/xwzx/lszt/"' not in _get(portal, "").content.decode("gb18030")
        assert ("/zwgk/sf/202505/t20250528_3401.html", "云溪县行政事业性收费项目目录清单") in portal.titles()


def test_a_change_that_no_longer_applies_fails_loudly(monkeypatch):
    from checker.demo import server

    monkeypatch.setitem(server.CHANGES, "stale", server.PortalChange("x", (("index.html", "no such text", ""),)))
    assert "no such text" not in (SITE_DIR / "index.html").read_text(encoding="utf-8")
    with pytest.raises(RuntimeError, match="no longer applies"):
        DemoPortal(today=TODAY, changes={"stale"}).titles()
