"""会议纪要: 出席/列席/请假 lines after the body (GB/T 9704 纪要格式)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from drafting.cli import cli
from drafting.docx.fast import write_docx_fast
from drafting.docx.profile import DEFAULT_PROFILE, TWIPS_PER_PT
from drafting.docx.styles import STYLE_ROSTER, STYLE_ROSTER_LABEL
from drafting.docx.writer import write_docx
from drafting.document import Roster
from drafting.errors import InputError
from drafting.markup import parse_markup
from drafting.readers import load_draft
from rendering import docx_to_pdf, pdf_pages, require_tool

ATTENDEES = ["张某某", "李某某", "王某某", "赵某某", "区发展改革局局长钱某某", "区财政局局长孙某某", "区自然资源局局长周某某", "区生态环境分局局长吴某某"]
OBSERVERS = ["区政府办公室副主任郑某某", "区统计局局长冯某某"]
ON_LEAVE = ["陈某某（出差）"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def with_minutes(folder: Path, lines: str) -> None:
    """Put ``lines`` (YAML, indented under minutes:) into the example meeting.yaml's minutes block."""
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nminutes:\n" in text
    path.write_text(text.replace("\nminutes:\n", "\nminutes:\n" + lines, 1), encoding="utf-8")


def yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roster") / "会议"
    assert run("example", str(folder)).exit_code == 0
    with_minutes(
        folder,
        f"  attendees: {yaml_list(ATTENDEES)}\n  observers: {yaml_list(OBSERVERS)}\n  on_leave: {yaml_list(ON_LEAVE)}\n",
    )
    result = run("build", str(folder), "--only", "minutes")
    assert result.exit_code == 0, result.output
    return folder / "输出" / "会议纪要.docx"


def test_roster_lines_follow_the_body_and_read_back(minutes: Path) -> None:
    blocks = load_draft(minutes).document.blocks
    assert blocks[-3:] == [
        Roster("出席", "，".join(ATTENDEES)),
        Roster("列席", "，".join(OBSERVERS)),
        Roster("请假", "，".join(ON_LEAVE)),
    ]


def test_roster_label_is_heiti_and_wrapped_names_hang_after_the_colon(minutes: Path) -> None:
    document = docx.Document(str(minutes))
    paragraphs = document.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text.startswith("出席："))
    assert paragraphs[index - 1].text == "" and paragraphs[index - 2].text  # one blank line after the body
    rows = paragraphs[index : index + 3]
    assert [p.style.name for p in rows] == [STYLE_ROSTER] * 3
    assert [p.runs[0].text for p in rows] == ["出席：", "列席：", "请假："]
    assert all(p.runs[0].style.name == STYLE_ROSTER_LABEL for p in rows)
    label_fonts = document.styles[STYLE_ROSTER_LABEL].element.rPr.find(qn("w:rFonts"))
    assert label_fonts.get(qn("w:eastAsia")) == "黑体"
    indent = document.styles[STYLE_ROSTER].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:leftChars")) == "500" and indent.get(qn("w:hangingChars")) == "300"  # 左空二字 + 出席：


@pytest.mark.render
def test_rendered_roster_is_indented_two_characters_and_wraps_under_the_names(minutes: Path, tmp_path: Path) -> None:
    require_tool("soffice")
    pdf = docx_to_pdf(minutes, tmp_path)
    lines = [line for page in pdf_pages(pdf) for line in page.lines]
    text = "".join(line.text for line in lines)
    for label, names in (("出席：", ATTENDEES), ("列席：", OBSERVERS), ("请假：", ON_LEAVE)):
        assert label + "，".join(names) in text
    first = next(i for i, line in enumerate(lines) if line.text.startswith("出席："))
    attend, wrapped = lines[first], lines[first + 1]
    observe = next(line for line in lines if line.text.startswith("列席："))
    char = DEFAULT_PROFILE.body_char_pt
    left = DEFAULT_PROFILE.margins.left_mm / 25.4 * 72
    assert abs(attend.x_min - (left + 2 * char)) < char / 2  # 左空二字
    assert abs(wrapped.x_min - (attend.x_min + 3 * char)) < char / 2  # under the first name, not under 出席
    assert not wrapped.text.startswith(("出席", "列席")) and abs(observe.x_min - attend.x_min) < 1
    pitch = DEFAULT_PROFILE.line_pitch_twips / TWIPS_PER_PT
    before = lines[first - 1]
    assert abs((attend.y_min - before.y_min) - 2 * pitch) < pitch / 2  # one blank line above


def test_same_person_in_attendees_and_on_leave_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    with_minutes(folder, "  attendees: [张某某, 李某某]\n  on_leave: [李某某]\n")
    result = run("build", str(folder))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert all(part in result.output for part in ("meeting.yaml", "minutes", "李某某", "出席", "请假")), result.output
    assert not (folder / "输出").exists()


def test_roster_that_is_not_a_list_of_names_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    with_minutes(folder, "  observers: {郑某某: 副主任}\n")
    result = run("build", str(folder))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "meeting.yaml" in result.output and "observers" in result.output, result.output
    assert not (folder / "输出").exists()


def test_roster_markup_needs_a_label_and_names() -> None:
    assert parse_markup("::roster 列席：| 郑某某\n", source="t.gw").blocks == [Roster("列席", "郑某某")]
    with pytest.raises(InputError) as error:
        parse_markup("正文。\n\n::roster 出席\n", source="t.gw")
    assert "::roster" in error.value.message and error.value.location.line == 3


def test_fast_writer_writes_a_roster_as_the_reference_writer_does(tmp_path: Path) -> None:
    document = parse_markup("::title 会议纪要\n\n会议议定了有关事项。\n\n::roster 出席 | 张某某，李某某\n::roster 请假人员 | 王某某\n", source="t.gw")
    document.meta.date = date(2026, 3, 6)
    reference, fast = tmp_path / "reference.docx", tmp_path / "fast.docx"
    write_docx(document, reference)
    write_docx_fast(document, fast)
    with zipfile.ZipFile(reference) as ref, zipfile.ZipFile(fast) as got:
        assert ref.namelist() == got.namelist()
        assert all(ref.read(name) == got.read(name) for name in ref.namelist())
    wider = docx.Document(str(reference)).paragraphs[-1]  # 请假人员： is wider than 出席：, so its own hanging indent
    indent = wider._p.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:leftChars")) == "700" and indent.get(qn("w:hangingChars")) == "500"
