"""Shortcuts taken for the speed of batch letters give exactly what the plain code gives.

Each test holds the plain version (the code before the shortcut) and compares it with the shortcut over
generated hostile input: XML specials, empty cells, figures, whitespace at either end, tabs and line ends,
Latin beside Chinese, long text.
"""

from __future__ import annotations

import random
from html import escape

import pytest

from drafting.docx.fast import writer as fast_writer
from drafting.docx.profile import DEFAULT_PROFILE
from drafting.docx.tablelayout import is_figure
from drafting.docx.textxml import TableSpec, table_spec
from drafting.document import Table

PIECES = [
    "项目", "建设", "（一期）", "&", "<", ">", "&amp;", '"', "'", " ", "\u3000", "\t", "\n", "\r\n", "\r", "A", "bc",
    "5G", "3.2", "1,200", "98.5%", "-3", "—", "“", "”", "Σ", "é", "\x0b", "x" * 40, "很长的文字" * 9,
]


def random_text(rng: random.Random, pieces: list[str] = PIECES, most: int = 8) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, most)))


# -- table rows ----------------------------------------------------------------------------------


def plain_rows_xml(spec: TableSpec) -> list[str]:
    """TableSpec.rows_xml as it was: every cell described and written on its own."""
    rows = []
    last = len(spec.rows) - 1
    for r, row in enumerate(spec.rows):
        header = r < spec.header_rows
        emphasised = header or (spec.total_row and r == last)
        style = spec.header_style if emphasised else spec.body_style
        keep = "<w:keepNext/>" if (spec.keep_whole and r < last) or header else ""
        parts = ["<w:tr><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if header else "", "</w:trPr>"]
        for c, (text, width) in enumerate(zip(row, spec.column_twips)):
            lines = spec.header_lines[r][c] if header else [text]
            jc = '<w:jc w:val="center"/>' if not emphasised and is_figure(text) else ""
            parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>')
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{jc}</w:pPr>')
            if any(lines):
                runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line, quote=False)}</w:t>' for line in lines)
                parts.append(f"<w:r>{runs}</w:r>")
            parts.append("</w:p></w:tc>")
        parts.append("</w:tr>")
        rows.append("".join(parts))
    return rows


CELLS = PIECES + ["", "", "0.50", "12", "合计", "100.0%"]


@pytest.mark.parametrize("seed", range(12))
def test_table_rows_equal_cell_by_cell_markup(seed: int) -> None:
    rng = random.Random(seed)
    columns = rng.randint(1, 7)
    count = rng.choice([1, 2, 5, 30, 120])  # few rows keep the table whole, many do not
    rows = [[random_text(rng, CELLS, 4) for _ in range(rng.randint(1, columns))] for _ in range(count)]
    table = Table(rows, header_rows=rng.choice([0, 1, 2]), total_row=rng.random() < 0.5)
    for landscape in (False, True):
        spec = table_spec(table, DEFAULT_PROFILE, landscape, "TableHeader", "TableBody")
        assert spec is not None
        assert list(spec.rows_xml()) == plain_rows_xml(spec)


def test_table_rows_keep_whole_total_and_empty_cells() -> None:
    rows = [["序号", "名称&<>", "金额"], ["1", "", "3.5"], ["", "甲", ""], ["合计", "2个", "3.5"]]
    for total in (False, True):
        spec = table_spec(Table(rows, total_row=total), DEFAULT_PROFILE, False, "H", "B")
        assert spec is not None and spec.keep_whole
        assert list(spec.rows_xml()) == plain_rows_xml(spec)
        assert plain_rows_xml(spec)[1].count('<w:jc w:val="center"/>') == 2  # the figures are centred


# -- run content ------------------------------------------------------------------------------


def plain_run_content(text: str) -> str:
    """fast_writer._run_content as it was: a walk over every character."""
    parts: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            chunk = "".join(buffer)
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            parts.append(f"<w:t{space}>{fast_writer._esc(chunk)}</w:t>")
            buffer.clear()

    for ch in text:
        if ch == "\t":
            flush()
            parts.append("<w:tab/>")
        elif ch in "\r\n":
            flush()
            parts.append("<w:br/>")
        else:
            buffer.append(ch)
    flush()
    return "".join(parts)


def test_run_content_equals_the_character_walk() -> None:
    rng = random.Random(1)
    ends = [" ", "\u3000", "\x1c", "\x85", "\xa0", "a", "甲", "\u2028"]  # str.isspace() says yes to most of these
    texts = [random_text(rng) for _ in range(3000)]
    texts += [a + random_text(rng) + b for a in ends for b in ends]
    texts += ["", " ", "\t", "\n", "甲", " 甲", "甲 ", "&<>"]
    assert sum(1 for t in texts if t and not any(c in t for c in "\t\r\n")) > 1000  # the shortcut is taken
    assert [fast_writer._run_content(t) for t in texts] == [plain_run_content(t) for t in texts]
