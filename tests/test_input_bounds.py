"""Hostile and oversized inputs end quickly with exit 2 and a Chinese message naming the file (issue 7).

Every hostile file is generated here and is small on disk; the figures (time, memory before and
after) are in benchmarks/bench_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafting.cli import cli
from drafting.errors import MAX_SHOWN_ERRORS, InputError, InputErrors
from drafting.yamlsource import MAX_ALIAS_NODES, MAX_LEDGER_YAML_BYTES, MAX_YAML_BYTES, MAX_YAML_DEPTH
from hostile import yaml_alias_bomb, yaml_nested_brackets, yaml_recursive_alias


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "会议"
    result = run("example", str(path))
    assert result.exit_code == 0, result.output
    return path


def refused(folder: Path) -> str:
    """Build ``folder``; assert a clean refusal and return the message."""
    result = run("build", str(folder))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误："), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert not (folder / "输出").exists()
    return result.output


# --- YAML ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["meeting.yaml", "priorities.yaml"])
def test_alias_bomb_is_refused(folder: Path, name: str) -> None:
    (folder / name).write_text(yaml_alias_bomb(), encoding="utf-8")
    message = refused(folder)
    assert f"{name} 第4行：别名（*）展开后的内容过多（超过{MAX_ALIAS_NODES}项）" in message



def test_recursive_alias_is_refused(folder: Path) -> None:
    (folder / "priorities.yaml").write_text(yaml_recursive_alias(), encoding="utf-8")
    assert "priorities.yaml 第1行：别名（*）引用了它自己所在的内容" in refused(folder)


def test_deep_nesting_is_refused(folder: Path) -> None:
    (folder / "meeting.yaml").write_text(yaml_nested_brackets(), encoding="utf-8")
    assert f"meeting.yaml 第1行：嵌套超过{MAX_YAML_DEPTH}层" in refused(folder)


def test_lone_surrogate_escape_is_refused(folder: Path) -> None:
    path = folder / "meeting.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("purpose: ", 'purpose: "\\ud800"\nx: ', 1), encoding="utf-8")
    assert "含有无效的字符（单独的代理码位" in refused(folder)


def test_oversized_meeting_yaml_is_refused_without_reading_it_all(folder: Path) -> None:
    path = folder / "meeting.yaml"
    with path.open("ab") as stream:
        stream.write(b"# " + b"x" * MAX_YAML_BYTES + b"\n")
    assert "meeting.yaml：文件超过1 MB" in refused(folder)


def test_oversized_projects_yaml_is_refused(tmp_path: Path) -> None:
    from drafting.ledger import load_ledger

    path = tmp_path / "projects.yaml"
    path.write_bytes(b"projects: []\n" + b"#" * MAX_LEDGER_YAML_BYTES)
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value).startswith("projects.yaml：文件超过2 MB")


@pytest.mark.parametrize(
    ("block", "key", "value", "expected"),
    [
        ("notice", "unstarted_months", "100000", "“notice.unstarted_months”：应在1到120之间（实际为100000）"),
        ("notice", "unstarted_months", "1" + "0" * 5000, "“notice.unstarted_months”：数字过大，应为整数"),
        ("notice", "yellow_points", "1e300", "“notice.yellow_points”：应大于0且不超过100（实际为1e+300）"),
        ("notice", "red_points", "500", "“notice.red_points”：应大于0且不超过100（实际为500"),
        ("letters", "year", "99999", "“letters.year”：应在1949到2100之间（实际为99999）"),
    ],
)
def test_numeric_settings_out_of_range_name_the_field(folder: Path, block: str, key: str, value: str, expected: str) -> None:
    path = folder / "meeting.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[block] = {**(data.get(block) or {}), key: "VALUE"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True).replace("VALUE", value), encoding="utf-8")
    message = refused(folder)
    assert "meeting.yaml 第" in message and expected in message


# --- the message cap -------------------------------------------------------------


def test_messages_are_capped_and_the_rest_counted() -> None:
    errors = InputErrors([InputError(f"问题{i}") for i in range(MAX_SHOWN_ERRORS + 30)])
    lines = str(errors).splitlines()
    assert len(lines) == MAX_SHOWN_ERRORS + 1
    assert lines[-1] == f"另有30处问题未列出（只列出前{MAX_SHOWN_ERRORS}处，请改正后再试）"
    again = InputErrors([InputError("另一个文件的问题"), *errors.errors])  # folder.py merges files
    assert again.total == MAX_SHOWN_ERRORS + 31
    assert str(again).splitlines()[-1].startswith("另有31处问题未列出")


def test_aliases_within_the_budget_still_load(tmp_path: Path) -> None:
    from drafting.yamlsource import load_yaml

    path = tmp_path / "a.yaml"
    path.write_text("common: &common [区发改局, 区财政局]\nfirst: *common\nsecond: *common\n", encoding="utf-8")
    assert load_yaml(path).data["second"] == ["区发改局", "区财政局"]
