"""Personal-data scanning: what counts as exposed, what is compliant, what is never shown raw."""

from __future__ import annotations

import time

import pytest

from checker.engine.patterns import id_card_ok, luhn_ok, mask, personal_context, redact, scan_personal

ID = "140202198506123018"  # valid GB 11643 check digit
ID_X = "11010519491231002X"
CARD = "6222021234567890128"  # Luhn-valid, 19 digits
CARD16 = "4367421234567896"
CONTEXTS = ("处罚", "公示", "当事人", "申请人", "名单")


def kinds(text: str, **kw) -> list[tuple[str, bool]]:
    return [(m.kind, m.masked) for m in scan_personal(text, mobile_contexts=kw.pop("contexts", CONTEXTS), **kw)]


@pytest.mark.parametrize(("text", "expected"), [
    (f"当事人：张三，公民身份号码：{ID}，住所：平城区", [("id_card", False)]),
    (f"身份证号：{ID_X.lower()}", [("id_card", False)]),
    (f"证件编号：{ID}", [("id_card", False)]),  # 编号, but of a 证件
    (f"统一社会信用代码/身份证号：{ID}", [("id_card", False)]),
    ("行政处罚决定书 当事人：李四 联系电话：13812345678", [("mobile", False)]),
    ("低保名单公示：王五 138 1234 5678", [("mobile", False)]),
    (f"开户银行：中国农业银行平城支行 账号：{CARD}", [("bank_card", False)]),
    (f"补贴发放卡号：{CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}", [("bank_card", False)]),
    ("身份证号：１４０２０２１９８５０６１２３０１８", [("id_card", False)]),  # full-width digits
])
def test_exposed(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("当事人身份证号：1402**********1234", [("id_card", True)]),
    ("身份证号：140202********3018", [("id_card", True)]),
    ("当事人电话：138****5678", [("mobile", True)]),
    ("银行卡号：6222 **** **** 0128", [("bank_card", True)]),
    ("银行卡号：6222***********0128", [("bank_card", True)]),
    # A masked number does not swallow the full one printed after it.
    ("处罚对象 138****5678 13812345678", [("mobile", True), ("mobile", False)]),
])
def test_masked_forms_are_recognised_as_compliant(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "网站标识码：1402020001 晋ICP备05004519号-1 晋公网安备 14020202000123号",
    "统一社会信用代码：91140200MA0K12345X",
    f"统一社会信用代码：{ID}",  # an all-digit code that happens to pass: the label says whose it is
    "索引号：11140202MB1955820B/2026-00012 文号：平政发〔2026〕3号",
    f"索引号：014020200/{ID}",
    "举报电话：13812345678（处罚公示期间）",
    "咨询电话：0352-2043166 服务热线：12345 监督电话：13912345678 公示",
    "发布日期：2024-03-01 20240301 2024年3月1日",
    "订单号：140202198506123019 处罚",  # 18 digits, wrong check digit
    f"订单号：{CARD} 银行",  # Luhn-valid, but an order number
    "银行流水：6222021234567890129",  # Luhn fails
    f"{CARD}",  # no banking word anywhere near
    f"http://www.pingcheng.gov.cn/zwgk/t20240301_{ID}.html",
    "联系人：张科长 13812345678",  # no 处罚/公示 context: an office contact
    "金额：3.14020219850612301万元",
])
def test_not_flagged(text):
    assert [m for m in scan_personal(text, mobile_contexts=CONTEXTS) if not m.masked] == []


def test_mobile_needs_a_context_only_when_contexts_are_given():
    text = "联系人：张科长 13812345678"
    assert kinds(text, contexts=()) == [("mobile", False)]
    far = "行政处罚" + "。" * 70 + "13812345678"
    assert kinds(far) == []
    assert kinds("行政处罚" + "。" * 40 + "13812345678") == [("mobile", False)]


def test_detect_limits_the_kinds():
    text = f"当事人：张三，身份证号：{ID}，电话：13812345678"
    assert kinds(text, detect=("mobile",)) == [("mobile", False)]


