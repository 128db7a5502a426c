"""The few parts of an .xlsx workbook the ledger needs, read without importing openpyxl.

A ledger build needs: where the first worksheet is, the date system (1900 or 1904), the shared strings
and which cell styles show dates. openpyxl's reader builds the whole workbook model for that and its
import alone costs about 0.25 s of every build. This module reads just these parts with expat, the way
openpyxl 3.1 reads them (tests/test_xlsxparts.py compares both on generated and hostile workbooks),
and holds the small helpers the sheet reader uses: column letters, cell ranges, Excel serial dates.

Every part is parsed by ``xml_parser``: no DOCTYPE is accepted, so no entity can be declared or
expanded (billion laughs) and nothing external is loaded. A part that cannot be read raises
``WorkbookError``; the caller turns it into its own message.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable
from xml.parsers import expat

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKBOOK_TYPES = tuple(  # as openpyxl looks for them: template with macros, template, with macros, plain
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "ms-excel.template.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES_PART = "xl/styles.xml"  # openpyxl reads styles from this fixed path, not through relationships

WINDOWS_EPOCH = datetime(1899, 12, 30)  # day 0 of the 1900 date system (after Excel's fictitious 1900-02-29)
MAC_EPOCH = datetime(1904, 1, 1)  # day 0 of the 1904 date system

# Built-in number formats (ECMA-376 Part 1, 18.8.30) that show a date or time, and the one that shows
# elapsed hours ([h]:mm:ss); the locale-dependent ids (27–36, 50–58) are the caller's business.
_BUILTIN_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_BUILTIN_TIMEDELTA_IDS = frozenset({46})


class WorkbookError(Exception):
    """A part is missing, not well-formed, or holds a DOCTYPE."""


# --- XML ------------------------------------------------------------------------------------------


def _refuse(*_: Any) -> None:
    raise WorkbookError("DOCTYPE or entity declaration")


def xml_parser(
    start: Callable[[str, dict[str, str]], Any] | None = None,
    end: Callable[[str], Any] | None = None,
    text: Callable[[str], Any] | None = None,
) -> Any:
    """An expat parser giving element names as ``namespace}local`` (``local`` without a namespace),
    text in as few pieces as possible, and refusing any DOCTYPE (so no entities)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _elements(data: bytes) -> list[tuple[int, str, dict[str, str]]]:
    """Every element of a small part as (depth, local name, attributes), in document order."""
    found: list[tuple[int, str, dict[str, str]]] = []
    depth = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        found.append((depth, _local(name), attrs))

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    xml_parser(start, end).Parse(data, True)
    return found


def _children(elements: list[tuple[int, str, dict[str, str]]], name: str) -> list[dict[str, str]]:
    """Attributes of the root's child elements with local name ``name`` (any namespace)."""
    return [attrs for depth, local, attrs in elements if depth == 2 and local == name]


# --- the parts ------------------------------------------------------------------------------------


@dataclass
class WorkbookParts:
    """What the ledger reads from the workbook; ``archive`` stays open for the sheet (close it)."""

    archive: zipfile.ZipFile
    sheet_path: str | None  # the first worksheet's part (None: the workbook has none)
    date1904: bool
    shared_strings: list[str]
    date_styles: set[str] = field(default_factory=set)  # cell style indexes (the s attribute) showing dates
    timedelta_styles: set[str] = field(default_factory=set)  # … showing elapsed time ([h]:mm:ss)

    @property
    def epoch(self) -> datetime:
        return MAC_EPOCH if self.date1904 else WINDOWS_EPOCH


