from __future__ import annotations

from checker.results import Status

from ..builders import check, item, page, portal, run_check


def _blank(n, **kw):
    return page(f"/col/col{n}/index.html", kind="list", title=f"空栏目{n}", **kw)


def test_pass_with_few_blank_columns(make_snapshot):
    snap = make_snapshot([*portal(), _blank(1, empty=True)])
    out = run_check(snap, check("blank_columns", max=4))
    assert out.status == Status.PASS
    assert out.summary == "5 个栏目页中空白栏目 1 个（允许 ≤ 4 个）"
    assert [ev.found for ev in out.evidence[1:]] == ["暂无信息"]


def test_fail_lists_every_blank_column(make_snapshot):
    blanks = [_blank(n, empty=n % 2 == 0) for n in range(1, 6)]
    out = run_check(make_snapshot([*portal(), *blanks]), check("blank_columns", max=4))
    assert out.status == Status.FAIL
    assert "空白栏目 5 个（允许 ≤ 4 个）" in out.summary
    assert [ev.url.split("/")[-2] for ev in out.evidence[1:]] == [f"col{n}" for n in range(1, 6)]
    assert out.evidence[2].found == "暂无信息" and out.evidence[1].found == "列表为空"


def test_columns_with_items_are_not_blank(make_snapshot):
    cols = [_blank(n, items=(item("x", f"/x{n}.html", "2026-01-01"),)) for n in range(1, 8)]
    assert run_check(make_snapshot(cols), check("blank_columns", max=0)).status == Status.PASS


def test_unknown_on_partial_crawl_within_limit(make_snapshot):
    out = run_check(make_snapshot([*portal(), _blank(1, empty=True)], meta={"status": "partial"}),
                    check("blank_columns", max=4))
    assert out.status == Status.UNKNOWN
    assert "已发现 1 个空白栏目" in out.reason


def test_partial_crawl_over_limit_still_fails(make_snapshot):
    blanks = [_blank(n, empty=True) for n in range(1, 6)]
    out = run_check(make_snapshot(blanks, meta={"status": "partial"}), check("blank_columns", max=4))
    assert out.status == Status.FAIL


def test_script_loaded_lists_are_unverified(make_snapshot):
    cols = [_blank(1, empty=True), _blank(2, problem="列表由脚本加载")]
    snap = make_snapshot(cols)
    assert run_check(snap, check("blank_columns", max=1)).status == Status.UNKNOWN
    assert run_check(snap, check("blank_columns", max=2)).status == Status.PASS
