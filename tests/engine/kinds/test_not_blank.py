from __future__ import annotations

from checker.results import Status

from ..builders import check, error, item, link, page, portal, run_check

HOME = page("/", kind="home", depth=0, links=(link("/zwgk/czyjs/", "财政预决算"),))


def _column(**kw):
    return page("/zwgk/czyjs/", kind="list", title="财政预决算", breadcrumb=("首页", "政府信息公开", "财政预决算"), **kw)


def test_pass_with_items(make_snapshot):
    out = run_check(make_snapshot(portal()), check("not_blank", target={"names": ["权责清单"]}))
    assert out.status == Status.PASS
    assert out.summary == "栏目「权责清单」有 2 条信息（要求至少 1 条）"
    assert out.evidence[0].found == "2 条信息"


def test_fail_on_zanwu_xinxi(make_snapshot):
    snap = make_snapshot([HOME, _column(empty=True, body="暂无信息")])
    out = run_check(snap, check("not_blank", target={"names": ["财政预决算"]}))
    assert out.status == Status.FAIL
    assert out.summary == "栏目「财政预决算」为空白栏目（暂无信息）"
    assert out.evidence[0].found == "暂无信息"


def test_fail_on_empty_list(make_snapshot):
    out = run_check(make_snapshot([HOME, _column()]), check("not_blank", target={"names": ["财政预决算"]}))
    assert out.status == Status.FAIL
    assert out.evidence[0].found == "列表为空"


def test_fail_below_min_items(make_snapshot):
    snap = make_snapshot([HOME, _column(items=(item("2026年预算", "/a.html", "2026-02-01"),))])
    out = run_check(snap, check("not_blank", target={"names": ["财政预决算"]}, min_items=3))
    assert out.status == Status.FAIL
    assert "仅有 1 条信息（要求至少 3 条）" in out.summary


def test_unknown_when_the_list_is_loaded_by_script(make_snapshot):
    snap = make_snapshot([HOME, _column(problem="列表由脚本从 /api/list 加载")])
    out = run_check(snap, check("not_blank", target={"names": ["财政预决算"]}))
    assert out.status == Status.UNKNOWN
    assert "脚本" in out.reason


def test_unknown_when_the_column_was_blocked(make_snapshot):
    snap = make_snapshot([HOME], errors=[error("/zwgk/czyjs/", "timeout", anchor="财政预决算")])
    out = run_check(snap, check("not_blank", target={"names": ["财政预决算"]}))
    assert out.status == Status.UNKNOWN


def test_page_scope_judges_text_length(make_snapshot):
    snap = make_snapshot(portal())
    good = run_check(snap, check("not_blank", target={"scope": "page", "names": ["政府信息公开指南"]}))
    assert good.status == Status.PASS
    assert good.evidence[0].url.endswith("t20260301_77.html")
    strict = run_check(snap, check("not_blank", target={"scope": "page", "names": ["政府信息公开指南"]},
                                   min_chars=5000))
    assert strict.status == Status.FAIL
    assert "要求至少 5000 字" in strict.summary


def test_other_page_column_with_short_body_fails(make_snapshot):
    snap = make_snapshot([HOME, page("/zwgk/czyjs/", title="财政预决算", body="建设中")])
    out = run_check(snap, check("not_blank", target={"names": ["财政预决算"]}))
    assert out.status == Status.FAIL
    assert out.evidence[0].found == "正文 3 字"
