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
        "某某区人民政府召开推进会。",  # 某某 is the house convention for sample names
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
