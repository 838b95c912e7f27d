from datetime import date

import pytest

from checker.crawl.dates import find_dates, parse_date

D = date(2024, 3, 1)


@pytest.mark.parametrize(
    "text, raw",
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-3-1", "2024-3-1"),
        ("2024/03/01", "2024/03/01"),
        ("2024.03.01", "2024.03.01"),
        ("2024年3月1日", "2024年3月1日"),
        ("2024年03月01日", "2024年03月01日"),
        ("2024 年 3 月 1 日", "2024 年 3 月 1 日"),
        ("20240301", "20240301"),
        ("发布时间：2024-03-01 10:20", "2024-03-01"),
        ("发布日期:2024-03-01", "2024-03-01"),
        ("日期：2024年3月1日 星期五", "2024年3月1日"),
        ("２０２４－０３－０１", "２０２４－０３－０１"),
        ("发布时间：２０２４年３月１日", "２０２４年３月１日"),
        ("[2024-03-01]", "2024-03-01"),
    ],
)
def test_full_dates(text, raw):
    assert parse_date(text) == (D, raw)


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30",  # no such day
        "2023-02-29",  # not a leap year
        "2024-13-01",
        "1989-06-01",  # before the window
        "2101-01-01",
        "20240230",
        "t20240301_123456.html",  # 8 digits inside a URL are not a date
        "No.202403011",
        "电话：0591-23165385",
        "2024年3月",
        "",
    ],
)
def test_rejections(text):
    assert parse_date(text)[0] is None


def test_leap_day_is_valid():
    assert parse_date("2024-02-29")[0] == date(2024, 2, 29)


def test_first_valid_date_wins_and_invalid_ones_are_skipped():
    assert parse_date("2024-02-30 更新于 2024-03-05")[0] == date(2024, 3, 5)
    assert parse_date("成文 2024-01-02，发布 2024-01-05")[0] == date(2024, 1, 2)


def test_year_form_beats_yearless_form():
    # A list item "[03-02]" whose title mentions a full date keeps the full date only
    # when nothing better is printed; extract() looks outside the anchor first.
    assert parse_date("[03-02] 关于2024年1月5日起调整线路的公告", today=date(2024, 3, 15))[0] == date(2024, 1, 5)


@pytest.mark.parametrize(
    "text, today, expected, raw",
    [
        ("[03-01]", date(2024, 3, 15), date(2024, 3, 1), "[03-01]"),
        ("03-01", date(2024, 3, 15), date(2024, 3, 1), "03-01"),
        ("【03-01】", date(2024, 3, 15), date(2024, 3, 1), "【03-01】"),
        ("（03-01）", date(2024, 3, 15), date(2024, 3, 1), "（03-01）"),
        ("[12-28]", date(2024, 3, 15), date(2023, 12, 28), "[12-28]"),
        ("[03-16]", date(2024, 3, 15), date(2024, 3, 16), "[03-16]"),  # tomorrow is allowed
        ("[03-17]", date(2024, 3, 15), date(2023, 3, 17), "[03-17]"),
        ("[01-01]", date(2024, 12, 31), date(2025, 1, 1), "[01-01]"),
        ("[02-29]", date(2025, 3, 1), date(2024, 2, 29), "[02-29]"),
        ("3/1", date(2024, 3, 15), date(2024, 3, 1), "3/1"),
    ],
)
def test_yearless_dates_take_the_latest_year_not_after_tomorrow(text, today, expected, raw):
    assert parse_date(text, today=today) == (expected, raw)


def test_yearless_without_today_reports_raw_only():
    assert parse_date("[03-01]") == (None, "[03-01]")
    assert parse_date("[13-01]", today=D) == (None, "")
    assert parse_date("10:20", today=D) == (None, "")


def test_find_dates():
    text = "成文日期：2024年2月28日 发布日期：2024-03-05 访问 20240306 [03-07]"
    assert find_dates(text) == [
        (date(2024, 2, 28), "2024年2月28日"),
        (date(2024, 3, 5), "2024-03-05"),
        (date(2024, 3, 6), "20240306"),
    ]
    assert find_dates(text, today=date(2024, 3, 10))[-1] == (date(2024, 3, 7), "[03-07]")
    assert find_dates("") == []
