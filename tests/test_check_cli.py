"""``drafting check``: report formats, rule selection, severities, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkhelp import CORRECT_SPEECH, FLAWED_SPEECH, PRIORITIES, text_to_docx, write_text
from drafting.cli.check import check


def _run(*args: object):
    return CliRunner().invoke(check, [str(a) for a in args])


def test_correct_speech_exits_zero_with_coverage_table() -> None:
    result = _run(CORRECT_SPEECH, "--priorities", PRIORITIES)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.stdout
    assert "重点工作覆盖情况" in result.stdout
    assert "双招双引" in result.stdout and "关键词：" in result.stdout


def test_flawed_speech_exits_one_with_located_findings() -> None:
    result = _run(FLAWED_SPEECH, "--priorities", PRIORITIES)
    assert result.exit_code == 1
    out = result.stdout
    assert "flawed_speech.txt：错误" in out
    assert "第5段" in out and "我讲四点意见" in out
    assert "〔一、提高站位，充分认识抓项目的重大意义 > （三）狠抓项目开工建设。〕" in out
    assert "[警告] repeat：本段与第14段完全相同" in out


def test_json_report_follows_the_schema() -> None:
    result = _run(FLAWED_SPEECH, CORRECT_SPEECH, "--priorities", PRIORITIES, "--format", "json")
    data = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["flawed_speech.txt", "correct_speech.txt"]
    flawed = data["files"][0]
    assert set(flawed) == {"path", "findings", "coverage", "keywords"}
    for finding in flawed["findings"]:
        assert set(finding) == {"rule", "severity", "message", "paragraph", "heading", "text"}
    assert {f["rule"] for f in flawed["findings"]} == {
        "coverage", "placeholder", "numbering", "declared-count", "outdated-term", "repeat"
    }
    row = next(r for r in data["files"][1]["coverage"] if r["priority"] == "双招双引")
    assert row["hits"] >= 2 and row["sections"] == ["二、突出重点，全力推动项目建设提速增效"]
    assert data["files"][1]["findings"] == []


def test_select_and_ignore_by_rule_id() -> None:
    selected = json.loads(_run(FLAWED_SPEECH, "--select", "repeat,outdated-term", "--format", "json").stdout)
    assert {f["rule"] for f in selected["files"][0]["findings"]} == {"repeat", "outdated-term"}
    ignored = json.loads(_run(FLAWED_SPEECH, "--ignore", "numbering, placeholder", "--format", "json").stdout)
    rules = {f["rule"] for f in ignored["files"][0]["findings"]}
    assert "numbering" not in rules and "placeholder" not in rules and "repeat" in rules


def test_warnings_alone_exit_zero_and_severity_can_raise_them() -> None:
    assert _run(FLAWED_SPEECH, "--select", "repeat").exit_code == 0
    raised = _run(FLAWED_SPEECH, "--select", "repeat", "--severity", "repeat=error")
    assert raised.exit_code == 1 and "[错误] repeat" in raised.stdout


def test_severity_can_lower_errors() -> None:
    result = _run(FLAWED_SPEECH, "--select", "placeholder", "--severity", "placeholder=warning")
    assert result.exit_code == 0 and "[警告] placeholder" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "spelling"], "未知的检查规则“spelling”"),
        (["--severity", "repeat"], "格式应为 规则=级别"),
        (["--severity", "repeat=fatal"], "级别“fatal”无效"),
    ],
)
def test_bad_options_exit_two(args: list[str], message: str) -> None:
    result = _run(CORRECT_SPEECH, *args)
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.docx", b""),
        ("fake.docx", "不是 Word 文档".encode()),
        ("corrupt.docx", b"PK\x03\x04" + b"\x00" * 200),
        ("empty.txt", b""),
        ("draft.doc", b"\xd0\xcf\x11\xe0"),
    ],
)
def test_bad_input_exits_two_naming_the_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = _run(CORRECT_SPEECH, path)
    assert result.exit_code == 2
    assert result.output.startswith("错误：") and name in result.output
    assert "Traceback" not in result.output


def test_bad_priorities_file_exits_two(tmp_path: Path) -> None:
    bad = tmp_path / "priorities.yaml"
    bad.write_text("priorities:\n  - aliases: [甲]\n", encoding="utf-8")
    result = _run(CORRECT_SPEECH, "--priorities", bad)
    assert result.exit_code == 2 and "priorities.yaml" in result.output


def test_gbk_text_is_checked(tmp_path: Path) -> None:
    path = write_text(tmp_path, FLAWED_SPEECH.read_text(encoding="utf-8"), "gbk.txt", encoding="gbk")
    utf8 = json.loads(_run(FLAWED_SPEECH, "--format", "json").stdout)["files"][0]["findings"]
    gbk = json.loads(_run(path, "--format", "json").stdout)["files"][0]["findings"]
    assert gbk == utf8


def test_docx_and_text_give_the_same_findings(tmp_path: Path) -> None:
    path = text_to_docx(FLAWED_SPEECH.read_text(encoding="utf-8"), tmp_path / "flawed.docx")
    from_docx = json.loads(_run(path, "--format", "json").stdout)["files"][0]["findings"]
    from_text = json.loads(_run(FLAWED_SPEECH, "--format", "json").stdout)["files"][0]["findings"]
    assert from_docx == from_text
