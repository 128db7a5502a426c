"""The ledger's previous .xlsx reader (openpyxl's workbook reader and an ElementTree pass over the sheet),
kept for tests only: tests/test_xlsx_reader.py loads ledgers with both and compares every project.

The code below is drafting/ledger.py's ``_FirstSheet``, ``_open``, ``_CellReader`` and ``_stream_cells``
as they were before the ledger read its workbook parts with drafting.xlsxparts and the sheet with expat.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from drafting import ledger
from drafting.archive import check_archive, is_ole_file
from drafting.errors import InputError, Location
from drafting.ledger import (
    _CJK_DATE_FORMAT_IDS,
    MAX_COLUMNS,
    MAX_ROWS,
    SAVE_AS_XLSX,
    XLSX_LIMITS,
    _error_value,
    _Merge,
    _shift_serial_dates,
    _Sheet,
    _Table,
    _UNCALCULATED,
)

class _FirstSheet(ExcelReader):
    """openpyxl's workbook reader up to the worksheets: shared strings, styles (for dates) and the
    path of the first worksheet's XML. (openpyxl's read-only sheet would parse a sheet without a
    <dimension> once more just to size it.)"""

    sheet_path: str | None = None

    def read_worksheets(self) -> None:
        for _, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.sheet_path = rel.target
                return


def _open(path: Path) -> _FirstSheet:
    reader: _FirstSheet | None = None
    try:
        reader = _FirstSheet(path, read_only=True, data_only=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # in English, and about parts we do not use (print areas…)
            reader.read()
    except Exception:  # openpyxl raises many kinds for a damaged or mislabelled file
        if reader is not None:
            reader.archive.close()
        if is_ole_file(path):
            raise InputError(f"这是旧版 Excel（.xls）文件，只是扩展名为 {path.suffix}；{SAVE_AS_XLSX}", Location(file=path)) from None
        raise InputError("无法读取：文件已损坏或不是 .xlsx 格式", Location(file=path)) from None
    return reader


_NS = f"{{{SHEET_MAIN_NS}}}"
_ROW_TAG, _CELL_TAG, _VALUE_TAG, _FORMULA_TAG = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f"
_INLINE_TAG, _MERGE_TAG = f"{_NS}is", f"{_NS}mergeCell"
_T = f"{_NS}t"
_R = f"{_NS}r"
_DIGITS = "0123456789"


def _inline_text(inline: Any) -> str:
    """Text of an inline string: plain <t> or rich-text runs <r><t>, phonetic guides left out."""
    return "".join(
        (node.text or "") if node.tag == _T else (node.findtext(_T) or "")
        for node in inline
        if node.tag in (_T, _R)
    )


class _CellReader:
    """A <c> element's value as Excel shows it: number, text, date (by its style, in the workbook's
    date system), bool; an error value or a formula whose result was never saved (a file written by
    a script) as ``_Unreadable``, so it is never summed as 0 or taken as a unit's name."""

    def __init__(self, reader: _FirstSheet) -> None:
        workbook = reader.wb
        self.shared = reader.shared_strings
        self.epoch = workbook.epoch
        styles = {i for i, style in enumerate(workbook._cell_styles) if style.numFmtId in _CJK_DATE_FORMAT_IDS}
        self.date_styles = {str(i) for i in set(workbook._date_formats) | styles}
        self.timedelta_styles = {str(i) for i in workbook._timedelta_formats}
        self.moments: dict[tuple[float, bool], Any] = {}  # a ledger's dates repeat: convert each serial once

    def value(self, cell: Any) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE_TAG)
            if inline is None:
                return None
            if len(inline) == 1 and inline[0].tag == _T:  # plain text, no runs or phonetic guides
                return inline[0].text or ""
            return _inline_text(inline)
        text = cell.findtext(_VALUE_TAG)
        if not text:
            if cell.find(_FORMULA_TAG) is not None:
                # t="str" with an empty <v/> is a saved result: the formula gave empty text
                return "" if kind == "str" else _UNCALCULATED
            return None
        if kind == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = cell.get("s")
            if style in self.date_styles:
                key = (number, style in self.timedelta_styles)
                moment = self.moments.get(key)
                if moment is None:
                    try:
                        moment = from_excel(number, self.epoch, timedelta=key[1])
                    except (OverflowError, ValueError):
                        moment = number  # not a date Excel can show: the date column says so
                    self.moments[key] = moment
                return moment
            return number
        if kind == "s":
            return self.shared[int(text)]
        if kind == "str":
            return text
        if kind == "e":
            return _error_value(text)
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            try:
                return from_ISO8601(text)
            except ValueError:
                return text
        return text


