"""drafting/ledger.py's .xlsx path as it was at dfd6cb9 (expat handlers per element, a call per cell into
_Table, validation through a dict per row), kept for tests only: tests/test_ledger_fast.py loads
ledgers with it and with drafting.ledger and compares every project and every message.

Models, parsers, messages and the pieces that did not change (Project, COLUMNS, parse_*, _Unreadable,
_CellReader, _error_value …) are imported from drafting.ledger, so the objects compare equal; the reading
and validation loops are frozen here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from drafting.archive import check_archive
from drafting.errors import ErrorCollector, InputError, Location
from drafting.ledger import (
    _NAME_COLUMN,
    _PARSERS,
    _SURROGATE,
    COLUMNS,
    MAX_COLUMNS,
    MAX_ROWS,
    XLSX_LIMITS,
    Column,
    Ledger,
    Project,
    _open,
    _position,
    _Row,
    _Sheet,
    _CellReader,
    _is_total,
    _present,
    _shift_serial_dates,
    _Unreadable,
    column_for,
)
from drafting.xlsxparts import MAIN_NS, column_index, column_letter, range_bounds, xml_parser

_ABSENT = object()
_SHARED_RAW = (str, datetime)


def _build_projects(rows: Iterable[_Row], errors: ErrorCollector, columns: set[str] | None) -> list[Project]:
    """Parse every cell; ``columns`` is the set of fields the sheet has (None: decide per row, YAML)."""
    projects: list[Project] = []
    first_row_of: dict[str, int] = {}
    caches: dict[str, dict[Any, Any]] = {kind: {} for kind in _PARSERS}
    plan = [
        (column, _PARSERS[column.kind], None if column.field == "name" or column.kind == "amount" else caches[column.kind])
        for column in COLUMNS
    ]
    for number, cells, locate in rows:
        row_errors: list[InputError] = []
        values: dict[str, Any] = {}
        for column, parse, cache in plan:
            raw = cells.get(column.field, _ABSENT)
            present = raw is not _ABSENT
            if not present:
                raw = None
            elif isinstance(raw, _Unreadable):
                row_errors.append(InputError(raw.reason, locate(column)))
                continue
            try:
                if cache is not None and raw.__class__ in _SHARED_RAW:
                    value = cache.get(raw, _ABSENT)
                    if value is _ABSENT:
                        value = cache[raw] = parse(raw)
                    if value.__class__ is list:
                        value = list(value)  # each project its own list of partner units
                else:
                    value = parse(raw)
            except ValueError as exc:
                row_errors.append(InputError(str(exc), locate(column)))
                continue
            if column.required and not value:
                if columns is None or column.field in columns:  # a missing column is reported once
                    row_errors.append(InputError("不能为空" if present else "缺少必填项", locate(column)))
                continue
            if value is not None:
                values[column.field] = value
        name = values.get("name")
        if name and name in first_row_of:
            row_errors.append(
                InputError(f"项目名称“{name}”重复（与第{first_row_of[name]}行相同）", locate(_NAME_COLUMN))
            )
        elif name:
            first_row_of[name] = number
        errors.extend(row_errors)
        if not row_errors and all(values.get(c.field) for c in COLUMNS if c.required):
            projects.append(Project(row=number, **values))
    return projects



def load_ledger(path: Path) -> Ledger:
    """drafting.ledger.load_ledger for .xlsx files, as it was."""
    path = Path(path)
    sheet = _xlsx_rows(path)
    errors = ErrorCollector(key=_position)
    errors.extend(sheet.errors)
    projects = _build_projects(sheet.rows, errors, sheet.columns)
    errors.raise_if_any()
    if not projects:
        raise InputError("台账中没有任何项目（只读取第一张工作表）", Location(file=path))
    return Ledger(source=path, projects=projects, ignored_columns=sheet.ignored)



_ROW_TAG, _CELL_TAG, _VALUE_TAG, _FORMULA_TAG, _INLINE_TAG, _MERGE_TAG, _T, _R = (
    f"{MAIN_NS}}}{name}" for name in ("row", "c", "v", "f", "is", "mergeCell", "t", "r")
)
_DIGITS = "0123456789"


# (first row, column, last row) of a vertical merge, 1-based as Excel counts
_Merge = tuple[int, int, int]


def _stream_cells(path: Path, source: Any, cells: _CellReader, table: _Table) -> list[_Merge]:
    """Give ``table`` every cell of the sheet XML that holds a value, in one streaming pass of expat
    (no element objects are built); return the vertical merges (they come after the cells). Only
    cells present in the file are visited (never the row × column grid); a cell beyond
    MAX_ROWS/MAX_COLUMNS is refused. As ElementTree reads a cell: its first <v>, first <is>, any <f>
    among its own children; an element's text is the text before its first child element."""
    merges: list[_Merge] = []
    column_of: dict[str, int] = {}
    value_of, add, shared, date_styles = cells.value, table.add, cells.shared, cells.date_styles
    depth = row_depth = cell_depth = is_depth = run_depth = 0  # depth of the open element of each kind, 0: none
    row_number = column = number = 0
    kind = "n"
    style: str | None = None
    text: str | None = None
    formula = run_has_text = False
    inline: list[str] | None = None
    collect = 0  # reading an element's text (until its first child) into ``buffer``: 1 the <v>, 2 a piece of <is>
    buffer = ""

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, row_depth, cell_depth, is_depth, run_depth, row_number, column, number
        nonlocal kind, style, text, formula, run_has_text, inline, collect, buffer
        depth += 1
        if collect:
            if collect == 1:
                text = buffer
            else:
                inline[-1] = buffer  # type: ignore[index]
            collect = 0
        if cell_depth:
            if depth == cell_depth + 1:
                if name == _VALUE_TAG:
                    if text is None:
                        collect, buffer, text = 1, "", ""
                elif name == _INLINE_TAG:
                    if inline is None:
                        inline, is_depth = [], depth
                elif name == _FORMULA_TAG:
                    formula = True
            elif depth == is_depth + 1:
                if name == _T:
                    inline.append("")  # type: ignore[union-attr]
                    collect, buffer = 2, ""
                elif name == _R:
                    inline.append("")  # type: ignore[union-attr]
                    run_depth, run_has_text = depth, False
            elif depth == run_depth + 1 and name == _T and not run_has_text:
                run_has_text = True
                collect, buffer = 2, ""
        elif name == _CELL_TAG:
            if row_depth and depth == row_depth + 1:
                cell_depth, text, formula, inline = depth, None, False, None
                kind = attrs.get("t", "n")
                style = attrs.get("s")
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    column = column_of.get(letters) or column_of.setdefault(letters, column_index(letters))
                    number = int(ref[len(letters):]) if len(letters) < len(ref) else row_number
                else:
                    column += 1
                    number = row_number
        elif name == _ROW_TAG:
            ref = attrs.get("r")
            row_number = int(ref) if ref else row_number + 1
            row_depth, column = depth, 0
        elif name == _MERGE_TAG:
            try:
                min_col, min_row, _, max_row = range_bounds(attrs.get("ref"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return
            if min_col is not None and min_row is not None and max_row is not None:  # not whole columns or rows
                merges.append((min_row, min_col, max_row))

    def end(name: str) -> None:
        nonlocal depth, row_depth, cell_depth, is_depth, run_depth, collect, text
        if collect:
            if collect == 1:
                text = buffer
            else:
                inline[-1] = buffer  # type: ignore[index]
            collect = 0
        if depth == cell_depth:
            cell_depth = is_depth = run_depth = 0
            if kind == "s" and text:  # the usual cells first: shared and inline text, plain numbers
                value = shared[int(text)]
            elif kind == "inlineStr":
                value = None if inline is None else "".join(inline)
            elif kind == "n" and text and style not in date_styles:
                value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            else:
                value = value_of(kind, style, text, formula, inline)
            if value is not None and not (value.__class__ is str and not value.strip()):  # else formatted but empty
                if number > MAX_ROWS or column > MAX_COLUMNS:
                    raise InputError(
                        f"超出台账的读取范围（最多{MAX_ROWS}行、{MAX_COLUMNS}列，即 A 至 "
                        f"{column_letter(MAX_COLUMNS)} 列）；请删除此处的内容，或把项目挪到范围内",
                        Location(file=path, row=number, column=column_letter(min(column, 16384))),
                    )
                add(number, column - 1, value)
        elif depth == run_depth:
            run_depth = 0
        elif depth == is_depth:
            is_depth = 0
        elif depth == row_depth:
            row_depth = 0
        depth -= 1

    def characters(data: str) -> None:
        nonlocal buffer
        if collect:
            buffer += data

    xml_parser(start, end, characters).ParseFile(source)
    return merges


HEADER_SEARCH_ROWS = 10  # a sheet may carry a title row or two above its header
TOTAL_ROW_NAMES = frozenset({"合计", "总计", "小计", "总合计"})
_OTHER = (1 << 30, None)  # an ignored column holds a value right of the name column


class _Table:
    """The sheet's rows in compact form: the header is found among the first rows; below it, each
    row keeps only the values of known columns (a list, in header order) and one note about the
    other columns (the leftmost value left of the name column, for 合计 rows; or that there is one)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.early: dict[int, dict[int, Any]] | None = {}  # rows up to HEADER_SEARCH_ROWS, before the header is known
        self.header_number = 1
        self.header: dict[int, Any] = {}
        self.slot: dict[int, int] = {}  # column index → position in a row's list
        self.columns: list[Column] = []  # known columns in header order
        self.errors: list[InputError] = []
        self.ignored: list[str] = []
        self.name_index: int | None = None
        self.rows: dict[int, list[Any]] = {}  # Excel row number → values of known columns + [note]

    def add(self, number: int, index: int, value: Any) -> None:
        if self.early is not None:
            if number <= HEADER_SEARCH_ROWS:
                self.early.setdefault(number, {})[index] = value
                return
            self._decide_header()
        if number <= self.header_number or self.early is None and not self.header:
            return
        row = self.rows.get(number)
        if row is None:
            row = self.rows[number] = [None] * (len(self.columns) + 1)
        slot = self.slot.get(index)
        if slot is not None:
            row[slot] = value
        elif self.name_index is not None and index <= self.name_index:
            note = row[-1]
            if note is None or note[0] > index:
                row[-1] = (index, value)
        elif row[-1] is None:
            row[-1] = _OTHER

    def _decide_header(self) -> None:
        """The first row among the first few that names the required 项目名称 column; else row 1."""
        early, self.early = self.early or {}, None
        for number in sorted(early):
            if any((c := column_for(v)) is not None and c.field == "name" for v in early[number].values()):
                self.header_number = number
                break
        self.header = early.get(self.header_number, {})
        if not self.header:
            return  # refused once the whole sheet is read (a cell out of range is named first)
        seen: dict[str, int] = {}
        for index in sorted(self.header):
            text = self.header[index]
            column = column_for(text)
            letter = column_letter(index + 1)
            if column is None:
                self.ignored.append(_SURROGATE.sub("\ufffd", str(text).strip()))
            elif column.field in seen:
                first = column_letter(seen[column.field] + 1)
                self.errors.append(
                    InputError(
                        f"与{first}列重复，都是“{column.header}”",
                        Location(file=self.path, row=self.header_number, column=letter, field=str(text).strip()),
                    )
                )
            else:
                seen[column.field] = index
                self.slot[index] = len(self.columns)
                self.columns.append(column)
        self.name_index = seen.get("name")
        for column in COLUMNS:
            if column.required and column.field not in seen:
                also = f"；也可写作：{'、'.join(column.aliases)}" if column.aliases else ""
                self.errors.append(
                    InputError(
                        f"缺少必填列（表头在第{self.header_number}行{also}）",
                        Location(file=self.path, row=self.header_number, field=column.header),
                    )
                )
        for number in sorted(early):
            for index, value in early[number].items():
                self.add(number, index, value)

    def finish(self, merges: list[_Merge]) -> _Sheet:
        if self.early is not None:
            self._decide_header()
        if not self.header:
            raise InputError("应为表头，但是空的", Location(file=self.path, row=self.header_number))
        self._fill_merges(merges)
        return _Sheet(self._rows(), self.errors, {c.field for c in self.columns}, self.ignored)

    def _fill_merges(self, merges: list[_Merge]) -> None:
        """Give every row of a vertically merged cell below the header the merged value.

        Amounts are refused instead: one amount spread over several projects would be counted once per row.
        Merges are cut at the last row that holds a value; the number of cells filled is bounded.
        """
        rows = self.rows
        last_row = max(rows, default=0)
        budget = MAX_ROWS * len(COLUMNS)
        for first, column_number, last in merges:
            slot = self.slot.get(column_number - 1)
            if first <= self.header_number or slot is None:
                continue
            value = rows[first][slot] if first in rows else None
            if self.columns[slot].kind == "amount":
                value = _Unreadable(f"与第{first}行合并为一格；金额请逐行填写，不要合并单元格")
            for number in range(first + 1, min(last, last_row) + 1):
                budget -= 1
                if budget < 0:
                    raise InputError("合并单元格过多或相互重叠，无法读取；请取消合并后再试", Location(file=self.path))
                row = rows.get(number)
                if row is None:
                    row = rows[number] = [None] * (len(self.columns) + 1)
                row[slot] = value

    def _rows(self) -> Iterator[_Row]:
        """Rows below the header that hold a value and are no 合计 row, each released once handed out."""
        fields = [c.field for c in self.columns]
        name_slot = self.slot.get(self.name_index) if self.name_index is not None else None
        left = sorted((i, s) for i, s in self.slot.items() if self.name_index is not None and i <= self.name_index)
        where: dict[str, tuple[str, str]] = {
            c.field: (column_letter(i + 1), c.header) for i, s in self.slot.items() for c in (self.columns[s],)
        }
        path = self.path
        for number in sorted(self.rows):
            row = self.rows.pop(number)
            note = row[-1]
            if note is None and not any(_present(v) for v in row):
                continue
            if name_slot is not None and self._is_total(row, left, name_slot, note):
                continue

            def locate(column: Column, number: int = number) -> Location:
                letter, header = where[column.field]
                return Location(file=path, row=number, column=letter, field=header)

            yield number, dict(zip(fields, row)), locate

    @staticmethod
    def _is_total(row: list[Any], left: list[tuple[int, int]], name_slot: int, note: Any) -> bool:
        """合计 in the name cell, or as the row's first entry left of it (序号 column, merged label)."""
        first = next(((i, row[s]) for i, s in left if _present(row[s])), None)
        if isinstance(note, tuple) and note is not _OTHER and (first is None or note[0] < first[0]):
            first = note
        return (first is not None and _is_total(first[1])) or _is_total(row[name_slot])


def _xlsx_rows(path: Path) -> _Sheet:
    """The first sheet of projects.xlsx, read once as a stream; the sheet is refused before reading
    when it would unpack beyond XLSX_LIMITS."""
    if not path.is_file():
        raise InputError("文件不存在", Location(file=path))
    check_archive(path, XLSX_LIMITS, "项目台账")
    reader = _open(path)
    table = _Table(path)
    try:
        if reader.sheet_path is None:
            raise InputError("文件里没有工作表", Location(file=path))
        cells = _CellReader(reader)
        with reader.archive.open(reader.sheet_path) as source:
            merges = _stream_cells(path, source, cells, table)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet XML fails in many ways
        raise InputError("无法读取：工作表内容已损坏", Location(file=path)) from None
    finally:
        reader.archive.close()
    sheet = table.finish(merges)
    if reader.date1904:
        sheet.rows = _shift_serial_dates(sheet.rows)
    return sheet
