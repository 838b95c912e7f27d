"""required_publications: 预决算, 抽查计划, 规划 … found by their titles on a TRS-style portal (as_of 2026-11-21)."""

from __future__ import annotations

from datetime import date

import pytest

from checker.engine.kinds.required_publications import due_date, expand
from checker.results import Status

from ..builders import check, error, item, link, page, portal, run_check, url

CZYJS = {"names": ["财政预决算", "预决算公开"], "url_hints": ["czyjs"]}
BUDGET = {"name": "本年度预算", "title": ["{year}年", "预算"], "target": CZYJS}
ACCOUNTS = {"name": "上年度决算", "title": ["{year-1}年", "决算"], "target": CZYJS}
CRUMBS = ("首页", "政府信息公开", "财政预决算")


def _czyjs(*, gov_items=None, dept_items=None):
    """财政预决算 as a hub with two sub-columns, each a TRS list under /zwgk/czyjs/."""
    hub = page("/zwgk/czyjs/", title="财政预决算_大同市平城区人民政府", breadcrumb=CRUMBS,
               body="政府预决算 部门预决算",
               links=(link("/zwgk/czyjs/zfyjs/", "政府预决算", "body"), link("/zwgk/czyjs/bmyjs/", "部门预决算", "body")))
    gov = page("/zwgk/czyjs/zfyjs/", kind="list", title="政府预决算_财政预决算_大同市平城区人民政府",
               breadcrumb=(*CRUMBS, "政府预决算"), items=tuple(gov_items if gov_items is not None else (
                   item("平城区2026年政府预算公开", "/zwgk/czyjs/zfyjs/202602/t20260215_301.html", "2026-02-15"),
                   item("平城区2025年一般公共预算执行情况", "/zwgk/czyjs/zfyjs/202508/t20250820_280.html", "2025-08-20"),
               )))
    dept = page("/zwgk/czyjs/bmyjs/", kind="list", title="部门预决算_财政预决算_大同市平城区人民政府",
                breadcrumb=(*CRUMBS, "部门预决算"), items=tuple(dept_items if dept_items is not None else (
                    item("平城区教育局2025年度部门决算", "/zwgk/czyjs/bmyjs/202609/t20260910_311.html", "2026-09-10"),
                    item("平城区教育局2026年部门预算", "/zwgk/czyjs/bmyjs/202602/t20260220_305.html", "2026-02-20"),
                )))
    nav = page("/zwgk/", title="政府信息公开", breadcrumb=("首页", "政府信息公开"),
               links=(link("/zwgk/czyjs/", "财政预决算"),))
    return [p for p in portal() if p.url != url("/zwgk/")] + [nav, hub, gov, dept]


def _check(*pubs):
    return check("required_publications", publications=list(pubs))


def test_pass_finds_each_publication_in_the_sub_columns(make_snapshot):
    out = run_check(make_snapshot(_czyjs()), _check(BUDGET, ACCOUNTS))
    assert out.status == Status.PASS
    assert out.summary == "2 项应公开内容；已找到 2 项（「本年度预算」、「上年度决算」）"
    budget, accounts = out.evidence
    assert budget.found == "平城区教育局2026年部门预算"  # the newest match
    assert budget.context == "2026-02-20 平城区教育局2026年部门预算"
    assert budget.looked_for == "本年度预算：标题含「2026年」、「预算」"
    assert budget.url == url("/zwgk/czyjs/bmyjs/")  # the document was not fetched: the list page
    assert budget.note.endswith("条目链接 http://demo.test/zwgk/czyjs/bmyjs/202602/t20260220_305.html（未抓取）")
    assert "栏目「财政预决算」" in budget.where and "其下 2 个子栏目页" in budget.where
    assert accounts.found == "平城区教育局2025年度部门决算"


def test_sub_columns_are_found_by_url_directory_without_breadcrumbs(make_snapshot):
    pages = _czyjs()
    for p in pages:
        if p.url.startswith(url("/zwgk/czyjs/")) and p.url != url("/zwgk/czyjs/"):
            p.breadcrumb = ()
    out = run_check(make_snapshot(pages), _check(BUDGET))
    assert out.status == Status.PASS and "其下 2 个子栏目页" in out.evidence[0].where
    # A list elsewhere on the site is not below the column, whatever it holds.
    elsewhere = page("/xxgk/ys/", kind="list", title="预算", items=(
        item("平城区2026年政府预算公开", "/xxgk/ys/1.html", "2026-02-15"),))
    pages = [p for p in pages if not p.url.startswith(url("/zwgk/czyjs/zfyjs/"))
             and not p.url.startswith(url("/zwgk/czyjs/bmyjs/"))]
    assert run_check(make_snapshot([*pages, elsewhere]), _check(BUDGET)).status == Status.FAIL


