"""The template library: lookup order, the user library, list/show/copy, and {% extends %} with named blocks."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafting.cli import cli
from drafting.errors import InputError
from drafting.resources import templates_dir
from drafting.templating.environment import default_search_paths
from drafting.templating.library import (
    BUILTIN,
    MEETING,
    USER,
    copy_template,
    describe,
    find_template,
    list_templates,
    normalize_name,
    user_library_dir,
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


@pytest.fixture()
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    return folder


def test_user_library_location_per_platform(tmp_path: Path) -> None:
    assert user_library_dir({"APPDATA": r"C:\Users\wang\AppData\Roaming"}, "win32") == Path(
        r"C:\Users\wang\AppData\Roaming"
    ) / "drafting" / "templates"
    assert user_library_dir({"XDG_CONFIG_HOME": "/home/wang/.cfg"}, "linux") == Path("/home/wang/.cfg/drafting/templates")
    assert user_library_dir({}, "linux") == Path.home() / ".config" / "drafting" / "templates"
    assert user_library_dir({"DRAFTING_TEMPLATES": str(tmp_path), "APPDATA": "x"}, "win32") == tmp_path


def test_lookup_order_meeting_then_user_then_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "user"
    (user / "speech").mkdir(parents=True)
    (user / "speech" / "closing.gw.j2").write_text("{#- 个人库的结束语 -#}\n个人库\n", encoding="utf-8")
    (user / "notice.gw.j2").write_text("{#- 个人库的通报 -#}\n", encoding="utf-8")
    meeting_templates = tmp_path / "会议" / "templates"
    meeting_templates.mkdir(parents=True)
    (meeting_templates / "notice.gw.j2").write_text("{#- 会议自己的通报 -#}\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(user))

    assert default_search_paths(meeting_templates) == [meeting_templates, user, templates_dir()]
    assert find_template("speech/closing", meeting_templates).origin == USER
    notice = find_template("notice", meeting_templates)
    assert (notice.origin, notice.path) == (MEETING, meeting_templates / "notice.gw.j2")
    assert find_template("builtin/notice.gw.j2", meeting_templates).origin == BUILTIN

    listed = {info.name: info for info in list_templates(meeting_templates)}
    assert listed["notice.gw.j2"].origin == MEETING and listed["notice.gw.j2"].shadows == (USER, BUILTIN)
    assert listed["speech/closing.gw.j2"].description == "个人库的结束语"
    assert listed["letter.gw.j2"].origin == BUILTIN and listed["letter.gw.j2"].shadows == ()
    # every built-in template is listed with a description
    builtin = [p.relative_to(templates_dir()).as_posix() for p in templates_dir().rglob("*.gw.j2")]
    assert set(builtin) <= set(listed)
    assert all(describe(templates_dir() / name) for name in builtin)


def test_missing_user_library_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(tmp_path / "nowhere"))
    assert default_search_paths() == [templates_dir()]


@pytest.mark.parametrize("name", ["../meeting.yaml", "/etc/passwd", "speech/../../x", "C:/x", ""])
def test_names_never_leave_their_root(name: str) -> None:
    with pytest.raises(InputError):
        normalize_name(name)


def test_cli_list_show_copy(meeting: Path) -> None:
    listed = run("templates", "list", "--folder", str(meeting))
    assert listed.exit_code == 0
    line = next(l for l in listed.output.splitlines() if l.startswith("speech/closing.gw.j2"))
    assert "[内置]" in line and "结束语" in line

    shown = run("templates", "show", "speech/closing")
    assert shown.exit_code == 0
    assert (templates_dir() / "speech" / "closing.gw.j2").read_text(encoding="utf-8") in shown.output

    copied = run("templates", "copy", "speech/closing", str(meeting))
    target = meeting / "templates" / "speech" / "closing.gw.j2"
    assert copied.exit_code == 0 and target.read_bytes() == (templates_dir() / "speech" / "closing.gw.j2").read_bytes()
    target.write_text("{#- 我们改过的结束语 -#}\n同志们，散会！\n", encoding="utf-8")

    again = run("templates", "copy", "speech/closing", str(meeting))
    assert again.exit_code == 2 and "已存在" in again.output and "--force" in again.output
    assert "散会" in target.read_text(encoding="utf-8")  # not overwritten

    line = next(l for l in run("templates", "list", "-m", str(meeting)).output.splitlines() if l.startswith("speech/closing"))
    assert "[会议文件夹]" in line and "我们改过的结束语" in line and "内置" in line

    assert run("templates", "copy", "speech/closing", str(meeting), "--force").exit_code == 0
    assert "散会" not in target.read_text(encoding="utf-8")


def test_cli_refuses_unknown_and_hostile_names(meeting: Path) -> None:
    missing = run("templates", "show", "speech/nothing")
    assert missing.exit_code == 2 and "找不到模板" in missing.output and "Traceback" not in missing.output
    hostile = run("templates", "copy", "../meeting.yaml", str(meeting))
    assert hostile.exit_code == 2 and "不合法" in hostile.output
    nowhere = run("templates", "copy", "speech", str(meeting / "不存在"))
    assert nowhere.exit_code == 2 and not (meeting / "不存在").exists()


def test_copy_only_copies_builtin_templates(meeting: Path) -> None:
    (meeting / "templates").mkdir()
    (meeting / "templates" / "mine.gw.j2").write_text("x", encoding="utf-8")
    with pytest.raises(InputError):
        copy_template("mine", meeting)


def test_meeting_overrides_one_block_and_inherits_the_rest(meeting: Path) -> None:
    assert run("build", str(meeting), "--only", "speech").exit_code == 0
    before = docx_paragraphs(meeting / "输出" / "讲话稿.docx")

    (meeting / "templates").mkdir()
    (meeting / "templates" / "speech.gw.j2").write_text(
        '{% extends "builtin/speech.gw.j2" %}\n'
        "{% block closing %}\n"
        "同志们，今年的任务已经明确，让我们说干就干、干就干好！\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    result = run("build", str(meeting), "--only", "speech", "--force")
    assert result.exit_code == 0, result.output
    assert "审稿" not in result.output
    after = docx_paragraphs(meeting / "输出" / "讲话稿.docx")
    assert after[-1] == "同志们，今年的任务已经明确，让我们说干就干、干就干好！"
    # the example's closing has two paragraphs; everything before them is inherited unchanged
    assert after[:-1] == before[:-2]


def test_a_block_inside_the_loop_overrides_one_section(meeting: Path) -> None:
    (meeting / "templates").mkdir()
    (meeting / "templates" / "speech.gw.j2").write_text(
        '{% extends "builtin/speech.gw.j2" %}\n'
        "{% block section %}\n"
        "{% if loop.index == 2 %}\n"
        "# 第二部分换了说法\n\n"
        "这一部分由会议文件夹的模板重写。\n\n"
        "{% else %}\n"
        "{{ super() }}\n"
        "{% endif %}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 0, result.output
    texts = docx_paragraphs(meeting / "输出" / "讲话稿.docx")
    assert "二、第二部分换了说法" in texts and "这一部分由会议文件夹的模板重写。" in texts
    assert any(t.startswith("一、提高站位") for t in texts) and any(t.startswith("三、突出重点") for t in texts)
    assert "下面，我讲四点意见" in "".join(texts)


def test_user_library_template_applies_to_every_meeting(meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "库"
    user.mkdir()
    (user / "speech.gw.j2").write_text(
        '{% extends "builtin/speech.gw.j2" %}{% block head %}::title 个人库里的标题\n{% endblock %}\n', encoding="utf-8"
    )
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(user))
    assert run("build", str(meeting), "--only", "speech").exit_code == 0
    assert docx_paragraphs(meeting / "输出" / "讲话稿.docx")[0] == "个人库里的标题"


def test_links_are_neither_listed_nor_written_through(meeting: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (elsewhere / "secret.gw.j2").write_text("{#- 别处的文件 -#}\n", encoding="utf-8")
    templates = meeting / "templates"
    templates.mkdir()
    try:
        (templates / "secret.gw.j2").symlink_to(elsewhere / "secret.gw.j2")
        (templates / "speech").symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("symbolic links are not available")
    assert "secret.gw.j2" not in {i.name for i in list_templates(templates)}
    assert "speech/secret.gw.j2" not in {i.name for i in list_templates(templates)}
    with pytest.raises(InputError):
        find_template("secret", templates)
    result = run("templates", "copy", "speech/closing", str(meeting))
    assert result.exit_code == 2 and "链接" in result.output
    assert not (elsewhere / "closing.gw.j2").exists()


def test_user_library_is_an_allowed_root_with_the_same_rules(meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "库"
    user.mkdir()
    outside = tmp_path / "外面.gw.j2"
    outside.write_text("::title 不该读到\n", encoding="utf-8")
    try:
        (user / "speech.gw.j2").symlink_to(outside)
    except OSError:
        pytest.skip("symbolic links are not available")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(user))
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 2 and "链接" in result.output
    assert not (meeting / "输出" / "讲话稿.docx").exists()


def test_builtin_prefix_cannot_climb_out(meeting: Path) -> None:
    (meeting / "templates").mkdir()
    (meeting / "templates" / "speech.gw.j2").write_text('{% extends "builtin/../corpus/example/meeting.yaml" %}\n', encoding="utf-8")
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 2 and "找不到模板" in result.output
    assert not (meeting / "输出" / "讲话稿.docx").exists()
