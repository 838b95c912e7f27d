"""The HTML scorecard: self-contained, hostile text escaped, and the content an auditor needs."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from checker.report import render_scorecard, write_scorecard
from checker.report.html import (
    EVIDENCE_CAP,
    PRINT_SCRIPT,
    TEXT_CAP,
    ItemView,
    _groups,
    cap,
    format_time,
    highlight,
    safe_href,
    scan_banner,
)
from checker.results import STATUS_LABELS, ItemResult, Status

from .sample import (
    BLOCKED_REASON,
    IMG_BREAKOUT,
    LONG_MARKER,
    LONG_TEXT,
    MANUAL_REASON,
    NATIONAL_NUMBERS,
    PINGCHENG_NUMBERS,
    SCRIPT,
    TEMPLATE_EXPR,
    UNREACHABLE_REASON,
    sample_result,
    sample_scan,
)

URL_RE = re.compile(r"https?://", re.I)


@pytest.fixture(scope="module")
def html() -> str:
    return render_scorecard(sample_result())


@pytest.fixture(scope="module")
def tree(html) -> HTMLParser:
    return HTMLParser(html)


def _profile(tree: HTMLParser, n: int) -> Node:
    sections = tree.css("main > section.profile")
    assert len(sections) == 2
    return sections[n]


def _texts(nodes) -> list[str]:
    return [" ".join(n.text().split()) for n in nodes]


# ---------------------------------------------------------------- self-contained, offline


def test_page_is_chinese_utf8_html(tree):
    assert tree.css_first("html").attributes["lang"] == "zh-CN"
    assert tree.css_first("meta[charset]").attributes["charset"].lower() == "utf-8"
    assert tree.css_first("meta[name=viewport]") is not None


def test_page_makes_no_external_requests(tree):
    assert tree.css("script[src]") == []
    assert tree.css("link") == []  # no stylesheet, icon, preload, nothing
    assert tree.css("base") == []
    assert tree.css("meta[http-equiv=refresh]") == []
    for tag in ("img", "iframe", "object", "embed", "source", "video", "audio", "picture", "svg", "frame"):
        assert tree.css(tag) == [], f"unexpected <{tag}>"
    styles = [n.text() for n in tree.css("style")]
    assert len(styles) == 1
    inline = [n.attributes.get("style") or "" for n in tree.css("[style]")]
    for css in styles + inline:
        assert "url(" not in css.lower()
        assert "@import" not in css.lower()
        assert "@font-face" not in css.lower()
    assert "Noto Sans CJK SC" in styles[0] and "Microsoft YaHei" in styles[0]


def test_urls_only_in_link_targets_and_visible_text(tree):
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            if value and URL_RE.search(value):
                assert node.tag == "a" and name == "href", f"URL in <{node.tag} {name}>"
        if node.tag in ("script", "style"):
            assert not URL_RE.search(node.text()), f"URL inside <{node.tag}>"


def test_only_our_own_inline_script_is_present(tree, html):
    scripts = tree.css("script")
    assert len(scripts) == 1
    assert scripts[0].text() == PRINT_SCRIPT
    csp = tree.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_live_links_are_safe(tree):
    links = tree.css("a[href]")
    external = [a for a in links if not a.attributes["href"].startswith("#")]
    assert external, "evidence should link to the live pages"
    for a in external:
        href = a.attributes["href"]
        assert href.startswith(("http://", "https://")), href
        assert set(a.attributes["rel"].split()) >= {"noopener", "noreferrer", "nofollow"}
        assert a.attributes["target"] == "_blank"
    # Every in-page link points at something that exists.
    ids = {n.attributes["id"] for n in tree.css("[id]")}
    for a in links:
        if a.attributes["href"].startswith("#"):
            assert a.attributes["href"][1:] in ids


# ---------------------------------------------------------------- hostile scraped text


def test_markup_in_scraped_text_is_escaped(html, tree):
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(2)</script>" not in html  # inside a URL: neither in href nor in text
    assert tree.css("img") == []  # the onerror break-out did not create an element
    assert "onerror" not in {name for n in tree.css("*") for name in n.attributes}
    # The text itself is shown faithfully, as text.
    marks = _texts(tree.css("mark"))
    assert SCRIPT in marks
    assert IMG_BREAKOUT in marks


def test_template_syntax_in_scraped_text_is_literal(html, tree):
    assert TEMPLATE_EXPR in _texts(tree.css("mark"))
    assert "模板：49" not in html and "<mark>49</mark>" not in html


def test_non_http_urls_are_not_links(tree):
    assert not [a for a in tree.css("a[href]") if "javascript" in a.attributes["href"].lower()]
    spans = _texts(tree.css("span.url"))
    assert "javascript:alert(3)" in spans


def test_invisible_control_characters_are_dropped(html):
    assert "\u202e" not in html
    assert "gpj.exe" in html


def test_long_scraped_text_is_capped(html, tree):
    assert LONG_TEXT[:TEXT_CAP + 1] not in html
    # Two evidence entries carry the ~10 000-character text; each shows at most TEXT_CAP of it.
    assert html.count(LONG_MARKER) <= 4
    for quote in tree.css("blockquote.ctx"):
        assert len(quote.text()) <= TEXT_CAP + 2  # plus the leading and trailing ellipses
    long_ctx = [q for q in tree.css("blockquote.ctx") if "本办法自发布之日起施行" in q.text()]
    assert len(long_ctx) == 1
    text = long_ctx[0].text()
    assert text.startswith("…") and text.endswith("…")
    assert long_ctx[0].css_first("mark").text() == "本办法自发布之日起施行"


def test_evidence_list_is_capped(tree, html):
    broken = next(c for c in tree.css("div.check") if "首页及栏目无断链" in c.text())
    assert len(broken.css("li.ev")) == EVIDENCE_CAP
    assert f"另有 {60 - EVIDENCE_CAP} 条证据未列出" in broken.text()


# ---------------------------------------------------------------- content


def test_header_shows_site_time_and_coverage(tree):
    head = tree.css_first("header.page-head").text()
    assert "http://www.pingcheng.gov.cn/" in head
    assert "2024年11月20日" in head
    assert "2024-11-20 09:30:00 北京时间" in head and "2024-11-20 09:52:13 北京时间" in head
    assert "412 个" in head and "5 个" in head and "被拦截 3 个" in head
    assert "未用尽" in head and "已遵守" in head and "不完整" in head


def test_every_item_number_appears_once_per_profile(tree):
    for n, numbers in enumerate([PINGCHENG_NUMBERS, NATIONAL_NUMBERS]):
        shown = _texts(_profile(tree, n).css("section.items article.item .num"))
        assert sorted(shown) == sorted(numbers)


def test_items_are_grouped_in_task_list_order(tree):
    groups = _texts(_profile(tree, 0).css("section.items section.group > h4"))
    assert groups == ["组织领导与保障", "基础信息公开", "加强信息管理", "公开渠道", "其他"]
    assert _texts(_profile(tree, 1).css("section.items section.group > h4")) == ["单项否决指标", "其他"]


def test_grouping_uses_first_appearance_and_puts_ungrouped_last():
    def view(number, group):
        return ItemView(number, ItemResult(number=number, name="n", group=group, content="c",
                                           status=Status.PASS))

    groups = _groups([view("1", "乙"), view("2", ""), view("3", "甲"), view("4", "乙"), view("5", " ")])
    assert [(g.name, [v.anchor for v in g.items]) for g in groups] == [
        ("乙", ["1", "4"]), ("甲", ["3"]), ("其他", ["2", "5"])]


def test_veto_section_comes_before_the_grouped_items(tree):
    for n, expected in enumerate([{"12": "通过", "14": "未通过"},
                                  {"V1": "通过", "V2": "未通过", "V3": "无法判断", "V4": "人工核查"}]):
        section = _profile(tree, n)
        order = [child.attributes.get("class", "") for child in section.iter()]
        assert order.index("box veto") < order.index("items")
        rows = section.css_first("section.veto").css("ul.reflist > li")
        got = {li.css_first(".num").text(): li.css_first(".badge").text() for li in rows}
        assert got == expected


def test_unknown_items_are_called_out_with_their_reason(tree):
    box = _profile(tree, 0).css_first("section.unknown-box")
    assert "不计入得分，需人工确认" in box.text()
    assert BLOCKED_REASON in box.text()
    assert "附件为扫描件 PDF，无法提取文字" in box.text()  # an unknown check inside a failed item
    assert sorted(_texts(box.css(".num"))) == ["28", "7"]
    assert "3 个栏目页面抓取超时" in _profile(tree, 1).css_first("section.unknown-box").text()


def test_score_grade_and_counts_per_profile(tree):
    result = sample_result()
    for n, profile in enumerate(result.profiles):
        section = _profile(tree, n)
        assert section.css_first(".scorebox .score").text() == f"{profile.score:.1f}"
        assert section.css_first(".scorebox .grade").text() == profile.grade
        assert profile.source in section.css_first(".summary").text()
        badges = _texts(section.css(".summary ul.counts .badge"))
        c = profile.counts
        assert badges == [f"通过 {c.pass_}", f"未通过 {c.fail}", f"无法判断 {c.unknown}",
                          f"人工核查 {c.manual}", f"不适用 {c.not_applicable}"]
    assert _profile(tree, 0).css_first(".scorebox .score").text() == "33.3"
    assert "第 V2 项未通过" in _profile(tree, 1).css_first(".veto-hit").text()


def test_item_shows_requirement_units_deadline_weight_and_evidence(tree):
    item = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "14")
    assert "国办公开办函〔2021〕30号" in item.css_first("blockquote.req").text()
    meta = item.css_first("dl.meta").text()
    assert "区政府信息化中心" in meta and "2024年1月31日前" in meta and "权重" not in meta
    assert "（2024年1月31日）" not in meta  # the parsed date is not repeated when the text has it
    assert item.css_first(".tag.veto-tag") is not None
    details = item.css_first("details.evidence")
    assert "open" in details.attributes  # failing evidence is expanded
    assert "HTTP 200" in details.text() and "抓取于 2024-11-20 09:34:04 北京时间" in details.text()
    assert "发布日期不晚于 2024-01-31" in details.text()
    weighted = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "26")
    assert "权重2" in weighted.css_first("dl.meta").text(strip=True).replace(" ", "")


def test_item_without_units_or_deadline_omits_the_empty_fields(tree):
    v1 = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "V1")
    assert v1.css_first("dl.meta") is None
    v5 = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "5")
    assert v5.css_first("dl.meta").text(strip=True) == "权重0.5"


def test_failed_lookup_shows_what_and_where(tree):
    item = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "6")
    text = item.text()
    assert "栏目「领导信息、领导之窗、区领导」" in text
    assert "导航、面包屑与页面标题" in text


def test_manual_items_show_a_checklist_line(tree):
    item = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "1")
    assert item.css_first("p.todo").text() == f"☐ 人工核查：{MANUAL_REASON}"
    assert "st-manual" in item.attributes["class"]
    checklist = _profile(tree, 0).css_first("section.checklist").text()
    assert MANUAL_REASON in checklist and "统一编号是否连续需人工比对备案登记表" in checklist


def test_not_applicable_check_shows_its_reason(tree):
    item = next(a for a in tree.css("article.item") if a.css_first(".num").text() == "15")
    assert item.css_first(".badge").text() == STATUS_LABELS[Status.NOT_APPLICABLE]
    assert "本区年内无征地项目" in item.css_first("p.reason").text()


def test_lead_unit_view_lists_who_must_act(tree):
    rows = _profile(tree, 0).css("section.units tbody tr")
    assert {r.css_first(".num").text() for r in rows} == {"6", "7", "14", "26", "28", "38"}
    assert "区政府信息化中心" in _profile(tree, 0).css_first("section.units").text()


def test_footer_names_tool_version_and_unknown_rule(tree):
    foot = tree.css_first("footer.page-foot").text()
    assert "gov-portal-checker 0.1.0" in foot
    assert "2024-11-20 10:00:00 北京时间" in foot
    assert "结果格式版本 1.1" in foot
    assert "从不计为“未通过”" in foot and "不计入得分" in foot


def test_print_and_phone_styles_exist(tree):
    css = tree.css_first("style").text()
    assert "@media print" in css and "size: A4" in css and "break-inside: avoid" in css
    assert "@media (max-width: 600px)" in css


# ---------------------------------------------------------------- scan status banner


def test_unreachable_scan_gets_a_loud_banner_and_no_score():
    tree = HTMLParser(render_scorecard(sample_result("unreachable")))
    banner = tree.css_first("div.banner")
    assert banner is not None and banner.attributes["role"] == "alert"
    assert banner.css_first("strong").text() == "站点无法访问：" + UNREACHABLE_REASON
    assert "没有任何事项能够自动判断" in banner.text() and "不计为“未通过”" in banner.text()
    assert _texts(tree.css(".scorebox .score")) == ["无法评分", "无法评分"]
    # The banner sits before any profile.
    body = [c.tag for c in tree.body.iter()]
    assert body.index("div") < body.index("main")


def test_complete_scan_has_no_banner():
    tree = HTMLParser(render_scorecard(sample_result("complete")))
    assert tree.css("div.banner") == []
    assert "站点无法访问：" not in tree.body.text()  # (站点无法访问 is also a national item's name)


@pytest.mark.parametrize("status, title", [("partial", "扫描不完整"), ("interrupted", "扫描被中断"),
                                           ("mystery", "扫描状态：mystery")])
def test_incomplete_scans_warn_that_unknown_is_not_fail(status, title):
    scan = sample_scan("partial").model_copy(update={"status": status})
    banner = scan_banner(scan)
    assert banner is not None and banner.title.startswith(title)
    assert "不计为“未通过”" in banner.text
    tree = HTMLParser(render_scorecard(sample_result().model_copy(update={"scan": scan})))
    assert tree.css_first("div.banner strong").text().startswith(title)


# ---------------------------------------------------------------- determinism and files


def test_rendering_is_deterministic(html):
    assert render_scorecard(sample_result()) == html


def test_write_scorecard_writes_utf8_file(tmp_path, html):
    path = tmp_path / "scan" / "scorecard.html"
    write_scorecard(sample_result(), path)
    assert path.read_bytes().decode("utf-8") == html
    assert not list(tmp_path.rglob(".*.tmp"))


# ---------------------------------------------------------------- filters


def test_highlight_escapes_each_piece_and_never_splits_an_entity():
    assert str(highlight("a & amp <b>", "amp")) == "a &amp; <mark>amp</mark> &lt;b&gt;"
    assert str(highlight("x<y", "<")) == "x<mark>&lt;</mark>y"
    assert str(highlight("no match here", "zzz")) == "no match here"
    assert str(highlight("<i>", None)) == "&lt;i&gt;"


def test_highlight_keeps_the_match_in_view_when_capping():
    context = "甲" * 1000 + "目标" + "乙" * 1000
    out = str(highlight(context, "目标", limit=50))
    assert out.startswith("…") and out.endswith("…") and "<mark>目标</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) == 52
    huge = "丙" * 400
    assert str(highlight("x" + huge, huge, limit=300)) == "<mark>" + "丙" * 300 + "…</mark>"


def test_cap_cleans_and_cuts():
    assert cap("  a \n\t b\u202e\x00 ") == "a b"
    assert cap("长" * 301) == "长" * 300 + "…"
    assert cap(None) == ""


@pytest.mark.parametrize("url, ok", [
    ("http://www.pingcheng.gov.cn/a?b=1&c=2", True),
    ("HTTPS://example.gov.cn/", True),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    ("java\tscript:alert(1)", False),
    (" http://x.cn/", False),
    ("data:text/html,<script>", False),
    ("//evil.example/", False),
    ("/relative/path", False),
    ("http:///nohost", False),
    ("http://x.cn/" + "a" * 3000, False),
    (None, False),
])
def test_safe_href(url, ok):
    assert safe_href(url) == (url if ok else None)


def test_format_time_shows_beijing_time():
    assert format_time("2024-11-20T01:30:00Z") == "2024-11-20 09:30:00 北京时间"
    assert format_time("2024-11-20T09:30:00+08:00") == "2024-11-20 09:30:00 北京时间"
    assert format_time("2024-11-20T09:30:00") == "2024-11-20 09:30:00"
    assert format_time("昨天 <b>") == "昨天 <b>"  # not a timestamp: shown as (escaped) text
    assert format_time(None) == ""
