"""公文标记 → Document: every directive of docs/markup.md, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.document import (
    Attachment,
    AttachmentNote,
    Byline,
    Enumeration,
    Heading,
    PageBreak,
    Paragraph,
    PartiesSignature,
    Salutation,
    Signature,
    Table,
    Title,
)
from drafting.errors import InputError
from drafting.markup import parse_markup

MARKUP = Path(__file__).parent / "fixtures" / "templating" / "markup"


def parse_fixture(name: str):
    path = MARKUP / name
    return parse_markup(path.read_text(encoding="utf-8"), source=name)


def parse_error(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse_markup(text, source="测试.gw")
    assert info.value.location.file == "测试.gw"
    return info.value


def texts(blocks, kind) -> list[str]:
    return [b.text for b in blocks if isinstance(b, kind)]


# -- speech fixture -------------------------------------------------------------


def test_title_lines_byline_and_salutation() -> None:
    document = parse_fixture("speech.gw")
    title, byline, salutation = document.blocks[:3]
    assert isinstance(title, Title)
    assert title.lines == ["在全区重点项目建设", "推进会上的讲话"]
    assert document.meta.title == "在全区重点项目建设推进会上的讲话"
    assert byline == Byline("（张某某  2026年3月6日）")
    assert salutation == Salutation("同志们：")


def test_adjacent_lines_join_into_one_paragraph_and_blank_lines_split() -> None:
    paragraphs = texts(parse_fixture("speech.gw").blocks, Paragraph)
    assert paragraphs[0] == "今天召开全区重点项目建设推进会，主要任务是总结工作、部署任务。"
    assert paragraphs[1] == "下面，我讲三点意见："
    assert paragraphs[-1] == "同志们，项目建设任务艰巨。让我们……！"


def test_heading_levels_are_numbered() -> None:
    headings = parse_fixture("speech.gw").headings()
    assert [(h.level, h.number, h.text) for h in headings] == [
        (1, "一、", "提高站位，充分认识抓项目的重要意义"),
        (1, "二、", "突出重点，全力以赴推进项目建设"),
        (2, "（一）", "抓开工。"),
        (2, "（二）", "抓投资。"),
        (3, "1.", "抓入库"),
        (3, "2.", "抓统计"),
        (4, "（1）", "应统尽统"),
        (2, "（三）", "抓服务。"),
        (1, "三、", "强化保障，营造比学赶超的浓厚氛围"),
    ]


def test_run_in_heading_takes_following_lines_as_its_text() -> None:
    headings = parse_fixture("speech.gw").headings()
    assert headings[2].run_in == "已签约项目要尽快开工，力争上半年开工率达到80%。"
    assert headings[3].run_in == "要盯住年度计划。"
    assert headings[7].run_in is None
    assert headings[2].full_text == "（一）抓开工。已签约项目要尽快开工，力争上半年开工率达到80%。"


def test_plus_group_runs_on_from_previous_paragraph() -> None:
    document = parse_fixture("speech.gw")
    enumeration = next(b for b in document.blocks if isinstance(b, Enumeration) and b.inline)
    assert enumeration.lead == "要做到三个坚持："
    assert enumeration.items == ["坚持项目为王；", "坚持要素跟着项目走；", "坚持一线工作法。"]
    assert enumeration.labels == ["一是", "二是", "三是"]
    index = document.blocks.index(enumeration)
    assert document.blocks[index - 1] == Paragraph("项目是发展的生命线。")


def test_enum_di_style_and_item_continuation_lines() -> None:
    document = parse_fixture("speech.gw")
    enumeration = [b for b in document.blocks if isinstance(b, Enumeration)][-1]
    assert not enumeration.inline
    assert enumeration.style == "第"
    assert enumeration.item_texts() == [
        "第一，压实责任，每个项目明确一名责任领导。",
        "第二，强化调度。",
        "第三，严格考核。",
    ]


def test_counts_are_filled_in_from_structure() -> None:
    paragraphs = texts(parse_fixture("speech.gw").blocks, Paragraph)
    assert "下面，我讲三点意见：" in paragraphs
    assert "这部分讲三个方面。" in paragraphs


# -- notice fixture -------------------------------------------------------------


def test_backslash_outputs_marker_characters_literally() -> None:
    paragraphs = texts(parse_fixture("notice.gw").blocks, Paragraph)
    assert paragraphs[0] == "# 号楼等项目按字面输出。::title 也按字面输出。"


def test_table_with_caption_widths_total_and_escaped_pipe() -> None:
    document = parse_fixture("notice.gw")
    table = next(b for b in document.blocks if isinstance(b, Table))
    assert table.caption == "表1 分单位完成情况"
    assert table.widths == [1.0, 4.0, 2.0]
    assert table.total_row
    assert table.header_rows == 1
    assert table.rows == [
        ["序号", "单位", "完成投资（亿元）"],
        ["1", "甲街道", "3.5"],
        ["2", "乙街道|开发区", "1.2"],
        ["", "合计", "4.7"],
    ]


def test_table_settings_apply_to_the_next_table_only() -> None:
    document = parse_markup("::total\n| 甲 | 乙 |\n| 1 | 2 |\n\n| 丙 |\n| 3 |\n")
    first, second = [b for b in document.blocks if isinstance(b, Table)]
    assert first.total_row and not second.total_row
    assert second.caption is None and second.widths is None


def test_aligned_and_unindented_paragraphs() -> None:
    document = parse_fixture("notice.gw")
    by_text = {b.text: b for b in document.blocks if isinstance(b, Paragraph)}
    assert (by_text["顶格段落。"].indent, by_text["顶格段落。"].align) == (False, "justify")
    assert by_text["右对齐段落。"].align == "right"
    assert by_text["居中段落。"].align == "center"
    assert by_text["特此通报。"] == Paragraph("特此通报。")


def test_signature_lines_and_date() -> None:
    signature = next(b for b in parse_fixture("notice.gw").blocks if isinstance(b, Signature))
    assert signature.lines == ["某某区重点项目建设", "领导小组办公室"]
    assert signature.date == "2026年3月6日"


def test_attachment_note_numbered_and_placed_right_before_signature() -> None:
    blocks = parse_fixture("notice.gw").blocks
    note_index = next(i for i, b in enumerate(blocks) if isinstance(b, AttachmentNote))
    assert blocks[note_index].items == ["滞后项目清单", "项目进展明细表"]  # the writer numbers them
    assert isinstance(blocks[note_index - 1], Paragraph) and blocks[note_index - 1].text == "特此通报。"
    assert isinstance(blocks[note_index + 1], Signature)


def test_attachments_hold_their_blocks_and_number_headings_afresh() -> None:
    blocks = parse_fixture("notice.gw").blocks
    first, second = [b for b in blocks if isinstance(b, Attachment)]
    assert (first.title, first.number, first.landscape) == ("滞后项目清单", 1, False)
    assert (second.title, second.number, second.landscape) == ("项目进展明细表", 2, True)
    assert isinstance(first.blocks[0], Heading) and first.blocks[0].number == "一、"
    assert isinstance(first.blocks[1], Table) and first.blocks[1].rows[1] == ["甲项目", "征地"]
    assert isinstance(first.blocks[2], PageBreak)
    assert [h.number for h in second.blocks if isinstance(h, Heading)] == ["一、", "（一）"]
    # attachment headings are not the main body's
    assert [h.number for h in parse_fixture("notice.gw").headings()] == ["一、"]


# -- letter fixture -------------------------------------------------------------


def test_parties_lines_pair_up_and_single_attachment_note_has_no_number() -> None:
    blocks = parse_fixture("letter.gw").blocks
    parties = [b for b in blocks if isinstance(b, PartiesSignature)]
    assert len(parties) == 1
    assert parties[0].left == ["甲方（盖章）", "负责人（签字）：", "年  月  日"]
    assert parties[0].right == ["乙方（盖章）", "负责人（签字）：", "年  月  日"]
    index = blocks.index(parties[0])
    assert blocks[index - 1] == AttachmentNote(items=["目标任务清单"])
    attachment = blocks[-1]
    assert isinstance(attachment, Attachment) and attachment.number is None


def test_attachment_note_goes_at_end_of_body_without_signature() -> None:
    blocks = parse_markup("正文。\n::attachment 清单\n内容\n").blocks
    assert [type(b) for b in blocks] == [Paragraph, AttachmentNote, Attachment]


def test_comment_and_pagebreak() -> None:
    blocks = parse_markup("第一行\n::comment 不输出\n第二行\n::pagebreak\n后文\n").blocks
    assert blocks == [Paragraph("第一行第二行"), PageBreak(), Paragraph("后文")]


def test_ascii_words_across_lines_keep_a_space() -> None:
    assert parse_markup("GDP\ngrowth\n").blocks == [Paragraph("GDP growth")]


def test_leading_indentation_is_ignored() -> None:
    blocks = parse_markup("  # 标题\n\t- 甲\n    - 乙\n").blocks
    assert isinstance(blocks[0], Heading) and blocks[0].number == "一、"
    assert isinstance(blocks[1], Enumeration) and blocks[1].items == ["甲", "乙"]


def test_blank_line_separates_two_enumerations() -> None:
    enumerations = [b for b in parse_markup("- 甲\n- 乙\n\n- 丙\n").blocks if isinstance(b, Enumeration)]
    assert [e.labels for e in enumerations] == [["一是", "二是"], ["一是"]]


# -- errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("正文\n::foo 文字\n", 2, "未知的指令“::foo”"),
        ("::\n", 1, "无法识别的指令"),
        ("| 甲 | 乙 |\n| 1 | 2 |\n| 3 |\n", 3, "1格"),
        ("# 标题。 | 正文\n", 1, "一级标题不能用“|”"),
        ("## 标题。 |\n", 1, "“|”后缺少正文"),
        ("正文\n\n::date 2026年3月6日\n", 3, "::date"),
        ("::signature 办公室\n::date 2026年3月6日\n::date 2026年3月7日\n", 3, "已有成文日期"),
        ("##### 五级\n", 1, "最多四级"),
        ("# \n", 1, "标题缺少文字"),
        ("-\n", 1, "缺少文字"),
        ("::title\n", 1, "“::title”后缺少文字"),
        ("::pagebreak 多余\n", 1, "不应有文字"),
        ("::enum 首\n- 甲\n", 1, "“第”或“是”"),
        ("::widths 1 宽\n| 甲 | 乙 |\n", 1, "只能写数字"),
        ("::widths 1 0\n| 甲 | 乙 |\n", 1, "大于0"),
        ("::widths 1 2 3\n| 甲 | 乙 |\n", 1, "3个列宽"),
        ("::caption 表1\n正文\n", 1, "“::caption”之后没有表格"),
        ("\n::enum 第\n正文\n", 2, "“::enum”之后没有列举"),
        ("::total\n::total\n| 甲 |\n", 2, "第1行"),
        ("::parties 甲方 乙方\n", 1, "||"),
    ],
)
def test_errors_name_source_and_line(text: str, line: int, words: str) -> None:
    error = parse_error(text)
    assert error.location.line == line
    assert words in error.message
    assert str(error).startswith(f"测试.gw 第{line}行：")


def test_unknown_placeholder_is_an_error_at_its_line() -> None:
    error = parse_error("# 甲\n\n共[[cnt]]项\n")
    assert error.location.line == 3
    assert "[[cnt]]" in error.message


def test_count_without_following_headings_is_an_error_at_its_line() -> None:
    error = parse_error("# 甲\n# 乙\n本部分讲[[count]]点。\n")
    assert error.location.line == 3
    assert "[[count]]" in error.message


def test_count_items_without_enumeration_is_an_error_at_its_line() -> None:
    error = parse_error("开头\n\n要抓好[[count:items]]件事。\n\n正文\n")
    assert error.location.line == 3
    assert "[[count:items]]" in error.message


def test_placeholder_in_a_table_cell_is_refused() -> None:
    error = parse_error("# 甲\n| 项目 |\n| 共[[count]]项 |\n")
    assert error.location.line == 2
    assert "只能用在正文段落、标题和列举里" in error.message
