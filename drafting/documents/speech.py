"""The speech (讲话稿): template context from a meeting folder, rendered and parsed.

``build_speech`` renders ``speech.gw.j2`` with the context below and parses the
resulting 公文标记 into a ``Document``. All wording lives in the templates and in
the phrase bank ``corpus/phrases/speech.yaml``; this module only shapes data.

Template context (also documented in the header of ``templates/speech.gw.j2``):

``meeting``
    the validated ``Meeting`` (name, date, organizer, venue, speaker.name,
    speaker.title, audience, purpose, …).
``title``
    the speech title, ``meeting.speech_title``, on one line.
``title_lines``
    the title as the secretary broke it in meeting.yaml (one item when unbroken).
``as_of``
    the ``date`` the ledger figures are computed for.
``figures``
    ``LedgerFigures`` from ``drafting.figures.compute_figures``.
``levels``
    list of ``{"name", "count", "total_investment", "annual_plan"}`` in the
    order 省重点, 市重点, 区重点; levels without projects are left out.
``categories``
    list of ``{"name", "count", "total_investment"}``, most projects first
    (ties: larger investment first); projects without a category are left out.
``units``
    list of ``{"name", "count"}``, most projects first (ties by name).
``unit_groups``
    the same units grouped by how many projects they lead: list of
    ``{"count", "names"}``, most projects first, so a tie is always named whole.
``mechanisms``
    the working mechanisms from meeting.yaml's ``mechanisms:`` (shared with the
    letters and the notice): ``dispatch``, ``briefing``, ``assessment``,
    ``site_visit`` (周/半月/月/季/半年/年 or None), ``report_to``,
    ``report_deadline``, ``support_units``.
``purpose``
    the meeting purpose without final punctuation.
``earlier``
    list of the agenda items held before the speech, without final punctuation.
``policy``
    list of ``{"source", "content"}`` (content without final punctuation).
``speech``
    ``{"opening": [str], "sections": [section], "closing": [str], "verbatim",
    "byline", "salutation"}``; closing falls back to the phrase bank when the
    meeting gives none (unless ``verbatim``: then the opening is only the
    meeting's paragraphs and no closing is added). ``byline`` is the line under
    the title (""  for none), ``salutation`` the 称谓 ("" for none). A section is
    ``{"title", "role", "points", "subsections"}``, a subsection
    ``{"title", "run_in", "points"}``. A point is one of
    ``{"kind": "text", "text", "raw"}``,
    ``{"kind": "items", "items", "lead", "lead_raw", "inline", "style"}``,
    ``{"kind": "data", "name"}`` (rendered by ``speech/data/<name>.gw.j2``),
    ``{"kind": "heading", "level", "title", "text"}`` (a 1./（1） heading,
    ``text`` run on after it or ""), ``{"kind": "table", "rows"}``.
    ``text`` and ``lead`` start a markup line and are escaped (a leading ``\\``
    before ``::``, ``#``, ``-``, ``+``, ``|``); ``raw`` and ``lead_raw`` are the
    same text unescaped, for use after a heading's ``|``.
``phrases``
    the phrase bank mapping (``corpus/phrases/speech.yaml``, then the kind's
    ``speech_<kind>.yaml`` and the folder's ``phrases.yaml`` merged over it),
    every ``{choose: [...]}`` variant already resolved (drafting.phrasebank).
``honors``
    the 表彰名单 of a 总结表彰会: list of ``{"title", "names", "count", "measure"}``
    (measure 名 for groups of persons — titles with 个人 —, else 个).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from collections.abc import Sequence
from typing import TYPE_CHECKING

from drafting import phrasebank, resources
from drafting.kinds import kind_info
from drafting.document import Document
from drafting.documents.mechanisms import mechanisms_context
from drafting.documents.period import check_as_of
from drafting.errors import DraftingError, InputError, Location
from drafting.figures import compute_figures
from drafting.templating.filters import cn_date, one_line
from drafting.folder import MeetingFolder
from drafting.markup import parse_markup
from drafting.meeting import DataPoint, HeadingPoint, ItemsPoint, TablePoint, TextPoint
from drafting.templating.environment import render_template
from drafting.yamlsource import load_yaml

if TYPE_CHECKING:
    from drafting.compare import Sentence

TEMPLATE_NAME = "speech.gw.j2"
PHRASES_FILE = Path("phrases") / "speech.yaml"

_FINAL_PUNCTUATION = "。；;，,！!？?：: "
_MARKUP_LINE_STARTS = ("::", "#", "-", "+", "|")
_ITEM_SOFT_ENDS = "，,、：: "


def build_speech(
    folder: MeetingFolder, as_of: date, env: SandboxedEnvironment, avoid: Sequence[Sentence] = ()
) -> Document:
    """Render the meeting's speech (讲话稿) as a ``Document``, figures taken as of ``as_of``.

    The template is the one of the meeting's kind (drafting.kinds); phrase-bank
    variants repeating ``avoid`` (sentences of a previous draft) are passed over.
    """
    check_as_of(folder, as_of)
    context = speech_context(folder, as_of, avoid=avoid)
    template = kind_info(folder.meeting.kind).speech_template
    text = render_template(env, template, context)
    document = parse_markup(text, source=template)
    document.meta.title = context["title"]
    document.meta.author = folder.meeting.speaker.name
    document.meta.subject = folder.meeting.name
    document.meta.kind = "speech"
    document.meta.date = folder.meeting.date
    return document


def speech_context(
    folder: MeetingFolder, as_of: date, phrases: Mapping[str, Any] | None = None, avoid: Sequence[Sentence] = ()
) -> dict[str, Any]:
    """The template context for ``speech.gw.j2`` (keys documented in the module docstring)."""
    meeting = folder.meeting
    figures = compute_figures(folder.ledger.projects, as_of)
    if phrases is not None:
        bank = dict(phrases)
    else:
        bank = load_phrases()
        kind_phrases = resources.corpus_dir() / "phrases" / kind_info(meeting.kind).phrases_file
        if kind_phrases.is_file():
            bank = merge_phrases(bank, load_phrases(kind_phrases))
        if folder.phrases_file is not None:
            bank = merge_phrases(bank, load_phrases(folder.phrases_file))
    bank = phrasebank.resolve(bank, seed=f"{meeting.name}|{meeting.date.isoformat()}", avoid=avoid)
    if folder.meeting.scope:
        bank["scope"] = folder.meeting.scope  # the meeting's own 全县/全市 wins over the phrase bank
    speech = meeting.speech
    closing = [_line(p) for p in speech.closing]
    if not closing and not speech.verbatim:
        closing = [_line(p) for p in bank.get("closing", {}).get("default", [])]
    return {
        "meeting": meeting,
        "title": _clean(meeting.speech_title),
        "title_lines": [line.strip() for line in meeting.speech_title.splitlines() if line.strip()],
        "as_of": as_of,
        "figures": figures,
        "levels": _levels(figures),
        "categories": _categories(figures),
        "units": [{"name": unit, "count": count} for unit, count in figures.units_by_project_count],
        "unit_groups": _unit_groups(figures.units_by_project_count),
        "mechanisms": mechanisms_context(meeting),
        "purpose": _clause(meeting.purpose),
        "earlier": [_clause(item) for item in meeting.earlier],
        "policy": [{"source": _clean(p.source), "content": _clause(p.content)} for p in meeting.policy],
        "speech": {
            "opening": [_line(p) for p in speech.opening],
            "sections": [_section(s) for s in speech.sections],
            "closing": closing,
            "verbatim": speech.verbatim,
            "byline": _byline(meeting),
            "salutation": _clean(bank.get("salutation", "")) if speech.salutation is None else _clean(speech.salutation),
        },
        "phrases": bank,
        "honors": [_honor_group(group) for group in meeting.honors],
    }


def _honor_group(group: Any) -> dict[str, Any]:
    title = _clean(group.title)
    return {"title": title, "names": [_clean(n) for n in group.names], "count": len(group.names), "measure": "名" if "个人" in title else "个"}


def load_phrases(path: Path | None = None) -> dict[str, Any]:
    """Load the speech phrase bank (default: the built-in ``corpus/phrases/speech.yaml``)."""
    path = path or resources.corpus_dir() / PHRASES_FILE
    if not path.exists():
        raise DraftingError(f"找不到讲话稿常用语文件：{path}")
    data = load_yaml(path).data  # bounded: size, nesting and aliases (drafting.yamlsource)
    if not isinstance(data, dict):
        raise InputError("常用语文件的顶层应为键值对", Location(file=path))
    return data


def merge_phrases(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` wins key by key; nested tables are merged, lists and texts replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge_phrases(merged[key], value)
        else:
            merged[key] = value
    return merged


def _section(section: Any) -> dict[str, Any]:
    return {
        "title": _clean(section.title),
        "role": section.role,
        "points": [_point(p) for p in section.body],
        "subsections": [
            {"title": _clean(sub.title), "run_in": sub.run_in, "points": [_point(p) for p in sub.body]}
            for sub in section.subsections
        ],
    }


def _point(point: Any) -> dict[str, Any]:
    if isinstance(point, TextPoint):
        return {"kind": "text", "text": _line(point.text), "raw": _clean(point.text)}
    if isinstance(point, ItemsPoint):
        # A comma or 、 cannot end an item; in one paragraph (inline) the template puts ；/。 itself.
        trailing = _ITEM_SOFT_ENDS + ("；;" if point.inline else "")
        return {
            "kind": "items",
            "items": [_clean(item).rstrip(trailing) for item in point.items],
            "lead": _line(point.lead),
            "lead_raw": _clean(point.lead),
            "inline": point.inline,
            "style": point.style,
        }
    if isinstance(point, DataPoint):
        return {"kind": "data", "name": point.data}
    if isinstance(point, HeadingPoint):
        return {"kind": "heading", "level": point.level, "title": _clean(point.heading), "text": _clean(point.text)}
    if isinstance(point, TablePoint):
        return {"kind": "table", "rows": [[_clean(cell) for cell in row] for row in point.table]}
    raise DraftingError(f"无法识别的讲话要点：{point!r}")


def _byline(meeting: Any) -> str:
    """The line under the title: （讲话人  日期） unless meeting.yaml gives its own (or "" for none)."""
    if meeting.speech.byline is not None:
        return _clean(meeting.speech.byline)
    return f"（{_clean(meeting.speaker.name)}  {cn_date(meeting.date)}）"


def _unit_groups(units: list[tuple[str, int]]) -> list[dict[str, Any]]:
    groups: dict[int, list[str]] = {}
    for unit, count in units:
        groups.setdefault(count, []).append(one_line(unit))
    return [{"count": count, "names": names} for count, names in sorted(groups.items(), reverse=True)]


def _levels(figures: Any) -> list[dict[str, Any]]:
    # figures.by_level is already ordered 省重点, 市重点, 区重点 (then others).
    return [
        {"name": _key(level), "count": v.count, "total_investment": v.total_investment, "annual_plan": v.annual_plan}
        for level, v in figures.by_level.items()
        if v.count
    ]


def _categories(figures: Any) -> list[dict[str, Any]]:
    # figures.by_category is already ranked: most projects, then larger investment.
    return [
        {"name": _key(category), "count": v.count, "total_investment": v.total_investment}
        for category, v in figures.by_category.items()
        if category and v.count
    ]


def _key(value: Any) -> str:
    """Enum members and strings alike as their plain text value."""
    return str(getattr(value, "value", value))


def _clean(text: str | None) -> str:
    """One line of text: line breaks inside a paragraph joined (Chinese runs on, ASCII words keep a space)."""
    return one_line(text)


def _clause(text: str | None) -> str:
    """Text to be embedded in a template sentence: final punctuation removed."""
    return _clean(text).rstrip(_FINAL_PUNCTUATION)


def _line(text: str | None) -> str:
    """Text that starts a markup line: escaped so it is never read as a directive."""
    cleaned = _clean(text)
    if cleaned.startswith(_MARKUP_LINE_STARTS):
        return "\\" + cleaned
    return cleaned

