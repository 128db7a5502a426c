"""The project ledger (项目台账): projects.xlsx or projects.yaml → validated Projects.

Every problem in the file is collected in one pass and raised together as
InputErrors, each naming the row (as Excel shows it) or YAML line, and the column.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.escape import unescape
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from pydantic import BaseModel, ConfigDict

from .archive import ArchiveLimits, check_archive, is_ole_file
from .dates import parse_date
from .errors import ErrorCollector, InputError, Location
from .yamlsource import MAX_LEDGER_YAML_BYTES, load_yaml, shown


class _ChineseEnum(str, Enum):
    def __str__(self) -> str:  # templates print the Chinese value, not ProjectStatus.STARTED
        return self.value


class ProjectStatus(_ChineseEnum):
    NEGOTIATING = "在谈"
    SIGNED = "已签约"
    TO_START = "拟开工"
    STARTED = "已开工"
    COMPLETED = "已竣工"
    OPERATING = "已投产"


class ProjectLevel(_ChineseEnum):
    PROVINCIAL = "省重点"
    MUNICIPAL = "市重点"
    DISTRICT = "区重点"
    COUNTY = "县重点"


class Project(BaseModel):
    """One ledger row. Amounts are in 亿元. ``row`` is the Excel row (or YAML line)."""

    model_config = ConfigDict(frozen=True)

    row: int
    name: str
    category: str | None = None
    content: str | None = None
    leader: str | None = None
    lead_unit: str
    partner_units: list[str] = []
    total_investment: Decimal | None = None
    annual_plan: Decimal | None = None
    completed: Decimal | None = None
    status: ProjectStatus | None = None
    signed_date: date | None = None
    planned_start: date | None = None
    actual_start: date | None = None
    planned_completion: date | None = None
    level: ProjectLevel | None = None
    progress_note: str | None = None
    issues: str | None = None


class Ledger(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: Path
    projects: list[Project]
    ignored_columns: list[str] = []  # headers that matched no known column (序号、备注…)


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # canonical Chinese header, used in messages
    aliases: tuple[str, ...]
    kind: str  # text | name | units | amount | status | level | date
    required: bool = False


# The one table of ledger columns and their accepted spellings (docs/meeting-folder.md).
COLUMNS: tuple[Column, ...] = (
    Column("name", "项目名称", ("项目",), "text", required=True),
    Column("category", "项目类别", ("类别", "产业类别"), "text"),
    Column("content", "建设内容", ("建设规模及内容", "主要建设内容"), "text"),
    Column("leader", "责任领导", ("包联领导", "分包领导"), "name"),
    Column("lead_unit", "牵头单位", ("责任单位", "牵头责任单位"), "name", required=True),
    Column("partner_units", "配合单位", ("协同单位",), "units"),
    Column("total_investment", "总投资（亿元）", ("总投资", "总投资(亿元)"), "amount"),
    Column(
        "annual_plan", "年度计划投资（亿元）", ("年度计划投资", "年度计划", "年度投资(亿元)"), "amount"
    ),
    Column(
        "completed", "累计完成投资（亿元）", ("累计完成投资", "完成投资", "累计完成(亿元)"), "amount"
    ),
    Column("status", "项目状态", ("状态",), "status"),
    Column("signed_date", "签约日期", (), "date"),
    Column("planned_start", "计划开工日期", ("计划开工时间",), "date"),
    Column("actual_start", "实际开工日期", ("开工日期", "实际开工时间"), "date"),
    Column("planned_completion", "计划竣工日期", ("计划竣工时间",), "date"),
    Column("level", "项目级别", ("级别",), "level"),
    Column("progress_note", "形象进度", ("工程进度",), "text"),
    Column("issues", "存在问题", ("问题",), "text"),
)


def normalise_header(text: str) -> str:
    """Header key for matching: full-width → half-width (brackets), all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_BY_HEADER: dict[str, Column] = {
    normalise_header(name): column for column in COLUMNS for name in (column.header, *column.aliases)
}


def column_for(header: object) -> Column | None:
    """The known column a header cell names, or None."""
    return _BY_HEADER.get(normalise_header(str(header))) if header is not None else None


# --- cell values ---------------------------------------------------------------


