"""The check rules, one module each; ``RULES`` is the registry in report order."""

from __future__ import annotations

from drafting.check.rules import (
    confused_word,
    coverage,
    date,
    declared_count,
    doc_number,
    number_usage,
    numbering,
    outdated_term,
    placeholder,
    punctuation,
    repeat,
)
from drafting.check.rules.base import CheckContext, Hit, Rule

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        coverage.RULE,
        placeholder.RULE,
        numbering.RULE,
        declared_count.RULE,
        punctuation.RULE,
        number_usage.RULE,
        date.RULE,
        doc_number.RULE,
        confused_word.RULE,
        outdated_term.RULE,
        repeat.RULE,
    )
}

__all__ = ["RULES", "CheckContext", "Hit", "Rule"]
