"""What a rule is: a stable id, a default severity, a Chinese title, and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from drafting.check.config import CheckConfig
from drafting.check.model import Severity
from drafting.check.units import Unit
from drafting.document import Document

SNIPPET_LENGTH = 40


@dataclass(frozen=True)
class Hit:
    """A rule's raw result; the engine adds the severity."""

    message: str
    unit: Unit | None = None  # None for a whole-document finding
    snippet: str | None = None  # defaults to the start of the unit's text
    severity: Severity | None = None  # a rule may rate one kind of finding lower than its default


@dataclass
class CheckContext:
    document: Document
    units: list[Unit]
    config: CheckConfig
    cache: dict[str, Any] = field(default_factory=dict)  # shared results, e.g. the coverage table


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    default_severity: Severity
    check: Callable[[CheckContext], Iterable[Hit]]


def snippet(text: str, start: int = 0, length: int = SNIPPET_LENGTH) -> str:
    """A short excerpt of ``text`` around ``start``."""
    begin = max(0, start - 10)
    excerpt = text[begin : begin + length]
    prefix = "…" if begin > 0 else ""
    suffix = "…" if begin + length < len(text) else ""
    return f"{prefix}{excerpt}{suffix}"


class Covered:
    """Character positions already reported in one text, so overlapping matches are reported once.

    Checking a span costs its length, so a paragraph with many matches stays linear.
    """

    def __init__(self, length: int) -> None:
        self._taken = bytearray(length)

    def free(self, start: int, end: int) -> bool:
        return not any(self._taken[start:end])

    def take(self, start: int, end: int) -> bool:
        """Mark the span and return True unless part of it is already taken."""
        if not self.free(start, end):
            return False
        self._taken[start:end] = b"\x01" * (end - start)
        return True
