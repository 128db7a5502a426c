"""numbering: skipped, repeated, out-of-order numbers; mixed styles; level jumps; 一是……四是."""

from __future__ import annotations

from pathlib import Path

from checkhelp import CORRECT_SPEECH, FLAWED_SPEECH, check_text, run_rule, text_to_docx
from drafting.check import CheckConfig, check_document
from drafting.document import Document, Enumeration, Heading, Paragraph


def _messages(tmp_path: Path, text: str) -> list[str]:
    return [f.message for f in check_text(tmp_path, "同志们：\n" + text, "numbering")]


def test_skipped_level_one_number(tmp_path: Path) -> None:
    messages = _messages(tmp_path, "一、甲\n二、乙\n四、丁\n")
    assert messages == ["序号跳号：“二、”之后是“四、”，缺少“三、”"]


def test_skipped_level_two_number(tmp_path: Path) -> None:
    assert _messages(tmp_path, "一、甲\n（一）子一\n（三）子三\n") == ["序号跳号：“（一）”之后是“（三）”，缺少“（二）”"]


def test_repeated_number(tmp_path: Path) -> None:
    assert _messages(tmp_path, "一、甲\n（一）子\n1.子\n2.子\n2.子\n") == ["序号重复：“2.”出现了两次"]


def test_out_of_order_number(tmp_path: Path) -> None:
    assert _messages(tmp_path, "一、甲\n三、丙\n二、乙\n")[-1] == "序号顺序错误：“三、”之后是“二、”"


def test_numbers_restart_under_each_parent(tmp_path: Path) -> None:
    text = "一、甲\n（一）子\n（二）子\n二、乙\n（一）子\n（二）子\n"
    assert _messages(tmp_path, text) == []


def test_first_number_must_be_one(tmp_path: Path) -> None:
    assert _messages(tmp_path, "一、甲\n（二）子\n") == ["序号应从“（一）”开始，此处为“（二）”"]


def test_mixed_styles_at_one_level(tmp_path: Path) -> None:
    text = "一、甲\n（一）子\n1.项\n2、项\n"
    assert _messages(tmp_path, text) == ["三级标题序号格式不统一：前文用“1.”，此处用“1、”"]


def test_level_jump_reported_once(tmp_path: Path) -> None:
    text = "一、甲\n（一）子\n二、乙\n1.项\n2.项\n"
    assert _messages(tmp_path, text) == ["标题层级跳跃：“二、”之下直接使用“1.”，缺少“（一）”一级"]


def test_two_level_document_is_a_configurable_warning(tmp_path: Path) -> None:
    text = "同志们：\n一、甲\n1、项\n2、项\n二、乙\n1、项\n"
    findings = check_text(tmp_path, text, "numbering")
    assert [(f.severity, f.paragraph) for f in findings] == [("warning", 3)]
    assert "两级标题" in findings[0].message
    assert check_text(tmp_path, text, "numbering", two_level="off") == []
    assert [f.severity for f in check_text(tmp_path, text, "numbering", two_level="error")] == ["error"]


def test_inline_sequence_with_gap(tmp_path: Path) -> None:
    text = "要抓好三件事：一是抓谋划，二是抓开工，四是抓投产。\n"
    assert _messages(tmp_path, text) == ["列举序号跳号：“二是”之后是“四是”，缺少“三是”"]


def test_inline_sequence_across_paragraphs(tmp_path: Path) -> None:
    text = "一、甲\n一是抓谋划。\n二是抓开工。\n二是抓投产。\n"
    assert _messages(tmp_path, text) == ["列举序号重复：“二是”出现了两次"]


def test_first_second_sequence(tmp_path: Path) -> None:
    assert _messages(tmp_path, "第一，抓谋划。第三，抓投产。\n") == ["列举序号跳号：“第一”之后是“第三”，缺少“第二”"]


def test_words_containing_yi_shi_are_not_labels(tmp_path: Path) -> None:
    assert _messages(tmp_path, "统一是前提，唯一是标准，这二是数字。\n") == []


def test_correct_speech_has_no_numbering_findings() -> None:
    assert run_rule(CORRECT_SPEECH, "numbering") == []


def test_correct_speech_as_docx_has_no_numbering_findings(tmp_path: Path) -> None:
    path = text_to_docx(CORRECT_SPEECH.read_text(encoding="utf-8"), tmp_path / "speech.docx", heading_styles=True)
    assert run_rule(path, "numbering") == []


def test_flawed_speech_findings_point_at_paragraphs() -> None:
    findings = run_rule(FLAWED_SPEECH, "numbering")
    assert {(f.paragraph, f.message.split("：")[0]) for f in findings} == {
        (8, "列举序号跳号"),
        (10, "序号跳号"),
        (12, "标题层级跳跃"),
        (13, "三级标题序号格式不统一"),
        (16, "序号跳号"),
    }
    assert all(f.severity == "error" for f in findings)
    assert findings[1].heading == "一、提高站位，充分认识抓项目的重大意义 > （三）狠抓项目开工建设。"


def test_generated_document_with_enumerations_is_clean() -> None:
    document = Document(
        blocks=[
            Heading(1, "提高站位", "一、"),
            Enumeration(items=["抓谋划", "抓开工", "抓投产"], labels=["一是", "二是", "三是"], lead="要做到：", inline=True),
            Heading(1, "狠抓落实", "二、"),
            Paragraph("正文。"),
        ]
    )
    assert check_document(document, CheckConfig(select=frozenset({"numbering"}))) == []


def test_inline_first_label_after_a_word_still_starts_the_sequence(tmp_path: Path) -> None:
    # 一是 right after 其中 (no punctuation) is not a label boundary, but it does open the list.
    text = "一、甲\n全区投资增长5%，其中一是工业投资增长8%，二是基础设施投资增长3%。\n"
    assert _messages(tmp_path, text) == []
    text = "一、甲\n全区投资增长5%，其中一是工业投资增长8%，三是基础设施投资增长3%。\n"
    assert _messages(tmp_path, text) == ["列举序号跳号：“一是”之后是“三是”，缺少“二是”"]
