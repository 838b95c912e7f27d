"""search_works: the site search finds a page that exists (站内搜索可用).

The crawl stage runs a probe (`checker/crawl/probe.py`): it submits the homepage search
form with the title of a document it fetched and stores the results page. This kind
judges the stored probe: pass when the results contain that title (or a link to the
document); fail when the search answered but did not find it (evidence: the query, the
results URL and what it showed); unknown when the probe could not run (no search form,
blocked, timed out, results rendered by script) — with the reason.

Evidence: the results URL with its HTTP status and fetch time, the query, and what was
found there (the matching result link or line) or, on a fail, what the results page
said ("没有找到…") and the result titles it listed; then the document searched for.
A snapshot without a probe (older version, interrupted scan) is unknown.

Example::

    - id: site-search-works
      kind: search_works
      title: 站内搜索能检索到已发布的信息
"""

from __future__ import annotations

from typing import Literal

from checker.results import Evidence, Status
from checker.site.records import SEARCH_PROBE, ProbeResult

from ._common import clip, page_evidence
from .base import CheckBase, CheckContext, Outcome


class Params(CheckBase):
    kind: Literal["search_works"]


# Why the probe could not tell, by its reason_code, for the scorecard.
REASONS = {
    "no_search_form": "首页未发现站内搜索表单，未进行检索测试",
    "post_form": "站内搜索表单以 POST 方式提交，检索测试只提交 GET 表单",
    "out_of_scope": "站内搜索位于扫描范围外的站点（集约化平台等），未进行检索测试",
    "scripted_form": "站内搜索由页面脚本发起，按表单提交只返回首页",
    "no_input": "搜索表单没有文字输入框",
    "no_query": "没有可用作检索词的已抓取文档标题",
    "robots": "robots.txt 不允许访问搜索结果页",
    "script_results": "搜索结果页没有可读的结果，也没有“未找到”提示：结果可能由脚本或框架页加载",
    "not_html": "搜索结果页不是 HTML 页面",
    "fetch_decode": "搜索结果页无法解码",
    "fetch_blocked": "搜索结果页被拦截（防火墙/反爬验证）",
    "fetch_timeout": "搜索结果页请求超时",
    "fetch_connect": "搜索结果页无法连接",
    "fetch_tls": "搜索结果页 TLS 连接失败",
    "fetch_http": "搜索结果页返回错误",
    "fetch_too_large": "搜索结果页过大",
    "no_home": "首页未作为 HTML 页面保存",
    "probe_error": "检索测试程序出错",
}
WHERE = "站内搜索结果页"


def run(params: Params, ctx: CheckContext) -> Outcome:
    probe = ctx.snapshot.probe(SEARCH_PROBE)
    if probe is None:
        if ctx.snapshot.meta.get("status") == "unreachable":
            reason = "站点无法访问，未进行站内搜索检索测试"
        else:
            reason = "快照中没有站内搜索检索测试记录（扫描未完成，或快照由旧版本生成）"
        return Outcome(Status.UNKNOWN, f"无法判断：{reason}", [Evidence(looked_for="站内搜索检索测试", note=reason)],
                       reason=reason)
    data = probe.data
    query = str(data.get("query") or "")
    found = data.get("found")
    if found is None:
        return _unknown(probe)
    looked_for = f"检索词「{clip(query, 60)}」（已抓取文档的标题）"
    evidence = [Evidence(url=probe.url or None, http_status=probe.status, fetched_at=probe.at,
                         looked_for=looked_for, where=WHERE)]
    doc = ctx.snapshot.get(str(data.get("expected_url") or ""))
    if found:
        how = "结果链接" if data.get("where") == "link" else "结果页正文"
        evidence[0].found = clip(str(data.get("match") or query))
        evidence[0].where = f"{WHERE}的{how}"
        evidence += _doc_evidence(doc)
        return Outcome(Status.PASS, f"站内搜索检索「{clip(query, 60)}」，{how}中有该文档", evidence)
    titles = [str(t) for t in data.get("result_titles") or []]
    answer = data.get("answer")
    if answer:
        evidence[0].found = clip(f"结果页显示：{answer}")
    elif titles:
        evidence[0].found = clip("结果中没有该文档；结果页列出：" + "；".join(titles))
    else:
        evidence[0].found = "结果页没有列出任何结果"
    if titles and answer:
        evidence[0].context = clip("结果页列出：" + "；".join(titles))
    evidence += _doc_evidence(doc)
    return Outcome(Status.FAIL, f"站内搜索检索已发布文档的标题「{clip(query, 60)}」，未检索到该文档", evidence)


def _doc_evidence(doc) -> list[Evidence]:
    """The document searched for: the reviewer sees that it exists and what it is called."""
    if doc is None:
        return []
    return [page_evidence(doc, found=doc.title or None, note="检索的文档（扫描时已抓取）")]


def _unknown(probe: ProbeResult) -> Outcome:
    data = probe.data
    code = str(data.get("reason_code") or "")
    detail = str(data.get("reason") or "")
    shown = REASONS.get(code, "站内搜索检索测试未能完成")
    reason = f"{shown}（{clip(detail, 200)}）" if detail else shown
    query = data.get("query")
    ev = Evidence(
        url=probe.url or data.get("form_action") or None, http_status=probe.status,
        fetched_at=probe.at if probe.url else None,
        looked_for=f"检索词「{clip(str(query), 60)}」" if query else "站内搜索检索测试",
        where=WHERE if probe.url else "首页搜索表单", note=clip(reason),
    )
    return Outcome(Status.UNKNOWN, f"无法判断：{shown}", [ev], reason=reason)
