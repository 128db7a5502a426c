"""parse_date: every accepted form, and Chinese reasons for the rest."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from drafting.dates import format_date, parse_date


@pytest.mark.parametrize(
    "text",
    ["2026-03-01", "2026-3-1", "2026.3.1", "2026/3/1", "2026年3月1日", " 2026年 3月 1日 ", "２０２６年３月１日"],
)
def test_text_forms(text):
    assert parse_date(text) == date(2026, 3, 1)


def test_iso_text_with_midnight_time_from_a_text_cell():
    assert parse_date("2026-03-01 00:00:00") == date(2026, 3, 1)


def test_date_and_datetime_objects():
    assert parse_date(date(2025, 12, 31)) == date(2025, 12, 31)
    assert parse_date(datetime(2025, 12, 31, 15, 30)) == date(2025, 12, 31)


def test_excel_serial_numbers():
    # 46082 is 2026-03-01 in Excel's 1900 date system
    assert parse_date(46082) == date(2026, 3, 1)
    assert parse_date(46082.75) == date(2026, 3, 1)
    assert parse_date(Decimal("46082")) == date(2026, 3, 1)


@pytest.mark.parametrize("value", [2026, 20260301, 0, -5, True])
def test_numbers_that_are_not_plausible_serials(value):
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date(value)


@pytest.mark.parametrize("text", ["明年三月", "2026-03", "03/01/2026", "2026-3.1", "", "2026年3月"])
def test_unrecognised_text(text):
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date(text)


def test_month_out_of_range_is_explained():
    with pytest.raises(ValueError) as info:
        parse_date("2026-13-45")
    assert str(info.value) == "无法识别的日期“2026-13-45”：月份应为1至12"


def test_day_out_of_range_names_the_month_length():
    with pytest.raises(ValueError) as info:
        parse_date("2026-02-30")
    assert "2026年2月只有28天" in str(info.value)
    with pytest.raises(ValueError, match="2028年2月只有29天"):
        parse_date("2028.2.30")


def test_leap_day_accepted():
    assert parse_date("2028年2月29日") == date(2028, 2, 29)


def test_unsupported_type():
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date(["2026-03-01"])


def test_none_is_reported_as_empty_not_as_the_word_none():
    with pytest.raises(ValueError) as info:
        parse_date(None)
    assert "为空" in str(info.value) and "None" not in str(info.value)


def test_format_date_has_no_zero_padding():
    assert format_date(date(2026, 3, 6)) == "2026年3月6日"
