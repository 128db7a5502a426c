"""Helpers for the checker tests: write drafts to disk, build .docx files by hand, run one rule."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafting.check import CheckConfig, check_files
from drafting.check.model import Finding

FIXTURES = Path(__file__).parent / "fixtures" / "check"
CORRECT_SPEECH = FIXTURES / "correct_speech.txt"
FLAWED_SPEECH = FIXTURES / "flawed_speech.txt"
PRIORITIES = FIXTURES / "priorities.yaml"


def write_text(tmp_path: Path, text: str, name: str = "draft.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def text_to_docx(text: str, path: Path, heading_styles: bool = False, blank_lines: bool = False) -> Path:
    """A hand-typed .docx: one paragraph per line; the first line centred as the title.

    ``heading_styles`` puts numbered headings in Word's Heading 1-4 styles;
    ``blank_lines`` adds an empty paragraph after every line (as typists do).
    """
    from drafting.readers.headings import parse_heading_number

    document = docx.Document()
    for index, line in enumerate(text.strip().splitlines()):
        parsed = parse_heading_number(line)
        style = f"Heading {parsed[0].level}" if heading_styles and parsed else None
        paragraph = document.add_paragraph(line, style=style)
        if index <= 1:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if blank_lines:
            document.add_paragraph("")
    document.save(str(path))
    return path


def run_rule(path: Path, rule: str, **config: object) -> list[Finding]:
    report = check_files([path], CheckConfig(select=frozenset({rule}), **config))  # type: ignore[arg-type]
    return report.files[0].findings


def check_text(tmp_path: Path, text: str, rule: str, **config: object) -> list[Finding]:
    return run_rule(write_text(tmp_path, text), rule, **config)
