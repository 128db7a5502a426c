"""The project ledger (项目台账): projects.xlsx or projects.yaml → validated Projects.

Every problem in the file is collected in one pass and raised together as
InputErrors, each naming the row (as Excel shows it) or YAML line, and the column.
"""

from __future__ import annotations

import re
import unicodedata
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .archive import ArchiveLimits, check_archive, is_ole_file
from .dates import parse_date
from .errors import ErrorCollector, InputError, Location
from .xlsxparts import (
    MAIN_NS,
    WorkbookError,
    WorkbookParts,
    column_index,
    column_letter,
    from_serial,
    range_bounds,
    read_workbook,
    xml_parser,
)
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """One ledger row. Amounts are in 亿元. ``row`` is the Excel row (or YAML line).

    A slotted dataclass, not a pydantic model: a ledger holds up to 100,000 of them, and the
    loader has already validated every value (a pydantic model costs about 1.4 KB more per project).
    Status and level given as their Chinese text and amounts as numbers are converted, as before.
    """

    row: int
    name: str
    category: str | None = None
    content: str | None = None
    leader: str | None = None
    lead_unit: str
    partner_units: list[str] = dataclasses.field(default_factory=list)
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

    def __post_init__(self) -> None:
        if self.status is not None and not isinstance(self.status, ProjectStatus):
            object.__setattr__(self, "status", ProjectStatus(self.status))
        if self.level is not None and not isinstance(self.level, ProjectLevel):
            object.__setattr__(self, "level", ProjectLevel(self.level))
        for name in ("total_investment", "annual_plan", "completed"):
            amount = getattr(self, name)
            if amount is not None and not isinstance(amount, Decimal):
                object.__setattr__(self, name, Decimal(str(amount)))


@dataclass(frozen=True, slots=True)
class Ledger:
    source: Path
    projects: list[Project]
    ignored_columns: list[str] = dataclasses.field(default_factory=list)  # headers that matched no known column (序号、备注…)


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
# Anything the steps below would change or refuse; most cells have none and are only stripped.
_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]|_x[0-9A-Fa-f]{4}_")


def parse_text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, datetime):
            value = value.date()
        value = str(value)
    if _UNUSUAL.search(value) is None:
        return value.strip() or None
    from openpyxl.utils.escape import unescape  # rare (an _x000D_ escape, a control character): imported when needed

    text = _CONTROL.sub("", unescape(value).translate(_LINE_BREAKS)).strip()
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
    """A cell whose content cannot be taken as written; ``reason`` tells the user what to do,
    ``shown`` is what the cell shows (an error value such as #N/A, or nothing)."""

    reason: str
    shown: str = ""

    def __str__(self) -> str:
        return self.shown


# A cell's raw value by Column.field (only the cells the row has), and where a column of the row is.
_Locate = Callable[[Column], Location]
_Row = tuple[int, dict[str, Any], _Locate]  # (Excel row or YAML line, cells, locate)


@dataclass
class _Sheet:
    rows: Iterable[_Row]  # consumed once; an Excel sheet's rows are produced as they are validated
    errors: list[InputError]
    columns: set[str] | None  # fields the header has; None when each YAML item has its own keys
    ignored: list[str]


_ABSENT = object()
# Parsed values are shared between cells that hold the same text or date (units, statuses, dates…):
# less memory for large ledgers and no second parse. Project names are unique; amounts are not shared.
_SHARED_RAW = (str, datetime)


