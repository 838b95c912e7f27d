"""search_works: the site search finds a page that exists (站内搜索可用).

The crawl stage runs a probe (`checker/crawl/probe.py`): it submits the homepage search
form with the title of a document it fetched and stores the results page. This kind
judges the stored probe: pass when the results contain that title (or a link to the
document); fail when the search answered but did not find it (evidence: the query, the
results URL and what it showed); unknown when the probe could not run (no search form,
blocked, timed out, results rendered by script) — with the reason.

Example::

    - id: site-search-works
      kind: search_works
      title: 站内搜索能检索到已发布的信息
"""

from __future__ import annotations

from typing import Literal

from .base import CheckBase, CheckContext, Outcome


class Params(CheckBase):
    kind: Literal["search_works"]


def run(params: Params, ctx: CheckContext) -> Outcome:
    raise NotImplementedError
