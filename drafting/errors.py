"""Typed errors. The library raises them; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DraftingError(Exception):
    """Any failure the user should see as one clear Chinese message (exit status 1)."""


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and a row (Excel row as Excel shows it) or a line, and a field."""

    file: str | Path | None = None
    line: int | None = None  # YAML / text / template line, 1-based
    row: int | None = None  # spreadsheet row, 1-based as shown in Excel
    column: str | None = None  # spreadsheet column letter, e.g. "G"
    field: str | None = None  # field or column name, e.g. "meeting.date" or "总投资（亿元）"

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(Path(self.file).name if isinstance(self.file, Path) else str(self.file))
        if self.row is not None:
            parts.append(f"第{self.row}行")
        elif self.line is not None:
            parts.append(f"第{self.line}行")
        if self.column:
            parts.append(f"{self.column}列")
        if self.field:
            parts.append(f"“{self.field}”")
        return " ".join(parts)


class InputError(DraftingError):
    """Bad input from the user (exit status 2): names the place and what is wrong."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}：{self.message}" if where else self.message


class InputErrors(InputError):
    """Several input problems found in one pass; shown one per line."""

    def __init__(self, errors: list[InputError]) -> None:
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        super().__init__(errors[0].message, errors[0].location)
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class TemplateError(InputError):
    """A template failed: undefined variable, syntax error or a refused (unsafe) operation."""


class OutputExistsError(InputError):
    """An output file already exists and --force was not given."""