def test_fail_names_what_is_missing_with_near_misses(make_snapshot):
    gov = [item("平城区2025年政府决算公开", "/zwgk/czyjs/zfyjs/202509/t20250901_1.html", "2025-09-01"),
           item("平城区2024年政府决算公开", "/zwgk/czyjs/zfyjs/202409/t20240901_1.html", "2024-09-01")]
    out = run_check(make_snapshot(_czyjs(gov_items=gov, dept_items=[])), _check(BUDGET, ACCOUNTS))
    assert out.status == Status.FAIL
    assert out.summary == "2 项应公开内容；已找到 1 项（「上年度决算」）；未找到 1 项（「本年度预算」）"
    miss = out.evidence[0]
    assert miss.found == "未找到" and miss.looked_for == "本年度预算：标题含「2026年」、「预算」"
    assert miss.url == url("/zwgk/czyjs/")
    assert miss.where.startswith("栏目「财政预决算」（http://demo.test/zwgk/czyjs/）")
    assert miss.context is None  # nothing titled 2026年 or 预算 at all


def test_near_misses_show_last_years_titles(make_snapshot):
    gov = [item("平城区2025年政府预算公开", "/zwgk/czyjs/zfyjs/202502/t20250215_1.html", "2025-02-15")]
    out = run_check(make_snapshot(_czyjs(gov_items=gov, dept_items=[])), _check(BUDGET))
    assert out.status == Status.FAIL
    assert out.evidence[0].context == "相近标题：2025-02-15 平城区2025年政府预算公开"


def test_keyword_alternatives_and_year_templates(make_snapshot):
    pub = {"name": "下年度预算草案", "title": ["{year+1}年|{ year + 1 }年度", "预算草案|预算（草案）"], "target": CZYJS}
    gov = [item("关于平城区2027年度预算（草案）的报告", "/zwgk/czyjs/zfyjs/202611/t20261120_9.html", "2026-11-20")]
    out = run_check(make_snapshot(_czyjs(gov_items=gov)), _check(pub))
    assert out.status == Status.PASS
    assert out.evidence[0].note.startswith("列表条目，匹配「2027年」、「预算（草案）」")


def test_without_target_every_title_on_the_site_counts(make_snapshot):
    plan_doc = page("/zwgk/ghjh/202103/t20210310_5.html", kind="detail", published="2021-03-10",
                    title="平城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要_规划计划_大同市平城区人民政府",
                    meta={"标题": "大同市平城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"})
    pub = {"name": "十四五规划", "title": ["第十四个五年规划|十四五规划"]}
    out = run_check(make_snapshot([*portal(), plan_doc]), _check(pub))
    assert out.status == Status.PASS
    ev = out.evidence[0]
    assert ev.url == plan_doc.url and ev.http_status == 200
    assert ev.where.startswith("全站 ")


def test_a_column_named_like_the_publication_is_not_the_publication(make_snapshot):
    column = page("/zwgk/ccjh/", kind="list", title="年度抽查计划_大同市平城区人民政府", empty=True,
                  breadcrumb=("首页", "政府信息公开", "年度抽查计划"))
    pub = {"name": "年度抽查计划", "title": ["{year}年", "抽查"]}
    out = run_check(make_snapshot([*portal(), column]), _check(pub))
    assert out.status == Status.FAIL


def test_by_before_the_deadline_is_not_due(make_snapshot):
    snap = make_snapshot(_czyjs())
    plan = {"name": "下年度抽查计划", "title": ["{year+1}年", "抽查计划"], "by": "12-31"}
    out = run_check(snap, _check(plan))
    assert out.status == Status.NOT_APPLICABLE
    assert out.summary.startswith("1 项应公开内容；未到期 1 项（「下年度抽查计划」期限 2026-12-31）")
    assert out.evidence[0].note == "未到期：期限 2026-12-31，扫描日 2026-11-21"
    # With another publication found, the check passes on it.
    out = run_check(snap, _check(plan, BUDGET))
    assert out.status == Status.PASS
    assert "未到期 1 项" in out.summary


def test_by_after_the_deadline_must_exist_and_be_on_time(make_snapshot):
    plan = {"name": "年度抽查计划", "title": ["{year}年", "抽查计划"], "by": "03-31"}
    early = item("平城区市场监管局2026年度“双随机、一公开”抽查计划", "/tzgg/202603/t20260320_3.html", "2026-03-20")
    late = item("平城区市场监管局2026年度“双随机、一公开”抽查计划", "/tzgg/202605/t20260506_3.html", "2026-05-06")
    for listed, status in (([early], Status.PASS), ([late], Status.FAIL), ([], Status.FAIL)):
        pages = [p for p in portal() if p.url != url("/tzgg/")]
        pages.append(page("/tzgg/", kind="list", title="通知公告", breadcrumb=("首页", "通知公告"), items=tuple(listed)))
        out = run_check(make_snapshot(pages), _check(plan))
        assert out.status == status, (listed, out.summary)
    assert out.summary == "1 项应公开内容；未找到 1 项（「年度抽查计划」）"
    pages[-1] = page("/tzgg/", kind="list", title="通知公告", breadcrumb=("首页", "通知公告"), items=(late,))
    out = run_check(make_snapshot(pages), _check(plan))
    assert "逾期公开 1 项（「年度抽查计划」2026-05-06 发布，期限 2026-03-31）" in out.summary
    assert out.evidence[0].note == "发布于 2026-05-06，晚于期限 2026-03-31"


