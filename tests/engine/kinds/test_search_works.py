from __future__ import annotations

import pytest

from checker.results import Status
from checker.site.records import ProbeResult
from checker.site.snapshot import Snapshot, SnapshotWriter

from ..builders import check, portal, run_check, url

QUERY = "平城区人民政府关于印发平城区第3项管理办法的通知"
DOC = "/zwgk/gfxwj/202610/t20261003_103.html"
RESULTS = url("/search/?channelid=1&searchword=%C6%BD%B3%C7")
AT = "2026-11-21T02:31:00Z"


def probe(found, status: int | None = 200, results_url: str = RESULTS, **data) -> ProbeResult:
    record = {"query": QUERY, "expected_url": url(DOC), "form_action": url("/search/"), "search_input": "searchword",
              "found": found, "where": None, "match": None, "result_titles": [], "answer": None, "reason": "",
              "reason_code": "", **data}
    return ProbeResult("search", results_url, status, AT, record)


@pytest.fixture
def judge(make_snapshot):
    """judge(probe or None, meta=…) → the search_works outcome over the portal with that probe stored."""
    opened: list[Snapshot] = []

    def run(stored: ProbeResult | None, meta: dict | None = None):
        base = make_snapshot(portal(), meta=meta)
        if stored is not None:
            with SnapshotWriter(base.path) as writer:
                writer.add_probe(stored)
        snap = Snapshot(base.path)
        opened.append(snap)
        return run_check(snap, check("search_works"))

    yield run
    for snap in opened:
        snap.close()


def test_pass_when_the_results_link_to_the_document(judge):
    out = judge(probe(True, where="link", match=f"{QUERY} → {url(DOC)}", result_titles=[QUERY]))
    assert out.status == Status.PASS
    assert out.summary == f"站内搜索检索「{QUERY}」，结果链接中有该文档"
    ev, doc = out.evidence
    assert (ev.url, ev.http_status, ev.fetched_at) == (RESULTS, 200, AT)
    assert ev.found == f"{QUERY} → {url(DOC)}" and QUERY in ev.looked_for
    assert ev.where == "站内搜索结果页的结果链接"
    assert doc.url == url(DOC) and doc.found == QUERY and doc.http_status == 200


def test_pass_on_a_text_match(judge):
    out = judge(probe(True, where="text", match=f"1. {QUERY}（2026-10-03）"))
    assert out.status == Status.PASS and out.evidence[0].where == "站内搜索结果页的结果页正文"


def test_fail_when_the_search_says_nothing_found(judge):
    out = judge(probe(False, answer=f"没有找到与“{QUERY}”相关的信息。"))
    assert out.status == Status.FAIL
    assert out.summary == f"站内搜索检索已发布文档的标题「{QUERY}」，未检索到该文档"
    ev = out.evidence[0]
    assert ev.found == f"结果页显示：没有找到与“{QUERY}”相关的信息。"
    assert (ev.url, ev.http_status, ev.fetched_at) == (RESULTS, 200, AT)
    assert out.evidence[1].url == url(DOC)  # the document exists: the reviewer can open it


def test_fail_lists_the_titles_the_results_showed(judge):
    out = judge(probe(False, result_titles=["平城区召开政务公开工作推进会", "平城区开展安全生产大检查"]))
    assert out.status == Status.FAIL
    assert out.evidence[0].found == "结果中没有该文档；结果页列出：平城区召开政务公开工作推进会；平城区开展安全生产大检查"


def test_fail_on_an_empty_results_page(judge):
    out = judge(probe(False))
    assert out.status == Status.FAIL and out.evidence[0].found == "结果页没有列出任何结果"


@pytest.mark.parametrize(("code", "reason", "status", "shown"), [
    ("post_form", "POST search form", None, "站内搜索表单以 POST 方式提交"),
    ("no_search_form", "no search form on the homepage", None, "首页未发现站内搜索表单"),
    ("out_of_scope", "search hosted outside the scan scope: search.dt.gov.cn (http://search.dt.gov.cn/s)", None,
     "站内搜索位于扫描范围外的站点"),
    ("fetch_blocked", "results page blocked: HTTP 403 forbidden (WAF/challenge: 安全狗)", 403, "搜索结果页被拦截"),
    ("script_results", "the results page shows no results …", 200, "结果可能由脚本或框架页加载"),
])
def test_unknown_when_the_probe_could_not_tell(judge, code, reason, status, shown):
    ran = status is not None
    out = judge(probe(None, status=status, results_url=RESULTS if ran else "", reason=reason, reason_code=code))
    assert out.status == Status.UNKNOWN
    assert out.summary.startswith("无法判断：") and shown in out.summary
    assert shown in out.reason and reason[:30] in out.reason
    ev = out.evidence[0]
    assert ev.http_status == status
    assert ev.url == (RESULTS if ran else url("/search/"))
    assert ev.where == ("站内搜索结果页" if ran else "首页搜索表单")


def test_unknown_without_a_probe(judge):
    out = judge(None)
    assert out.status == Status.UNKNOWN and "没有站内搜索检索测试记录" in out.reason


def test_unknown_on_an_unreachable_site(judge):
    out = judge(None, meta={"status": "unreachable"})
    assert out.status == Status.UNKNOWN and out.reason == "站点无法访问，未进行站内搜索检索测试"
