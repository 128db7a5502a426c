"""Ledger figures checked against hand arithmetic on tests/fixtures/figures/meeting/projects.yaml.

The fixture (8 projects; amounts in 亿元; "—" = not given):

| # | project        | unit   | level | total | plan | done | status | signed     | actual start |
|---|----------------|--------|-------|-------|------|------|--------|------------|--------------|
| 1 | 甲一智能装备产业园 | 区发改局 | 省重点 | 10  | 4   | 1.2  | 已开工 | 2025-06-01 | 2025-09-01 |
| 2 | 甲二新材料项目    | 区发改局 | 市重点 | 5   | 2   | 0.1  | 已签约 | 2025-12-06 | — (planned 2026-05-15) |
| 3 | 乙一老旧小区改造  | 区住建局 | 区重点 | 3   | 1.5 | 0    | 已签约 | 2025-12-05 | —          |
| 4 | 乙二片区道路      | 区住建局 | 区重点 | 2.5 | 1   | 0.3  | 已竣工 | —          | —          |
| 5 | 丙一商贸综合体    | 区商务局 | —     | —   | 0   | —    | 在谈   | —          | —          |
| 6 | 丁一古镇文旅项目  | 区文旅局 | 市重点 | 1.2 | 0.5 | 0.1  | 拟开工 | —          | —          |
| 7 | 乙三地下管网      | 区住建局 | 区重点 | 6   | 2   | —    | 拟开工 | —          | 2026-03-01 |
| 8 | 甲三数据中心      | 区发改局 | 区重点 | 8   | 3   | —    | 拟开工 | —          | 2026-04-01 |
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from drafting.figures import (
    CategoryFigures,
    LevelFigures,
    add_months,
    compute_figures,
    is_assessed,
    is_not_yet_due,
    lagging_projects,
    time_pace,
    unit_figures,
)
from drafting.ledger import Project, load_ledger

FIXTURE = Path(__file__).parent / "fixtures" / "figures" / "meeting" / "projects.yaml"
AS_OF = date(2026, 3, 6)
D = Decimal


@pytest.fixture(scope="module")
def projects() -> list[Project]:
    return load_ledger(FIXTURE).projects


def by_name(projects: list[Project], *names: str) -> list[Project]:
    return [p for p in projects if p.name in names]


# --- pace -------------------------------------------------------------------


def test_pace_is_day_of_year_over_days_in_year() -> None:
    # 2026-03-06: 31 (Jan) + 28 (Feb) + 6 = day 65 of 365
    assert time_pace(date(2026, 3, 6)) == D(65) / D(365)
    assert time_pace(date(2026, 1, 1)) == D(1) / D(365)
    assert time_pace(date(2026, 12, 31)) == 1


def test_pace_in_a_leap_year() -> None:
    # 2024-03-06: 31 + 29 + 6 = day 66 of 366; 2028-02-29 is day 31 + 29 = 60 of 366
    assert time_pace(date(2024, 3, 6)) == D(66) / D(366)
    assert time_pace(date(2028, 2, 29)) == D(60) / D(366)
    assert time_pace(date(2024, 12, 31)) == 1


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2025, 12, 6), 3) == date(2026, 3, 6)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2025, 10, 31), 14) == date(2026, 12, 31)


# --- ledger-wide figures ----------------------------------------------------


def test_counts_and_sums(projects: list[Project]) -> None:
    f = compute_figures(projects, AS_OF)
    assert f.as_of == AS_OF
    assert f.project_count == 8
    # total: 10 + 5 + 3 + 2.5 + (none → 0) + 1.2 + 6 + 8 = 35.7
    assert f.total_investment == D("35.7")
    # plan: 4 + 2 + 1.5 + 1 + 0 + 0.5 + 2 + 3 = 14
    assert f.annual_plan == D("14")
    # done: 1.2 + 0.1 + 0 + 0.3 + (none) + 0.1 + (none) + (none) = 1.7
    assert f.completed == D("1.7")


def test_completion_rate_pace_and_gap(projects: list[Project]) -> None:
    f = compute_figures(projects, AS_OF)
    assert f.completion_rate == D("1.7") / D(14)  # 12.142857…%
    assert f.pace == D(65) / D(365)  # 17.808219…%
    # (0.121428… − 0.178082…) × 100 = −5.665…
    assert f.gap_points == (D("1.7") / D(14) - D(65) / D(365)) * 100
    assert f.gap == D("1.7") / D(14) - D(65) / D(365)
    assert round(f.gap_points, 2) == D("-5.67")
    assert not f.ahead


def test_started_counts_status_or_actual_start_on_or_before_as_of(projects: list[Project]) -> None:
    f = compute_figures(projects, AS_OF)
    # 甲一 (已开工), 乙二 (已竣工), 乙三 (actual start 03-01 ≤ 03-06); 甲三 starts 04-01, later.
    assert f.started_count == 3
    assert f.unstarted_count == 5
    # 开工率 leaves out the 在谈 project 丙一: 3 of 7
    assert f.start_base == 7 and f.negotiating_count == 1
    assert f.start_rate == D(3) / D(7)
    # 甲二 (planned start 05-15) and 甲三 (start date 04-01) are not yet due
    assert f.not_yet_due_count == 2
    # only 乙二 is 已竣工, with no planned completion in an earlier year
    assert f.completed_count == 1 and f.prior_completed_count == 0
    # by 04-01 甲三 has started too
    assert compute_figures(projects, date(2026, 4, 1)).started_count == 4


def test_by_level(projects: list[Project]) -> None:
    f = compute_figures(projects, AS_OF)
    assert list(f.by_level) == ["省重点", "市重点", "区重点"]  # 丙一 has no level
    assert f.by_level["省重点"] == LevelFigures(1, D(10), D(4))
    # 甲二 + 丁一: total 5 + 1.2, plan 2 + 0.5
    assert f.by_level["市重点"] == LevelFigures(2, D("6.2"), D("2.5"))
    # 乙一 + 乙二 + 乙三 + 甲三: total 3 + 2.5 + 6 + 8, plan 1.5 + 1 + 2 + 3
    assert f.by_level["区重点"] == LevelFigures(4, D("19.5"), D("7.5"))


def test_by_category(projects: list[Project]) -> None:
    f = compute_figures(projects, AS_OF)
    # 先进制造 3 projects 10 + 5 + 8 = 23; 城市更新 3 projects 3 + 2.5 + 6 = 11.5 (tie on count,
    # larger investment first); 现代服务业 1 project with no total → 0; 丁一 has no category.
    assert list(f.by_category.items()) == [
        ("先进制造", CategoryFigures(3, D(23))),
        ("城市更新", CategoryFigures(3, D("11.5"))),
        ("现代服务业", CategoryFigures(1, D(0))),
    ]


def test_units_by_project_count(projects: list[Project]) -> None:
    f = compute_figures(projects, AS_OF)
    assert f.unit_count == 4
    # ties by name in code-point order: 住 U+4F4F < 发 U+53D1; 商 U+5546 < 文 U+6587
    assert f.units_by_project_count == [
        ("区住建局", 3),
        ("区发改局", 3),
        ("区商务局", 1),
        ("区文旅局", 1),
    ]


# --- edge cases -------------------------------------------------------------


def test_no_projects_gives_none_rates_not_errors() -> None:
    f = compute_figures([], AS_OF)
    assert f.project_count == 0 and f.started_count == 0 and f.unit_count == 0
    assert f.annual_plan == 0 and f.completed == 0
    assert f.completion_rate is None and f.gap_points is None and f.gap is None
    assert f.start_rate is None
    assert f.by_level == {} and f.by_category == {} and f.units_by_project_count == []


def test_no_started_projects(projects: list[Project]) -> None:
    subset = by_name(projects, "甲二新材料项目", "乙一老旧小区改造", "丙一商贸综合体")
    f = compute_figures(subset, AS_OF)
    assert f.started_count == 0
    assert f.start_rate == 0  # 0 of 2: 丙一 is 在谈
    assert f.completed_count == 0


def test_completed_in_an_earlier_year_is_not_this_years() -> None:
    done_2025 = Project(
        row=2, name="去年竣工", lead_unit="区发改局", status="已竣工", planned_completion=date(2025, 11, 30),
        annual_plan=D("0.2"), completed=D("0.2"),
    )
    done_2026 = Project(
        row=3, name="今年竣工", lead_unit="区发改局", status="已投产", planned_completion=date(2026, 2, 28),
        annual_plan=D(1), completed=D(1),
    )
    f = compute_figures([done_2025, done_2026], AS_OF)
    assert (f.completed_count, f.prior_completed_count, f.started_count) == (1, 1, 2)
    # as of a day in 2025 the same project was completed this year
    assert compute_figures([done_2025], date(2025, 12, 31)).completed_count == 1


def test_only_signed_projects_make_the_start_rate() -> None:
    talks = Project(row=2, name="在谈", lead_unit="区商务局", status="在谈", actual_start=date(2026, 1, 1))
    started = Project(row=3, name="在建", lead_unit="区商务局", status="已开工")
    f = compute_figures([talks, started], AS_OF)
    # a 在谈 project with a start date is still not started for the rate, which stays within 100%
    assert (f.start_base, f.started_count, f.start_rate) == (1, 1, D(1))


def test_zero_annual_plan_has_no_rate(projects: list[Project]) -> None:
    only = by_name(projects, "丙一商贸综合体")  # plan 0, no completed amount, no dates at all
    f = compute_figures(only, AS_OF)
    assert f.annual_plan == 0
    assert f.completion_rate is None and f.gap_points is None
    assert f.pace == D(65) / D(365)
    assert f.by_level == {}
    [unit] = unit_figures(only, AS_OF)
    assert unit.completion_rate is None and unit.gap_points is None
    assert not unit.ahead and not unit.behind
    assert lagging_projects(only, AS_OF) == []


# --- per unit ---------------------------------------------------------------


def test_unit_figures_ranked_by_completion_rate(projects: list[Project]) -> None:
    units = unit_figures(projects, AS_OF)
    pace = D(65) / D(365)
    # Only assessed projects count: 甲二 (planned start 05-15) and 甲三 (starts 04-01) are not yet due,
    # 丙一 is 在谈. 区发改局: 1.2 / 4 = 0.3 (甲一 only); 区文旅局: 0.1 / 0.5 = 0.2;
    # 区住建局: (0 + 0.3 + 0) / (1.5 + 1 + 2) = 0.3 / 4.5; 区商务局: nothing assessed → no rate, last
    assert [u.unit for u in units] == ["区发改局", "区文旅局", "区住建局", "区商务局"]
    fagai, wenlv, zhujian, shangwu = units
    assert (wenlv.project_count, wenlv.annual_plan, wenlv.completed) == (1, D("0.5"), D("0.1"))
    assert wenlv.completion_rate == D("0.2")
    assert wenlv.gap_points == (D("0.2") - pace) * 100  # +2.19
    assert wenlv.ahead and not wenlv.behind
    assert (fagai.project_count, fagai.assessed_count, fagai.annual_plan, fagai.completed) == (3, 1, D(4), D("1.2"))
    assert fagai.completion_rate == D("0.3")
    assert fagai.ahead and not fagai.behind
    assert zhujian.completion_rate == D("0.3") / D("4.5")
    assert zhujian.behind
    assert (shangwu.project_count, shangwu.assessed_count, shangwu.completion_rate) == (1, 0, None)
    # by 06-30 甲二 and 甲三 are due and count: (1.2 + 0.1 + 0) / 9
    later = {u.unit: u for u in unit_figures(projects, date(2026, 6, 30))}
    assert later["区发改局"].completion_rate == D("1.3") / D(9)


def test_unit_with_one_project(projects: list[Project]) -> None:
    [unit] = [u for u in unit_figures(projects, AS_OF) if u.unit == "区文旅局"]
    [project] = by_name(projects, "丁一古镇文旅项目")
    assert unit.project_count == 1
    assert unit.annual_plan == project.annual_plan
    assert unit.completed == project.completed


# --- lagging projects -------------------------------------------------------


def names_and_reasons(items) -> list[tuple[str, str]]:
    return [(i.project.name, i.reason) for i in items]


def test_lagging_projects_on_the_meeting_date(projects: list[Project]) -> None:
    items = lagging_projects(projects, AS_OF, unstarted_months=3, yellow_points=10, red_points=30)
    # 乙一 signed 2025-12-05, +3 months = 2026-03-05 < 03-06, not started → 清退预警.
    # 乙三: nothing done, 17.81 points behind → 黄灯.
    # 甲二 (planned start 05-15) and 甲三 (starts 04-01) cannot lag before they are due: no light.
    # 甲一 30% and 丁一 20% are ahead; 乙二 is completed; 丙一 is 在谈.
    assert names_and_reasons(items) == [("乙一老旧小区改造", "清退预警"), ("乙三地下管网", "黄灯")]
    warning = items[0]
    assert warning.signed_date == date(2025, 12, 5) and warning.deadline == date(2026, 3, 5)


def test_a_project_is_not_judged_before_its_start_date() -> None:
    due_later = Project(
        row=2, name="五月开工", lead_unit="区发改局", status="已签约", signed_date=date(2025, 10, 1),
        planned_start=date(2026, 5, 1), annual_plan=D(2), completed=D(0),
    )
    # signed five months ago, nothing done, 17.8 points behind the year's pace: still no light before 05-01
    assert lagging_projects([due_later], AS_OF) == []
    assert is_not_yet_due(due_later, AS_OF) and not is_assessed(due_later, AS_OF)
    # on its start date it is due (not started yet) and both signing and pace rules apply
    assert [i.reason for i in lagging_projects([due_later], date(2026, 5, 1))] == ["清退预警"]
    late = Project(row=3, name="三月开工", lead_unit="区发改局", planned_start=date(2026, 3, 1), annual_plan=D(2))
    assert [i.reason for i in lagging_projects([late], AS_OF)] == ["黄灯"]


def test_signed_exactly_n_months_before_is_not_yet_a_warning() -> None:
    jia2 = [
        Project(
            row=2, name="甲二", lead_unit="区发改局", status="已签约", signed_date=date(2025, 12, 6),
            annual_plan=D(2), completed=D("0.1"),
        )
    ]
    on_boundary = lagging_projects(jia2, date(2026, 3, 6))
    assert [i.reason for i in on_boundary] == ["黄灯"]
    day_after = lagging_projects(jia2, date(2026, 3, 7))
    assert [i.reason for i in day_after] == ["清退预警"]
    # with a 4-month limit the same project is not late on 03-07
    assert [i.reason for i in lagging_projects(jia2, date(2026, 3, 7), unstarted_months=4)] == ["黄灯"]


def test_red_and_yellow_lights_at_mid_year(projects: list[Project]) -> None:
    as_of = date(2026, 6, 30)  # day 31+28+31+30+31+30 = 181 of 365 → pace 49.59%
    items = lagging_projects(projects, as_of)
    # 清退预警 by signing date: 乙一 (12-05), 甲二 (12-06).
    # 红灯 (≥ 30 behind): 乙三 0% and 甲三 0% (49.59 behind; 甲三 started 04-01 but has done nothing).
    # 黄灯: 丁一 20% → 29.59 behind (just under red), 甲一 30% → 19.59 behind.
    assert names_and_reasons(items) == [
        ("乙一老旧小区改造", "清退预警"),
        ("甲二新材料项目", "清退预警"),
        ("乙三地下管网", "红灯"),
        ("甲三数据中心", "红灯"),
        ("丁一古镇文旅项目", "黄灯"),
        ("甲一智能装备产业园", "黄灯"),
    ]


def test_thresholds_are_inclusive_and_configurable(projects: list[Project]) -> None:
    jia1 = by_name(projects, "甲一智能装备产业园")
    as_of = date(2026, 12, 31)  # pace exactly 1; 甲一 at 1.2 / 4 = 30% is exactly 70 points behind
    assert [i.reason for i in lagging_projects(jia1, as_of, red_points=70)] == ["红灯"]
    assert [i.reason for i in lagging_projects(jia1, as_of, red_points=70.5)] == ["黄灯"]
    assert lagging_projects(jia1, as_of, yellow_points=71, red_points=80) == []


def test_lights_follow_the_gap_as_printed_to_one_decimal() -> None:
    # Pace on 06-30 is 181/365 = 49.589…%. 19.63% done is 29.959 points behind, printed “落后30.0个百分点”:
    # it must be a red light, not a yellow one “不足30个百分点”. 39.63% is 9.959 behind, printed 10.0: yellow.
    red = Project(row=2, name="红", lead_unit="区发改局", annual_plan=Decimal(100), completed=Decimal("19.63"))
    yellow = Project(row=3, name="黄", lead_unit="区发改局", annual_plan=Decimal(100), completed=Decimal("39.63"))
    clear = Project(row=4, name="无", lead_unit="区发改局", annual_plan=Decimal(100), completed=Decimal("39.64"))
    items = lagging_projects([red, yellow, clear], date(2026, 6, 30))
    assert names_and_reasons(items) == [("红", "红灯"), ("黄", "黄灯")]


def test_a_gap_printed_as_zero_is_on_pace_not_behind() -> None:
    # Pace on 12-31 is exactly 1; 99999.96 of 100000 is 0.00004 points behind, printed “0.0个百分点”.
    unit = Project(row=2, name="甲", lead_unit="区发改局", annual_plan=Decimal(100000), completed=Decimal("99999.96"))
    (figures,) = unit_figures([unit], date(2026, 12, 31))
    assert figures.gap_points < 0
    assert figures.on_pace and figures.ahead and not figures.behind
    overall = compute_figures([unit], date(2026, 12, 31))
    assert overall.on_pace and overall.ahead
    slow = Project(row=2, name="乙", lead_unit="区发改局", annual_plan=Decimal(100000), completed=Decimal("99940"))
    (figures,) = unit_figures([slow], date(2026, 12, 31))  # 0.06 behind → “0.1个百分点”
    assert not figures.on_pace and figures.behind and not figures.ahead
