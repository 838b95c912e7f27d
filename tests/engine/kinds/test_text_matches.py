from __future__ import annotations

import pytest
from pydantic import ValidationError

from checker.results import Status

from ..builders import check, error, item, page, portal, run_check, url

GUIDE = {"scope": "page", "names": ["政府信息公开指南"]}


def test_pass_with_each_match_and_context(make_snapshot):
    out = run_check(make_snapshot(portal()),
                    check("text_matches", target=GUIDE, patterns=["landline", "fax", "email"], keywords=["办公地址"]))
    assert out.status == Status.PASS
    found = {ev.looked_for: ev.found for ev in out.evidence}
    assert found == {"固定电话": "0352-2043166", "传真号码": "传真号码：0352-2043167",
                     "电子邮箱": "pcqzfxxgk@163.com", "「办公地址」": "办公地址"}
    assert all(ev.url == url("/zwgk/zn/202603/t20260301_77.html") for ev in out.evidence)
    assert "联系电话：0352-2043166" in out.evidence[0].context


def test_fail_lists_what_is_missing_and_where(make_snapshot):
    out = run_check(make_snapshot(portal()),
                    check("text_matches", target=GUIDE, patterns=["landline", "validity_period"]))
    assert out.status == Status.FAIL
    assert out.summary == "页面「政府信息公开指南」正文中找到固定电话，但未找到有效期"
    missing = out.evidence[-1]
    assert missing.looked_for == "有效期" and missing.note == "未找到"
    assert missing.where == "「平城区人民政府信息公开指南」的正文"


def test_mode_any(make_snapshot):
    snap = make_snapshot(portal())
    out = run_check(snap, check("text_matches", target=GUIDE, patterns=["validity_period", "email"], mode="any"))
    assert out.status == Status.PASS
    none = run_check(snap, check("text_matches", target=GUIDE, patterns=["validity_period", "id_card"], mode="any"))
    assert none.status == Status.FAIL
    assert none.summary == "页面「政府信息公开指南」正文中未找到有效期、身份证号中的任何一项"


def test_body_region_ignores_the_footer(make_snapshot):
    # The footer's phone number is on every page; a guide must give its own.
    pages = portal()
    doc = next(p for p in pages if p.url.endswith("t20260301_77.html"))
    doc.body = "本指南说明政府信息公开的方式。"
    doc.footer = "联系电话：0352-2043166"
    doc.text = doc.body + doc.footer
    snap = make_snapshot(pages)
    assert run_check(snap, check("text_matches", target=GUIDE, patterns=["landline"])).status == Status.FAIL
    whole = run_check(snap, check("text_matches", target=GUIDE, patterns=["landline"], region="text"))
    assert whole.status == Status.PASS


def test_column_scope_reads_the_newest_document(make_snapshot):
    out = run_check(make_snapshot(portal()),
                    check("text_matches", target={"names": ["行政规范性文件"]}, patterns=["validity_period"]))
    assert out.status == Status.PASS
    assert out.evidence[0].url.endswith("t20261003_103.html")


def test_unknown_when_the_document_was_not_fetched(make_snapshot):
    pages = [p for p in portal() if not p.url.endswith("t20260301_77.html")]
    snap = make_snapshot(pages, errors=[error("/zwgk/zn/202603/t20260301_77.html", "blocked", 403)])
    out = run_check(snap, check("text_matches", target=GUIDE, patterns=["landline"]))
    assert out.status == Status.UNKNOWN
    assert "最新文档未抓取" in out.reason


def test_unknown_when_the_body_is_empty(make_snapshot):
    snap = make_snapshot([
        page("/", kind="home", depth=0),
        page("/zwgk/zn/", kind="list", title="政府信息公开指南", items=(item("指南", "/zwgk/zn/1.html", "2026-01-01"),)),
        page("/zwgk/zn/1.html", kind="detail", title="指南", body="", problem="正文由脚本渲染"),
    ])
    out = run_check(snap, check("text_matches", target=GUIDE, patterns=["landline"]))
    assert out.status == Status.UNKNOWN
    assert "正文由脚本渲染" in out.reason


def test_keyword_alternatives_any_one_per_keyword(make_snapshot):
    # The guide says 办公时间 but not 工作时间, and 办公地址: both keywords are met in mode all.
    snap = make_snapshot(portal())
    out = run_check(snap, check("text_matches", target=GUIDE, keywords=["工作时间|办公时间", "地址|办公地点"]))
    assert out.status == Status.PASS
    assert out.summary == "页面「政府信息公开指南」正文中找到「办公时间」、「地址」"
    hours = out.evidence[0]
    assert hours.looked_for == "「工作时间」或「办公时间」"
    assert hours.found == "办公时间" and hours.note == "匹配「办公时间」"
    assert "办公时间：周一至周五" in hours.context


def test_keyword_alternatives_missing_are_named_together(make_snapshot):
    out = run_check(make_snapshot(portal()),
                    check("text_matches", target=GUIDE, keywords=["办公时间|工作时间", "受理时间|接待时间"]))
    assert out.status == Status.FAIL
    assert out.summary == "页面「政府信息公开指南」正文中找到「办公时间」，但未找到「受理时间」或「接待时间」"
    assert out.evidence[-1].looked_for == "「受理时间」或「接待时间」" and out.evidence[-1].note == "未找到"


def test_a_single_keyword_is_unchanged(make_snapshot):
    out = run_check(make_snapshot(portal()), check("text_matches", target=GUIDE, keywords=["办公地址"]))
    assert out.evidence[0].looked_for == "「办公地址」" and out.evidence[0].note is None


@pytest.mark.parametrize("keyword", ["办公时间||工作时间", "|办公时间", "办公时间| "])
def test_a_keyword_with_an_empty_alternative_is_refused(keyword):
    with pytest.raises(ValidationError, match="empty alternative"):
        check("text_matches", target=GUIDE, keywords=[keyword])
