"""Table column widths from the content, and header cells broken between words.

Widths are measured in ems of the table text (a CJK character is 1 em). A
figure or a short label never wraps: its column is at least as wide as its
widest such cell. A header wraps only between words (jieba boundaries, never
inside brackets or a number), so its column is at least as wide as its longest
word. A column of text longer than a label wraps anywhere but keeps
``text_min_em`` a line. Long text columns share what is left, in proportion to the author's
``::widths`` when given, else to their content. Every function here is linear
in the number of cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from drafting.titlebreak import break_title, unbreakable_segments

# Advance widths (em) of half-width characters in Times New Roman; CJK and full-width are 1.
_NARROW = {".": 0.25, ",": 0.25, ":": 0.28, ";": 0.28, " ": 0.25, "-": 0.33, "%": 0.83, "/": 0.28, "(": 0.33, ")": 0.33}
_NUMBER = re.compile(r"^[-+－]?[\d,，]*\.?\d+\s*[%％]?$")
_WIDE_FROM = "\u2e80"  # characters from here on are 1 em wide and not Latin (no autospace)


class _CharClasses(dict):
    """Code point → one letter: width class (1, ¼ or ½ em), ASCII or not, space or not; "x" for the other widths.

    Filled as characters are met (``str.translate`` asks for each), up to ``_CLASSES_MAX`` of them (a text of
    many rare characters is still measured right, only slower). "x" marks widths that are not a multiple
    of ¼ em (0.28, 0.33, 0.72, 0.83): a text holding one is measured by the walk, in its order of additions.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        space = ch.isspace()
        if code >= 0x2E80:
            letter = "W" if not space else "w"  # 1 em, not ASCII
        elif ch in _NARROW:
            letter = ("Q" if not space else "q") if _NARROW[ch] == 0.25 else "x"  # ¼ em, ASCII
        elif ch.isupper():
            letter = "x"
        elif ch.isascii():
            letter = "H" if not space else "h"  # ½ em, ASCII
        else:
            letter = "N" if not space else "n"  # ½ em, not ASCII
        if len(self) < _CLASSES_MAX:
            self[code] = letter
        return letter


_CLASSES_MAX = 20_000  # characters remembered: about 2 MB at most
_CLASSES = _CharClasses()
# the class letters as what autospace sees: A an ASCII character, C another, S a space
_AUTOSPACE_KINDS = str.maketrans("WwQqHhNn", "CSASASCS")


@lru_cache(maxsize=8192)  # a table's cells are measured twice (widths, then line counts); batches repeat headers
def text_em(text: str, autospace_em: float = 0.25) -> float:
    """Width of ``text`` in ems of its font size, with ``autospace_em`` between Chinese and Latin or digits."""
    if not text or min(text) >= _WIDE_FROM:  # min(): no regex over the whole of Unicode to compile
        return float(len(text))  # all 1 em and no Latin: no autospace
    if abs(autospace_em) <= 64 and float(autospace_em * 4).is_integer():
        classes = text.translate(_CLASSES)
        if "x" not in classes:
            # Every width is a multiple of ¼ em, so every partial sum of the walk below is exact and
            # counting gives the same float. Autospace comes between neighbours that are not spaces, one
            # ASCII and one not.
            wide = classes.count("W") + classes.count("w")
            quarter = classes.count("Q") + classes.count("q")
            half = len(classes) - wide - quarter
            kinds = classes.translate(_AUTOSPACE_KINDS)
            gaps = kinds.count("AC") + kinds.count("CA")
            return (4 * wide + quarter + 2 * half) * 0.25 + gaps * autospace_em
    total = 0.0
    previous = None
    for ch in text:
        latin = ch.isascii()
        if previous is not None and latin != previous and not ch.isspace():
            total += autospace_em
        previous = None if ch.isspace() else latin
        if ord(ch) >= 0x2E80:
            total += 1
        elif ch in _NARROW:
            total += _NARROW[ch]
        elif ch.isupper():
            total += 0.72
        else:
            total += 0.5
    return total


