"""What a Word file declares, read from its XML: page setup per section, fonts through the style chain, fields.

The one place the house-file inspection touches raw OOXML (``w:sectPr``,
``w:docGrid``, ``w:rFonts``, ``w:fldChar``); :mod:`drafting.house.inspect`
speaks in millimetres, points and font names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

MM_PER_TWIP = 25.4 / 1440
THEME_MARK = "主题字体"
_MAX_CHAIN = 20  # basedOn chains longer than this are cut (a loop, or a hostile file)
_FALSE = {"0", "false", "off"}
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"


def twips(element: etree._Element | None, attribute: str) -> int | None:
    """An integer attribute of ``element`` in twips (or whatever unit it has), None when absent or unreadable."""
    if element is None:
        return None
    value = element.get(qn(attribute))
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def mm(value_twips: int | None) -> float | None:
    return None if value_twips is None else value_twips * MM_PER_TWIP


@dataclass(frozen=True)
class PageSetup:
    """One section's page, in millimetres (None: not stated in the file)."""

    width_mm: float | None
    height_mm: float | None
    top_mm: float | None
    bottom_mm: float | None
    left_mm: float | None
    right_mm: float | None
    header_mm: float | None
    footer_mm: float | None
    gutter_mm: float | None
    grid_type: str | None  # w:docGrid/@w:type: default (no grid), lines, linesAndChars, snapToChars
    line_pitch_pt: float | None
    char_space: int | None  # w:docGrid/@w:charSpace, 4096ths of a point added to the body size
    title_page: bool  # w:titlePg: the first page has its own header/footer


def page_setup(sect_pr: etree._Element) -> PageSetup:
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))
    grid = sect_pr.find(qn("w:docGrid"))
    pitch = twips(grid, "w:linePitch")
    title = sect_pr.find(qn("w:titlePg"))
    return PageSetup(
        width_mm=mm(twips(size, "w:w")),
        height_mm=mm(twips(size, "w:h")),
        top_mm=mm(twips(margins, "w:top")),
        bottom_mm=mm(twips(margins, "w:bottom")),
        left_mm=mm(twips(margins, "w:left")),
        right_mm=mm(twips(margins, "w:right")),
        header_mm=mm(twips(margins, "w:header")),
        footer_mm=mm(twips(margins, "w:footer")),
        gutter_mm=mm(twips(margins, "w:gutter")),
        grid_type=(grid.get(qn("w:type")) or "default") if grid is not None else None,
        line_pitch_pt=pitch / 20 if pitch else None,
        char_space=_signed32(twips(grid, "w:charSpace")),
        title_page=title is not None and (title.get(qn("w:val")) or "1").lower() not in _FALSE,
    )


def _signed32(value: int | None) -> int | None:
    """LibreOffice writes a negative w:charSpace as its unsigned 32-bit pattern (4294965247 for -2049)."""
    return value - 2**32 if value is not None and value >= 2**31 else value


def footer_references(sect_pr: etree._Element) -> list[tuple[str, str]]:
    """(type, relationship id) of the section's own footers: default (odd or all pages), even, first."""
    refs = []
    for ref in sect_pr.iterchildren(qn("w:footerReference")):
        rid = ref.get(qn("r:id"))
        if rid:
            refs.append((ref.get(qn("w:type")) or "default", rid))
    return refs


@dataclass(frozen=True)
class Font:
    """The effective font of a run or style: East Asian and Latin faces, size, bold."""

    east_asia: str | None
    latin: str | None
    size_pt: float | None
    bold: bool