def test_checksums():
    assert id_card_ok(ID) and id_card_ok(ID_X) and id_card_ok(ID_X.lower())
    assert not id_card_ok(ID[:-1] + "9") and not id_card_ok("140202198513123018")
    assert luhn_ok(CARD) and luhn_ok(CARD16) and not luhn_ok(CARD[:-1] + "9") and not luhn_ok("6222x")


@pytest.mark.parametrize(("text", "kind", "shown"), [
    (ID, "id_card", "140202********3018"),
    ("1402021990010112**", "id_card", "140202********12**"),  # a weak mask is masked again
    ("13812345678", "mobile", "138****5678"),
    ("138 1234 5678", "mobile", "138****5678"),
    ("１３８１２３４５６７８", "mobile", "138****5678"),
    (CARD, "bank_card", "6222 **** **** 0128"),
    ("4367 4212 3456 7896", "bank_card", "4367 **** **** 7896"),
    ("12345", "mobile", "*****"),
])
def test_mask(text, kind, shown):
    assert mask(text, kind) == shown


def test_redact_masks_every_candidate_whatever_its_checksum():
    text = f"张三 {ID} 李四 140202198506123019 电话13812345678 卡{CARD} 号码 031234567890123"
    out = redact(text)
    for raw in (ID, "140202198506123019", "13812345678", CARD, "031234567890123"):
        assert raw not in out
    assert "140202********3018" in out and "138****5678" in out and "6222 **** **** 0128" in out
    assert redact("发布日期：2024-03-01 电话：0352-2043166") == "发布日期：2024-03-01 电话：0352-2043166"
    # Glued to letters the scan skips it (a URL, a code), but a context shown in a report masks it.
    assert redact("No.A6222 0212 3456 7890 128") == "No.A6222 **** **** 0128"
    assert redact(f"t20240301_{ID}.html") == "t20240301_140202********3018.html"


def test_context_never_shows_a_cut_off_neighbour_raw():
    other = "110105194912310021"  # invalid check digit: not an exposure, still someone's digits
    text = other + "当事人张三身份证" + ID + "电话" + "13912345678"
    m = next(m for m in scan_personal(text) if m.kind == "id_card")
    ctx = personal_context(text, m.start, m.end, chars=12)
    assert "140202********3018" in ctx
    for piece in ("4912310021", "12345678", "1391234"):
        assert piece not in ctx


def test_a_long_notice_with_only_official_numbers_yields_nothing():
    # A long TRS notice: metadata, a table of dates and amounts, the footer; no personal data.
    chunk = ("索引号：11140202MB1955820B/2026-00012 发布机构：平城区人民政府办公室 发布日期：2026-03-01 "
             "各乡镇人民政府、各街道办事处，区直各部门：现将《平城区2026年政务公开工作要点》印发给你们，"
             "请认真贯彻落实。序号 1 项目 投资 1234.56 万元 完成时限 2026年12月31日 联系电话：0352-2043166 ")
    assert scan_personal((chunk * 40)[:6000], mobile_contexts=CONTEXTS) == []


# Scraped text is hostile: a pattern that backtracks would take minutes on these, where
# every pattern here takes milliseconds. Scanning speed on real pages is the benchmark's
# figure 4 (`python -m bench`), not a unit test's.
@pytest.mark.parametrize("text", [
    "1" * 100_000, "1-" * 50_000, "1 " * 50_000, "19850612" * 12_000, ("140202198506123" + "X") * 6_000,
    "138-1234-" * 11_000, "a" * 64 + "@" + "b." * 50_000, "a." * 50_000,
    "电话：" * 40_000, "传 真" * 30_000, "京ICP备" * 20_000, "网站标识码 " * 20_000,
], ids=["digits", "digit-dash", "digit-space", "dates", "id-like", "phone-like", "email-domain",
        "email-local", "labels", "fax", "icp", "site-code"])
def test_hostile_text_is_scanned_without_backtracking(text):
    start = time.perf_counter()
    scan_personal(text, mobile_contexts=CONTEXTS)
    redact(text)
    assert time.perf_counter() - start < 3.0
