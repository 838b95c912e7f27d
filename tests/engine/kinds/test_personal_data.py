"""personal_data over a TRS-style portal: a 行政处罚 notice that leaks, one that masks, and the rest."""

from __future__ import annotations

from checker.engine.evaluate import evaluate
from checker.engine.rules import Profile
from checker.results import Status

from ..builders import check, error, item, page, portal, run_check, url

ID = "140202198506123018"  # valid GB 11643 check digit
MOBILE = "13934561234"
CARD = "6222021234567890128"  # Luhn-valid
CRUMBS = ("首页", "政府信息公开", "双公示", "行政处罚")


def cf_notice(n: int, body: str, title: str | None = None):
    return page(
        f"/zwgk/sgs/xzcf/202611/t2026111{n}_77{n}.html", kind="detail", breadcrumb=CRUMBS, published="2026-11-1" + str(n),
        title=title or f"平城区应急管理局行政处罚决定书（平应急罚〔2026〕{n}号）_行政处罚_大同市平城区人民政府",
        meta={"索引号": f"11140202MB1955820B/2026-0{n:04d}", "文号": f"平应急罚〔2026〕{n}号", "发布机构": "平城区应急管理局"},
        body=body,
    )


LEAK = (f"行政处罚决定书 平应急罚〔2026〕1号 当事人：张某某，性别：男，身份证号码：{ID}，"
        f"住址：大同市平城区某街道某小区，联系电话：{MOBILE}。违法事实：……"
        f"罚款缴入指定账户：开户银行 中国工商银行大同分行 账号：{CARD}。")
MASKED = ("行政处罚决定书 平应急罚〔2026〕2号 当事人：李某某，身份证号码：1402**********3018，"
          "联系电话：139****1234。罚款人民币贰万元整。如不服本决定，可在六十日内申请行政复议。"
          "统一社会信用代码：91140200MA0K12345X 举报电话：12350")


def _site(*notices):
    listed = tuple(item(p.title.split("_")[0], p.url, p.published) for p in notices)
    column = page("/zwgk/sgs/xzcf/", kind="list", title="行政处罚_大同市平城区人民政府", breadcrumb=CRUMBS,
                  items=listed)
    return [*portal(), column, *notices]


def test_pass_on_a_portal_without_personal_data(make_snapshot):
    out = run_check(make_snapshot(_site(cf_notice(2, MASKED))), check("personal_data"))
    assert out.status == Status.PASS
    assert out.summary == "全站 13 个页面的文字中发现未打码的个人信息 0 处（允许 ≤ 0 处）"
    head = out.evidence[0]
    assert head.found == "未发现未打码的个人信息；已打码 2 处（符合要求）"
    assert head.looked_for == "未打码的身份证号、手机号码、银行卡号"
    assert head.note is None  # no attachment left unread
    example = out.evidence[-1]
    assert example.found == "1402**********3018" and example.note.startswith("已打码，符合要求：")


def test_fail_shows_each_exposure_masked(make_snapshot):
    leak = cf_notice(1, LEAK)
    out = run_check(make_snapshot(_site(leak, cf_notice(2, MASKED))), check("personal_data"))
    assert out.status == Status.FAIL
    assert out.summary == ("全站 14 个页面的文字中发现未打码的个人信息 3 处（允许 ≤ 0 处）："
                           "身份证号 1 处、手机号码 1 处、银行卡号 1 处")
    assert out.evidence[0].found == "未打码 3 处（1 个页面）；已打码 2 处（符合要求）"
    found = {ev.looked_for: ev for ev in out.evidence[1:4]}
    assert found["身份证号"].found == "140202********3018"
    assert found["手机号码"].found == "139****1234"
    assert found["银行卡号"].found == "6222 **** **** 0128"
    ev = found["身份证号"]
    assert ev.url == leak.url and ev.http_status == 200 and ev.where == "页面文字"
    assert "身份证号码：140202********3018，住址" in ev.context
    assert ev.note == "平城区应急管理局行政处罚决定书（平应急罚〔2026〕1号）_行政处罚_大同市平城区人民政府"


def test_the_result_never_republishes_the_numbers(make_snapshot):
    # The whole path a scorecard takes: evaluate → ScanResult JSON.
    title = f"关于张某某（身份证号{ID}）违法行为的处罚公示"
    leak = cf_notice(1, LEAK + f"（另：当事人配偶身份证号{ID[:-4]}5014，电话 139 3456 1235）", title=title)
    snap = make_snapshot(_site(leak))
    chk = check("personal_data")
    profile = Profile.model_validate({
        "id": "t", "title": "测试", "source": "test", "items": [
            {"number": "7", "name": "个人信息保护", "content": "公开信息不得泄露个人信息。", "checks": [chk.id]}],
    })
    result = evaluate(snap, [profile], {chk.id: chk}, evaluated_at="2026-11-21T03:00:00Z")
    check_result = result.profiles[0].items[0].checks[0]
    assert check_result.status == Status.FAIL
    dumped = result.model_dump_json()
    for raw in (ID, MOBILE, CARD, "13934561235", "139 3456 1235", CARD[4:12], ID[6:14]):
        assert raw not in dumped, raw
    assert "140202********3018" in dumped and "关于张某某（身份证号140202********3018）" in dumped


