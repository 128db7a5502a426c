"""A rebuild without --pdf: the PDF beside a replaced .docx is out of date; removed when unchanged, else reported."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from drafting.cli import cli
from rendering import require_tool


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_real_pdfs_unchanged_are_removed_a_changed_one_is_kept_and_reported(tmp_path: Path) -> None:
    require_tool("soffice")
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    assert run("build", str(folder), "--only", "speech,notice", "--pdf").exit_code == 0
    out = folder / "输出"
    speech_pdf, notice_pdf = out / "讲话稿.pdf", out / "进度通报.pdf"
    assert {e["pdf"] for e in _manifest(out)} == {"讲话稿.pdf", "进度通报.pdf"}
    with notice_pdf.open("ab") as handle:  # the user annotated the notice's PDF
        handle.write(b"% mine")
    annotated = notice_pdf.read_bytes()

    result = run("build", str(folder), "--only", "speech,notice", "--force")
    assert result.exit_code == 0, result.output
    assert not speech_pdf.exists()  # out of date and still as drafting wrote it: gone
    assert notice_pdf.read_bytes() == annotated  # the user's bytes are never deleted
    removed, kept = result.output.split("请勿打印")
    assert "已删除与重新生成的 Word 文件不再一致的 1 个旧 PDF" in removed and "讲话稿.pdf" in removed
    assert "进度通报.pdf" not in removed and "进度通报.pdf" in kept
    assert all("pdf" not in entry for entry in _manifest(out))
    assert (out / "讲话稿.docx").is_file() and (out / "进度通报.docx").is_file()


def _fake_pdf_build(folder: Path, *, with_hash: bool) -> Path:
    """Build the speech, then record a PDF beside it in the manifest as ``build --pdf`` (or an older drafting) did."""
    assert run("build", str(folder), "--only", "speech").exit_code == 0
    out = folder / "输出"
    pdf = out / "讲话稿.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% the old speech\n%%EOF\n")
    entries = _manifest(out)
    entries[0]["pdf"] = "讲话稿.pdf"
    if with_hash:
        entries[0]["pdf_sha256"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    (out / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return pdf


def test_old_manifest_without_pdf_hash_keeps_the_pdf_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    pdf = _fake_pdf_build(folder, with_hash=False)
    result = run("build", str(folder), "--only", "speech", "--force")
    assert result.exit_code == 0, result.output
    assert pdf.exists()
    assert "以下 1 个 PDF 是旧稿" in result.output and "讲话稿.pdf" in result.output and "已删除" not in result.output


def test_a_pdf_no_manifest_lists_is_reported_not_deleted(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    assert run("build", str(folder), "--only", "speech").exit_code == 0
    pdf = folder / "输出" / "讲话稿.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%%EOF\n")  # e.g. from drafting pdf or Word's own export
    result = run("build", str(folder), "--only", "speech", "--force")
    assert result.exit_code == 0 and pdf.exists() and "请勿打印" in result.output


def test_stale_pdf_is_not_removed_when_the_build_fails(tmp_path: Path) -> None:
    """All or nothing: a build that stops writes nothing and deletes nothing."""
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    pdf = _fake_pdf_build(folder, with_hash=True)
    templates = folder / "templates"
    templates.mkdir()
    (templates / "speech.gw.j2").write_text("{{ 没有这个字段 }}\n", encoding="utf-8")
    result = run("build", str(folder), "--only", "speech", "--force")
    assert result.exit_code == 2
    assert pdf.exists()


def test_unchanged_pdf_is_removed_only_with_force(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    pdf = _fake_pdf_build(folder, with_hash=True)
    (folder / "输出" / "讲话稿.docx").unlink()  # nothing to refuse: a build without --force runs
    plain = run("build", str(folder), "--only", "speech")
    assert plain.exit_code == 0 and pdf.exists() and "请勿打印" in plain.output  # never deleted without --force

    pdf.unlink()
    entries = _manifest(folder / "输出")
    pdf.write_bytes(b"%PDF-1.7\n% again\n%%EOF\n")
    entries[0].update(pdf="讲话稿.pdf", pdf_sha256=hashlib.sha256(pdf.read_bytes()).hexdigest())
    (folder / "输出" / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    forced = run("build", str(folder), "--only", "speech", "--force")
    assert forced.exit_code == 0 and not pdf.exists()
    assert "1 个旧 PDF" in forced.output and "请勿打印" not in forced.output
