from __future__ import annotations

from checker.results import Status

from ..builders import check, error, gfxwj_doc, item, page, portal, run_check, url

GFXWJ = {"names": ["行政规范性文件", "规范性文件"]}


def _site(docs, *, listed=None):
    """The portal with its 规范性文件 column replaced by `docs` (plus `listed` extra items)."""
    pages = [p for p in portal() if "/zwgk/gfxwj/" not in p.url]
    items = tuple(item(d.title, d.url, d.published) for d in docs) + tuple(listed or ())
    pages.append(page("/zwgk/gfxwj/", kind="list", title="行政规范性文件",
                      breadcrumb=("首页", "政府信息公开", "行政规范性文件"), items=items))
    return pages + list(docs)


def test_pass_when_every_document_matches(make_snapshot):
    out = run_check(make_snapshot(portal()),
                    check("documents_match", target=GFXWJ, patterns=["validity_period"], tail_chars=200))
    assert out.status == Status.PASS
    assert out.summary == "栏目「行政规范性文件」已检查 3 篇文档，3/3 篇符合「有效期」（要求 ≥ 100%）"
    examples = [ev for ev in out.evidence if ev.context]
    assert examples and examples[0].found == "有效期3年"


def test_fail_lists_the_failing_documents(make_snapshot):
    docs = [gfxwj_doc(1), gfxwj_doc(2, validity=False), gfxwj_doc(3, validity=False)]
    out = run_check(make_snapshot(_site(docs)), check("documents_match", target=GFXWJ, patterns=["validity_period"]))
    assert out.status == Status.FAIL
    assert "1/3 篇符合" in out.summary
    failing = [ev for ev in out.evidence if ev.found == "缺少：有效期"]
    assert [ev.url for ev in failing] == [docs[1].url, docs[2].url]
    assert failing[0].note == docs[1].title


def test_mostly_tolerates_a_share(make_snapshot):
    docs = [gfxwj_doc(n) for n in range(1, 5)] + [gfxwj_doc(5, validity=False)]
    snap = make_snapshot(_site(docs))
    assert run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                 mostly=0.8)).status == Status.PASS
    assert run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                 mostly=0.9)).status == Status.FAIL


def test_tail_chars_limits_the_search_to_the_end(make_snapshot):
    doc = gfxwj_doc(1)
    doc.body = "有效期5年的说明放在了开头。" + "正文" * 400 + "本办法自发布之日起施行。"
    snap = make_snapshot(_site([doc]))
    assert run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"])).status == Status.PASS
    tail = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"], tail_chars=100))
    assert tail.status == Status.FAIL


def test_in_meta_accepts_the_metadata_table(make_snapshot):
    snap = make_snapshot(_site([gfxwj_doc(1), gfxwj_doc(2)]))
    body_only = run_check(snap, check("documents_match", target=GFXWJ, patterns=["doc_number"]))
    assert body_only.status == Status.FAIL
    with_meta = run_check(snap, check("documents_match", target=GFXWJ, patterns=["doc_number"], in_meta=True))
    assert with_meta.status == Status.PASS
    assert any(ev.found == "平政发〔2026〕1号" for ev in with_meta.evidence)


def test_keywords_any_one_satisfies(make_snapshot):
    snap = make_snapshot(portal())
    out = run_check(snap, check("documents_match", target=GFXWJ, keywords=["负责解读", "负责解释"]))
    assert out.status == Status.PASS
    assert run_check(snap, check("documents_match", target=GFXWJ, keywords=["解读机关"])).status == Status.FAIL


def test_unfetched_documents_that_could_flip_make_it_unknown(make_snapshot):
    docs = [gfxwj_doc(1), gfxwj_doc(2)]
    blocked = [item(f"第{n}号文件", f"/zwgk/gfxwj/202609/t2026090{n}_9{n}.html", "2026-09-01") for n in (1, 2, 3)]
    snap = make_snapshot(_site(docs, listed=blocked),
                         errors=[error(it.url, "blocked", 403) for it in blocked])
    out = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"], mostly=0.8))
    # 2/2 pass, but 3 unverified: 2/5 would fail → unknown
    assert out.status == Status.UNKNOWN
    assert "3 篇文档未能检查" in out.reason
    unverified = [ev for ev in out.evidence if ev.found and ev.found.startswith("未能抓取")]
    assert len(unverified) == 3 and unverified[0].http_status == 403


def test_unfetched_documents_that_cannot_flip_leave_the_verdict(make_snapshot):
    docs = [gfxwj_doc(n, validity=False) for n in (1, 2, 3)]
    snap = make_snapshot(_site(docs, listed=[item("未抓取", "/zwgk/gfxwj/x.html", "2026-01-01")]))
    out = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"]))
    assert out.status == Status.FAIL
    assert "1 篇未能检查" in out.summary
    assert any(ev.url == url("/zwgk/gfxwj/x.html") and ev.found == "未抓取" for ev in out.evidence)


def test_too_few_documents_is_unknown(make_snapshot):
    snap = make_snapshot(_site([gfxwj_doc(1)]))
    out = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"], min_documents=3))
    assert out.status == Status.UNKNOWN
    assert "只有 1 篇" in out.reason


def test_failing_documents_are_capped_at_ten(make_snapshot):
    docs = [gfxwj_doc(n, validity=False, day="2026-10-01") for n in range(1, 10)]
    docs += [page(f"/zwgk/gfxwj/b{n}.html", kind="detail", title=f"文件{n}", body="无有效期说明") for n in range(10, 16)]
    out = run_check(make_snapshot(_site(docs)), check("documents_match", target=GFXWJ, patterns=["validity_period"]))
    assert out.status == Status.FAIL
    assert "0/15 篇符合" in out.summary
    assert len([ev for ev in out.evidence if ev.found == "缺少：有效期"]) == 10


def test_missing_column_fails(make_snapshot):
    pages = [p for p in portal() if "/zwgk/gfxwj/" not in p.url]
    for p in pages:
        p.links = tuple(lk for lk in p.links if lk.text != "行政规范性文件")
    out = run_check(make_snapshot(pages), check("documents_match", target=GFXWJ, patterns=["validity_period"]))
    assert out.status == Status.FAIL
