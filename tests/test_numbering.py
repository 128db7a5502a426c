"""Numbering: heading numbers and resets, 一是 labels, attachments, declared counts."""

from __future__ import annotations

import pytest

from drafting.document import Attachment, Document, Enumeration, Heading, Paragraph
from drafting.errors import InputError
from drafting.markup import parse_markup
from drafting.numbering import apply, cn_numeral
from drafting.templating import filters


def numbers(document: Document) -> list[str]:
    return [h.number for h in document.headings()]


def speech(section_titles: list[str]) -> str:
    """A speech body in 公文标记 with one level-1 heading per title."""
    body = "".join(f"# {title}\n要抓好这项工作。\n\n" for title in section_titles)
    return f"同志们：\n\n下面，我讲[[count]]点意见：\n\n{body}同志们，让我们共同努力！\n"


def test_cn_numeral_is_the_one_the_filter_uses() -> None:
    assert filters.cn_numeral is cn_numeral
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 19, 21, 101)] == ["一", "九", "十", "十一", "十九", "二十一", "一百零一"]
    with pytest.raises(ValueError):
        cn_numeral(-3)


def test_heading_numbers_per_level() -> None:
    document = apply(
        Document(blocks=[Heading(1, "甲"), Heading(2, "乙"), Heading(3, "丙"), Heading(4, "丁"), Heading(4, "戊")])
    )
    assert numbers(document) == ["一、", "（一）", "1.", "（1）", "（2）"]


def test_higher_heading_resets_deeper_counters() -> None:
    text = "# A\n## a\n## b\n### x\n### y\n#### p\n## c\n### z\n#### q\n# B\n## d\n#### r\n"
    assert numbers(parse_markup(text)) == [
        "一、", "（一）", "（二）", "1.", "2.", "（1）", "（三）", "1.", "（1）", "二、", "（一）", "（1）",
    ]


def test_more_than_ten_sections_use_chinese_tens() -> None:
    text = "".join(f"# 第{i}部分\n" for i in range(1, 13))
    assert numbers(parse_markup(text))[9:] == ["十、", "十一、", "十二、"]


def test_enumeration_labels_by_style() -> None:
    document = apply(
        Document(blocks=[Enumeration(items=["甲", "乙", "丙"]), Enumeration(items=["甲", "乙"], style="第")])
    )
    first, second = document.blocks
    assert first.labels == ["一是", "二是", "三是"]
    assert second.labels == ["第一，", "第二，"]


def test_each_attachment_numbers_its_headings_from_scratch() -> None:
    document = apply(
        Document(
            blocks=[
                Heading(1, "正文一"),
                Heading(1, "正文二"),
                Attachment("附件甲", blocks=[Heading(1, "甲一"), Heading(2, "甲一一")]),
                Attachment("附件乙", blocks=[Heading(2, "乙一一"), Heading(1, "乙一")]),
            ]
        )
    )
    first, second = document.blocks[2:]
    assert numbers(document) == ["一、", "二、"]
    assert [h.number for h in first.blocks] == ["一、", "（一）"]
    assert [h.number for h in second.blocks] == ["（一）", "一、"]
    assert (first.number, second.number) == (1, 2)


def test_a_single_attachment_has_no_number() -> None:
    document = apply(Document(blocks=[Paragraph("正文"), Attachment("清单")]))
    assert document.blocks[1].number is None


def test_declared_count_matches_four_sections() -> None:
    document = parse_markup(speech(["提高站位", "突出重点", "强化保障", "转变作风"]))
    assert Paragraph("下面，我讲四点意见：") in document.blocks


def test_declared_count_follows_when_a_section_is_removed() -> None:
    document = parse_markup(speech(["提高站位", "突出重点", "强化保障"]))
    assert Paragraph("下面，我讲三点意见：") in document.blocks
    assert numbers(document) == ["一、", "二、", "三、"]


def test_declared_count_of_two_reads_liang() -> None:
    document = parse_markup(speech(["提高站位", "强化保障"]))
    assert Paragraph("下面，我讲两点意见：") in document.blocks


def test_count_at_top_ignores_attachment_headings() -> None:
    document = parse_markup("讲[[count]]点：\n# 甲\n::attachment 附表\n# 附一\n# 附二\n")
    assert document.blocks[0] == Paragraph("讲一点：")


def test_count_inside_a_section_counts_only_its_subsections() -> None:
    text = (
        "# 甲\n本部分讲[[count]]个方面。\n## a\n### a1\n## b\n"
        "# 乙\n讲[[count]]个方面：\n## c\n## d\n## e\n"
    )
    paragraphs = [b.text for b in parse_markup(text).blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["本部分讲两个方面。", "讲三个方面："]


def test_count_in_a_run_in_heading_counts_its_children() -> None:
    text = "# 甲\n## 抓项目。 | 重点抓[[count]]个环节：\n### 开工\n### 投产\n### 入统\n## 抓服务。\n### 其他\n"
    heading = parse_markup(text).headings()[1]
    assert heading.run_in == "重点抓三个环节："


def test_count_after_a_subsection_counts_the_rest_of_the_parent_scope() -> None:
    text = "# 甲\n## a\n还有[[count]]项：\n### x\n### y\n## b\n### z\n"
    paragraph = next(b for b in parse_markup(text).blocks if isinstance(b, Paragraph))
    assert paragraph.text == "还有两项："


def test_count_items_of_an_inline_lead_counts_its_own_items() -> None:
    text = "要做到[[count:items]]个坚持：\n+ 坚持甲；\n+ 坚持乙；\n+ 坚持丙。\n"
    enumeration = parse_markup(text).blocks[0]
    assert enumeration.lead == "要做到三个坚持："


def test_count_items_looks_ahead_to_the_next_enumeration_within_the_heading() -> None:
    text = "# 甲\n落实好[[count:items]]项机制：\n\n::enum 第\n- 调度\n- 督查\n- 考核\n- 通报\n"
    paragraph = parse_markup(text).blocks[1]
    assert paragraph.text == "落实好四项机制："


def test_count_items_does_not_cross_a_heading() -> None:
    with pytest.raises(InputError) as info:
        parse_markup("落实好[[count:items]]项机制：\n# 甲\n- 调度\n", source="讲话.gw")
    assert info.value.location.line == 1


def test_unresolvable_count_without_locator_quotes_the_text() -> None:
    document = Document(blocks=[Heading(1, "甲"), Paragraph("本部分讲[[count]]点。")])
    with pytest.raises(InputError) as info:
        apply(document)
    assert "本部分讲[[count]]点。" in info.value.message


def test_heading_level_beyond_four_is_refused() -> None:
    with pytest.raises(InputError):
        apply(Document(blocks=[Heading(5, "甲")]))


def test_apply_twice_gives_the_same_result() -> None:
    document = parse_markup(speech(["甲", "乙", "丙", "丁"]))
    before = [repr(b) for b in document.blocks]
    assert [repr(b) for b in apply(document).blocks] == before
