"""The progress notice (进度通报), computed from the ledger as of a given date.

``build_notice`` renders ``notice.gw.j2`` and parses it into a ``Document``,
adding the 版头 (red header) and 版记 when meeting.yaml configures them. Every
number comes from :mod:`drafting.figures`; all wording is in the templates.

Template context (also listed in the header of ``templates/notice.gw.j2``):

``meeting``      the validated ``Meeting``
``as_of``        the date the figures are computed for (the data's cut-off)
``year``         ``as_of.year``
``date``, ``print_date``  成文日期 and 印发日期 (``notice.date`` / ``notice.print_date``,
                 default ``as_of``; checked by ``documents.period.notice_dates``)
``title``, ``recipients``, ``signature``  from ``notice:`` in meeting.yaml
                 (defaults: the template's own title, none, the organizer)
``figures``      ``LedgerFigures``
``units``        per 牵头单位, ranked by the completion rate of its assessed projects
                 (neither 在谈 nor before their start date; see ``drafting.figures``):
                 dicts with ``index``, ``name``, ``project_count`` (all),
                 ``assessed_count``, ``annual_plan``, ``completed``, ``completion_rate``,
                 ``gap`` (fraction, for ``points``), ``gap_points``, ``ahead``,
                 ``behind``, ``on_pace`` (gap prints as 0.0)
``units_total``  the same keys for all assessed projects (the unit table's 合计 row)
``units_ahead``, ``units_behind``, ``units_without_plan``  unit names
``warnings``, ``red``, ``yellow``  lagging projects by reason (清退预警, 红灯, 黄灯):
                 dicts with ``name``, ``unit``, ``reason``,
                 ``completion_rate``, ``gap``, ``signed_date``, ``deadline``
``not_yet_due``, ``negotiating``  projects listed apart, never lit: ``name``,
                 ``unit``, ``planned_start``
``*_by_unit``    each of the five lists above grouped: ``[{unit, count, items}]``
``thresholds``   ``unstarted_months``, ``yellow_points``, ``red_points`` (as text, e.g. "10")
``mechanisms``   see ``documents.mechanisms`` (``report_to`` None when it is the signer)
``projects``     attachment rows grouped by unit in the unit table's order:
                 ``index``, ``name``, ``unit``, ``annual_plan``, ``completed``,
                 ``completion_rate``, ``light``, ``negotiating``, ``not_yet_due``,
                 ``completed_earlier``, ``progress_note``, ``issues`` (cell-safe text)
``project_groups``  the same rows as ``[{unit, count, items}]``, one group per unit
``projects_total``  ``project_count``, ``annual_plan``, ``completed``, ``completion_rate``
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from drafting.document import Attachment, Document, Imprint, RedHeader, Table
from drafting.docx.profile import StyleProfile
from drafting.docx.stylenames import text_width_chars
from drafting.templating.filters import cell, one_line
from drafting.documents.mechanisms import mechanisms_context
from drafting.documents.period import check_as_of, notice_dates
from drafting.figures import (
    AssessedTotals,
    LaggingProject,
    UnitFigures,
    assessed_totals,
    completed_in_earlier_year,
    compute_figures,
    is_negotiating,
    is_not_yet_due,
    lagging_projects,
    printed_points,
    project_completion_rate,
    start_due_date,
    sum_amounts,
    unit_figures,
)
from drafting.ledger import Project
from drafting.folder import MeetingFolder
from drafting.markup import parse_markup
from drafting.meeting import Meeting
from drafting.templating.environment import render_template
from drafting.templating.filters import cn_date

TEMPLATE_NAME = "notice.gw.j2"

# How wide (in characters) each attachment column may grow before its text
# wraps: free-text columns wrap early, numbers never. Extra columns of a
# customised template get the last cap.
ATTACHMENT_WRAP_CHARS: tuple[float, ...] = (2, 8, 4, 4, 4, 4, 8, 8)
MIN_COLUMN_CHARS = 2  # a header wraps down to two characters a line


def _plain_number(value: float | int | Decimal) -> str:
    number = Decimal(str(value)).normalize()
    return format(number, "f")


def _lagging(item: LaggingProject) -> dict[str, Any]:
    return {
        "name": one_line(item.project.name),
        "unit": one_line(item.project.lead_unit),
        "reason": item.reason,
        "completion_rate": item.completion_rate,
        "gap": item.gap,
        "signed_date": item.signed_date,
        "deadline": item.deadline,
    }


def _listed(project: Project) -> dict[str, Any]:
    return {
        "name": one_line(project.name),
        "unit": one_line(project.lead_unit),
        "planned_start": start_due_date(project),
    }


def by_unit(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Listed projects grouped by unit: most projects first, then in order of first appearance."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["unit"], []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))  # stable: ties keep first appearance
    return [{"unit": unit, "count": len(members), "items": members} for unit, members in ordered]


def by_unit_in_order(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attachment rows (already ordered by unit) as ``[{unit, count, items}]`` in that order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["unit"], []).append(row)
    return [{"unit": unit, "count": len(items), "items": items} for unit, items in groups.items()]


def _unit_row(index: int, u: UnitFigures | AssessedTotals, name: str = "") -> dict[str, Any]:
    gap = u.gap_points
    return {
        "index": index,
        "name": cell(name),
        "project_count": u.project_count,
        "assessed_count": getattr(u, "assessed_count", u.project_count),
        "annual_plan": u.annual_plan,
        "completed": u.completed,
        "completion_rate": u.completion_rate,
        "gap": u.gap,
        "gap_points": gap,
        "ahead": gap is not None and printed_points(gap) >= 0,
        "behind": gap is not None and printed_points(gap) < 0,
        "on_pace": gap is not None and printed_points(gap) == 0,
    }


def _attachment_rows(
    projects: Sequence[Project], unit_order: Sequence[str], lights: dict[str, str], as_of: date
) -> list[dict[str, Any]]:
    """Every project, grouped by unit in the unit table's order, ledger order within a unit."""
    rank = {unit: i for i, unit in enumerate(unit_order)}
    ordered = sorted(projects, key=lambda p: rank.get(p.lead_unit, len(rank)))  # stable
    return [
        {
            "index": i,
            "name": cell(p.name),
            "unit": cell(p.lead_unit),
            "annual_plan": p.annual_plan,
            "completed": p.completed,
            "completion_rate": project_completion_rate(p),
            "light": lights.get(p.name),
            "negotiating": is_negotiating(p),
            "not_yet_due": is_not_yet_due(p, as_of),
            "completed_earlier": completed_in_earlier_year(p, as_of),
            "progress_note": cell(p.progress_note),
            "issues": cell(p.issues),
        }
        for i, p in enumerate(ordered, start=1)
    ]


