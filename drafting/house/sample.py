"""An example house file (版式): 红头 with a logo in the header, a red rule, custom margins, {{正文}} and a 版记.

``drafting example --house`` writes it into the example folder's ``版式/``;
the tests build on it. It is made the way an office's file is: an ordinary
Word document, with some fields split over runs as Word's editing leaves them.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

RED = "E60012"
ORGAN_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
MARGINS_MM = (35, 26, 32, 27)  # top, right, bottom, left: not the GB/T 9704 ones (37, 26, 35, 28)


def logo_png(size: int = 96) -> bytes:
    """A red ring with a five-pointed star, transparent around it, as PNG bytes."""
    centre = (size - 1) / 2
    outer, inner = size * 0.48, size * 0.40
    star = [
        (centre + (size * (0.34 if k % 2 == 0 else 0.14)) * math.sin(k * math.pi / 5),
         centre - (size * (0.34 if k % 2 == 0 else 0.14)) * math.cos(k * math.pi / 5))
        for k in range(10)
    ]  # fmt: skip

    def in_star(x: float, y: float) -> bool:
        inside = False
        for (x1, y1), (x2, y2) in zip(star, star[1:] + star[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside

    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            distance = math.hypot(x - centre, y - centre)
            on = inner <= distance <= outer or in_star(x, y)
            row += bytes((0xE6, 0x00, 0x12, 0xFF)) if on else bytes((0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


def _font(run, name: str, size: float, color: str | None = None, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _runs(paragraph, pieces: list[tuple[str, bool]], font: str, size: float, color: str | None = None, bookmark: int | None = None) -> None:
    """Runs of ``pieces`` (text, bold); a spell-check mark (and ``bookmark``) between runs, as Word leaves them."""
    for index, (text, bold) in enumerate(pieces):
        if index:
            mark = OxmlElement("w:proofErr")
            mark.set(qn("w:type"), "gramStart" if index % 2 else "gramEnd")
            paragraph._p.append(mark)
        if index == 1 and bookmark is not None:
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(bookmark))
            start.set(qn("w:name"), "_GoBack")
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(bookmark))
            paragraph._p.append(start)
            paragraph._p.append(end)
        _font(paragraph.add_run(text), font, size, color, bold)


def _exact(paragraph, points: float, before: float = 0, after: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(points)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)


def _border(paragraph, edge: str, eighths: int, color: str) -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        later = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")  # pBdr comes before these (schema order)
        following = next((child for child in properties if child.tag in {qn(tag) for tag in later}), None)
        if following is not None:
            following.addprevious(borders)
        else:
            properties.append(borders)
    line = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", "1"), ("w:color", color)):
        line.set(qn(key), value)
    borders.append(line)


def _cell_borders(cell, edges: dict[str, int]) -> None:
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{edge}")
        size = edges.get(edge, 0)
        line.set(qn("w:val"), "single" if size else "nil")
        if size:
            line.set(qn("w:sz"), str(size))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    properties.append(borders)


def house_document() -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = MARGINS_MM
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (Mm(v) for v in MARGINS_MM)
    section.header_distance, section.footer_distance = Mm(12), Mm(20)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.LEFT
    header.add_run().add_picture(io.BytesIO(logo_png()), width=Mm(16))
    _font(header.add_run("  {{发文机关}}"), BODY_FONT, 10.5, RED)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _runs(footer, [("{{meeting.", False), ("organizer}}", False), ("印制", False)], BODY_FONT, 10.5)

    organ = document.add_paragraph()
    organ.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(organ, 60, before=20)
    _font(organ.add_run("某某区人民政府办公室文件"), ORGAN_FONT, 36, RED)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(number, 28, before=28)
    _runs(number, [("{{发文", False), ("字号}}", True)], BODY_FONT, 16, bookmark=0)
    rule = document.add_paragraph()
    _exact(rule, 8, after=14)
    _border(rule, "bottom", 18, RED)
    marker = document.add_paragraph()
    _font(marker.add_run("{{正文}}"), BODY_FONT, 16)

    document.add_paragraph()
    table = document.add_table(rows=2, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cc, issued = table.rows[0].cells[0], table.rows[1].cells[0]
    _cell_borders(cc, {"top": 8, "bottom": 4})
    _cell_borders(issued, {"bottom": 8})
    cc_paragraph = cc.paragraphs[0]
    _runs(cc_paragraph, [("抄送：{{", False), ("抄送}}", False)], BODY_FONT, 14)
    issued_paragraph = issued.paragraphs[0]
    issued_paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(155), alignment=2)  # right
    _runs(issued_paragraph, [("{{印发机关}}\t{{印", False), ("发日期}}印发", False)], BODY_FONT, 14)
    document.core_properties.title = "某某区人民政府办公室版式"
    document.core_properties.author = "drafting"
    return document


def write_example_house(path: Path) -> None:
    """Write the example house file to ``path``."""
    house_document().save(str(path))
