"""--annotate: a copy of each .docx with a Word comment on the paragraph of every finding."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import docx
import pytest
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


def _flawed(path: Path, extra: str = "") -> Path:
    return text_to_docx(FLAWED_SPEECH.read_text(encoding="utf-8") + extra, path)


def test_an_input_named_like_an_annotated_copy_is_never_overwritten(tmp_path: Path) -> None:
    draft = _flawed(tmp_path / "稿.docx")
    earlier = _flawed(tmp_path / "稿-批注.docx", "\n另有一段用户自己修改过的文字。")
    before = {p: _digest(p) for p in (draft, earlier)}
    result = CliRunner().invoke(check, [str(draft), str(earlier), "--annotate", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert {p: _digest(p) for p in before} == before
    assert (tmp_path / "稿-批注_2.docx").is_file() and (tmp_path / "稿-批注-批注.docx").is_file()
    assert "稿-批注_2.docx" in result.stderr
    # each copy carries its own source's text
    copy_of_earlier = "\n".join(p.text for p in docx.Document(str(tmp_path / "稿-批注-批注.docx")).paragraphs)
    assert "用户自己修改过" in copy_of_earlier
    assert "用户自己修改过" not in "\n".join(p.text for p in docx.Document(str(tmp_path / "稿-批注_2.docx")).paragraphs)


def test_same_names_from_different_folders_get_distinct_copies(tmp_path: Path) -> None:
    (tmp_path / "甲").mkdir()
    (tmp_path / "乙").mkdir()
    first = _flawed(tmp_path / "甲" / "讲话稿.docx", "\n甲科室的版本。")
    second = _flawed(tmp_path / "乙" / "讲话稿.docx", "\n乙科室的版本。")
    outdir = tmp_path / "批注"
    result = CliRunner().invoke(check, [str(first), str(second), "--annotate", str(outdir)])
    assert result.exit_code == 1
    texts = {
        p.name: "\n".join(par.text for par in docx.Document(str(p)).paragraphs) for p in sorted(outdir.iterdir())
    }
    assert set(texts) == {"讲话稿-批注.docx", "讲话稿-批注_2.docx"}
    assert "甲科室" in texts["讲话稿-批注.docx"] and "乙科室" in texts["讲话稿-批注_2.docx"]


def test_running_again_keeps_the_earlier_annotated_copy(tmp_path: Path) -> None:
    source = _flawed(tmp_path / "初稿.docx")
    outdir = tmp_path / "批注"
    assert CliRunner().invoke(check, [str(source), "--annotate", str(outdir)]).exit_code == 1
    first = outdir / "初稿-批注.docx"
    first.write_bytes(first.read_bytes() + b"\0")  # the user may have replied to comments in Word
    before = _digest(first)
    assert CliRunner().invoke(check, [str(source), "--annotate", str(outdir)]).exit_code == 1
    assert _digest(first) == before and (outdir / "初稿-批注_2.docx").is_file()


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_at_the_target_is_never_written_through(tmp_path: Path, link: str) -> None:
    source = _flawed(tmp_path / "稿.docx")
    victim = tmp_path / "别人的文件.docx"
    victim.write_bytes(b"precious")
    outdir = tmp_path / "批注"
    outdir.mkdir()
    target = outdir / "稿-批注.docx"
    target.symlink_to(victim) if link == "symlink" else os.link(victim, target)
    result = CliRunner().invoke(check, [str(source), "--annotate", str(outdir)])
    assert result.exit_code == 1
    assert victim.read_bytes() == b"precious"
    assert (outdir / "稿-批注_2.docx").is_file()


def test_a_full_disk_leaves_no_partial_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docx.document

    source = _flawed(tmp_path / "稿.docx")
    real_save = docx.document.Document.save

    def full_disk(self, path):  # type: ignore[no-untyped-def]
        real_save(self, path)
        with open(path, "r+b") as f:  # half written, then the disk is full
            f.truncate(100)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", full_disk)
    outdir = tmp_path / "批注"
    result = CliRunner().invoke(check, [str(source), "--annotate", str(outdir)])
    assert result.exit_code == 1
    assert "磁盘空间不足" in result.stderr and "稿-批注.docx" in result.stderr
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert list(outdir.iterdir()) == []


def test_annotate_pointing_at_a_file_is_refused_in_chinese(tmp_path: Path) -> None:
    source = _flawed(tmp_path / "稿.docx")
    not_a_folder = tmp_path / "批注.docx"
    not_a_folder.write_bytes(b"mine")
    result = CliRunner().invoke(check, [str(source), "--annotate", str(not_a_folder)])
    assert result.exit_code == 2
    assert "--annotate 应指定一个文件夹" in result.stderr and "批注.docx" in result.stderr
    assert "is a file" not in result.output and "Directory" not in result.output
    assert not_a_folder.read_bytes() == b"mine"


def test_a_long_draft_name_gets_a_copy_name_the_file_system_accepts(tmp_path: Path) -> None:
    stem = ("关于进一步做好重点项目建设工作的讲话" * 5)[:83]  # 249 bytes: the longest .docx name Linux allows
    assert len(f"{stem}-批注.docx".encode("utf-8")) > 255
    source = _flawed(tmp_path / f"{stem}.docx")
    outdir = tmp_path / "批注"
    result = CliRunner().invoke(check, [str(source), "--annotate", str(outdir)])
    assert result.exit_code == 1, result.output
    (copy,) = outdir.iterdir()
    assert len(copy.name.encode("utf-8")) <= 255 and copy.name.endswith(".docx") and copy.name.startswith(stem[:30])
