"""Target responsibility letters (目标责任书): one per 牵头单位 (or 责任领导), from the ledger.

``build_letters`` groups the ledger's projects by ``letters.by`` in meeting.yaml,
renders ``letter.gw.j2`` once per group and parses it into a ``Document``.
Every project lands in exactly one letter. All wording is in the templates.

Template context (also listed in the header of ``templates/letter.gw.j2``):

``meeting``        the validated ``Meeting``
``year``           the letters' year (``letters.year``, default the meeting year)
``by``             "牵头单位" or "责任领导"
``party_a``        甲方 (``letters.party_a``, default the organizer)
``party_b``        乙方: the unit (or the leader) this letter is for
``as_of``          the ``date`` used to judge whether a project has started
``projects``       rows, in ledger order; each a dict with ``index`` (1-based),
                   ``name``, ``content``, ``leader``, ``lead_unit``, ``partners``
                   (joined with 、), ``total_investment``, ``annual_plan``,
                   ``status``, ``planned_start``, ``actual_start``,
                   ``planned_completion``, ``started``, ``completed``. Text is
                   already safe inside a table cell (``|`` escaped, one line).
``project_count``  number of rows
``total_investment``, ``annual_plan``  sums over the rows (亿元, missing = 0)
``mechanisms``     the working mechanisms from meeting.yaml (see ``documents.mechanisms``);
                   ``report_to`` is None when it would be party B itself
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from drafting.document import Document, Meta, SectionBreak
from drafting.documents.mechanisms import mechanisms_context
from drafting.documents.period import check_as_of
from drafting.errors import InputError, InputErrors, Location
from drafting.figures import is_completed, is_started, sum_amounts
from drafting.filenames import safe_filenames
from drafting.folder import MeetingFolder
from drafting.ledger import Project
from drafting.markup import parse_markup
from drafting.templating.environment import render_template
from drafting.templating.filters import cell, one_line
from drafting.templating.plain import Plain

TEMPLATE_NAME = "letter.gw.j2"
BY_UNIT = "牵头单位"
BY_LEADER = "责任领导"


@dataclass(frozen=True)
class Letter:
    unit: str  # 乙方: the 牵头单位 (or 责任领导) the letter is for
    filename: str  # safe, distinct among the batch, e.g. 区发改局.docx
    document: Document
    projects: list[Project] = field(default_factory=list)


def group_projects(folder: MeetingFolder) -> dict[str, list[Project]]:
    """Projects grouped by the letters' party B, groups in order of first appearance in the ledger.

    With ``by: 责任领导`` every project must name its leader; the missing ones are
    reported together (a project without a letter would be lost silently).
    """
    by = folder.meeting.letters.by
    groups: dict[str, list[Project]] = {}
    errors: list[InputError] = []
    for project in folder.ledger.projects:
        key = project.lead_unit if by == BY_UNIT else project.leader
        key = one_line(key).strip()
        if not key:
            errors.append(
                InputError(
                    f"责任书按“{by}”分发，但项目“{project.name}”没有填写{by}",
                    _row_location(folder, project, by),
                )
            )
            continue
        groups.setdefault(key, []).append(project)
    if errors:
        raise InputErrors(errors)
    return groups


def _row_location(folder: MeetingFolder, project: Project, column: str) -> Location:
    source = folder.ledger.source
    if source.suffix.lower() == ".xlsx":
        return Location(file=source, row=project.row, field=column)
    return Location(file=source, line=project.row, field=column)


def _row(index: int, project: Project, as_of: date) -> dict[str, Any]:
    status = project.status.value if project.status is not None else None
    return {
        "index": index,
        "name": cell(project.name),
        "content": cell(project.content),
        "leader": cell(project.leader),
        "lead_unit": cell(project.lead_unit),
        "partners": cell("、".join(project.partner_units)),
        "total_investment": project.total_investment,
        "annual_plan": project.annual_plan,
        "status": status,
        "planned_start": project.planned_start,
        "actual_start": project.actual_start,
        "planned_completion": project.planned_completion,
        "started": is_started(project, as_of),
        "completed": is_completed(project),
    }


def letter_context(
    folder: MeetingFolder, party_b: str, projects: Sequence[Project], as_of: date, *, meeting_data: Plain | None = None
) -> dict[str, Any]:
    """The template context for one letter (keys documented in the module docstring).

    ``meeting_data``: the meeting already as template data (``Plain.of(folder.meeting)``), shared by a batch.
    """
    meeting = folder.meeting
    return {
        "meeting": meeting if meeting_data is None else meeting_data,
        "year": meeting.letters_year,
        "by": meeting.letters.by,
        "party_a": one_line(meeting.letters_party_a),
        "party_b": one_line(party_b),
        "as_of": as_of,
        "projects": [_row(i, p, as_of) for i, p in enumerate(projects, start=1)],
        "project_count": len(projects),
        "total_investment": sum_amounts(p.total_investment for p in projects),
        "annual_plan": sum_amounts(p.annual_plan for p in projects),
        "mechanisms": mechanisms_context(meeting, [party_b]),
    }


class LetterBuilder:
    """Builds the letters of one batch; what they all share is prepared once, on the first letter."""

    def __init__(self, folder: MeetingFolder, as_of: date, env: SandboxedEnvironment) -> None:
        self.folder = folder
        self.as_of = as_of
        self.env = env
        self._meeting_data: Plain | None = None

    def build(self, party_b: str, projects: Sequence[Project]) -> Document:
        """One responsibility letter as a ``Document``."""
        folder, as_of = self.folder, self.as_of
        check_as_of(folder, as_of)
        if self._meeting_data is None:
            self._meeting_data = Plain.of(folder.meeting)
        context = letter_context(folder, party_b, projects, as_of, meeting_data=self._meeting_data)
        text = render_template(self.env, TEMPLATE_NAME, context)
        document = parse_markup(text, source=TEMPLATE_NAME)
        document.meta.author = context["party_a"]
        document.meta.subject = folder.meeting.name
        document.meta.kind = "letter"
        document.meta.date = as_of
        return document


def build_letter(
    folder: MeetingFolder, party_b: str, projects: Sequence[Project], as_of: date, env: SandboxedEnvironment
) -> Document:
    """One responsibility letter as a ``Document`` (for a batch, ``LetterBuilder`` shares the common work)."""
    return LetterBuilder(folder, as_of, env).build(party_b, projects)


def build_letters(folder: MeetingFolder, as_of: date, env: SandboxedEnvironment) -> list[Letter]:
    """One letter per 牵头单位 (or 责任领导), in ledger order, each with a safe distinct file name."""
    groups = group_projects(folder)
    names = safe_filenames(groups.keys(), suffix=".docx")
    builder = LetterBuilder(folder, as_of, env)
    return [
        Letter(unit=unit, filename=filename, document=builder.build(unit, items), projects=list(items))
        for (unit, items), filename in zip(groups.items(), names)
    ]


def build_combined_letters(letters: Sequence[Letter], title: str | None = None) -> Document:
    """All letters in one document for printing; each starts on a new page numbered from 1.

    ``title`` (document properties only) defaults to the last title line of the
    first letter, e.g. 2026年度重点项目建设目标责任书.
    """
    blocks: list = []
    for i, letter in enumerate(letters):
        if i:
            blocks.append(SectionBreak())
        blocks.extend(letter.document.blocks)
    if title is None and letters and letters[0].document.title is not None:
        title = letters[0].document.title.lines[-1]
    first_meta = letters[0].document.meta if letters else Meta()
    meta = Meta(title=title or "", author=first_meta.author, subject=first_meta.subject, kind="letter", date=first_meta.date)
    return Document(blocks=blocks, meta=meta)