def needs_landscape(rows: Sequence[Sequence[str]], caps: Sequence[float], profile: StyleProfile) -> bool:
    """Whether a table overflows a portrait page when each column is as wide as its text, up to its cap.

    The first row is the header, which may wrap onto two lines; body text wraps
    at the column's cap. Widths are in characters of the profile's table font.
    """
    chars_per_mm = 1 / (profile.table_size_pt * 25.4 / 72)
    margin_chars = 2 * profile.table_cell_margin_mm * chars_per_mm
    header, body = (rows[0], rows[1:]) if rows else ((), ())
    needed = 0.0
    for c, cap in enumerate(caps):
        head = math.ceil(text_width_chars(header[c]) / 2) if c < len(header) else 0
        longest = max((text_width_chars(row[c]) for row in body if c < len(row)), default=0)
        needed += max(MIN_COLUMN_CHARS, min(max(head, longest), cap)) + margin_chars
    return needed > profile.type_width_mm * chars_per_mm


def _rotate_wide_attachments(document: Document, profile: StyleProfile) -> None:
    """Put an attachment whose table would overflow a portrait page into a landscape section."""
    for block in document.blocks:
        if not isinstance(block, Attachment) or block.landscape:
            continue
        for table in (b for b in block.blocks if isinstance(b, Table)):
            columns = max((len(row) for row in table.rows), default=0)
            caps = [ATTACHMENT_WRAP_CHARS[min(c, len(ATTACHMENT_WRAP_CHARS) - 1)] for c in range(columns)]
            if needs_landscape(table.rows, caps, profile):
                block.landscape = True


def _issuing_organ(meeting: Meeting) -> str:
    """Who signs when meeting.yaml does not say: the 版头's organ, else the organizer."""
    red_header = meeting.notice.red_header
    return red_header.organ if red_header is not None else meeting.organizer


