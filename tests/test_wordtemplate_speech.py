"""Word-authored speech templates (templates/讲话稿.docx) through `drafting build`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from drafting.build import BuildOptions, plan_build, review_outputs, speech_coverage
from drafting.check.units import _block_texts
from drafting.document import Document
from drafting.readers import load_draft
from wordedit import assert_refused, edit_template, run

TEMPLATE = Path("templates") / "讲话稿.docx"
EXAMPLE = "讲话稿（Word模板示例）.docx"
SPEECH = frozenset({"speech"})



@pytest.fixture()
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "会议"
    result = run("example", str(folder))
    assert result.exit_code == 0, result.output
    (folder / "templates").mkdir()
    shutil.copyfile(folder / EXAMPLE, folder / TEMPLATE)
    return folder



def texts(document: Document) -> list[tuple[str, str]]:
    """(kind, text) of every printed paragraph, in order."""
    return [unit for block in document.blocks for unit in _block_texts(block)]


def builtin_speech(folder: Path) -> Document:
    aside = folder / "templates-aside"
    (folder / "templates").rename(aside)
    try:
        speech = plan_build(folder, BuildOptions(only=SPEECH)).speech
    finally:
        aside.rename(folder / "templates")
    assert speech is not None
    return speech


def test_word_speech_holds_the_built_speech_paragraph_for_paragraph(meeting: Path) -> None:
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 0, result.output
    out = meeting / "输出"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["kind"], e["path"]) for e in manifest] == [("speech", "讲话稿.docx")]
    written = docx.Document(str(out / "讲话稿.docx"))
    assert not any("{" in p.text or "}" in p.text for p in written.paragraphs)  # every tag rendered, every {%p %} line gone
    assert round(written.sections[0].top_margin.mm) == 37  # the template's own page
    builtin = builtin_speech(meeting)
    read = load_draft(out / "讲话稿.docx").document
    assert texts(read) == texts(builtin)  # title, byline, 同志们：, opening, every heading and paragraph, closing, in order
    headings = [(h.level, h.full_text) for h in read.headings()]
    assert headings == [(h.level, h.full_text) for h in builtin.headings()] and len(headings) > 4


def test_sections_closing_and_speaker_are_separate_parts_of_the_context(meeting: Path) -> None:
    """A template can place the closing (and the speaker) itself: the closing is not the last section's text."""
    document = docx.Document(str(meeting / TEMPLATE))
    document.add_paragraph("讲话人：{{ speaker.title }}{{ speaker.name }}；{{ sections|length }}个标题；结束语{{ closing|length }}段")
    document.add_paragraph(
        "{% for s in sections %}{% for p in s.paragraphs %}{% if p in closing %}重复{% endif %}{% endfor %}{% endfor %}"
    )
    document.save(str(meeting / TEMPLATE))
    assert run("build", str(meeting), "--only", "speech").exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(meeting / "输出" / "讲话稿.docx")).paragraphs]
    builtin = builtin_speech(meeting)
    closing = [t for _, t in texts(builtin)][-2:]
    assert closing[-1].startswith("同志们") and paragraphs[-4:-2] == closing
    assert paragraphs[-2] == f"讲话人：区委副书记、区长张某某；{len(builtin.headings())}个标题；结束语2段"
    assert paragraphs[-1] == ""  # no closing paragraph is also in a section


def test_review_and_coverage_run_on_the_word_speech(meeting: Path) -> None:
    # the template leaves out the second 一级标题 and adds a blank: numbering, declared count and placeholder findings
    edit_template(meeting / TEMPLATE, "{%p if s.level == 1 %}", '{%p if s.level == 1 and s.number != "二、" %}')
    edit_template(meeting / TEMPLATE, "{%p elif s.level == 2 %}", "{%p elif s.level == 2 and s.number %}")
    edit_template(meeting / TEMPLATE, "{{ salutation }}", "{{ salutation }}XX")
    plan = plan_build(meeting, BuildOptions(only=SPEECH))
    (output,) = plan.outputs
    assert output.data is not None
    (report,) = review_outputs(plan)
    assert report.path.name == "讲话稿.docx"
    assert {"placeholder", "numbering", "declared-count"} <= {f.rule for f in report.findings}
    coverage = speech_coverage(plan)
    assert coverage and any(row.satisfied for row in coverage)
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 0 and "讲话稿重点工作覆盖情况" in result.output and "讲话稿.docx" in result.output


def test_coverage_of_the_word_speech_matches_the_built_in_one(meeting: Path) -> None:
    word = speech_coverage(plan_build(meeting, BuildOptions(only=SPEECH)))
    (meeting / TEMPLATE).unlink()
    builtin = speech_coverage(plan_build(meeting, BuildOptions(only=SPEECH)))
    assert [(r.priority, r.hits, r.sections, r.satisfied) for r in word] == [
        (r.priority, r.hits, r.sections, r.satisfied) for r in builtin
    ]



