"""Phrase-bank variants: ``{choose: [a, b, …]}`` entries resolved to one phrase per meeting.

A phrase bank (``corpus/phrases/*.yaml``) may offer alternatives for one
phrase. The choice is deterministic for a given meeting (a hash of the seed,
e.g. meeting name and date, and the phrase's key path) and can avoid
alternatives that repeat sentences of a previous draft (exactly or nearly, as
``drafting compare`` counts them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drafting.compare import Sentence

CHOOSE = "choose"


def is_choice(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {CHOOSE} and isinstance(value[CHOOSE], list) and bool(value[CHOOSE])


def draft_sentences(draft: Any) -> list[Sentence]:
    """Sentences of a read draft (``drafting.readers.load_draft``), as ``drafting compare`` counts them."""
    from drafting.check.units import draft_units
    from drafting.compare import sentences

    return sentences(draft_units(draft))


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def _index(seed: str, path: str, size: int) -> int:
    digest = hashlib.sha256(f"{seed}\x1f{path}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % size


def choose(options: Sequence[Any], seed: str, path: str, avoid: Sequence[Sentence] = ()) -> Any:
    """One of ``options``: fixed for (seed, path); those repeating ``avoid`` are passed over while others remain."""
    candidates = list(options)
    if avoid:
        from drafting.compare import match_sentences, text_sentences  # only with a previous draft (--previous)

        fresh = [o for o in candidates if not match_sentences(list(avoid), text_sentences(_texts(o)))]
        candidates = fresh or candidates
    return candidates[_index(seed, path, len(candidates))]


def resolve(bank: Any, seed: str, avoid: Sequence[Sentence] = (), path: str = "") -> Any:
    """``bank`` with every ``{choose: [...]}`` replaced by the chosen alternative (recursively)."""
    if is_choice(bank):
        return resolve(choose(bank[CHOOSE], seed, path, avoid), seed, avoid, path)
    if isinstance(bank, Mapping):
        return {key: resolve(value, seed, avoid, f"{path}.{key}") for key, value in bank.items()}
    if isinstance(bank, list):
        return [resolve(value, seed, avoid, f"{path}[{i}]") for i, value in enumerate(bank)]
    return bank
