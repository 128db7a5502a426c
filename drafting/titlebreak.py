"""Break a title too long for one line into balanced lines at word boundaries.

GB/T 9704 asks that a title which wraps keeps words whole and is laid out as a
trapezoid or diamond; letting Word wrap it splits words at the margin
(…进展情|况的通报). Breaks are chosen among jieba token boundaries, outside
《》（）“” where possible, and the lines are kept as even as possible, the
upper line not longer than the lower when there are two.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from drafting.tokens import cut_state, token_boundaries

_UNITS_AFTER_NUMBERS = "年月日号个项期届次亿万元%％"
_OPENING = "《（(“‘〔【"
_CLOSING = "》）)”’〕】"


def _word_cuts(text: str) -> list[int]:
    """Inner token boundaries of ``text`` that keep numbers whole, in order (cached: batches repeat their headers)."""
    return list(_cached_word_cuts(text, cut_state()))


@lru_cache(maxsize=4096)
def _cached_word_cuts(text: str, state: tuple[int, int]) -> tuple[int, ...]:
    return tuple(c for c in sorted(token_boundaries(text) - {0, len(text)}) if _keeps_numbers_whole(text, c))


def _outside_brackets(text: str) -> set[int]:
    """Offsets not inside a bracket or quotation pair."""
    depth, outside = 0, {0}
    for i, ch in enumerate(text, start=1):
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING and depth:
            depth -= 1
        if depth == 0:
            outside.add(i)
    return outside


def _keeps_numbers_whole(text: str, cut: int) -> bool:
    """No break inside 2026, nor between a number and its unit (2026|年)."""
    before, after = text[cut - 1], text[cut]
    return not (before.isascii() and before.isalnum() and (after.isascii() and after.isalnum() or after in _UNITS_AFTER_NUMBERS))


def _best_split(
    text: str, cuts: Sequence[int], lines: int, max_width: float, width: Callable[[str], float]
) -> list[str] | None:
    """The feasible split into ``lines`` lines at ``cuts`` with the most even widths."""
    points = [0, *cuts, len(text)]
    target = width(text) / lines
    # best[k][j]: (cost, previous index) for the first k lines ending at points[j]
    best: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}]
    for k in range(1, lines + 1):
        layer: dict[int, tuple[float, int]] = {}
        for j in range(1, len(points)):
            for i, (cost, _) in best[k - 1].items():
                if i >= j:
                    continue
                w = width(text[points[i] : points[j]])
                if w > max_width:
                    continue
                total = cost + (w - target) ** 2
                if j not in layer or total < layer[j][0]:
                    layer[j] = (total, i)
        best.append(layer)
    end = len(points) - 1
    if end not in best[lines]:
        return None
    parts, j = [], end
    for k in range(lines, 0, -1):
        i = best[k][j][1]
        parts.append(text[points[i] : points[j]])
        j = i
    return parts[::-1]


def _trapezoid(text: str, cuts: Sequence[int], max_width: float, width: Callable[[str], float]) -> list[str] | None:
    """Two lines: as even as possible, the upper line not longer than the lower when that is possible."""
    options = []
    for cut in cuts:
        top, bottom = text[:cut], text[cut:]
        wt, wb = width(top), width(bottom)
        if wt <= max_width and wb <= max_width:
            options.append((wt > wb, abs(wt - wb), [top, bottom]))
    return min(options, key=lambda o: (o[0], o[1]))[2] if options else None


def break_title(text: str, max_width: float, width: Callable[[str], float]) -> list[str]:
    """Lines for ``text`` so that none is wider than ``max_width`` (in ``width`` units)."""
    text = text.strip()
    if width(text) <= max_width or len(text) < 2:
        return [text]
    lines = max(2, math.ceil(width(text) / max_width))
    words = _word_cuts(text)
    outside = _outside_brackets(text)
    for cuts in ([c for c in words if c in outside], words, list(range(1, len(text)))):
        for count in range(lines, len(text) + 1):
            if count == 2:
                found = _trapezoid(text, cuts, max_width, width)
            else:
                found = _best_split(text, cuts, count, max_width, width)
            if found:
                return found
            if count >= lines + 2:
                break
    return [text]


def unbreakable_segments(text: str) -> list[str]:
    """The pieces ``break_title`` never splits when it has word breaks to choose from (words, brackets, numbers)."""
    return list(_cached_segments(text, cut_state()))


@lru_cache(maxsize=4096)
def _cached_segments(text: str, state: tuple[int, int]) -> tuple[str, ...]:
    outside = _outside_brackets(text)
    cuts = [c for c in _word_cuts(text) if c in outside]
    bounds = [0, *cuts, len(text)]
    return tuple(text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a)
