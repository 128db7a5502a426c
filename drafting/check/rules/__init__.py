"""The check rules, one module each; ``RULES`` is the registry in report order.

A rule's module is imported when the rule is first looked up, so a run that
selects a few rules (the build's review) does not pay for the others' tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from drafting.check.rules.base import CheckContext, Hit, Rule

# rule id → its module in this package, in report order
_MODULES = {
    "coverage": "coverage",
    "placeholder": "placeholder",
    "numbering": "numbering",
    "declared-count": "declared_count",
    "punctuation": "punctuation",
    "number-usage": "number_usage",
    "date": "date",
    "doc-number": "doc_number",
    "confused-word": "confused_word",
    "outdated-term": "outdated_term",
    "repeat": "repeat",
}


class _Registry(Mapping[str, Rule]):
    """Rule ids to rules, each rule's module imported on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, Rule] = {}

    def __getitem__(self, rule_id: str) -> Rule:
        rule = self._loaded.get(rule_id)
        if rule is None:
            rule = self._loaded[rule_id] = import_module(f"{__name__}.{_MODULES[rule_id]}").RULE
        return rule

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RULES: Mapping[str, Rule] = _Registry()

__all__ = ["RULES", "CheckContext", "Hit", "Rule"]
