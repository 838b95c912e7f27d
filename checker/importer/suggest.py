"""Suggested checks for a task-list item, from what its text asks for.

The mapping from words to checks is data (`suggestions.yaml` beside this module): topics a
portal publishes (权责清单, 指南, 年报, 规范性文件, 预决算, 双公示 …), each with its trigger words
and the checks of the library that verify it. Suggestions are only suggestions: the profile
writer marks them `suggested: true` with the words that triggered them, and a person
reviews them. An item that asks for nothing visible on the portal but speaks of internal
work (培训, 考核, 台账, 经费, 审核, 专用章 …) is suggested as manual, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

from .model import TaskRow

SUGGESTIONS_FILE = Path(__file__).with_name("suggestions.yaml")
MAX_TOPICS = 4  # more topics than this in one item: an enumeration, see suggest()


@dataclass(frozen=True)
class Suggestion:
    """A check suggested for an item, and the words of the item's text that suggested it."""

    check_id: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Topic:
    words: tuple[str, ...]
    checks: tuple[str, ...]
    when: tuple[tuple[str, tuple[str, ...]], ...]  # (check id, its own words)


@dataclass(frozen=True)
class Vocabulary:
    topics: tuple[_Topic, ...]
    manual: tuple[tuple[tuple[str, ...], str], ...]  # (words, reason)
    internal_names: tuple[str, ...] = ()

    def check_ids(self) -> set[str]:
        """Every check id the vocabulary names (a test holds them to the library)."""
        ids = {check for topic in self.topics for check in topic.checks}
        return ids | {check for topic in self.topics for check, _ in topic.when}


def load_vocabulary(path: Path = SUGGESTIONS_FILE) -> Vocabulary:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    topics = tuple(
        _Topic(
            words=tuple(str(w) for w in entry["words"]),
            checks=tuple(entry.get("checks") or ()),
            when=tuple((check, tuple(str(w) for w in words)) for check, words in (entry.get("when") or {}).items()),
        )
        for entry in data.get("topics") or ()
    )
    manual = tuple((tuple(str(w) for w in entry["words"]), str(entry["reason"])) for entry in data.get("manual") or ())
    internal = tuple(str(w) for w in data.get("internal_names") or ())
    return Vocabulary(topics=topics, manual=manual, internal_names=internal)


@lru_cache(maxsize=1)
def _default() -> Vocabulary:
    return load_vocabulary()


def _text(row: TaskRow) -> str:
    return f"{row.name}\n{row.content}"


def _found(words: tuple[str, ...], text: str) -> tuple[str, ...]:
    return tuple(word for word in words if word in text)


def suggest(row: TaskRow, checks: Mapping[str, object], vocabulary: Vocabulary | None = None) -> list[Suggestion]:
    """Checks of the library (`checks`, by id) that the item's name and content ask for, in
    the vocabulary's order, each once, with the words that triggered it."""
    vocabulary = vocabulary or _default()
    if _found(vocabulary.internal_names, row.name):
        return []  # internal work by its very name: manual_reason says why
    text = _text(row)
    hits = [(topic, _found(topic.words, text)) for topic in vocabulary.topics]
    hits = [(topic, hit) for topic, hit in hits if hit]
    if len(hits) > MAX_TOPICS:
        # An item naming many topics lists examples (政策解读 "聚焦就业、养老、教育…", 基层
        # 政务公开 "26个领域…"): its subject is what its name and first sentence say.
        lead = row.name + "\n" + re.split(r"。", row.content, maxsplit=1)[0]
        hits = [(topic, hit) for topic, hit in hits if _found(topic.words, lead)]
    out: dict[str, tuple[str, ...]] = {}
    for topic, hit in hits:
        for check in topic.checks:
            out.setdefault(check, hit)
        for check, words in topic.when:
            also = _found(words, text)
            if also:
                out.setdefault(check, hit + tuple(w for w in also if w not in hit))
    return [Suggestion(check, words) for check, words in out.items() if check in checks]


def manual_reason(row: TaskRow, checks: Mapping[str, object] | None = None, vocabulary: Vocabulary | None = None) -> str | None:
    """Why the item is for a person, when it asks for nothing on the portal (no check
    suggested) and speaks of internal work; else None (checked, or left undecided)."""
    vocabulary = vocabulary or _default()
    internal = _found(vocabulary.internal_names, row.name)
    if not internal:
        if checks is not None and suggest(row, checks, vocabulary):
            return None
        if checks is None and any(_found(topic.words, _text(row)) for topic in vocabulary.topics):
            return None
    text = row.name if internal else _text(row)
    for words, reason in vocabulary.manual:
        if _found(words, text):
            return reason
    return None
