"""punctuation, number-usage, date, doc-number, confused-word: what each catches and what it leaves alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkhelp import check_text
from drafting.check.wordlist import load_confused_words

BASE = "同志们：\n"


def _messages(tmp_path: Path, line: str, rule: str) -> list[str]:
    return [f.message for f in check_text(tmp_path, BASE + line, rule)]


@pytest.mark.parametrize(
    "line",
    [
        "全年完成投资3.5亿元，增长2.5%，带动就业1,000人。",
        "详见网站https://www.example.gov.cn/index.html，或发邮件至office@example.cn。",
        "引进GDP核算方法（SNA 2008），推广BIM技术(Building Information Modeling)。",
        "会议于上午9:00开始，比分3:2。",
        "工作进展顺利……下一步要抓好落实。",
        "“十五五”规划纲要提出，要建设《云溪区国土空间规划》确定的〔2026〕年度项目。",
    ],
)
def test_punctuation_leaves_numbers_english_and_urls_alone(tmp_path: Path, line: str) -> None:
    assert _messages(tmp_path, line, "punctuation") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("全区项目进展顺利,投资增长较快。", "半角“,”"),
        ("要抓好三件事:谋划、开工、投产。", "半角“:”"),
        ("工作要点(征求意见稿)已印发。", "全角括号"),
        ("今年要重点抓好项目建设。。", "标点重复"),
        ("要统筹推进，。", "标点重复"),
        ("项目、资金、土地...都要保障。", "省略号"),
        ("项目、资金、土地。。。都要保障。", "省略号"),
        ("请报送《项目清单。", "未配对的前书名号"),
        ("他说：“要抓落实。", "未配对的前引号"),
    ],
)
def test_punctuation_catches(tmp_path: Path, line: str, expected: str) -> None:
    messages = _messages(tmp_path, line, "punctuation")
    assert len(messages) == 1 and expected in messages[0], messages


def test_heading_end_marks(tmp_path: Path) -> None:
    text = "一、总体要求。\n（一）强化保障。全区要抓好落实。\n二、主要任务\n（一）项目建设，\n"
    findings = check_text(tmp_path, BASE + text, "punctuation")
    assert [(f.paragraph, f.severity) for f in findings] == [(2, "warning"), (5, "warning")]
    # a numbered paragraph of a 复函 (一、同意……。) is not a heading
    assert check_text(tmp_path, BASE + "一、同意将项目调入名单，请抓紧办理。\n二、请做好保障工作。\n", "punctuation")[0].paragraph == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("二0二五年全区完成投资112亿元。", "混用"),
        ("开工率达到百分之85。", "百分之"),
        ("新增就业3千人。", "千"),
        ("完成投资约5亿元左右。", "表意重复"),
        ("新增企业超过20家以上。", "表意重复"),
    ],
)
def test_number_usage_catches(tmp_path: Path, line: str, expected: str) -> None:
    messages = _messages(tmp_path, line, "number-usage")
    assert len(messages) == 1 and expected in messages[0], messages


def test_number_usage_leaves_correct_forms_alone(tmp_path: Path) -> None:
    line = "二〇二六年，全区投资增长5%左右，约有三成项目开工，新增3万个岗位，修建5千米道路，工期3—5个月，其余项目4—6个月。"
    assert _messages(tmp_path, line, "number-usage") == []


def test_ranges_written_two_ways_are_reported_once(tmp_path: Path) -> None:
    findings = check_text(tmp_path, BASE + "工期3—5个月。\n工期4~6个月，另有2~3个月。\n", "number-usage")
    assert [(f.paragraph, f.severity) for f in findings] == [(3, "warning")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026年2月30日前完成。", "2026年2月没有30日"),
        ("2025年2月29日前完成。", "没有29日"),
        ("二〇二六年十三月一日前完成。", "没有13月"),
        ("会议定于2026年3月6日（星期四）召开。", "2026年3月6日是星期五"),
        ("会议定于2026年3月10日星期三召开。", "星期二"),
        ("4月31日前报送。", "没有31日"),
    ],
)
def test_date_catches(tmp_path: Path, line: str, expected: str) -> None:
    messages = _messages(tmp_path, line, "date")
    assert len(messages) == 1 and expected in messages[0], messages


def test_date_leaves_real_dates_alone(tmp_path: Path) -> None:
    line = "2024年2月29日、2月29日、2026年3月6日（星期五）、2026年3月8日（周日）都是真实日期，版本号1.2.3不是日期。"
    assert _messages(tmp_path, line, "date") == []


def test_dates_in_different_forms(tmp_path: Path) -> None:
    text = "2026年3月6日召开会议。\n3月10日前报送，2026.3.20前完成，2026.3.25前验收。\n"
    findings = check_text(tmp_path, BASE + text, "date")
    assert [(f.paragraph, f.severity) for f in findings] == [(3, "warning")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("根据某政发[2026]12号文件。", "六角括号"),
        ("根据某政发(2026)12号文件。", "六角括号"),
        ("根据某政发【2026】12号文件。", "六角括号"),
        ("根据某政发〔2026〕第12号文件。", "不加“第”"),
        ("根据某政发〔2026〕012号文件。", "“012号”应为“12号”"),
    ],
)
def test_doc_number_catches(tmp_path: Path, line: str, expected: str) -> None:
    messages = _messages(tmp_path, line, "doc-number")
    assert len(messages) == 1 and expected in messages[0], messages


def test_doc_number_leaves_correct_numbers_and_other_brackets_alone(tmp_path: Path) -> None:
    line = "根据某政发〔2026〕12号、某办函〔2025〕108号文件，2026年（第12期）简报。"
    assert _messages(tmp_path, line, "doc-number") == []


@pytest.mark.parametrize("entry", load_confused_words(), ids=lambda e: e.wrong)
def test_every_confused_word_entry_has_a_reason_and_fires_only_in_its_context(tmp_path: Path, entry) -> None:
    assert entry.reason and entry.context
    assert entry.wrong_example and entry.right_example
    wrong = check_text(tmp_path, BASE + entry.wrong_example, "confused-word")
    assert [f"“{entry.wrong}”应为“{entry.right}”" in f.message for f in wrong] == [True]
    assert check_text(tmp_path, BASE + entry.right_example, "confused-word") == []


def test_confused_words_leave_correct_uses_alone(tmp_path: Path) -> None:
    line = "报名于3月6日截止，生活必需品供应充足，搭建帐篷，欢度春节，反应迅速，燃气泄漏。"
    assert _messages(tmp_path, line, "confused-word") == []
