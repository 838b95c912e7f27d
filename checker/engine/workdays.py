"""Chinese working days (工作日): 法定节假日 off, 调休 weekends on.

The calendar is the maintained `chinese-calendar` package, which carries each year's
State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) once it is published.
For a year the package does not know yet (or any more), Monday to Friday are taken as
working days, and the answer says which years were assumed so, so evidence can say the
count is approximate.

Counting convention: a period of N working days "自…之日起" starts the day *after* the
event and ends on the N-th working day. `working_days(start, end)` therefore counts the
working days in (start, end]: the start day is not counted, the end day is. The 条例
states its periods this way (Art. 26: 自该政府信息形成或者变更之日起20个工作日内; Art. 33:
自收到申请之日起20个工作日内) without defining the arithmetic; the rule that the day the
period starts from is not itself counted is the general one of Chinese law (《民法典》第二百零一条：
按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算). A decision taken on Friday
2024-09-27 and published on Wednesday 2024-10-09 took 4 working days: Sunday 09-29 (调休),
Monday 09-30, Tuesday 10-08 and Wednesday 10-09; 国庆 10-01..10-07 are not counted.

The count is arithmetic (weekdays by ordinal, corrected by the package's holiday and
调休 tables), so a span of years costs the same as a span of days.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

import chinese_calendar

# Weekday holidays take a working day away; weekend 调休 days add one. Weekend holidays
# change nothing, weekday 调休 entries do not exist.
_OFF = sorted(d for d in chinese_calendar.holidays if d.weekday() < 5)
_ON = sorted(d for d in chinese_calendar.workdays if d.weekday() >= 5)
MAX_STEPS = 10_000  # add_working_days never walks further than this


@dataclass(frozen=True)
class WorkdaySpan:
    """A count of working days, and the years in it the calendar did not know."""

    days: int
    assumed_years: tuple[int, ...] = ()  # counted Monday–Friday: outside the package's calendar

    @property
    def approximate(self) -> bool:
        return bool(self.assumed_years)


@cache
def year_known(year: int) -> bool:
    """Whether the package has the holiday arrangement of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1 << 12)  # asked for every day between each document's event and its due date
def is_workday(day: date) -> bool:
    """A working day: a 调休 weekend, or a weekday that is not a 法定节假日 (Mon–Fri if unknown)."""
    if year_known(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def _weekdays_through(day: date) -> int:
    # date(1, 1, 1) is a Monday and has ordinal 1: Mondays to Fridays in ordinals 1..n.
    n = day.toordinal()
    return n // 7 * 5 + min(n % 7, 5)


def _in(days: list[date], start: date, end: date) -> int:
    """How many of the sorted `days` fall in (start, end]."""
    return bisect_right(days, end) - bisect_right(days, start)


def _assumed(start: date, end: date) -> tuple[int, ...]:
    lo, hi = (start, end) if start <= end else (end, start)
    first = (lo + timedelta(days=1)).year
    return tuple(y for y in range(first, hi.year + 1) if not year_known(y))


def working_days(start: date, end: date) -> WorkdaySpan:
    """Working days in (start, end]: the start day not counted, the end day counted.

    Negative when `end` is before `start` (the working days in (end, start], negated), so a
    publication dated before its event reads as such rather than as zero.
    """
    if end < start:
        span = working_days(end, start)
        return WorkdaySpan(-span.days, span.assumed_years)
    days = _weekdays_through(end) - _weekdays_through(start)
    days += _in(_ON, start, end) - _in(_OFF, start, end)
    return WorkdaySpan(days, _assumed(start, end))


def add_working_days(start: date, n: int) -> tuple[date, tuple[int, ...]]:
    """The n-th working day after `start` (the last day of an n-working-day period), and
    the years on the way that were assumed Monday–Friday."""
    if n < 0:
        raise ValueError("n must be at least 0")
    day, left, steps = start, n, 0
    while left:
        day += timedelta(days=1)
        steps += 1
        if steps > MAX_STEPS:
            raise ValueError(f"more than {MAX_STEPS} days to reach {n} working days")
        if is_workday(day):
            left -= 1
    return day, _assumed(start, day)


def assumed_note(years: tuple[int, ...]) -> str:
    """How evidence says the calendar was assumed: 2027年不在节假日数据范围内，按周一至周五计算."""
    if not years:
        return ""
    shown = "、".join(f"{y}年" for y in years[:5]) + ("等" if len(years) > 5 else "")
    return f"{shown}不在节假日数据（chinese-calendar）范围内，按周一至周五计算工作日"