def _build_projects(rows: Iterable[_Row], errors: ErrorCollector, columns: set[str] | None) -> list[Project]:
    """Parse every cell; ``columns`` is the set of fields the sheet has (None: decide per row, YAML)."""
    projects: list[Project] = []
    first_row_of: dict[str, int] = {}
    caches: dict[str, dict[Any, Any]] = {kind: {} for kind in _PARSERS}
    # What each column needs, decided once. A column the sheet lacks is empty in every row: it gives no
    # problem (a missing required column is reported once) and no value, but an empty list of units.
    plan = []
    empty_lists: list[str] = []
    for column in COLUMNS:
        if columns is not None and column.field not in columns:
            if column.kind == "units":
                empty_lists.append(column.field)
            continue
        cache = None if column.field == "name" or column.kind == "amount" else caches[column.kind]
        plan.append((column, column.field, _PARSERS[column.kind], cache, column.required, column.kind))
    required = [column.field for column in COLUMNS if column.required]
    for number, cells, locate in rows:
        row_errors: list[InputError] = []
        values: dict[str, Any] = {field: [] for field in empty_lists}
        get = cells.get
        for column, field, parse, cache, is_required, kind in plan:
            raw = get(field, _ABSENT)
            if raw is None or raw is _ABSENT:  # every parser gives None for nothing, units an empty list
                if is_required:
                    if columns is None or field in columns:  # a missing column is reported once
                        row_errors.append(InputError("缺少必填项" if raw is _ABSENT else "不能为空", locate(column)))
                elif kind == "units":
                    values[field] = []
                continue
            raw_class = raw.__class__
            if raw_class is _Unreadable:
                row_errors.append(InputError(raw.reason, locate(column)))
                continue
            try:
                if cache is not None and (raw_class is str or raw_class is datetime):
                    value = cache.get(raw, _ABSENT)
                    if value is _ABSENT:
                        value = cache[raw] = parse(raw)
                    if value.__class__ is list:
                        value = list(value)  # each project its own list of partner units
                elif kind == "amount" and (raw_class is float or raw_class is int):
                    value = Decimal(str(raw)) if raw_class is float else Decimal(raw)
                    if not (value.is_finite() and 0 <= value <= MAX_AMOUNT):
                        value = parse(raw)  # refused, with its reason
                else:
                    value = parse(raw)
            except ValueError as exc:
                row_errors.append(InputError(str(exc), locate(column)))
                continue
            if is_required and not value:
                row_errors.append(InputError("不能为空", locate(column)))
                continue
            if value is not None:
                values[field] = value
        name = values.get("name")
        if name and name in first_row_of:
            row_errors.append(
                InputError(f"项目名称“{name}”重复（与第{first_row_of[name]}行相同）", locate(_NAME_COLUMN))
            )
        elif name:
            first_row_of[name] = number
        if row_errors:
            errors.extend(row_errors)
        elif all(values.get(field) for field in required):
            projects.append(Project(row=number, **values))
    return projects


_NAME_COLUMN = next(c for c in COLUMNS if c.field == "name")


def _position(error: InputError) -> tuple[int, int]:
    where = error.location
    column = column_index(where.column) if where.column else 0
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

# What Excel's error values mean, for the message naming the cell.
_ERROR_MEANINGS = {
    "#DIV/0!": "除数为零",
    "#N/A": "查找不到对应的值",
    "#VALUE!": "参与计算的值类型不对",
    "#REF!": "引用的单元格已被删除",
    "#NAME?": "公式里有无法识别的名称",
    "#NUM!": "数值无效或超出范围",
    "#NULL!": "引用的区域没有交集",
    "#SPILL!": "结果溢出区域被占用",
    "#CALC!": "无法计算",
    "#GETTING_DATA": "数据尚未取回",
}


def _error_value(text: str) -> _Unreadable:
    meaning = _ERROR_MEANINGS.get(text)
    shown_text = f"“{shown(text)}”（{meaning}）" if meaning else f"“{shown(text)}”"
    return _Unreadable(f"是错误值{shown_text}，不是可用的内容；请在 Excel 或 WPS 中改正公式或内容后保存再试", text)


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

# Built-in number formats that Excel and WPS in a Chinese (or Japanese, Korean) locale show as dates
# without defining them in styles.xml, e.g. 31 = yyyy"年"m"月"d"日" (ECMA-376 Part 1, 18.8.30);
# openpyxl knows only the locale-independent ones. The time-only ids (32–35, 55, 56) are left out.
_CJK_DATE_FORMAT_IDS = frozenset({27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58})
_EPOCH_1904_SHIFT = 1462  # days from the 1900 date system's serial to the 1904 system's for one date


def _open(path: Path) -> WorkbookParts:
    """The workbook parts (first worksheet, date system, shared strings, date styles); the archive stays open."""
    try:
        return read_workbook(path, _CJK_DATE_FORMAT_IDS)
    except WorkbookError:
        if is_ole_file(path):
            raise InputError(f"这是旧版 Excel（.xls）文件，只是扩展名为 {path.suffix}；{SAVE_AS_XLSX}", Location(file=path)) from None
        raise InputError("无法读取：文件已损坏或不是 .xlsx 格式", Location(file=path)) from None


_ROW_TAG, _CELL_TAG, _VALUE_TAG, _FORMULA_TAG, _INLINE_TAG, _MERGE_TAG, _T, _R = (
    f"{MAIN_NS}}}{name}" for name in ("row", "c", "v", "f", "is", "mergeCell", "t", "r")
)
_DIGITS = "0123456789"