def test_unknown_variable_names_the_template_and_the_variable(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ title }}", "{{ 讲话标题 }}")
    assert_refused(meeting, "讲话稿.docx", "讲话标题", "未定义")


def test_unknown_field_of_a_section_is_refused(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ s.heading }}", "{{ s.subtitle }}")
    assert_refused(meeting, "讲话稿.docx", "subtitle")


def test_sandbox_escape_is_refused(meeting: Path) -> None:
    edit_template(meeting / TEMPLATE, "{{ title }}", "{{ title.__class__.__mro__[1].__subclasses__() }}")
    assert_refused(meeting, "讲话稿.docx", "不允许")


def test_doc_file_is_refused(meeting: Path) -> None:
    (meeting / TEMPLATE).rename((meeting / TEMPLATE).with_suffix(".doc"))
    assert_refused(meeting, "讲话稿.doc", "另存为")


def test_template_in_the_user_library_is_used(meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "个人模板库"
    library.mkdir()
    (meeting / TEMPLATE).rename(library / "讲话稿.docx")
    edit_template(library / "讲话稿.docx", "{{ title }}", "{{ title }}（个人模板库）")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(library))
    assert run("build", str(meeting), "--only", "speech").exit_code == 0
    first = docx.Document(str(meeting / "输出" / "讲话稿.docx")).paragraphs[0].text
    assert first.endswith("（个人模板库）")
    shutil.copyfile(meeting / EXAMPLE, meeting / TEMPLATE)  # the meeting's own copy wins
    assert run("build", str(meeting), "--only", "speech", "--force").exit_code == 0
    assert not docx.Document(str(meeting / "输出" / "讲话稿.docx")).paragraphs[0].text.endswith("（个人模板库）")


def test_a_table_of_the_speech_keeps_its_place_and_cells(meeting: Path) -> None:
    path = meeting / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "抓项目就是抓民生，办项目就是办实事。\n"
    table = "            - table: [[类别, 个数, 总投资（亿元）], [先进制造业, 10, 110.3], [A&B <甲>, 7, 62.9]]\n"
    table += "            - 表格之后的一段话。\n"
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + table, 1), encoding="utf-8")
    assert run("build", str(meeting), "--only", "speech").exit_code == 0
    written = docx.Document(str(meeting / "输出" / "讲话稿.docx"))
    (only,) = written.tables
    assert [[c.text for c in row.cells] for row in only.rows] == [
        ["类别", "个数", "总投资（亿元）"], ["先进制造业", "10", "110.3"], ["A&B <甲>", "7", "62.9"]
    ]
    read = load_draft(meeting / "输出" / "讲话稿.docx").document
    assert texts(read) == texts(builtin_speech(meeting))  # the table sits between the same paragraphs


def test_commendation_honors_list_goes_to_the_attachments(tmp_path: Path) -> None:
    folder = tmp_path / "表彰会"
    assert run("example", str(folder), "--kind", "总结表彰会").exit_code == 0
    (folder / "templates").mkdir()
    shutil.copyfile(folder / EXAMPLE, folder / TEMPLATE)
    builtin = builtin_speech(folder)
    assert run("build", str(folder), "--only", "speech").exit_code == 0
    read = load_draft(folder / "输出" / "讲话稿.docx").document
    assert texts(read) == texts(builtin)


def test_example_speech_template_is_written_but_not_active(tmp_path: Path) -> None:
    folder = tmp_path / "示例"
    result = run("example", str(folder))
    assert result.exit_code == 0 and EXAMPLE in result.output
    paragraphs = [p.text for p in docx.Document(str(folder / EXAMPLE)).paragraphs]
    assert "{%p for s in sections %}" in paragraphs and "{%p for b in s.blocks %}" in paragraphs
    plan = plan_build(folder, BuildOptions(only=SPEECH))
    assert all(o.data is None for o in plan.outputs)  # built-in until moved into templates/


def test_outline_to_meeting_checks_the_wording_not_a_word_layout(
    meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Word speech template in the user library adds its own lines; --to-meeting still checks the wording alone."""
    (meeting / TEMPLATE).unlink()
    assert run("build", str(meeting), "--only", "speech").exit_code == 0  # last year's speech, built-in layout
    library = tmp_path / "个人模板库"
    library.mkdir()
    shutil.copyfile(meeting / EXAMPLE, library / "讲话稿.docx")
    edit_template(library / "讲话稿.docx", "{{ title }}", "{{ title }}（内部资料，注意保存）")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(library))
    result = run("outline", str(meeting / "输出" / "讲话稿.docx"), "--to-meeting", str(tmp_path / "今年"))
    assert result.exit_code == 0, result.output
    assert "重建稿有、原稿没有" not in result.output and "内部资料" not in result.output
