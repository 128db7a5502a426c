"""Readers: .docx/.txt/.md drafts become the same document model the writer consumes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from checkhelp import CORRECT_SPEECH, text_to_docx, write_text
from drafting.document import Byline, Paragraph, Salutation, Signature, Table, Title
from drafting.errors import InputError
from drafting.readers import load_draft, read_draft

SHORT = """在全区重点项目建设推进会上的讲话
（张某某  2026年3月6日）
同志们：
今天召开推进会。下面，我讲两点意见：
一、提高站位
（一）强化要素保障。全区要抓好要素保障。
1.保障土地
二、狠抓落实
同志们，让我们共同努力！
"""


def _headings(document) -> list[tuple[int, str, str, str | None]]:
    return [(h.level, h.number, h.text, h.run_in) for h in document.headings()]


def test_text_draft_has_title_byline_salutation_and_split_headings(tmp_path: Path) -> None:
    document = read_draft(write_text(tmp_path, SHORT))
    assert isinstance(document.blocks[0], Title) and document.blocks[0].text == "在全区重点项目建设推进会上的讲话"
    assert isinstance(document.blocks[1], Byline)
    assert isinstance(document.blocks[2], Salutation) and document.blocks[2].text == "同志们："
    assert _headings(document) == [
        (1, "一、", "提高站位", None),
        (2, "（一）", "强化要素保障。", "全区要抓好要素保障。"),
        (3, "1.", "保障土地", None),
        (1, "二、", "狠抓落实", None),
    ]
    assert isinstance(document.blocks[-1], Paragraph) and document.blocks[-1].text.startswith("同志们，")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    expected = read_draft(write_text(tmp_path, SHORT, "utf8.txt"))
    document = read_draft(write_text(tmp_path, SHORT, f"{encoding}.txt", encoding=encoding))
    assert document.blocks == expected.blocks


def test_gb18030_only_characters_survive(tmp_path: Path) -> None:
    text = "关于䶮镕同志任职的说明\n同志们：\n𠀀字在 GB18030 中有编码。\n"
    document = read_draft(write_text(tmp_path, text, encoding="gb18030"))
    assert document.blocks[-1].text == "𠀀字在 GB18030 中有编码。"


def test_markdown_hash_lines_are_title_and_headings(tmp_path: Path) -> None:
    text = "# 在推进会上的讲话\n\n同志们：\n\n## 一、提高站位\n\n- 一是正文。\n\n## 狠抓落实\n\n**要**抓好。\n"
    document = read_draft(write_text(tmp_path, text, "draft.md"))
    assert isinstance(document.blocks[0], Title)
    assert _headings(document) == [(1, "一、", "提高站位", None), (2, "", "狠抓落实", None)]
    assert document.blocks[-1] == Paragraph(text="要抓好。")
    assert Paragraph(text="一是正文。") in document.blocks


def test_paragraph_numbers_skip_empty_paragraphs(tmp_path: Path) -> None:
    path = text_to_docx(SHORT, tmp_path / "d.docx", blank_lines=True)
    draft = load_draft(path)
    assert draft.sources == list(range(1, len(draft.document.blocks) + 1))
    heading = draft.document.headings()[1]
    assert draft.source_of(heading) == 6


def test_hand_typed_docx_matches_the_text_reading(tmp_path: Path) -> None:
    text_doc = read_draft(write_text(tmp_path, SHORT))
    docx_doc = read_draft(text_to_docx(SHORT, tmp_path / "d.docx"))
    assert _headings(docx_doc) == _headings(text_doc)
    assert [type(b) for b in docx_doc.blocks] == [type(b) for b in text_doc.blocks]


def test_word_heading_styles_without_numbers_give_levels(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("同志们：")
    document.add_paragraph("提高站位", style="Heading 1")
    document.add_paragraph("正文。")
    document.add_paragraph("强化保障", style="Heading 2")
    path = tmp_path / "styled.docx"
    document.save(str(path))
    assert _headings(read_draft(path)) == [(1, "", "提高站位", None), (2, "", "强化保障", None)]


def test_numbering_text_wins_over_heading_style(tmp_path: Path) -> None:
    path = text_to_docx(SHORT, tmp_path / "d.docx", heading_styles=True)
    assert _headings(read_draft(path))[1] == (2, "（一）", "强化要素保障。", "全区要抓好要素保障。")


def test_variant_numbers_are_recognised_as_headings(tmp_path: Path) -> None:
    text = "同志们：\n一、总体要求\n（一）目标\n1、抓好开工\n2.抓好投产\n(1)细项\n"
    assert [(h.level, h.number) for h in read_draft(write_text(tmp_path, text)).headings()] == [
        (1, "一、"),
        (2, "（一）"),
        (3, "1、"),
        (3, "2."),
        (4, "(1)"),
    ]


def test_numbers_inside_sentences_are_not_headings(tmp_path: Path) -> None:
    text = "同志们：\n1.5亿元的投资已经到位。\n2026年全区共安排项目。\n"
    assert read_draft(write_text(tmp_path, text)).headings() == []


def test_a_list_of_numbers_opening_a_sentence_is_not_a_heading(tmp_path: Path) -> None:
    # 一、二季度 / 1、2月份 open sentences in notices; 三、四季度工作安排 after 二、 is still a heading.
    text = (
        "同志们：\n一、总体情况\n一、二季度全区固定资产投资增长5%。\n1、2月份，全区新开工项目12个。\n"
        "二、存在问题\n二、三产业投资增速放缓。\n三、四季度工作安排\n"
    )
    document = read_draft(write_text(tmp_path, text))
    assert [(h.number, h.text) for h in document.headings()] == [
        ("一、", "总体情况"),
        ("二、", "存在问题"),
        ("三、", "四季度工作安排"),
    ]
    bodies = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "1、2月份，全区新开工项目12个。" in bodies and "二、三产业投资增速放缓。" in bodies


def test_docx_table_cells_are_kept(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("同志们：")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["项目", "单位", "投资"], ["产业园", "发改局", "3.2"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("以上为项目情况。")
    path = tmp_path / "table.docx"
    document.save(str(path))
    draft = load_draft(path)
    tables = [b for b in draft.document.blocks if isinstance(b, Table)]
    assert tables == [Table(rows=[["项目", "单位", "投资"], ["产业园", "发改局", "3.2"]])]
    assert draft.sources == [1, 2, 3]


def test_signature_and_date_at_the_end(tmp_path: Path) -> None:
    text = "关于项目进展情况的通报\n各街道办事处：\n现将有关情况通报如下。\n特此通报。\n某某区人民政府\n2026年3月6日\n"
    document = read_draft(write_text(tmp_path, text))
    assert document.blocks[-1] == Signature(lines=["某某区人民政府"], date="2026年3月6日")


def test_writer_round_trip_keeps_headings_and_paragraphs(tmp_path: Path) -> None:
    writer = pytest.importorskip("drafting.docx.writer")
    from drafting.markup import parse_markup

    source = parse_markup(
        "::title 在全区重点项目建设推进会上的讲话\n::byline （张某某  2026年3月6日）\n::salutation 同志们：\n"
        "下面，我讲[[count]]点意见：\n\n# 提高站位\n项目是经济发展的生命线。\n\n"
        "## 强化要素保障。 | 全区要抓好要素保障。\n### 保障土地\n- 盘活存量\n- 用好增量\n\n# 狠抓落实\n"
        "| 项目 | 单位 |\n| 产业园 | 发改局 |\n\n::signature 某某区人民政府\n::date 2026年3月6日\n"
    )
    path = tmp_path / "speech.docx"
    writer.write_docx(source, path)
    document = read_draft(path)
    assert _headings(document) == _headings(source)
    expected_paragraphs = ["下面，我讲两点意见：", "项目是经济发展的生命线。", "一是盘活存量", "二是用好增量"]
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == expected_paragraphs
    assert document.title.text == source.title.text
    assert [b for b in document.blocks if isinstance(b, Signature)] == [Signature(["某某区人民政府"], "2026年3月6日")]


def test_realistic_speech_reads_as_text_and_docx_alike(tmp_path: Path) -> None:
    text = CORRECT_SPEECH.read_text(encoding="utf-8")
    from_text = read_draft(CORRECT_SPEECH)
    from_docx = read_draft(text_to_docx(text, tmp_path / "speech.docx"))
    assert from_docx.blocks == from_text.blocks
    assert [h.level for h in from_text.headings()].count(1) == 4
    assert len(from_text.headings()) == 16


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b"  \n\r\n ", "文件为空"),
        ("empty.docx", b"", "文件为空"),
        ("fake.docx", "这其实是一个文本文件".encode(), "不是有效的 Word 文档"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "这是旧版 Word/WPS 文件"),
        ("draft.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("binary.txt", bytes(range(256)) * 4, "文件"),
    ],
)
def test_bad_input_raises_input_error_naming_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_draft(path)
    assert message in str(caught.value)
    assert name in str(caught.value)


def test_corrupt_zip_named_docx_is_bad_input(tmp_path: Path) -> None:
    good = text_to_docx(SHORT, tmp_path / "good.docx")
    data = good.read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(data[: len(data) // 2] + b"\x00" * 64 + data[-200:])
    with pytest.raises(InputError) as caught:
        read_draft(broken)
    assert "broken.docx" in str(caught.value)


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="文件不存在"):
        read_draft(tmp_path / "无此文件.docx")


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    # Drafts under review carry tracked changes: inserted text counts, deleted text does not.
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    paragraph = document.add_paragraph("全区要抓好")
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="甲"><w:r><w:t>XX局和</w:t></w:r></w:ins>'))
    paragraph.add_run("专项债工作。")
    paragraph._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="甲"><w:r><w:delText>旧的说法</w:delText></w:r></w:del>'))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0]._p.append(parse_xml(f'<w:ins {w} w:id="4" w:author="甲"><w:r><w:t>新增项目</w:t></w:r></w:ins>'))
    table.cell(0, 1).text = "区发改局"
    inserted_only = document.add_paragraph()
    inserted_only._p.append(parse_xml(f'<w:ins {w} w:id="3" w:author="甲"><w:r><w:t>新增的一段。</w:t></w:r></w:ins>'))
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    texts = [b.text for b in read_draft(path).blocks if isinstance(b, Paragraph)]
    assert texts == ["全区要抓好XX局和专项债工作。", "新增的一段。"]
    assert [b.rows for b in read_draft(path).blocks if isinstance(b, Table)] == [[["新增项目", "区发改局"]]]
