"""Working days against the published holiday arrangements (国务院办公厅 notices)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import chinese_calendar
import pytest

from checker.engine.workdays import add_working_days, assumed_note, is_workday, working_days, year_known


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 29), True),  # Sunday, 调休 for 国庆 2024
        (date(2024, 9, 30), True),
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),  # Monday, still 国庆
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),  # Saturday, 调休
        (date(2024, 10, 13), False),
        (date(2025, 1, 26), True),  # Sunday, 调休 for 春节 2025
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),  # 除夕
        (date(2025, 2, 4), False),  # last day of 春节
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Saturday, 调休
        (date(2025, 2, 9), False),
    ],
)
def test_is_workday_follows_the_holiday_notices(day, expected):
    assert is_workday(day) is expected


def test_national_day_2024_week():
    # Decided Friday 09-27, published Wednesday 10-09: 09-29 (调休), 09-30, 10-08, 10-09.
    span = working_days(date(2024, 9, 27), date(2024, 10, 9))
    assert span.days == 4 and not span.approximate
    # The whole 国庆 week adds nothing.
    assert working_days(date(2024, 9, 30), date(2024, 10, 7)).days == 0
    # Seven working days from 09-27 end on the 调休 Saturday 10-12.
    assert add_working_days(date(2024, 9, 27), 7) == (date(2024, 10, 12), ())


def test_spring_festival_2025():
    # Decided Friday 01-24: 01-26 (Sun, 调休), 01-27, then 01-28..02-04 off, 02-05 …
    assert working_days(date(2025, 1, 24), date(2025, 2, 5)).days == 3
    # … 02-06, 02-07, 02-08 (Sat, 调休), and the seventh is Monday 02-10.
    assert add_working_days(date(2025, 1, 24), 7) == (date(2025, 2, 10), ())
    assert working_days(date(2025, 1, 24), date(2025, 2, 9)).days == 6
    # 20 working days (条例 Art. 26) from 2025-01-20: six before the festival, fourteen after.
    due, assumed = add_working_days(date(2025, 1, 20), 20)
    assert due == date(2025, 2, 21) and assumed == ()


def test_start_day_not_counted_end_day_counted():
    monday, tuesday = date(2024, 3, 4), date(2024, 3, 5)
    assert working_days(monday, monday).days == 0
    assert working_days(monday, tuesday).days == 1
    # A weekend end day adds nothing; the Monday after a Friday is the first working day.
    assert working_days(date(2024, 3, 1), date(2024, 3, 3)).days == 0
    assert working_days(date(2024, 3, 1), date(2024, 3, 4)).days == 1
    assert add_working_days(monday, 0) == (monday, ())


def test_negative_when_the_end_is_before_the_start():
    assert working_days(date(2024, 10, 9), date(2024, 9, 27)).days == -4


def test_agrees_with_the_package_day_by_day():
    rng = random.Random(20241001)
    lo, hi = date(2015, 1, 1).toordinal(), date(2026, 8, 31).toordinal()
    for _ in range(200):
        a = date.fromordinal(rng.randint(lo, hi))
        b = a + timedelta(days=rng.randint(0, 120))
        expected = sum(chinese_calendar.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
        assert working_days(a, b).days == expected, (a, b)


def test_years_outside_the_calendar_count_monday_to_friday_and_say_so():
    future = max(d.year for d in chinese_calendar.holidays) + 1
    assert not year_known(future) and year_known(2024)
    start = date(future, 1, 1)
    # 1 January would be a holiday in a known year; here it is only a weekday (or not).
    span = working_days(start - timedelta(days=1), start + timedelta(days=13))
    expected = sum((start + timedelta(days=i)).weekday() < 5 for i in range(14))
    assert span.days == expected
    assert span.approximate and span.assumed_years == (future,)
    due, assumed = add_working_days(date(future - 1, 12, 30), 5)
    assert assumed == (future,)
    assert "不在节假日数据" in assumed_note(assumed) and f"{future}年" in assumed_note(assumed)
    assert assumed_note(()) == ""


def test_long_spans_cost_no_more_than_short_ones():
    span = working_days(date(2004, 1, 1), date(2026, 12, 31))
    expected = sum(chinese_calendar.is_workday(date(2004, 1, 1) + timedelta(days=i))
                   for i in range(1, (date(2026, 12, 31) - date(2004, 1, 1)).days + 1))
    assert span.days == expected
