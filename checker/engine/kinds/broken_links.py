"""broken_links: internal links that lead nowhere are at most `max`.

A link is broken when its target answered 404/410, or a 5xx that persisted through the
retries, or failed to connect. Blocked (403/412 challenge) and timed-out targets are not
counted as broken: they are listed as unverified, and make the check unknown only if
they could push the count over `max`. With `scope: site` a crawl that did not see the
whole site can fail the check but never pass it (unseen pages hold unseen links). `scope: homepage` counts links on the homepage
only (首页不可用链接); `scope: site` counts every internal link seen.

Example::

    - id: site-broken-links
      kind: broken_links
      title: 全站不可用链接不超过 5 个
      scope: site
      max: 5
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from checker.engine.locate import incomplete_crawl
from checker.results import Evidence, Status

from ._common import clip, locate, per_snapshot
from .base import CheckBase, CheckContext, Outcome, Target

MAX_LISTED = 20
# The server answered with a body we could not use: the link works. Every other failure
# (blocked, timeout, robots, budget, tls, other HTTP codes) says the checker could not look.
_ANSWERED_KINDS = ("too_large", "decode", "parse")


class Params(CheckBase):
    kind: Literal["broken_links"]
    scope: Literal["homepage", "site"] = "site"
    max: int = Field(0, ge=0, description="Most broken links allowed")


def run(params: Params, ctx: CheckContext) -> Outcome:
    snap = ctx.snapshot
    if params.scope == "homepage":
        located = locate(Target(scope="homepage"), ctx)
        if isinstance(located, Outcome):
            return located
        linked, where = _internal_links([located.page]), "首页"
    else:
        # Every site-scope check reads the same links: gathered once per snapshot.
        linked = per_snapshot(snap, "broken_links_site", lambda s: _internal_links(sorted(s.pages(), key=lambda p: p.url)))
        where = "全站"

    broken: list[Evidence] = []
    unverified: list[Evidence] = []
    for url in sorted(linked):
        verdict = _verdict(ctx, url)
        if verdict is None:
            continue
        is_broken, ev = verdict
        on = linked[url]
        pages = "、".join(dict.fromkeys(src for src, _ in on))
        ev.context = clip(f"链接文字「{on[0][1] or '（无文字）'}」")
        ev.note = clip(f"链接所在页面（共 {len(on)} 处）：{pages}")
        (broken if is_broken else unverified).append(ev)

    b, u = len(broken), len(unverified)
    head = Evidence(looked_for="不可用链接（404/410、5xx、无法连接）", where=f"{where} {len(linked)} 个内部链接",
                    found=f"不可用 {b} 个，未能验证 {u} 个")
    evidence = [head, *broken[:MAX_LISTED]]
    counted = f"{where} {len(linked)} 个内部链接中不可用 {b} 个（允许 ≤ {params.max} 个）"
    if b > params.max:
        return Outcome(Status.FAIL, counted, evidence)
    if b + u > params.max:
        evidence += unverified[:MAX_LISTED]
        reason = f"{u} 个链接未能验证（被拦截、超时或未抓取），可能使不可用链接超过 {params.max} 个"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    incomplete = incomplete_crawl(snap.meta) if params.scope == "site" else None
    if incomplete:
        # Pages the crawl never reached hold links nobody counted.
        reason = f"{incomplete}，未抓取的页面上的链接没有检查"
        return Outcome(Status.UNKNOWN, f"无法判断：{counted}；{reason}", evidence, reason=reason)
    if u:
        counted += f"，另有 {u} 个未能验证"
    return Outcome(Status.PASS, counted, evidence)


def _internal_links(sources) -> dict[str, list[tuple[str, str]]]:
    """Target → [(page it sits on, anchor text)] of the internal http(s) links on `sources`."""
    linked: dict[str, list[tuple[str, str]]] = {}
    for page in sources:
        for link in page.links:
            if link.internal and link.url.startswith(("http://", "https://")) and link.url != page.url:
                linked.setdefault(link.url, []).append((page.url, link.text))
    return linked


def _verdict(ctx: CheckContext, url: str) -> tuple[bool, Evidence] | None:
    """(broken?, evidence) for a link target that is broken or unverified; None when it works."""
    page = ctx.snapshot.get(url)
    if page is not None:
        if page.status in (404, 410) or page.status >= 500:
            return True, Evidence(url=url, http_status=page.status, fetched_at=page.fetched_at,
                                  found=f"HTTP {page.status}")
        return None
    err = ctx.snapshot.error_for(url)
    if err is None:
        return False, Evidence(url=url, found="未抓取")
    ev = Evidence(url=url, http_status=err.status, fetched_at=err.at, found=clip(err.message, 120) or err.kind)
    if err.kind == "connect" or (err.kind == "http" and err.status is not None
                                 and (err.status in (404, 410) or err.status >= 500)):
        return True, ev
    if err.kind in _ANSWERED_KINDS:
        return None
    return False, ev
