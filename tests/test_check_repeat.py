"""repeat: the same paragraph or sentence written twice."""

from __future__ import annotations

from pathlib import Path

from checkhelp import CORRECT_SPEECH, FLAWED_SPEECH, check_text, run_rule


def test_repeated_paragraph(tmp_path: Path) -> None:
    text = "同志们：\n营商环境就是生产力，要抓好项目服务。\n一、甲\n营商环境就是生产力，要抓好项目服务。\n"
    findings = check_text(tmp_path, text, "repeat")
    assert [(f.paragraph, f.message, f.severity) for f in findings] == [(4, "本段与第2段完全相同", "warning")]


def test_repeated_sentence_in_different_paragraphs(tmp_path: Path) -> None:
    sentence = "各部门主要负责同志是第一责任人，要亲自抓。"
    text = f"同志们：\n{sentence}其他内容一。\n另起一段。{sentence}\n"
    findings = check_text(tmp_path, text, "repeat")
    assert len(findings) == 1
    assert findings[0].paragraph == 3 and findings[0].message.startswith("句子与第2段重复")


def test_repeated_sentence_in_one_paragraph(tmp_path: Path) -> None:
    sentence = "各部门主要负责同志是第一责任人，要亲自抓。"
    findings = check_text(tmp_path, f"同志们：\n{sentence}中间。{sentence}\n", "repeat")
    assert [f.message for f in findings] == ["同一段内句子重复"]


def test_short_repeats_are_fine(tmp_path: Path) -> None:
    text = "同志们：\n一、甲\n要抓落实。\n二、乙\n要抓落实。\n"
    assert check_text(tmp_path, text, "repeat") == []


def test_correct_speech_has_no_repeats() -> None:
    assert run_rule(CORRECT_SPEECH, "repeat") == []


def test_flawed_speech_repeats() -> None:
    assert [f.paragraph for f in run_rule(FLAWED_SPEECH, "repeat")] == [15, 17]
