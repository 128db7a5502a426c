"""PDF output: `drafting build --pdf`, `drafting pdf`, and the font mapping used for the conversion."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import docx
from docx.oxml.ns import qn
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from drafting.cli import cli
from drafting.pdffonts import MAPPING_FILE, conversion_environment, fontconfig_text
from rendering import pdf_pages_text, require_tool

PAGE_NUMBER = re.compile(r"^\s*—\s*(\d+)\s*—\s*$", re.M)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def docx_text(path: Path) -> str:
    """Every w:t of the body once (python-docx repeats merged table cells)."""
    body = docx.Document(str(path)).element.body
    return "".join(t.text or "" for t in body.iter(qn("w:t")))


def chars(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def base_fonts(pdf: Path) -> set[str]:
    out = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {name.split("+", 1)[-1] for name in names}


def test_fontconfig_file_includes_the_system_config_then_our_mapping(tmp_path: Path) -> None:
    env = conversion_environment(tmp_path, {"FONTCONFIG_FILE": "/etc/own.conf", "DRAFTING_FONT_DIRS": str(tmp_path)})
    assert env is not None and env["FONTCONFIG_FILE"] == str(tmp_path / "fonts.conf")
    text = (tmp_path / "fonts.conf").read_text(encoding="utf-8")
    assert text.index("/etc/own.conf") < text.index(f"<dir>{tmp_path}</dir>") < text.index(str(MAPPING_FILE))
    mapping = MAPPING_FILE.read_text(encoding="utf-8")
    for family in ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体"):
        assert f"<string>{family}</string>" in mapping
    assert "&lt;" in fontconfig_text("/a<b", [])  # paths are escaped


def test_mapped_faces_differ_for_body_heading_and_title(tmp_path: Path) -> None:
    fc_match = require_tool("fc-match")
    env = conversion_environment(tmp_path)
    assert env is not None

    def face(family: str) -> str:
        return subprocess.run([fc_match, "-f", "%{family[0]} %{style[0]}", family], env=env, capture_output=True, text=True, check=True).stdout

    body, heading, title = face("仿宋_GB2312"), face("黑体"), face("方正小标宋简体")
    assert len({body, heading, title}) == 3, (body, heading, title)
    assert "Bold" in title


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("soffice")
    folder = tmp_path_factory.mktemp("pdf") / "会议"
    assert run("example", str(folder)).exit_code == 0
    (folder / "templates").mkdir()
    shutil.copyfile(folder / "目标责任书（Word模板示例）.docx", folder / "templates" / "目标责任书.docx")
    shutil.copyfile(folder / "讲话稿（Word模板示例）.docx", folder / "templates" / "讲话稿.docx")
    result = run("build", str(folder), "--pdf")
    assert result.exit_code == 0, result.output
    return folder / "输出"


@pytest.mark.render
def test_build_writes_a_pdf_beside_every_docx_and_lists_it(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest and all(built.joinpath(e["pdf"]) == built.joinpath(e["path"]).with_suffix(".pdf") for e in manifest)
    assert sorted(p.with_suffix(".docx") for p in built.rglob("*.pdf")) == sorted(built.rglob("*.docx"))
    assert not [p for p in built.iterdir() if p.name.startswith(".drafting")]


@pytest.mark.render
def test_pdf_holds_every_character_of_the_document_and_numbered_pages(built: Path) -> None:
    for docx_path in sorted(built.rglob("*.docx")):
        pages = pdf_pages_text(docx_path.with_suffix(".pdf"))
        missing = chars(docx_text(docx_path)) - chars("".join(pages))
        assert not missing, (docx_path.name, missing)
        if docx_path.parent == built:  # our own documents number their pages — 1 — … — N —
            numbers = [int(m) for page in pages for m in PAGE_NUMBER.findall(page)]
            # a last page holding only the 版记 carries no number
            assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= len(pages) - 1, docx_path.name


@pytest.mark.render
def test_pdf_uses_distinct_faces_for_body_headings_and_title(built: Path) -> None:
    fonts = base_fonts(built / "进度通报.pdf")
    song_bold = {f for f in fonts if "Bold" in f and ("Serif" in f or "Song" in f)}
    hei = {f for f in fonts if "Sans" in f or "Hei" in f}
    body = {f for f in fonts if "Fang" in f} or {f for f in fonts if "Serif" in f and "Bold" not in f}
    assert song_bold and hei and body, fonts


@pytest.mark.render
def test_pdf_command_converts_and_never_overwrites_without_force(built: Path, tmp_path: Path) -> None:
    source = tmp_path / "通报.docx"
    shutil.copyfile(built / "进度通报.docx", source)
    result = run("pdf", str(source))
    assert result.exit_code == 0, result.output
    pdf = source.with_suffix(".pdf")
    assert not chars(docx_text(source)) - chars("".join(pdf_pages_text(pdf)))
    pdf.write_bytes(b"mine")
    result = run("pdf", str(source))
    assert result.exit_code == 2 and "--force" in result.output
    assert pdf.read_bytes() == b"mine"
    assert run("pdf", str(source), "--force").exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["旧稿.doc", "旧稿.wps", "没有.docx"])
def test_pdf_command_refuses_other_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if not name.startswith("没有"):
        path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("pdf", str(path))
    assert result.exit_code == 2 and name in result.output and "Traceback" not in result.output
    assert not path.with_suffix(".pdf").exists()


def test_missing_libreoffice_is_a_clear_message_and_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("build", str(folder), "--pdf")
    assert result.exit_code != 0 and "LibreOffice" in result.output and "Traceback" not in result.output
    assert not (folder / "输出").exists()
    source = tmp_path / "a.docx"
    shutil.copyfile(folder / "目标责任书（Word模板示例）.docx", source)
    result = run("pdf", str(source))
    assert result.exit_code != 0 and "LibreOffice" in result.output
    assert not source.with_suffix(".pdf").exists()


def _merge_units(meeting: Path, count: int) -> list[str]:
    """Give every project of the ledger's last ``count`` 牵头单位 to its first one; return the units gone."""
    path = meeting / "projects.xlsx"
    book = load_workbook(path)
    sheet = book.active
    column = next(c.column for c in sheet[1] if c.value == "牵头单位")
    units = list(dict.fromkeys(sheet.cell(row=r, column=column).value for r in range(2, sheet.max_row + 1)))
    gone = units[-count:]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(row=r, column=column).value in gone:
            sheet.cell(row=r, column=column).value = units[0]
    book.save(path)
    return gone


