"""placeholder: leftovers a reviewer sends back (XX, ××, X书记, ＿＿＿, 【】, {{ }}, 此处填写)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkhelp import CORRECT_SPEECH, check_text, run_rule

BASE = "同志们：\n"


@pytest.mark.parametrize(
    ("line", "leftover"),
    [
        ("请XX街道抓好落实。", "XX"),
        ("请ＸＸ街道抓好落实。", "ＸＸ"),
        ("全年完成投资××亿元。", "××"),
        ("由○○同志负责。", "○○"),
        ("X书记作了重要讲话。", "X"),
        ("在X市委的坚强领导下。", "X"),
        ("计划于2026年X月开工。", "X"),
        ("联系人：＿＿＿＿。", "＿＿＿＿"),
        ("联系人：____。", "____"),
        ("由【单位名称】牵头。", "【单位名称】"),
        ("会议由{{ speaker }}主持。", "{{ speaker }}"),
        ("{% if x %}全区{% endif %}", "{% if x %}"),
        ("此处填写项目名称。", "此处填写"),
        ("本方案自20XX年起施行。", "XX"),
        ("请于20ＸＸ年底前完成。", "ＸＸ"),
        ("由第×项目组负责。", "×"),
    ],
)
def test_finds_leftover(tmp_path: Path, line: str, leftover: str) -> None:
    findings = check_text(tmp_path, BASE + line, "placeholder")
    assert [f.severity for f in findings][:1] == ["error"]
    assert any(f"“{leftover}”" in f.message for f in findings), [f.message for f in findings]
    assert findings[0].paragraph == 2


@pytest.mark.parametrize(
    "line",
    [
        "二〇二六年三月，全区GDP增长5.2%。",
        "建设5G基站120个，规模3×5米。",
        "推进XR产业和Xbox游戏园项目。",
        "项目总投资1.2亿元，占比100%。",
        "购置X射线机和X光安检设备。",
        "新建厂房规格为长×宽×高60×30×12米。",
        "在Excel中按Ctrl+X剪切，配发iPhone X手机。",
    ],
)
def test_ignores_ordinary_text(tmp_path: Path, line: str) -> None:
    assert check_text(tmp_path, BASE + line, "placeholder") == []


def test_realistic_speech_has_no_placeholder(tmp_path: Path) -> None:
    assert run_rule(CORRECT_SPEECH, "placeholder") == []


def test_one_finding_per_leftover(tmp_path: Path) -> None:
    findings = check_text(tmp_path, BASE + "请XX街道和XX局于X月X日前报送。", "placeholder")
    assert len(findings) == 4


@pytest.mark.parametrize(
    ("line", "leftover"),
    [
        ("全区项目开工率达到近×%。", "×"),
        ("同比增长×，高于全市平均水平。", "×"),
        ("某政办发〔20XX〕12号", "XX"),
        ("某政办发[20xx]12号", "xx"),
    ],
)
def test_x_for_a_figure_or_a_year(tmp_path: Path, line: str, leftover: str) -> None:
    findings = check_text(tmp_path, BASE + line, "placeholder")
    assert [(f.severity, f"“{leftover}”" in f.message) for f in findings] == [("error", True)]


def test_someone_is_a_warning_unless_the_meeting_uses_the_name(tmp_path: Path) -> None:
    text = BASE + "某某同志通报了进展，某某县作了发言。\n某某区人民政府召开推进会，张某某主持。"
    findings = check_text(tmp_path, text, "placeholder")
    assert [(f.severity, f.paragraph) for f in findings] == [("warning", 2)] * 2 + [("warning", 3)] * 2
    known = frozenset({"某某区", "张某某"})
    findings = check_text(tmp_path, text, "placeholder", known_names=known)
    assert [(f.severity, f.paragraph, f.text[:4]) for f in findings] == [("warning", 2, "某某同志")] * 2
