"""Shared helpers for the Word-template tests: edit a template as Word would, run the CLI, expect a refusal."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner, Result

from drafting.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def edit_template(path: Path, old: str, new: str) -> None:
    """Replace text in the first paragraph or table-cell run holding ``old`` (Word's own editing, one run)."""
    document = docx.Document(str(path))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    run_ = next(r for r in runs if old in r.text)
    run_.text = run_.text.replace(old, new)
    document.save(str(path))


def assert_refused(meeting: Path, *fragments: str) -> None:
    """`drafting build` exits 2 with every fragment in its message, no traceback and nothing written."""
    result = run("build", str(meeting))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert not (meeting / "输出").exists()  # nothing written, not even the speech
