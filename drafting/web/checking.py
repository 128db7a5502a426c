"""Check an uploaded draft with the library's checker; group findings for the page; keep the annotated copy."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting.check import CheckConfig, FileReport, Report, check_draft
from drafting.check.annotate import annotate_docx, annotated_names
from drafting.check.model import SEVERITY_NAMES
from drafting.check.report import format_json
from drafting.check.rules import RULES
from drafting.check.units import draft_units
from drafting.priorities import Priority
from drafting.readers import load_draft

_QUOTED = re.compile(r"“([^”]{1,40})”")
CONTEXT_CHARS = 60


@dataclass
class CheckResult:
    name: str  # the draft's (safe) file name, as the report shows it
    report: FileReport
    paragraphs: dict[int, str]
    annotated: Path | None  # the copy with Word comments (.docx drafts only)

    def json_text(self) -> str:
        """Exactly what ``drafting check NAME --format json`` prints for this file."""
        return format_json(Report(files=[self.report]))

    def groups(self) -> list[dict[str, Any]]:
        """Findings grouped by rule, each with its paragraph split into plain and highlighted pieces."""
        grouped: dict[str, dict[str, Any]] = {}
        for finding in self.report.findings:
            rule = RULES.get(finding.rule)
            group = grouped.setdefault(
                finding.rule,
                {"rule": finding.rule, "title": getattr(rule, "title", "") or finding.rule, "items": []},
            )
            text = self.paragraphs.get(finding.paragraph or 0, finding.text)
            group["items"].append(
                {
                    "severity": finding.severity,
                    "severity_name": SEVERITY_NAMES[finding.severity],
                    "message": finding.message,
                    "paragraph": finding.paragraph,
                    "heading": finding.heading,
                    "pieces": highlight(text, finding.message, finding.text),
                }
            )
        return list(grouped.values())


def highlight(paragraph: str, message: str, snippet: str) -> list[tuple[str, bool]]:
    """The paragraph around the offending words, as (text, highlighted) pieces.

    The offending words are the first quoted phrase of the message found in the
    paragraph; failing that, the finding's snippet.
    """
    target = next((m for m in _QUOTED.findall(message) if m and m in paragraph), None)
    if target is None:
        target = snippet.rstrip("…") if snippet and snippet.rstrip("…") in paragraph else None
    if not target:
        return [(_clip(paragraph), False)]
    start = paragraph.index(target)
    end = start + len(target)
    before = paragraph[max(0, start - CONTEXT_CHARS) : start]
    after = paragraph[end : end + CONTEXT_CHARS]
    return [
        (("…" if start > CONTEXT_CHARS else "") + before, False),
        (target, True),
        (after + ("…" if end + CONTEXT_CHARS < len(paragraph) else ""), False),
    ]


def _clip(text: str) -> str:
    return text if len(text) <= 2 * CONTEXT_CHARS else text[: 2 * CONTEXT_CHARS] + "…"


def check_upload(draft_path: Path, priorities: list[Priority] | None, annotate_dir: Path | None) -> CheckResult:
    """Check one draft saved under its safe name; the report names it as the CLI would when run beside it."""
    draft = load_draft(draft_path)
    report = check_draft(draft, CheckConfig(priorities=priorities))
    report = dataclasses.replace(report, path=Path(draft_path.name))
    paragraphs: dict[int, str] = {}
    for unit in draft_units(draft):
        if unit.paragraph is not None:
            paragraphs[unit.paragraph] = (paragraphs[unit.paragraph] + unit.text) if unit.paragraph in paragraphs else unit.text
    annotated = None
    if annotate_dir is not None and draft_path.suffix.lower() == ".docx":
        annotate_dir.mkdir(parents=True, exist_ok=True)
        annotated = annotate_dir / next(annotated_names(draft_path))
        annotate_docx(draft_path, report.findings, annotated)
    return CheckResult(name=draft_path.name, report=report, paragraphs=paragraphs, annotated=annotated)
