"""The speech from a Word-authored template: ``templates/讲话稿.docx`` gets the built speech as plain data.

A speech is prose from meeting.yaml, so its Word template does not rebuild it:
the speech is built as usual (built-in or meeting ``.gw.j2`` templates, phrase
bank, numbering, ``[[count]]``) and its ``Document`` is handed to the Word
template as paragraphs, heading by heading. The context (docs/word-templates.md):

``meeting``, ``as_of``, ``figures``
    as in the text templates (meeting.yaml, the 数据截止日期, the ledger figures).
``title``, ``title_lines``, ``byline``, ``salutation``
    the speech's title (one line / as broken in meeting.yaml), the line under
    it and the 称谓, "" when there is none.
``speaker``, ``date``
    ``{"name", "title"}`` of the speaker; the meeting date.
``opening``, ``opening_blocks``
    paragraphs before the first heading (ending with 下面，我讲N点意见：); the
    same with any table there, as a section's ``blocks``.
``sections``
    every heading in order, each ``{"level", "number", "title", "heading",
    "run_in", "paragraphs", "tables", "blocks"}``: level 1-4, the number (一、
    （一） 1. （1）), the heading text without it, both together, text run on
    after the heading ("" for none), the paragraphs up to the next heading
    (一是…… items each a paragraph, or one when run together), its tables as
    lists of rows, and both in their order as ``blocks``: ``{"kind":
    "paragraph", "text"}`` or ``{"kind": "table", "rows"}``.
``closing``
    the closing paragraphs (结束语) after the last section's own paragraphs.
``attachments``
    ``{"title", "paragraphs"}`` of the speech's attachments (表彰名单).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from drafting.compare import Sentence
from drafting.document import (
    Attachment,
    Block,
    Byline,
    Document,
    Enumeration,
    Heading,
    Paragraph,
    Salutation,
    Table,
    Title,
)
from drafting.documents.speech import speech_context
from drafting.figures import compute_figures
from drafting.folder import MeetingFolder
from drafting.templating.filters import one_line
from drafting.wordfind import SPEECH_TEMPLATE  # noqa: F401 - part of this module's interface
from drafting.wordtemplate import WordTemplate, read_back, render_word_template



def _texts(block: Block) -> list[str]:
    """The paragraphs a body block prints as (as the docx writer lays them out)."""
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Enumeration):
        if block.inline:
            return [block.lead + "".join(block.item_texts())]
        return ([block.lead] if block.lead else []) + block.item_texts()
    if isinstance(block, Heading):  # inside an attachment
        return [block.full_text]
    return []


def _section(heading: Heading) -> dict[str, Any]:
    return {
        "level": heading.level,
        "number": heading.number,
        "title": heading.text,
        "heading": f"{heading.number}{heading.text}",
        "run_in": heading.run_in or "",
        "paragraphs": [],
        "tables": [],
        "blocks": [],
    }


def speech_parts(document: Document, closing: Sequence[str] = ()) -> dict[str, Any]:
    """The speech ``Document`` as plain data: title, byline, salutation, opening, sections, closing, attachments.

    ``closing`` are the closing paragraphs the speech was given; when the last
    section ends with exactly them they are split off, otherwise they stay
    part of that section (a meeting template that words its closing itself).
    """
    title = next((b for b in document.blocks if isinstance(b, Title)), None)
    parts: dict[str, Any] = {
        "title": title.text if title else "",
        "title_lines": list(title.lines) if title else [],
        "byline": next((b.text for b in document.blocks if isinstance(b, Byline)), ""),
        "salutation": next((b.text for b in document.blocks if isinstance(b, Salutation)), ""),
        "opening": [],
        "opening_blocks": [],
        "sections": [],
        "closing": [],
        "attachments": [],
    }
    opening = {"paragraphs": parts["opening"], "tables": [], "blocks": parts["opening_blocks"]}
    for block in document.blocks:
        if isinstance(block, Heading):
            parts["sections"].append(_section(block))
        elif isinstance(block, Attachment):
            paragraphs = [text for inner in block.blocks for text in _texts(inner)]
            parts["attachments"].append({"title": block.title, "paragraphs": paragraphs})
        else:
            section = parts["sections"][-1] if parts["sections"] else opening
            if isinstance(block, Table):
                rows = [list(row) for row in block.rows]
                section["tables"].append(rows)
                section["blocks"].append({"kind": "table", "rows": rows})
            for text in _texts(block):
                section["paragraphs"].append(text)
                section["blocks"].append({"kind": "paragraph", "text": text})
    closing = [text.removeprefix("\\") for text in closing]  # as the markup prints an escaped line
    if parts["sections"] and closing:
        last = parts["sections"][-1]
        start = len(last["blocks"]) - len(closing)
        if start >= 0 and [block.get("text") for block in last["blocks"][start:]] == closing:
            del last["blocks"][start:]
            del last["paragraphs"][len(last["paragraphs"]) - len(closing) :]
            parts["closing"] = closing
    return parts


def speech_word_context(
    folder: MeetingFolder, as_of: date, speech: Document, avoid: Sequence[Sentence] = ()
) -> dict[str, Any]:
    """The context of ``templates/讲话稿.docx`` (keys in the module docstring)."""
    meeting = folder.meeting
    closing = speech_context(folder, as_of, avoid=avoid)["speech"]["closing"]  # the phrase bank's choice, as built
    return {
        "meeting": meeting,
        "as_of": as_of,
        "date": meeting.date,
        "speaker": {"name": one_line(meeting.speaker.name), "title": one_line(meeting.speaker.title)},
        "figures": compute_figures(folder.ledger.projects, as_of),
        **speech_parts(speech, closing),
    }


def build_word_speech(
    folder: MeetingFolder, as_of: date, template: WordTemplate, speech: Document, avoid: Sequence[Sentence] = ()
) -> tuple[bytes, Document]:
    """The built ``speech`` rendered from the Word template, and read back for review and coverage."""
    data = render_word_template(template, speech_word_context(folder, as_of, speech, avoid))
    document = read_back(data, template)
    document.meta.kind = "speech"
    document.meta.title = speech.meta.title
    document.meta.author = speech.meta.author
    document.meta.subject = speech.meta.subject
    document.meta.date = speech.meta.date
    return data, document