# Excel keeps a line break typed with Alt+Enter as \n, but a vertical tab or
# form feed pasted from elsewhere as the escape _x000B_, which openpyxl leaves
# as it is; other control characters cannot be printed at all.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # from an escape such as _xD800_: not a character


def parse_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date()
    text = _CONTROL.sub("", unescape(str(value)).translate(_LINE_BREAKS)).strip()
    if _SURROGATE.search(text):
        raise ValueError("含有无效的字符（如 _xD800_ 这样的转义），请删去后重新输入")
    return text or None


def parse_name(value: Any) -> str | None:
    """A unit or person: spaces and line breaks next to Chinese characters dropped, others collapsed.

    So 区 发改局, 区发改\\n局 and 张  三 (spaced to align names) each name one unit or person,
    and 区住建局(人防办) is 区住建局（人防办）.
    """
    text = parse_text(value)
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ", "", text)
    if not text.isascii():  # a Chinese name takes full-width brackets: 区住建局(人防办) → 区住建局（人防办）
        text = text.translate(_FULL_WIDTH_BRACKETS)
    return text


_FULL_WIDTH_BRACKETS = str.maketrans("()", "（）")


_UNIT_SEPARATORS = re.compile(r"[、，,;；\n]+")


def parse_units(value: Any) -> list[str]:
    if isinstance(value, list):
        names = [parse_name(v) for v in value]
    else:
        text = parse_text(value)
        names = [parse_name(u) for u in _UNIT_SEPARATORS.split(text)] if text else []
    return [n for n in names if n]


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
# The largest amount a ledger cell may hold, in 亿元 (10 万亿元): larger is a unit mistake or garbage.
MAX_AMOUNT = Decimal(100_000)