def read_workbook(path: Path, extra_date_format_ids: frozenset[int] = frozenset()) -> WorkbookParts:
    """Read the parts of the workbook at ``path``. Styles whose built-in number format id is in
    ``extra_date_format_ids`` (and not redefined in the file) count as dates too."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError("not a zip archive") from exc
    try:
        names = set(archive.namelist())
        content_types = _elements(archive.read("[Content_Types].xml"))
        overrides, defaults = _children(content_types, "Override"), _children(content_types, "Default")
        for attrs in overrides:
            if "PartName" not in attrs or "ContentType" not in attrs:
                raise WorkbookError("content type without a part name")
        shared: list[str] = []
        strings_part = next((a["PartName"] for a in overrides if a["ContentType"] == _SHARED_STRINGS_TYPE), None)
        if strings_part is not None:
            with archive.open(strings_part[1:]) as source:
                shared = read_shared_strings(source)
        workbook_part = _workbook_part(overrides, defaults)
        date1904, sheets = _read_workbook_part(archive.read(workbook_part))
        sheet_path = _first_worksheet(archive, workbook_part, sheets, names)
        date_styles, timedelta_styles = set(), set()
        if _STYLES_PART in names:
            date_styles, timedelta_styles = read_date_styles(archive.read(_STYLES_PART), extra_date_format_ids)
    except Exception as exc:  # a damaged part fails in many ways (KeyError, ValueError, expat errors…)
        archive.close()
        if isinstance(exc, WorkbookError):
            raise
        raise WorkbookError(str(exc)) from exc
    return WorkbookParts(archive, sheet_path, date1904, shared, date_styles, timedelta_styles)


def _workbook_part(overrides: list[dict[str, str]], defaults: list[dict[str, str]]) -> str:
    for kind in _WORKBOOK_TYPES:
        for attrs in overrides:
            if attrs["ContentType"] == kind:
                return attrs["PartName"][1:]
    if any(attrs.get("ContentType") in _WORKBOOK_TYPES for attrs in defaults):
        return "xl/workbook.xml"  # a writer that made the workbook type the default for .xml
    raise WorkbookError("no workbook part")


def _true(value: str | None) -> bool:
    """An xsd:boolean as openpyxl takes it: false, f, 0 and the empty text are false."""
    return value is not None and value not in ("false", "f", "0", "")


def _read_workbook_part(data: bytes) -> tuple[bool, list[str | None]]:
    """The 1904 flag and each sheet's relationship id, in workbook order."""
    elements = _elements(data)
    properties = _children(elements, "workbookPr")
    date1904 = _true(properties[-1].get("date1904")) if properties else False  # of several, the last counts
    sheets: list[str | None] = []
    # every child of <sheets> is a sheet, whatever its name; keep document order
    trail = ["", "", ""]
    for depth, name, attrs in elements:
        if depth <= 2:
            trail[depth] = name
            if depth == 2 and name == "sheets":
                sheets = []  # of several <sheets>, the last counts
        elif depth == 3 and trail[2] == "sheets":
            if "name" not in attrs:
                raise WorkbookError("sheet without a name")
            int(attrs.get("sheetId", ""))
            sheets.append(attrs.get(f"{_REL_NS}}}id"))
    return date1904, sheets


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The part's relationships: id → (type, target as a path in the archive)."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", f"{name}.rels")
    parent = posixpath.split(posixpath.dirname(rels_path))[0]
    found: dict[str, tuple[str, str]] = {}
    items = [attrs for depth, _, attrs in _elements(archive.read(rels_path)) if depth == 2]
    if any("Type" not in attrs or "Target" not in attrs for attrs in items):
        return {}  # openpyxl drops a list holding an incomplete relationship
    for attrs in items:
        target = attrs["Target"]
        if attrs.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
        found[attrs.get("Id")] = (attrs["Type"], target)  # type: ignore[index]
    return found


def _first_worksheet(archive: zipfile.ZipFile, workbook_part: str, sheets: list[str | None], names: set[str]) -> str | None:
    """The first sheet (hidden or not) that is a worksheet present in the archive; chartsheets are skipped."""
    relationships: dict[str, tuple[str, str]] | None = None
    for rel_id in sheets:
        if not rel_id:
            continue  # openpyxl drops such a sheet with a warning
        if relationships is None:
            relationships = _relationships(archive, workbook_part)
        kind, target = relationships[rel_id]
        if target in names and "chartsheet" not in kind:
            return target
    return None


def read_shared_strings(source: Any) -> list[str]:
    """Each <si>'s text: its own <t>, then the <t> of each rich-text run <r>; phonetic runs left out.
    As openpyxl reads it: of several <t> the last counts, text after a child element is not text,
    and ``x005F_`` (the escape of an underscore before an escape) is removed."""
    strings: list[str] = []
    si_name = f"{MAIN_NS}}}si"
    depth = 0
    si_depth = 0
    plain: str | None = None
    runs: list[str | None] = []
    run_text: str | None = None
    collecting: list[str] | None = None
    target = ""  # where collected text goes: "plain" or "run"
    in_run = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, si_depth, plain, runs, run_text, collecting, target, in_run
        depth += 1
        finish_text()
        if name == si_name and not si_depth:
            si_depth, plain, runs = depth, None, []
        elif si_depth and depth == si_depth + 1:
            local = _local(name)
            if local == "t":
                collecting, target = [], "plain"
            elif local == "r":
                in_run, run_text = True, None
        elif in_run and depth == si_depth + 2 and _local(name) == "t":
            collecting, target = [], "run"

    def finish_text() -> None:
        nonlocal collecting, plain, run_text
        if collecting is not None:
            value = "".join(collecting) or None
            if target == "plain":
                plain = value
            else:
                run_text = value
            collecting = None

    def end(name: str) -> None:
        nonlocal depth, si_depth, in_run
        finish_text()
        if si_depth and depth == si_depth + 1 and in_run and _local(name) == "r":
            runs.append(run_text)
            in_run = False
        elif depth == si_depth and name == si_name:
            text = "".join(s for s in ([plain] + runs) if s is not None)
            strings.append(text.replace("x005F_", ""))
            si_depth = 0
        depth -= 1

    def text(data: str) -> None:
        if collecting is not None:
            collecting.append(data)

    xml_parser(start, end, text).ParseFile(source)
    return strings


# --- styles ---------------------------------------------------------------------------------------


