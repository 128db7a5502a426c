"""Chinese filters: numerals, dates, amounts, percentages, lists, ordinals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from drafting.templating import make_environment, render_template
from drafting.templating.filters import (
    amount,
    cn_count,
    cn_date,
    cn_number,
    join_cn,
    ordinal_di,
    ordinal_shi,
    pct,
    points,
    wan,
    yi,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "零"),
        (4, "四"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (2300, "二千三百"),
        (10000, "一万"),
        (10005, "一万零五"),
        (10050, "一万零五十"),
        (11000, "一万一千"),
        (99999, "九万九千九百九十九"),
    ],
)
def test_cn_number(value: int, expected: str) -> None:
    assert cn_number(value) == expected


def test_cn_number_accepts_integral_decimal_and_digit_string() -> None:
    assert cn_number(Decimal("12")) == "十二"
    assert cn_number("7") == "七"


@pytest.mark.parametrize("bad", [-1, 100000, 2.5, "三", True, None])
def test_cn_number_rejects_out_of_range_and_non_integers(bad: object) -> None:
    with pytest.raises(ValueError):
        cn_number(bad)


def test_cn_count_says_liang_only_for_two() -> None:
    assert [cn_count(n) for n in (1, 2, 3, 12, 20)] == ["一", "两", "三", "十二", "二十"]


def test_cn_date_from_date_datetime_and_iso_string() -> None:
    assert cn_date(dt.date(2026, 9, 25)) == "2026年9月25日"
    assert cn_date(dt.date(2026, 3, 6)) == "2026年3月6日"
    assert cn_date(dt.datetime(2026, 1, 2, 15, 30)) == "2026年1月2日"
    assert cn_date("2026-03-06") == "2026年3月6日"
    assert cn_date(" 2026-12-01T09:00:00 ") == "2026年12月1日"
    assert cn_date(None) == "—"


@pytest.mark.parametrize("bad", ["2026年3月6日", "2026-13-01", "明天", 20260306])
def test_cn_date_rejects_what_it_cannot_read(bad: object) -> None:
    with pytest.raises(ValueError):
        cn_date(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.50"), "12.5"),
        (3, "3"),
        (0.125, "0.13"),
        (2.675, "2.68"),  # the decimal a float shows, rounded half up
        (Decimal("100.00"), "100"),
        (Decimal("0.004"), "0"),
        (Decimal("-0.004"), "0"),
        (-1.255, "-1.26"),
        ("8.10", "8.1"),
        (0, "0"),
    ],
)
def test_yi_rounds_half_up_to_two_decimals_without_trailing_zeros(value: object, expected: str) -> None:
    assert yi(value) == expected


def test_wan_converts_from_yi() -> None:
    assert wan(Decimal("1.5")) == "15000"
    assert wan(0.00125) == "12.5"
    assert wan(Decimal("0.000001")) == "0.01"
    assert wan(12) == "120000"
    assert wan(None) == "—"


def test_amount_appends_unit() -> None:
    assert amount(Decimal("12.50")) == "12.5亿元"
    assert amount(Decimal("0.35"), unit="万元") == "3500万元"
    assert amount(None) == "—"
    with pytest.raises(ValueError):
        amount(1, unit="元")


@pytest.mark.parametrize("bad", ["十二", object(), float("nan"), True])
def test_amounts_reject_non_numbers(bad: object) -> None:
    with pytest.raises(ValueError):
        yi(bad)


def test_yi_of_none_is_a_dash() -> None:
    assert yi(None) == "—"


def test_pct_one_decimal_half_up() -> None:
    assert pct(0.8534) == "85.3%"
    assert pct(Decimal("0.8535")) == "85.4%"
    assert pct(1) == "100.0%"
    assert pct(0) == "0.0%"
    assert pct(Decimal("-0.0001")) == "0.0%"
    assert pct(Decimal("1.2")) == "120.0%"
    assert pct(None) == "—"


def test_points_drop_the_sign() -> None:
    assert points(-0.123) == "12.3个百分点"
    assert points(Decimal("0.0505")) == "5.1个百分点"
    assert points(0) == "0.0个百分点"
    assert points(None) == "—"


def test_join_cn() -> None:
    assert join_cn(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert join_cn(["甲", "乙"]) == "甲和乙"
    assert join_cn(["甲"]) == "甲"
    assert join_cn([]) == ""
    assert join_cn(["甲", "乙", "丙"], last="及") == "甲、乙及丙"
    assert join_cn(n for n in (1, 2)) == "1和2"


def test_join_cn_refuses_a_plain_string() -> None:
    with pytest.raises(ValueError):
        join_cn("甲乙丙")


def test_ordinals() -> None:
    assert ordinal_shi(1) == "一是"
    assert ordinal_shi(12) == "十二是"
    assert ordinal_di(1) == "第一"
    assert ordinal_di(10) == "第十"
    with pytest.raises(ValueError):
        ordinal_shi(0)


def test_filters_work_by_name_in_a_template(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text(
        "{{ n|cn_number }}|{{ d|cn_date }}|{{ a|yi }}|{{ a|wan }}|{{ a|amount('万元') }}|"
        "{{ r|pct }}|{{ diff|points }}|{{ names|join_cn(last='及') }}|{{ 2|ordinal_shi }}|"
        "{{ 3|ordinal_di }}|{{ 2|cn_count }}"
        "{% if diff < 0 %}|落后{{ diff|abs|pct }}{% endif %}",
        encoding="utf-8",
    )
    env = make_environment([tmp_path])
    text = render_template(
        env,
        "t.j2",
        {
            "n": 105,
            "d": dt.date(2026, 9, 25),
            "a": Decimal("1.2345"),
            "r": 0.5,
            "diff": -0.123,
            "names": ["甲", "乙", "丙"],
        },
    )
    assert text.split("|") == [
        "一百零五",
        "2026年9月25日",
        "1.23",
        "12345",
        "12345万元",
        "50.0%",
        "12.3个百分点",
        "甲、乙及丙",
        "二是",
        "第三",
        "两",
        "落后12.3%",
    ]


def test_cell_keeps_ledger_text_in_one_table_cell(tmp_path: Path) -> None:
    from drafting.markup import parse_markup
    from drafting.templating.filters import cell

    assert cell(None) == ""
    assert cell("主体完工，\r\n正在装修 ") == "主体完工，正在装修"
    assert cell("PPP\nmode") == "PPP mode"
    (tmp_path / "t.j2").write_text(
        "| 项目 | 形象进度 |\n{% for p in projects %}\n| {{ p.name|cell }} | {{ p.progress|cell }} |\n{% endfor %}",
        encoding="utf-8",
    )
    env = make_environment([tmp_path])
    text = render_template(
        env, "t.j2", {"projects": [{"name": "A|B 厂房", "progress": "主体完工\n正在装修"}, {"name": "C", "progress": None}]}
    )
    table = parse_markup(text).blocks[0]
    assert table.rows == [["项目", "形象进度"], ["A|B 厂房", "主体完工正在装修"], ["C", ""]]


# --- fixed decimals and unit names (tables, letters) -------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("7.1"), 2, "7.10"),
        (21, 2, "21.00"),
        (Decimal("0.125"), 2, "0.13"),  # half up
        (Decimal("-0.04"), 1, "0.0"),  # no “-0.0”
        (Decimal("-1.35"), 1, "-1.4"),
        (None, 2, "—"),
    ],
)
def test_fixed_gives_every_row_the_same_decimals(value, places, expected) -> None:
    from drafting.templating.filters import fixed

    assert fixed(value, places) == expected


def test_fixed_rejects_a_silly_number_of_places() -> None:
    from drafting.templating.filters import fixed

    with pytest.raises(ValueError):
        fixed(1, 9)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("发改", "区发展改革局", True),
        ("发展改革", "区发改局", True),
        ("区发展改革局", "区发展改革局", True),
        ("自然资源", "区自然资源和规划局", True),
        ("住建", "区住房城乡建设局", True),
        ("区政府办公室", "某某区人民政府办公室", True),
        ("发展改革", "区商务局", False),
        ("生态环境", "区发展改革局", False),
        ("区发展改革局", "某某区人民政府办公室", False),
        ("", "区发改局", False),
    ],
)
def test_same_unit_sees_through_abbreviations(a: str, b: str, same: bool) -> None:
    from drafting.templating.filters import same_unit

    assert same_unit(a, b) is same
    assert same_unit(b, a) is same


def test_except_unit_drops_only_the_unit_itself() -> None:
    env = make_environment([])
    template = '{{ ["发展改革", "自然资源", "生态环境"]|except_unit(unit)|join("、") }}'
    assert env.from_string(template).render(unit="区发改局") == "自然资源、生态环境"
    assert env.from_string(template).render(unit="区商务局") == "发展改革、自然资源、生态环境"
