"""The 会议通知 that calls the meeting and the 会议纪要 skeleton: contexts, rendering, parsing.

``build_call`` renders ``call.gw.j2``, ``build_minutes`` renders
``minutes.gw.j2`` (纪要标志 as the red header, GB/T 9704 §10.3). Wording lives
in the templates and in ``corpus/phrases/meeting_docs.yaml``.

Call context: ``meeting``, ``title`` (call.title or ""), ``recipients``,
``when`` (会议日期 and time of day as text), ``venue`` ("" when unknown),
``attendees`` (call.attendees, else meeting.audience), ``purpose``,
``requirements`` (call.requirements, else the phrase bank's), ``contact``
(``{"name", "phone"}`` or None), ``signature``, ``issued`` (成文日期),
``phrases``.

Minutes context: ``meeting``, ``date``, ``host`` (``{"name", "title"}``),
``venue``, ``purpose``, ``earlier``, ``points`` (the speech's section titles),
``decisions``, ``attendees`` (出席), ``observers`` (列席), ``on_leave`` (请假),
``phrases``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from drafting import resources
from drafting.document import Document, RedHeader
from drafting.documents.speech import _clause, _clean, _line, load_phrases
from drafting.folder import MeetingFolder
from drafting.markup import parse_markup
from drafting.templating.environment import render_template
from drafting.templating.filters import cn_date

CALL_TEMPLATE = "call.gw.j2"
MINUTES_TEMPLATE = "minutes.gw.j2"
PHRASES = "meeting_docs.yaml"
CALL_LEAD_DAYS = 3  # default 成文日期 of the call: this many days before the meeting


def _phrases() -> dict[str, Any]:
    return load_phrases(resources.corpus_dir() / "phrases" / PHRASES)


def call_context(folder: MeetingFolder) -> dict[str, Any]:
    meeting = folder.meeting
    config = meeting.call
    phrases = _phrases()
    time = _clean(config.time or meeting.time)
    attendees = config.attendees or meeting.audience
    requirements = config.requirements or phrases["call"]["requirements"]
    return {
        "meeting": meeting,
        "title": _clean(config.title),
        "recipients": _clean(config.recipients),
        "when": cn_date(meeting.date) + time,
        "venue": _clean(meeting.venue),
        "attendees": [_clause(a) for a in attendees],
        "purpose": _clause(meeting.purpose),
        "requirements": [_clause(r) for r in requirements],
        "contact": {"name": _clean(config.contact.name), "phone": _clean(config.contact.phone)} if config.contact else None,
        "signature": _clean(config.signature or meeting.organizer),
        "issued": config.date or meeting.date - timedelta(days=CALL_LEAD_DAYS),
        "phrases": phrases,
    }


def build_call(folder: MeetingFolder, env: SandboxedEnvironment) -> Document:
    """The 会议通知 that calls the meeting."""
    context = call_context(folder)
    document = parse_markup(render_template(env, CALL_TEMPLATE, context), source=CALL_TEMPLATE)
    document.meta.author = context["signature"]
    document.meta.subject = folder.meeting.name
    document.meta.kind = "call"
    document.meta.date = context["issued"]
    return document


def minutes_context(folder: MeetingFolder) -> dict[str, Any]:
    meeting = folder.meeting
    config = meeting.minutes
    host = config.host
    return {
        "meeting": meeting,
        "date": meeting.date,
        "host": {"name": _clean(host), "title": ""} if host else {"name": _clean(meeting.speaker.name), "title": _clean(meeting.speaker.title)},
        "venue": _clean(meeting.venue),
        "purpose": _clause(meeting.purpose),
        "earlier": [_clause(e) for e in meeting.earlier],
        "points": [_clause(s.title) for s in meeting.speech.sections],
        "decisions": [_line(d) for d in config.decisions],
        "attendees": [_clause(a) for a in (config.attendees or meeting.audience)],
        "observers": [_clause(a) for a in config.observers],
        "on_leave": [_clause(a) for a in config.on_leave],
        "phrases": _phrases(),
    }


def build_minutes(folder: MeetingFolder, env: SandboxedEnvironment) -> Document:
    """The 会议纪要 skeleton: 纪要标志 (red), title, what the meeting heard, stressed and decided, 出席."""
    meeting = folder.meeting
    context = minutes_context(folder)
    document = parse_markup(render_template(env, MINUTES_TEMPLATE, context), source=MINUTES_TEMPLATE)
    organ = _clean(meeting.minutes.organ) or f"{_clean(meeting.organizer)}{context['phrases']['minutes']['mark']}"
    document.red_header = RedHeader(organ=organ, number=meeting.minutes.number)
    document.meta.author = _clean(meeting.organizer)
    document.meta.subject = meeting.name
    document.meta.kind = "minutes"
    document.meta.date = meeting.date
    return document