def read_date_styles(data: bytes, extra_date_format_ids: frozenset[int] = frozenset()) -> tuple[set[str], set[str]]:
    """(styles showing dates, styles showing elapsed time) of styles.xml, as cell ``s`` attributes."""
    custom: dict[int, str] = {}
    xfs: list[int] = []
    trail = ["", "", ""]
    for depth, name, attrs in _elements(data):
        if depth <= 2:
            trail[depth] = name
            if depth == 2 and name == "numFmts":  # of several lists, the last counts
                custom = {}
            elif depth == 2 and name == "cellXfs":
                xfs = []
        elif depth == 3 and trail[2] == "numFmts" and name == "numFmt":
            if "formatCode" not in attrs:
                raise WorkbookError("number format without a code")
            custom[int(attrs["numFmtId"])] = attrs["formatCode"]
        elif depth == 3 and trail[2] == "cellXfs" and name == "xf":
            xfs.append(int(attrs.get("numFmtId", 0)))
    dates, timedeltas = set(), set()
    for index, number in enumerate(xfs):
        code = custom.get(number)
        if code is not None:
            is_date, is_timedelta = is_date_format(code), is_timedelta_format(code)
        else:
            is_date = number in _BUILTIN_DATE_IDS or number in extra_date_format_ids
            is_timedelta = number in _BUILTIN_TIMEDELTA_IDS
        if is_date:
            dates.add(str(index))
        if is_timedelta:
            timedeltas.add(str(index))
    return dates, timedeltas


# Parts of a number format that show no date: quoted text and bracketed colours or locales
# (but not the elapsed-time [h], [mm], [ss]).
_NOT_DATE_PARTS = re.compile(r'"[^"]*"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[(?:hh?|mm?|ss?)\]", re.IGNORECASE)


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time: a date letter in its positive section that is not
    quoted, bracketed, escaped (\\d) or a space placeholder (_d)."""
    positive = code.split(";", 1)[0]
    return _DATE_LETTER.search(_NOT_DATE_PARTS.sub("", positive)) is not None


def is_timedelta_format(code: str) -> bool:
    """Whether a number format shows elapsed time: [h], [m] or [s] in its positive section."""
    return _ELAPSED.search(code.split(";", 1)[0]) is not None


# --- cell references ------------------------------------------------------------------------------

_LETTERS = {chr(ord("A") + i): i + 1 for i in range(26)}
MAX_COLUMN_INDEX = 18278  # ZZZ


def column_index(letters: str) -> int:
    """A (1) … ZZZ (18278), any case; ValueError otherwise."""
    if len(letters) > 3:
        raise ValueError(f"not a column: {letters!r}")
    index = 0
    for letter, weight in zip(reversed(letters.upper()), (1, 26, 676)):
        try:
            index += _LETTERS[letter] * weight
        except KeyError:
            raise ValueError(f"not a column: {letters!r}") from None
    if not 0 < index <= MAX_COLUMN_INDEX:
        raise ValueError(f"not a column: {letters!r}")
    return index


_COLUMN_LETTERS: dict[int, str] = {}


def column_letter(index: int) -> str:
    """1 → A, 27 → AA, up to 18278 → ZZZ; ValueError otherwise."""
    letters = _COLUMN_LETTERS.get(index)
    if letters is None:
        if not 1 <= index <= MAX_COLUMN_INDEX:
            raise ValueError(f"not a column index: {index}")
        letters, rest = "", index
        while rest:
            rest, digit = divmod(rest - 1, 26)
            letters = chr(ord("A") + digit) + letters
        _COLUMN_LETTERS[index] = letters
    return letters


_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?(:\$?([A-Za-z]{1,3})?\$?(\d+)?)?$")


def range_bounds(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """(first column, first row, last column, last row) of A1, A1:C3, A:C or 1:3 (None where open);
    ValueError for anything else."""
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"not a range: {text!r}")
    first_col, first_row, colon, last_col, last_row = match.groups()
    if colon:
        columns, rows = (first_col, last_col), (first_row, last_row)
        if not (all(columns + rows) or (all(columns) and not any(rows)) or (all(rows) and not any(columns))):
            raise ValueError(f"not a range: {text!r}")
    min_col = column_index(first_col) if first_col is not None else None
    min_row = int(first_row) if first_row is not None else None
    max_col = column_index(last_col) if last_col is not None else min_col
    max_row = int(last_row) if last_row is not None else min_row
    return min_col, min_row, max_col, max_row


# --- serial dates ---------------------------------------------------------------------------------


def from_serial(value: float, epoch: datetime = WINDOWS_EPOCH, elapsed: bool = False) -> datetime | time | timedelta:
    """An Excel serial as Excel shows it: a datetime (to the millisecond); a time of day for serials
    in [0, 1); with ``elapsed``, a timedelta (to the millisecond). Serials below 60 in the 1900 system
    are shifted by a day, as Excel counts a 1900-02-29 that never was."""
    if elapsed:
        span = timedelta(days=value)
        if span.microseconds:
            span = timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
        return span
    days, part = divmod(value, 1)
    clock = timedelta(milliseconds=round(part * 86_400_000))
    if 0 <= value < 1 and clock.days == 0:
        minutes, seconds = divmod(clock.seconds, 60)
        return time(minutes // 60, minutes % 60, seconds, clock.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        days += 1
    return epoch + timedelta(days=days) + clock