class _CellReader:
    """A cell's value as Excel shows it: number, text, date (by its style, in the workbook's date
    system), bool; an error value or a formula whose result was never saved (a file written by a
    script) as ``_Unreadable``, so it is never summed as 0 or taken as a unit's name."""

    def __init__(self, parts: WorkbookParts) -> None:
        self.shared = parts.shared_strings
        self.epoch = parts.epoch
        self.date_styles = parts.date_styles
        self.timedelta_styles = parts.timedelta_styles
        self.moments: dict[tuple[float, bool], Any] = {}  # a ledger's dates repeat: convert each serial once

    def value(self, kind: str, style: str | None, text: str | None, formula: bool, inline: list[str] | None) -> Any:
        """``text``: the first <v>'s text (None without one); ``formula``: the cell has an <f>;
        ``inline``: the pieces of the first <is> (its <t>s and rich-text runs), None without one."""
        if kind == "inlineStr":
            return None if inline is None else "".join(inline)
        if not text:
            if formula:
                # t="str" with an empty <v/> is a saved result: the formula gave empty text
                return "" if kind == "str" else _UNCALCULATED
            return None
        if kind == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            if style in self.date_styles:
                key = (number, style in self.timedelta_styles)
                moment = self.moments.get(key)
                if moment is None:
                    try:
                        moment = from_serial(number, self.epoch, elapsed=key[1])
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
            from openpyxl.utils.datetime import from_ISO8601  # t="d" is rare (Excel writes serials)

            try:
                return from_ISO8601(text)
            except ValueError:
                return text
        return text


# (first row, column, last row) of a vertical merge, 1-based as Excel counts
_Merge = tuple[int, int, int]


_READ_SIZE = 1 << 18  # bytes of sheet XML handed to expat at a time (ParseFile would read 2 KB at a time)


