"""The named-pattern library: every pattern with text it must find and text it must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine.patterns import (
    PATTERNS,
    alternatives,
    find,
    keyword_any,
    keyword_label,
    keyword_problem,
    keyword_search,
    search,
)

CASES = {
    "landline": (
        ["咨询电话：0591-23165385", "0352-1234567", "(0352)1234567", "（0352）1234567", "0352 1234567",
         "0352—1234567", "010-12345678", "电话：03522043166", "0352-1234567转123", "０３５２－１２３４５６７",
         "电话：021-68888888"],
        ["13812345678", "12345", "请拨打12345政务服务便民热线", "140202199001011234", "网站标识码：1402020001",
         "索引号：11140202MB1955820B/2026-0352123", "03521234567", "0352-12345", "010-13812345678"],
    ),
    "contact_landline": (
        ["联系电话：0352-6012345", "电话/传真：0352-1234567", "咨询电话：（0352）2345678，传真：0352-2345679"],
        ["传真：0352-1234567", "联系电话：13812345678；传真：0352-2345678", "传 真 0352 2345678"],
    ),
    "mobile": (
        ["联系人：张三 13812345678", "手机 138 1234 5678", "电话19912345678。"],
        ["140202199001011234", "0352-1234567", "213812345678", "12345678901", "1381234567"],
    ),
    "doc_number": (
        ["平政发〔2024〕3号", "岚综管办规〔2024〕4号", "国办函[2020]109号", "晋政办发（2023）12号", "平政发［2024］3号",
         "平政发【2024】3号", "平政办发(2019)第8号"],
        ["2024年3号", "〔2024〕3号", "平政发〔24〕3号", "平政发〔2024〕号", "第3号"],
    ),
    "validity_period": (
        ["本办法自发布之日起施行，有效期5年。", "有效期为五年", "有效期至2029年3月1日", "有效期限为三年",
         "有效期：2024年1月1日至2028年12月31日", "有效期两年", "有效期为自发布之日起5年", "有效期自2024年1月1日起"],
        ["本办法长期有效", "在有效期内", "请携带有效身份证件", "有效期限届满前", "本办法自发布之日起施行。"],
    ),
    "interpretation": (
        ["本办法由区交通建设局负责解释。", "本文件由区司法局负责解读", "解读机关：区发改局", "解读主体：平城区政府办",
         "本办法解释权归区财政局", "区司法局负责解释。", "由区民政局负责对本办法进行解释"],
        ["政策解读", "文字解读 图片解读 H5解读", "窗口工作人员负责解释相关政策问题", "相关解读：关于印发……的政策解读"],
    ),
    "site_code": (
        ["网站标识码：1402130001", "网站标识码 3590000001", "网站标识码:1304000009"],
        ["网站标识码:140213000", "网站标识码14021300011", "标识码：1402130001", "网站标识码：待申请"],
    ),
    "icp": (
        ["晋ICP备05004519号-1", "闽ICP备09032658号", "冀ICP备05029117号-1", "晋 ICP 备 05004519 号"],
        ["ICP备05004519号", "晋ICP备案", "京ICP证030173号", "ICP备案号：待补充"],
    ),
    "police_record": (
        ["晋公网安备 14020202000123号", "冀公网安备13042002000523号", "公安备案号：35012899001-19002",
         "公安机关备案号：14020202000123"],
        ["公网安备", "晋公网安备 1402020200012号", "公安备案号：待补充", "晋公网安备 140202020001234号"],
    ),
    "email": (
        ["电子邮箱：pzxxgkb＠163.com", "邮箱 a.b@pt.gov.cn", "pcqzfxxgk@163.com(仅供答复使用)"],
        ["a@b", "邮箱：暂无", "@163.com"],
    ),
    "url_or_domain": (
        ["www.pingtan.gov.cn", "http://www.pingtan.gov.cn/", "门户网站（pingcheng.gov.cn）", "https://a.b.cn/x?y=1"],
        ["hello.world", "政府门户网站", "3.14", "电子邮箱：pcqzfb@dtpc.gov.cn"],
    ),
    "fax": (
        ["传真：0352-1234567", "电话/传真：0352-1234567", "传真号码：（0352）2345678", "传 真 0352 2345678"],
        ["电话：0352-1234567", "传真：暂无", "传真：13812345678"],
    ),
    "id_card": (
        ["11010519491231002X", "身份证号：11010519491231002x"],
        ["110105194912310021", "1402**********1234", "110105194913310021", "2110105194912310021X"],
    ),
    "bank_card": (
        ["银行卡号：6222021234567890128", "开户行：中国建设银行 账号：6217 0012 3456 7890 122", "卡号 4367421234567896"],
        ["订单号：6222021234567890128", "银行卡号：6222021234567890129", "6222021234567890128",
         "银行卡号：6222 **** **** 0128", "银行账号：62220212345678901280"],
    ),
}


def _cases(which: int):
    for name, cases in CASES.items():
        for text in cases[which]:
            yield pytest.param(name, text, id=f"{name}:{text}")


def test_every_pattern_has_cases():
    assert set(CASES) == set(PATTERNS)
    for name, (good, bad) in CASES.items():
        assert good and bad, name
        assert PATTERNS[name].label and PATTERNS[name].description


@pytest.mark.parametrize(("name", "text"), list(_cases(0)))
def test_pattern_matches(name, text):
    m = search(name, text)
    assert m is not None, f"{name} should match {text!r}"
    assert text[m.start : m.end] == m.text
    assert m.text in m.context


@pytest.mark.parametrize(("name", "text"), list(_cases(1)))
def test_pattern_rejects(name, text):
    assert search(name, text) is None, f"{name} should not match {text!r}"


def test_match_quotes_the_page_not_the_folded_text():
    m = search("landline", "联系电话：（０３５２）２０４３１６６，欢迎来电")
    assert m.text == "（０３５２）２０４３１６６"
    assert m.context == "联系电话：（０３５２）２０４３１６６，欢迎来电"


def test_context_window_is_bounded_and_collapsed():
    text = "甲" * 100 + "\n  电话 0352-2043166  \n" + "乙" * 100
    m = search("landline", text)
    assert m.text == "0352-2043166"
    # 30 characters either side, then whitespace runs collapsed to one space.
    assert m.context == "甲" * 24 + " 电话 0352-2043166 " + "乙" * 27
    assert "\n" not in m.context


def test_find_returns_every_match_in_order():
    text = "办公室电话：0352-2043166；传真：0352-2043167；手机13812345678"
    assert [m.text for m in find("landline", text)] == ["0352-2043166", "0352-2043167"]
    assert [m.text for m in find("fax", text)] == ["传真：0352-2043167"]


def test_landline_extension_is_part_of_the_match():
    assert search("landline", "电话：0352-2043166转8001。").text == "0352-2043166转8001"


def test_doc_number_groups():
    m = search("doc_number", "文号：岚综管办规〔2024〕4号")
    assert m.text == "岚综管办规〔2024〕4号"


def test_unknown_pattern_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="landline"):
        search("no_such_pattern", "x")


def test_keyword_search_tolerates_spaces_between_characters():
    m = keyword_search("政府信息公开", "欢迎访问 政 府 信 息 公 开 专栏")
    assert m is not None and m.text == "政 府 信 息 公 开"
    assert keyword_search("政府信息公开", "政府信息") is None


def test_keyword_alternatives():
    assert alternatives("办公时间|工作时间") == ["办公时间", "工作时间"]
    assert alternatives(" 地址 ") == ["地址"]
    assert keyword_label("办公时间|工作时间") == "「办公时间」或「工作时间」"
    # The first alternative written that the text has, whatever its position in the text.
    m = keyword_any("受理时间|工 作 时 间|办公时间", "办公时间：周一至周五；工作时间：8:00")
    assert (m.pattern, m.text) == ("工 作 时 间", "工作时间")
    assert keyword_any("受理时间|接待时间", "办公时间：周一至周五") is None
    assert keyword_problem("办公时间|工作时间") is None
    assert "empty alternative" in keyword_problem("办公时间||工作时间")


def test_huge_text_is_capped_not_scanned_whole():
    text = "无" * 2_000_000 + "电话 0352-2043166"
    assert search("landline", text) is None


REAL = Path(__file__).resolve().parents[3] / "shared" / "realpages" / "changwu__pingtan-gov-zwgk-archive"


def _real(glob: str) -> str:
    files = sorted(REAL.glob(glob))
    if not files:
        pytest.skip("../shared/realpages not available")
    return files[0].read_text(encoding="utf-8")


@pytest.mark.realpages
def test_real_guide_gives_phone_email_and_site():
    text = _real("pingtan/zwgk/zfxxgk/zfxxgkzn/*/*/page.txt").split("= 正文 =", 1)[-1]
    assert search("landline", text).text == "0591-23165385"
    assert search("email", text).text == "pzxxgkb＠163.com"
    assert search("url_or_domain", text).text == "www.pingtan.gov.cn"
    # The guide cites 国办函〔2020〕109号 but states no 有效期: a guide need not.
    assert search("doc_number", text).text.endswith("国办函〔2020〕109号")
    assert search("validity_period", text) is None


@pytest.mark.realpages
def test_real_normative_document_tail_has_validity_and_interpretation():
    text = _real("pingtan/zwgk/zfxxgk/gwhwj/hzgfxwj/202403/*/page.txt")
    tail = text[-600:]
    assert search("validity_period", tail).text == "有效期5年"
    assert search("interpretation", tail).text.endswith("本办法由区交通建设局负责解释")
    assert search("doc_number", text) is not None


@pytest.mark.realpages
def test_real_footer_identity_elements():
    html = _real("pingtan/zwgk/zfxxgk/zfxxgknb/_lists/index.html")
    assert search("site_code", html).text.endswith("3590000001")
    assert search("icp", html).text == "闽ICP备09032658号"
    assert search("police_record", html) is not None
