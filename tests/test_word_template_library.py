"""`drafting templates list|show|copy` with Word-authored templates (目标责任书.docx, 进度通报.docx, 讲话稿.docx)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafting.build import BuildOptions, plan_build
from drafting.documents.letters import group_projects
from drafting.documents.notice import notice_context
from drafting.folder import load_meeting_folder
from drafting.wordlibrary import WORD_KINDS
from drafting.wordspeech import speech_word_context
from drafting.wordtemplate import word_letter_context

from drafting.cli import cli
from wordedit import edit_template


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture()
def meeting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(tmp_path / "个人库"))  # none yet
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    return folder


def body_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return texts


def word_section(output: str) -> str:
    return output.split("Word 模板（", 1)[1]


def test_list_without_word_templates_says_none_is_used(meeting: Path) -> None:
    result = run("templates", "list", "-m", str(meeting))
    assert result.exit_code == 0
    section = word_section(result.output)
    assert "未使用：目标责任书.docx、进度通报.docx、讲话稿.docx" in section
    assert "drafting templates copy 目标责任书.docx" in section


def test_copy_writes_the_example_under_the_name_a_build_uses(meeting: Path) -> None:
    result = run("templates", "copy", "目标责任书.docx", str(meeting))
    assert result.exit_code == 0, result.output
    copied = meeting / "templates" / "目标责任书.docx"
    assert str(copied) in result.output
    assert body_text(copied) == body_text(meeting / "目标责任书（Word模板示例）.docx")  # what drafting example writes
    speech = run("templates", "copy", "讲话稿", str(meeting))  # without .docx too
    assert speech.exit_code == 0 and (meeting / "templates" / "讲话稿.docx").is_file()

    # the build now uses it: each letter's table has a row per project
    build = run("build", str(meeting), "--only", "letters")
    assert build.exit_code == 0, build.output
    folder = load_meeting_folder(meeting)
    letter = next((meeting / "输出" / "目标责任书").glob("*.docx"))
    tables = docx.Document(str(letter)).tables
    assert any(len(t.rows) == len(group_projects(folder)[letter.stem]) + 2 for t in tables)

    again = run("templates", "copy", "目标责任书.docx", str(meeting))
    assert again.exit_code == 2 and "已存在" in again.output and "--force" in again.output
    assert run("templates", "copy", "目标责任书.docx", str(meeting), "--force").exit_code == 0


def test_copy_refuses_a_kind_without_example_and_unknown_names(meeting: Path) -> None:
    notice = run("templates", "copy", "进度通报.docx", str(meeting))
    assert notice.exit_code == 2 and "没有示例 Word 模板" in notice.output
    assert not (meeting / "templates" / "进度通报.docx").exists()
    for name in ("责任书.docx", "../目标责任书.docx"):
        bad = run("templates", "copy", name, str(meeting))
        assert bad.exit_code == 2 and "不是 drafting 使用的 Word 模板名称" in bad.output and "Traceback" not in bad.output
    missing = run("templates", "copy", "目标责任书.docx", str(meeting / "没有"))
    assert missing.exit_code == 2 and "会议文件夹不存在" in missing.output and not (meeting / "没有").exists()


def test_list_shows_origin_purpose_and_the_user_library_shadowed(meeting: Path, tmp_path: Path) -> None:
    user = tmp_path / "个人库"
    user.mkdir()
    assert run("templates", "copy", "目标责任书.docx", str(meeting)).exit_code == 0
    (user / "目标责任书.docx").write_bytes((meeting / "templates" / "目标责任书.docx").read_bytes())
    (user / "讲话稿.docx").write_bytes((meeting / "讲话稿（Word模板示例）.docx").read_bytes())

    section = word_section(run("templates", "list", "-m", str(meeting)).output)
    lines = section.splitlines()
    letter = next(i for i, l in enumerate(lines) if l.startswith("目标责任书.docx"))
    assert "[会议文件夹]" in lines[letter] and "letter.gw.j2" in lines[letter] and "覆盖了个人模板库" in lines[letter]
    assert lines[letter + 1].strip() == str(meeting / "templates" / "目标责任书.docx")
    speech = next(l for l in lines if l.startswith("讲话稿.docx"))
    assert "[个人模板库]" in speech and "输出/讲话稿.docx" in speech
    assert "未使用：进度通报.docx" in section

    # without a meeting folder only the user library is looked at
    alone = word_section(run("templates", "list").output)
    assert "目标责任书.docx  [个人模板库]" in alone and "覆盖了" not in alone


def test_list_flags_a_file_the_build_would_refuse(meeting: Path) -> None:
    (meeting / "templates").mkdir()
    (meeting / "templates" / "进度通报.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    section = word_section(run("templates", "list", "-m", str(meeting)).output)
    assert "进度通报.docx  [会议文件夹]" in section and "无法使用" in section and "另存为" in section
    shown = run("templates", "show", "进度通报", "-m", str(meeting))
    assert shown.exit_code == 2 and "另存为" in shown.output and "Traceback" not in shown.output


def test_show_lists_fields_and_tags_with_their_places(meeting: Path) -> None:
    assert run("templates", "copy", "目标责任书.docx", str(meeting)).exit_code == 0
    result = run("templates", "show", "目标责任书.docx", "-m", str(meeting))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "PK" not in out  # not the file's bytes
    fields = next(l for l in out.splitlines() if l.startswith("字段："))
    assert set(fields.removeprefix("字段：").split("、")) == {
        "annual_plan", "as_of", "meeting", "party_a", "party_b", "project_count", "projects", "total_investment", "year"
    }
    assert "未知字段" not in out
    assert "表格1第2行第1格：{%tr for p in projects %}" in out
    assert "表格1第3行第2格：{{ p.name }}" in out and "表格1第4行第1格：{%tr endfor %}" in out


def test_show_names_an_unknown_field_split_over_runs(meeting: Path) -> None:
    assert run("templates", "copy", "目标责任书.docx", str(meeting)).exit_code == 0
    path = meeting / "templates" / "目标责任书.docx"
    document = docx.Document(str(path))
    paragraph = document.add_paragraph()
    for piece in ("{{ 乙方", "单位 }}"):  # Word split the field over two runs
        paragraph.add_run(piece).bold = piece.startswith("{{")
    document.save(str(path))
    out = run("templates", "show", "目标责任书", "-m", str(meeting)).output
    assert "未知字段（生成时会报错" in out and "乙方单位" in out.split("未知字段")[1].splitlines()[0]
    assert "{{ 乙方单位 }}" in out


def test_show_reports_a_syntax_error_and_a_missing_template(meeting: Path) -> None:
    assert run("templates", "copy", "目标责任书.docx", str(meeting)).exit_code == 0
    edit_template(meeting / "templates" / "目标责任书.docx", "{{ party_a }}", "{% if party_a %}{{ party_a }}")
    broken = run("templates", "show", "目标责任书.docx", "-m", str(meeting))
    assert broken.exit_code == 2 and "目标责任书.docx" in broken.output and "Traceback" not in broken.output
    missing = run("templates", "show", "讲话稿.docx", "-m", str(meeting))
    assert missing.exit_code == 2 and "找不到 Word 模板“讲话稿.docx”" in missing.output
    assert "drafting templates copy 讲话稿.docx" in missing.output


def test_each_kind_names_exactly_the_fields_its_context_has(meeting: Path) -> None:
    folder = load_meeting_folder(meeting)
    as_of = folder.meeting.date
    unit, projects = next(iter(group_projects(folder).items()))
    speech = plan_build(meeting, BuildOptions(only=frozenset({"speech"}), word_speech=False)).speech
    contexts = {
        "目标责任书": word_letter_context(folder, unit, projects, as_of),
        "进度通报": notice_context(folder, as_of),
        "讲话稿": speech_word_context(folder, as_of, speech),
    }
    assert {kind.stem: kind.fields for kind in WORD_KINDS} == {stem: frozenset(c) for stem, c in contexts.items()}
