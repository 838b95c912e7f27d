"""evaluate(): statuses, scores, grades, vetoes, determinism, and errors that never sink a scan."""

from __future__ import annotations

import pytest

from checker.engine.evaluate import evaluate, fingerprint, item_status
from checker.engine.rules import Profile
from checker.results import Evidence, ScanResult, Status
from checker.site.snapshot import Snapshot

from .builders import check, error, portal

CHECKS = {
    c.id: c
    for c in [
        check("exists", id="qzqd-exists", target={"names": ["权责清单"]}),
        check("updated_within", id="qzqd-fresh", target={"names": ["权责清单"]}, days=30),
        check("updated_within", id="qzqd-fresh-7d", target={"names": ["权责清单"]}, days=7),
        check("exists", id="czyjs-exists", target={"names": ["财政预决算"]}),
        check("exists", id="ssj-exists", target={"names": ["双随机一公开"], "if_missing": "not_applicable"}),
        check("footer_has", id="footer-site-code", element="site_code", aliases=["site-code"]),
        check("text_matches", id="guide-landline", target={"scope": "page", "names": ["政府信息公开指南"]},
              patterns=["landline"]),
    ]
}


def _item(number, *checks, **kw):
    base = {"number": number, "name": f"任务{number}", "content": f"具体内容{number}"}
    if checks:
        base["checks"] = list(checks)
    else:
        base["manual"] = "需查阅内部台账"
    return {**base, **kw}


def _profile(*items, **kw):
    return Profile.model_validate({"id": "pingcheng-2024", "title": "平城区2024年政务公开工作任务分解表",
                                   "source": "000_d1a42ae4060ce4a9.txt", "issuer": "平城区", "year": 2024,
                                   "items": list(items), **kw})


def _eval(snap, *profiles, checks=CHECKS) -> ScanResult:
    return evaluate(snap, list(profiles), checks, evaluated_at="2026-11-21T03:00:00Z", snapshot_name="snap.sqlite")


def test_item_status_rules():
    P, F, U, NA = Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE
    assert item_status([P, U, F]) == F
    assert item_status([P, U]) == U
    assert item_status([NA, NA]) == NA
    assert item_status([P, NA]) == P
    assert item_status([P]) == P


def test_statuses_scores_and_counts(make_snapshot):
    profile = _profile(
        _item("1", "qzqd-exists", "qzqd-fresh", weight=2),  # pass
        _item("2", "czyjs-exists"),  # fail (no such column, complete crawl)
        _item("3", "qzqd-exists", "qzqd-fresh-7d"),  # fail: one of its checks fails
        _item("4", "ssj-exists", weight=5),  # not applicable: not scored
        _item("5"),  # manual
        _item("6", "footer-site-code", "guide-landline"),  # pass
    )
    result = _eval(make_snapshot(portal()), profile)
    p = result.profiles[0]
    assert [i.status for i in p.items] == [Status.PASS, Status.FAIL, Status.FAIL, Status.NOT_APPLICABLE,
                                           Status.MANUAL, Status.PASS]
    # (2 + 1) passed of (2 + 1 + 1 + 1) judged
    assert p.score == 60.0
    assert p.grade == "合格"
    assert p.veto_hits == []
    assert p.counts.model_dump(by_alias=True) == {"pass": 2, "fail": 2, "unknown": 0, "manual": 1, "not_applicable": 1}
    manual = p.items[4]
    assert manual.manual_reason == "需查阅内部台账" and manual.checks == []
    assert p.items[0].checks[1].summary.startswith("栏目「权责清单」最新信息 2026-11-02")


def test_veto_failure_makes_the_profile_fail_whatever_the_score(make_snapshot):
    profile = _profile(_item("1", "qzqd-exists", weight=10), _item("2", "czyjs-exists", veto=True, weight=0.1))
    p = _eval(make_snapshot(portal()), profile).profiles[0]
    assert p.score == 99.0
    assert p.veto_hits == ["2"]
    assert p.grade == "不合格（单项否决）"


@pytest.mark.parametrize(("weights", "score", "grade"), [
    ((1, 0), 100.0, "优秀"), ((9, 1), 90.0, "优秀"), ((17, 3), 85.0, "良好"), ((3, 2), 60.0, "合格"),
    ((1, 2), 33.3, "不合格"), ((0, 0), None, "无法评分"),
])
def test_grade_thresholds(make_snapshot, weights, score, grade):
    passed, failed = weights
    profile = _profile(_item("1", "qzqd-exists", weight=passed), _item("2", "czyjs-exists", weight=failed))
    p = _eval(make_snapshot(portal()), profile).profiles[0]
    assert (p.score, p.grade) == (score, grade)


def test_profile_grade_thresholds_are_configurable(make_snapshot):
    profile = _profile(_item("1", "qzqd-exists", weight=17), _item("2", "czyjs-exists", weight=3),
                       grades={"excellent": 95, "good": 90, "passing": 85})
    assert _eval(make_snapshot(portal()), profile).profiles[0].grade == "合格"


