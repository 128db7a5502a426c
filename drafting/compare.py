"""How much of a new draft repeats an old one (``drafting compare OLD NEW``, ``drafting build --previous``).

Both drafts are cut into sentences (at 。！？; headings count as sentences;
sentences shorter than ``MIN_CHARS`` characters once normalised, such as 同志们,
are left out). A NEW sentence *repeats* OLD when

* it is the same after normalising: Unicode NFKC, punctuation and whitespace
  removed (``exact``); or
* its character-bigram Jaccard similarity with an OLD sentence, digits
  collapsed to one sign so that a sentence with only this year's figures
  changed counts as a repeat, is at least ``SIMILARITY_THRESHOLD`` (``near``).

The threshold 0.6 was chosen on sentence pairs of our own (tests/test_compare.py):
a sentence with its figures or one phrase changed stays above it, two different
sentences built from the same set phrases (要加强组织领导……/要加强统筹协调……)
stay below. Candidates are found with prefix filtering over an inverted index
of rare bigrams (only pairs that can reach the threshold are ever scored), so
long drafts are compared in about linear time, never all sentence pairs.

``share`` is the repeated NEW sentences over all counted NEW sentences (0–1).
Figures (numbers with units, :mod:`drafting.quantities`) are paired by the
words before them and their unit; coverage of priorities is compared with the
checker's own coverage table.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafting.check.coverage import coverage_table
from drafting.check.units import Unit, document_units, draft_units
from drafting.document import Document
from drafting.quantities import Quantity, find_quantities
from drafting.readers import load_draft

SIMILARITY_THRESHOLD = 0.6
MIN_CHARS = 6
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def normalise(text: str) -> str:
    """NFKC, without punctuation and whitespace: the form two sentences must share to be the same."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z")) and not c.isspace())


def _bigrams(shape: str) -> frozenset[str]:
    return frozenset(shape[i : i + 2] for i in range(len(shape) - 1)) if len(shape) > 1 else frozenset({shape})


@dataclass(frozen=True)
class Place:
    paragraph: int | None
    section: str  # the level-1 heading it stands under ("" in the opening)
    heading: str  # the innermost heading ("" in the opening)

    def to_dict(self) -> dict[str, Any]:
        return {"paragraph": self.paragraph, "section": self.section, "heading": self.heading}


@dataclass
class Sentence:
    text: str
    place: Place
    key: str  # normalised
    shape: str  # normalised, digits collapsed
    grams: frozenset[str] = frozenset()


@dataclass
class Pair:
    new: Sentence
    old: Sentence
    kind: str  # "exact" | "near"
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "similarity": round(self.similarity, 3),
            "new": {"text": self.new.text, **self.new.place.to_dict()},
            "old": {"text": self.old.text, **self.old.place.to_dict()},
        }


@dataclass
class CoverageChange:
    priority: str
    old: int
    new: int
    old_satisfied: bool
    new_satisfied: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority,
            "old": self.old,
            "new": self.new,
            "old_satisfied": self.old_satisfied,
            "new_satisfied": self.new_satisfied,
        }


@dataclass
class FigureChange:
    what: str  # the words before the figure
    old: str
    new: str
    old_place: Place
    new_place: Place

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "old": self.old, "new": self.new, "old_place": self.old_place.to_dict(), "new_place": self.new_place.to_dict()}


@dataclass
class Comparison:
    old_name: str
    new_name: str
    total: int  # counted NEW sentences
    pairs: list[Pair] = field(default_factory=list)
    coverage: list[CoverageChange] | None = None
    figures: list[FigureChange] = field(default_factory=list)
    threshold: float = SIMILARITY_THRESHOLD

    @property
    def share(self) -> float:
        return len(self.pairs) / self.total if self.total else 0.0

    @property
    def exact(self) -> int:
        return sum(1 for p in self.pairs if p.kind == "exact")

    @property
    def near(self) -> int:
        return sum(1 for p in self.pairs if p.kind == "near")

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_name,
            "new": self.new_name,
            "share": round(self.share, 4),
            "sentences": {"total": self.total, "repeated": len(self.pairs), "exact": self.exact, "near": self.near},
            "threshold": self.threshold,
            "min_chars": MIN_CHARS,
            "pairs": [p.to_dict() for p in self.pairs],
            "coverage": [c.to_dict() for c in self.coverage] if self.coverage is not None else None,
            "figures": {
                "changed": [f.to_dict() for f in self.figures if f.changed],
                "unchanged": [f.to_dict() for f in self.figures if not f.changed],
            },
        }


def sentences(units: Sequence[Unit]) -> list[Sentence]:
    """Headings and body sentences long enough to count, with their places."""
    out: list[Sentence] = []
    for unit in units:
        if unit.kind not in ("heading", "body") or unit.scope:
            continue
        heading = unit.heading.rsplit(" > ", 1)[-1] if unit.heading else ""
        place = Place(unit.paragraph, unit.section, heading)
        parts = [unit.text] if unit.kind == "heading" else _SENTENCE_END.split(unit.text)
        out.extend(_counted(parts, place))
    return out


def text_sentences(texts: Iterable[str], place: Place = Place(None, "", "")) -> list[Sentence]:
    """Sentences of plain text (e.g. phrase-bank entries), shaped as :func:`sentences` shapes a draft's."""
    return [s for text in texts for s in _counted(_SENTENCE_END.split(str(text)), place)]


