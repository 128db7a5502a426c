"""Every layout number and font name of the Word writer (GB/T 9704-2012 defaults).

An office overrides a value with ``dataclasses.replace(DEFAULT_PROFILE, ...)``;
derived values (line pitch, character spacing, footer distance) follow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

MM_PER_INCH = 25.4
PT_PER_INCH = 72
TWIPS_PER_PT = 20


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_INCH * PT_PER_INCH


@dataclass(frozen=True)
class Margins:
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float

    def rotated(self) -> "Margins":
        """Margins of the same sheet turned clockwise: the binding edge (left) becomes the top."""
        return Margins(
            top_mm=self.left_mm,
            right_mm=self.top_mm,
            bottom_mm=self.right_mm,
            left_mm=self.bottom_mm,
        )


@dataclass(frozen=True)
class StyleProfile:
    # Page (A4) and type area (版心 156 × 225 mm)
    word_compatibility_mode: int = 15  # Word 2013 and later; python-docx's template says 14 (兼容模式)
    page_width_mm: float = 210
    page_height_mm: float = 297
    margins: Margins = Margins(top_mm=37, bottom_mm=35, left_mm=28, right_mm=26)
    lines_per_page: int = 22
    chars_per_line: int = 28

    # Fonts: Latin slots (ascii/hAnsi) and the Chinese slot (eastAsia)
    latin_font: str = "Times New Roman"
    body_font: str = "仿宋_GB2312"
    body_size_pt: float = 16  # 3号
    title_font: str = "方正小标宋简体"
    title_size_pt: float = 22  # 2号
    byline_font: str = "楷体_GB2312"
    heading_fonts: tuple[str, ...] = ("黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312")
    heading_bold: tuple[bool, ...] = (False, False, True, False)
    first_line_indent_chars: float = 2
    # A quarter-character gap between Chinese and Latin letters or digits (Word's default, 2026 年 3 月).
    # LibreOffice always adds it (it ignores w:autoSpaceDE/DN); on, Word and LibreOffice lay out alike.
    cjk_latin_autospace: bool = True
    autospace_chars: float = 0.25
    east_asia_lang: str = "zh-CN"
    single_line_spacing: float = 1.0  # tables, page numbers, 版头: off the body grid

    # Title block: blank lines after the title (主送 one line below)
    title_lines_after: int = 1
    title_char_spacing_twips: int = 0  # big type and tables are not condensed

    # Tables: single spacing, 小四 text, 0.5 pt rules
    table_font: str = "仿宋_GB2312"
    table_size_pt: float = 12  # 小四 (10.5 = 五号 for dense tables, 14 = 4号 for few columns)
    landscape_table_size_pt: float = 10.5  # 五号: wide attachment tables set landscape
    table_line_height: float = 1.3  # a single-spaced table line, in multiples of the size (for estimates)
    table_label_max_chars: float = 10  # cells this short (and every figure) never wrap: unit names, leaders, 高3.2个百分点
    table_keep_whole_fraction: float = 0.4  # a table at most this share of a page high stays whole with its caption
    table_header_font: str = "黑体"
    table_caption_font: str = "黑体"
    table_border_eighths_pt: int = 4  # w:sz is in eighths of a point
    table_cell_margin_mm: float = 1.5

    # Page numbers: — 1 —, 4号 half-width 宋体, 7 mm below the type area
    page_number_font: str = "宋体"
    page_number_size_pt: float = 14
    page_number_dash: str = "—"
    page_number_side_chars: float = 1  # 右空一字 (odd) / 左空一字 (even)
    page_number_gap_mm: float = 7
    landscape_page_number_box_lines: float = 2  # box depth in number sizes; the line hugs its inner side

    # Closing parts
    date_right_chars: float = 4  # 成文日期右空四字; the 署名 is centred over the date
    signature_min_right_chars: float = 2  # a 署名 wider than that allows stops 右空二字
    attachment_label: str = "附件"
    attachment_label_font: str = "黑体"
    attachment_title_lines_before: int = 1  # title on line 3: 附件N, blank, title
    attachment_title_lines_after: int = 1
    attachment_note_label: str = "附件："
    # 纪要 出席/列席/请假: 正文下空一行, 左空二字, the label in 黑体, wrapped lines aligned after the colon
    roster_indent_chars: float = 2
    roster_label_font: str = "黑体"
    roster_colon: str = "："
    roster_label_chars: float = 3  # 出席： — the style's hanging indent; other labels get their own

    # 版记 (imprint): 4号仿宋 between rules the width of the type area, at the foot of the last page
    imprint_font: str = "仿宋_GB2312"
    imprint_size_pt: float = 14  # 4号
    imprint_side_chars: float = 1  # 抄送 and 印发机关 左空一字, 印发日期 右空一字
    imprint_cc_label: str = "抄送："
    imprint_cc_end: str = "。"
    imprint_issued_suffix: str = "印发"
    imprint_outer_rule_mm: float = 0.35  # first and last rule
    imprint_inner_rule_mm: float = 0.25  # between 抄送 and 印发机关

    # 版头 (red header)
    red_color: str = "FF0000"
    organ_font: str = "方正小标宋简体"
    organ_size_pt: float = 48  # largest size; shrunk so the name fits the type width
    organ_fit_margin_pt: float = 1
    organ_top_mm: float = 35  # from the top of the type area
    doc_number_lines_before: int = 2  # 发文字号 two lines below the organ
    red_line_gap_mm: float = 4  # red line below the 发文字号
    red_line_eighths_pt: int = 12  # 1.5 pt
    red_line_font_pt: float = 1  # the empty paragraph carrying the rule
    red_line_lines_after: int = 2  # title two lines below the red line
    # Optional 版头 elements (GB/T 9704 §7.2), 3号 like the body
    header_mark_font: str = "黑体"  # 密级和保密期限, 紧急程度
    signer_name_font: str = "楷体_GB2312"  # 签发人 names; the label in the body font
    signer_label: str = "签发人："
    signer_side_chars: float = 1  # 发文字号 左空一字, 签发人 右空一字
    signers_per_line: int = 2
    signer_gap: str = "\u3000"  # between two 签发人 names on one line
    letter_organ_top_mm: float = 30  # 信函格式: organ's top from the page's top edge
    letter_rule_gap_mm: float = 4  # 信函格式: double rule below the organ
    letter_bottom_rule_mm: float = 20  # 信函格式: double rule above the page's bottom edge
    letter_rule_eighths_pt: int = 18  # 上粗下细 double rule (thickThin), total width

    # Derived values -----------------------------------------------------

    @property
    def type_width_mm(self) -> float:
        return self.page_width_mm - self.margins.left_mm - self.margins.right_mm

    def type_width_for(self, landscape: bool) -> float:
        """Type-area width of a portrait page, or of a landscape page with the margins rotated."""
        if not landscape:
            return self.type_width_mm
        rotated = self.margins.rotated()
        return self.page_height_mm - rotated.left_mm - rotated.right_mm

    @property
    def title_chars_per_line(self) -> int:
        """How many title characters fit the type width."""
        advance = self.title_size_pt + self.title_char_spacing_twips / TWIPS_PER_PT
        return math.floor(mm_to_pt(self.type_width_mm) / advance)

    @property
    def type_height_mm(self) -> float:
        return self.page_height_mm - self.margins.top_mm - self.margins.bottom_mm

    def type_height_for(self, landscape: bool) -> float:
        if not landscape:
            return self.type_height_mm
        rotated = self.margins.rotated()
        return self.page_width_mm - rotated.top_mm - rotated.bottom_mm

    @property
    def line_pitch_twips(self) -> int:
        """Exact line spacing: the largest whole twip value that fits ``lines_per_page`` lines."""
        return math.floor(mm_to_pt(self.type_height_mm) * TWIPS_PER_PT / self.lines_per_page)

    @property
    def line_pitch_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    @property
    def char_spacing_twips(self) -> int:
        """Character spacing (w:spacing, twentieths of a point) giving ``chars_per_line`` per line.

        A character advances ``body_size + spacing``; n of them must fit the type
        width and n + 1 must not. Take the middle of that interval, so rounding
        in any renderer keeps the count.
        """
        return self.char_spacing_for(self.body_size_pt, self.chars_per_line, self.type_width_mm)

    @staticmethod
    def char_spacing_for(size_pt: float, chars: int, width_mm: float) -> int:
        width_pt = mm_to_pt(width_mm)
        most = width_pt / chars - size_pt  # n characters just fit
        least = width_pt / (chars + 1) - size_pt  # n + 1 just fit
        return round((most + least) / 2 * TWIPS_PER_PT)

    @property
    def body_char_pt(self) -> float:
        """Advance of one body character, spacing included."""
        return self.body_size_pt + self.char_spacing_twips / TWIPS_PER_PT

    @property
    def footer_distance_mm(self) -> float:
        """Footer distance from the page edge so the number sits ``page_number_gap_mm`` below the type area."""
        number_height_mm = self.page_number_size_pt / PT_PER_INCH * MM_PER_INCH
        return self.margins.bottom_mm - self.page_number_gap_mm - number_height_mm

    @property
    def landscape_page_number_box_mm(self) -> tuple[float, float, float, float]:
        """(left, top, width, height) on a landscape page of the box holding its rotated page number.

        A landscape page is the portrait sheet turned a quarter clockwise (see
        ``Margins.rotated``): the table's head faces the sheet's left long edge,
        which is the binding side of an odd page and the outer side of an even
        one (GB/T 9704 §10). So the sheet's bottom edge is the landscape page's
        left short edge and its right edge is the landscape bottom. The box runs
        along the left edge over the length of the type area, its right side
        ``page_number_gap_mm`` left of the type area, and its text is turned a
        quarter clockwise: aligned to its end (右空一字, odd) it sits near the
        landscape bottom, to its start (左空一字, even) near the top, exactly
        where the portrait pages have their numbers on the sheet.
        """
        rotated = self.margins.rotated()
        depth = self.page_number_size_pt * self.landscape_page_number_box_lines / PT_PER_INCH * MM_PER_INCH
        right = rotated.left_mm - self.page_number_gap_mm
        return right - depth, rotated.top_mm, depth, self.type_width_mm

    @property
    def header_distance_mm(self) -> float:
        return self.margins.top_mm / 2

    @property
    def imprint_outer_rule_eighths(self) -> int:
        """First and last 版记 rule in eighths of a point (w:sz): 0.35 mm → 8."""
        return round(mm_to_pt(self.imprint_outer_rule_mm) * 8)

    @property
    def imprint_inner_rule_eighths(self) -> int:
        """Middle 版记 rule in eighths of a point: 0.25 mm → 6."""
        return round(mm_to_pt(self.imprint_inner_rule_mm) * 8)

    def organ_size_for(self, organ: str, reserve_chars: int = 0) -> float:
        """发文机关标志 size: ``organ_size_pt`` unless the name (plus ``reserve_chars``) would not fit on one line."""
        if not organ:
            return self.organ_size_pt
        chars = len(organ) + reserve_chars
        fitting = math.floor(mm_to_pt(self.type_width_mm) / chars - self.organ_fit_margin_pt)
        return min(self.organ_size_pt, fitting)

    def heading_font(self, level: int) -> str:
        return self.heading_fonts[min(level, len(self.heading_fonts)) - 1]

    def heading_is_bold(self, level: int) -> bool:
        return self.heading_bold[min(level, len(self.heading_bold)) - 1]


DEFAULT_PROFILE = StyleProfile()

# Speeches printed larger for reading aloud: 18 pt body, 24 pt title.
SPEECH_LARGE_PROFILE = replace(
    DEFAULT_PROFILE,
    body_size_pt=18,
    title_size_pt=24,
    lines_per_page=20,
    chars_per_line=24,
)
