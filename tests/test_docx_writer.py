"""The Word writer, read back with python-docx: page, styles, fonts, blocks, footers, properties."""

from __future__ import annotations

import dataclasses
import datetime

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from drafting.docx import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, write_docx
from drafting.docx import styles as w
from drafting.docx.profile import mm_to_pt
from drafting.docx.oxml import field_instructions
from drafting.document import (
    Attachment,
    AttachmentNote,
    Byline,
    Document,
    Enumeration,
    Heading,
    Imprint,
    Meta,
    PageBreak,
    Paragraph,
    PartiesSignature,
    RedHeader,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.errors import DraftingError

LATIN = "Times New Roman"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def every_block_document() -> Document:
    return Document(
        red_header=RedHeader("某某区人民政府办公室", "某政办发〔2026〕12号"),
        meta=Meta(
            title="关于全区重点项目建设进展情况的通报",
            author="某某区人民政府办公室",
            subject="进度通报",
            kind="notice",
            date=datetime.date(2026, 3, 6),
        ),
        blocks=[
            Title(["关于全区重点项目建设", "进展情况的通报"]),
            Salutation("各街道办事处，区政府各部门："),
            Paragraph("现将有关情况通报如下："),
            Heading(1, "总体进展", number="一、"),
            Heading(2, "开工情况。", number="（一）", run_in="已开工项目三十个。"),
            Heading(3, "竣工情况", number="1."),
            Heading(4, "投产情况", number="（1）"),
            Enumeration(["要加强调度；", "要加强督查。"], lead="要做到两个加强：", inline=True, labels=["一是", "二是"]),
            Enumeration(["抓开工。", "抓投资。"], lead="下步要：", labels=["一是", "二是"]),
            Paragraph("居中的一段", indent=False, align="center"),
            Table([["项目", "投资"], ["甲项目", "3.5"], ["合计", "3.5"]], caption="表1  投资情况", widths=[3, 1], total_row=True),
            PageBreak(),
            Paragraph("分页之后的一段"),
            AttachmentNote(["进展情况表", "滞后项目清单"]),
            Signature(["某某区重点项目建设领导小组办公室"], date="2026年3月6日"),
            PartiesSignature(["甲方（盖章）", "负责人（签字）"], ["乙方（盖章）", "负责人（签字）"]),
            Attachment("进展情况表", [Table([["项目", "单位"], ["甲项目", "区发展改革局"]])], number=1, landscape=True),
            Attachment("滞后项目清单", [Paragraph("某某项目未开工。")], number=2),
        ],
        imprint=Imprint(cc="区委办公室，区人大常委会办公室", issuer="某某区人民政府办公室", date="2026年3月6日"),
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    path = tmp_path_factory.mktemp("docx") / "notice.docx"
    write_docx(every_block_document(), path)
    return docx.Document(str(path))


def paragraph_with(doc: docx.document.Document, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def resolved_rfonts(style) -> dict[str, str]:
    """rFonts slots of a style, following basedOn (nearest definition wins per slot)."""
    slots: dict[str, str] = {}
    while style is not None:
        rpr = style.element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None:
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                slots.setdefault(slot, fonts.get(qn(f"w:{slot}")))
        style = style.base_style
    return slots


def used_paragraph_styles(doc: docx.document.Document) -> list:
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    section = doc.sections[0]
    paragraphs.extend(section.footer.paragraphs)
    paragraphs.extend(section.even_page_footer.paragraphs)
    return list({p.style.style_id: p.style for p in paragraphs}.values())


# Page --------------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins(written):
    section = written.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_section_has_a_line_grid_at_the_body_pitch(written):
    grid = written.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == str(DEFAULT_PROFILE.line_pitch_twips)


def test_landscape_attachment_gets_its_own_rotated_section_then_portrait_again(written):
    orientations = [s.orientation for s in written.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = written.sections[1]
    assert landscape.page_width > landscape.page_height
    margins = (landscape.top_margin, landscape.right_margin, landscape.bottom_margin, landscape.left_margin)
    assert [round(m.mm) for m in margins] == [28, 37, 26, 35]


def test_no_trailing_section_after_a_final_landscape_attachment(tmp_path):
    doc = Document(blocks=[Paragraph("正文"), Attachment("表", [Paragraph("内容")], landscape=True)])
    write_docx(doc, tmp_path / "a.docx")
    sections = docx.Document(str(tmp_path / "a.docx")).sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]


# Fonts and styles ----------------------------------------------------------


def test_every_used_style_sets_all_four_font_slots(written):
    for style in used_paragraph_styles(written):
        slots = resolved_rfonts(style)
        assert None not in slots.values() and len(slots) == 4, style.name
        if style.name != w.STYLE_PAGE_NUMBER:
            assert slots["ascii"] == slots["hAnsi"] == LATIN, style.name
            assert slots["eastAsia"] != LATIN, style.name


def test_styles_xml_has_no_theme_fonts(written):
    styles_xml = written.styles.element.xml
    for attr in THEME_ATTRS:
        assert f"w:{attr}=" not in styles_xml


def test_doc_defaults_are_chinese_body_text(written):
    defaults = written.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == DEFAULT_PROFILE.body_font
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_body_style_is_16pt_fangsong_exact_spacing_condensed(written):
    body = written.styles[w.STYLE_BODY]
    assert resolved_rfonts(body)["eastAsia"] == "仿宋_GB2312"
    normal = written.styles["Normal"]
    assert normal.font.size.pt == 16
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.twips == 579
    spacing = normal.element.rPr.find(qn("w:spacing"))
    assert int(spacing.get(qn("w:val"))) == DEFAULT_PROFILE.char_spacing_twips < 0


def test_body_first_line_indent_is_two_characters(written):
    ind = written.styles[w.STYLE_BODY].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert int(ind.get(qn("w:firstLine"))) == round(2 * DEFAULT_PROFILE.body_char_pt * 20)


def test_title_is_22pt_xiaobiaosong_centred_and_keeps_its_line_breaks(written):
    title = next(p for p in written.paragraphs if p.style.name == w.STYLE_TITLE)
    assert title.text == "关于全区重点项目建设\n进展情况的通报"
    assert title.style.font.size.pt == 22
    assert resolved_rfonts(title.style)["eastAsia"] == "方正小标宋简体"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


@pytest.mark.parametrize(
    "level, font, bold",
    [(1, "黑体", False), (2, "楷体_GB2312", False), (3, "仿宋_GB2312", True), (4, "仿宋_GB2312", False)],
)
def test_heading_styles_fonts_and_outline_levels(written, level, font, bold):
    style = written.styles[w.HEADING_STYLES[level - 1]]
    assert resolved_rfonts(style)["eastAsia"] == font
    assert bool(style.font.bold) is bold
    outline = style.element.pPr.find(qn("w:outlineLvl"))
    assert outline.get(qn("w:val")) == str(level - 1)


def test_headings_are_written_with_their_numbers(written):
    texts = [p.text for p in written.paragraphs if p.style.name in w.HEADING_STYLES]
    assert texts == ["一、总体进展", "（一）开工情况。已开工项目三十个。", "1.竣工情况", "（1）投产情况"]


def test_run_in_text_continues_in_body_font(written):
    heading = paragraph_with(written, "（一）开工情况。已开工项目三十个。")
    run_in = heading.runs[-1]
    assert run_in.text == "已开工项目三十个。"
    assert run_in.style.name == w.STYLE_RUN_IN
    assert resolved_rfonts(run_in.style)["eastAsia"] == "仿宋_GB2312"


def test_body_runs_carry_no_direct_formatting(written):
    for paragraph in written.paragraphs:
        for run in paragraph.runs:
            rpr = run._r.rPr
            children = [] if rpr is None else [c.tag for c in rpr]
            assert children in ([], [qn("w:rStyle")]), paragraph.text


def test_speech_large_profile_enlarges_body_and_title(tmp_path):
    write_docx(Document(blocks=[Title(["讲话"]), Paragraph("正文")]), tmp_path / "s.docx", SPEECH_LARGE_PROFILE)
    doc = docx.Document(str(tmp_path / "s.docx"))
    assert doc.styles["Normal"].font.size.pt == 18
    assert doc.styles[w.STYLE_TITLE].font.size.pt == 24
    assert doc.styles["Normal"].paragraph_format.line_spacing.twips == SPEECH_LARGE_PROFILE.line_pitch_twips


def test_profile_is_frozen_and_its_pitch_fits_the_lines():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_PROFILE.body_size_pt = 12  # type: ignore[misc]
    for profile in (DEFAULT_PROFILE, SPEECH_LARGE_PROFILE):
        height_twips = profile.type_height_mm / 25.4 * 1440
        assert profile.line_pitch_twips * profile.lines_per_page <= height_twips
        assert profile.line_pitch_twips * (profile.lines_per_page + 1) > height_twips


# Blocks --------------------------------------------------------------------


def test_inline_enumeration_is_one_paragraph(written):
    assert paragraph_with(written, "要做到两个加强：一是要加强调度；二是要加强督查。").style.name == w.STYLE_BODY


def test_enumeration_items_are_separate_paragraphs_after_the_lead(written):
    texts = [p.text for p in written.paragraphs]
    start = texts.index("下步要：")
    assert texts[start : start + 3] == ["下步要：", "一是抓开工。", "二是抓投资。"]


def test_aligned_paragraph_is_flush_and_centred(written):
    paragraph = paragraph_with(written, "居中的一段")
    assert paragraph.style.name == w.STYLE_FLUSH
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_table_has_caption_rules_and_single_spaced_small_text(written):
    caption = paragraph_with(written, "表1  投资情况")
    assert caption.style.name == w.STYLE_TABLE_CAPTION
    table = written.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["项目", "投资"], ["甲项目", "3.5"], ["合计", "3.5"]]
    header, body, total = (table.rows[i].cells[0].paragraphs[0].style.name for i in range(3))
    assert (header, body, total) == (w.STYLE_TABLE_HEADER, w.STYLE_TABLE, w.STYLE_TABLE_HEADER)
    cell_style = written.styles[w.STYLE_TABLE]
    assert cell_style.font.size.pt == DEFAULT_PROFILE.table_size_pt == 12  # 小四
    assert cell_style.paragraph_format.line_spacing == 1.0
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    first_width, second_width = (int(c.get(qn("w:w"))) for c in table._tbl.tblGrid)
    margins = 2 * round(mm_to_pt(DEFAULT_PROFILE.table_cell_margin_mm) * 20)
    assert first_width - margins == pytest.approx(3 * (second_width - margins), abs=3)  # ::widths 3 1, text widths


def test_page_break_starts_the_next_paragraph_on_a_new_page(written):
    assert paragraph_with(written, "分页之后的一段").paragraph_format.page_break_before is True


def test_attachment_note_numbers_items_after_the_label(written):
    texts = [p.text for p in written.paragraphs]
    start = texts.index("附件：1. 进展情况表")
    assert texts[start + 1] == "2. 滞后项目清单"
    assert texts[start - 1] == ""  # one blank line after the body


def test_date_is_four_characters_in_and_a_long_signature_two(written):
    signature = paragraph_with(written, "某某区重点项目建设领导小组办公室")
    date = paragraph_with(written, "2026年3月6日")
    assert signature.alignment is None and signature.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT

    def right_chars(paragraph) -> float:
        return int(paragraph._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100

    assert right_chars(date) == DEFAULT_PROFILE.date_right_chars == 4  # 右空四字
    # 16 characters cannot be centred over a 6-character date 4 in: the signature stops 右空二字.
    assert right_chars(signature) == DEFAULT_PROFILE.signature_min_right_chars == 2


def test_parties_signature_is_a_borderless_two_column_table(written):
    table = next(t for t in written.tables if t.cell(0, 0).text == "甲方（盖章）")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["甲方（盖章）", "乙方（盖章）"],
        ["负责人（签字）", "负责人（签字）"],
    ]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_attachments_have_label_and_centred_title(written):
    labels = [p for p in written.paragraphs if p.style.name == w.STYLE_ATTACHMENT_LABEL]
    assert [p.text for p in labels] == ["附件1", "附件2"]
    assert resolved_rfonts(labels[0].style)["eastAsia"] == "黑体"
    titles = [p.text for p in written.paragraphs if p.style.name == w.STYLE_ATTACHMENT_TITLE]
    assert titles == ["进展情况表", "滞后项目清单"]
    assert written.styles[w.STYLE_ATTACHMENT_TITLE].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # The landscape attachment starts a section; the portrait one after it needs no extra break.
    assert not labels[0].paragraph_format.page_break_before
    assert not labels[1].paragraph_format.page_break_before


def test_portrait_attachment_after_body_breaks_the_page(tmp_path):
    write_docx(Document(blocks=[Paragraph("正文"), Attachment("清单", [], number=None)]), tmp_path / "a.docx")
    label = paragraph_with(docx.Document(str(tmp_path / "a.docx")), "附件")
    assert label.paragraph_format.page_break_before is True


def test_red_header_organ_is_red_centred_and_fits_the_line(written):
    organ = written.paragraphs[0]
    assert organ.text == "某某区人民政府办公室"
    style = organ.style
    assert str(style.font.color.rgb) == "FF0000"
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    type_width_pt = DEFAULT_PROFILE.type_width_mm / 25.4 * 72
    assert style.font.size.pt * len(organ.text) <= type_width_pt
    assert written.paragraphs[1].text == "某政办发〔2026〕12号"


def test_red_line_is_a_full_width_red_bottom_border(written):
    line = written.paragraphs[2]
    assert line.style.name == w.STYLE_RED_LINE and line.text == ""
    bottom = line.style.element.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    ind = line.style.element.pPr.find(qn("w:ind"))
    assert ind is None or all(ind.get(qn(a)) in (None, "0") for a in ("w:left", "w:right", "w:leftChars", "w:rightChars"))


# Footers and properties ----------------------------------------------------


def test_odd_and_even_footers_hold_page_fields_right_and_left(written):
    assert written.settings.odd_and_even_pages_header_footer is True
    section = written.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert field_instructions(paragraph) == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.style.font.size.pt == 14
        assert resolved_rfonts(paragraph.style)["eastAsia"] == "宋体"
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and odd.paragraph_format.right_indent.pt == 14
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT and even.paragraph_format.left_indent.pt == 14


def test_core_properties_come_from_meta(written):
    core = written.core_properties
    assert (core.title, core.author, core.subject) == (
        "关于全区重点项目建设进展情况的通报",
        "某某区人民政府办公室",
        "进度通报",
    )


def test_unwritable_path_raises_drafting_error(tmp_path):
    with pytest.raises(DraftingError):
        write_docx(Document(blocks=[Paragraph("正文")]), tmp_path / "missing" / "a.docx")


def test_byline_and_salutation_styles(tmp_path):
    doc = Document(blocks=[Title(["讲话"]), Byline("（张某某  2026年3月6日）"), Salutation("同志们：")])
    write_docx(doc, tmp_path / "s.docx")
    read = docx.Document(str(tmp_path / "s.docx"))
    byline = paragraph_with(read, "（张某某  2026年3月6日）")
    assert resolved_rfonts(byline.style)["eastAsia"] == "楷体_GB2312"
    assert byline.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    salutation = paragraph_with(read, "同志们：")
    assert salutation.style.name == w.STYLE_SALUTATION
    assert salutation.style.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
    # The blank line goes under the byline, not between title and byline.
    assert paragraph_with(read, "讲话").paragraph_format.space_after == 0


def test_section_break_rides_on_the_last_body_paragraph(tmp_path):
    doc = Document(blocks=[Paragraph("正文"), Attachment("表", [Paragraph("内容")], landscape=True)])
    write_docx(doc, tmp_path / "a.docx")
    paragraphs = docx.Document(str(tmp_path / "a.docx")).paragraphs
    assert [p.text for p in paragraphs[:2]] == ["正文", "附件"]
    assert paragraphs[0]._p.pPr.find(qn("w:sectPr")) is not None


def test_closing_blocks_keep_with_the_last_text(written):
    texts = [p.text for p in written.paragraphs]
    last_text = written.paragraphs[texts.index("附件：1. 进展情况表") + 1]
    assert last_text.text == "2. 滞后项目清单" and last_text.paragraph_format.keep_with_next is True
    signature = paragraph_with(written, "某某区重点项目建设领导小组办公室")
    assert signature.paragraph_format.keep_with_next is True
    parties = next(t for t in written.tables if t.cell(0, 0).text == "甲方（盖章）")
    first_row, last_row = parties.rows[0].cells[0].paragraphs[0], parties.rows[-1].cells[0].paragraphs[0]
    assert first_row.paragraph_format.keep_with_next is True and not last_row.paragraph_format.keep_with_next
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in parties.rows)


def test_attachment_note_keeps_with_the_body_above_it(written):
    texts = [p.text for p in written.paragraphs]
    start = texts.index("附件：1. 进展情况表")
    body, blank = written.paragraphs[start - 2], written.paragraphs[start - 1]
    assert body.text == "分页之后的一段" and body.paragraph_format.keep_with_next is True
    assert blank.text == "" and blank.paragraph_format.keep_with_next is True


def test_table_rows_do_not_break_across_pages(written):
    table = next(t for t in written.tables if t.cell(0, 0).text == "项目")
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_core_dates_come_from_meta_date(written):
    core = written.core_properties
    expected = datetime.datetime(2026, 3, 6, tzinfo=datetime.timezone.utc)
    assert core.created == expected and core.modified == expected


def test_core_dates_without_meta_date_are_the_writing_time(tmp_path):
    path = tmp_path / "undated.docx"
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    write_docx(Document(blocks=[Paragraph("正文。")]), path)
    after = datetime.datetime.now(datetime.timezone.utc)
    core = docx.Document(str(path)).core_properties
    assert before <= core.created <= after and core.modified == core.created


# 版记 (imprint) -----------------------------------------------------------------


def imprint_table(doc: docx.document.Document):
    return next(t for t in doc.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None)


def test_imprint_is_a_table_with_the_cc_line_then_issuer_and_date(written):
    rows = [[cell.text for cell in row.cells] for row in imprint_table(written).rows]
    cc = "抄送：区委办公室，区人大常委会办公室。"
    assert rows == [[cc, cc], ["某某区人民政府办公室", "2026年3月6日印发"]]  # the cc cell spans both columns


def test_imprint_comes_after_the_last_attachment(written):
    body = list(written.element.body.iterchildren())
    table = imprint_table(written)._tbl
    last_attachment_text = next(p for p in written.paragraphs if p.text == "某某项目未开工。")._p
    assert body.index(table) > body.index(last_attachment_text)
    assert not any(t.tag == qn("w:tbl") for t in body[body.index(table) + 1 :])  # nothing but the anchor after it
    assert all(p.text == "" for p in body[body.index(table) + 1 :] if p.tag == qn("w:p"))


@pytest.mark.parametrize("style", [w.STYLE_IMPRINT_CC, w.STYLE_IMPRINT_ISSUER, w.STYLE_IMPRINT_DATE])
def test_imprint_text_is_4hao_fangsong(written, style):
    resolved = written.styles[style]
    assert resolved.font.size.pt == 14
    assert resolved_rfonts(resolved)["eastAsia"] == "仿宋_GB2312"
    assert resolved_rfonts(resolved)["ascii"] == LATIN


def test_imprint_cells_use_the_imprint_styles_without_direct_formatting(written):
    table = imprint_table(written)
    styles = [[cell.paragraphs[0].style.name for cell in row.cells] for row in table.rows]
    assert styles == [[w.STYLE_IMPRINT_CC] * 2, [w.STYLE_IMPRINT_ISSUER, w.STYLE_IMPRINT_DATE]]
    assert all(run.font.size is None for row in table.rows for cell in row.cells for run in cell.paragraphs[0].runs)


def test_imprint_indents_one_character_and_wraps_cc_after_the_colon(written):
    char = 14 * 20  # one 4号 character in twips
    cc_ind = written.styles[w.STYLE_IMPRINT_CC].element.pPr.find(qn("w:ind"))
    assert int(cc_ind.get(qn("w:left"))) == 4 * char  # 左空一字 + 抄送：
    assert int(cc_ind.get(qn("w:hanging"))) == 3 * char
    assert int(cc_ind.get(qn("w:right"))) == char
    issuer = written.styles[w.STYLE_IMPRINT_ISSUER]
    date = written.styles[w.STYLE_IMPRINT_DATE]
    assert issuer.paragraph_format.left_indent.pt == 14 and issuer.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert date.paragraph_format.right_indent.pt == 14 and date.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_imprint_rules_are_type_width_with_thick_outer_and_thin_middle_rules(written):
    tbl_pr = imprint_table(written)._tbl.tblPr
    borders = {edge.tag.split("}")[1]: edge for edge in tbl_pr.find(qn("w:tblBorders"))}
    sizes = {name: borders[name].get(qn("w:sz")) for name in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}  # 0.35 mm ≈ 1 pt, 0.25 mm ≈ 0.75 pt
    assert all(borders[name].get(qn("w:val")) == "nil" for name in ("left", "right", "insideV"))
    type_width_twips = round(DEFAULT_PROFILE.type_width_mm / 25.4 * 72 * 20)
    assert int(tbl_pr.find(qn("w:tblW")).get(qn("w:w"))) == type_width_twips


def test_imprint_floats_to_the_bottom_of_the_type_area(written):
    table = imprint_table(written)
    position = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:vertAnchor")) == "margin" and position.get(qn("w:tblpYSpec")) == "bottom"
    assert int(position.get(qn("w:tblpX"))) == round(DEFAULT_PROFILE.margins.left_mm / 25.4 * 72 * 20)
    heights = [int(row._tr.trPr.find(qn("w:trHeight")).get(qn("w:val"))) for row in table.rows]
    type_height_twips = round(DEFAULT_PROFILE.type_height_mm / 25.4 * 72 * 20)
    assert int(position.get(qn("w:tblpY"))) + sum(heights) == type_height_twips


def test_imprint_without_cc_has_only_the_issuer_line(tmp_path):
    path = tmp_path / "imprint.docx"
    write_docx(Document(blocks=[Paragraph("正文。")], imprint=Imprint(issuer="某某区人民政府办公室", date="2026年3月6日")), path)
    table = imprint_table(docx.Document(str(path)))
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["某某区人民政府办公室", "2026年3月6日印发"]]