@lru_cache(maxsize=8192)  # asked of every body cell two or three times while a table is laid out
def is_figure(text: str) -> bool:
    """A number, amount or rate: 2.5, 1,200, -3.1, 100.0%."""
    return bool(_NUMBER.match(text.strip()))


@dataclass(frozen=True)
class TableLayout:
    widths_em: list[float]  # text width of each column, cell margins not included
    header_lines: list[list[list[str]]]  # per header row, per column: its lines

    def estimated_lines(self, rows: Sequence[Sequence[str]], header_rows: int) -> list[int]:
        """Lines each row takes at these widths (headers as broken; other text wraps anywhere)."""
        counts = []
        for r, row in enumerate(rows):
            if r < len(self.header_lines):
                counts.append(max((len(lines) for lines in self.header_lines[r]), default=1))
                continue
            most = None  # max((ceil(text_em(cell) / w) if cell else 1 for …), default=1), without a generator
            for cell, w in zip(row, self.widths_em):
                lines = math.ceil(text_em(cell) / w) if cell else 1
                if most is None or lines > most:
                    most = lines
            counts.append(1 if most is None else most)
        return counts


def plan_table(
    rows: Sequence[Sequence[str]],
    header_rows: int,
    available_em: float,
    *,
    weights: Sequence[float] | None = None,
    label_max_em: float = 10,
    text_min_em: float = 6,
    slack_em: float = 0.4,
) -> TableLayout:
    """Column widths (ems) summing to ``available_em``, and the header cells' lines at those widths."""
    columns = max((len(row) for row in rows), default=0)
    if all(len(row) == columns for row in rows):
        cells = rows  # already rectangular (the writer's rows are): no copy of a huge table
    else:
        cells = [[row[c] if c < len(row) else "" for c in range(columns)] for row in rows]
    minimum = [1.0 + slack_em] * columns  # every column holds at least one character
    natural = [1.0] * columns
    labels = [0.0] * columns  # widest figure or short label of each column
    text_column = [False] * columns  # holds text longer than a label: wraps anywhere
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            text = text.strip()
            if not text:
                continue
            width = text_em(text)
            if width > natural[c]:  # natural[c] = max(natural[c], width), once per cell
                natural[c] = width
            if r < header_rows:
                longest_word = max((text_em(part) for part in unbreakable_segments(text)), default=width)
                minimum[c] = max(minimum[c], longest_word + slack_em)
            elif is_figure(text) or width <= label_max_em:
                if width > labels[c]:
                    labels[c] = width
            else:
                text_column[c] = True
    for c in range(columns):
        # A label column never wraps; a text column keeps its figures whole and a few characters a line.
        floor = min(natural[c], text_min_em) if text_column[c] else 0.0
        minimum[c] = max(minimum[c], (labels[c] if not text_column[c] else 0.0) + slack_em, floor + slack_em)
        if text_column[c]:
            figures = [text_em(row[c].strip()) for row in cells[header_rows:] if is_figure(row[c])]
            minimum[c] = max(minimum[c], max(figures, default=0.0) + slack_em)
    if weights is None or len(weights) != columns or any(w <= 0 for w in weights):
        weights = [max(n + slack_em, m) for n, m in zip(natural, minimum)]
    widths = _share(available_em, minimum, list(weights))
    header_lines = [
        [break_title(text.strip(), width - slack_em / 2, text_em) if text.strip() else [""] for text, width in zip(row, widths)]
        for row in cells[:header_rows]
    ]
    return TableLayout(widths, header_lines)


def _share(total: float, minimum: list[float], weights: list[float]) -> list[float]:
    """Split ``total`` by ``weights``, raising any share below its minimum and taking it from the rest."""
    if sum(minimum) >= total:  # cannot honour every minimum: shrink them alike
        scale = total / sum(minimum) if minimum else 1
        return [m * scale for m in minimum]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        left = total - sum(fixed.values())
        weight = sum(weights[i] for i in free)
        shares = {i: left * weights[i] / weight for i in free}
        short = {i: minimum[i] for i, share in shares.items() if share < minimum[i]}
        if not short:
            return [fixed.get(i, shares.get(i, 0.0)) for i in range(len(weights))]
        fixed.update(short)
