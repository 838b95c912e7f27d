from __future__ import annotations

import pytest
from pydantic import ValidationError

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


# -- in_title ---------------------------------------------------------------------------------------------
ZCJD = {"names": ["政策解读"]}
FORMS = ["图解|一图读懂", "H5", "视频"]


def _readings():
    """A 政策解读 column: a 图解 whose body is one picture caption, a 一图读懂 known only from metadata, plain text."""
    crumbs = ("首页", "政府信息公开", "政策解读")
    docs = [
        page("/zwgk/zcjd/202610/t20261020_61.html", kind="detail", breadcrumb=crumbs, published="2026-10-20",
             title="图解：平城区城乡居民临时救助实施办法_政策解读_大同市平城区人民政府", body="（图片）"),
        page("/zwgk/zcjd/202610/t20261010_62.html", kind="detail", breadcrumb=crumbs, published="2026-10-10",
             title="政策解读_大同市平城区人民政府", body="（长图）请点击查看。",
             meta={"标题": "一图读懂《平城区促进民营经济发展若干措施》"}),
        page("/zwgk/zcjd/202609/t20260901_63.html", kind="detail", breadcrumb=crumbs, published="2026-09-01",
             title="《平城区储备粮管理办法》政策解读_政策解读_大同市平城区人民政府",
             body="一、制定背景……二、主要内容……三、政策亮点……"),
    ]
    listed = (item("图解：平城区城乡居民临时救助实施办法", docs[0].url, "2026-10-20"),
              item("《平城区促进民营经济发展若干措施》解读", docs[1].url, "2026-10-10"),
              item("《平城区储备粮管理办法》政策解读", docs[2].url, "2026-09-01"))
    column = page("/zwgk/zcjd/", kind="list", title="政策解读_大同市平城区人民政府", breadcrumb=crumbs, items=listed)
    return [*portal(), column, *docs]


def test_in_title_counts_the_list_title_and_the_metadata_title(make_snapshot):
    snap = make_snapshot(_readings())
    body_only = run_check(snap, check("documents_match", target=ZCJD, keywords=FORMS))
    assert body_only.status == Status.FAIL and "0/3 篇符合" in body_only.summary
    titled = run_check(snap, check("documents_match", target=ZCJD, keywords=FORMS, in_title=True))
    assert "2/3 篇符合" in titled.summary
    assert titled.status == Status.FAIL  # mostly defaults to all
    assert run_check(snap, check("documents_match", target=ZCJD, keywords=FORMS, in_title=True,
                                 mostly=0.6)).status == Status.PASS
    matched = [ev for ev in titled.evidence if ev.context]
    assert [(ev.looked_for, ev.found) for ev in matched] == [("「图解」", "图解"), ("「一图读懂」", "一图读懂")]
    failing = next(ev for ev in titled.evidence if ev.found and ev.found.startswith("缺少"))
    assert failing.where == "正文及标题"


def test_in_title_ignores_the_column_and_site_names_in_the_page_title(make_snapshot):
    # A column named 图解政策 puts 图解 in every page title; that says nothing about the document.
    pages = _readings()
    for p in pages:
        if "/zwgk/zcjd/" in p.url:
            p.title = "图解政策_大同市平城区人民政府" if p.kind == "list" else p.title.replace("_政策解读_", "_图解政策_")
            p.breadcrumb = ("首页", "政府信息公开", "图解政策")
    plain = next(p for p in pages if p.url.endswith("_63.html"))
    out = run_check(make_snapshot(pages), check("documents_match", target={"names": ["政策解读", "图解政策"]},
                                                keywords=FORMS, in_title=True))
    assert "2/3 篇符合" in out.summary
    assert any(ev.url == plain.url and ev.found == "缺少：「图解」或「一图读懂」或「H5」或「视频」"
               for ev in out.evidence)


