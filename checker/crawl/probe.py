"""The site-search probe: does the portal's own search find a page that exists?

Run once after the crawl (`crawler.py`). It takes the homepage's search form, fills its
text input with the title of a document the crawl fetched, submits it the way a browser
would (GET to the form's action, hidden inputs kept, the query encoded in the page's
charset), fetches the results page through the crawl's own `Fetcher` (same politeness,
robots.txt, scope) and records what the results page showed as a `ProbeResult`. The
engine's `search_works` kind judges the stored record; nothing here decides pass or fail.

`data["found"]` is True (the document is among the results), False (the search answered
and it is not there) or None (the probe could not tell: no GET search form, search hosted
outside the scan scope, robots.txt, blocked, results rendered by script …), and
`data["reason"]` / `data["reason_code"]` say why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from ..site.records import SEARCH_PROBE, Form, ListItem, PageRecord, ProbeResult
from .decode import decode
from .extract import Extracted, extract
from .fetch import Fetcher
from .robots import RobotsCache

MAX_QUERY_CHARS = 40  # search boxes commonly cap input at 40 characters (maxlength="40")
MIN_QUERY_CHARS = 4  # shorter titles match too much to prove anything
MAX_RESULT_TITLES = 10
MAX_SAVED_TEXT = 300  # scraped text kept in the probe record is capped

# Separators between a page title and the column / site names CMSs append to it.
_TITLE_SEP = re.compile(r"\s*(?:_|\||｜|——|--|\s[-－—]\s)\s*")
_SUFFIX_PUNCT = " -－—_|｜·:："
_TRUNCATED = ("…", "...", "。。。")
# What follows a site's name when a title calls it a website: 云溪县人民政府门户网站.
_SITE_WORDS = frozenset({"门户网站", "网站", "网", "官网", "门户", "官方网站", "政府网"})
_HOME_WORDS = frozenset({"首页", "网站首页", "主页", "门户首页"})
# Input names a search box's words go into, for forms stored before `query_input` existed.
_QUERY_NAME = re.compile(r"^(?:q|kw|wd|key|keys?word|keywords?|searchword|searchkey|searchtext|query|word|words|"
                         r"sousuo|search|title|text)$", re.IGNORECASE)
# Lines of a results page that repeat the query back ("检索“…”，共找到 3 条结果").
_ECHO = re.compile(r"检索|搜索|关键词|关键字|查询|找到|结果")
_NO_RESULTS = re.compile(
    r"没有找到|未找到|找不到|无(?:检索|搜索|查询)?结果|暂无(?:相关)?(?:信息|数据|内容|结果|记录)|"
    r"(?:共|找到|检索到)\s*0\s*(?:条|篇|个)|没有(?:检索|搜索|查询)到|未(?:检索|搜索|查询)到|没有相关"
)
_PAGER = re.compile(r"^(?:上一页|下一页|首页|尾页|末页|前一页|后一页|更多|第?\d+页?|>>?|<<?|»|«|\.\.\.)$")


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # what is typed into the search box
    url: str  # the document it is the title of
    final_url: str


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _squash(text: str) -> str:
    """Text compared without whitespace: highlighting tags and line breaks add spaces."""
    return "".join(text.split())


def _clip(text: str, limit: int = MAX_SAVED_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- choosing the query


def site_names(home: PageRecord) -> list[str]:
    """The names the homepage's title gives the site ('首页 - 云溪县人民政府' → ['云溪县人民政府'])."""
    parts = [p.strip() for p in _TITLE_SEP.split(home.title) if p.strip()]
    return [p for p in parts if p not in _HOME_WORDS]


def strip_site_suffix(title: str, names: Iterable[str]) -> str:
    """A page title without the column and site names the CMS adds around it.

    '关于…的通知_通知公告_云溪县人民政府' → '关于…的通知'; '关于…的通知-云溪县人民政府' → '关于…的通知'.
    """
    names = [n for n in names if n]
    parts = [p.strip() for p in _TITLE_SEP.split(title) if p.strip()]
    parts = [p for p in parts if not any(p == n or (p.startswith(n) and p[len(n):] in _SITE_WORDS) for n in names)]
    if not parts:
        return ""
    head = parts[0]
    for name in names:
        if head.endswith(name) and head != name:
            head = head[: -len(name)].rstrip(_SUFFIX_PUNCT)
    return head.strip()


def _usable(text: str) -> bool:
    return MIN_QUERY_CHARS <= len(text) <= MAX_QUERY_CHARS and not text.endswith(_TRUNCATED)


