"""Values the checker returns: findings, coverage rows, per-file and overall reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how bad, what (Chinese), where (paragraph + heading path), the snippet."""

    rule: str
    severity: Severity
    message: str
    paragraph: int | None = None  # 1-based paragraph number; None for whole-document findings
    heading: str = ""  # heading path, e.g. "一、总体要求 > （二）强化要素保障。"
    text: str = ""  # snippet of the paragraph

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "paragraph": self.paragraph,
            "heading": self.heading,
            "text": self.text,
        }


@dataclass(frozen=True)
class CoverageRow:
    """One priority: how often it is mentioned and in which sections."""

    priority: str
    hits: int
    sections: list[str]
    required: int = 1
    in_heading: bool = False
    heading_hits: int = 0

    @property
    def satisfied(self) -> bool:
        return self.hits >= self.required and (not self.in_heading or self.heading_hits > 0)

    def to_dict(self) -> dict[str, Any]:
        return {"priority": self.priority, "hits": self.hits, "sections": list(self.sections)}


@dataclass
class FileReport:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    coverage: list[CoverageRow] | None = None  # None when no priorities were given
    keywords: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "findings": [f.to_dict() for f in self.findings],
            "coverage": [row.to_dict() for row in self.coverage or []],
            "keywords": list(self.keywords),
        }


@dataclass
class Report:
    files: list[FileReport] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files]}