def test_force_removes_the_pdf_of_an_obsolete_letter_and_keeps_one_the_user_changed(tmp_path: Path) -> None:
    require_tool("soffice")
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    assert run("build", str(folder), "--only", "letters", "--pdf").exit_code == 0
    out = folder / "输出"
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in entries:  # each PDF is listed with its own hash
        assert hashlib.sha256(out.joinpath(entry["pdf"]).read_bytes()).hexdigest() == entry["pdf_sha256"]
    gone, edited = _merge_units(folder, 2)
    by_unit = {e["unit"]: e for e in entries}
    gone_docx, gone_pdf = out / by_unit[gone]["path"], out / by_unit[gone]["pdf"]
    edited_docx, edited_pdf = out / by_unit[edited]["path"], out / by_unit[edited]["pdf"]
    with edited_pdf.open("ab") as handle:  # the user annotated this PDF
        handle.write(b"% mine")
    edited_bytes = edited_pdf.read_bytes()

    result = run("build", str(folder), "--only", "letters", "--pdf", "--force")
    assert result.exit_code == 0, result.output
    assert not gone_docx.exists() and not gone_pdf.exists() and not edited_docx.exists()
    assert edited_pdf.read_bytes() == edited_bytes  # never deleted: drafting did not write these bytes
    removed, kept = result.output.split("予以保留")
    assert "已删除上次生成、本次不再需要的 3 个文件" in removed
    assert all(p.name in removed for p in (gone_docx, gone_pdf, edited_docx))
    assert edited_pdf.name in kept
    pdfs = sorted(p for p in out.rglob("*.pdf") if p != edited_pdf)
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert pdfs == sorted(out / e["pdf"] for e in listed)


def test_pdf_of_an_obsolete_letter_is_removed_when_its_docx_was_deleted(tmp_path: Path) -> None:
    """Only what the manifest lists, and only when unchanged: an old manifest without PDF hashes keeps the PDF."""
    require_tool("soffice")
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    assert run("build", str(folder), "--only", "letters", "--pdf").exit_code == 0
    out = folder / "输出"
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    gone, older = _merge_units(folder, 2)
    by_unit = {e["unit"]: e for e in entries}
    (out / by_unit[gone]["path"]).unlink()  # the user deleted the .docx but not its PDF
    del by_unit[older]["pdf_sha256"]  # as an older drafting wrote it
    (out / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")

    result = run("build", str(folder), "--only", "letters", "--force")
    assert result.exit_code == 0, result.output
    assert not (out / by_unit[gone]["pdf"]).exists()
    assert (out / by_unit[older]["pdf"]).exists() and not (out / by_unit[older]["path"]).exists()
