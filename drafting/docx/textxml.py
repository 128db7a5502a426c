"""WordprocessingML written as text, without python-docx: XML-safe text, property values, data-table rows.

Shared by the reference writer (``drafting.docx.writer``, which parses the rows
it is given) and the fast writer (``drafting.docx.fast``, which writes them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape as _html_escape

from drafting.docx.profile import TWIPS_PER_PT, StyleProfile, mm_to_pt
from drafting.docx.tablelayout import is_figure, plan_table
from drafting.document import Table

# Characters XML 1.0 cannot hold (python-docx raises ValueError on them). User text
# brings them in: \x0b and \x07 from Excel cells or text copied out of Word.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters a .docx cannot contain."""
    if type(text) is str and text.isprintable():  # none of them is printable: the commonest case, no pattern
        return text
    return _NOT_XML.sub("", text)


def escape(text: str) -> str:
    """&, < and > escaped, as xml.sax.saxutils.escape does (which imports urllib.request, slow to import)."""
    return _html_escape(text, quote=False)


# Word's core properties hold at most 255 characters (python-docx refuses longer ones).
_PROPERTY_MAX_CHARS = 255


def property_text(text: str) -> str:
    """A document property value: XML-safe and cut to the length Word allows."""
    text = xml_text(text)
    return text if len(text) <= _PROPERTY_MAX_CHARS else text[: _PROPERTY_MAX_CHARS - 1] + "…"


@dataclass(frozen=True)
class TableSpec:
    """A data table laid out: total and column widths, cell margin (twips); its rows as XML text on demand."""

    width_twips: int
    column_twips: list[int]
    margin_twips: int
    rows: list[list[str]]  # XML-safe cell texts, every row as wide as the table
    header_rows: int
    header_lines: list[list[list[str]]]  # per header row, per column: its lines
    keep_whole: bool
    total_row: bool
    header_style: str
    body_style: str

    def rows_xml(self) -> Iterator[str]:
        """Each row as WordprocessingML text, one at a time (a huge table is never held as text whole).

        Header rows come from ``table_row_xml``; the other rows are the same markup, with each
        column's cell openings made once per table instead of once per cell.
        """
        last = len(self.rows) - 1
        openings: dict[tuple[str, bool], list[tuple[str, str]]] = {}  # (style, keep) → per column: (plain, centred)
        for r, row in enumerate(self.rows):
            keep = (self.keep_whole and r < last) or r < self.header_rows
            if r < self.header_rows:
                cells = [CellSpec(self.header_lines[r][c], self.header_style) for c in range(len(row))]
                yield table_row_xml(cells, self.column_twips, header=True, keep_with_next=keep)
                continue
            emphasised = self.total_row and r == last
            style = self.header_style if emphasised else self.body_style
            columns = openings.get((style, keep))
            if columns is None:
                columns = openings[style, keep] = [
                    (
                        table_cell_opening(w, style, keep_with_next=keep, centred=False),
                        table_cell_opening(w, style, keep_with_next=keep, centred=True),
                    )
                    for w in self.column_twips
                ]
            parts = [ROW_START]
            for text, (plain, centred) in zip(row, columns):
                parts.append(centred if not emphasised and is_figure(text) else plain)
                if text:  # escape(text), inlined
                    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    parts.append(f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{CELL_END}')
                else:
                    parts.append(CELL_END)
            parts.append("</w:tr>")
            yield "".join(parts)


def table_spec(
    block: Table, p: StyleProfile, landscape: bool, header_style: str, body_style: str
) -> TableSpec | None:
    """Widths from the content, headers broken between words; None for a table without columns.

    Shared by the reference writer and the fast text writer (drafting.docx.fast).
    """
    columns = max((len(row) for row in block.rows), default=0)
    if columns == 0:
        return None
    rows = [[xml_text(row[c]) if c < len(row) else "" for c in range(columns)] for row in block.rows]
    header_rows = min(block.header_rows, len(rows))
    width_twips = round(mm_to_pt(p.type_width_for(landscape)) * TWIPS_PER_PT)
    margin_pt = mm_to_pt(p.table_cell_margin_mm)
    size_pt = p.landscape_table_size_pt if landscape else p.table_size_pt
    available_em = (width_twips / TWIPS_PER_PT - columns * 2 * margin_pt) / size_pt
    layout = plan_table(rows, header_rows, available_em, weights=block.widths, label_max_em=p.table_label_max_chars)
    column_twips = [round((w * size_pt + 2 * margin_pt) * TWIPS_PER_PT) for w in layout.widths_em]
    column_twips[-1] += width_twips - sum(column_twips)
    line_pt = size_pt * p.table_line_height
    height_pt = sum(layout.estimated_lines(rows, header_rows)) * line_pt
    keep_whole = height_pt <= p.table_keep_whole_fraction * mm_to_pt(p.type_height_for(landscape))
    return TableSpec(
        width_twips, column_twips, round(margin_pt * TWIPS_PER_PT), rows, header_rows, layout.header_lines,
        keep_whole, block.total_row, header_style, body_style,
    )


@dataclass(frozen=True)
class CellSpec:
    lines: list[str]  # lines after the first follow a line break
    style_id: str  # style ids are ours: no markup characters
    centred: bool = False


def table_cell_opening(width: int, style_id: str, *, keep_with_next: bool, centred: bool) -> str:
    """A cell of ``table_row_xml`` up to its paragraph's content."""
    keep = "<w:keepNext/>" if keep_with_next else ""
    jc = '<w:jc w:val="center"/>' if centred else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}{jc}</w:pPr>'
    )


CELL_END = "</w:p></w:tc>"
ROW_START = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"  # a row that is not a header row


def table_row_xml(cells: Iterable[CellSpec], column_twips: list[int], *, header: bool, keep_with_next: bool) -> str:
    """One row as WordprocessingML text: never split across pages; a header row repeats on every page."""
    parts = ["<w:tr><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if header else "", "</w:trPr>"]
    for cell, width in zip(cells, column_twips):
        parts.append(table_cell_opening(width, cell.style_id, keep_with_next=keep_with_next, centred=cell.centred))
        if any(cell.lines):
            runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in cell.lines)
            parts.append(f"<w:r>{runs}</w:r>")
        parts.append(CELL_END)
    parts.append("</w:tr>")
    return "".join(parts)
