from __future__ import annotations

from checker.results import Status

from ..builders import check, error, link, page, run_check, url


def _site(*targets, extra_pages=(), errors=(), meta=None, queued=(), make):
    home = page("/", kind="home", depth=0, links=tuple(link(t, f"链接{i}", "body") for i, t in enumerate(targets)))
    return make([home, *extra_pages], errors=errors, meta=meta, queued=queued)


def test_pass_when_every_target_answered(make_snapshot):
    snap = _site("/a.html", "/b.html", extra_pages=[page("/a.html"), page("/b.html")], make=make_snapshot)
    out = run_check(snap, check("broken_links", scope="homepage", max=0))
    assert out.status == Status.PASS
    assert out.summary == "首页 2 个内部链接中不可用 0 个（允许 ≤ 0 个）"
    assert out.evidence[0].found == "不可用 0 个，未能验证 0 个"


def test_fail_lists_broken_targets_and_where_they_are_linked(make_snapshot):
    snap = _site("/a.html", "/gone.html", "/down.html", "/nohost.html", extra_pages=[page("/a.html")],
                 errors=[error("/gone.html", "http", 404), error("/down.html", "http", 502),
                         error("/nohost.html", "connect", message="connection refused")], make=make_snapshot)
    out = run_check(snap, check("broken_links", scope="homepage", max=2))
    assert out.status == Status.FAIL
    assert "不可用 3 个（允许 ≤ 2 个）" in out.summary
    broken = out.evidence[1:]
    assert [(ev.url, ev.http_status) for ev in broken] == [
        (url("/down.html"), 502), (url("/gone.html"), 404), (url("/nohost.html"), None)]
    assert broken[1].note == f"链接所在页面（共 1 处）：{url('/')}"
    assert broken[1].context == "链接文字「链接1」"


def test_blocked_and_unfetched_are_unverified_not_broken(make_snapshot):
    snap = _site("/gone.html", "/waf.html", "/slow.html", "/later.html",
                 errors=[error("/gone.html", "http", 410), error("/waf.html", "blocked", 403),
                         error("/slow.html", "timeout")], queued=["/later.html"], make=make_snapshot)
    unknown = run_check(snap, check("broken_links", scope="homepage", max=2))
    assert unknown.status == Status.UNKNOWN
    assert "3 个链接未能验证" in unknown.reason
    tolerant = run_check(snap, check("broken_links", scope="homepage", max=4))
    assert tolerant.status == Status.PASS
    assert "另有 3 个未能验证" in tolerant.summary
    strict = run_check(snap, check("broken_links", scope="homepage", max=0))
    assert strict.status == Status.FAIL


def test_site_scope_counts_links_on_every_page_once(make_snapshot):
    inner = page("/zwgk/", links=(link("/gone.html", "旧栏目", "nav"), link("/a.html", "A", "nav")))
    snap = _site("/zwgk/", "/gone.html", extra_pages=[inner, page("/a.html")],
                 errors=[error("/gone.html", "http", 404)], make=make_snapshot)
    out = run_check(snap, check("broken_links", scope="site", max=0))
    assert out.status == Status.FAIL
    assert out.summary == "全站 3 个内部链接中不可用 1 个（允许 ≤ 0 个）"
    assert out.evidence[1].note == f"链接所在页面（共 2 处）：{url('/')}、{url('/zwgk/')}"


def test_external_links_are_not_counted(make_snapshot):
    home = page("/", kind="home", depth=0, links=(link("http://other.example/x", "外链", "body", internal=False),))
    out = run_check(make_snapshot([home]), check("broken_links", scope="homepage", max=0))
    assert out.status == Status.PASS
    assert "0 个内部链接" in out.summary


def test_unknown_without_homepage(make_snapshot):
    out = run_check(make_snapshot([], errors=[error("/", "timeout")]), check("broken_links", scope="homepage"))
    assert out.status == Status.UNKNOWN


def test_site_scope_on_an_incomplete_crawl_can_fail_but_not_pass(make_snapshot):
    clean = _site("/a.html", extra_pages=[page("/a.html")], meta={"status": "partial"}, make=make_snapshot)
    out = run_check(clean, check("broken_links", scope="site", max=0))
    assert out.status == Status.UNKNOWN
    assert "抓取未覆盖全站" in out.reason
    # The homepage's own links are all known: its scope does not depend on the crawl's reach.
    assert run_check(clean, check("broken_links", scope="homepage", max=0)).status == Status.PASS
    broken = _site("/gone.html", errors=[error("/gone.html", "http", 404)], meta={"status": "partial"},
                   make=make_snapshot)
    assert run_check(broken, check("broken_links", scope="site", max=0)).status == Status.FAIL


def test_nothing_crawled_is_unknown(make_snapshot):
    snap = make_snapshot([], errors=[error("/", "connect")], meta={"status": "unreachable"})
    assert run_check(snap, check("broken_links", scope="site", max=5)).status == Status.UNKNOWN
