"""The benchmark says how much CPU time the host took from the machine while a figure was
measured (steal), so a low timing on a busy host is read as the host's, not the code's."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run import cpu_ticks, steal_share

BEFORE = "cpu  1000 10 200 5000 20 0 30 400 0 0\ncpu0 500 5 100 2500 10 0 15 200 0 0\nintr 1 2 3\n"
AFTER = "cpu  1600 10 260 5200 20 0 40 700 0 0\ncpu0 800 5 130 2600 10 0 20 350 0 0\nintr 4 5 6\n"


def test_steal_is_its_share_of_all_cpu_time_in_between():
    before, after = cpu_ticks(BEFORE), cpu_ticks(AFTER)
    assert before == (400, 6660) and after == (700, 7830)
    assert steal_share(before, after) == 300 / 1170


def test_unknown_where_it_cannot_be_measured():
    assert cpu_ticks("intr 1 2 3\n") is None
    assert steal_share(None, (700, 7830)) is None
    assert steal_share((400, 6660), (400, 6660)) is None  # no time passed


def test_this_machine_s_counters_are_read():
    if not Path("/proc/stat").exists():
        pytest.skip("no /proc/stat here")
    steal, total = cpu_ticks()
    assert 0 <= steal < total
