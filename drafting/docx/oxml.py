"""All raw OOXML work of the writer: what python-docx's public API does not cover.

Callers pass python-docx objects (styles, paragraphs, tables, sections); this
module edits their XML. No layout numbers live here: values come in as
arguments, in the units OOXML wants (twips, eighths of a point, hundredths of
a character).
"""

from __future__ import annotations

from typing import Any, Iterable

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")

# Order of pPr / rPr children matters to Word (CT_PPr / CT_RPr sequences).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
    "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow",
    "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
    "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position",
    "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)


def _reset(element: BaseOxmlElement, **attrs: str) -> None:
    """Replace all of an element's attributes with w:-prefixed ``attrs``."""
    element.attrib.clear()
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)


def _child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...]) -> BaseOxmlElement:
    """The ``tag`` child of ``parent``, created in schema order when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    position = order.index(tag)
    later = {qn(t) for t in order[position + 1 :]}
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _style_ppr(style: BaseStyle) -> BaseOxmlElement:
    return style.element.get_or_add_pPr()


def _style_rpr(style: BaseStyle) -> BaseOxmlElement:
    return style.element.get_or_add_rPr()


# Fonts --------------------------------------------------------------------


def _set_rfonts(rpr: BaseOxmlElement, latin: str, east_asia: str) -> None:
    rfonts = _child(rpr, "w:rFonts", _RPR_ORDER)
    for attr in THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def set_style_fonts(style: BaseStyle, latin: str, east_asia: str) -> None:
    """Set all four w:rFonts slots of a style; python-docx's Font.name sets only two."""
    _set_rfonts(_style_rpr(style), latin, east_asia)


def strip_theme_fonts(styles_element: BaseOxmlElement) -> None:
    """Remove theme-font attributes everywhere in styles.xml.

    Word resolves w:eastAsiaTheme through the theme, which in python-docx's
    template is a Japanese font; explicit names must win.
    """
    for rfonts in styles_element.iter(qn("w:rFonts")):
        for attr in THEME_FONT_ATTRS:
            rfonts.attrib.pop(qn(attr), None)


