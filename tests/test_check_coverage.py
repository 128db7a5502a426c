"""coverage: priorities found on jieba token boundaries, counted, located by section."""

from __future__ import annotations

from pathlib import Path

from checkhelp import CORRECT_SPEECH, FLAWED_SPEECH, PRIORITIES, write_text
from drafting.check import CheckConfig, check_files
from drafting.priorities import Priority, load_priorities


def _report(path: Path, priorities: list[Priority]):
    return check_files([path], CheckConfig(priorities=priorities, select=frozenset({"coverage"}))).files[0]


def test_counts_mentions_and_lists_sections(tmp_path: Path) -> None:
    text = "同志们：\n开头要讲双招双引。\n一、甲\n抓好双招双引工作。\n二、乙\n（一）深化双招双引。继续招商引资。\n"
    report = _report(write_text(tmp_path, text), [Priority(name="双招双引", aliases=["招商引资"], min=2)])
    row = report.coverage[0]
    assert (row.priority, row.hits) == ("双招双引", 4)
    assert row.sections == ["开头部分", "一、甲", "二、乙"]
    assert report.findings == []


def test_missing_priority_is_an_error(tmp_path: Path) -> None:
    report = _report(write_text(tmp_path, "同志们：\n一、甲\n抓好项目。\n"), [Priority(name="腾笼换业")])
    assert [(f.rule, f.severity, f.paragraph) for f in report.findings] == [("coverage", "error", None)]
    assert "腾笼换业" in report.findings[0].message and "未提及" in report.findings[0].message


def test_fewer_mentions_than_min(tmp_path: Path) -> None:
    report = _report(write_text(tmp_path, "同志们：\n要优化营商环境。\n"), [Priority(name="营商环境", min=3)])
    assert report.findings[0].message == "重点工作“营商环境”只提及1次，少于要求的3次"


def test_term_at_the_edge_of_a_compound_counts(tmp_path: Path) -> None:
    # 旅游 in 文化旅游业 / 旅游名县, 生态环境 in 生态环境保护督察: a priority named inside a longer compound
    text = "同志们：\n大力发展文化旅游业，创建旅游名县。\n抓好生态环境保护督察反馈问题整改。\n"
    priorities = [Priority(name="旅游"), Priority(name="生态环境")]
    assert [row.hits for row in _report(write_text(tmp_path, text), priorities).coverage] == [2, 1]


def test_term_across_the_middle_of_words_does_not_count(tmp_path: Path) -> None:
    # 民生 in 人民生活 starts and ends inside other words: a coincidence, not a mention
    text = "同志们：\n不断提高人民生活水平。\n"
    report = _report(write_text(tmp_path, text), [Priority(name="民生")])
    assert report.coverage[0].hits == 0


def test_policy_terms_are_single_tokens_for_matching(tmp_path: Path) -> None:
    text = "同志们：\n推进新旧动能转换，深化放管服改革，加快腾笼换业。\n"
    priorities = [Priority(name="新旧动能转换"), Priority(name="放管服"), Priority(name="腾笼换业")]
    assert [row.hits for row in _report(write_text(tmp_path, text), priorities).coverage] == [1, 1, 1]


def test_in_heading_requires_a_heading_mention(tmp_path: Path) -> None:
    text = "同志们：\n一、甲\n要强化要素保障。\n"
    report = _report(write_text(tmp_path, text), [Priority(name="要素保障", in_heading=True)])
    assert report.findings[0].message == "重点工作“要素保障”要求出现在标题中，但没有任何标题提及"
    text = "同志们：\n一、强化要素保障\n正文。\n"
    assert _report(write_text(tmp_path, text, "b.txt"), [Priority(name="要素保障", in_heading=True)]).findings == []


def test_correct_speech_covers_every_priority() -> None:
    report = _report(CORRECT_SPEECH, load_priorities(PRIORITIES))
    assert report.findings == []
    assert all(row.hits >= 1 for row in report.coverage)
    assert {row.priority: row.hits for row in report.coverage}["双招双引"] >= 2


def test_flawed_speech_misses_priorities() -> None:
    report = _report(FLAWED_SPEECH, load_priorities(PRIORITIES))
    missing = sorted(f.message.split("”")[0].split("“")[1] for f in report.findings)
    assert missing == sorted(["双招双引", "放管服", "腾笼换业", "新旧动能转换", "专项债"])


def test_without_priorities_no_coverage(tmp_path: Path) -> None:
    report = check_files([write_text(tmp_path, "同志们：\n正文。\n")], CheckConfig()).files[0]
    assert report.coverage is None


def test_mentions_in_a_glossary_are_located_there() -> None:
    from checkhelp import FIXTURES
    from drafting.check import check_files

    path = FIXTURES / "corpus" / "03_政府工作报告.txt"
    config = CheckConfig(priorities=[Priority(name="旅游"), Priority(name="民生")], select=frozenset({"coverage"}))
    rows = check_files([path], config).files[0].coverage
    assert [(r.priority, r.hits, r.sections) for r in rows] == [
        ("旅游", 5, ["二、2026年工作安排", "名词解释"]),  # 文化旅游业, 全域旅游 ×2, 旅游名县, glossary
        ("民生", 2, ["二、2026年工作安排"]),
    ]
