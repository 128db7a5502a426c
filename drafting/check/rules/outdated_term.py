"""outdated-term: formulations no longer used, with the suggested replacement."""

from __future__ import annotations

from collections.abc import Iterator

from drafting.check.rules.base import CheckContext, Hit, Rule, snippet
from drafting.check.terms import OutdatedTerm, collect_terms


def _terms(context: CheckContext) -> list[OutdatedTerm]:
    if "terms" not in context.cache:
        config = context.config
        context.cache["terms"] = collect_terms(config.term_files, config.builtin_terms)
    return context.cache["terms"]


def _check(context: CheckContext) -> Iterator[Hit]:
    # longer terms first, so 工商行政管理局 is reported once rather than also as 工商局
    terms = sorted(_terms(context), key=lambda t: len(t.term), reverse=True)
    for unit in context.units:
        found: list[tuple[int, int, OutdatedTerm]] = []
        for term in terms:
            start = unit.text.find(term.term)
            while start != -1:
                end = start + len(term.term)
                if not any(start < b and a < end for a, b, _ in found):
                    found.append((start, end, term))
                start = unit.text.find(term.term, end)
        for start, _, term in sorted(found, key=lambda item: item[0]):
            note = f"（{term.note}）" if term.note else ""
            yield Hit(f"“{term.term}”已不再使用，建议改为“{term.replacement}”{note}", unit, snippet(unit.text, start))


RULE = Rule(id="outdated-term", title="过时提法", default_severity="warning", check=_check)