def test_imprint_cc_keeps_a_single_full_stop(tmp_path):
    path = tmp_path / "imprint.docx"
    write_docx(Document(blocks=[Paragraph("正文。")], imprint=Imprint(cc="区委办公室。")), path)
    table = imprint_table(docx.Document(str(path)))
    assert [cell.text for cell in table.rows[0].cells] == ["抄送：区委办公室。"] * 2
    assert len(table.rows) == 1


def test_long_cc_line_gets_a_taller_row(tmp_path):
    path = tmp_path / "imprint.docx"
    cc = "，".join(["区委办公室", "区人大常委会办公室", "区政协办公室", "区纪委监委机关", "区人民法院", "区人民检察院"])
    write_docx(Document(blocks=[Paragraph("正文。")], imprint=Imprint(cc=cc, issuer="某某区人民政府办公室")), path)
    rows = imprint_table(docx.Document(str(path))).rows
    heights = [int(row._tr.trPr.find(qn("w:trHeight")).get(qn("w:val"))) for row in rows]
    assert heights == [2 * DEFAULT_PROFILE.line_pitch_twips, DEFAULT_PROFILE.line_pitch_twips]


def test_imprint_after_a_landscape_attachment_is_on_a_portrait_page(tmp_path):
    path = tmp_path / "imprint.docx"
    blocks = [Paragraph("正文。"), Attachment("进展情况表", [Table([["项目"], ["甲"]])], landscape=True)]
    write_docx(Document(blocks=blocks, imprint=Imprint(cc="区委办公室")), path)
    doc = docx.Document(str(path))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    body = list(doc.element.body.iterchildren())
    table = imprint_table(doc)._tbl
    section_breaks = [i for i, el in enumerate(body) if el.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None]
    # In the last (portrait) section, which starts with a paragraph of its own (LibreOffice needs one).
    assert body.index(table) - 1 > section_breaks[-1]
    assert body[body.index(table) - 1].tag == qn("w:p")


