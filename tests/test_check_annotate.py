"""--annotate: a copy of each .docx with a Word comment on the paragraph of every finding."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
from click.testing import CliRunner
from docx.oxml.ns import qn

from checkhelp import FLAWED_SPEECH, PRIORITIES, text_to_docx
from drafting.check import CheckConfig, check_files
from drafting.check.annotate import annotate_docx
from drafting.cli.check import check
from drafting.readers import read_draft
from drafting.readers.docx import iter_source_items


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _commented_paragraphs(path: Path) -> dict[int, list[str]]:
    """Paragraph number → texts of the comments anchored in it."""
    document = docx.Document(str(path))
    texts = {c.comment_id: c.text for c in document.comments}
    anchored: dict[int, list[str]] = {}
    for number, item in iter_source_items(document):
        element = item._element
        for start in element.iter(qn("w:commentRangeStart")):
            anchored.setdefault(number, []).append(texts[int(start.get(qn("w:id")))])
    return anchored


def test_every_finding_becomes_a_comment_on_its_paragraph(tmp_path: Path) -> None:
    source = text_to_docx(FLAWED_SPEECH.read_text(encoding="utf-8"), tmp_path / "初稿.docx", blank_lines=True)
    before = _digest(source)
    outdir = tmp_path / "批注"
    result = CliRunner().invoke(check, [str(source), "--priorities", str(PRIORITIES), "--annotate", str(outdir)])
    assert result.exit_code == 1
    copy = outdir / "初稿-批注.docx"
    assert copy.is_file() and "已写出批注稿" in result.stderr
    assert _digest(source) == before

    findings = check_files([source], CheckConfig()).files[0].findings
    anchored = _commented_paragraphs(copy)
    for finding in findings:
        assert any(finding.message in text for text in anchored[finding.paragraph])
    assert anchored[5] == ["[错误] declared-count：文中说“我讲四点意见”，但其后实际是三个一级标题"]
    # whole-document findings (missing priorities) sit on the first paragraph
    assert sum("coverage" in text for text in anchored[1]) == 5
    total = sum(len(texts) for texts in anchored.values())
    assert total == len(findings) + 5


def test_annotated_copy_reads_back_to_the_same_document(tmp_path: Path) -> None:
    source = text_to_docx(FLAWED_SPEECH.read_text(encoding="utf-8"), tmp_path / "draft.docx")
    findings = check_files([source]).files[0].findings
    target = tmp_path / "out" / "draft-批注.docx"
    assert annotate_docx(source, findings, target) == len(findings)
    assert read_draft(target).blocks == read_draft(source).blocks


def test_annotating_into_the_source_folder_keeps_the_original(tmp_path: Path) -> None:
    source = text_to_docx(FLAWED_SPEECH.read_text(encoding="utf-8"), tmp_path / "draft.docx")
    before = _digest(source)
    result = CliRunner().invoke(check, [str(source), "--annotate", str(tmp_path)])
    assert result.exit_code == 1
    assert _digest(source) == before and (tmp_path / "draft-批注.docx").is_file()


def test_text_inputs_are_skipped_with_a_note(tmp_path: Path) -> None:
    outdir = tmp_path / "批注"
    result = CliRunner().invoke(check, [str(FLAWED_SPEECH), "--annotate", str(outdir)])
    assert "批注只适用于 .docx 文件" in result.stderr
    assert not outdir.exists() or not any(outdir.iterdir())


def test_table_findings_anchor_in_the_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("同志们：")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "XX项目"
    table.cell(0, 1).text = "发改局"
    source = tmp_path / "table.docx"
    document.save(str(source))
    findings = check_files([source], CheckConfig(select=frozenset({"placeholder"}))).files[0].findings
    assert [f.paragraph for f in findings] == [2]
    target = tmp_path / "table-批注.docx"
    annotate_docx(source, findings, target)
    copy = docx.Document(str(target))
    starts = list(copy.tables[0].cell(0, 0)._tc.iter(qn("w:commentRangeStart")))
    assert len(starts) == 1
