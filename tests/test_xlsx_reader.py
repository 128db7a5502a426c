"""The ledger's .xlsx reader (drafting.xlsxparts for the workbook parts, expat for the sheet) gives the same
Ledger, project by project and field by field, and the same messages as the previous reader (openpyxl's
workbook reader and an ElementTree pass over the sheet, kept in tests/xlsx_reference.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.ledgers import with_shared_strings, write_ledger
from drafting.errors import InputError, InputErrors
from drafting.ledger import load_ledger
from test_ledger_xlsx import HEADER_ROW, project_row, text_cell, write_workbook
from xlsx_reference import reference_load_ledger


def outcome(load: Any, path: Path) -> Any:
    """The Ledger, or the messages of the refusal."""
    try:
        return load(path)
    except InputErrors as errors:
        return ("refused", [str(e) for e in errors.errors])
    except InputError as error:
        return ("refused", [str(error)])


def same_as_before(path: Path) -> Any:
    ours = outcome(load_ledger, path)
    assert ours == outcome(reference_load_ledger, path)
    return ours


@pytest.fixture(scope="module")
def big_ledgers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("big")
    inline = write_ledger(folder / "inline.xlsx", 2000, 300)
    return inline, with_shared_strings(inline, folder / "shared.xlsx")


@pytest.mark.parametrize("which", [0, 1], ids=["inline strings", "shared strings"])
def test_a_generated_2000_project_ledger_is_read_as_before(big_ledgers: tuple[Path, Path], which: int) -> None:
    ledger = same_as_before(big_ledgers[which])
    assert len(ledger.projects) == 2000
    assert all(p.planned_start and p.lead_unit and p.total_investment is not None for p in ledger.projects)


EXTRA = HEADER_ROW.replace("</row>", text_cell("F1", "形象进度") + text_cell("G1", "备注") + text_cell("H1", "项目状态") + "</row>")

# Rows under EXTRA's header: A 项目名称, B 牵头单位, C 年度计划投资, D 累计完成投资, E 计划开工日期,
# F 形象进度 (text: shows what a cell was read as), G 备注 (ignored), H 项目状态.
SHEETS: dict[str, str] = {
    "numbers, dates, texts and booleans": (
        project_row(2, "产业园", "区发改局", '<c r="C2"><v>2.50</v></c><c r="D2"><v>1E-2</v></c><c r="E2" s="1"><v>46082</v></c>'
                    '<c r="F2" t="b"><v>1</v></c><c r="H2" t="inlineStr"><is><t>已开工</t></is></c>')
        + project_row(3, "物流园", "区商务局", '<c r="C3"><v>3</v></c><c r="E3" s="2"><v>46083.75</v></c><c r="F3" s="3"><v>0.5</v></c>')
        + project_row(4, "数据中心", "区工信局", '<c r="E4" t="d"><v>2026-03-03T10:00:00</v></c><c r="F4" t="d"><v>not a date</v></c>')
        + project_row(5, "文旅小镇", "区文旅局", '<c r="E5" t="str"><v>2026年3月4日</v></c><c r="F5" s="1"><v>1e300</v></c>')
    ),
    "rich text, phonetic runs, several <t>, text after a child": (
        '<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>产业</t></r><r><t>园</t></r><rPh sb="0" eb="1"><t>チ</t></rPh></is></c>'
        '<c r="B2" t="inlineStr"><is><t>区发</t><t>改局</t></is></c>'
        '<c r="F2" t="inlineStr"><is><t>主体<x/>施工</t><r/><r><t>一</t><t>二</t></r></is></c>'
        '<c r="G2" t="inlineStr"><v>ignored</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t><![CDATA[a<b]]> &amp; &#x4E2D;</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t>区_x000D_商务_x000a_局</t></is></c>'
        '<c r="F3" t="inlineStr"><is><t>换_x0001_行</t></is></c></row>'
    ),
    "shared strings": (
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="F2" t="s"><v>2</v></c><c r="H2" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>1</v></c><c r="F3" t="s"><v>5</v></c></row>'
    ),
    "formulas and error values": (
        project_row(2, "产业园", "区发改局", '<c r="C2"><f>1+1</f><v>2</v></c><c r="D2" t="str"><f>""</f><v></v></c>'
                    '<c r="F2" t="str"><f>A2</f><v>产业园</v></c>')
        + project_row(3, "物流园", "区商务局", '<c r="C3"><f>1+1</f></c><c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                      '<c r="G3" t="e"><v>#N/A</v></c><c r="H3" t="e"><v>#WHAT?</v></c>')
        + project_row(4, "数据中心", "区工信局", '<c r="C4"><v>1</v><f>x</f></c><c r="D4"><v>2</v><v>3</v></c>')
    ),
    "cells and rows without references, lower case, letters only": (
        '<row><c t="inlineStr"><is><t>产业园</t></is></c><c t="inlineStr"><is><t>区发改局</t></is></c><c><v>2</v></c></row>'
        '<row><c r="a3" t="inlineStr"><is><t>物流园</t></is></c><c r="B" t="inlineStr"><is><t>区商务局</t></is></c><c/><c><v>4</v></c></row>'
        '<row r="7"><c r="A7" t="inlineStr"><is><t>数据中心</t></is></c><c r="B9" t="inlineStr"><is><t>区工信局</t></is></c></row>'
        '<row r="9"><c r="A9" t="inlineStr"><is><t>文旅小镇</t></is></c></row>'
    ),
    "merges, a 合计 row, empty and formatted cells": (
        project_row(2, "产业园", "区发改局", '<c r="C2"><v>1</v></c><c r="H2" t="inlineStr"><is><t>已签约</t></is></c>')
        + '<row r="3"><c r="A3" t="inlineStr"><is><t>物流园</t></is></c><c r="C3"><v>2</v></c><c r="D3" s="1"/><c r="F3" t="inlineStr"><is><t>  </t></is></c></row>'
        + '<row r="4"><c r="A4" t="inlineStr"><is><t>合 计</t></is></c><c r="C4"><v>3</v></c></row>'
        + '<row r="5"><c r="A5" t="inlineStr"><is><t>数据中心</t></is></c><c r="B5" t="inlineStr"><is><t>区工信局</t></is></c><c r="C5"><v>5</v></c></row>'
    ),
    "bad values named by cell": (
        project_row(2, "产业园", "区发改局", '<c r="C2" t="inlineStr"><is><t>很多</t></is></c><c r="E2"><v>123</v></c><c r="H2" t="inlineStr"><is><t>开工了</t></is></c>')
        + project_row(3, "产业园", "区_xD800_局", '<c r="C3"><v>-1</v></c>')
    ),
    "a value beyond the last column read": project_row(2, "产业园", "区发改局", '<c r="GS2"><v>1</v></c>'),
    "a value beyond the last row read": project_row(2, "产业园", "区发改局", "") + '<row r="130000"><c r="A130000"><v>1</v></c></row>',
    "a damaged row number": project_row(2, "产业园", "区发改局", "") + '<row r="x"><c r="A3"><v>1</v></c></row>',
    "a damaged cell reference": project_row(2, "产业园", "区发改局", "") + '<row r="3"><c r="A3B"><v>1</v></c></row>',
    "a damaged number": project_row(2, "产业园", "区发改局", '<c r="C2"><v>1,5</v></c>'),
    "unclosed sheet": project_row(2, "产业园", "区发改局", "") + "<row>",
}

TAILS = {
    "merges, a 合计 row, empty and formatted cells": (
        '<mergeCells><mergeCell ref="B2:B3"/><mergeCell ref="H2:H3"/><mergeCell ref="C4:D4"/><mergeCell ref="A1X"/>'
        '<mergeCell/><mergeCell ref="A1:A1"/></mergeCells>'
    ),
}
SHARED = ["<si><t>产业园</t></si>", "<si><r><t>区发改</t></r><r><t>局</t></r></si>", "<si><t>主体 _x000D_ 施工</t></si>",
          "<si><t>已开工</t></si>", "<si><t>物流园</t><rPh sb=\"0\" eb=\"1\"><t>ブ</t></rPh></si>", "<si/>"]


@pytest.mark.parametrize("name", sorted(SHEETS))
@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_hand_written_sheets_are_read_as_before(tmp_path: Path, name: str, date1904: bool) -> None:
    path = write_workbook(tmp_path, SHEETS[name], header=EXTRA, shared=SHARED, date1904=date1904, tail=TAILS.get(name, ""))
    result = same_as_before(path)
    if name.startswith("a damaged") or name == "unclosed sheet":
        assert result == ("refused", ["projects.xlsx：无法读取：工作表内容已损坏"])
    elif name == "numbers, dates, texts and booleans" and not date1904:
        assert [p.planned_start.day for p in result.projects] == [1, 2, 3, 4]  # type: ignore[union-attr]
    elif name == "rich text, phonetic runs, several <t>, text after a child":
        assert [(p.name, p.lead_unit) for p in result.projects] == [("产业园", "区发改局"), ("a<b & 中", "区商务局")]  # type: ignore[union-attr]
        assert [p.progress_note for p in result.projects] == ["主体一", "换行"]  # type: ignore[union-attr]


@pytest.mark.parametrize("ref", ["B", "B:B", "2:3", "B2:C"])
def test_a_merge_of_whole_columns_or_rows_is_ignored(tmp_path: Path, ref: str) -> None:
    # the previous reader stopped with a TypeError (a traceback) on such a merge; the ledger now skips it
    rows = project_row(2, "产业园", "区发改局", "") + '<row r="3">' + text_cell("A3", "物流园") + "</row>"
    path = write_workbook(tmp_path, rows, tail=f'<mergeCells><mergeCell ref="{ref}"/><mergeCell ref="B2:B3"/></mergeCells>')
    assert [p.lead_unit for p in load_ledger(path).projects] == ["区发改局", "区发改局"]