def test_section_break_starts_on_an_odd_page_numbered_on(tmp_path):
    document = Document(
        blocks=[Title(["甲单位责任书"]), Paragraph("甲。"), SectionBreak(), Title(["乙单位责任书"]), Paragraph("乙。")]
    )
    write_docx(document, tmp_path / "two.docx")
    first, second = docx.Document(str(tmp_path / "two.docx")).sections
    assert second.start_type == WD_SECTION.ODD_PAGE
    numbering = second._sectPr.find(qn("w:pgNumType"))
    assert numbering is None or numbering.get(qn("w:start")) is None


def test_section_break_can_start_a_new_page_numbered_from_one(tmp_path):
    document = Document(
        blocks=[
            Title(["甲单位责任书"]),
            Paragraph("甲。"),
            SectionBreak(restart_page_numbers=True, odd_page=False),
            Title(["乙单位责任书"]),
            Paragraph("乙。"),
        ]
    )
    write_docx(document, tmp_path / "two.docx")
    written = docx.Document(str(tmp_path / "two.docx"))
    first, second = written.sections
    assert second.start_type == WD_SECTION.NEW_PAGE
    numbering = second._sectPr.find(qn("w:pgNumType"))
    assert numbering is not None and numbering.get(qn("w:start")) == "1"
    assert [p.text for p in written.paragraphs if p.text] == ["甲单位责任书", "甲。", "乙单位责任书", "乙。"]
    assert second.footer.is_linked_to_previous and second.even_page_footer.is_linked_to_previous


