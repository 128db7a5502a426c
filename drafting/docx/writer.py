"""Document → .docx laid out per GB/T 9704-2012.

Speaks in styles, paragraphs and runs (python-docx's public API); raw XML goes
through ``oxml``, every number comes from the ``StyleProfile``.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.section import Section
from docx.shared import Mm, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from drafting.docx import oxml
from drafting.docx.package import base_package
from drafting.docx.textxml import property_text, table_spec, xml_text
from drafting.docx.imprint import imprint_row_lines, imprint_rows
from drafting.docx.profile import DEFAULT_PROFILE, TWIPS_PER_PT, Margins, StyleProfile, mm_to_pt
from drafting.docx.styles import (
    HEADING_STYLES,
    STYLE_ATTACHMENT_LABEL,
    STYLE_ATTACHMENT_TITLE,
    STYLE_BODY,
    STYLE_BYLINE,
    STYLE_DATE,
    STYLE_FLUSH,
    STYLE_CARRIER,
    STYLE_IMPRINT_CC,
    STYLE_IMPRINT_DATE,
    STYLE_IMPRINT_ISSUER,
    STYLE_NOTE,
    STYLE_NOTE_MORE,
    STYLE_ORGAN,
    STYLE_DOC_NUMBER,
    STYLE_PAGE_NUMBER,
    STYLE_PARTIES,
    STYLE_RED_LINE,
    STYLE_ROSTER,
    STYLE_ROSTER_LABEL,
    STYLE_RUN_IN,
    STYLE_SALUTATION,
    STYLE_SIGNATURE,
    STYLE_TABLE,
    STYLE_TABLE_CAPTION,
    STYLE_TABLE_HEADER,
    STYLE_TABLE_HEADER_WIDE,
    STYLE_TABLE_WIDE,
    STYLE_TITLE,
    CharUnits,
    define_styles,
    text_width_chars,
)
from drafting.document import (
    Attachment,
    AttachmentNote,
    Block,
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
    Roster,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.errors import DraftingError
from drafting.titlebreak import break_title

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def write_docx(document: Document, path: Path, profile: StyleProfile | None = None) -> None:
    """Render ``document`` to ``path`` as a GB/T 9704 Word file."""
    writer = _Writer(profile or DEFAULT_PROFILE)
    writer.render(document)
    try:
        writer.doc.save(str(path))
    except OSError as exc:
        raise DraftingError(f"无法写入 Word 文件 {path}：{exc.strerror or exc}") from exc


class _Writer:
    def __init__(self, profile: StyleProfile) -> None:
        self.p = profile
        self.doc = docx.Document(base_package(profile))
        self.chars = CharUnits(profile.body_char_pt)
        self.landscape = False
        self.shape_ids = 0  # wp:docPr ids of the drawings we add
        self.fresh_page = True  # at the top of a page: no page break needed
        self.break_pending = False
        self.style_ids: dict[str, str] = {}
        self.last_paragraph: DocxParagraph | None = None  # last body-level paragraph written
        define_styles(self.doc, profile)
        self._set_up_first_section()

    # Page setup --------------------------------------------------------

    def _set_up_first_section(self) -> None:
        section = self.doc.sections[0]
        self._apply_page(section, landscape=False)
        self.doc.settings.odd_and_even_pages_header_footer = True
        oxml.set_compatibility_mode(self.doc.settings.element, self.p.word_compatibility_mode)
        self._page_number(section.footer.paragraphs[0], odd=True)
        self._page_number(section.even_page_footer.paragraphs[0], odd=False)

    def _page_number(self, paragraph: DocxParagraph, *, odd: bool) -> None:
        """`— N —` with a real PAGE field: odd pages 右空一字, even pages 左空一字."""
        side = Pt(self.p.page_number_side_chars * self.p.page_number_size_pt)
        paragraph.style = self.doc.styles[STYLE_PAGE_NUMBER]
        if odd:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = side
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.left_indent = side
        paragraph.add_run(f"{self.p.page_number_dash} ")
        oxml.append_page_field(paragraph)
        paragraph.add_run(f" {self.p.page_number_dash}")

    def _landscape_page_numbers(self, section: Section) -> None:
        """Footers of a landscape section: the portrait number, turned with the page and moved to its short edge.

        The footer paragraphs are the portrait ones; each goes into a text box
        along the landscape page's left edge (the sheet's bottom), its text
        turned a quarter clockwise (geometry: ``landscape_page_number_box_mm``).
        """
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            self._page_number(paragraph, odd=odd)
            self.shape_ids += 1
            oxml.wrap_in_rotated_text_box(paragraph, self.p.landscape_page_number_box_mm, self.shape_ids)

    def _without_page_numbers(self, section: Section) -> None:
        """Footers of their own for this section, empty (the section before keeps its numbers)."""
        oxml.drop_footer_references(section)
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False
            for paragraph in footer.paragraphs:
                self._style(paragraph, STYLE_PAGE_NUMBER)

    def _apply_page(self, section: Section, landscape: bool) -> None:
        p = self.p
        margins: Margins = p.margins.rotated() if landscape else p.margins
        width, height = Mm(p.page_width_mm), Mm(p.page_height_mm)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        section.top_margin = Mm(margins.top_mm)
        section.bottom_margin = Mm(margins.bottom_mm)
        section.left_margin = Mm(margins.left_mm)
        section.right_margin = Mm(margins.right_mm)
        section.header_distance = Mm(p.header_distance_mm)
        section.footer_distance = Mm(p.footer_distance_mm - p.margins.bottom_mm + margins.bottom_mm)
        oxml.set_doc_grid(section, p.line_pitch_twips)

    def _type_width_mm(self) -> float:
        return self.p.type_width_for(self.landscape)

    def _new_section(self, start: WD_SECTION, *, restart_numbers: bool) -> Section:
        section = self.doc.add_section(start)
        if not oxml.fold_section_break(self.doc.element.body):
            # After a table the break keeps a paragraph of its own: make it as small as a line can be.
            self._style(self.doc.paragraphs[-1], STYLE_CARRIER)
        oxml.set_page_number_start(section, 1 if restart_numbers else None)
        self.fresh_page = True
        self.break_pending = False
        return section

    def _ensure_orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        section = self._new_section(WD_SECTION.NEW_PAGE, restart_numbers=False)
        self._apply_page(section, landscape)
        if landscape:
            self._landscape_page_numbers(section)
        else:
            oxml.share_footers(self.doc.sections[0], section)  # back to the portrait numbers
        self.landscape = landscape

    def _section_break(self, block: SectionBreak) -> None:
        start = WD_SECTION.ODD_PAGE if block.odd_page else WD_SECTION.NEW_PAGE
        self._new_section(start, restart_numbers=block.restart_page_numbers)

    # Paragraphs --------------------------------------------------------

    def _style(self, paragraph: DocxParagraph, name: str) -> None:
        oxml.set_paragraph_style(paragraph, self.style_ids_for(name))

    def style_ids_for(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.doc.styles[name].style_id
        return self.style_ids[name]

    def _para(self, style: str, text: str = "") -> DocxParagraph:
        paragraph = self.doc.add_paragraph(xml_text(text))
        self._style(paragraph, style)
        self.last_paragraph = paragraph  # doc.paragraphs[-1] would rebuild the whole list
        if self.break_pending and not self.fresh_page:
            paragraph.paragraph_format.page_break_before = True
        self.break_pending = False
        self.fresh_page = False
        return paragraph

    def _right_indent(self, paragraph: DocxParagraph, chars: float) -> None:
        oxml.set_indent_chars(paragraph, right=self.chars(chars))

    # Blocks ------------------------------------------------------------

    def render(self, document: Document) -> None:
        meta = document.meta
        core = self.doc.core_properties
        core.title, core.author, core.subject = (property_text(meta.title), property_text(meta.author), property_text(meta.subject))
        core.last_modified_by = property_text(meta.author)
        core.category = ""  # Word shows 类别; our internal kind ids are English
        core.comments = ""
        core.created = core.modified = _core_datetime(meta)
        if document.red_header is not None:
            self._red_header(document.red_header)
        self._blocks(document.blocks, top_level=True)
        if document.imprint is not None:
            self._imprint(document.imprint)

    def _blocks(self, blocks: list[Block], top_level: bool) -> None:
        for index, block in enumerate(blocks):
            if top_level and not isinstance(block, Attachment):
                self._ensure_orientation(False)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Roster):
                first = index == 0 or not isinstance(blocks[index - 1], Roster)
                self._roster(block, first=first, last=not isinstance(following, Roster))
            else:
                self._block(block, following)

    def _block(self, block: Block, following: Block | None) -> None:
        if isinstance(block, Title):
            paragraph = self._para(STYLE_TITLE)
            lines = [xml_text(line) for line in block.lines]
            if len(lines) == 1:  # not broken by hand: break between words if it does not fit
                lines = break_title(lines[0], self.p.title_chars_per_line, text_width_chars)
            for number, line in enumerate(lines):
                run = paragraph.add_run(line)
                if number < len(lines) - 1:
                    run.add_break()
            if isinstance(following, Byline):
                paragraph.paragraph_format.space_after = Pt(0)
        elif isinstance(block, Byline):
            self._para(STYLE_BYLINE, block.text)
        elif isinstance(block, Salutation):
            self._para(STYLE_SALUTATION, block.text)
        elif isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Enumeration):
            self._enumeration(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Signature):
            self._signature(block)
        elif isinstance(block, PartiesSignature):
            self._parties(block)
        elif isinstance(block, AttachmentNote):
            self._attachment_note(block, isinstance(following, (Signature, PartiesSignature)))
        elif isinstance(block, Attachment):
            self._attachment(block)
        elif isinstance(block, PageBreak):
            self.break_pending = True
        elif isinstance(block, SectionBreak):
            self._section_break(block)
        else:  # pragma: no cover - the Block union is closed
            raise DraftingError(f"无法写入未知的文档块：{type(block).__name__}")

    def _heading(self, heading: Heading) -> None:
        level = min(max(heading.level, 1), len(HEADING_STYLES))
        paragraph = self._para(HEADING_STYLES[level - 1], f"{heading.number}{heading.text}")
        if heading.run_in:
            paragraph.add_run(xml_text(heading.run_in), style=STYLE_RUN_IN)
            # A run-in heading carries its own text: keeping it with the next
            # paragraph would push whole paragraphs to the next page.
            paragraph.paragraph_format.keep_with_next = False

    def _paragraph(self, block: Paragraph) -> None:
        flush = not block.indent or block.align in ("center", "right")
        paragraph = self._para(STYLE_FLUSH if flush else STYLE_BODY, block.text)
        if block.align != "justify":
            paragraph.alignment = _ALIGN[block.align]

    def _enumeration(self, block: Enumeration) -> None:
        if block.inline:
            self._para(STYLE_BODY, block.lead + "".join(block.item_texts()))
            return
        if block.lead:
            self._para(STYLE_BODY, block.lead)
        for text in block.item_texts():
            self._para(STYLE_BODY, text)

    def _table(self, block: Table) -> None:
        """A table: widths from the content, headers broken between words and repeated on every page.

        Rows never split. A table short enough (``table_keep_whole_fraction`` of
        the type area) stays whole and with its caption; a longer one may break
        between rows, its caption and header kept with the first row.
        """
        if block.caption:
            self._para(STYLE_TABLE_CAPTION, block.caption)
        elif self.break_pending and not self.fresh_page:
            self._para(STYLE_FLUSH)  # carries the page break
        self.fresh_page = False
        if self.landscape:
            styles = self.style_ids_for(STYLE_TABLE_HEADER_WIDE), self.style_ids_for(STYLE_TABLE_WIDE)
        else:
            styles = self.style_ids_for(STYLE_TABLE_HEADER), self.style_ids_for(STYLE_TABLE)
        spec = table_spec(block, self.p, self.landscape, *styles)
        if spec is None:
            return
        table = self.doc.add_table(rows=0, cols=len(spec.column_twips))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        oxml.set_table_layout(table, spec.width_twips, spec.column_twips, spec.margin_twips)
        oxml.set_table_borders(table, self.p.table_border_eighths_pt)
        oxml.append_table_rows(table, spec.rows_xml())

    def _keep_with_last_text(self) -> DocxParagraph:
        """Start a closing block: the last text keeps with a blank line that keeps with the block."""
        if self.last_paragraph is not None:
            self.last_paragraph.paragraph_format.keep_with_next = True
        blank = self._para(STYLE_BODY)  # one blank line after the body
        blank.paragraph_format.keep_with_next = True
        return blank

    def _signature(self, block: Signature) -> None:
        p = self.p
        self._keep_with_last_text()
        date_right = p.date_right_chars
        centre = date_right + self._line_width(block.date) / 2 if block.date else None
        for line in block.lines:
            paragraph = self._para(STYLE_SIGNATURE, line)
            width = self._line_width(line)
            right = p.signature_min_right_chars if centre is None else centre - width / 2
            self._right_indent(paragraph, max(right, p.signature_min_right_chars))
            paragraph.paragraph_format.keep_with_next = bool(block.date)
        if block.date:
            paragraph = self._para(STYLE_DATE, block.date)
            self._right_indent(paragraph, date_right)

    def _line_width(self, text: str) -> float:
        """Width of a body line in characters, with the gaps autospace puts between Chinese and Latin or digits."""
        width = text_width_chars(text)
        if self.p.cjk_latin_autospace:
            kinds = [ch.isascii() for ch in text if not ch.isspace()]
            width += self.p.autospace_chars * sum(a != b for a, b in zip(kinds, kinds[1:]))
        return width

    def _parties(self, block: PartiesSignature) -> None:
        self._keep_with_last_text()
        rows = max(len(block.left), len(block.right))
        if rows == 0:
            return
        table = self.doc.add_table(rows=rows, cols=2)
        width_twips = round(mm_to_pt(self._type_width_mm()) * TWIPS_PER_PT)
        half = width_twips // 2
        oxml.set_table_layout(table, width_twips, [half, width_twips - half], 0)
        oxml.set_table_borders(table, None)
        for r, docx_row in enumerate(table.rows):
            oxml.set_row_cant_split(docx_row)
            for cell, lines in zip(docx_row.cells, (block.left, block.right)):
                cell.width = Twips(half)
                paragraph = cell.paragraphs[0]
                self._style(paragraph, STYLE_PARTIES)
                paragraph.add_run(xml_text(lines[r]) if r < len(lines) else "")
                # Word and LibreOffice keep a table together when its rows keep with the next.
                paragraph.paragraph_format.keep_with_next = r < rows - 1

    def _roster(self, block: Roster, first: bool, last: bool) -> None:
        """出席/列席/请假: one blank line after the body, 左空二字, 黑体 label, wrapped lines aligned after the colon."""
        p = self.p
        if first:
            self._keep_with_last_text()
        paragraph = self._para(STYLE_ROSTER)
        label = f"{block.label}{p.roster_colon}"
        paragraph.add_run(xml_text(label), style=STYLE_ROSTER_LABEL)
        paragraph.add_run(xml_text(block.text))
        width = text_width_chars(label)
        if width != p.roster_label_chars:
            oxml.set_indent_chars(paragraph, left=self.chars(p.roster_indent_chars + width), hanging=self.chars(width))
        paragraph.paragraph_format.keep_with_next = not last  # 出席, 列席 and 请假 stay together

    def _attachment_note(self, block: AttachmentNote, signed: bool) -> None:
        """附件说明 one blank line after the body; kept with the body, and with the 署名 when one follows."""
        self._keep_with_last_text()
        numbered = len(block.items) > 1
        for number, item in enumerate(block.items, start=1):
            text = f"{number}. {item}" if numbered else item
            if number == 1:
                paragraph = self._para(STYLE_NOTE, f"{self.p.attachment_note_label}{text}")
            else:
                paragraph = self._para(STYLE_NOTE_MORE, text)
            paragraph.paragraph_format.keep_with_next = signed or number < len(block.items)

    def _attachment(self, block: Attachment) -> None:
        self._ensure_orientation(block.landscape)
        self.break_pending = True
        label = self.p.attachment_label + ("" if block.number is None else str(block.number))
        self._para(STYLE_ATTACHMENT_LABEL, label)
        self._para(STYLE_ATTACHMENT_TITLE, block.title)
        self._blocks(block.blocks, top_level=False)

    def _red_header(self, header: RedHeader) -> None:
        """版头: 份号/密级/紧急程度 flush left at the top, 发文机关标志, 发文字号 (with 签发人), red rule."""
        p = self.p
        if header.letter:
            self.doc.styles[STYLE_ORGAN].font.size = Pt(p.organ_size_for(header.organ))
            self._letter(header)
            return
        marks = [text for text in (header.copy_number, header.secrecy, header.urgency) if text]
        for text in marks:
            paragraph = self._para(STYLE_FLUSH)
            run = paragraph.add_run(xml_text(text))
            if text != header.copy_number:
                oxml.set_run_fonts(run, p.latin_font, p.header_mark_font)
        organs = header.organs()
        longest = max(organs, key=text_width_chars)
        fit = longest if len(organs) > 1 else longest + header.mark
        self.doc.styles[STYLE_ORGAN].font.size = Pt(p.organ_size_for(fit, reserve_chars=self._mark_chars(header)))
        # The organ's top stays 35 mm below the type area's top whatever stands above it.
        top_pt = max(0.0, mm_to_pt(p.organ_top_mm) - len(marks) * p.line_pitch_twips / TWIPS_PER_PT)
        if len(organs) > 1 and header.mark:
            self._joint_organs(header, top_pt)
        else:
            for index, organ in enumerate(organs):
                text = organ + header.mark if len(organs) == 1 else organ
                paragraph = self._para(STYLE_ORGAN, text)
                if index > 0:
                    paragraph.paragraph_format.space_before = Pt(0)
                elif marks:
                    paragraph.paragraph_format.space_before = Pt(top_pt)
        if header.signers:
            self._number_with_signers(header)
        elif header.number:
            self._para(STYLE_DOC_NUMBER, header.number)
        self._para(STYLE_RED_LINE)

    def _mark_chars(self, header: RedHeader) -> int:
        return len(header.mark) if len(header.organs()) > 1 else 0

    def _joint_organs(self, header: RedHeader, top_pt: float) -> None:
        """联合行文: the organ names one per line, 文件 right of them, centred against them."""
        size = self.doc.styles[STYLE_ORGAN].font.size.pt
        spacer = self._para(STYLE_CARRIER)
        oxml.set_paragraph_exact_line(spacer, round(top_pt * TWIPS_PER_PT))
        organs = header.organs()
        names_twips = round(max(text_width_chars(o) for o in organs) * size * TWIPS_PER_PT) + 40
        mark_twips = round((len(header.mark) + 0.5) * size * TWIPS_PER_PT)
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        oxml.set_table_layout(table, names_twips + mark_twips, [names_twips, mark_twips], 0)
        oxml.set_table_borders(table, None)
        names, mark = table.rows[0].cells
        names.width, mark.width = Twips(names_twips), Twips(mark_twips)
        for index, organ in enumerate(organs):
            paragraph = names.paragraphs[0] if index == 0 else names.add_paragraph()
            self._style(paragraph, STYLE_ORGAN)
            paragraph.paragraph_format.space_before = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
            paragraph.add_run(xml_text(organ))
        oxml.set_cell_vertical_center(mark)
        paragraph = mark.paragraphs[0]
        self._style(paragraph, STYLE_ORGAN)
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(xml_text(header.mark))

    def _number_with_signers(self, header: RedHeader) -> None:
        """上行文: 发文字号 左空一字 and 签发人 右空一字 on one line; two names a line, the number on the last."""
        p = self.p
        per_line = max(1, p.signers_per_line)
        lines = [header.signers[i : i + per_line] for i in range(0, len(header.signers), per_line)]
        texts = [p.signer_gap.join(line) for line in lines]
        char_twips = p.body_char_pt * TWIPS_PER_PT
        type_twips = mm_to_pt(self._type_width_mm()) * TWIPS_PER_PT
        label_twips = text_width_chars(p.signer_label) * char_twips
        widest = max(text_width_chars(t) for t in texts) * char_twips
        label_at = round(type_twips - p.signer_side_chars * char_twips - label_twips - widest)
        names_at = round(label_at + label_twips)
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            paragraph = self._para(STYLE_DOC_NUMBER)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            oxml.set_indent_chars(paragraph, left=self.chars(p.signer_side_chars))
            if index > 0:
                paragraph.paragraph_format.space_before = Pt(0)
            tabs = paragraph.paragraph_format.tab_stops
            tabs.add_tab_stop(Twips(label_at))
            tabs.add_tab_stop(Twips(names_at))
            if last and header.number:
                paragraph.add_run(xml_text(header.number))
            paragraph.add_run("\t" + (p.signer_label if index == 0 else "\t"))
            name = paragraph.add_run(xml_text(text))
            oxml.set_run_fonts(name, p.latin_font, p.signer_name_font)

    def _letter(self, header: RedHeader) -> None:
        """信函格式: organ and a red double rule (上粗下细) in the first page's own header, a double rule
        (上细下粗) near the page's foot, no page number on page 1; below the rule 份号/密级/紧急程度 flush
        left and the 发文字号 flush right on the first line."""
        p = self.p
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        head = section.first_page_header
        head.is_linked_to_previous = False
        organ = head.paragraphs[0]
        self._style(organ, STYLE_ORGAN)
        organ.paragraph_format.space_before = Mm(max(0.0, p.letter_organ_top_mm - p.header_distance_mm))
        organ.add_run(xml_text(header.organ))
        rule = head.add_paragraph()
        self._style(rule, STYLE_CARRIER)
        oxml.set_paragraph_exact_line(rule, round(mm_to_pt(p.letter_rule_gap_mm) * TWIPS_PER_PT))
        oxml.set_bottom_border(rule, p.letter_rule_eighths_pt, p.red_color, kind="thickThinSmallGap")
        foot = section.first_page_footer
        foot.is_linked_to_previous = False
        bottom = foot.paragraphs[0]
        self._style(bottom, STYLE_CARRIER)
        height = round(mm_to_pt(1) * TWIPS_PER_PT)
        top = round(mm_to_pt(p.page_height_mm - p.letter_bottom_rule_mm) * TWIPS_PER_PT) - height
        left = round(mm_to_pt(p.margins.left_mm) * TWIPS_PER_PT)
        width = round(mm_to_pt(self._type_width_mm()) * TWIPS_PER_PT)
        oxml.frame_on_page(bottom, left, top, width, height)
        oxml.set_bottom_border(bottom, p.letter_rule_eighths_pt, p.red_color, kind="thinThickSmallGap")
        marks = [text for text in (header.copy_number, header.secrecy, header.urgency) if text]
        for index, text in enumerate(marks or [""]):
            paragraph = self._para(STYLE_FLUSH)
            if text:
                run = paragraph.add_run(xml_text(text))
                if text != header.copy_number:
                    oxml.set_run_fonts(run, p.latin_font, p.header_mark_font)
            if index == 0 and header.number:
                paragraph.paragraph_format.tab_stops.add_tab_stop(
                    Twips(width), alignment=WD_TAB_ALIGNMENT.RIGHT
                )
                paragraph.add_run("\t" + xml_text(header.number))
            if index == max(len(marks), 1) - 1:
                paragraph.paragraph_format.space_after = self._lines_twips(p.red_line_lines_after)

    def _lines_twips(self, count: float) -> Twips:
        return Twips(round(count * self.p.line_pitch_twips))


    def _imprint(self, imprint: Imprint) -> None:
        """版记 at the foot of the last page: a table floated to the bottom of the type area.

        The table is anchored to a tiny last paragraph, so it lands on the page
        the content ends on (after the last attachment). It is always a portrait
        page: after a landscape attachment a new page starts, holding only the
        版记 and so carrying no page number.
        """
        p = self.p
        rows = imprint_rows(imprint, p)
        if not rows:
            return
        if self.landscape:
            self._ensure_orientation(False)
            # This page holds the 版记 alone: no page number (GB/T 9704 7.5).
            self._without_page_numbers(self.doc.sections[-1])
            # LibreOffice takes the page style from the section's first paragraph; a floating table is none.
            self._para(STYLE_CARRIER)
        table = self.doc.add_table(rows=len(rows), cols=2)
        width_twips = round(mm_to_pt(self._type_width_mm()) * TWIPS_PER_PT)
        half = width_twips // 2
        oxml.set_table_layout(table, width_twips, [half, width_twips - half], 0)
        oxml.set_table_rules(
            table, p.imprint_outer_rule_eighths, p.imprint_inner_rule_eighths, p.imprint_outer_rule_eighths
        )
        lines = imprint_row_lines(rows, p, self.landscape)
        heights = [count * p.line_pitch_twips for count in lines]
        top = round(mm_to_pt(p.type_height_mm) * TWIPS_PER_PT) - sum(heights)
        left = round(mm_to_pt(p.margins.left_mm) * TWIPS_PER_PT)
        oxml.float_table_to_page_bottom(table, left, top)
        for r, (texts, docx_row) in enumerate(zip(rows, table.rows)):
            oxml.set_row_cant_split(docx_row)
            oxml.set_row_min_height(docx_row, heights[r])
            cells = [table.cell(r, 0).merge(table.cell(r, 1))] if len(texts) == 1 else docx_row.cells
            styles = (STYLE_IMPRINT_CC,) if len(texts) == 1 else (STYLE_IMPRINT_ISSUER, STYLE_IMPRINT_DATE)
            for cell, text, style in zip(cells, texts, styles):
                paragraph = cell.paragraphs[0]
                self._style(paragraph, style)
                paragraph.add_run(xml_text(text))
        self._para(STYLE_CARRIER)


def _core_datetime(meta: Meta) -> datetime:
    """Created/modified time: the document's date, or now (never python-docx's template date)."""
    if meta.date is not None:
        return datetime.combine(meta.date, time(), tzinfo=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)
