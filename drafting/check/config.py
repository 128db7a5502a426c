"""What to check and how strictly: priorities, selected rules, severity overrides, term lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafting.check.model import SEVERITIES
from drafting.errors import InputError


@dataclass
class CheckConfig:
    """``priorities`` are objects with name, aliases, min and in_heading (drafting.priorities.Priority)."""

    priorities: list[Any] | None = None
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    severities: dict[str, str] = field(default_factory=dict)  # rule id → error|warning|info
    term_files: list[Path] = field(default_factory=list)  # user outdated-term lists, added to the built-in one
    builtin_terms: bool = True
    keyword_count: int = 10
    # 一、 followed directly by 1. in a document that never uses （一）: many offices allow it
    two_level: str = "warning"  # error | warning | info | off
    known_names: frozenset[str] = frozenset()  # names the meeting itself uses (某某区 is then not a blank)

    def validate(self, known: Iterable[str]) -> None:
        """Raise InputError for unknown rule ids or severities."""
        known = set(known)
        names = "、".join(sorted(known))
        for option, ids in (("--select", self.select or ()), ("--ignore", self.ignore), ("--severity", self.severities)):
            for rule_id in ids:
                if rule_id not in known:
                    raise InputError(f"{option}：未知的检查规则“{rule_id}”（可用：{names}）")
        if self.two_level not in (*SEVERITIES, "off"):
            raise InputError(f"--two-level：级别“{self.two_level}”无效（可用：error、warning、info、off）")
        for rule_id, severity in self.severities.items():
            if severity not in SEVERITIES:
                raise InputError(f"--severity：规则“{rule_id}”的级别“{severity}”无效（可用：error、warning、info）")

    def enabled(self, rule_id: str) -> bool:
        return (self.select is None or rule_id in self.select) and rule_id not in self.ignore


def parse_rule_ids(value: str | None) -> frozenset[str] | None:
    """"numbering, repeat" → {"numbering", "repeat"}; None or empty → None."""
    if not value:
        return None
    ids = {part.strip() for part in value.replace("，", ",").split(",") if part.strip()}
    return frozenset(ids) or None


def parse_severity_overrides(values: Iterable[str]) -> dict[str, str]:
    """["repeat=error", "outdated-term=info"] → {"repeat": "error", ...}."""
    overrides: dict[str, str] = {}
    for value in values:
        for part in value.replace("，", ",").split(","):
            if not part.strip():
                continue
            rule_id, sep, severity = part.partition("=")
            if not sep or not rule_id.strip() or not severity.strip():
                raise InputError(f"--severity：“{part}”格式应为 规则=级别，例如 repeat=error")
            overrides[rule_id.strip()] = severity.strip().lower()
    return overrides