def _stream_cells(path: Path, source: Any, cells: _CellReader, table: _Table) -> list[_Merge]:
    """Give ``table`` every cell of the sheet XML that holds a value, in one streaming pass of expat
    (no element objects are built); return the vertical merges (they come after the cells). Only
    cells present in the file are visited (never the row × column grid); a cell beyond
    MAX_ROWS/MAX_COLUMNS is refused. As ElementTree reads a cell: its first <v>, first <is>, any <f>
    among its own children; an element's text is the text before its first child element.

    Character data goes straight into a list (its ``append`` is the handler: no Python call); the
    list is emptied where a value's text begins and at each row, and joined where the text ends.
    Cells are handed to the table a row at a time."""
    merges: list[_Merge] = []
    column_of: dict[str, int] = {}
    value_of, shared, date_styles = cells.value, cells.shared, cells.date_styles
    pending: list[tuple[int, int, Any]] = []  # the row's cells, handed to the table at its end
    add = pending.append
    pieces: list[str] = []  # character data since the last clear
    clear = pieces.clear
    depth = row_depth = cell_depth = is_depth = run_depth = 0  # depth of the open element of each kind, 0: none
    row_number = column = number = 0
    last_digits, last_number = "", 0  # a row's cells repeat its number: convert it once
    kind = "n"
    style: str | None = None
    text: str | None = None
    formula = run_has_text = False
    inline: list[str] | None = None
    collect = 0  # reading an element's text (until its first child) from ``pieces``: 1 the <v>, 2 a piece of <is>

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, row_depth, cell_depth, is_depth, run_depth, row_number, column, number
        nonlocal last_digits, last_number, kind, style, text, formula, run_has_text, inline, collect
        depth += 1
        if collect:
            if collect == 1:
                text = "".join(pieces)
            else:
                inline[-1] = "".join(pieces)  # type: ignore[index]
            collect = 0
        if cell_depth:
            if depth == cell_depth + 1:
                if name == _VALUE_TAG:
                    if text is None:
                        collect, text = 1, ""
                        clear()
                elif name == _INLINE_TAG:
                    if inline is None:
                        inline, is_depth = [], depth
                elif name == _FORMULA_TAG:
                    formula = True
            elif depth == is_depth + 1:
                if name == _T:
                    inline.append("")  # type: ignore[union-attr]
                    collect = 2
                    clear()
                elif name == _R:
                    inline.append("")  # type: ignore[union-attr]
                    run_depth, run_has_text = depth, False
            elif depth == run_depth + 1 and name == _T and not run_has_text:
                run_has_text = True
                collect = 2
                clear()
        elif name == _CELL_TAG:
            if row_depth and depth == row_depth + 1:
                cell_depth, text, formula, inline = depth, None, False, None
                kind = attrs.get("t", "n")
                style = attrs.get("s")
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    column = column_of.get(letters) or column_of.setdefault(letters, column_index(letters))
                    if len(letters) < len(ref):
                        digits = ref[len(letters):]
                        if digits != last_digits:
                            last_number, last_digits = int(digits), digits
                        number = last_number
                    else:
                        number = row_number
                else:
                    column += 1
                    number = row_number
        elif name == _ROW_TAG:
            ref = attrs.get("r")
            row_number = int(ref) if ref else row_number + 1
            row_depth, column = depth, 0
            clear()  # text between cells is never read: keep no more than a row of it
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
                text = "".join(pieces)
            else:
                inline[-1] = "".join(pieces)  # type: ignore[index]
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
                add((number, column - 1, value))
        elif depth == run_depth:
            run_depth = 0
        elif depth == is_depth:
            is_depth = 0
        elif depth == row_depth:
            row_depth = 0
            if pending:
                table.add_all(pending)
                pending.clear()
        depth -= 1

    parser = xml_parser(start, end, pieces.append)
    # expat hands over the very objects compared with below, so the comparisons that match are identity checks
    parser.intern.update((tag, tag) for tag in (_ROW_TAG, _CELL_TAG, _VALUE_TAG, _FORMULA_TAG, _INLINE_TAG, _MERGE_TAG, _T, _R))
    parse, read = parser.Parse, source.read
    while chunk := read(_READ_SIZE):
        parse(chunk, False)
    parse(b"", True)
    table.add_all(pending)
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
        """One cell: ``add_all`` of a single (number, index, value)."""
        self.add_all(((number, index, value),))

    def add_all(self, cells: Iterable[tuple[int, int, Any]]) -> None:
        """Place each (Excel row number, column index, value) in turn: rows up to HEADER_SEARCH_ROWS are kept
        until the header is known (decided at the first cell below them); then each cell of a row below the
        header goes to its known column's slot, or counts as a note or other content of the row."""
        items = iter(cells)
        if self.early is not None:
            for number, index, value in items:
                if number <= HEADER_SEARCH_ROWS:
                    self.early.setdefault(number, {})[index] = value
                    continue
                self._decide_header()
                items = chain(((number, index, value),), items)
                break
            else:
                return
        if not self.header:
            return
        header_number, rows, slot_of, name_index = self.header_number, self.rows, self.slot, self.name_index
        width = len(self.columns) + 1
        current, row = 0, []
        for number, index, value in items:
            if number <= header_number:
                continue
            if number != current:
                row = rows.get(number)  # type: ignore[assignment]
                if row is None:
                    row = rows[number] = [None] * width
                current = number
            slot = slot_of.get(index)
            if slot is not None:
                row[slot] = value
            elif name_index is not None and index <= name_index:
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
        self.add_all((number, index, value) for number in sorted(early) for index, value in early[number].items())

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


def _shift_serial_dates(rows: Iterable[_Row]) -> Iterator[_Row]:
    """A workbook in the 1904 date system: plain numbers in date columns are serials of that system."""
    dates = [c.field for c in COLUMNS if c.kind == "date"]
    for number, values, locate in rows:
        for field_name in dates:
            value = values.get(field_name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values[field_name] = value + _EPOCH_1904_SHIFT
        yield number, values, locate


def _is_total(value: Any) -> bool:
    """A 合计/总计 row under the projects is a sum, not a project."""
    return isinstance(value, str) and "".join(value.split()) in TOTAL_ROW_NAMES


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
    rows: list[_Row] = []
    for i, item in enumerate(items):
        line = doc.line_of(("projects", i)) or 0
        if not isinstance(item, dict):
            errors.append(InputError("每个项目应为“列名: 值”的键值", Location(file=path, line=line)))
            continue
        cells: dict[str, Any] = {}
        places: dict[str, Location] = {}
        for key, value in item.items():
            where = Location(file=path, line=doc.line_of(("projects", i, str(key))), field=str(key))
            column = column_for(key)
            if column is None:
                errors.append(InputError(f"不认识的列名“{key}”（可用：{known}）", where))
            elif column.field in cells:
                errors.append(InputError(f"与“{column.header}”重复", where))
            else:
                cells[column.field] = value
                places[column.field] = _with_field(where, column.header)

        def locate(column: Column, places: dict[str, Location] = places, line: int = line) -> Location:
            return places.get(column.field) or Location(file=path, line=line, field=column.header)

        rows.append((line, cells, locate))
    return _Sheet(rows, errors, None, [])