# (first row, column, last row) of a vertical merge, 1-based as Excel counts
_Merge = tuple[int, int, int]


def _stream_cells(path: Path, source: Any, cells: _CellReader, table: _Table) -> list[_Merge]:
    """Give ``table`` every cell of the sheet XML that holds a value, in one streaming pass;
    return the vertical merges (they come after the cells). Only cells present in the file are
    visited (never the row × column grid); a cell beyond MAX_ROWS/MAX_COLUMNS is refused."""
    merges: list[_Merge] = []
    column_of: dict[str, int] = {}
    row_number = 0
    for _, element in iterparse(source):
        tag = element.tag
        if tag == _ROW_TAG:
            ref = element.get("r")
            row_number = int(ref) if ref else row_number + 1
            column = 0
            for cell in element:
                if cell.tag != _CELL_TAG:
                    continue
                ref = cell.get("r")
                number = row_number
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    column = column_of.get(letters) or column_of.setdefault(letters, column_index_from_string(letters))
                    if len(letters) < len(ref):
                        number = int(ref[len(letters):])
                else:
                    column += 1
                value = cells.value(cell)
                if value is None or (value.__class__ is str and not value.strip()):
                    continue  # a formatted but empty cell
                if number > MAX_ROWS or column > MAX_COLUMNS:
                    raise InputError(
                        f"超出台账的读取范围（最多{MAX_ROWS}行、{MAX_COLUMNS}列，即 A 至 "
                        f"{get_column_letter(MAX_COLUMNS)} 列）；请删除此处的内容，或把项目挪到范围内",
                        Location(file=path, row=number, column=get_column_letter(min(column, 16384))),
                    )
                table.add(number, column - 1, value)
            element.clear()
        elif tag == _MERGE_TAG:
            try:
                min_col, min_row, _, max_row = range_boundaries(element.get("ref"))
            except (TypeError, ValueError):
                continue
            merges.append((min_row, min_col, max_row))
            element.clear()
    return merges


HEADER_SEARCH_ROWS = 10  # a sheet may carry a title row or two above its header
TOTAL_ROW_NAMES = frozenset({"合计", "总计", "小计", "总合计"})
_OTHER = (1 << 30, None)  # an ignored column holds a value right of the name column




def reference_xlsx_rows(path: Path) -> _Sheet:
    """drafting.ledger._xlsx_rows as it was."""
    if not path.is_file():
        raise InputError("文件不存在", Location(file=path))
    check_archive(path, XLSX_LIMITS, "项目台账")
    reader = _open(path)
    table = _Table(path)
    epoch = reader.wb.epoch
    try:
        if reader.sheet_path is None:
            raise InputError("文件里没有工作表", Location(file=path))
        cells = _CellReader(reader)
        with reader.archive.open(reader.sheet_path) as source:
            merges = _stream_cells(path, source, cells, table)
    except InputError:
        raise
    except Exception:  # noqa: BLE001
        raise InputError("无法读取：工作表内容已损坏", Location(file=path)) from None
    finally:
        reader.archive.close()
    sheet = table.finish(merges)
    if epoch != WINDOWS_EPOCH:
        sheet.rows = _shift_serial_dates(sheet.rows)
    return sheet


def reference_load_ledger(path: Path) -> ledger.Ledger:
    """drafting.ledger.load_ledger with the previous reader."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ledger, "_xlsx_rows", reference_xlsx_rows)
        return ledger.load_ledger(path)
