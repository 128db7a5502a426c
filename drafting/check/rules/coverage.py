"""coverage: every priority of priorities.yaml is mentioned often enough (and in a heading if required)."""

from __future__ import annotations

from collections.abc import Iterator

from drafting.check.coverage import coverage_table
from drafting.check.model import CoverageRow
from drafting.check.rules.base import CheckContext, Hit, Rule


def rows(context: CheckContext) -> list[CoverageRow] | None:
    """The coverage table, computed once per check (None without priorities)."""
    if context.config.priorities is None:
        return None
    if "coverage" not in context.cache:
        context.cache["coverage"] = coverage_table(context.units, context.config.priorities)
    return context.cache["coverage"]


def _check(context: CheckContext) -> Iterator[Hit]:
    aliases = {p.name: list(p.aliases) for p in context.config.priorities or []}
    for row in rows(context) or []:
        also = f"（含别名：{'、'.join(aliases[row.priority])}）" if aliases.get(row.priority) else ""
        if row.hits == 0:
            yield Hit(f"重点工作“{row.priority}”未提及{also}")
            continue
        if row.hits < row.required:
            yield Hit(f"重点工作“{row.priority}”只提及{row.hits}次，少于要求的{row.required}次{also}")
        if row.in_heading and row.heading_hits == 0:
            yield Hit(f"重点工作“{row.priority}”要求出现在标题中，但没有任何标题提及")


RULE = Rule(id="coverage", title="重点工作覆盖", default_severity="error", check=_check)