def test_within_days_judges_the_newest_match(make_snapshot):
    pub = {"name": "权责清单动态调整", "title": ["权责清单"], "target": {"names": ["权责清单"]}, "within_days": 90}
    snap = make_snapshot(portal())
    assert run_check(snap, _check(pub)).status == Status.PASS  # 2026-11-02 is 19 days old
    out = run_check(snap, _check({**pub, "within_days": 10}))
    assert out.status == Status.FAIL
    assert out.evidence[0].note == "最新一条发布于 2026-11-02，距扫描日 19 天（要求 ≤ 10 天）"


def test_missing_column_fails_or_is_not_applicable(make_snapshot):
    snap = make_snapshot(portal())
    out = run_check(snap, _check(BUDGET))
    assert out.status == Status.FAIL
    assert out.evidence[0].found == "未找到" and out.evidence[0].looked_for.startswith("本年度预算：标题含")
    na = {**BUDGET, "target": {**CZYJS, "if_missing": "not_applicable"}}
    assert run_check(snap, _check(na)).status == Status.NOT_APPLICABLE


def test_blocked_column_is_unknown(make_snapshot):
    pages = portal()
    pages[0].links = (*pages[0].links, link("/zwgk/czyjs/", "财政预决算"))
    snap = make_snapshot(pages, errors=[error("/zwgk/czyjs/", "blocked", 412, anchor="财政预决算")])
    out = run_check(snap, _check(BUDGET, {"name": "十四五规划", "title": ["十四五"]}))
    # One publication unknown, the other missing on a complete crawl: the missing one fails.
    assert out.status == Status.FAIL
    out = run_check(snap, _check(BUDGET))
    assert out.status == Status.UNKNOWN
    assert "被拦截" in out.reason and out.evidence[0].http_status == 412


def test_partial_crawl_makes_a_miss_unknown_but_a_find_still_counts(make_snapshot):
    meta = {"status": "partial", "budget_exhausted": "true", "status_reason": "page budget reached"}
    snap = make_snapshot(_czyjs(), meta=meta)
    assert run_check(snap, _check(BUDGET)).status == Status.PASS
    out = run_check(snap, _check(BUDGET, {"name": "十四五规划", "title": ["十四五"]}))
    assert out.status == Status.UNKNOWN
    assert "抓取未覆盖全站" in out.reason


def test_unfetched_pagination_makes_a_miss_unknown(make_snapshot):
    pages = portal()
    qzqd = next(p for p in pages if p.url == url("/zwgk/qzqd/"))
    qzqd.links = (*qzqd.links, link("/zwgk/qzqd/index_1.html", "下一页", "list"))
    pub = {"name": "权责清单（2020年版）", "title": ["权责清单", "2020年"], "target": {"names": ["权责清单"]}}
    out = run_check(make_snapshot(pages), _check(pub))
    assert out.status == Status.UNKNOWN
    assert "栏目另有 1 个列表页未抓取" in out.reason


def test_metadata_title_completes_a_truncated_list_title(make_snapshot):
    doc = page("/zwgk/czyjs/zfyjs/202602/t20260215_301.html", kind="detail", published="2026-02-15",
               title="平城区2026年…", meta={"标题": "平城区2026年一般公共预算和政府性基金预算公开"})
    gov = [item("平城区2026年…", doc.url, "2026-02-15")]
    out = run_check(make_snapshot([*_czyjs(gov_items=gov, dept_items=[]), doc]), _check(BUDGET))
    assert out.status == Status.PASS
    assert out.evidence[0].url == doc.url and out.evidence[0].found.endswith("政府性基金预算公开")


@pytest.mark.parametrize(("keyword", "expected"), [
    ("{year}年", "2026年"), ("{year-1}年度", "2025年度"), ("{year+1}", "2027"), ("{ year - 10 }", "2016"),
    ("十四五", "十四五"), ("{years}", "{years}"),
])
def test_expand(keyword, expected):
    assert expand(keyword, 2026) == expected


def test_due_date_clamps_to_the_month():
    assert due_date("03-31", 2026) == date(2026, 3, 31)
    assert due_date("02-29", 2026) == date(2026, 2, 28)
    assert due_date("02-29", 2028) == date(2028, 2, 29)