def test_nothing_judged_gives_no_score(make_snapshot):
    snap = make_snapshot([], errors=[error("/", "blocked", 412)], meta={"status": "unreachable"})
    p = _eval(snap, _profile(_item("1", "footer-site-code"), _item("2"))).profiles[0]
    assert p.items[0].status == Status.UNKNOWN
    assert p.score is None and p.grade == "无法评分"


def test_a_kind_that_raises_is_unknown_and_the_scan_goes_on(make_snapshot):
    broken = check("text_matches", id="bad-pattern", target={"scope": "homepage"}, region="text",
                   patterns=["no_such_pattern"])
    checks = {**CHECKS, broken.id: broken}
    p = _eval(make_snapshot(portal()), _profile(_item("1", "bad-pattern"), _item("2", "qzqd-exists")),
              checks=checks).profiles[0]
    bad = p.items[0].checks[0]
    assert bad.status == Status.UNKNOWN
    assert bad.reason.startswith("检查出错：KeyError: ")
    assert "no_such_pattern" in bad.reason
    assert p.items[1].status == Status.PASS
    assert p.score == 100.0


def test_unknown_check_id_and_aliases(make_snapshot):
    p = _eval(make_snapshot(portal()), _profile(_item("1", "site-code"), _item("2", "no-such-check"))).profiles[0]
    renamed = p.items[0].checks[0]
    assert renamed.check_id == "footer-site-code" and renamed.status == Status.PASS
    missing = p.items[1].checks[0]
    assert missing.status == Status.UNKNOWN and "no-such-check" in missing.reason


def test_checks_are_shared_across_items_and_profiles(make_snapshot):
    first = _profile(_item("1", "qzqd-fresh"), _item("2", "qzqd-fresh"))
    second = _profile(_item("7", "qzqd-fresh"), id="national", title="全国检查指标", source="国办秘函〔2019〕19号")
    result = _eval(make_snapshot(portal()), first, second)
    results = [i.checks[0] for p in result.profiles for i in p.items]
    assert len({r.summary for r in results}) == 1
    # Same finding on different items keeps distinct fingerprints.
    assert len({r.fingerprint for r in results}) == 3
    assert [p.id for p in result.profiles] == ["pingcheng-2024", "national"]


def test_determinism(make_snapshot):
    snap = make_snapshot(portal())
    profile = _profile(*(_item(str(n), cid) for n, cid in enumerate(CHECKS, 1)), _item("99"))
    first = _eval(snap, profile).model_dump_json()
    second = _eval(snap, profile).model_dump_json()
    reopened = _eval(Snapshot(snap.path), profile).model_dump_json()
    assert first == second == reopened


def test_fingerprint_ignores_scheme_and_host_and_order():
    a = [Evidence(url="http://www.pingcheng.gov.cn/zwgk/qzqd/"), Evidence(url="http://www.pingcheng.gov.cn/a?b=1")]
    b = [Evidence(url="https://pingcheng.gov.cn/a?b=1"), Evidence(url="https://pingcheng.gov.cn/zwgk/qzqd/"),
         Evidence(looked_for="没有网址的证据")]
    assert fingerprint("c", "p", "1", a) == fingerprint("c", "p", "1", b)
    assert len(fingerprint("c", "p", "1", a)) == 16
    assert fingerprint("c", "p", "1", a) != fingerprint("c", "p", "2", a)
    assert fingerprint("c", "p", "1", a) != fingerprint("c", "p", "1", a[:1])


def test_scan_info_from_snapshot_meta(make_snapshot):
    snap = make_snapshot(portal(), errors=[error("/x.html", "blocked", 403), error("/y.html", "http", 404)],
                         meta={"status": "partial", "status_reason": "预算用尽", "budget_exhausted": "true",
                               "robots": "ignored", "hosts": ["demo.test", "xxgk.demo.test"]})
    result = _eval(snap, _profile(_item("1", "qzqd-exists")))
    scan = result.scan
    assert scan.start_url == "http://demo.test/"
    assert scan.hosts == ["demo.test", "xxgk.demo.test"]
    assert scan.as_of.isoformat() == "2026-11-21"
    assert (scan.status, scan.status_reason) == ("partial", "预算用尽")
    assert (scan.pages, scan.fetch_errors, scan.blocked) == (11, 2, 1)
    assert scan.budget_exhausted is True and scan.robots == "ignored"
    assert (scan.started_at, scan.finished_at) == ("2026-11-21T02:00:00Z", "2026-11-21T02:30:00Z")
    assert scan.snapshot == "snap.sqlite"
    assert result.tool == "gov-portal-checker" and result.evaluated_at == "2026-11-21T03:00:00Z"


def test_snapshot_without_scan_date_is_refused(make_snapshot):
    snap = make_snapshot(portal(), meta={"as_of": ""})
    with pytest.raises(ValueError, match="as_of"):
        _eval(snap, _profile(_item("1", "qzqd-exists")))


