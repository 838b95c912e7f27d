from __future__ import annotations

from checker.results import Status

from ..builders import check, error, item, link, page, run_check, url

ZCWJ = {"names": ["政策文件", "区政府文件"]}
ZCJD = {"names": ["政策解读"]}
SITE = "大同市平城区人民政府"
NAV = (link("/", "首页"), link("/zwgk/zcwj/", "政策文件"), link("/zwgk/zcjd/", "政策解读"))
# Every document page carries a sidebar box linking to the 解读 column: not a 解读 of the document.
SIDEBAR = link("/zwgk/zcjd/", "政策解读", "body")


def doc(n: int, *, links=(), day="2026-10-0{n}", title=None):
    day = day.format(n=n)
    title = title or f"平城区人民政府关于印发平城区第{n}项管理办法的通知"
    return page(
        f"/zwgk/zcwj/202610/t2026100{n}_20{n}.html", kind="detail", published=day, title=f"{title}_政策文件_{SITE}",
        breadcrumb=("首页", "政府信息公开", "政策文件"),
        meta={"索引号": f"11140202MB1955820B/2026-0010{n}", "文号": f"平政发〔2026〕{n}号", "发布机构": "平城区人民政府",
              "标题": title, "发布日期": day},
        body=f"各乡镇、各部门：现将《平城区第{n}项管理办法》印发给你们，请认真贯彻执行。", links=(*NAV, SIDEBAR, *links),
    )


def jd(n: int, title: str, body: str = "", links=()):
    return page(f"/zwgk/zcjd/202610/t2026101{n}_30{n}.html", kind="detail", published=f"2026-10-1{n}",
                title=f"{title}_政策解读_{SITE}", breadcrumb=("首页", "政府信息公开", "政策解读"),
                meta={"标题": title}, body=body or f"{title}。一、出台背景……二、主要内容……", links=(*NAV, *links))


def _item(p):
    return item(p.meta["标题"], p.url, p.published)


def site(docs, jds=(), *, extra_items=(), jd_extra_items=(), zcjd_column=True):
    home = page("/", kind="home", depth=0, title=SITE, links=NAV)
    zcwj = page("/zwgk/zcwj/", kind="list", title=f"政策文件_{SITE}", breadcrumb=("首页", "政府信息公开", "政策文件"),
                items=(*(_item(d) for d in docs), *extra_items), links=NAV)
    pages = [home, zcwj, *docs]
    if zcjd_column:
        pages.append(page("/zwgk/zcjd/", kind="list", title=f"政策解读_{SITE}",
                          breadcrumb=("首页", "政府信息公开", "政策解读"),
                          items=(*(_item(j) for j in jds), *jd_extra_items), links=NAV))
        pages += list(jds)
    return pages


def five():
    """Five documents, four with a 解读 found four different ways, the fifth with none."""
    docs = [
        doc(1, links=(link("/zwgk/zcjd/202610/t20261011_301.html", "《平城区第1项管理办法》政策解读", "body"),)),
        doc(2), doc(3), doc(4), doc(5),
    ]
    jds = [
        jd(1, "《平城区第1项管理办法》政策解读"),
        jd(2, "一图读懂《平城区第2项管理办法》"),
        jd(3, "我区出台新规 规范管理工作", body="近日，区政府印发平政发〔2026〕3号文件……"),
        jd(4, "政策问答：管理工作怎么做", links=(link(docs[3].url, "原文链接", "body"),)),
        jd(5, "《平城区第5项管理办法实施细则》解读"),  # a different document: not the 办法's 解读
    ]
    return docs, jds


def li(**kw):
    return check("linked_interpretation", target=ZCWJ, interpretations=ZCJD, **kw)


def test_pass_finds_each_kind_of_link(make_snapshot):
    docs, jds = five()
    out = run_check(make_snapshot(site(docs, jds)), li(mostly=0.8))
    assert out.status == Status.PASS
    assert out.summary == "栏目「政策文件」已检查 5 篇文档，4/5 篇有解读（要求 ≥ 80%）"
    found = [ev.found for ev in out.evidence if ev.url in {d.url for d in docs[:3]} and ev.found != "未找到解读"]
    assert found == [
        "文件页面链接到解读栏目中的「《平城区第1项管理办法》政策解读」：" + jds[0].url,
        f"解读「一图读懂《平城区第2项管理办法》」（{jds[1].url}）以《》引用本文件标题",
        f"解读「我区出台新规 规范管理工作」（{jds[2].url}）引用本文件文号 平政发〔2026〕3号",
    ]


def test_fail_lists_the_documents_without_one(make_snapshot):
    docs, jds = five()
    out = run_check(make_snapshot(site(docs, jds)), li())
    assert out.status == Status.FAIL
    assert "4/5 篇有解读（要求 ≥ 100%）" in out.summary
    missing = [ev for ev in out.evidence if ev.found == "未找到解读"]
    assert [ev.url for ev in missing] == [docs[4].url]  # the sidebar link and the 实施细则 解读 do not count
    assert missing[0].note == "平城区人民政府关于印发平城区第5项管理办法的通知"


def test_a_jd_linking_to_the_document(make_snapshot):
    docs, jds = five()
    out = run_check(make_snapshot(site([docs[3]], jds)), li())
    assert out.status == Status.PASS
    assert out.evidence[-1].found == f"解读「政策问答：管理工作怎么做」（{jds[3].url}）链接到本文件"


