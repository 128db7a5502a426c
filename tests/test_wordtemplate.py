"""Word-authored letter templates (templates/目标责任书.docx) through `drafting build`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from drafting.build import plan_build, review_outputs
from drafting.folder import load_meeting_folder
from drafting.documents.letters import group_projects
from ooxml_order import order_problems
from wordedit import assert_refused, edit_template, run

TEMPLATE = Path("templates") / "目标责任书.docx"



@pytest.fixture()
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "会议"
    result = run("example", str(folder))
    assert result.exit_code == 0, result.output
    (folder / "templates").mkdir()
    shutil.copyfile(folder / "目标责任书（Word模板示例）.docx", folder / TEMPLATE)
    return folder



def letter_files(folder: Path) -> list[Path]:
    out = folder / "输出" / "目标责任书"
    return sorted(out.glob("*.docx")) if out.exists() else []


def test_word_template_renders_one_letter_per_unit_with_a_row_per_project(meeting: Path) -> None:
    result = run("build", str(meeting), "--only", "letters")
    assert result.exit_code == 0, result.output
    groups = group_projects(load_meeting_folder(meeting))
    manifest = json.loads((meeting / "输出" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["unit"] for e in manifest) == sorted(groups)
    assert len(letter_files(meeting)) == len(groups)
    for entry in manifest:
        document = docx.Document(str(meeting / "输出" / entry["path"]))
        texts = [p.text for p in document.paragraphs]
        assert f"乙方：{entry['unit']}" in texts
        rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
        projects = groups[entry["unit"]]
        assert rows[0][:2] == ["序号", "项目名称"]
        assert [r[1] for r in rows[1:-1]] == [p.name for p in projects]  # the {%tr %} rows are gone
        assert [r[0] for r in rows[1:-1]] == [str(i) for i in range(1, len(projects) + 1)]
        assert rows[-1][:2] == ["合计", f"{len(projects)}个项目"]
        assert not any("{" in t or "}" in t for t in texts)
        # the template's own layout is kept
        section = document.sections[0]
        assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_values_with_xml_characters_stay_text(meeting: Path) -> None:
    xlsx = meeting / "projects.xlsx"
    book = load_workbook(xlsx)
    sheet = book.active
    column = next(c.column for c in sheet[1] if c.value == "项目名称")
    sheet.cell(row=2, column=column).value = 'A&B <w:t>"引号" \'x\' ]]> {{ year }} | 管线'
    book.save(xlsx)
    assert run("build", str(meeting), "--only", "letters").exit_code == 0
    names = [
        row.cells[1].text
        for path in letter_files(meeting)
        for row in docx.Document(str(path)).tables[0].rows
    ]
    assert 'A&B <w:t>"引号" \'x\' ]]> {{ year }} | 管线' in names  # not escaped for 公文标记, not evaluated



def test_unknown_field_names_file_and_field(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ party_b }}", "{{ 乙方单位 }}")
    assert_refused(meeting, "目标责任书.docx", "乙方单位", "未定义")


def test_unknown_attribute_of_a_project_is_refused(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ p.leader }}", "{{ p.mobile }}")
    assert_refused(meeting, "目标责任书.docx", "mobile")


def test_syntax_error_names_the_file(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ party_a }}", "{% if party_a %}{{ party_a }}")
    assert_refused(meeting, "目标责任书.docx", "语法错误")


def test_unsafe_access_is_refused_by_the_sandbox(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ party_b }}", "{{ party_b.__class__.__mro__ }}")
    assert_refused(meeting, "目标责任书.docx", "不允许")


def test_runaway_loop_is_stopped(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ party_b }}", "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}")
    assert_refused(meeting, "目标责任书.docx", "循环")


def test_corrupt_docx_is_refused(meeting: Path) -> None:
    data = (meeting / TEMPLATE).read_bytes()
    (meeting / TEMPLATE).write_bytes(data[: len(data) // 2])
    assert_refused(meeting, "目标责任书.docx", "损坏")


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_are_refused(meeting: Path, suffix: str) -> None:
    (meeting / TEMPLATE).rename((meeting / TEMPLATE).with_suffix(suffix))
    assert_refused(meeting, f"目标责任书{suffix}", "另存为")


def test_old_word_file_renamed_to_docx_is_refused(meeting: Path) -> None:
    (meeting / TEMPLATE).write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4096))
    assert_refused(meeting, "目标责任书.docx", ".doc")


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_linked_template_is_refused(meeting: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "别处.docx"
    (meeting / TEMPLATE).rename(elsewhere)
    (meeting / TEMPLATE).symlink_to(elsewhere)
    assert_refused(meeting, "目标责任书.docx", "链接")


def test_rendered_letters_get_the_same_review(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ party_b }}（盖章）", "XX（盖章）")
    edit_template(meeting / TEMPLATE, "三、考核办法", "五、考核办法")
    plan = plan_build(meeting)
    letters = [o for o in plan.outputs if o.kind == "letter"]
    assert letters and all(o.data is not None for o in letters)
    reports = {r.path: {f.rule for f in r.findings} for r in review_outputs(plan)}
    for output in letters:
        assert {"placeholder", "numbering"} <= reports[output.path]


def test_combined_file_holds_every_letter_from_an_odd_page(meeting: Path) -> None:
    result = run("build", str(meeting), "--only", "letters", "--combined")
    assert result.exit_code == 0, result.output
    out = meeting / "输出"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    combined = [e for e in manifest if e["unit"] is None]
    assert [e["path"] for e in combined] == ["目标责任书（合订本）.docx"]
    units = [e["unit"] for e in manifest if e["unit"] is not None]
    document = docx.Document(str(out / "目标责任书（合订本）.docx"))
    parties = [p.text[3:] for p in document.paragraphs if p.text.startswith("乙方：") and "盖章" not in p.text]
    assert parties == units
    assert len(document.tables) == len(units) and len(document.sections) == len(units)
    assert all(s.start_type == 4 for s in document.sections)  # WD_SECTION.ODD_PAGE
    assert all(round(s.top_margin.mm) == 37 for s in document.sections)
    assert order_problems(document.element) == []  # the section breaks follow the schema order
    rows = sum(len(t.rows) - 2 for t in document.tables)
    assert rows == len(load_meeting_folder(meeting).ledger.projects)


def test_example_template_is_written_but_not_active(tmp_path: Path) -> None:
    folder = tmp_path / "示例"
    result = run("example", str(folder))
    assert result.exit_code == 0 and "目标责任书（Word模板示例）.docx" in result.output
    document = docx.Document(str(folder / "目标责任书（Word模板示例）.docx"))
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "{%tr for p in projects %}" in cells and "{{ p.name }}" in cells
    assert run("build", str(folder), "--only", "letters").exit_code == 0
    plan = plan_build(folder)
    assert all(o.data is None for o in plan.outputs)  # built-in template until moved into templates/


def write_notice_template(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于重点项目建设进展情况的通报")
    document.add_paragraph("截至{{ as_of|cn_date }}，进度较快的单位有{{ units_ahead|join_cn }}。")
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "项目名称", "完成率")):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for p in projects %}"
    for cell, text in zip(table.rows[2].cells, ("{{ p.index }}", "{{ p.name }}", "{{ p.completion_rate|pct }}")):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    document.save(str(path))


def test_word_notice_template_gets_the_notice_context(meeting: Path) -> None:
    write_notice_template(meeting / "templates" / "进度通报.docx")
    xlsx = meeting / "projects.xlsx"
    book = load_workbook(xlsx)
    sheet = book.active
    column = next(c.column for c in sheet[1] if c.value == "项目名称")
    sheet.cell(row=2, column=column).value = "甲|乙项目"
    book.save(xlsx)
    result = run("build", str(meeting), "--only", "notice")
    assert result.exit_code == 0, result.output
    out = meeting / "输出"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in manifest] == ["进度通报.docx"]
    document = docx.Document(str(out / "进度通报.docx"))
    names = [row.cells[1].text for row in document.tables[0].rows[1:]]
    ledger = load_meeting_folder(meeting).ledger.projects
    assert sorted(names) == sorted(p.name for p in ledger) and "甲|乙项目" in names  # not the 公文标记 escape \|
    assert document.paragraphs[1].text.startswith("截至2026年")
