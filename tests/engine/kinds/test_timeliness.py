"""timeliness over a TRS-style 双公示 column: 行政处罚 decisions published within 7 working days."""

from __future__ import annotations

from datetime import date

from checker.engine.kinds.timeliness import read_event_date
from checker.results import Status

from ..builders import check, error, item, link, page, portal, run_check, url

SGS = {"names": ["行政处罚", "双公示"], "url_hints": ["sgs"]}
LABELS = ["作出处罚决定日期", "处罚决定日期", "决定日期"]
CRUMBS = ("首页", "政府信息公开", "双公示", "行政处罚")


def cf_doc(n: int, *, decided: str | None, published: str | None, style: str = "meta", title: str = "") -> object:
    """A 行政处罚 公示 page as TRS publishes it: metadata box, then the decision as a table."""
    path = f"/zwgk/sgs/xzcf/202611/t2026110{n}_66{n}.html"
    meta = {"索引号": f"11140202MB1955820B/2026-0{n:04d}", "发布机构": "平城区市场监督管理局"}
    if published:
        meta["发布日期"] = published
    table = (f"行政处罚决定书文号 平市监罚〔2026〕1{n:02d}号 违法行为类型 销售过期食品 处罚类别 罚款 "
             f"处罚内容 罚款人民币伍仟元 当事人名称 平城区某某超市 统一社会信用代码 92140202MA0K1234{n}X ")
    if decided and style == "meta":
        meta["作出处罚决定日期"] = decided
    elif decided and style == "table":
        table += f"处罚决定日期 {decided.replace('-', '/')} 处罚机关 平城区市场监督管理局"
    elif decided and style == "line":
        y, m, d = (int(x) for x in decided.split("-"))
        table += f"\n决定日期：{y}年{m}月{d}日\n"
    return page(
        path, kind="detail", title=title or f"平城区市场监督管理局行政处罚信息公示（平市监罚〔2026〕1{n:02d}号）",
        breadcrumb=CRUMBS, published=published, meta=meta, body=table,
    )


def _site(docs, *, listed=(), list_meta=None):
    items = tuple(item(d.title, d.url, d.published) for d in docs) + tuple(listed)
    column = page("/zwgk/sgs/xzcf/", kind="list", title="行政处罚_双公示_大同市平城区人民政府", breadcrumb=CRUMBS,
                  items=items, links=(link("/zwgk/sgs/xzcf/", "行政处罚", "breadcrumb"),))
    hub = page("/zwgk/sgs/", title="双公示_大同市平城区人民政府", breadcrumb=CRUMBS[:3],
               links=(link("/zwgk/sgs/xzcf/", "行政处罚", "body"), link("/zwgk/sgs/xzxk/", "行政许可", "body")))
    return [*portal(), hub, column, *docs]


def _check(**extra):
    return check("timeliness", target=SGS, event_labels=LABELS, working_days=7, **extra)


def test_pass_counts_holidays_and_makeup_days(make_snapshot):
    docs = [
        # 4 working days across 国庆 2026 (09-29, 09-30, 10-08, 10-09).
        cf_doc(1, decided="2026-09-28", published="2026-10-09"),
        # Exactly 7: 09-25 is 中秋 (off), 10-10 a 调休 Saturday (on). Monday to Friday would give 12.
        cf_doc(2, decided="2026-09-24", published="2026-10-12", style="table"),
        cf_doc(3, decided="2026-11-10", published="2026-11-13", style="line"),
    ]
    out = run_check(make_snapshot(_site(docs)), _check())
    assert out.status == Status.PASS, out.summary
    assert out.summary == "栏目「行政处罚」可判断的 3 篇文档中，3 篇在作出处罚决定日期后 7 个工作日内公开（要求 ≥ 100%）"
    on_time = [ev for ev in out.evidence if ev.looked_for == "7 个工作日内公开"]
    assert len(on_time) == 2  # examples are capped


def test_fail_names_the_late_document_with_its_deadline(make_snapshot):
    late = cf_doc(4, decided="2026-11-02", published="2026-11-16")
    docs = [cf_doc(1, decided="2026-09-28", published="2026-10-09"), late]
    out = run_check(make_snapshot(_site(docs)), _check())
    assert out.status == Status.FAIL
    assert "1 篇在作出处罚决定日期后 7 个工作日内公开" in out.summary
    ev = next(ev for ev in out.evidence if ev.url == late.url)
    assert ev.found == ("作出处罚决定日期 2026-11-02 → 发布 2026-11-16：用时 10 个工作日，超过 7 个工作日"
                        "（期限至 2026-11-11）")
    assert ev.context == "作出处罚决定日期：2026-11-02"
    assert ev.where == "元数据「作出处罚决定日期」；发布日期取自页面发布日期"
    assert ev.note == late.title and ev.http_status == 200