def _counted(parts: Iterable[str], place: Place) -> list[Sentence]:
    """The parts long enough to count, with their normalised key, digit-blind shape and bigrams."""
    out: list[Sentence] = []
    for part in parts:
        key = normalise(part)
        if len(key) < MIN_CHARS:
            continue
        shape = _DIGITS.sub("#", key)
        out.append(Sentence(part.strip(), place, key, shape, _bigrams(shape)))
    return out


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def match_sentences(old: list[Sentence], new: list[Sentence], threshold: float = SIMILARITY_THRESHOLD) -> list[Pair]:
    """For each NEW sentence, its best OLD counterpart when it repeats one (prefix-filtered Jaccard)."""
    exact: dict[str, Sentence] = {}
    for sentence in old:
        exact.setdefault(sentence.key, sentence)
    frequency: Counter[str] = Counter()
    for sentence in (*old, *new):
        frequency.update(sentence.grams)

    def prefix(grams: frozenset[str]) -> list[str]:
        ordered = sorted(grams, key=lambda g: (frequency[g], g))
        keep = len(ordered) - math.ceil(threshold * len(ordered)) + 1
        return ordered[: max(keep, 1)]

    index: dict[str, list[int]] = defaultdict(list)
    shapes: set[str] = set()
    for number, sentence in enumerate(old):
        if sentence.shape in shapes:
            continue  # a sentence said twice is indexed once: repeats cannot make the index quadratic
        shapes.add(sentence.shape)
        for gram in prefix(sentence.grams):
            index[gram].append(number)
    pairs: list[Pair] = []
    for sentence in new:
        same = exact.get(sentence.key)
        if same is not None:
            pairs.append(Pair(sentence, same, "exact", 1.0))
            continue
        size = len(sentence.grams)
        best: tuple[float, int] | None = None
        seen: set[int] = set()
        for gram in prefix(sentence.grams):
            for number in index.get(gram, ()):
                if number in seen:
                    continue
                seen.add(number)
                other = old[number].grams
                if not threshold * size <= len(other) <= size / threshold:
                    continue
                score = jaccard(sentence.grams, other)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, number)
        if best is not None:
            pairs.append(Pair(sentence, old[best[1]], "near", best[0]))
    return pairs


def _coverage(old_units: Sequence[Unit], new_units: Sequence[Unit], priorities: Sequence[Any]) -> list[CoverageChange]:
    old_rows = coverage_table(old_units, priorities)
    new_rows = coverage_table(new_units, priorities)
    return [
        CoverageChange(o.priority, o.hits, n.hits, o.satisfied, n.satisfied) for o, n in zip(old_rows, new_rows)
    ]


def _figures(old: list[Sentence], new: list[Sentence], pairs: list[Pair]) -> list[FigureChange]:
    """NEW figures paired with OLD ones: first inside repeated sentences, then by context and unit anywhere."""
    used: set[tuple[int, int]] = set()  # (id of old sentence, figure start)
    found: list[FigureChange] = []

    def take(new_sentence: Sentence, figure: Quantity, candidates: list[tuple[Sentence, Quantity]]) -> bool:
        for old_sentence, other in candidates:
            mark = (id(old_sentence), other.start)
            if mark in used or other.unit != figure.unit or other.context != figure.context:
                continue
            used.add(mark)
            found.append(FigureChange(figure.context, other.text, figure.text, old_sentence.place, new_sentence.place))
            return True
        return False

    paired = {id(p.new): p.old for p in pairs}
    pending: list[tuple[Sentence, Quantity]] = []
    for sentence in new:
        figures = find_quantities(sentence.text)
        partner = paired.get(id(sentence))
        candidates = [(partner, q) for q in find_quantities(partner.text)] if partner else []
        for figure in figures:
            if not take(sentence, figure, candidates):
                pending.append((sentence, figure))
    by_key: dict[str, list[tuple[Sentence, Quantity]]] = defaultdict(list)
    for sentence in old:
        for figure in find_quantities(sentence.text):
            if figure.context:
                by_key[figure.key].append((sentence, figure))
    for sentence, figure in pending:
        if figure.context:
            take(sentence, figure, by_key.get(figure.key, []))
    return found


def compare_units(
    old_units: Sequence[Unit],
    new_units: Sequence[Unit],
    *,
    old_name: str = "",
    new_name: str = "",
    priorities: Sequence[Any] | None = None,
    threshold: float = SIMILARITY_THRESHOLD,
) -> Comparison:
    old = sentences(old_units)
    new = sentences(new_units)
    pairs = match_sentences(old, new, threshold)
    coverage = _coverage(old_units, new_units, priorities) if priorities else None
    return Comparison(old_name, new_name, len(new), pairs, coverage, _figures(old, new, pairs), threshold)


def compare_files(old: Path, new: Path, priorities: Sequence[Any] | None = None) -> Comparison:
    """Compare two drafts (.docx/.txt/.md); both are read before anything is compared."""
    old_draft, new_draft = load_draft(old), load_draft(new)
    return compare_units(
        draft_units(old_draft), draft_units(new_draft), old_name=str(old), new_name=str(new), priorities=priorities
    )


def compare_document(old: Path, document: Document, new_name: str) -> Comparison:
    """Compare a document built in memory (``drafting build``) with a previous draft on disk."""
    return compare_units(draft_units(load_draft(old)), document_units(document), old_name=str(old), new_name=new_name)