def set_doc_defaults(
    styles_element: BaseOxmlElement,
    latin: str,
    east_asia: str,
    size_pt: float,
    east_asia_lang: str,
) -> None:
    """docDefaults: fonts, size, language, and no paragraph spacing."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_rfonts(rpr, latin, east_asia)
    half_points = str(round(size_pt * 2))
    _child(rpr, "w:sz", _RPR_ORDER).set(qn("w:val"), half_points)
    _child(rpr, "w:szCs", _RPR_ORDER).set(qn("w:val"), half_points)
    lang = _child(rpr, "w:lang", _RPR_ORDER)
    lang.set(qn("w:eastAsia"), east_asia_lang)

    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    _reset(_child(ppr, "w:spacing", _PPR_ORDER), before="0", after="0", line="240", lineRule="auto")


def set_style_char_spacing(style: BaseStyle, twips: int) -> None:
    """Character spacing (expanded/condensed) in twentieths of a point."""
    _child(_style_rpr(style), "w:spacing", _RPR_ORDER).set(qn("w:val"), str(twips))


# Paragraph properties of styles ------------------------------------------


def set_style_outline_level(style: BaseStyle, level: int | None) -> None:
    """Outline level 0-8 (Word's navigation pane); ``None`` removes it."""
    ppr = _style_ppr(style)
    existing = ppr.find(qn("w:outlineLvl"))
    if level is None:
        if existing is not None:
            ppr.remove(existing)
        return
    _child(ppr, "w:outlineLvl", _PPR_ORDER).set(qn("w:val"), str(level))


def set_style_snap_to_grid(style: BaseStyle, snap: bool) -> None:
    """Whether lines snap to the document grid (tables and big type must not)."""
    _child(_style_ppr(style), "w:snapToGrid", _PPR_ORDER).set(qn("w:val"), "1" if snap else "0")


def set_style_autospace(style: BaseStyle, enabled: bool) -> None:
    """Automatic extra space between CJK and Latin text/digits (off: 2026年3月6日 stays compact)."""
    ppr = _style_ppr(style)
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _child(ppr, tag, _PPR_ORDER).set(qn("w:val"), "1" if enabled else "0")


def set_style_overflow_punct(style: BaseStyle) -> None:
    """Write Word's default "punctuation may hang past the margin" (w:overflowPunct on) explicitly.

    Word and WPS behave as without it. LibreOffice reads the flag inverted
    (on → no hanging punctuation); its own default hangs, and it drops a hanging
    、 or ， at the end of a paragraph's first, indented line. Written explicitly,
    every program shows every character.
    """
    _child(_style_ppr(style), "w:overflowPunct", _PPR_ORDER).set(qn("w:val"), "1")


def set_run_fonts(run: Any, latin: str, east_asia: str) -> None:
    """All four w:rFonts slots of one run."""
    _set_rfonts(run._r.get_or_add_rPr(), latin, east_asia)


def set_paragraph_exact_line(paragraph: Paragraph, twips: int) -> None:
    spacing = _child(paragraph._p.get_or_add_pPr(), "w:spacing", _PPR_ORDER)
    spacing.set(qn("w:line"), str(max(twips, 20)))
    spacing.set(qn("w:lineRule"), "exact")


def frame_on_page(paragraph: Paragraph, x_twips: int, y_twips: int, width_twips: int, height_twips: int) -> None:
    """Put ``paragraph`` in a frame at an absolute place on the page (w:framePr)."""
    frame = _child(paragraph._p.get_or_add_pPr(), "w:framePr", _PPR_ORDER)
    for name, value in (
        ("w:w", width_twips), ("w:h", height_twips), ("w:hRule", "exact"), ("w:hAnchor", "page"),
        ("w:vAnchor", "page"), ("w:x", x_twips), ("w:y", y_twips), ("w:wrap", "around"),
    ):
        frame.set(qn(name), str(value))


def set_style_exact_line(style: BaseStyle, twips: int) -> None:
    spacing = _child(_style_ppr(style), "w:spacing", _PPR_ORDER)
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")


def set_indent_chars(
    element_owner: BaseStyle | Paragraph,
    *,
    first_line: tuple[int, int] | None = None,
    hanging: tuple[int, int] | None = None,
    left: tuple[int, int] | None = None,
    right: tuple[int, int] | None = None,
) -> None:
    """Indents in character units with their twip equivalents.

    Each argument is ``(hundredths_of_a_character, twips)``: Word uses the
    ``*Chars`` value, other programs the twips.
    """
    if isinstance(element_owner, Paragraph):
        ppr = element_owner._p.get_or_add_pPr()
    else:
        ppr = _style_ppr(element_owner)
    ind = _child(ppr, "w:ind", _PPR_ORDER)
    for name, value in (("firstLine", first_line), ("hanging", hanging), ("left", left), ("right", right)):
        if value is None:
            continue
        chars, twips = value
        ind.set(qn(f"w:{name}Chars"), str(chars))
        ind.set(qn(f"w:{name}"), str(twips))
    if first_line is not None:
        for attr in ("w:hanging", "w:hangingChars"):
            ind.attrib.pop(qn(attr), None)
    if hanging is not None:
        for attr in ("w:firstLine", "w:firstLineChars"):
            ind.attrib.pop(qn(attr), None)


def set_bottom_border(
    owner: BaseStyle | Paragraph, eighths_pt: int, hex_rgb: str, space_pt: int = 0, kind: str = "single"
) -> None:
    """A single bottom rule under a paragraph, as wide as the paragraph (the 版头 red line)."""
    ppr = owner._p.get_or_add_pPr() if isinstance(owner, Paragraph) else _style_ppr(owner)
    pbdr = _child(ppr, "w:pBdr", _PPR_ORDER)
    bottom = pbdr.find(qn("w:bottom"))
    if bottom is None:
        bottom = OxmlElement("w:bottom")
        pbdr.append(bottom)
    bottom.set(qn("w:val"), kind)
    bottom.set(qn("w:sz"), str(eighths_pt))
    bottom.set(qn("w:space"), str(space_pt))
    bottom.set(qn("w:color"), hex_rgb)


# Fields, line breaks ------------------------------------------------------


def _field_char(kind: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def append_page_field(paragraph: Paragraph, placeholder: str = "1") -> None:
    """A real PAGE field (begin / instrText / separate / result / end)."""
    p = paragraph._p
    p.append(_field_char("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run.append(instr)
    p.append(instr_run)
    p.append(_field_char("separate"))
    result = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    result.append(text)
    p.append(result)
    p.append(_field_char("end"))


def field_instructions(paragraph: Paragraph) -> list[str]:
    """Instruction texts of the complex fields in a paragraph (for read-back)."""
    return [(el.text or "").strip() for el in paragraph._p.iter(qn("w:instrText"))]


# Sections -----------------------------------------------------------------


def set_doc_grid(section: Section, line_pitch_twips: int) -> None:
    """A line grid whose pitch equals the exact body line spacing."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch_twips))


# Tables -------------------------------------------------------------------

_TBL_PR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
)
_BORDER_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


def set_table_borders(table: Table, eighths_pt: int | None, hex_rgb: str = "000000") -> None:
    """Single rules on every edge, or none at all when ``eighths_pt`` is None."""
    tbl_pr = table._tbl.tblPr
    borders = _child(tbl_pr, "w:tblBorders", _TBL_PR_ORDER)
    for edge in list(borders):
        borders.remove(edge)
    for name in _BORDER_EDGES:
        edge = OxmlElement(f"w:{name}")
        if eighths_pt is None:
            edge.set(qn("w:val"), "nil")
        else:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), str(eighths_pt))
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), hex_rgb)
        borders.append(edge)


def set_table_rules(table: Table, top: int, between: int, bottom: int, hex_rgb: str = "000000") -> None:
    """Horizontal rules only (eighths of a point): above, between rows and below; no vertical lines."""
    tbl_pr = table._tbl.tblPr
    borders = _child(tbl_pr, "w:tblBorders", _TBL_PR_ORDER)
    for edge in list(borders):
        borders.remove(edge)
    sizes = {"top": top, "bottom": bottom, "insideH": between}
    for name in _BORDER_EDGES:
        edge = OxmlElement(f"w:{name}")
        if name in sizes:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), str(sizes[name]))
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), hex_rgb)
        else:
            edge.set(qn("w:val"), "nil")
        borders.append(edge)


def float_table_to_page_bottom(table: Table, left_twips: int, top_twips: int) -> None:
    """Float a table to the bottom of the type area of the page its anchor paragraph is on.

    Word aligns it to the bottom (``tblpYSpec``); LibreOffice (7.x) ignores
    that and reads the absolute ``tblpY``, so callers pass the top that puts
    the table's bottom on the bottom margin. The horizontal position is
    relative to the page (``left_twips`` = the left margin): LibreOffice keeps
    a table as wide as the type area inline unless it is anchored to the page.
    """
    tbl_pr = table._tbl.tblPr
    _reset(
        _child(tbl_pr, "w:tblpPr", _TBL_PR_ORDER),
        leftFromText="0",
        rightFromText="0",
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=str(left_twips),
        tblpY=str(top_twips),
        tblpYSpec="bottom",
    )
    _child(tbl_pr, "w:tblOverlap", _TBL_PR_ORDER).set(qn("w:val"), "never")


def set_row_min_height(row: _Row, twips: int) -> None:
    """A row at least ``twips`` high (taller only if its text wraps more than expected)."""
    tr_pr = row._tr.get_or_add_trPr()
    height = tr_pr.find(qn("w:trHeight"))
    if height is None:
        height = OxmlElement("w:trHeight")
        tr_pr.append(height)
    height.set(qn("w:val"), str(twips))
    height.set(qn("w:hRule"), "atLeast")


def set_table_layout(table: Table, width_twips: int, column_twips: Iterable[int], cell_margin_twips: int) -> None:
    """Fixed layout, total width, grid column widths and left/right cell margins."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = _child(tbl_pr, "w:tblW", _TBL_PR_ORDER)
    tbl_w.set(qn("w:w"), str(width_twips))
    tbl_w.set(qn("w:type"), "dxa")
    _child(tbl_pr, "w:tblLayout", _TBL_PR_ORDER).set(qn("w:type"), "fixed")
    margins = _child(tbl_pr, "w:tblCellMar", _TBL_PR_ORDER)
    for edge in list(margins):
        margins.remove(edge)
    for name in ("left", "right"):
        edge = OxmlElement(f"w:{name}")
        edge.set(qn("w:w"), str(cell_margin_twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    widths = list(column_twips)
    for grid_col, width in zip(tbl.tblGrid.iterchildren(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), str(width))


def set_cell_vertical_center(cell: _Cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    v_align = tc_pr.find(qn("w:vAlign"))
    if v_align is None:
        v_align = OxmlElement("w:vAlign")
        tc_pr.append(v_align)
    v_align.set(qn("w:val"), "center")


def set_row_cant_split(row: _Row) -> None:
    """Keep a row on one page (Word: 允许跨页断行 off). Takes the row, not its index: ``table.rows`` is rebuilt on every access."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def mark_header_row(row: _Row) -> None:
    """Repeat a header row at the top of each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def fold_section_break(body: BaseOxmlElement) -> bool:
    """Move a section break from python-docx's extra empty paragraph into the paragraph before it.

    ``Document.add_section`` appends an empty paragraph that carries the break;
    that blank line can spill onto a page of its own. Returns False when the
    break cannot move (the element before it is a table), leaving it as it is.
    """
    # The break's paragraph is the last one holding a sectPr: search from the end (a 合订本 has thousands of breaks).
    sect_path = qn("w:pPr") + "/" + qn("w:sectPr")
    holder = next((p for p in body.iterchildren(qn("w:p"), reversed=True) if p.find(sect_path) is not None), None)
    if holder is None:
        return False
    previous = holder.getprevious()
    has_text = any(t.text for t in holder.iter(qn("w:t")))
    if has_text or previous is None or previous.tag != qn("w:p"):
        return False
    previous_ppr = previous.get_or_add_pPr()
    if previous_ppr.find(qn("w:sectPr")) is not None:
        return False
    sect_pr = holder.pPr.find(qn("w:sectPr"))
    placeholder = _child(previous_ppr, "w:sectPr", _PPR_ORDER)
    previous_ppr.replace(placeholder, sect_pr)
    body.remove(holder)
    return True


def set_paragraph_style(paragraph: Paragraph, style_id: str) -> None:
    """Point a paragraph at a style by id, without python-docx's per-call style lookup (slow in big tables)."""
    paragraph._p.style = style_id


_SECT_PR_ORDER = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
    "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
    "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
)


def set_page_number_start(section: Section, start: int | None) -> None:
    """Number this section's pages from ``start``; None continues from the section before."""
    numbering = _child(section._sectPr, "w:pgNumType", _SECT_PR_ORDER)
    if start is None:
        numbering.attrib.pop(qn("w:start"), None)
    else:
        numbering.set(qn("w:start"), str(start))


_WORD_URI = "http://schemas.microsoft.com/office/word"


def set_compatibility_mode(settings_element: BaseOxmlElement, mode: int) -> None:
    """Word's compatibilityMode (15 = Word 2013 and later; lower opens in 兼容模式)."""
    compat = settings_element.find(qn("w:compat"))
    if compat is None:
        return  # no compat block: Word assumes its current mode
    for setting in compat.iterchildren(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode" and setting.get(qn("w:uri")) == _WORD_URI:
            setting.set(qn("w:val"), str(mode))
            return
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), _WORD_URI)
    setting.set(qn("w:val"), str(mode))
    compat.append(setting)


# Fast table rows ------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def append_table_rows(table: Table, rows_xml: Iterable[str]) -> None:
    """Parse rows built by ``table_row_xml`` in one go and append them to ``table``.

    python-docx's per-cell API costs milliseconds a cell; one parse is linear and fast.
    """
    wrapper = parse_xml(f'<w:tbl xmlns:w="{_W_NS}">{"".join(rows_xml)}</w:tbl>')
    table._tbl.extend(list(wrapper))


# Headers and footers --------------------------------------------------------

EMU_PER_MM = 36000
_NS_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def share_footers(source: Section, target: Section) -> None:
    """Point ``target`` at the footer parts of ``source`` (same relationship ids: one body part holds both)."""
    sect_pr = target._sectPr
    for old in sect_pr.findall(qn("w:footerReference")):
        sect_pr.remove(old)
    for ref in reversed(source._sectPr.findall(qn("w:footerReference"))):
        copy = OxmlElement("w:footerReference")
        for name, value in ref.attrib.items():
            copy.set(name, value)
        headers = sect_pr.findall(qn("w:headerReference"))
        if headers:
            headers[-1].addnext(copy)
        else:
            sect_pr.insert(0, copy)


def drop_footer_references(section: Section) -> None:
    for old in section._sectPr.findall(qn("w:footerReference")):
        section._sectPr.remove(old)


def wrap_in_rotated_text_box(paragraph: Paragraph, box_mm: tuple[float, float, float, float], shape_id: int) -> None:
    """Move ``paragraph``'s content into a text box placed on the page, its text turned a quarter clockwise.

    The paragraph keeps its properties and runs (fields included) inside the
    box; in its place stays an empty paragraph of the same style holding the
    anchor. DrawingML ``wps:wsp`` with ``bodyPr vert="vert"`` turns every
    character, CJK included; Word, WPS and LibreOffice all read it.
    """
    left, top, width, height = (round(v * EMU_PER_MM) for v in box_mm)
    p = paragraph._p
    anchor = parse_xml(
        f'<w:r xmlns:w="{_NS_W}" xmlns:wp="{_NS_WP}" xmlns:a="{_NS_A}" xmlns:wps="{_NS_WPS}"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{shape_id}"'
        ' behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{left}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{top}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="PageNumber{shape_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{_NS_WPS}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        '<wps:txbx><w:txbxContent/></wps:txbx>'
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"'
        ' anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    holder = OxmlElement("w:p")
    ppr = p.find(qn("w:pPr"))
    style = None if ppr is None else ppr.find(qn("w:pStyle"))
    if style is not None:
        holder_ppr = OxmlElement("w:pPr")
        holder_style = OxmlElement("w:pStyle")
        holder_style.set(qn("w:val"), style.get(qn("w:val")))
        holder_ppr.append(holder_style)
        holder.append(holder_ppr)
    holder.append(anchor)
    p.addprevious(holder)
    anchor.find(".//" + qn("w:txbxContent")).append(p)