def test_orientation_sections_continue_the_page_numbers(tmp_path):
    document = Document(
        blocks=[
            Title(["通报"]),
            Paragraph("正文。"),
            SectionBreak(restart_page_numbers=True),
            Paragraph("另一份。"),
            Attachment("表", [Table([["甲", "乙"], ["1", "2"]])], landscape=True),
        ]
    )
    write_docx(document, tmp_path / "a.docx")
    sections = docx.Document(str(tmp_path / "a.docx")).sections
    starts = [s._sectPr.find(qn("w:pgNumType")) for s in sections]
    assert starts[1] is not None and starts[1].get(qn("w:start")) == "1"
    assert all(n is None or n.get(qn("w:start")) is None for n in starts[2:])


def test_control_characters_from_user_text_are_dropped_not_fatal(tmp_path):
    # Excel cells and text copied from Word carry \x0b (line break), \x07 (cell end) and the like;
    # XML 1.0 cannot hold them, so python-docx would raise ValueError mid-build.
    document = Document(
        meta=Meta(title="标题\x07", author="某某\x0b办公室", subject="会议\x1f"),
        blocks=[
            Title(["重点项目\x0b推进会"]),
            Paragraph("一号厂房\x07主体封顶\x0c，二号厂房\x1b基础施工。\ud800"),
            Heading(2, "开工情况。", number="（一）", run_in="已开工\x08项目。"),
            Table([["项目", "进度"], ["厂房\x0b项目", "完成\x0740%"]]),
            Signature(["某某\x01区人民政府"], "2026年3月6日"),
            PartiesSignature(["甲方\x02"], ["乙方\x03"]),
        ],
    )
    path = tmp_path / "ctl.docx"
    write_docx(document, path)
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "一号厂房主体封顶，二号厂房基础施工。" in texts
    assert "（一）开工情况。已开工项目。" in texts
    assert "完成40%" in texts and "厂房项目" in texts
    assert "某某区人民政府" in texts and "甲方" in texts and "乙方" in texts
    assert "重点项目推进会" in "".join(texts)
    assert doc.core_properties.author == "某某办公室"
    assert doc.core_properties.title == "标题"


def test_word_opens_the_file_in_its_current_mode_not_compatibility_mode(written):
    compat = written.settings.element.find(qn("w:compat"))
    modes = [s.get(qn("w:val")) for s in compat if s.get(qn("w:name")) == "compatibilityMode"]
    assert modes == [str(DEFAULT_PROFILE.word_compatibility_mode)] == ["15"]


def test_overlong_properties_are_cut_to_what_word_allows(tmp_path) -> None:
    # a 300-character unit or meeting name must not stop the build (Word allows 255 per property)
    long_name = "区" * 300
    document = Document(
        blocks=[Paragraph(text="正文。")],
        meta=Meta(title=long_name, author=long_name, subject=long_name, kind="letter"),
    )
    path = tmp_path / "长名称.docx"
    write_docx(document, path)
    core = docx.Document(str(path)).core_properties
    for value in (core.title, core.author, core.subject, core.last_modified_by):
        assert len(value) == 255
        assert value.startswith("区" * 254) and value.endswith("…")