def test_the_same_number_twice_on_a_page_counts_once(make_snapshot):
    leak = cf_notice(1, f"当事人身份证号：{ID}。……经查，身份证号为{ID}的当事人……")
    again = cf_notice(3, f"送达回证 受送达人身份证号：{ID}")
    out = run_check(make_snapshot(_site(leak, again)), check("personal_data"))
    assert "发现未打码的个人信息 2 处" in out.summary
    assert out.evidence[0].found == "未打码 2 处（2 个页面）"


def test_max_and_detect(make_snapshot):
    snap = make_snapshot(_site(cf_notice(1, LEAK)))
    assert run_check(snap, check("personal_data", max=3)).status == Status.PASS
    assert run_check(snap, check("personal_data", max=2)).status == Status.FAIL
    only_cards = run_check(snap, check("personal_data", detect=["bank_card"]))
    assert only_cards.summary.endswith("：银行卡号 1 处")
    assert only_cards.evidence[0].looked_for == "未打码的银行卡号"


def test_mobile_contexts_decide_whether_a_mobile_counts(make_snapshot):
    office = page("/lxwm/", kind="detail", title="联系我们", body=f"办公室 联系人：王科长 手机：{MOBILE}")
    snap = make_snapshot([*portal(), office])
    assert run_check(snap, check("personal_data")).status == Status.PASS
    strict = run_check(snap, check("personal_data", mobile_contexts=["联系人"]))
    assert strict.status == Status.FAIL and strict.evidence[1].found == "139****1234"


def test_nothing_found_on_a_partial_crawl_is_unknown(make_snapshot):
    meta = {"status": "partial", "budget_exhausted": "true"}
    out = run_check(make_snapshot(_site(cf_notice(2, MASKED)), meta=meta), check("personal_data"))
    assert out.status == Status.UNKNOWN
    assert out.reason == "抓取未覆盖全站（抓取预算用尽），未抓取的页面没有检查"


def test_a_leak_on_a_partial_crawl_still_fails(make_snapshot):
    meta = {"status": "partial", "budget_exhausted": "true"}
    out = run_check(make_snapshot(_site(cf_notice(1, LEAK)), meta=meta), check("personal_data"))
    assert out.status == Status.FAIL


def test_unread_pages_make_a_clean_result_unknown(make_snapshot):
    blocked = url("/zwgk/sgs/xzcf/202611/t20261119_779.html")
    dead = url("/zwgk/old.html")
    snap = make_snapshot(_site(cf_notice(2, MASKED)),
                         errors=[error(blocked, "blocked", 412), error(dead, "http", 404)])
    out = run_check(snap, check("personal_data"))
    assert out.status == Status.UNKNOWN
    assert out.reason == "1 个页面未能读取内容（被拦截、超时等），其中可能有未打码的个人信息"
    assert [ev.url for ev in out.evidence if ev.found and ev.found.startswith("未能读取")] == [blocked]


def test_many_pages_of_official_contact_numbers_pass(make_snapshot):
    # How fast this runs over 20,000 pages is the benchmark's figure 4 (`python -m bench`).
    filler = ("平城区召开2026年安全生产工作会议，会议强调，各乡镇、各部门要压实安全生产责任。索引号：11140202MB1955820B/2026-00012 "
              "发布日期：2026-03-01 联系电话：0352-2043166 ") * 30
    pages = [page(f"/xwzx/202611/t202611{n:04d}_{n}.html", kind="detail", title=f"新闻{n}", body=filler)
             for n in range(1000)]
    everything = [*portal(), *pages]
    out = run_check(make_snapshot(everything), check("personal_data"))
    assert out.status == Status.PASS
    assert out.summary == f"全站 {len(everything)} 个页面的文字中发现未打码的个人信息 0 处（允许 ≤ 0 处）"


def test_a_pass_says_which_attachments_were_not_read(make_snapshot):
    pdf = page("/zwgk/sgs/xzcf/202611/P020261112345678901234.pdf", text="")
    pdf.content_type = "application/pdf"
    out = run_check(make_snapshot([*_site(cf_notice(2, MASKED)), pdf]), check("personal_data"))
    assert out.status == Status.PASS
    assert out.summary.endswith("；另有 1 个附件的文字未能提取，未检查")
    assert out.evidence[0].note == f"部分附件（PDF、DOC、XLS 等）的文字未能提取，未检查：已发现 1 个附件（{pdf.url}）"
