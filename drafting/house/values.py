"""The text of every field a house file may hold, for one document.

Document fields (:data:`fields.DOCUMENT_FIELDS`) come from the built
``Document``: a field the document has no value for (a speech has no
发文字号) is empty. Every scalar of meeting.yaml is a field under its path
as written in the file: ``{{purpose}}``, ``{{meeting.name}}``,
``{{meeting.speaker.name}}``, ``{{notice.cc}}``; a list of texts is joined
with 、. Dates read 2026年3月6日.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from drafting.document import Document, Salutation, Signature
from drafting.meeting import Meeting, MeetingHeader
from drafting.templating.filters import cn_date

MAX_DEPTH = 6


def document_values(document: Document) -> dict[str, str]:
    header, imprint = document.red_header, document.imprint
    signature = next((b for b in reversed(document.blocks) if isinstance(b, Signature)), None)
    salutation = next((b for b in document.blocks if isinstance(b, Salutation)), None)
    if document.meta.kind == "speech":
        salutation = None  # 同志们： is how a speech begins, not a 主送机关
    title = document.title
    date = signature.date if signature is not None else ""
    organ = "、".join(header.organs()) if header is not None else ""
    issuer = (imprint.issuer if imprint is not None and imprint.issuer else "") or (header.organ if header else "")
    if not issuer and signature is not None and signature.lines:
        issuer = signature.lines[0]
    return {
        "标题": title.text if title is not None else document.meta.title,
        "发文字号": header.number if header is not None else "",
        "成文日期": date,
        "印发日期": (imprint.date if imprint is not None and imprint.date else "") or date,
        "签发人": "、".join(header.signers) if header is not None else "",
        "主送": salutation.text.rstrip("：:") if salutation is not None else "",
        "抄送": imprint.cc if imprint is not None else "",
        "发文机关": organ or issuer,
        "印发机关": issuer,
        "份号": header.copy_number if header is not None else "",
        "密级": header.secrecy if header is not None else "",
        "紧急程度": header.urgency if header is not None else "",
    }


def _text(value: Any) -> str | None:
    """A scalar as the documents write it; None for what is no single value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return cn_date(value)
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _flatten(prefix: str, value: Any, out: dict[str, str], depth: int = 0) -> None:
    if isinstance(value, BaseModel):
        value = {name: getattr(value, name) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        if depth < MAX_DEPTH:
            for key, item in value.items():
                _flatten(f"{prefix}.{key}" if prefix else str(key), item, out, depth + 1)
        return
    if isinstance(value, (list, tuple)):
        texts = [_text(item) for item in value]
        if prefix and all(text is not None for text in texts):
            out[prefix] = "、".join(t for t in texts if t)
        return
    text = _text(value)
    if prefix and text is not None:
        out[prefix] = text


def meeting_values(meeting: Meeting) -> dict[str, str]:
    """Every scalar of meeting.yaml by its path in the file (``meeting.name``, ``purpose``, ``notice.cc``…)."""
    header_names = set(MeetingHeader.model_fields)
    out: dict[str, str] = {}
    _flatten("meeting", {name: getattr(meeting, name) for name in MeetingHeader.model_fields}, out)
    for name in type(meeting).model_fields:
        if name not in header_names:
            _flatten(name, getattr(meeting, name), out)
    return out


def field_values(document: Document, meeting: Meeting | None) -> dict[str, str]:
    """Every field's text for ``document``: meeting.yaml's scalars, then the document's own fields over them."""
    values = meeting_values(meeting) if meeting is not None else {}
    own = document_values(document)
    if meeting is not None:  # a speech or letter names no organ of its own: the meeting's organizer issues it
        for name in ("发文机关", "印发机关"):
            own[name] = own[name] or meeting.organizer
    values.update(own)
    return values
