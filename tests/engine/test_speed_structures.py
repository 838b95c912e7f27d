"""The structures that keep evaluation fast on big sites answer exactly what the plain
loops they replaced would: which texts contain a string, links read back shared, indexes
built once per snapshot."""

from __future__ import annotations

import random

import pytest

from checker.engine.kinds._common import per_snapshot, url_directory
from checker.engine.locate import Locator
from checker.engine.textindex import TextIndex

from .builders import link, page, portal

WORDS = ["政务公开", "通知公告", "权责清单", "政府信息公开指南", "2024", "年度报告", "规范性文件", "（", "）", "a", "ab"]


def _naive(texts: list[str], needle: str) -> tuple[int, ...]:
    return tuple(i for i, text in enumerate(texts) if needle in text)


def _random_texts(rng: random.Random, n: int) -> list[str]:
    alphabet = "政务公开通知告权责清单年度报告规范性文件（）ab2 4\x00\x01"
    out = []
    for _ in range(n):
        parts = [rng.choice(WORDS) if rng.random() < 0.3 else rng.choice(alphabet) for _ in range(rng.randint(0, 12))]
        out.append("".join(parts))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_text_index_finds_exactly_the_texts_containing_a_needle(seed):
    rng = random.Random(seed)
    texts = _random_texts(rng, 300)
    index = TextIndex(texts)
    needles = [*WORDS, "", "\x01", "a\x01b", "清单\x00", "不存在的词", "公开通", *(rng.choice(texts)[:4] for _ in range(30))]
    for needle in needles:
        assert index.containing(needle) == _naive(texts, needle), repr(needle)
        assert index.containing(needle) == _naive(texts, needle)  # memoised answer is the same
    for a, b in zip(needles, needles[1:], strict=False):
        assert index.containing_any([a, b]) == sorted(set(_naive(texts, a)) | set(_naive(texts, b)))


def test_text_index_rare_and_common_characters_take_both_paths():
    # One text holds 报告: found through the character index; 公 is in every text: scanned.
    texts = [f"第{i}号公开" for i in range(100)] + ["年度报告公开"]
    index = TextIndex(texts)
    assert index.containing("报告") == (100,)
    assert index.containing("公开") == tuple(range(101))
    assert index.containing("号公") == tuple(range(100))
    assert index.containing("缺") == ()
    assert TextIndex([]).containing("x") == ()


def test_links_read_back_are_shared_and_inbound_matches_links_to(make_snapshot):
    nav = [link("/", "首页"), link("zwgk/", "政务公开")]
    pages = [
        page("/", kind="home", title="某县人民政府", links=[*nav, link("zwgk/tzgg/", "通知公告", "body")]),
        page("zwgk/", kind="list", title="政务公开", links=[*nav, link("zwgk/", "政务公开", "body")]),
        page("zwgk/tzgg/", kind="list", title="通知公告", links=nav),
    ]
    snap = make_snapshot(pages=pages)
    home, zwgk, tzgg = (snap.get(p.url) for p in pages)
    assert home.links[0] is zwgk.links[0] is tzgg.links[0]  # one object per distinct link
    assert [lk.text for lk in zwgk.links] == ["首页", "政务公开", "政务公开"]
    assert zwgk.links[1] is not zwgk.links[2]  # same target and text, another region
    for target in snap.link_targets():
        assert [(snap.by_id(pid), lk) for pid, lk in snap.inbound(target)] == snap.links_to(target)
    assert snap.inbound("http://nowhere.test/") == ()


def test_locator_skips_repeated_links_but_not_a_link_on_the_target_page_itself(make_snapshot):
    # The first 政务公开 link to zwgk/ sits on zwgk/ itself (never evidence); the same link
    # on the homepage, read later, still counts.
    zwgk_link = link("zwgk/", "政务公开")
    snap = make_snapshot(pages=[
        page("zwgk/", kind="list", title="栏目", links=[zwgk_link]),
        page("/", kind="home", title="某县人民政府", links=[zwgk_link]),
    ])
    anchors = Locator(snap)._inbound[snap.get("http://demo.test/zwgk/").url]
    assert [(a.text, a.source) for a in anchors] == [("政务公开", "http://demo.test/")]


def test_per_snapshot_builds_once_per_snapshot(make_snapshot):
    first, second = make_snapshot(pages=portal()), make_snapshot(pages=portal())
    calls = []

    def build(snap):
        calls.append(snap)
        return len(snap)

    assert per_snapshot(first, "test-count", build) == per_snapshot(first, "test-count", build) == len(first)
    per_snapshot(second, "test-count", build)
    assert calls == [first, second]


def test_url_directory():
    assert url_directory("http://a.gov.cn/zwgk/gfxwj/index_2.html") == "a.gov.cn/zwgk/gfxwj/"
    assert url_directory("http://a.gov.cn/zwgk/gfxwj/") == "a.gov.cn/zwgk/gfxwj/"
    assert url_directory("http://a.gov.cn") == "a.gov.cn/"
