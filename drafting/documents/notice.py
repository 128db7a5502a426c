"""The progress notice (进度通报), computed from the ledger as of a given date.

``build_notice`` renders ``notice.gw.j2`` and parses it into a ``Document``,
adding the 版头 (red header) and 版记 when meeting.yaml configures them. Every
number comes from :mod:`drafting.figures`; all wording is in the templates.

Template context (also listed in the header of ``templates/notice.gw.j2``):

``meeting``      the validated ``Meeting``
``as_of``        the date the figures are computed for (also the 成文日期)
``year``         ``as_of.year``
``title``, ``recipients``, ``signature``  from ``notice:`` in meeting.yaml
                 (defaults: the template's own title, none, the organizer)
``figures``      ``LedgerFigures``
``units``        per 牵头单位, ranked by completion rate: dicts with ``index``,
                 ``name``, ``project_count``, ``annual_plan``, ``completed``,
                 ``completion_rate``, ``gap`` (fraction, for ``points``),
                 ``gap_points``, ``ahead``, ``behind``, ``on_pace`` (gap prints as 0.0)
``units_ahead``, ``units_behind``, ``units_without_plan``  unit names
``warnings``, ``red``, ``yellow``  lagging projects by reason (清退预警, 红灯, 黄灯):
                 dicts with ``name``, ``unit``, ``reason``,
                 ``completion_rate``, ``gap``, ``signed_date``, ``deadline``
``thresholds``   ``unstarted_months``, ``yellow_points``, ``red_points`` (as text, e.g. "10")
``projects``     attachment rows in ledger order: ``index``, ``name``, ``unit``,
                 ``annual_plan``, ``completed``, ``completion_rate``,
                 ``progress_note``, ``issues`` (cell-safe text)
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
from drafting.docx.writer import text_width_chars
from drafting.templating.filters import cell, one_line
from drafting.figures import (
    LaggingProject,
    compute_figures,
    lagging_projects,
    project_completion_rate,
    unit_figures,
)
from drafting.folder import MeetingFolder
from drafting.markup import parse_markup
from drafting.meeting import Meeting
from drafting.templating.environment import render_template
from drafting.templating.filters import cn_date

TEMPLATE_NAME = "notice.gw.j2"

# How wide (in characters) each attachment column may grow before its text
# wraps: free-text columns wrap early, numbers never. Extra columns of a
# customised template get the last cap.
ATTACHMENT_WRAP_CHARS: tuple[float, ...] = (2, 8, 6, 4, 4, 4, 8, 8)
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


def _attachment_rows(folder: MeetingFolder) -> list[dict[str, Any]]:
    return [
        {
            "index": i,
            "name": cell(p.name),
            "unit": cell(p.lead_unit),
            "annual_plan": p.annual_plan,
            "completed": p.completed,
            "completion_rate": project_completion_rate(p),
            "progress_note": cell(p.progress_note),
            "issues": cell(p.issues),
        }
        for i, p in enumerate(folder.ledger.projects, start=1)
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
    units = unit_figures(projects, as_of)
    lagging = lagging_projects(
        projects,
        as_of,
        unstarted_months=config.unstarted_months,
        yellow_points=config.yellow_points,
        red_points=config.red_points,
    )
    rows = _attachment_rows(folder)
    return {
        "meeting": meeting,
        "as_of": as_of,
        "year": as_of.year,
        "title": one_line(config.title),
        "recipients": one_line(config.recipients),
        "signature": one_line(config.signature or _issuing_organ(meeting)),
        "figures": compute_figures(projects, as_of),
        "units": [
            {
                "index": i,
                "name": cell(u.unit),
                "project_count": u.project_count,
                "annual_plan": u.annual_plan,
                "completed": u.completed,
                "completion_rate": u.completion_rate,
                "gap": u.gap,
                "gap_points": u.gap_points,
                "ahead": u.ahead,
                "behind": u.behind,
                "on_pace": u.on_pace,
            }
            for i, u in enumerate(units, start=1)
        ],
        "units_ahead": [one_line(u.unit) for u in units if u.ahead],
        "units_behind": [one_line(u.unit) for u in units if u.behind],
        "units_without_plan": [one_line(u.unit) for u in units if u.completion_rate is None],
        "warnings": [_lagging(i) for i in lagging if i.reason == "清退预警"],
        "red": [_lagging(i) for i in lagging if i.reason == "红灯"],
        "yellow": [_lagging(i) for i in lagging if i.reason == "黄灯"],
        "thresholds": {
            "unstarted_months": _plain_number(config.unstarted_months),
            "yellow_points": _plain_number(config.yellow_points),
            "red_points": _plain_number(config.red_points),
        },
        "projects": rows,
    }


def build_notice(
    folder: MeetingFolder, as_of: date, env: SandboxedEnvironment, profile: StyleProfile | None = None
) -> Document:
    """The progress notice as a ``Document``, figures as of ``as_of``, with 版头 and 版记 when configured."""
    context = notice_context(folder, as_of)
    text = render_template(env, TEMPLATE_NAME, context)
    document = parse_markup(text, source=TEMPLATE_NAME)
    _rotate_wide_attachments(document, profile or StyleProfile())
    config = folder.meeting.notice
    if config.red_header is not None:
        document.red_header = RedHeader(organ=config.red_header.organ, number=config.red_header.number)
    if config.cc:
        issuer = config.red_header.organ if config.red_header is not None else context["signature"]
        document.imprint = Imprint(cc=one_line(config.cc), issuer=issuer, date=cn_date(as_of))
    document.meta.author = context["signature"]
    document.meta.subject = folder.meeting.name
    document.meta.kind = "notice"
    document.meta.date = as_of
    return document