def parse_amount(value: Any) -> Decimal | None:
    """An amount in 亿元: a number, or text like 3.5 / 3.5亿元. Floats go through str() to stay exact."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount: Decimal | None = None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    elif isinstance(value, str):
        text = re.sub(r"\s*亿元$", "", unicodedata.normalize("NFKC", value).strip())
        amount = Decimal(text) if _NUMBER.fullmatch(text) else None
    if amount is None or not amount.is_finite():
        raise ValueError(f"应为数字（亿元），而不是“{shown(value)}”")
    if amount < 0:
        raise ValueError(f"不能为负数（{shown(value)}）")
    if amount > MAX_AMOUNT:
        raise ValueError(f"金额过大（{shown(value)}），最多{MAX_AMOUNT}亿元；请确认单位是亿元")
    return amount


def _choice(enum: type[Enum], what: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        text = parse_text(value)
        if text is None:
            return None
        try:
            return enum(re.sub(r"\s+", "", text))
        except ValueError:
            allowed = "、".join(member.value for member in enum)
            raise ValueError(f"未知的{what}“{shown(text)}”，应为以下之一：{allowed}") from None

    return parse


def parse_date_cell(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": parse_text,
    "name": parse_name,
    "units": parse_units,
    "amount": parse_amount,
    "status": _choice(ProjectStatus, "项目状态"),
    "level": _choice(ProjectLevel, "项目级别"),
    "date": parse_date_cell,
}


# --- rows → projects -----------------------------------------------------------


@dataclass(frozen=True)
class _Unreadable:
    """A cell whose content cannot be taken as written; ``reason`` tells the user what to do."""

    reason: str


class _Cell:
    """A cell's value and where it is; the Location is built only when a message needs it
    (a ledger of 100,000 rows has 1.7 million cells)."""

    __slots__ = ("value", "_where", "_row")

    def __init__(self, value: Any, where: Location, row: int | None = None) -> None:
        self.value = value
        self._where = where  # the column's location, shared by every row, or the cell's own
        self._row = row

    @property
    def location(self) -> Location:
        return self._where if self._row is None else replace(self._where, row=self._row)


@dataclass
class _RawRow:
    number: int  # Excel row or YAML line
    location: Location  # where the row as a whole is
    cells: dict[str, _Cell]  # by Column.field


@dataclass
class _Sheet:
    rows: list[_RawRow]
    errors: list[InputError]
    columns: set[str] | None  # fields the header has; None when each YAML item has its own keys
    ignored: list[str]


def _build_projects(
    rows: list[_RawRow], errors: ErrorCollector, columns: set[str] | None
) -> list[Project]:
    """Parse every cell; ``columns`` is the set of fields the sheet has (None: decide per row, YAML)."""
    projects: list[Project] = []
    first_row_of: dict[str, int] = {}
    for raw in rows:
        row_errors: list[InputError] = []
        values: dict[str, Any] = {}
        for column in COLUMNS:
            cell = raw.cells.get(column.field)
            if cell is not None and isinstance(cell.value, _Unreadable):
                row_errors.append(InputError(cell.value.reason, cell.location))
                continue
            try:
                value = _PARSERS[column.kind](cell.value if cell else None)
            except ValueError as exc:
                row_errors.append(InputError(str(exc), cell.location))
                continue
            if column.required and not value:
                if columns is None or column.field in columns:  # a missing column is reported once
                    where = cell.location if cell else _with_field(raw.location, column.header)
                    row_errors.append(InputError("不能为空" if cell else "缺少必填项", where))
                continue
            values[column.field] = value
        name = values.get("name")
        if name and name in first_row_of:
            row_errors.append(
                InputError(
                    f"项目名称“{name}”重复（与第{first_row_of[name]}行相同）",
                    raw.cells["name"].location,
                )
            )
        elif name:
            first_row_of[name] = raw.number
        errors.extend(row_errors)
        if not row_errors and all(values.get(c.field) for c in COLUMNS if c.required):
            values = {k: v for k, v in values.items() if v is not None}
            projects.append(Project(row=raw.number, **values))
    return projects


def _position(error: InputError) -> tuple[int, int]:
    where = error.location
    column = column_index_from_string(where.column) if where.column else 0
    return (where.line or where.row or 0, column)


def _with_field(location: Location, field: str) -> Location:
    return Location(location.file, location.line, location.row, location.column, field)


def load_ledger(path: Path) -> Ledger:
    """Load projects.xlsx (first sheet, header found in the first rows) or projects.yaml; raise on any problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        sheet = _yaml_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        sheet = _xlsx_rows(path)
    elif suffix in (".xls", ".et", ".csv"):
        raise InputError(f"不支持 {suffix} 格式，{SAVE_AS_XLSX}", Location(file=path))
    else:
        raise InputError("项目台账应为 .xlsx 或 .yaml 文件", Location(file=path))
    errors = ErrorCollector(key=_position)  # bounded: a sheet of garbage yields the first problems and a count
    errors.extend(sheet.errors)
    projects = _build_projects(sheet.rows, errors, sheet.columns)
    errors.raise_if_any()
    if not projects:
        # Usually the wrong sheet first, or rows not yet pasted in: no document would make sense.
        raise InputError("台账中没有任何项目（只读取第一张工作表）", Location(file=path))
    return Ledger(source=path, projects=projects, ignored_columns=sheet.ignored)


_UNCALCULATED = _Unreadable("是公式，但文件里没有保存计算结果；请用 Excel 或 WPS 打开并保存一次后再试")
SAVE_AS_XLSX = "请用 Excel 或 WPS 另存为 .xlsx"

# Limits on projects.xlsx (docs/limits.md). A ledger of 100,000 projects with 17 columns written
# with inline strings unpacks to about 113 MB of sheet XML (less with Excel's shared strings).
MAX_ROWS = 120_000  # Excel row number of the last row read: 100,000 projects and room to spare
MAX_COLUMNS = 200  # columns A … GR
XLSX_LIMITS = ArchiveLimits(
    max_members=1_000,
    max_total=200 * 1024 * 1024,
    max_xml=160 * 1024 * 1024,
    max_part=32 * 1024 * 1024,  # shared strings, styles, workbook: read whole into memory
    max_ratio=100,
    streamed=("xl/worksheets/",),  # only the first sheet is read, as a stream
)

# (first row, column, last row) of a vertical merge, 1-based as Excel counts
_Merge = tuple[int, int, int]
# Rows that hold a value: (Excel row number, {0-based column: value})
_Rows = dict[int, dict[int, Any]]


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


_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


