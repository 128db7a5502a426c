"""The named styles of a 公文 document, built from a StyleProfile.

Every paragraph and run the writer emits refers to one of these styles, so
the body carries no direct character formatting.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.styles.style import BaseStyle

from drafting.docx import oxml
from drafting.docx.profile import TWIPS_PER_PT, StyleProfile, mm_to_pt
from drafting.docx.stylenames import (  # noqa: F401 - the names are part of this module's interface
    HEADING_STYLES,
    STYLE_ATTACHMENT_LABEL,
    STYLE_ATTACHMENT_TITLE,
    STYLE_BODY,
    STYLE_BYLINE,
    STYLE_CARRIER,
    STYLE_DATE,
    STYLE_DOC_NUMBER,
    STYLE_FLUSH,
    STYLE_IMPRINT_CC,
    STYLE_IMPRINT_DATE,
    STYLE_IMPRINT_ISSUER,
    STYLE_NOTE,
    STYLE_NOTE_MORE,
    STYLE_ORGAN,
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
    text_width_chars,
)


def define_styles(doc: DocxDocument, profile: StyleProfile) -> None:
    """Add the 公文 styles to ``doc`` and make Normal the body text (fonts, grid, spacing)."""
    _StyleSheet(doc, profile).define()


class _StyleSheet:
    def __init__(self, doc: DocxDocument, profile: StyleProfile) -> None:
        self.doc = doc
        self.p = profile
        self.chars = CharUnits(profile.body_char_pt)

    def _lines(self, count: float) -> Twips:
        return Twips(round(count * self.p.line_pitch_twips))

    def _paragraph_style(
        self,
        name: str,
        east_asia: str | None = None,
        size_pt: float | None = None,
        *,
        base: str = STYLE_BODY,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent_chars: float | None = 0,
    ) -> BaseStyle:
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles[base]
        style.quick_style = True
        style.font.bold = bold
        if size_pt is not None:
            style.font.size = Pt(size_pt)
        oxml.set_style_fonts(style, self.p.latin_font, east_asia or self.p.body_font)
        if align is not None:
            style.paragraph_format.alignment = align
        if indent_chars is not None:
            oxml.set_indent_chars(style, first_line=self.chars(indent_chars))
        return style

    def define(self) -> None:
        p = self.p
        styles = self.doc.styles
        oxml.strip_theme_fonts(styles.element)
        oxml.set_doc_defaults(styles.element, p.latin_font, p.body_font, p.body_size_pt, p.east_asia_lang)

        normal = styles["Normal"]
        oxml.set_style_fonts(normal, p.latin_font, p.body_font)
        normal.font.size = Pt(p.body_size_pt)
        oxml.set_style_char_spacing(normal, p.char_spacing_twips)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False
        oxml.set_style_exact_line(normal, p.line_pitch_twips)
        oxml.set_style_autospace(normal, p.cjk_latin_autospace)
        oxml.set_style_overflow_punct(normal)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

        body = self._paragraph_style(STYLE_BODY, base="Normal", indent_chars=p.first_line_indent_chars)
        body.quick_style = True
        self._paragraph_style(STYLE_FLUSH)
        self._paragraph_style(STYLE_SALUTATION)
        self._paragraph_style(STYLE_PARTIES, align=WD_ALIGN_PARAGRAPH.LEFT)

        title = self._paragraph_style(STYLE_TITLE, p.title_font, p.title_size_pt, align=WD_ALIGN_PARAGRAPH.CENTER)
        oxml.set_style_char_spacing(title, p.title_char_spacing_twips)
        title.paragraph_format.space_after = self._lines(p.title_lines_after)
        title.paragraph_format.keep_with_next = True
        byline = self._paragraph_style(STYLE_BYLINE, p.byline_font, align=WD_ALIGN_PARAGRAPH.CENTER)
        byline.paragraph_format.space_after = self._lines(p.title_lines_after)

        for level, name in enumerate(HEADING_STYLES, start=1):
            heading = self._paragraph_style(
                name,
                p.heading_font(level),
                bold=p.heading_is_bold(level),
                indent_chars=p.first_line_indent_chars,
            )
            heading.paragraph_format.keep_with_next = True
            oxml.set_style_outline_level(heading, level - 1)
        run_in = styles.add_style(STYLE_RUN_IN, WD_STYLE_TYPE.CHARACTER)
        run_in.font.bold = False
        oxml.set_style_fonts(run_in, p.latin_font, p.body_font)

        self._paragraph_style(STYLE_SIGNATURE, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self._paragraph_style(STYLE_DATE, align=WD_ALIGN_PARAGRAPH.RIGHT)
        label_width = text_width_chars(p.attachment_note_label)
        note = self._paragraph_style(STYLE_NOTE, indent_chars=None)
        oxml.set_indent_chars(
            note,
            left=self.chars(p.first_line_indent_chars + label_width),
            hanging=self.chars(label_width),
        )
        note_more = self._paragraph_style(STYLE_NOTE_MORE, indent_chars=None)
        oxml.set_indent_chars(note_more, left=self.chars(p.first_line_indent_chars + label_width), first_line=(0, 0))

        roster = self._paragraph_style(STYLE_ROSTER, indent_chars=None, align=WD_ALIGN_PARAGRAPH.LEFT)
        oxml.set_indent_chars(
            roster, left=self.chars(p.roster_indent_chars + p.roster_label_chars), hanging=self.chars(p.roster_label_chars)
        )
        roster_label = styles.add_style(STYLE_ROSTER_LABEL, WD_STYLE_TYPE.CHARACTER)
        roster_label.font.bold = False
        oxml.set_style_fonts(roster_label, p.latin_font, p.roster_label_font)

        self._paragraph_style(STYLE_ATTACHMENT_LABEL, p.attachment_label_font, align=WD_ALIGN_PARAGRAPH.LEFT)
        attachment_title = self._paragraph_style(
            STYLE_ATTACHMENT_TITLE, p.title_font, p.title_size_pt, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        oxml.set_style_char_spacing(attachment_title, p.title_char_spacing_twips)
        attachment_title.paragraph_format.space_before = self._lines(p.attachment_title_lines_before)
        attachment_title.paragraph_format.space_after = self._lines(p.attachment_title_lines_after)

        caption = self._paragraph_style(STYLE_TABLE_CAPTION, p.table_caption_font, align=WD_ALIGN_PARAGRAPH.CENTER)
        caption.paragraph_format.keep_with_next = True
        for name, font in ((STYLE_TABLE, p.table_font), (STYLE_TABLE_HEADER, p.table_header_font)):
            cell = self._paragraph_style(name, font, p.table_size_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
            self._single_spaced(cell)
        for name, font in ((STYLE_TABLE_WIDE, p.table_font), (STYLE_TABLE_HEADER_WIDE, p.table_header_font)):
            cell = self._paragraph_style(name, font, p.landscape_table_size_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
            self._single_spaced(cell)
        for name in (STYLE_TABLE_HEADER, STYLE_TABLE_HEADER_WIDE):
            styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

        page_number = self._paragraph_style(STYLE_PAGE_NUMBER, base="Normal", indent_chars=None)
        oxml.set_style_fonts(page_number, p.page_number_font, p.page_number_font)
        page_number.font.size = Pt(p.page_number_size_pt)
        self._single_spaced(page_number)

        organ = self._paragraph_style(STYLE_ORGAN, p.organ_font, p.organ_size_pt, align=WD_ALIGN_PARAGRAPH.CENTER)
        organ.font.color.rgb = RGBColor.from_string(p.red_color)
        organ.paragraph_format.space_before = Mm(p.organ_top_mm)
        self._single_spaced(organ)
        number = self._paragraph_style(STYLE_DOC_NUMBER, align=WD_ALIGN_PARAGRAPH.CENTER)
        number.paragraph_format.space_before = self._lines(p.doc_number_lines_before)
        red_line = self._paragraph_style(STYLE_RED_LINE, size_pt=p.red_line_font_pt)
        oxml.set_style_snap_to_grid(red_line, False)
        oxml.set_style_exact_line(red_line, round(mm_to_pt(p.red_line_gap_mm) * TWIPS_PER_PT))
        red_line.paragraph_format.space_after = self._lines(p.red_line_lines_after)
        oxml.set_bottom_border(red_line, p.red_line_eighths_pt, p.red_color)

        self._imprint_styles()
        # A paragraph with no text of its own, as small as a line can be.
        carrier = self._paragraph_style(STYLE_CARRIER, size_pt=p.red_line_font_pt)
        oxml.set_style_snap_to_grid(carrier, False)
        oxml.set_style_exact_line(carrier, round(p.red_line_font_pt * TWIPS_PER_PT))

    def _imprint_styles(self) -> None:
        """版记: 4号 text on the body line pitch, off the grid; indents in 4号 characters."""
        p = self.p
        chars = CharUnits(p.imprint_size_pt)
        side = chars(p.imprint_side_chars)
        label = text_width_chars(p.imprint_cc_label)
        aligns = (
            (STYLE_IMPRINT_CC, WD_ALIGN_PARAGRAPH.JUSTIFY),
            (STYLE_IMPRINT_ISSUER, WD_ALIGN_PARAGRAPH.LEFT),
            (STYLE_IMPRINT_DATE, WD_ALIGN_PARAGRAPH.RIGHT),
        )
        for name, align in aligns:
            style = self._paragraph_style(name, p.imprint_font, p.imprint_size_pt, align=align, indent_chars=None)
            oxml.set_style_char_spacing(style, 0)
            oxml.set_style_snap_to_grid(style, False)
            oxml.set_style_exact_line(style, p.line_pitch_twips)
        styles = self.doc.styles
        # Wrapped 抄送 lines align with the first name after the colon.
        oxml.set_indent_chars(
            styles[STYLE_IMPRINT_CC], left=chars(p.imprint_side_chars + label), hanging=chars(label), right=side
        )
        oxml.set_indent_chars(styles[STYLE_IMPRINT_ISSUER], left=side, first_line=(0, 0))
        oxml.set_indent_chars(styles[STYLE_IMPRINT_DATE], right=side, first_line=(0, 0))

    def _single_spaced(self, style: BaseStyle) -> None:
        oxml.set_style_char_spacing(style, self.p.title_char_spacing_twips)
        oxml.set_style_snap_to_grid(style, False)
        style.paragraph_format.line_spacing = self.p.single_line_spacing