def test_published_on_the_sunday_after_a_saturday_deadline_is_late(make_snapshot):
    # Decided 09-30: 10-08, 10-09, 10-10 (调休 Saturday) → the 3-day period ends on Saturday.
    doc = cf_doc(1, decided="2026-09-30", published="2026-10-11")
    out = run_check(make_snapshot(_site([doc])), check("timeliness", target=SGS, event_labels=LABELS,
                                                       working_days=3))
    assert out.status == Status.FAIL
    assert "用时 3 个工作日，超过 3 个工作日（期限至 2026-10-10）" in out.evidence[1].found


def test_mostly_tolerates_a_share(make_snapshot):
    docs = [cf_doc(n, decided="2026-11-10", published="2026-11-12") for n in (1, 2, 3)]
    docs.append(cf_doc(4, decided="2026-10-12", published="2026-11-12"))
    snap = make_snapshot(_site(docs))
    assert run_check(snap, _check(mostly=0.75)).status == Status.PASS
    assert run_check(snap, _check(mostly=0.8)).status == Status.FAIL


def test_documents_without_dates_are_listed_and_not_counted(make_snapshot):
    undated = cf_doc(2, decided=None, published="2026-11-12")
    inconsistent = cf_doc(3, decided="2026-11-12", published="2026-11-05")
    docs = [cf_doc(1, decided="2026-11-10", published="2026-11-12"), undated, inconsistent]
    out = run_check(make_snapshot(_site(docs)), _check())
    assert out.status == Status.PASS
    assert "可判断的 1 篇文档中，1 篇" in out.summary
    assert "2 篇缺少作出处罚决定日期或发布日期（或日期矛盾），未计入" in out.summary
    missing = next(ev for ev in out.evidence if ev.url == undated.url)
    assert missing.found == "未找到作出处罚决定日期（作出处罚决定日期、处罚决定日期、决定日期）"
    odd = next(ev for ev in out.evidence if ev.url == inconsistent.url)
    assert odd.found == "日期矛盾：发布日期 2026-11-05 早于作出处罚决定日期 2026-11-12"


def test_nothing_judgeable_is_unknown(make_snapshot):
    docs = [cf_doc(n, decided=None, published="2026-11-12") for n in (1, 2)]
    out = run_check(make_snapshot(_site(docs)), _check())
    assert out.status == Status.UNKNOWN
    assert out.reason == "栏目「行政处罚」可判断的文档只有 0 篇（至少需要 1 篇），2 篇缺少作出处罚决定日期或发布日期"


def test_the_list_date_stands_in_for_a_missing_page_date(make_snapshot):
    doc = cf_doc(1, decided="2026-11-02", published=None)
    listed = item(doc.title, doc.url, "2026-11-20")
    pages = [p for p in _site([]) if p.url != url("/zwgk/sgs/xzcf/")]
    pages.append(page("/zwgk/sgs/xzcf/", kind="list", title="行政处罚", breadcrumb=CRUMBS, items=(listed,)))
    out = run_check(make_snapshot([*pages, doc]), _check())
    assert out.status == Status.FAIL
    ev = next(ev for ev in out.evidence if ev.url == doc.url)
    assert ev.where.endswith("发布日期取自列表日期") and "发布 2026-11-20" in ev.found


def test_unfetched_documents_that_could_flip_make_it_unknown(make_snapshot):
    docs = [cf_doc(1, decided="2026-11-10", published="2026-11-12")]
    blocked = [item(f"行政处罚信息公示{n}", f"/zwgk/sgs/xzcf/202611/t2026111{n}_70{n}.html", "2026-11-12") for n in (1, 2)]
    snap = make_snapshot(_site(docs, listed=blocked), errors=[error(it.url, "blocked", 412) for it in blocked])
    out = run_check(snap, _check())
    assert out.status == Status.UNKNOWN
    assert out.reason == "2 篇文档未能抓取，足以改变结论"
    assert [ev.http_status for ev in out.evidence if ev.found and ev.found.startswith("未能抓取")] == [412, 412]


def test_unfetched_documents_that_cannot_flip_leave_a_failure(make_snapshot):
    docs = [cf_doc(1, decided="2026-10-12", published="2026-11-12")]
    blocked = [item("行政处罚信息公示", "/zwgk/sgs/xzcf/202611/t20261111_701.html", "2026-11-12")]
    snap = make_snapshot(_site(docs, listed=blocked), errors=[error(blocked[0].url, "timeout")])
    out = run_check(snap, _check())
    assert out.status == Status.FAIL and "1 篇未能抓取" in out.summary