def _title_of(doc: PageRecord, item: ListItem | None, names: list[str]) -> str:
    candidates = [strip_site_suffix(doc.title, names)]
    if item is not None:
        candidates.append(" ".join(item.title.split()))
    candidates.append(" ".join(doc.meta.get("标题", "").split()))
    return next((c for c in candidates if _usable(c) and c not in names), "")


def pick_query(home: PageRecord, pages: Iterable[PageRecord]) -> Query | None:
    """The title of a fetched document to search for: the longest usable title among the
    documents a column list links to (long titles are distinctive), any fetched document
    when no list leads to one. Documents the homepage links to come last: a results page
    built from the homepage's template may list them whatever the search found. Ties go
    to the smallest URL, so the choice is repeatable."""
    pages = list(pages)
    names = site_names(home)
    on_home = {lk.url for lk in home.links} | {it.url for it in home.list_items}
    docs: dict[str, PageRecord] = {}
    for p in pages:
        if p.kind == "detail":
            docs.setdefault(p.url, p)
            docs.setdefault(p.final_url, p)
    listed: list[tuple[int, str, str, PageRecord]] = []
    for p in pages:
        if p.kind not in ("home", "list"):
            continue
        for item in p.list_items:
            doc = docs.get(item.url)
            text = _title_of(doc, item, names) if doc is not None else ""
            if text:
                listed.append((doc.url in on_home, -len(text), doc.url, text, doc))
    if not listed:
        for doc in {d.url: d for d in docs.values()}.values():
            text = _title_of(doc, None, names)
            if text:
                listed.append((doc.url in on_home, -len(text), doc.url, text, doc))
    if not listed:
        return None
    *_, text, doc = min(listed, key=lambda c: c[:4])
    return Query(text, doc.url, doc.final_url)


# ---------------------------------------------------------------- the form


def search_form(home: PageRecord) -> tuple[Form | None, str, str]:
    """(the GET search form, '', '') or (None, reason_code, reason)."""
    forms = [f for f in home.forms if f.is_search]
    if not forms:
        return None, "no_search_form", "no search form on the homepage"
    gets = [f for f in forms if f.method in ("get", "")]
    if not gets:
        return None, "post_form", "POST search form"
    # A form without an action of its own (it posts back to the page: a script submits it)
    # is the last choice; 大汉 pages carry such avalon forms next to the real one.
    own = {home.url, home.final_url}
    return min(gets, key=lambda f: f.action.split("?", 1)[0] in own), "", ""


def query_input(form: Form) -> str:
    if form.query_input:
        return form.query_input
    return next((n for n in form.inputs if _QUERY_NAME.match(n)), "")


def search_url(form: Form, field: str, text: str, encoding: str = "utf-8") -> str:
    """The URL a browser requests when `text` is typed into `field` and the form is sent:
    the action's query string replaced by the form data, encoded in the page's charset."""
    try:
        codec = encoding or "utf-8"
        "".encode(codec)
    except LookupError:
        codec = "utf-8"
    pairs = list(form.defaults)
    for i, (name, _value) in enumerate(pairs):
        if name == field:
            pairs[i] = (name, text)
            break
    else:
        pairs.append((field, text))
    parts = urlsplit(form.action)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/",
                       urlencode(pairs, encoding=codec, errors="xmlcharrefreplace"), ""))


# ---------------------------------------------------------------- reading the results


def _link_matches(text: str, query: str) -> bool:
    t, q = _squash(text), _squash(query)
    if not t:
        return False
    if q in t:
        return True
    # A result list that truncates titles: '关于做好权责清单公开工作…' still names the document.
    for mark in _TRUNCATED:
        if t.endswith(mark):
            stem = t[: -len(mark)]
            return len(stem) >= min(len(q), 8) and q.startswith(stem)
    return False


