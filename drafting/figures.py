"""Every number derived from the project ledger, as of a given date.

Conventions (relied on by the speech, letters and notice templates):

- Amounts are ``Decimal`` 亿元; a missing amount (``None``) counts as 0 in sums.
- Ratios (``completion_rate``, ``start_rate``, ``pace``) are ``Decimal``
  fractions (0.853 means 85.3%); nothing is rounded here, only in filters.
- ``gap_points`` is ``(completion_rate - pace) * 100`` in percentage points;
  negative means behind the pace. ``gap`` is the same difference as a fraction
  (``completion_rate - pace``), which is what the ``points`` filter expects:
  ``{{ figures.gap|points }}`` → 12.3个百分点 (without sign).
- Ahead / behind / on pace and the 红灯 / 黄灯 lines are judged on the gap as
  printed (one decimal), so the words never contradict the number beside them:
  a gap printed 0.0 is ``on_pace`` (and ``ahead``), never 低于序时进度.
- 序时进度 ``pace`` = day of the year of ``as_of`` (1 January = 1, the as-of
  day counted as elapsed) / number of days in that year (365 or 366).
  So 31 December gives exactly 1, and 6 March 2026 gives 65/365.
- A project is *started* when its status is 已开工/已竣工/已投产, or when it has
  an actual start date on or before ``as_of``; *completed* when its status is
  已竣工/已投产.
- A project is *negotiating* (在谈) when its status says so: it is not signed,
  so it is left out of the 开工率, of the unit ranking and of the lights.
- A project is *not yet due* when it has not started and its planned start
  (or, without one, the actual start date the ledger already names) is after
  ``as_of``: it cannot lag before it was due to start, so it is left out of
  the unit ranking and of the lights. Without any start date it is due.
- *Assessed* projects (考核项目) are all the others: they make the unit table.
- 开工率 ``start_rate`` = started / (projects − negotiating) (``start_base``).
- A completed project whose planned completion falls before 1 January of the
  ``as_of`` year was completed in an earlier year (the ledger has no actual
  completion date): it is counted in ``prior_completed_count``, never in
  ``completed_count``.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover
    from drafting.ledger import Project

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PRINTED_POINTS = Decimal("0.1")  # the ``points`` filter prints one decimal, rounding half up

STARTED_STATUSES = frozenset({"已开工", "已竣工", "已投产"})
COMPLETED_STATUSES = frozenset({"已竣工", "已投产"})
NOT_SIGNED_STATUSES = frozenset({"在谈"})
LEVEL_ORDER = ("省重点", "市重点", "区重点", "县重点")

LagReason = Literal["清退预警", "红灯", "黄灯"]


# --- small helpers -----------------------------------------------------------


def _status(project: Any) -> str | None:
    status = getattr(project, "status", None)
    if status is None:
        return None
    return str(getattr(status, "value", status))


def _amount(value: Decimal | None) -> Decimal:
    return ZERO if value is None else Decimal(value)


def sum_amounts(values: Iterable[Decimal | None]) -> Decimal:
    """Exact sum of amounts; a missing amount counts as 0."""
    return sum((_amount(v) for v in values), ZERO)


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else Decimal(part) / Decimal(whole)


def _points(rate: Decimal | None, pace: Decimal) -> Decimal | None:
    return None if rate is None else (rate - pace) * HUNDRED


def printed_points(gap_points: Decimal) -> Decimal:
    """A gap in points as the ``points`` filter prints it (one decimal, half up): -29.96 → -30.0."""
    return gap_points.quantize(PRINTED_POINTS, rounding=ROUND_HALF_UP)


def time_pace(as_of: date) -> Decimal:
    """序时进度: day of year of ``as_of`` / days in that year (see module docstring)."""
    days_in_year = 366 if calendar.isleap(as_of.year) else 365
    return Decimal(as_of.timetuple().tm_yday) / Decimal(days_in_year)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; the day is clamped to the month's end (11-30 + 3 → 02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_started(project: Project, as_of: date) -> bool:
    """Started by status, or by an actual start date on or before ``as_of``."""
    if _status(project) in STARTED_STATUSES:
        return True
    actual = getattr(project, "actual_start", None)
    return actual is not None and actual <= as_of


def is_completed(project: Project) -> bool:
    return _status(project) in COMPLETED_STATUSES


def is_negotiating(project: Project) -> bool:
    return _status(project) in NOT_SIGNED_STATUSES


def start_due_date(project: Project) -> date | None:
    """When the project is due to start: its planned start, else the actual start date it names."""
    return getattr(project, "planned_start", None) or getattr(project, "actual_start", None)


def is_not_yet_due(project: Project, as_of: date) -> bool:
    """Signed (or at least not 在谈), not started, and its start date is after ``as_of``."""
    if is_negotiating(project) or is_started(project, as_of):
        return False
    due = start_due_date(project)
    return due is not None and due > as_of


def is_assessed(project: Project, as_of: date) -> bool:
    """Judged on its progress: neither 在谈 nor before its start date."""
    return not is_negotiating(project) and not is_not_yet_due(project, as_of)


def completed_in_earlier_year(project: Project, as_of: date) -> bool:
    """Completed, with a planned completion before the ``as_of`` year (see the module docstring)."""
    finish = getattr(project, "planned_completion", None)
    return is_completed(project) and finish is not None and finish.year < as_of.year


def project_completion_rate(project: Project) -> Decimal | None:
    """累计完成 / 年度计划 of one project; None when the plan is missing or 0."""
    return _ratio(_amount(project.completed), _amount(project.annual_plan))


# --- ledger-wide figures -----------------------------------------------------


@dataclass(frozen=True)
class LevelFigures:
    count: int
    total_investment: Decimal
    annual_plan: Decimal


@dataclass(frozen=True)
class CategoryFigures:
    count: int
    total_investment: Decimal


@dataclass(frozen=True)
class LedgerFigures:
    as_of: date
    project_count: int
    total_investment: Decimal
    annual_plan: Decimal
    completed: Decimal
    completion_rate: Decimal | None  # completed / annual_plan; None when the plan is 0
    pace: Decimal  # 序时进度, fraction of the year elapsed
    gap_points: Decimal | None  # (completion_rate - pace) * 100
    started_count: int
    start_rate: Decimal | None  # started / start_base; None when start_base is 0
    completed_count: int  # completed this year (not in an earlier year)
    # Ordered 省重点, 市重点, 区重点, then any other level by name; projects without a level are left out.
    by_level: dict[str, LevelFigures]
    # Most projects first, then larger investment, then name; projects without a category are left out.
    by_category: dict[str, CategoryFigures]
    unit_count: int  # distinct 牵头单位
    units_by_project_count: list[tuple[str, int]]  # most projects first, ties by name
    negotiating_count: int = 0  # 在谈
    not_yet_due_count: int = 0  # not started, start date after as_of
    prior_completed_count: int = 0  # completed in an earlier year
    start_base: int = 0  # 开工率 denominator: projects that are not 在谈

    @property
    def gap(self) -> Decimal | None:
        """completion_rate - pace as a fraction (for the ``points`` filter)."""
        return None if self.gap_points is None else self.gap_points / HUNDRED

    @property
    def unstarted_count(self) -> int:
        return self.project_count - self.started_count

    @property
    def ahead(self) -> bool:
        """At or ahead of the pace as printed (False when the rate is unknown)."""
        return self.gap_points is not None and printed_points(self.gap_points) >= 0

    @property
    def on_pace(self) -> bool:
        """The gap prints as 0.0 points: level with the pace."""
        return self.gap_points is not None and printed_points(self.gap_points) == 0


def _by_level(projects: Sequence[Project]) -> dict[str, LevelFigures]:
    groups: dict[str, list[Project]] = {}
    for p in projects:
        level = getattr(p, "level", None)
        if level is None or str(getattr(level, "value", level)).strip() == "":
            continue
        groups.setdefault(str(getattr(level, "value", level)), []).append(p)

    def order(name: str) -> tuple[int, str]:
        return (LEVEL_ORDER.index(name), "") if name in LEVEL_ORDER else (len(LEVEL_ORDER), name)

    return {
        name: LevelFigures(
            count=len(groups[name]),
            total_investment=sum_amounts([p.total_investment for p in groups[name]]),
            annual_plan=sum_amounts([p.annual_plan for p in groups[name]]),
        )
        for name in sorted(groups, key=order)
    }


def _by_category(projects: Sequence[Project]) -> dict[str, CategoryFigures]:
    groups: dict[str, list[Project]] = {}
    for p in projects:
        category = (getattr(p, "category", None) or "").strip()
        if category:
            groups.setdefault(category, []).append(p)
    figures = {
        name: CategoryFigures(len(items), sum_amounts([p.total_investment for p in items]))
        for name, items in groups.items()
    }
    ranked = sorted(figures.items(), key=lambda kv: (-kv[1].count, -kv[1].total_investment, kv[0]))
    return dict(ranked)


def compute_figures(projects: Sequence[Project], as_of: date) -> LedgerFigures:
    """All ledger-wide figures as of ``as_of`` (see the module docstring for definitions)."""
    annual_plan = sum_amounts([p.annual_plan for p in projects])
    completed = sum_amounts([p.completed for p in projects])
    pace = time_pace(as_of)
    rate = _ratio(completed, annual_plan)
    started = sum(1 for p in projects if is_started(p, as_of) and not is_negotiating(p))
    negotiating = sum(1 for p in projects if is_negotiating(p))
    start_base = len(projects) - negotiating
    prior = sum(1 for p in projects if completed_in_earlier_year(p, as_of))
    unit_counts = Counter(p.lead_unit for p in projects)
    return LedgerFigures(
        as_of=as_of,
        project_count=len(projects),
        total_investment=sum_amounts([p.total_investment for p in projects]),
        annual_plan=annual_plan,
        completed=completed,
        completion_rate=rate,
        pace=pace,
        gap_points=_points(rate, pace),
        started_count=started,
        start_rate=_ratio(Decimal(started), Decimal(start_base)),
        completed_count=sum(1 for p in projects if is_completed(p)) - prior,
        by_level=_by_level(projects),
        by_category=_by_category(projects),
        unit_count=len(unit_counts),
        units_by_project_count=sorted(unit_counts.items(), key=lambda kv: (-kv[1], kv[0])),
        negotiating_count=negotiating,
        not_yet_due_count=sum(1 for p in projects if is_not_yet_due(p, as_of)),
        prior_completed_count=prior,
        start_base=start_base,
    )


# --- per unit ----------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """One 牵头单位. Amounts and rates are over its *assessed* projects (see the module docstring)."""

    unit: str
    project_count: int  # all its projects
    annual_plan: Decimal
    completed: Decimal
    completion_rate: Decimal | None  # None when the assessed plan is 0
    gap_points: Decimal | None
    ahead: bool  # completion rate at or above the pace, as printed
    assessed_count: int = 0  # projects that are neither 在谈 nor before their start date

    @property
    def gap(self) -> Decimal | None:
        return None if self.gap_points is None else self.gap_points / HUNDRED

    @property
    def behind(self) -> bool:
        """Below the pace as printed; a unit with no plan (rate None) is neither ahead nor behind."""
        return self.gap_points is not None and printed_points(self.gap_points) < 0

    @property
    def on_pace(self) -> bool:
        """The gap prints as 0.0 points: level with the pace."""
        return self.gap_points is not None and printed_points(self.gap_points) == 0


def unit_figures(projects: Sequence[Project], as_of: date) -> list[UnitFigures]:
    """Per 牵头单位, ranked by the completion rate of its assessed projects.

    Highest rate first; units without an assessed plan last; ties by name.
    """
    pace = time_pace(as_of)
    groups: dict[str, list[Project]] = {}
    for p in projects:
        groups.setdefault(p.lead_unit, []).append(p)
    result = []
    for unit, items in groups.items():
        assessed = [p for p in items if is_assessed(p, as_of)]
        plan = sum_amounts([p.annual_plan for p in assessed])
        done = sum_amounts([p.completed for p in assessed])
        rate = _ratio(done, plan)
        gap = _points(rate, pace)
        result.append(
            UnitFigures(
                unit=unit,
                project_count=len(items),
                annual_plan=plan,
                completed=done,
                completion_rate=rate,
                gap_points=gap,
                ahead=gap is not None and printed_points(gap) >= 0,
                assessed_count=len(assessed),
            )
        )
    result.sort(key=lambda u: (u.completion_rate is None, -(u.completion_rate or ZERO), u.unit))
    return result


@dataclass(frozen=True)
class AssessedTotals:
    """The unit table's 合计 row: all assessed projects together."""

    project_count: int
    annual_plan: Decimal
    completed: Decimal
    completion_rate: Decimal | None
    gap_points: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        return None if self.gap_points is None else self.gap_points / HUNDRED


