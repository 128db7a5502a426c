"""The check rules, one module each; ``RULES`` is the registry in report order."""

from __future__ import annotations

from drafting.check.rules import coverage, declared_count, numbering, outdated_term, placeholder, repeat
from drafting.check.rules.base import CheckContext, Hit, Rule

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        coverage.RULE,
        placeholder.RULE,
        numbering.RULE,
        declared_count.RULE,
        outdated_term.RULE,
        repeat.RULE,
    )
}

__all__ = ["RULES", "CheckContext", "Hit", "Rule"]