# -- published_after ----------------------------------------------------------------------------------------
def test_published_after_judges_only_documents_from_that_day(make_snapshot):
    old = gfxwj_doc(1, validity=False, day="2023-12-31")
    new = [gfxwj_doc(2, day="2024-01-01"), gfxwj_doc(3, day="2026-10-03")]
    snap = make_snapshot(_site([old, *new]))
    everything = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"]))
    assert everything.status == Status.FAIL
    since = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                  published_after="2024-01-01"))
    assert since.status == Status.PASS
    assert since.summary == ("栏目「行政规范性文件」已检查 2024-01-01 及以后发布的 2 篇文档，2/2 篇符合「有效期」"
                             "（要求 ≥ 100%）；另有 1 篇发布于 2024-01-01 之前，不在检查范围")
    scope = since.evidence[1]
    assert scope.found == "只检查 2024-01-01 及以后发布的文档：1 篇发布于此前，不在范围内"
    assert not any(ev.url == old.url for ev in since.evidence)


def test_published_after_uses_the_list_date_when_the_page_has_none(make_snapshot):
    doc = gfxwj_doc(1, validity=False)
    doc.published = None
    listed_old = item(doc.title, doc.url, "2023-06-01")
    pages = [p for p in portal() if "/zwgk/gfxwj/" not in p.url]
    pages += [page("/zwgk/gfxwj/", kind="list", title="行政规范性文件", breadcrumb=("首页", "政府信息公开", "行政规范性文件"),
                   items=(listed_old, item("第2号", gfxwj_doc(2).url, "2026-10-02"))), doc, gfxwj_doc(2)]
    out = run_check(make_snapshot(pages), check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                                published_after="2024-01-01"))
    assert out.status == Status.PASS and "1/1 篇符合" in out.summary


def test_published_after_judges_undated_documents_and_says_so(make_snapshot):
    doc = gfxwj_doc(1, validity=False)
    doc.published = None
    pages = [p for p in portal() if "/zwgk/gfxwj/" not in p.url]
    pages += [page("/zwgk/gfxwj/", kind="list", title="行政规范性文件", breadcrumb=("首页", "政府信息公开", "行政规范性文件"),
                   items=(item(doc.title, doc.url, None),)), doc]
    out = run_check(make_snapshot(pages), check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                                published_after="2024-01-01"))
    assert out.status == Status.FAIL and "0/1 篇符合" in out.summary
    assert "1 篇无可识别的发布日期，按范围内检查" in out.evidence[1].found
    failing = next(ev for ev in out.evidence if ev.url == doc.url)
    assert failing.note.endswith("（无可识别的发布日期，按范围内检查）")


def test_published_after_skips_unfetched_old_documents(make_snapshot):
    # An old document the crawl could not fetch is outside the range: it cannot make the check unknown.
    docs = [gfxwj_doc(2, day="2024-03-01")]
    blocked = [item(f"2019年第{n}号文件", f"/zwgk/gfxwj/201901/t2019010{n}_{n}.html", "2019-01-01") for n in (1, 2, 3)]
    snap = make_snapshot(_site(docs, listed=blocked), errors=[error(it.url, "blocked", 403) for it in blocked])
    everything = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"]))
    assert everything.status == Status.UNKNOWN
    since = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                  published_after="2024-01-01"))
    assert since.status == Status.PASS


def test_nothing_in_range_is_unknown(make_snapshot):
    snap = make_snapshot(_site([gfxwj_doc(1, day="2023-01-05")]))
    out = run_check(snap, check("documents_match", target=GFXWJ, patterns=["validity_period"],
                                published_after="2024-01-01"))
    assert out.status == Status.UNKNOWN
    assert out.reason == "栏目「行政规范性文件」可检查的 2024-01-01 及以后发布的文档只有 0 篇（至少需要 1 篇）"


# -- keyword alternatives -----------------------------------------------------------------------------------
def test_keyword_alternatives_name_the_one_used(make_snapshot):
    out = run_check(make_snapshot(portal()), check("documents_match", target=GFXWJ, keywords=["负责解读|负责解释"]))
    assert out.status == Status.PASS
    assert "符合「「负责解读」或「负责解释」」" in out.summary
    examples = [ev for ev in out.evidence if ev.context]
    assert examples and all(ev.looked_for == "「负责解释」" for ev in examples)


def test_keyword_with_an_empty_alternative_is_refused():
    with pytest.raises(ValidationError, match="empty alternative"):
        check("documents_match", target=GFXWJ, keywords=["负责解读|"])
