"""declared-count: 我讲四点意见 / 落实好三个机制： / 抓好以下五项工作： must match what follows."""

from __future__ import annotations

from pathlib import Path

from checkhelp import CORRECT_SPEECH, FLAWED_SPEECH, check_text, run_rule, text_to_docx
from drafting.check import CheckConfig, check_document
from drafting.markup import parse_markup


def _messages(tmp_path: Path, text: str) -> list[str]:
    return [f.message for f in check_text(tmp_path, "同志们：\n" + text, "declared-count")]


def test_opening_count_against_level_one_headings(tmp_path: Path) -> None:
    text = "下面，我讲四点意见：\n一、甲\n（一）子\n（二）子\n二、乙\n三、丙\n"
    assert _messages(tmp_path, text) == ["文中说“我讲四点意见”，但其后实际是三个一级标题"]


def test_opening_count_that_matches(tmp_path: Path) -> None:
    assert _messages(tmp_path, "下面，我讲两点意见：\n一、甲\n（一）子\n二、乙\n") == []


def test_inline_items_in_the_same_paragraph(tmp_path: Path) -> None:
    text = "一、甲\n要落实好三个机制：一是包联机制；二是专班机制。\n"
    assert _messages(tmp_path, text) == ["文中说“落实好三个机制”，但其后实际是两项列举（一是、二是……）"]


def test_item_paragraphs_after_the_declaration(tmp_path: Path) -> None:
    text = "一、甲\n要抓好以下五项工作：\n一是抓谋划。\n二是抓开工。\n三是抓投产。\n二、乙\n"
    assert _messages(tmp_path, text) == ["文中说“抓好以下五项工作”，但其后实际是三段列举（一是、二是……）"]


def test_item_paragraphs_with_elaborating_paragraphs_between(tmp_path: Path) -> None:
    # 第一，…… then paragraphs that develop it, then 第二，……: the usual shape of a speech without headings.
    body = "第一，要提高站位。\n项目是经济发展的生命线。\n第二，要突出重点。\n要在招商引资上下功夫。\n"
    assert _messages(tmp_path, "下面，我讲两点意见。\n" + body + "第三，要强化保障。\n各部门要密切配合。\n") == [
        "文中说“我讲两点意见”，但其后实际是三段列举（一是、二是……）"
    ]
    assert _messages(tmp_path, "下面，我讲两点意见。\n" + body + "一是压实责任。\n同志们，让我们共同努力！\n") == []


def test_subheadings_counted_within_the_section_only(tmp_path: Path) -> None:
    text = "一、甲\n重点抓好三个方面：\n（一）子\n（二）子\n二、乙\n（一）子\n（二）子\n"
    assert _messages(tmp_path, text) == ["文中说“重点抓好三个方面”，但其后实际是两个二级标题"]


def test_count_in_a_run_in_heading(tmp_path: Path) -> None:
    text = "一、甲\n（一）强化要素保障。要聚焦三个重点：\n1.土地\n2.资金\n（二）子\n"
    assert _messages(tmp_path, text) == ["文中说“聚焦三个重点”，但其后实际是两个三级标题"]


def test_numbers_without_a_declaration_are_ignored(tmp_path: Path) -> None:
    text = "一、甲\n全区共有45个项目，其中三个项目已竣工。\n（一）子\n"
    assert _messages(tmp_path, text) == []


def test_declaration_with_nothing_countable_is_ignored(tmp_path: Path) -> None:
    assert _messages(tmp_path, "要做到三个坚持：坚持质量第一，坚持安全第一，坚持效率优先。\n") == []


def test_correct_speech_has_no_declared_count_findings() -> None:
    assert run_rule(CORRECT_SPEECH, "declared-count") == []


def test_correct_speech_docx_has_no_declared_count_findings(tmp_path: Path) -> None:
    path = text_to_docx(CORRECT_SPEECH.read_text(encoding="utf-8"), tmp_path / "speech.docx", blank_lines=True)
    assert run_rule(path, "declared-count") == []


def test_flawed_speech_mismatches() -> None:
    findings = run_rule(FLAWED_SPEECH, "declared-count")
    assert [(f.paragraph, f.severity) for f in findings] == [(5, "error"), (10, "error")]


def test_generated_speech_counts_are_consistent() -> None:
    document = parse_markup("下面，我讲[[count]]点意见：\n\n# 甲\n## 子\n## 子\n# 乙\n# 丙\n")
    assert check_document(document, CheckConfig(select=frozenset({"declared-count"}))) == []


def test_past_tense_declaration_against_subheadings(tmp_path: Path) -> None:
    text = "一、回顾\n一年来，我们主要做了6个方面工作：\n（一）甲。\n（二）乙。\n（三）丙。\n二、安排\n"
    assert _messages(tmp_path, text) == ["文中说“主要做了6个方面工作”，但其后实际是三个二级标题"]


def test_declaration_with_you_against_inline_items(tmp_path: Path) -> None:
    text = "过去一年，至少有十个突出亮点：一是总量扩大，二是结构优化，三是动能增强。\n"
    assert _messages(tmp_path, text) == ["文中说“有十个突出亮点”，但其后实际是三项列举（一是、二是……）"]


def test_declaration_ending_with_a_full_stop(tmp_path: Path) -> None:
    text = "今年要着力推进十个方面重点任务。\n一、甲\n二、乙\n"
    assert _messages(tmp_path, text) == ["文中说“着力推进十个方面重点任务”，但其后实际是两个一级标题"]
    text = "要重点把握好以下五个方面。一是稳增长，二是调结构，三是惠民生。\n"
    assert _messages(tmp_path, text) == ["文中说“重点把握好以下五个方面”，但其后实际是三项列举（一是、二是……）"]


def test_statements_that_announce_nothing_are_not_declarations(tmp_path: Path) -> None:
    text = (
        "一、甲\n全年实施了45个项目。\n（一）子\n（二）子\n"
        "二、乙\n全区共有5个项目：东城2个，西城3个。\n（一）子\n（二）子\n"
        "三、丙\n重点推进十个项目建设，确保年底前建成。\n（一）子\n"
    )
    assert _messages(tmp_path, text) == []


def test_a_second_list_in_the_same_paragraph_is_not_counted_twice(tmp_path: Path) -> None:
    text = "要落实好三个机制：一是甲，二是乙，三是丙。还要做到两个坚持：一是丁，二是戊。\n"
    assert _messages(tmp_path, text) == []


def test_item_number_followed_by_a_digit_is_still_an_item(tmp_path: Path) -> None:
    lines = "".join(f"{n}.第{n}件实事。\n" for n in range(1, 20))
    text = f"一、民生\n（一）实事。今年重点办好以下21件民生实事：\n{lines}20.2026年10件民生实事。\n21.5+2就业之家。\n"
    assert _messages(tmp_path, text) == []
    numbering = check_text(tmp_path, "同志们：\n" + text, "numbering")
    assert numbering == []
