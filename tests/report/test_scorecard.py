"""The HTML scorecard: self-contained, hostile text escaped, and the content an auditor needs."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from checker.history.models import TrendPoint
from checker.report import render_scorecard, write_scorecard
from checker.report.html import (
    EVIDENCE_CAP,
    PAGE_SCRIPT,
    TEXT_CAP,
    TREND_CAP,
    ItemView,
    _groups,
    cap,
    format_time,
    highlight,
    safe_href,
    scan_banner,
)
from checker.results import STATUS_LABELS, ItemResult, Status

from .history_sample import (
    ACCEPTED_REASON,
    EXPIRED_REASON,
    UNMATCHED_REASON,
    WAIVER_AUTHOR,
    WAIVER_REASON,
    sample_diff,
    sample_trend,
    waived_result,
)
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


@pytest.fixture(scope="module")
def full_html() -> str:
    """The sample with everything a history and a site file add: waivers, a diff, a trend."""
    result = waived_result()
    return render_scorecard(result, diff=sample_diff(result), trend=sample_trend(result))


@pytest.fixture(scope="module")
def full(full_html) -> HTMLParser:
    return HTMLParser(full_html)


@pytest.fixture(params=["plain", "full"])
def page(request, html, full_html) -> tuple[str, HTMLParser]:
    """Each test of page-wide properties runs on both renderings."""
    text = html if request.param == "plain" else full_html
    return text, HTMLParser(text)


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


def test_page_makes_no_external_requests(page):
    _, tree = page
    assert tree.css("script[src]") == []
    assert tree.css("link") == []  # no stylesheet, icon, preload, nothing
    assert tree.css("base") == []
    assert tree.css("meta[http-equiv=refresh]") == []
    for tag in ("img", "iframe", "object", "embed", "source", "video", "audio", "picture", "frame",
                "image", "use", "foreignobject", "feimage", "form"):
        assert tree.css(tag) == [], f"unexpected <{tag}>"
    # The trend chart is inline SVG drawn from shapes only: nothing it could fetch.
    for svg in tree.css("svg"):
        for node in svg.traverse(include_text=False):
            assert not {"href", "xlink:href", "src", "style"} & set(node.attributes), node.tag
    styles = [n.text() for n in tree.css("style")]
    assert len(styles) == 1
    inline = [n.attributes.get("style") or "" for n in tree.css("[style]")]
    for css in styles + inline:
        assert "url(" not in css.lower()
        assert "@import" not in css.lower()
        assert "@font-face" not in css.lower()
    assert "Noto Sans CJK SC" in styles[0] and "Microsoft YaHei" in styles[0]


def test_urls_only_in_link_targets_and_visible_text(page):
    _, tree = page
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            if value and URL_RE.search(value):
                assert node.tag == "a" and name == "href", f"URL in <{node.tag} {name}>"
        if node.tag in ("script", "style"):
            assert not URL_RE.search(node.text()), f"URL inside <{node.tag}>"


def test_only_our_own_inline_script_is_present(page):
    _, tree = page
    scripts = tree.css("script")
    assert len(scripts) == 1
    assert scripts[0].text() == PAGE_SCRIPT
    assert not [n for n in tree.css("*") if any(name.startswith("on") for name in n.attributes)]
    csp = tree.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    # Exactly the script on the page may run: its hash, nothing else.
    digest = base64.b64encode(hashlib.sha256(scripts[0].text().encode()).digest()).decode()
    assert directives["script-src"] == f"'sha256-{digest}'"
    assert "connect-src" not in directives and "img-src" in directives and "http" not in csp


def test_live_links_are_safe(page):
    _, tree = page
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


def test_markup_in_scraped_text_is_escaped(page):
    html, tree = page
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(2)</script>" not in html  # inside a URL: neither in href nor in text
    assert tree.css("img") == []  # the onerror break-out did not create an element
    assert "onerror" not in {name for n in tree.css("*") for name in n.attributes}
    # The text itself is shown faithfully, as text.
    marks = _texts(tree.css("mark"))
    assert SCRIPT in marks
    assert IMG_BREAKOUT in marks


def test_template_syntax_in_scraped_text_is_literal(page):
    html, tree = page
    assert TEMPLATE_EXPR in _texts(tree.css("mark"))
    assert "模板：49" not in html and "<mark>49</mark>" not in html


def test_non_http_urls_are_not_links(tree):
    assert not [a for a in tree.css("a[href]") if "javascript" in a.attributes["href"].lower()]
    spans = _texts(tree.css("span.url"))
    assert "javascript:alert(3)" in spans


def test_invisible_control_characters_are_dropped(page):
    html, _ = page
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


# ---------------------------------------------------------------- summary and coverage


def test_overview_comes_first_with_score_grade_veto_and_counts(tree):
    body = [n.attributes.get("class", "") for n in tree.body.iter()]
    assert body.index("top") < body.index("toolbar")
    rows = tree.css("section.overview table.ov tbody tr")
    result = sample_result()
    assert len(rows) == len(result.profiles)
    for row, p in zip(rows, result.profiles, strict=True):
        text = " ".join(row.text().split())
        assert p.title in text and f"{p.score:.1f}" in text and p.grade in text
        assert f"未通过 {p.counts.fail}" in text and f"无法判断 {p.counts.unknown}" in text
        assert row.css_first("a.ref").attributes["href"] in {f"#p{n}" for n in (1, 2)}
    assert "第 14 项未通过" in rows[0].text() and "第 V2 项未通过" in rows[1].text()
    assert _texts(tree.css("section.overview .ov td[data-label=变化] .muted")) == ["首次扫描", "首次扫描"]


def test_coverage_says_how_much_of_the_site_was_seen(tree):
    scan = sample_scan("partial").model_copy(update={"attachments": 37, "budget_exhausted": True})
    tree2 = HTMLParser(render_scorecard(sample_result().model_copy(update={"scan": scan})))
    line = " ".join(tree2.css_first("p.coverage").text().split())
    assert "共抓取 412 个页面（其中附件 37 个）" in line
    assert "抓取失败 5 个" in line and "被拦截 3 个" in line and "抓取预算已用尽" in line and "扫描不完整" in line
    assert "站点未被完整查看" in line
    assert "coverage-warn" in tree2.css_first("p.coverage").attributes["class"]
    assert "含附件 37 个" in tree2.css_first("header.page-head").text()
    assert "（扫描不完整）" in tree2.css_first("title").text()
    # Each profile's score says it covers only what was fetched.
    assert len(tree2.css("section.profile p.partial-note")) == 2


def test_complete_scan_reads_as_complete():
    tree = HTMLParser(render_scorecard(sample_result("complete")))
    assert "coverage-warn" not in tree.css_first("p.coverage").attributes["class"]
    assert "站点已完整查看" in tree.css_first("p.coverage").text()
    assert tree.css("p.partial-note") == []
    assert "扫描" not in tree.css_first("title").text().split("·")[-1]


@pytest.mark.parametrize("update, words", [
    ({"budget_exhausted": True}, "抓取预算已用尽"),
    ({"blocked": 2}, "2 个页面被拦截"),
])
def test_complete_scan_that_missed_pages_still_gets_a_banner(update, words):
    scan = sample_scan("complete").model_copy(update=update)
    banner = scan_banner(scan)
    assert banner is not None and words in banner.title and "不计为“未通过”" in banner.text
    tree = HTMLParser(render_scorecard(sample_result("complete").model_copy(update={"scan": scan})))
    assert words in tree.css_first("div.banner[role=alert]").text()


# ---------------------------------------------------------------- history: changes and trend


def test_first_scan_says_there_is_no_history(tree):
    for n in (0, 1):
        section = _profile(tree, n)
        assert "首次扫描" in section.css_first("section.history .history-note").text()
        assert section.css("svg") == [] and section.css(".chg-group") == []


def test_changes_are_listed_per_profile_near_the_top(full):
    ping = _profile(full, 0)
    order = [n.attributes.get("class", "") for n in ping.iter()]
    assert order.index("box history") < order.index("items")
    groups = {g.css_first("h4").text().split("（")[0]: g for g in ping.css(".chg-group")}
    assert list(groups) == ["新增未通过", "已整改", "仍未通过", "新增无法判断"]
    numbers = {k: _texts(g.css(".num")) for k, g in groups.items()}
    assert numbers == {"新增未通过": ["6"], "已整改": ["3", "41"], "仍未通过": ["14", "26"], "新增无法判断": ["7"]}
    # Each change links to the item's card; an item gone from this scan is said to be gone.
    for link in ping.css(".chg-group a.ref"):
        target = full.css_first(link.attributes["href"])
        assert target is not None and target.css_first(".num").text() == link.css_first(".num").text()
    gone = next(li for li in groups["已整改"].css("li") if li.css_first(".num").text() == "41")
    assert gone.css_first("a") is None and "本次扫描无此事项" in gone.text() and "已移除" in gone.text()
    newly = groups["新增未通过"].css_first("li")
    assert _texts(newly.css(".badge")) == ["通过", "未通过"] and "未找到「领导信息」栏目" in newly.text()
    assert "norms.numbered" in groups["仍未通过"].css_first(".new-findings").text()


def test_changed_items_are_tagged_and_scores_compared(full):
    tags = {a.css_first(".num").text(): a.css_first(".chg-tag").text()
            for a in _profile(full, 0).css("article.item") if a.css_first(".chg-tag")}
    assert tags == {"6": "本次新增未通过", "3": "本次已整改", "7": "本次新增无法判断"}
    result = waived_result()
    new = result.profiles[0].score
    note = " ".join(_profile(full, 0).css_first("section.history .box-note").text().split())
    assert f"得分 50.0 → {new:.1f}" in note and "2024-11-13 10:00:00 北京时间" in note
    delta = _profile(full, 0).css_first("section.history .delta")
    assert delta.text() == (f"↑ {new - 50:.1f}" if new > 50 else f"↓ {50 - new:.1f}")
    overview = full.css("section.overview .ov tbody tr")
    assert "新增未通过 1" in overview[0].text() and "已整改 2" in overview[0].text()
    # The older scan did not include the national profile: said so, not "no change".
    assert "上一次扫描未包含此任务清单" in _profile(full, 1).css_first(".history-note").text()
    assert "无可比较记录" in overview[1].text()


def test_unchanged_profile_says_so():
    result = sample_result()
    diff = sample_diff(result)
    diff.profiles[0] = diff.profiles[0].model_copy(update={
        "newly_failing": [], "fixed": [], "still_failing": [], "newly_unknown": []})
    tree = HTMLParser(render_scorecard(result, diff=diff))
    assert "各事项状态没有变化" in _profile(tree, 0).css_first("section.history").text()
    assert "无变化" in tree.css("section.overview .ov tbody tr")[0].text()


def test_trend_chart_is_inline_svg_of_every_scan(full):
    svgs = full.css("svg")
    assert len(svgs) == 1  # pingcheng only: the trend has no national points
    svg = _profile(full, 0).css_first("figure.trend svg")
    assert svg.attributes["role"] == "img" and svg.css_first("title").text()
    # Six scans: five past (one unreachable, without a score) and this one.
    assert len(svg.css("g.bar")) == 6
    assert len(svg.css("circle.dot")) == 5
    assert len(svg.css("circle.dot-partial")) == 2  # the partial past scan and this (partial) scan
    assert len(svg.css("polyline.score-line")) == 2  # the unreachable scan breaks the line
    labels = _texts(svg.css("text.xlabel"))
    assert labels[0] == "2024-10-23" and labels[-1] == "2024-11-20"
    rows = _profile(full, 0).css("details.trend-data tbody tr")
    assert len(rows) == 6 and "（本次）" in rows[-1].text() and "无法评分" in rows[2].text()
    # Points sit inside the drawing, scores on the 0–100 scale.
    box = svg.attributes.get("viewBox") or svg.attributes["viewbox"]
    width, height = (float(v) for v in box.split()[2:])
    for dot in svg.css("circle"):
        assert 0 < float(dot.attributes["cx"]) < width and 0 < float(dot.attributes["cy"]) < height


def test_trend_does_not_repeat_a_scan_the_history_already_holds():
    result = sample_result()
    points = sample_trend(result)["pingcheng-2024"]
    c = result.profiles[0].counts
    points.append(TrendPoint(scan_id=9, evaluated_at=result.evaluated_at, as_of="2024-11-20",
                             score=result.profiles[0].score, grade=result.profiles[0].grade, passed=c.pass_,
                             failed=c.fail, unknown=c.unknown, manual=c.manual, scan_status="partial"))
    tree = HTMLParser(render_scorecard(result, trend={"pingcheng-2024": points}))
    assert len(tree.css("svg g.bar")) == 6
    assert len([r for r in tree.css("details.trend-data tbody tr") if "（本次）" in r.text()]) == 1


def test_long_trend_is_capped_to_the_latest_scans():
    result = sample_result()
    points = [TrendPoint(scan_id=n, evaluated_at=f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}T02:00:00Z",
                         as_of=f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}", score=float(n % 100), grade="合格",
                         passed=n % 7, failed=3, unknown=1, manual=0, scan_status="complete")
              for n in range(200)]
    tree = HTMLParser(render_scorecard(result, trend={"pingcheng-2024": points}))
    assert len(tree.css("svg g.bar")) == TREND_CAP
    assert f"另有 {201 - TREND_CAP} 次更早的扫描" in tree.css_first("figure.trend figcaption").text()
    assert len(tree.css("svg text.xlabel")) <= 6


def test_a_chart_needs_two_scans():
    result = sample_result()
    one = sample_trend(result)["pingcheng-2024"][-1:]
    tree = HTMLParser(render_scorecard(result, diff=sample_diff(result), trend={"pingcheng-2024": one}))
    assert len(tree.css("svg g.bar")) == 2  # one past scan and this one
    tree = HTMLParser(render_scorecard(result, diff=sample_diff(result), trend={}))
    assert tree.css("svg") == []
    assert "不足两次扫描" in _profile(tree, 0).css_first(".history-note").text()


# ---------------------------------------------------------------- waivers


def test_waived_item_shows_reason_author_expiry_and_original_status(full):
    item = next(a for a in _profile(full, 0).css("article.item") if a.css_first(".num").text() == "15")
    assert "waived" in item.attributes["class"]
    note = item.css_first("p.waiver")
    text = " ".join(note.text().split())
    assert "已豁免（不适用）" in text and WAIVER_REASON in text and WAIVER_AUTHOR in text
    assert "有效期至 2025年6月30日" in text
    assert note.css_first(".badge").text() == "未通过"  # what the checker found before the waiver
    assert item.css_first(".item-head .waived-tag").text() == "已豁免"


def test_waived_check_is_marked_inside_its_item(full):
    item = next(a for a in _profile(full, 0).css("article.item") if a.css_first(".num").text() == "38")
    check = item.css_first("div.check")
    assert check.css_first(".check-head .waived-tag") is not None
    assert "已豁免（认可）" in check.css_first("p.waiver").text() and ACCEPTED_REASON in check.text()
    assert check.css_first("p.waiver .badge").text() == "未通过"
    assert item.css_first(".item-head .badge").text() == "通过"


def test_site_waivers_are_listed_with_what_became_of_them(full):
    rows = full.css("section#waivers li.waiver-row")
    states = {r.css_first(".w-reason").text().removeprefix("理由："): r.css_first(".w-state").text() for r in rows}
    assert states == {
        WAIVER_REASON: "生效（应用于 1 处）",
        ACCEPTED_REASON: "生效（应用于 1 处）",
        EXPIRED_REASON: "已过期（未应用）",
        UNMATCHED_REASON: "未匹配（没有对应的事项或检查）",
    }
    expired = next(r for r in rows if "w-expired" in r.attributes["class"])
    assert "第 7 项" in expired.text() and "2024年10月1日" in expired.text()
    summary = full.css_first("section.overview p.waiver-sum").text()
    assert "2 条生效" in summary and "1 条已过期、不再适用" in summary
    # The expired waiver changed nothing: item 7 keeps the checker's verdict, unmarked.
    item7 = next(a for a in _profile(full, 0).css("article.item") if a.css_first(".num").text() == "7")
    assert "waived" not in item7.attributes["class"] and item7.css_first(".badge").text() == "无法判断"


def test_no_waivers_no_waiver_section(tree):
    assert tree.css("#waivers") == [] and tree.css("p.waiver-sum") == []
    assert tree.css("#f-waived") == []


# ---------------------------------------------------------------- filters and search


def test_status_filters_are_radio_buttons_that_work_without_script(full):
    radios = full.css("input.flt[type=radio]")
    assert [r.attributes["id"] for r in radios] == [
        "f-all", "f-fail", "f-unknown", "f-manual", "f-pass", "f-not_applicable", "f-waived"]
    assert "checked" in radios[0].attributes
    css = full.css_first("style").text()
    for r in radios[1:]:
        cls = r.attributes["value"]
        assert f"#{r.attributes['id']}:checked ~ main .items .item:not(.{cls}) {{ display: none; }}" in css
        assert full.css(f"main article.item.{cls}"), f"no item for filter {cls}"


def test_unit_and_category_filters_use_keys_that_name_each_unit_once(full):
    units = {o.attributes["value"]: o.text() for o in full.css("#f-unit option") if o.attributes["value"]}
    groups = {o.attributes["value"]: o.text() for o in full.css("#f-group option") if o.attributes["value"]}
    assert len(set(units.values())) == len(units) and len(set(groups.values())) == len(groups)
    assert "未注明牵头单位" in units.values() and "其他" in groups.values()
    items = {i.number: i for p in waived_result().profiles for i in p.items}
    for article in full.css("main article.item"):
        unit, group = article.attributes["data-unit"], article.attributes["data-group"]
        assert re.fullmatch(r"u\d+", unit) and re.fullmatch(r"g\d+", group)
        item = items[article.css_first(".num").text()]
        assert units[unit] == (item.lead_unit or "未注明牵头单位")
        assert groups[group] == (item.group or "其他") == article.parent.css_first("h4").text()


def test_script_only_filters_stay_hidden_without_script(full):
    extra = full.css_first("#f-extra")
    assert "hidden" in extra.attributes
    assert extra.css_first("input[type=search]") is not None and extra.css_first("#f-reset") is not None
    # The page script is the one thing that reveals them.
    assert 'getElementById("f-extra")' in PAGE_SCRIPT and "extra.hidden = false" in PAGE_SCRIPT


def test_print_shows_every_item_and_hides_the_filters(full):
    css = full.css_first("style").text()
    printing = css[css.index("@media print"):]
    assert ".flt, .toolbar { display: none !important; }" in printing
    assert "main .items .item, main .items .group, .off { display: block !important; }" in printing
    assert "details::details-content" in printing


# ---------------------------------------------------------------- files


def test_write_scorecard_takes_the_history(tmp_path, full_html):
    result = waived_result()
    path = tmp_path / "scorecard.html"
    write_scorecard(result, path, None, diff=sample_diff(result), trend=sample_trend(result))
    assert path.read_text(encoding="utf-8") == full_html
    assert render_scorecard(result, diff=sample_diff(result), trend=sample_trend(result)) == full_html
