"""decode() + extract() on real saved portal pages (../shared/realpages, never copied here).

The 平潭 archive also holds the archiving crawler's own text of each document (page.txt);
our article body must say the same thing, character for character once whitespace is
ignored. The other assertions are facts a reader can check by opening the page.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from checker.crawl.decode import decode
from checker.crawl.extract import Extracted, extract
from checker.crawl.urls import Scope

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "realpages"
PINGTAN = "changwu__pingtan-gov-zwgk-archive/pingtan/zwgk/zfxxgk"
SCAN_DAY = date(2026, 9, 15)

pytestmark = [
    pytest.mark.realpages,
    pytest.mark.skipif(not REAL.is_dir(), reason="../shared/realpages is not present"),
]


def find(pattern: str) -> Path:
    matches = sorted(REAL.glob(pattern))
    if not matches:
        pytest.skip(f"real page {pattern} is not present")
    return matches[0]


def read(path: Path, url: str, **kw) -> Extracted:
    d = decode(path.read_bytes(), "text/html")
    assert d.problem == ""
    return extract(d.text, url, Scope(url).contains, today=SCAN_DAY, **kw)


def archived_body(page_html: Path) -> str:
    txt = (page_html.parent / "page.txt").read_text(encoding="utf-8")
    return txt.split("==================== 正文 ====================", 1)[1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- 平潭 行政规范性文件


@pytest.fixture(scope="module")
def gfxwj():
    path = find(f"{PINGTAN}/gwhwj/hzgfxwj/202403/87841_*/page.html")
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/202403/t20240307_87841.htm"
    return path, read(path, url)


def test_gfxwj_metadata_box(gfxwj):
    _, e = gfxwj
    assert e.kind == "detail"
    assert e.meta["文号"] == "岚综管办规〔2024〕4号"  # printed as 发文字号
    assert e.meta["索引号"] == "PZ00101-1700-2024-00182"  # printed as 索&ensp;引&ensp;号
    assert e.meta["发布机构"] == "平潭综合实验区交通与建设局"  # printed as 发文机关
    assert e.meta["有效性"] == "有效"
    assert e.meta["成文日期"] == "2024-02-19"
    assert e.meta["标题"].startswith("平潭综合实验区管委会办公室关于印发")
    assert "主题分类" not in e.meta  # filled by script; empty in the static page
    assert e.published == date(2024, 2, 19)


def test_gfxwj_body_matches_the_archived_text(gfxwj):
    path, e = gfxwj
    assert squeeze(e.body) == squeeze(archived_body(path))
    assert "本办法自发布之日起施行，有效期5年" in e.body
    assert e.body.endswith("同时废止。")
    assert "索引号" not in e.body and "网站标识码" not in e.body


def test_gfxwj_page_chrome(gfxwj):
    _, e = gfxwj
    assert e.breadcrumb == ("首页", "政务公开", "政府信息公开", "管委会文件", "行政规范性文件")
    for marker in ("网站标识码：3590000001", "闽ICP备09032658号", "公安备案号：35012899001-19002"):
        assert marker in e.footer
    conac = [link for link in e.links if link.text == "党政机关"]
    assert conac and conac[0].region == "footer" and not conac[0].internal
    assert "ipv6best.cn" in conac[0].url  # rewritten gateway host, see README
    crumbs = [link.url for link in e.links if link.region == "breadcrumb"]
    assert crumbs[-1] == "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/"
    pdf = next(link for link in e.links if link.url.endswith(".pdf"))
    assert pdf.url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/202403/P020240307563163899815.pdf"
    assert any(f.is_search and "key" in f.inputs for f in e.forms)


# ---------------------------------------------------------------- 平潭 指南 and 年报


def test_guide_page():
    path = find(f"{PINGTAN}/zfxxgkzn/*/51587_*/page.html")
    e = read(path, "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgkzn/202311/t20231110_51587.htm")
    assert e.kind == "detail"
    assert "0591-23165385" in e.body
    assert "咨询电话：0591-23165385" in e.body
    assert squeeze(e.body) == squeeze(archived_body(path))
    assert e.breadcrumb[-1] == "政府信息公开指南"
    assert e.published == date(2024, 3, 23)  # the "时间：2024-03-23 16:23" line


def test_annual_report_list_page():
    path = find(f"{PINGTAN}/zfxxgknb/_lists/index.html")
    e = read(path, "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm")
    assert e.kind == "list"
    dated = [i for i in e.list_items if i.date is not None]
    assert len(dated) >= 10
    assert dated[0].title == "平潭综合实验区2025年度政府信息公开工作年度报告"
    assert dated[0].date == date(2026, 3, 10)
    assert dated[0].url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    assert [i.date for i in dated] == sorted((i.date for i in dated), reverse=True)
    assert all("年度政府信息公开工作年度报告" in i.title for i in e.list_items)
    assert all(link.internal for link in e.links if link.region == "list")
    # The left 信息公开 menu is navigation, not part of the list.
    assert {link.region for link in e.links if link.text.startswith("行政规范性文件库")} == {"nav"}


def test_annual_report_detail_has_all_six_sections():
    path = find(f"{PINGTAN}/zfxxgknb/202503/97791_*/page.html")
    e = read(path, "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm")
    assert e.kind == "detail"
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in e.body, heading
    assert squeeze(e.body) == squeeze(archived_body(path))
    assert e.published == date(2025, 3, 10)


# ---------------------------------------------------------------- 万载 (Jiangxi), browser-saved


def test_wanzai_article_footer_and_date():
    path = find("SimonXinw__job/统计局/**/万载县*.html")
    e = read(path, "http://www.wanzai.gov.cn/wzxrmzf/tjgb/201705/9c059bf058ef4db8b3c8f920e22186fe.shtml")
    assert re.search(r"网站标识码：\s*3609220011", e.footer)
    assert "赣ICP备11002306号-1" in e.footer
    assert e.kind == "detail"
    assert e.breadcrumb == ("网站首页", "数据开放", "政府数据", "统计信息", "统计公报")
    # The printed 发布日期 (2017) wins over the PubDate meta (2022), which disagrees with the URL.
    assert e.published == date(2017, 5, 15)
    assert e.body.startswith("万载县2015年国民经济和社会发展统计公报")
    assert "网站标识码" not in e.body
    assert any(link.url.startswith("https://bszs.conac.cn/") and link.region == "footer" for link in e.links)


# ---------------------------------------------------------------- 邯郸 信息公开 index (JSP-modified save)


def test_handan_index_footer_and_lists():
    path = find("kevin3691__renmin/target/adu/WEB-INF/views/affairs/index.jsp")
    e = read(path, "http://hdzfxxgk.hd.gov.cn/", is_home=True)
    assert e.kind == "home"
    assert "网站标识码 1304000009" in e.footer
    assert "冀ICP备05029117号-1" in e.footer and "冀公网安备 13042002000523号" in e.footer
    dated = [(i.title, i.date) for i in e.list_items if i.date]
    assert ("邯郸市人民政府令第175号", date(2020, 1, 23)) in dated
    assert len(dated) >= 4
    assert e.forms[0].is_search and "searchword" in e.forms[0].inputs