def _inline_text(inline: Any) -> str:
    """Text of an inline string: plain <t> or rich-text runs <r><t>, phonetic guides left out."""
    return "".join(
        (node.text or "") if node.tag == _T else (node.findtext(_T) or "")
        for node in inline
        if node.tag in (_T, _R)
    )


class _ValueParser(WorkSheetParser):
    """openpyxl's streaming sheet parser, reading formulas as their saved results; a formula
    whose result was never saved (a file written by a script) reads as ``_UNCALCULATED``,
    so it is never summed as 0. Inline strings are read directly (openpyxl's object tree
    for them costs most of the time of a large sheet)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        inline = element.find(INLINE_STRING) if element.get("t") == "inlineStr" else None
        if inline is not None:
            element.remove(inline)
        cell = super().parse_cell(element)
        if inline is not None:
            cell["value"], cell["data_type"] = _inline_text(inline), "s"
        elif cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = _UNCALCULATED
        return cell


def _read_first_sheet(path: Path) -> tuple[_Rows, list[_Merge]]:
    """The cells that hold a value in the first sheet, and its vertical merges, in one streaming pass.

    Only cells present in the file are visited (never the row × column grid), and the
    sheet is refused before reading when it would unpack beyond XLSX_LIMITS.
    """
    check_archive(path, XLSX_LIMITS, "项目台账")
    reader = _open(path)
    rows: _Rows = {}
    try:
        if reader.sheet_path is None:
            raise InputError("文件里没有工作表", Location(file=path))
        workbook = reader.wb
        with reader.archive.open(reader.sheet_path) as source, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns in English about odd dates and styles
            parser = _ValueParser(
                source,
                reader.shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for _, cells in parser.parse():
                for cell in cells:
                    value = cell["value"]
                    if not _present(value):
                        continue  # a formatted but empty cell
                    row, column = cell["row"], cell["column"]
                    if row > MAX_ROWS or column > MAX_COLUMNS:
                        raise InputError(
                            f"超出台账的读取范围（最多{MAX_ROWS}行、{MAX_COLUMNS}列，即 A 至 "
                            f"{get_column_letter(MAX_COLUMNS)} 列）；请删除此处的内容，或把项目挪到范围内",
                            Location(file=path, row=row, column=get_column_letter(min(column, 16384))),
                        )
                    rows.setdefault(row, {})[column - 1] = value
            merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet XML fails in many ways inside openpyxl
        raise InputError("无法读取：工作表内容已损坏", Location(file=path)) from None
    finally:
        reader.archive.close()
    merges: list[_Merge] = []
    for merge in merged:
        try:
            min_col, min_row, _, max_row = range_boundaries(merge.ref)
        except (TypeError, ValueError):
            continue
        merges.append((min_row, min_col, max_row))
    return rows, merges


def _fill_merges(rows: _Rows, merges: list[_Merge], header_row: int, columns: dict[int, Column], path: Path) -> None:
    """Give every row of a vertically merged cell below the header the merged value.

    Amounts are refused instead: one amount spread over several projects would be counted once per row.
    Merges are cut at the last row that holds a value; the number of cells filled is bounded.
    """
    last_row = max(rows, default=0)
    budget = MAX_ROWS * len(COLUMNS)
    for first, column_number, last in merges:
        column = columns.get(column_number - 1)
        if first <= header_row or column is None:
            continue
        value = rows.get(first, {}).get(column_number - 1)
        if column.kind == "amount":
            value = _Unreadable(f"与第{first}行合并为一格；金额请逐行填写，不要合并单元格")
        for number in range(first + 1, min(last, last_row) + 1):
            budget -= 1
            if budget < 0:
                raise InputError("合并单元格过多或相互重叠，无法读取；请取消合并后再试", Location(file=path))
            rows.setdefault(number, {})[column_number - 1] = value


def _xlsx_rows(path: Path) -> _Sheet:
    if not path.is_file():
        raise InputError("文件不存在", Location(file=path))
    rows, merges = _read_first_sheet(path)

    errors: list[InputError] = []
    header_number = _header_number(rows)
    header = rows.get(header_number, {})
    if not header:
        raise InputError("应为表头，但是空的", Location(file=path, row=header_number))

    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for index in sorted(header):
        text = header[index]
        column = column_for(text)
        letter = get_column_letter(index + 1)
        if column is None:
            ignored.append(_SURROGATE.sub("\ufffd", str(text).strip()))
        elif column.field in seen:
            first = get_column_letter(seen[column.field] + 1)
            errors.append(
                InputError(
                    f"与{first}列重复，都是“{column.header}”",
                    Location(file=path, row=header_number, column=letter, field=str(text).strip()),
                )
            )
        else:
            seen[column.field] = index
            columns[index] = column
    for column in COLUMNS:
        if column.required and column.field not in seen:
            also = f"；也可写作：{'、'.join(column.aliases)}" if column.aliases else ""
            errors.append(
                InputError(
                    f"缺少必填列（表头在第{header_number}行{also}）",
                    Location(file=path, row=header_number, field=column.header),
                )
            )

    _fill_merges(rows, merges, header_number, columns, path)
    raw_rows: list[_RawRow] = []
    name_index = next((i for i, c in columns.items() if c.field == "name"), None)
    where = {
        index: Location(file=path, column=get_column_letter(index + 1), field=column.header)
        for index, column in columns.items()
    }
    for number in sorted(n for n in rows if n > header_number):
        values = rows[number]
        if not any(_present(v) for v in values.values()):
            continue
        if _is_total_row(values, name_index):
            continue
        cells = {
            column.field: _Cell(values.get(index), where[index], number) for index, column in columns.items()
        }
        raw_rows.append(_RawRow(number, Location(file=path, row=number), cells))
    return _Sheet(raw_rows, errors, set(seen), ignored)


HEADER_SEARCH_ROWS = 10  # a sheet may carry a title row or two above its header
TOTAL_ROW_NAMES = frozenset({"合计", "总计", "小计", "总合计"})


def _header_number(rows: _Rows) -> int:
    """The first row (as Excel numbers it) among the first few that names the required 项目名称 column;
    else row 1."""
    for number in sorted(n for n in rows if n <= HEADER_SEARCH_ROWS):
        if any((c := column_for(v)) is not None and c.field == "name" for v in rows[number].values()):
            return number
    return 1


def _is_total(value: Any) -> bool:
    """A 合计/总计 row under the projects is a sum, not a project."""
    return isinstance(value, str) and "".join(value.split()) in TOTAL_ROW_NAMES


def _is_total_row(values: dict[int, Any], name_index: int | None) -> bool:
    """合计 in the name cell, or as the row's first entry left of it (序号 column, merged label)."""
    if name_index is None:
        return False
    first = next((values[i] for i in sorted(values) if i <= name_index and _present(values[i])), None)
    return _is_total(first) or _is_total(values.get(name_index))


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _yaml_rows(path: Path) -> _Sheet:
    doc = load_yaml(path, MAX_LEDGER_YAML_BYTES)
    data = doc.data
    if not isinstance(data, dict) or "projects" not in data:
        raise InputError("应以“projects:”开头，其下为项目列表", Location(file=path, line=doc.line_of(())))
    extra = [k for k in data if k != "projects"]
    errors: list[InputError] = [
        InputError(f"不认识的键“{k}”（只应有 projects）", doc.location((k,), str(k))) for k in extra
    ]
    items = data["projects"]
    if not isinstance(items, list):
        raise InputError("应为项目列表（每项以“- ”开头）", doc.location(("projects",), "projects"))

    known = "、".join(c.header for c in COLUMNS)
    rows: list[_RawRow] = []
    for i, item in enumerate(items):
        line = doc.line_of(("projects", i)) or 0
        if not isinstance(item, dict):
            errors.append(InputError("每个项目应为“列名: 值”的键值", Location(file=path, line=line)))
            continue
        cells: dict[str, _Cell] = {}
        for key, value in item.items():
            where = Location(file=path, line=doc.line_of(("projects", i, str(key))), field=str(key))
            column = column_for(key)
            if column is None:
                errors.append(InputError(f"不认识的列名“{key}”（可用：{known}）", where))
            elif column.field in cells:
                errors.append(InputError(f"与“{column.header}”重复", where))
            else:
                cells[column.field] = _Cell(value, _with_field(where, column.header))
        rows.append(_RawRow(line, Location(file=path, line=line), cells))
    return _Sheet(rows, errors, None, [])
