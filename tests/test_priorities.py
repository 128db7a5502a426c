"""priorities.yaml: valid loads, defaults, and bad input reported with line and field."""

from pathlib import Path

import pytest

from drafting.errors import InputError, InputErrors
from drafting.priorities import Priority, load_priorities

FIXTURE = Path(__file__).parent / "fixtures" / "input" / "valid_meeting" / "priorities.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "priorities.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def only_error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_priorities(path)
    found = info.value.errors if isinstance(info.value, InputErrors) else [info.value]
    assert len(found) == 1, [str(e) for e in found]
    return str(found[0])


def test_fixture_loads():
    priorities = load_priorities(FIXTURE)
    assert [p.name for p in priorities] == ["双招双引", "要素保障", "开工"]
    first = priorities[0]
    assert first.aliases == ["招商引资", "招才引智"] and first.terms == ["双招双引", "招商引资", "招才引智"]
    assert priorities[1].in_heading is True and priorities[2].min == 2


def test_defaults(tmp_path):
    (p,) = load_priorities(write(tmp_path, "priorities:\n  - name: 营商环境\n"))
    assert p == Priority(name="营商环境", aliases=[], min=1, in_heading=False)


def test_single_alias_may_be_a_string(tmp_path):
    (p,) = load_priorities(write(tmp_path, "priorities:\n  - name: 双招双引\n    aliases: 招商引资\n"))
    assert p.aliases == ["招商引资"]


def test_empty_file_and_empty_list(tmp_path):
    assert load_priorities(write(tmp_path, "")) == []
    assert load_priorities(write(tmp_path, "priorities: []\n")) == []


def test_min_must_be_at_least_one(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: 甲\n    min: 0\n"))
    assert message.startswith("priorities.yaml 第3行 “priorities.min”：应在1到1000之间（实际为0）")


def test_min_must_be_an_integer(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: 甲\n    min: 两次\n"))
    assert message == "priorities.yaml 第3行 “priorities.min”：应为整数，而不是“两次”"


def test_missing_name(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: 甲\n  - min: 2\n"))
    assert message == "priorities.yaml 第3行 “priorities.name”：缺少必填项"


def test_unknown_key_suggests_the_right_one(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: 甲\n    alias: [乙]\n"))
    assert message.startswith("priorities.yaml 第3行 “priorities.alias”：不认识的键“alias”，是不是“aliases”？")


def test_in_heading_must_be_boolean(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: 甲\n    in_heading: 必须\n"))
    assert message.startswith("priorities.yaml 第3行 “priorities.in_heading”：应为 true 或 false")


def test_duplicate_names(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: 甲\n  - name: 乙\n  - name: 甲\n"))
    assert message == "priorities.yaml 第4行 “priorities.name”：重点工作“甲”重复（第2行已有）"


def test_syntax_error(tmp_path):
    message = only_error(write(tmp_path, "priorities:\n  - name: [甲\n"))
    assert message.startswith("priorities.yaml 第") and "YAML 格式错误" in message