def test_published_after_skips_older_documents(make_snapshot):
    docs = [cf_doc(1, decided="2023-03-01", published="2023-05-01"), cf_doc(2, decided="2026-11-10",
                                                                            published="2026-11-12")]
    snap = make_snapshot(_site(docs))
    assert run_check(snap, _check()).status == Status.FAIL
    out = run_check(snap, _check(published_after="2024-01-01"))
    assert out.status == Status.PASS
    assert "另有 1 篇发布于 2024-01-01 之前，不在检查范围" in out.summary


def test_years_outside_the_calendar_are_counted_monday_to_friday_and_said(make_snapshot):
    docs = [cf_doc(1, decided="2027-01-04", published="2027-01-08")]
    out = run_check(make_snapshot(_site(docs), meta={"as_of": "2027-02-01"}), _check())
    assert out.status == Status.PASS
    assert out.summary.endswith("（部分年份按周一至周五计算工作日）")
    assert any(ev.note and "2027年不在节假日数据" in ev.note for ev in out.evidence)


def test_missing_column_fails_and_blocked_column_is_unknown(make_snapshot):
    missing = run_check(make_snapshot(portal()), _check())
    assert missing.status == Status.FAIL and missing.summary == "未找到栏目「行政处罚」"
    pages = portal()
    pages[0].links = (*pages[0].links, link("/zwgk/sgs/", "双公示"))
    blocked = run_check(make_snapshot(pages, errors=[error("/zwgk/sgs/", "blocked", 403, anchor="双公示")]), _check())
    assert blocked.status == Status.UNKNOWN and "被拦截" in blocked.reason


def test_min_documents(make_snapshot):
    docs = [cf_doc(1, decided="2026-11-10", published="2026-11-12")]
    out = run_check(make_snapshot(_site(docs)), _check(min_documents=3))
    assert out.status == Status.UNKNOWN and "只有 1 篇（至少需要 3 篇）" in out.reason


# -- reading the event date ------------------------------------------------------------------------
def test_read_event_date_from_body_lines():
    doc = page("/a.html", kind="detail", body="当事人：某某公司\n决定日期：2024年3月1日\n处罚机关：平城区应急管理局")
    got = read_event_date(doc, ["决定日期"])
    assert (got.day, got.source, got.text) == (date(2024, 3, 1), "正文", "决定日期：2024年3月1日")
    doc = page("/b.html", kind="detail", body="作出处罚决定日期：2024-03-01。")
    got = read_event_date(doc, ["作出处罚决定日期", "决定日期"])
    assert (got.day, got.text) == (date(2024, 3, 1), "作出处罚决定日期：2024-03-01")
    # Full-width digits and spaced-out labels, as some CMS templates print them.
    doc = page("/c.html", kind="detail", body="决 定 日 期 ：２０２４－０３－０１")
    assert read_event_date(doc, ["决定日期"]).day == date(2024, 3, 1)


def test_read_event_date_ignores_a_label_without_a_date():
    doc = page("/a.html", kind="detail", body="当事人可自决定日期起六十日内申请行政复议。成文日期：2024年2月27日")
    assert read_event_date(doc, ["决定日期"]) is None
    assert read_event_date(doc, ["决定日期", "成文日期"]).day == date(2024, 2, 27)


def test_read_event_date_from_metadata_and_the_earliest_of_a_batch():
    doc = page("/a.html", kind="detail", meta={"成文日期": "2024年02月27日", "发布日期": "2024-03-01"},
               body="序号1 决定日期 2024/02/20 序号2 决定日期 2024/02/26")
    got = read_event_date(doc, ["成文日期", "决定日期"])
    assert (got.day, got.source, got.count) == (date(2024, 2, 20), "正文", 3)
    only_meta = page("/b.html", kind="detail", meta={"成文日期": "2024年02月27日"})
    got = read_event_date(only_meta, ["成文日期"])
    assert (got.day, got.source, got.text) == (date(2024, 2, 27), "元数据「成文日期」", "成文日期：2024年02月27日")


def test_a_batch_page_is_judged_by_its_earliest_decision(make_snapshot):
    batch = page("/zwgk/sgs/xzcf/202611/t20261113_801.html", kind="detail", breadcrumb=CRUMBS,
                 title="平城区行政处罚信息公示（2026年第11期）", published="2026-11-13",
                 body="序号 1 当事人 某超市 处罚决定日期 2026-11-10 序号 2 当事人 某饭店 处罚决定日期 2026-10-30")
    out = run_check(make_snapshot(_site([batch])), _check())
    assert out.status == Status.FAIL
    ev = out.evidence[1]
    assert "处罚决定日期 2026-10-30" in ev.context
    assert "本页有 2 个不同的作出处罚决定日期，取最早的" in ev.where