def test_result_validates_against_its_own_schema(make_snapshot, tmp_path):
    import json

    import jsonschema

    from checker.engine.loader import export_schemas

    export_schemas(tmp_path)
    schema = json.loads((tmp_path / "result.schema.json").read_text(encoding="utf-8"))
    result = _eval(make_snapshot(portal()), _profile(*(_item(str(n), cid) for n, cid in enumerate(CHECKS, 1))))
    jsonschema.validate(json.loads(result.model_dump_json(by_alias=True)), schema)


def test_a_preview_check_reports_but_does_not_decide_the_item(make_snapshot):
    preview_fail = check("exists", id="czyjs-preview", target={"names": ["财政预决算"]}, status="preview")
    preview_pass = check("exists", id="qzqd-preview", target={"names": ["权责清单"]}, status="preview")
    checks = {**CHECKS, preview_fail.id: preview_fail, preview_pass.id: preview_pass}
    profile = _profile(
        _item("1", "qzqd-exists", "czyjs-preview"),  # stable pass + preview fail → pass
        _item("2", "czyjs-preview"),  # only a preview check: nothing decides it
        _item("3", "czyjs-exists", "qzqd-preview"),  # stable fail + preview pass → fail
    )
    p = _eval(make_snapshot(portal()), profile, checks=checks).profiles[0]
    assert [i.status for i in p.items] == [Status.PASS, Status.UNKNOWN, Status.FAIL]
    informative = p.items[0].checks[1]
    assert informative.status == Status.FAIL  # still reported as what it found
    assert informative.summary == "未找到栏目「财政预决算」（预览规则，不计入判定）"
    assert p.items[2].checks[1].summary.endswith("（预览规则，不计入判定）")
    assert not p.items[0].checks[0].summary.endswith("（预览规则，不计入判定）")
    assert p.score == 50.0  # one pass, one fail: the preview-only item is not scored


# -- applies_if ------------------------------------------------------------------------------------

GUIDE_MEDIA = check(
    "text_matches", id="guide-new-media", target={"scope": "page", "names": ["政府信息公开指南"]},
    keywords=["微信|微博|政务新媒体"],
    applies_if={"homepage_has": ["微信|微博", "政务新媒体"], "homepage_links_to": ["weibo.com", "mp.weixin.qq.com"]},
)


def _media_site(*, home_links=(), home_text=None, guide_extra=""):
    from .builders import GUIDE_BODY, link

    pages = portal()
    home, zn_doc = pages[0], next(p for p in pages if p.url.endswith("t20260301_77.html"))
    home.links = home.links + tuple(link(u, t, "footer", False) for u, t in home_links)
    if home_text is not None:
        home.text = home_text
    zn_doc.body = GUIDE_BODY + guide_extra
    return pages


def _guide_item(snap):
    checks = {**CHECKS, GUIDE_MEDIA.id: GUIDE_MEDIA}
    return _eval(snap, _profile(_item("9", "guide-new-media")), checks=checks).profiles[0].items[0]


def test_applies_if_false_is_not_applicable_and_the_kind_does_not_run(make_snapshot):
    item = _guide_item(make_snapshot(_media_site()))
    assert item.status == Status.NOT_APPLICABLE
    chk = item.checks[0]
    assert chk.status == Status.NOT_APPLICABLE
    assert chk.reason == ("首页未发现「微信」或「微博」或「政务新媒体」或指向 weibo.com、mp.weixin.qq.com 的链接，"
                          "本项不适用")
    assert chk.summary == chk.reason
    assert chk.evidence[0].url == "http://demo.test/" and chk.evidence[0].found == "未找到"


def test_applies_if_on_a_link_host_runs_the_check(make_snapshot):
    # A badge linking to the county's Weibo account (no text): the guide must name the accounts.
    snap = make_snapshot(_media_site(home_links=[("https://weibo.com/u/3966981301", "")]))
    chk = _guide_item(snap).checks[0]
    assert chk.status == Status.FAIL
    assert "未找到" in chk.summary
    passing = make_snapshot(_media_site(home_links=[("https://weibo.com/u/3966981301", "")],
                                        guide_extra=" 政务新媒体：“平城发布”微信公众号"))
    assert _guide_item(passing).checks[0].status == Status.PASS


def test_applies_if_on_homepage_text_or_anchor(make_snapshot):
    by_text = make_snapshot(_media_site(home_text="大同市平城区人民政府\n扫一扫关注\n平城发布 微 信"))
    assert _guide_item(by_text).checks[0].status == Status.FAIL  # 微 信 with a space still counts
    by_anchor = make_snapshot(_media_site(home_links=[("/static/qr.jpg", "政务新媒体矩阵")]))
    assert _guide_item(by_anchor).checks[0].status == Status.FAIL


def test_applies_if_unknown_without_a_homepage(make_snapshot):
    pages = [p for p in portal() if p.url != "http://demo.test/"]
    snap = make_snapshot(pages, errors=[error("/", "blocked", 412)])
    chk = _guide_item(snap).checks[0]
    assert chk.status == Status.UNKNOWN
    assert chk.reason == "无法判断本项是否适用：首页无法访问：412 被拦截"
    assert chk.evidence[0].url == "http://demo.test/"