def read_results(ex: Extracted, html: str, query: Query, template: set[str] = frozenset()) -> dict:
    """What an extracted results page shows about `query`: found / where / match /
    result_titles / answer, plus reason and reason_code when it cannot be told.

    `template` holds the URLs the homepage links to: links the results page shares with
    the site's template are not results.
    """
    expected = {query.url, query.final_url}
    expected_paths = {urlsplit(u).path for u in expected if len(urlsplit(u).path) > 1}
    links = [lk for lk in ex.links if lk.region not in ("nav", "breadcrumb", "footer")]
    titles = [lk.text for lk in links if lk.url not in template and len(lk.text) >= MIN_QUERY_CHARS
              and not _PAGER.match(lk.text)]
    out: dict = {
        "found": False, "where": None, "match": None,
        "result_titles": [_clip(t, 100) for t in titles[:MAX_RESULT_TITLES]],
        "answer": None, "reason": "", "reason_code": "",
    }
    for lk in links:
        target = urlsplit(unquote(lk.url))
        # A search engine may link through a redirector: /jump?url=/xwzx/…/t20261118_9.html
        if (lk.url in expected or target.path in expected_paths
                or any(path in target.query for path in expected_paths) or _link_matches(lk.text, query.text)):
            out.update(found=True, where="link", match=_clip(f"{lk.text or '（无文字）'} → {lk.url}"))
            return out
    lines = [line.strip() for line in ex.text.split("\n") if line.strip()]
    q = _squash(query.text)
    for line in lines:
        if q in _squash(line) and not (_ECHO.search(line) and len(line) < len(query.text) + 40):
            out.update(found=True, where="text", match=_clip(line))
            return out
    answer = next((line for line in lines if len(line) <= 200 and _NO_RESULTS.search(line)), None)
    out["answer"] = _clip(answer) if answer else None
    if answer is None and not titles:
        lowered = html.lower()
        if "<script" in lowered or "<iframe" in lowered:
            out.update(found=None, reason_code="script_results",
                       reason="the results page shows no results and no 'nothing found' message; "
                              "its results are likely rendered by script or in a frame")
    return out


# ---------------------------------------------------------------- the probe


def _record(code: str, reason: str, *, url: str = "", status: int | None = None, at: str | None = None,
            **data) -> ProbeResult:
    """A probe that could not tell: found None, with the reason."""
    record = {"found": None, "where": None, "match": None, "result_titles": [], "answer": None, **data,
              "reason": reason[:500], "reason_code": code}
    return ProbeResult(SEARCH_PROBE, url, status, at or utc_now(), record)


async def search_probe(fetcher: Fetcher, robots: RobotsCache, in_scope: Callable[[str], bool],
                       home: PageRecord, pages: Iterable[PageRecord], *, today: date | None = None) -> ProbeResult:
    """Submit the homepage search form with a fetched document's title; record the answer.

    `home` needs its forms, title, encoding and links; `pages` their kind, titles, meta
    and list items (`SnapshotWriter.outline` gives both). Never raises for network or
    page trouble.
    """
    form, code, reason = search_form(home)
    if form is None:
        return _record(code, reason)
    base: dict = {"form_action": form.action}
    if not form.action or not in_scope(form.action):
        host = urlsplit(form.action).hostname or form.action
        return _record("out_of_scope", f"search hosted outside the scan scope: {host} ({form.action})", **base)
    field = query_input(form)
    if not field:
        return _record("no_input", "the search form has no text input", **base)
    query = pick_query(home, pages)
    if query is None:
        return _record("no_query", "no fetched document with a usable title to search for", **base)
    base.update(query=query.text, expected_url=query.url, search_input=field)
    url = search_url(form, field, query.text, home.encoding)
    if not await robots.allowed(url):
        return _record("robots", f"robots.txt disallows the search URL {url}", url=url, **base)
    fetcher.set_host_delay(urlsplit(url).netloc, robots.crawl_delay(url))

    res = await fetcher.fetch(url)
    at = utc_now()
    if res.final_url != url:
        base["final_url"] = res.final_url
    if res.redirect_to:
        host = urlsplit(res.redirect_to).hostname or res.redirect_to
        return _record("out_of_scope", f"search hosted outside the scan scope: redirects to {host} ({res.redirect_to})",
                       url=url, status=res.status, at=at, **base)
    if not res.ok:
        return _record(f"fetch_{res.error_kind}", f"results page {res.error_kind}: {res.error or ''}",
                       url=url, status=res.status, at=at, **base)
    if "html" not in res.content_type.lower() and b"<html" not in res.body[:2048].lower():
        return _record("not_html", f"the results page is not HTML ({res.content_type or 'no Content-Type'})",
                       url=url, status=res.status, at=at, **base)
    decoded = decode(res.body, res.content_type or None)
    if decoded.undecodable:
        return _record("fetch_decode", f"cannot decode the results page: {decoded.problem}",
                       url=url, status=res.status, at=at, **base)
    ex = extract(decoded.text, res.final_url, in_scope, today=today)
    if urlsplit(res.final_url).path == urlsplit(home.final_url).path and ex.title == home.title:
        # action="" or "#": the page's own script builds the search request; submitting the
        # bare form just reloads the homepage.
        return _record("scripted_form", "submitting the search form returns the homepage: the search is "
                       "run by script", url=url, status=res.status, at=at, **base)
    template = {lk.url for lk in home.links}
    seen = read_results(ex, decoded.text, query, template)
    return ProbeResult(SEARCH_PROBE, url, res.status, at, {**base, **seen})
