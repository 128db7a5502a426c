"""Typed errors. The library raises them; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its class, args and attributes, without calling __init__ again: the subclasses' own
        # signatures (InputErrors(errors), OmittedErrors(count)) differ from the args they leave behind.
        return (_rebuild_error, (type(self), self.args, self.__dict__))


def _rebuild_error(kind: type[InputError], args: tuple[Any, ...], state: dict[str, Any]) -> InputError:
    error = kind.__new__(kind, *args)
    error.__dict__.update(state)
    return error


# At most this many problems are listed; the rest are counted in one closing line.
MAX_SHOWN_ERRORS = 50


class OmittedErrors(InputError):
    """Stands for ``count`` problems that were found but are not listed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"另有{count}处问题未列出（只列出前{MAX_SHOWN_ERRORS}处，请改正后再试）")
        self.count = count

    def __str__(self) -> str:
        return self.message


class InputErrors(InputError):
    """Several input problems found in one pass; shown one per line.

    Only the first MAX_SHOWN_ERRORS are kept; the others become one ``OmittedErrors``
    at the end (so wrapping errors of several files again stays capped and counted).
    """

    def __init__(self, errors: list[InputError]) -> None:
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        shown: list[InputError] = []
        omitted = 0
        for error in errors:
            if isinstance(error, OmittedErrors):
                omitted += error.count
            elif len(shown) < MAX_SHOWN_ERRORS:
                shown.append(error)
            else:
                omitted += 1
        first = shown[0] if shown else errors[0]
        super().__init__(first.message, first.location)
        self.errors: list[InputError] = shown + ([OmittedErrors(omitted)] if omitted else [])
        self.total = len(shown) + omitted

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ErrorCollector:
    """Collects problems in bounded memory: keeps the first MAX_SHOWN_ERRORS in order of ``key``
    (by default, order of arrival) and only counts the rest."""

    def __init__(self, key: Callable[[InputError], Any] | None = None, limit: int = MAX_SHOWN_ERRORS) -> None:
        self._key = key
        self._limit = limit
        self._heap: list[tuple[Any, int, InputError]] = []  # max-heap by (key, arrival) via negation
        self._arrivals = 0
        self.omitted = 0

    def add(self, error: InputError) -> None:
        if isinstance(error, InputErrors):
            for each in error.errors:
                self.add(each)
            return
        if isinstance(error, OmittedErrors):
            self.omitted += error.count
            return
        self._arrivals += 1
        key = (_Reversed(self._key(error) if self._key else 0), -self._arrivals)
        if len(self._heap) < self._limit:
            heapq.heappush(self._heap, (key, self._arrivals, error))
        elif key > self._heap[0][0]:  # earlier than the latest kept one
            heapq.heapreplace(self._heap, (key, self._arrivals, error))
            self.omitted += 1
        else:
            self.omitted += 1

    def extend(self, errors: Iterable[InputError]) -> None:
        for error in errors:
            self.add(error)

    def __bool__(self) -> bool:
        return bool(self._heap) or self.omitted > 0

    def __len__(self) -> int:
        return len(self._heap) + self.omitted

    def errors(self) -> list[InputError]:
        kept = [error for _, _, error in sorted(self._heap, key=lambda item: item[0], reverse=True)]
        return kept + ([OmittedErrors(self.omitted)] if self.omitted else [])

    def raise_if_any(self) -> None:
        if self:
            raise InputErrors(self.errors())


@dataclass(frozen=True)
class _Reversed:
    """Inverts the order of a key, turning heapq's min-heap into a max-heap."""

    key: Any

    def __lt__(self, other: "_Reversed") -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and other.key == self.key


class TemplateError(InputError):
    """A template failed: undefined variable, syntax error or a refused (unsafe) operation."""


class OutputExistsError(InputError):
    """An output file already exists and --force was not given."""
