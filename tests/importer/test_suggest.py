"""Check suggestions for task-list items, from the words of their text."""

from __future__ import annotations

import pytest

from bench.suggest_accuracy import PROFILES, measure
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.importer.model import TaskRow
from checker.importer.suggest import load_vocabulary, manual_reason, suggest


@pytest.fixture(scope="module")
def checks():
    return load_rules(DEFAULT_RULES_DIR).checks


def test_vocabulary_names_only_checks_of_the_library(checks):
    unknown = load_vocabulary().check_ids() - set(checks)
    assert unknown == set()


def test_item_text_suggests_its_checks_with_the_trigger_words(checks):
    row = TaskRow(name="权责清单公开", content="做好本单位权责清单并依法在政府门户网站公开和动态更新。")
    suggestions = suggest(row, checks)
    assert [s.check_id for s in suggestions] == ["qzqd-exists", "qzqd-not-blank"]
    assert suggestions[0].words == ("权责清单",)
    assert manual_reason(row, checks) is None


def test_a_check_of_a_topic_needs_its_own_words_too(checks):
    plain = TaskRow(name="行政规范性文件", content="集中在政府门户网站公开并动态更新。")
    numbered = TaskRow(name="行政规范性文件", content="对本单位行政规范性文件统一编号，集中在政府门户网站公开。")
    assert "gfxwj-doc-number" not in {s.check_id for s in suggest(plain, checks)}
    by_id = {s.check_id: s.words for s in suggest(numbered, checks)}
    assert by_id["gfxwj-doc-number"] == ("规范性文件", "统一编号")


def test_internal_work_is_manual_with_a_reason(checks):
    training = TaskRow(name="加强培训考核", content="年内至少组织开展一次本地本部门政务公开业务培训，公开培训通知。")
    assert suggest(training, checks) == []
    assert "培训" in manual_reason(training, checks)
    undecided = TaskRow(name="其他工作", content="按上级要求做好其他工作。")
    assert suggest(undecided, checks) == [] and manual_reason(undecided, checks) is None


def test_suggestions_only_name_checks_that_exist(checks):
    row = TaskRow(name="权责清单", content="权责清单")
    assert suggest(row, {}) == []


def test_accuracy_against_the_curated_profiles_holds(checks):
    """The figures bench/suggest_accuracy.py prints (0.56 precision, 0.72 recall when written):
    a change to the vocabulary must not make them worse unnoticed."""
    total = {"suggested": 0, "right": 0, "curated": 0}
    for profile in PROFILES:
        counts = measure(profile, checks)
        for key in total:
            total[key] += counts[key]
    assert total["right"] / total["suggested"] >= 0.55
    assert total["right"] / total["curated"] >= 0.70