def assessed_totals(projects: Sequence[Project], as_of: date) -> AssessedTotals:
    assessed = [p for p in projects if is_assessed(p, as_of)]
    plan = sum_amounts([p.annual_plan for p in assessed])
    done = sum_amounts([p.completed for p in assessed])
    rate = _ratio(done, plan)
    return AssessedTotals(len(assessed), plan, done, rate, _points(rate, time_pace(as_of)))


# --- lagging projects --------------------------------------------------------


@dataclass(frozen=True)
class LaggingProject:
    project: Project
    reason: LagReason
    completion_rate: Decimal | None = None
    gap_points: Decimal | None = None
    signed_date: date | None = None
    deadline: date | None = None  # signed_date + N months; 清退预警 when as_of is past it

    @property
    def gap(self) -> Decimal | None:
        return None if self.gap_points is None else self.gap_points / HUNDRED


def lagging_projects(
    projects: Sequence[Project],
    as_of: date,
    unstarted_months: int = 3,
    yellow_points: int | Decimal = 10,
    red_points: int | Decimal = 30,
) -> list[LaggingProject]:
    """Projects to name in the notice, one entry each, the most serious reason kept.

    Projects that are 在谈 or not yet due to start are never named here (see the
    module docstring); the notice lists them on their own lines.

    - 清退预警: signed (a signing date, status not 在谈) and not started, and
      ``as_of`` is after signing date + ``unstarted_months`` (exactly N months is
      not yet late).
    - 红灯 / 黄灯: not completed, with an annual plan, and the project's completion
      rate is behind the pace by at least ``red_points`` / ``yellow_points``,
      judged on the gap as printed (one decimal), so “落后30.0个百分点” is never a 黄灯.

    Order: 清退预警 (earliest signed first), 红灯, 黄灯 (furthest behind first),
    ties by ledger order.
    """
    pace = time_pace(as_of)
    yellow, red = Decimal(str(yellow_points)), Decimal(str(red_points))
    found: list[tuple[tuple, LaggingProject]] = []
    for index, p in enumerate(projects):
        if not is_assessed(p, as_of):
            continue
        signed = getattr(p, "signed_date", None)
        rate = project_completion_rate(p)
        gap = _points(rate, pace)
        if (
            signed is not None
            and not is_started(p, as_of)
            and add_months(signed, unstarted_months) < as_of
        ):
            deadline = add_months(signed, unstarted_months)
            item = LaggingProject(p, "清退预警", rate, gap, signed, deadline)
            found.append(((0, signed, index), item))
            continue
        if gap is None or is_completed(p):
            continue
        behind = -printed_points(gap)
        if behind >= red or behind >= yellow:
            reason: LagReason = "红灯" if behind >= red else "黄灯"
            item = LaggingProject(p, reason, rate, gap, signed)
            found.append(((1 if reason == "红灯" else 2, gap, index), item))
    found.sort(key=lambda pair: pair[0])
    return [item for _, item in found]
