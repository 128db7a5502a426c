"""The meeting form: main fields of meeting.yaml as inputs, the rest as YAML text, errors placed by field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from drafting.errors import InputError, InputErrors

# (dotted field as the validator names it, label)
MAIN_FIELDS: tuple[tuple[str, str], ...] = (
    ("meeting.name", "会议名称"),
    ("meeting.date", "会议日期"),
    ("meeting.organizer", "主办单位"),
    ("meeting.venue", "会议地点"),
    ("meeting.scope", "范围（全区、全县……）"),
    ("meeting.speaker.name", "讲话人姓名"),
    ("meeting.speaker.title", "讲话人职务"),
    ("meeting.audience", "参会人员（每行一项）"),
)
REST = "rest"
GENERAL = "general"
FILES = "files"  # problems in the ledger or priorities.yaml, shown beside the file list
_TOP_KEY = re.compile(r"^[^\s#\-][^:]*:")


@dataclass
class FormState:
    values: dict[str, str]
    rest: str
    errors: dict[str, list[str]] = field(default_factory=dict)


def split_text(text: str) -> tuple[dict[str, Any], str]:
    """The ``meeting:`` mapping (parsed) and the file's other lines, verbatim (comments kept)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("meeting:")), None)
    if start is None:
        return {}, text
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # comments just above the next key belong to it
    block = "".join(lines[start:end])
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError:
        return {}, text
    meeting = data.get("meeting") if isinstance(data, dict) else None
    return (meeting if isinstance(meeting, dict) else {}), "".join(lines[:start] + lines[end:]).lstrip("\n")


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split(".")[1:]:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def form_from_text(text: str) -> FormState:
    meeting, rest = split_text(text)
    values = {}
    for name, _ in MAIN_FIELDS:
        value = _get(meeting, name)
        if isinstance(value, list):
            values[name] = "\n".join(str(v) for v in value)
        else:
            values[name] = "" if value is None else str(value)
    return FormState(values=values, rest=rest)


def compose(original: str, values: dict[str, str], rest: str) -> str:
    """meeting.yaml text from the form: the meeting block rebuilt (unknown keys kept), then the rest verbatim."""
    meeting, _ = split_text(original)
    meeting = dict(meeting)
    speaker = dict(meeting.get("speaker") or {}) if isinstance(meeting.get("speaker"), dict) else {}
    for name, _ in MAIN_FIELDS:
        raw = values.get(name, "").strip()
        parts = name.split(".")[1:]
        target = speaker if parts[0] == "speaker" else meeting
        key = parts[-1]
        if name == "meeting.audience":
            items = [line.strip() for line in raw.splitlines() if line.strip()]
            value: Any = items or None
        else:
            value = raw or None
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    if speaker:
        meeting["speaker"] = speaker
    else:
        meeting.pop("speaker", None)
    head = yaml.safe_dump({"meeting": meeting}, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return head + "\n" + rest.replace("\r\n", "\n").strip("\n") + "\n"


def place_errors(exc: InputError, shown: Callable[[InputError], str]) -> dict[str, list[str]]:
    """Each message (the CLI's text, through ``shown``) under the form field it names."""
    errors: dict[str, list[str]] = {}
    names = {name for name, _ in MAIN_FIELDS}
    for error in exc.errors if isinstance(exc, InputErrors) else [exc]:
        where = error.location.field or ""
        source = Path(str(error.location.file)).name if error.location.file is not None else "meeting.yaml"
        if source != "meeting.yaml":
            errors.setdefault(FILES, []).append(shown(error))
            continue
        key = next((n for n in names if where == n or where.startswith(n + ".")), None)
        if key is None:
            key = GENERAL if where.startswith("meeting") or not where and error.location.line is None else REST
        errors.setdefault(key, []).append(shown(error))
    return errors


def validate(text: str, stage: Path) -> None:
    """Load ``text`` as meeting.yaml exactly as a build would; InputError when it is invalid."""
    from drafting.meeting import load_meeting

    path = stage / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    load_meeting(path)