def test_title_without_quotes_and_an_edition_in_brackets(make_snapshot):
    docs = [doc(1, title="平城区人民政府关于印发《平城区第1项管理办法（试行）》的通知"), doc(2)]
    jds = [jd(1, "《平城区第1项管理办法》解读"), jd(2, "图解平城区第2项管理办法")]
    out = run_check(make_snapshot(site(docs, jds)), li())
    assert out.status == Status.PASS
    assert "标题含本文件标题" in next(ev.found for ev in out.evidence if ev.url == docs[1].url)


def test_own_link_by_anchor_to_an_unlisted_page(make_snapshot):
    # No 解读 column at all: the document's own 解读 link to a fetched detail page is enough.
    target = jd(9, "关于平城区第1项管理办法的解读")
    d = doc(1, links=(link(target.url, "相关解读", "body"),))
    bare = doc(2, links=(link("/zwgk/jd/unfetched.html", "相关解读", "body"),))  # a bare label, target unseen
    snap = make_snapshot([*site([d, bare], zcjd_column=False), target])
    out = run_check(snap, check("linked_interpretation", target=ZCWJ, mostly=0.5))
    assert out.status == Status.PASS
    assert "1/2 篇有解读" in out.summary
    assert next(ev.found for ev in out.evidence if ev.url == d.url) == f"文件页面有解读链接「相关解读」：{target.url}"


def test_interpretations_listed_among_the_documents_are_left_out(make_snapshot):
    docs, jds = five()
    listed_jd = item("《平城区第5项管理办法》政策解读", "/zwgk/zcwj/202610/t20261009_209.html", "2026-10-09")
    out = run_check(make_snapshot(site(docs[:4], jds[:4], extra_items=(listed_jd,))), li())
    assert out.status == Status.PASS
    assert out.summary.endswith("；栏目中 1 篇解读本身不计")


def test_unfetched_documents_that_could_flip_the_verdict(make_snapshot):
    docs, jds = five()
    unseen = item("平城区人民政府关于印发平城区第6项管理办法的通知", "/zwgk/zcwj/202610/t20261006_206.html", "2026-10-06")
    snap = make_snapshot(site(docs[:4], jds, extra_items=(unseen,)), errors=[error(unseen.url, "timeout")])
    out = run_check(snap, li())
    assert out.status == Status.UNKNOWN
    assert out.reason == "1 篇文档未能抓取，足以改变结论"
    assert any(ev.url == url(unseen.url) and ev.found.startswith("未能抓取") for ev in out.evidence)
    # 4 of 5 is below 90 % whatever the fifth says.
    assert run_check(snap, li(mostly=0.9)).status == Status.UNKNOWN
    assert run_check(snap, li(mostly=0.8)).status == Status.PASS


def test_unread_interpretations_could_hold_the_missing_one(make_snapshot):
    docs, jds = five()
    unseen = item("《平城区第5项管理办法》政策解读", "/zwgk/zcjd/202610/t20261019_309.html", "2026-10-19")
    snap = make_snapshot(site(docs, jds, jd_extra_items=(unseen,)), errors=[error(unseen.url, "blocked", 412)])
    out = run_check(snap, li())
    assert out.status == Status.UNKNOWN
    assert "栏目「政策解读」有 1 个页面未能抓取，其中可能有解读" in out.reason
    # Without the unread 解读 the share could not reach the bar anyway: a plain failure.
    docs2 = [*docs, doc(6), doc(7)]
    snap2 = make_snapshot(site(docs2, jds, jd_extra_items=(unseen,)), errors=[error(unseen.url, "blocked", 412)])
    assert run_check(snap2, li(mostly=0.9)).status == Status.UNKNOWN  # 4 + 3 uncertain of 7 could reach 90 %
    assert run_check(snap2, li(mostly=1.0)).status == Status.UNKNOWN
    # A blocked 解读 column leaves every document without a 解读 uncertain.
    blocked = make_snapshot(site(docs, zcjd_column=False),
                            errors=[error("/zwgk/zcjd/", "blocked", 412, anchor="政策解读")])
    res = run_check(blocked, li())
    assert res.status == Status.UNKNOWN
    assert "栏目「政策解读」无法读取" in res.reason


def test_published_after_limits_the_documents(make_snapshot):
    docs, jds = five()
    docs[4] = doc(5, day="2025-12-0{n}")
    out = run_check(make_snapshot(site(docs, jds)), li(published_after="2026-01-01"))
    assert out.status == Status.PASS
    assert out.summary == ("栏目「政策文件」已检查 2026-01-01 及以后发布的 4 篇文档，4/4 篇有解读（要求 ≥ 100%）；"
                           "另有 1 篇发布于 2026-01-01 之前，不在检查范围")


def test_missing_policy_column_fails_and_too_few_documents_are_unknown(make_snapshot):
    home = page("/", kind="home", depth=0, title=SITE, links=(link("/", "首页"),))
    assert run_check(make_snapshot([home]), li()).status == Status.FAIL
    docs, jds = five()
    out = run_check(make_snapshot(site(docs[:2], jds)), li(min_documents=3))
    assert out.status == Status.UNKNOWN
    assert out.reason == "栏目「政策文件」可检查的文档只有 2 篇（至少需要 3 篇）"
