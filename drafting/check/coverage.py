"""Priority coverage: how often each priority (name or alias) is mentioned, on token boundaries."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

from drafting.check.model import CoverageRow
from drafting.check.rules.base import Covered
from drafting.tokens import add_terms, token_boundaries
from drafting.check.units import Unit

OPENING = "开头部分"
TITLE = "标题"


def _section(unit: Unit) -> str:
    if unit.kind == "title" and unit.scope == 0:
        return TITLE
    if unit.scope:
        return f"附件{unit.scope}"
    return unit.section or OPENING


def find_term(text: str, term: str, bounds: set[int]) -> list[tuple[int, int]]:
    """Spans of ``term`` in ``text`` that start or end on a token boundary.

    旅游 in 文化旅游业 or 旅游名县 is a mention (the compound opens or closes with it);
    民生 in 人民生活 runs across the middle of two words and is not.
    """
    spans: list[tuple[int, int]] = []
    start = text.find(term)
    while start != -1:
        end = start + len(term)
        if start in bounds or end in bounds:
            spans.append((start, end))
        start = text.find(term, start + 1)
    return spans


def _mentioning(units: Sequence[Unit], terms: list[str], joined: str, starts: list[int]) -> Iterator[Unit]:
    """The units whose text holds one of ``terms``, in order (one scan of the joined texts)."""
    if any("\n" in term or not term for term in terms):  # could run across two units: look unit by unit
        yield from (unit for unit in units if any(term in unit.text for term in terms))
        return
    last = -1
    for match in re.finditer("|".join(map(re.escape, terms)), joined):
        index = bisect_right(starts, match.start()) - 1  # no match runs across the "\n" between two units
        if index != last:
            last = index
            yield units[index]


def coverage_table(units: Sequence[Unit], priorities: Sequence[Any]) -> list[CoverageRow]:
    """One row per priority: mentions, the sections they are in, and mentions in headings."""
    add_terms(term for p in priorities for term in [p.name, *p.aliases])
    bounds_cache: dict[str, set[int]] = {}
    rows: list[CoverageRow] = []
    joined = "\n".join(unit.text for unit in units)
    starts = list(accumulate((len(unit.text) + 1 for unit in units[:-1]), initial=0))
    for priority in priorities:
        terms = sorted({priority.name, *priority.aliases}, key=len, reverse=True)
        hits = heading_hits = 0
        sections: list[str] = []
        for unit in _mentioning(units, terms, joined, starts):
            bounds = bounds_cache.get(unit.text)
            if bounds is None:
                bounds = bounds_cache[unit.text] = token_boundaries(unit.text)
            spans: list[tuple[int, int]] = []
            covered = Covered(len(unit.text))
            for term in terms:
                for span in find_term(unit.text, term, bounds):
                    if covered.take(*span):
                        spans.append(span)
            if not spans:
                continue
            hits += len(spans)
            if unit.kind == "heading":
                heading_hits += len(spans)
            section = _section(unit)
            if section not in sections:
                sections.append(section)
        rows.append(
            CoverageRow(
                priority=priority.name,
                hits=hits,
                sections=sections,
                required=priority.min,
                in_heading=priority.in_heading,
                heading_hits=heading_hits,
            )
        )
    return rows
