"""A meeting folder cannot make drafting read a file outside it: links and special files are refused by name.

Every "secret" below is a valid file of the right kind with a marker in it, so
if it were followed the build would succeed and the marker would show up.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import cli
from drafting.errors import InputError, TemplateError
from drafting.folder import load_meeting_folder
from drafting.templating import make_environment, render_template

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "speech" / "small_meeting"
PRIORITIES = FIXTURES / "input" / "valid_meeting" / "priorities.yaml"
SECRET = "绝密XYZ"

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "会议"
    shutil.copytree(SMALL, target)
    return target


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "别处"
    path.mkdir()
    return path


def build(folder: Path) -> "object":
    return CliRunner().invoke(cli, ["build", str(folder)], catch_exceptions=False)


def assert_refused_naming(folder: Path, name: str) -> str:
    result = build(folder)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误：") and name in result.output, result.output
    assert SECRET not in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert not (folder / "输出").exists()
    return result.output


def secret_copy(source: Path, outside: Path, old: str, name: str | None = None) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    secret = outside / (name or source.name)
    secret.write_text(text.replace(old, SECRET, 1), encoding="utf-8")
    return secret


def test_secret_copies_would_be_used_if_they_were_in_the_folder(folder: Path, outside: Path) -> None:
    """The baseline the link tests rely on: a real file with the marker does reach the documents."""
    secret = secret_copy(folder / "meeting.yaml", outside, "全区项目建设调度会")
    shutil.copyfile(secret, folder / "meeting.yaml")
    assert load_meeting_folder(folder).meeting.name == SECRET


@needs_symlinks
@pytest.mark.parametrize(
    ("name", "old"),
    [("meeting.yaml", "全区项目建设调度会"), ("projects.yaml", "甲项目")],
)
def test_linked_input_file_is_refused(folder: Path, outside: Path, name: str, old: str) -> None:
    secret = secret_copy(folder / name, outside, old)
    (folder / name).unlink()
    (folder / name).symlink_to(secret)
    assert "链接" in assert_refused_naming(folder, name)


@needs_symlinks
def test_linked_priorities_are_refused(folder: Path, outside: Path) -> None:
    text = PRIORITIES.read_text(encoding="utf-8")
    secret = outside / "priorities.yaml"
    secret.write_text(text + f"\n# {SECRET}\n", encoding="utf-8")
    (folder / "priorities.yaml").symlink_to(secret)
    assert_refused_naming(folder, "priorities.yaml")


@needs_symlinks
def test_linked_phrase_bank_is_refused(folder: Path, outside: Path) -> None:
    secret = outside / "phrases.yaml"
    secret.write_text(f"salutation: {SECRET}：\n", encoding="utf-8")
    shutil.copyfile(secret, folder / "phrases.yaml")
    result = build(folder)  # baseline: in the folder, the phrase is used
    assert result.exit_code == 0 and SECRET in _speech_text(folder)
    shutil.rmtree(folder / "输出")
    (folder / "phrases.yaml").unlink()
    (folder / "phrases.yaml").symlink_to(secret)
    assert_refused_naming(folder, "phrases.yaml")


def _speech_text(folder: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(folder / "输出" / "讲话稿.docx")).paragraphs)


@needs_symlinks
def test_linked_templates_folder_is_refused(folder: Path, outside: Path) -> None:
    (outside / "speech.gw.j2").write_text(f"::title {SECRET}\n", encoding="utf-8")
    (folder / "templates").symlink_to(outside, target_is_directory=True)
    assert_refused_naming(folder, "templates")


@needs_symlinks
def test_linked_template_file_is_refused(folder: Path, outside: Path) -> None:
    (outside / "passwd").write_text(f"::title {SECRET}\n", encoding="utf-8")
    (folder / "templates").mkdir()
    (folder / "templates" / "speech.gw.j2").symlink_to(outside / "passwd")
    assert "链接" in assert_refused_naming(folder, "speech.gw.j2")


@needs_symlinks
def test_linked_folder_inside_templates_is_refused(folder: Path, outside: Path) -> None:
    (outside / "head.gw.j2").write_text(f"::title {SECRET}\n", encoding="utf-8")
    (folder / "templates").mkdir()
    (folder / "templates" / "speech").symlink_to(outside, target_is_directory=True)
    assert_refused_naming(folder, "speech")


def test_include_cannot_climb_out_of_the_templates_folder(folder: Path, outside: Path) -> None:
    (folder / "secret.gw.j2").write_text(f"::title {SECRET}\n", encoding="utf-8")
    (folder / "templates").mkdir()
    for target in ("../secret.gw.j2", "/" + str(folder / "secret.gw.j2").lstrip("/"), "..\\\\secret.gw.j2"):
        (folder / "templates" / "speech.gw.j2").write_text(f'{{% include "{target}" %}}\n', encoding="utf-8")
        assert "找不到模板" in assert_refused_naming(folder, "speech.gw.j2")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_instead_of_meeting_yaml_is_refused_without_blocking(folder: Path) -> None:
    (folder / "meeting.yaml").unlink()
    os.mkfifo(folder / "meeting.yaml")
    assert "普通文件" in assert_refused_naming(folder, "meeting.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_instead_of_a_template_is_refused_without_blocking(folder: Path) -> None:
    (folder / "templates").mkdir()
    os.mkfifo(folder / "templates" / "speech.gw.j2")
    assert "普通文件" in assert_refused_naming(folder, "speech.gw.j2")


@needs_symlinks
def test_a_search_path_may_itself_be_reached_through_a_link(tmp_path: Path) -> None:
    """Only what lies below a search path is checked: an installed built-in folder behind a link still works."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "t.j2").write_text("正文", encoding="utf-8")
    (tmp_path / "via").symlink_to(real, target_is_directory=True)
    assert render_template(make_environment([tmp_path / "via"]), "t.j2", {}) == "正文"


@needs_symlinks
def test_loader_refuses_a_link_even_to_a_file_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "real.j2").write_text("正文", encoding="utf-8")
    (tmp_path / "link.j2").symlink_to(tmp_path / "real.j2")
    with pytest.raises(TemplateError, match="链接") as info:
        render_template(make_environment([tmp_path]), "link.j2", {})
    assert Path(info.value.location.file).name == "link.j2"


@needs_symlinks
def test_folder_loader_error_is_an_input_error(folder: Path, outside: Path) -> None:
    (outside / "meeting.yaml").write_text("x: 1\n", encoding="utf-8")
    (folder / "meeting.yaml").unlink()
    (folder / "meeting.yaml").symlink_to(outside / "meeting.yaml")
    with pytest.raises(InputError) as info:
        load_meeting_folder(folder)
    assert Path(info.value.location.file).name == "meeting.yaml"
