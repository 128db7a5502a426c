"""Meeting folder: which files are read, what is optional, and errors from all files together."""

import shutil
from pathlib import Path

import openpyxl
import pytest

from drafting.errors import InputError, InputErrors
from drafting.folder import load_meeting_folder

VALID = Path(__file__).parent / "fixtures" / "input" / "valid_meeting"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "推进会"
    shutil.copytree(VALID, target)
    return target


def write_xlsx(path: Path, rows: list[list]) -> None:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def test_fixture_folder_loads():
    loaded = load_meeting_folder(VALID)
    assert loaded.path == VALID
    assert loaded.meeting.name == "全区重点项目建设推进会"
    assert loaded.ledger.source == VALID / "projects.yaml"
    assert len(loaded.ledger.projects) == 6
    assert [p.name for p in loaded.priorities] == ["双招双引", "要素保障", "开工"]
    assert loaded.templates_dir is None


def test_templates_dir_when_present(folder):
    (folder / "templates").mkdir()
    assert load_meeting_folder(folder).templates_dir == folder / "templates"


def test_priorities_are_optional(folder):
    (folder / "priorities.yaml").unlink()
    assert load_meeting_folder(folder).priorities == []


def test_xlsx_preferred_over_yaml(folder):
    write_xlsx(folder / "projects.xlsx", [["项目名称", "牵头单位"], ["表格里的项目", "区发改局"]])
    loaded = load_meeting_folder(folder)
    assert loaded.ledger.source == folder / "projects.xlsx"
    assert [p.name for p in loaded.ledger.projects] == ["表格里的项目"]


def test_yml_extension_accepted(folder):
    (folder / "projects.yaml").rename(folder / "projects.yml")
    assert len(load_meeting_folder(folder).ledger.projects) == 6


def test_missing_folder(tmp_path):
    missing = tmp_path / "没有这个会"
    with pytest.raises(InputError) as info:
        load_meeting_folder(missing)
    assert str(missing) in str(info.value) and "会议文件夹不存在" in str(info.value)


def test_path_is_a_file(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="不是文件夹"):
        load_meeting_folder(path)


def test_missing_meeting_yaml(folder):
    (folder / "meeting.yaml").unlink()
    with pytest.raises(InputError) as info:
        load_meeting_folder(folder)
    assert str(folder / "meeting.yaml") in str(info.value) and "缺少 meeting.yaml" in str(info.value)


def test_missing_ledger(folder):
    (folder / "projects.yaml").unlink()
    with pytest.raises(InputError) as info:
        load_meeting_folder(folder)
    assert str(folder) in str(info.value) and "projects.xlsx" in str(info.value)


def test_errors_from_every_file_reported_together(folder):
    meeting = folder / "meeting.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("2026-03-06", "2026-02-30"), encoding="utf-8")
    projects = folder / "projects.yaml"
    projects.write_text(projects.read_text(encoding="utf-8").replace("总投资: 12", "总投资: -12"), encoding="utf-8")
    (folder / "priorities.yaml").write_text("priorities:\n  - name: 甲\n    min: 0\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_meeting_folder(folder)
    found = [str(e) for e in info.value.errors]
    assert len(found) == 3
    assert found[0].startswith("meeting.yaml 第4行 “meeting.date”：无法识别的日期“2026-02-30”")
    assert found[1] == "projects.yaml 第26行 “总投资（亿元）”：不能为负数（-12）"
    assert found[2].startswith("priorities.yaml 第3行 “priorities.min”：")
