"""One meeting folder with both of the office's own Word files (issue 9, "done when").

The folder holds a house 版式 (logo PNG, red rule, custom margins, 版记, fields
split over runs) and a Word-authored 目标责任书 with a row per project. One
``build --pdf`` gives a notice on the house file (house parts kept, fields
filled, mapped fonts in the PDF) and letters from the Word template (a table
row per project), all listed in manifest.json with their PDFs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
from click.testing import CliRunner
from rendering import require_tool, text_difference

from drafting.cli import cli
from drafting.documents.letters import group_projects
from drafting.folder import load_meeting_folder
from drafting.house.sample import MARGINS_MM, logo_png


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_house_file_and_word_letter_template_in_one_build(tmp_path: Path, monkeypatch) -> None:
    require_tool("soffice")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(tmp_path / "个人库"))  # no user library
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    (folder / "版式").mkdir()
    shutil.copyfile(folder / "版式示例.docx", folder / "版式" / "默认.docx")
    assert run("templates", "copy", "目标责任书.docx", str(folder)).exit_code == 0

    result = run("build", str(folder), "--only", "letters,notice", "--pdf")
    assert result.exit_code == 0, result.output
    out = folder / "输出"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest}

    # the notice: on the house file, fields filled, house media kept, PDF in the mapped fonts
    notice = out / "进度通报.docx"
    house = members(folder / "版式" / "默认.docx")
    built = members(notice)
    assert built["word/media/image1.png"] == house["word/media/image1.png"] == logo_png()
    assert "{{" not in built["word/document.xml"].decode()
    section = docx.Document(str(notice)).sections[0]
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert tuple(round(m.mm) for m in margins) == MARGINS_MM
    pdf = out / "进度通报.pdf"
    fonts = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Fandol" in fonts, fonts
    missing, _ = text_difference(notice, pdf)
    assert not missing

    # the letters: from the Word template (not on the house file), a row per project, each with its PDF
    projects = group_projects(load_meeting_folder(folder))
    letters = sorted((out / "目标责任书").glob("*.docx"))
    assert len(letters) == len(projects)
    for letter in letters:
        rows = [len(t.rows) for t in docx.Document(str(letter)).tables]
        assert len(projects[letter.stem]) + 2 in rows, (letter.name, rows)  # header, one per project, 合计
        assert "word/media/image1.png" not in members(letter)
        assert letter.with_suffix(".pdf").is_file()
        entry = listed[str(letter.relative_to(out)).replace("\\", "/")]
        assert entry["pdf"].endswith(".pdf")