class StyleSheet:
    """styles.xml with Word's inheritance: direct formatting → character style → paragraph style (basedOn) → docDefaults."""

    def __init__(self, styles_element: etree._Element) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.by_name: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        for style in styles_element.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId")) or ""
            self.by_id.setdefault(style_id, style)
            name = style.find(qn("w:name"))
            if name is not None and name.get(qn("w:val")):
                self.by_name.setdefault(name.get(qn("w:val")).lower(), style)
            if style.get(qn("w:type")) == "paragraph" and (style.get(qn("w:default")) or "").lower() in ("1", "true", "on"):
                self.default_paragraph = style_id
        defaults = styles_element.find(qn("w:docDefaults"))
        self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self.default_ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}") if defaults is not None else None

    def named(self, name: str) -> etree._Element | None:
        """A style by its name as Word stores it (``Normal``, ``heading 1``), case-insensitive."""
        return self.by_name.get(name.lower())

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and the styles it is based on, nearest first."""
        chain: list[etree._Element] = []
        while style_id is not None and style_id in self.by_id and len(chain) < _MAX_CHAIN:
            style = self.by_id[style_id]
            if any(style is seen for seen in chain):
                break
            chain.append(style)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return chain

    def paragraph_style_id(self, paragraph: etree._Element) -> str | None:
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style.get(qn("w:val")) if style is not None else self.default_paragraph

    def _rprs(self, styles: list[etree._Element]) -> list[etree._Element]:
        return [rpr for rpr in (s.find(qn("w:rPr")) for s in styles) if rpr is not None]

    def style_font(self, style: etree._Element) -> Font:
        chain = self.chain(style.get(qn("w:styleId")))
        return _resolve([*self._rprs(chain), *self._default()])

    def run_font(self, run: etree._Element, paragraph: etree._Element | None) -> Font:
        layers: list[etree._Element] = []
        direct = run.find(qn("w:rPr"))
        if direct is not None:
            layers.append(direct)
            char_style = direct.find(qn("w:rStyle"))
            if char_style is not None:
                layers += self._rprs(self.chain(char_style.get(qn("w:val"))))
        if paragraph is not None:
            layers += self._rprs(self.chain(self.paragraph_style_id(paragraph)))
        return _resolve([*layers, *self._default()])

    def _default(self) -> list[etree._Element]:
        return [self.default_rpr] if self.default_rpr is not None else []

    def style_property(self, style: etree._Element, tag: str) -> etree._Element | None:
        """The nearest ``w:pPr/tag`` of a paragraph style through its basedOn chain."""
        for link in self.chain(style.get(qn("w:styleId"))):
            found = link.find(f"{qn('w:pPr')}/{qn(tag)}")
            if found is not None:
                return found
        return None

    def style_spacing(self, style: etree._Element, attribute: str) -> int | None:
        """One attribute of ``w:spacing`` (w:before, w:after, w:line…) of a paragraph style, attribute by attribute as Word inherits it."""
        layers = [link.find(f"{qn('w:pPr')}/{qn('w:spacing')}") for link in self.chain(style.get(qn("w:styleId")))]
        if self.default_ppr is not None:
            layers.append(self.default_ppr.find(qn("w:spacing")))
        for spacing in layers:
            if spacing is not None and spacing.get(qn(attribute)) is not None:
                return twips(spacing, attribute)
        return None

    def paragraph_property(self, paragraph: etree._Element, tag: str) -> etree._Element | None:
        """The nearest ``w:pPr/tag`` (e.g. ``w:jc``, ``w:ind``): the paragraph's own, then its style chain."""
        own = paragraph.find(f"{qn('w:pPr')}/{qn(tag)}")
        if own is not None:
            return own
        for style in self.chain(self.paragraph_style_id(paragraph)):
            found = style.find(f"{qn('w:pPr')}/{qn(tag)}")
            if found is not None:
                return found
        return None


def _resolve(layers: list[etree._Element]) -> Font:
    def face(attribute: str, theme: str) -> str | None:
        for rpr in layers:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                continue
            if fonts.get(qn(theme)):
                return f"{THEME_MARK}（{fonts.get(qn(theme))}）"
            if fonts.get(qn(attribute)):
                return fonts.get(qn(attribute))
        return None

    size = None
    for rpr in layers:
        half_points = twips(rpr.find(qn("w:sz")), "w:val")
        if half_points:
            size = half_points / 2
            break
    bold = False
    for rpr in layers:
        b = rpr.find(qn("w:b"))
        if b is not None:
            bold = (b.get(qn("w:val")) or "1").lower() not in _FALSE
            break
    return Font(face("w:eastAsia", "w:eastAsiaTheme"), face("w:ascii", "w:asciiTheme"), size, bold)


def visible_runs(element: etree._Element) -> Iterator[etree._Element]:
    """Runs as the document reads with tracked changes accepted."""
    for run in element.iter(qn("w:r")):
        if not any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in run.iterancestors()):
            yield run


def run_text(run: etree._Element) -> str:
    parts = []
    for child in run:
        if child.tag == qn("w:t"):
            parts.append(child.text or "")
        elif child.tag == qn("w:tab"):
            parts.append("\t")
    return "".join(parts)


def field_text(paragraph: etree._Element) -> tuple[str, list[str]]:
    """The paragraph's text with each field shown as ``{PAGE}``, ``{NUMPAGES}``…, and the fields' instructions."""
    out: list[str] = []
    instructions: list[str] = []
    skip: set[int] = set()
    depth = 0
    in_instruction = False
    current: list[str] = []

    def field_done(instruction: str) -> None:
        instruction = instruction.strip()
        instructions.append(instruction)
        out.append("{" + (instruction.split()[0].upper() if instruction else "") + "}")

    for element in paragraph.iter(qn("w:fldSimple"), qn("w:r")):
        if id(element) in skip:
            continue
        if element.tag == qn("w:fldSimple"):
            field_done(element.get(qn("w:instr")) or "")
            skip.update(id(r) for r in element.iter(qn("w:r")))
            continue
        char = element.find(qn("w:fldChar"))
        if char is not None:
            kind = char.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
                if depth == 1:
                    in_instruction, current = True, []
            elif kind == "separate" and depth == 1 and in_instruction:
                in_instruction = False
                field_done("".join(current))
            elif kind == "end" and depth > 0:
                if depth == 1 and in_instruction:
                    field_done("".join(current))
                in_instruction = False
                depth -= 1
            continue
        if depth == 0:
            out.append(run_text(element))
        elif depth == 1 and in_instruction:
            current.extend(t.text or "" for t in element.iter(qn("w:instrText")))
    return "".join(out), instructions


def image_count(element: etree._Element) -> int:
    """Pictures (DrawingML and legacy VML) in a part."""
    return sum(1 for _ in element.iter(qn("a:blip"))) + sum(1 for _ in element.iter(_VML_IMAGE))