def notice_context(folder: MeetingFolder, as_of: date) -> dict[str, Any]:
    """The template context for ``notice.gw.j2`` (keys documented in the module docstring)."""
    meeting = folder.meeting
    config = meeting.notice
    projects = folder.ledger.projects
    dates = notice_dates(folder, as_of)
    units = unit_figures(projects, as_of)
    lagging = lagging_projects(
        projects,
        as_of,
        unstarted_months=config.unstarted_months,
        yellow_points=config.yellow_points,
        red_points=config.red_points,
    )
    warnings = [_lagging(i) for i in lagging if i.reason == "清退预警"]
    red = [_lagging(i) for i in lagging if i.reason == "红灯"]
    yellow = [_lagging(i) for i in lagging if i.reason == "黄灯"]
    not_yet_due = [_listed(p) for p in projects if is_not_yet_due(p, as_of)]
    negotiating = [_listed(p) for p in projects if is_negotiating(p)]
    signature = one_line(config.signature or _issuing_organ(meeting))
    own = [signature, config.red_header.organ if config.red_header is not None else ""]
    lights = {i.project.name: i.reason for i in lagging}
    rows = _attachment_rows(projects, [u.unit for u in units], lights, as_of)
    return {
        "meeting": meeting,
        "as_of": as_of,
        "year": as_of.year,
        "date": dates.written,
        "print_date": dates.printed,
        "title": one_line(config.title),
        "recipients": one_line(config.recipients),
        "signature": signature,
        "figures": compute_figures(projects, as_of),
        "units": [_unit_row(i, u, u.unit) for i, u in enumerate(units, start=1)],
        "units_total": _unit_row(0, assessed_totals(projects, as_of)),
        "units_ahead": [one_line(u.unit) for u in units if u.ahead],
        "units_behind": [one_line(u.unit) for u in units if u.behind],
        "units_without_plan": [one_line(u.unit) for u in units if u.completion_rate is None],
        "warnings": warnings,
        "red": red,
        "yellow": yellow,
        "warnings_by_unit": by_unit(warnings),
        "red_by_unit": by_unit(red),
        "yellow_by_unit": by_unit(yellow),
        "not_yet_due": not_yet_due,
        "not_yet_due_by_unit": by_unit(not_yet_due),
        "negotiating": negotiating,
        "negotiating_by_unit": by_unit(negotiating),
        "thresholds": {
            "unstarted_months": _plain_number(config.unstarted_months),
            "yellow_points": _plain_number(config.yellow_points),
            "red_points": _plain_number(config.red_points),
        },
        "mechanisms": mechanisms_context(meeting, own),
        "projects": rows,
        "project_groups": by_unit_in_order(rows),
        "projects_total": {
            "project_count": len(projects),
            "annual_plan": sum_amounts(p.annual_plan for p in projects),
            "completed": sum_amounts(p.completed for p in projects),
            "completion_rate": compute_figures(projects, as_of).completion_rate,
        },
    }


def build_notice(
    folder: MeetingFolder, as_of: date, env: SandboxedEnvironment, profile: StyleProfile | None = None
) -> Document:
    """The progress notice as a ``Document``, figures as of ``as_of``, with 版头 and 版记 when configured."""
    check_as_of(folder, as_of)
    context = notice_context(folder, as_of)
    text = render_template(env, TEMPLATE_NAME, context)
    document = parse_markup(text, source=TEMPLATE_NAME)
    _rotate_wide_attachments(document, profile or StyleProfile())
    config = folder.meeting.notice
    if config.red_header is not None:
        header = config.red_header
        document.red_header = RedHeader(
            organ=header.organ,
            number=header.number,
            copy_number=header.copy_number or "",
            secrecy=header.secrecy or "",
            urgency=header.urgency or "",
            signers=list(header.signers),
            joint_organs=list(header.joint_organs),
            mark=header.mark or "",
            letter=header.letter,
        )
    if config.cc:
        issuer = config.red_header.organ if config.red_header is not None else context["signature"]
        document.imprint = Imprint(cc=one_line(config.cc), issuer=issuer, date=cn_date(context["print_date"]))
    document.meta.author = context["signature"]
    document.meta.subject = folder.meeting.name
    document.meta.kind = "notice"
    document.meta.date = context["date"]
    return document
