"""Which characters a text must hold for a regular expression to match in it, so rules skip texts that cannot match.

:func:`needed_chars` reads the parsed pattern: each item of its top level that
every match needs gives a set of characters — a literal the match consumes, a
class of a few characters, one such set from every branch of an alternative, the
content of a positive lookaround (it too lies in the text). A text without a
character of one of these sets has no match, so skipping it changes no result.
When the pattern gives no set (``.*``, ``\\d``, a negated class, case-insensitive
matching), the answer is empty and the pattern is always run.
"""

from __future__ import annotations

import re
from typing import Any, Union

try:  # the parser behind ``re`` (Python 3.11+: re._parser; 3.10: sre_parse)
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]

MAX_RANGE = 256  # a class range wider than this (e.g. every Han character) gives no useful set


def needed_chars(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of characters a text holds one of each whenever ``pattern`` matches in it (empty: none known)."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return ()
    try:
        parsed = _sre.parse(pattern.pattern, pattern.flags)
        sets = {chars for op, av in parsed if (chars := _item(op, av)) is not None}
    except Exception:  # an opcode this reading does not know: no filter, the pattern always runs
        return ()
    return tuple(sorted(sets, key=lambda chars: (len(chars), sorted(chars))))


Need = Union[str, "re.Pattern[str]"]  # a character the text must hold, or a class it must hold one of


def needs_of(pattern: re.Pattern[str]) -> tuple[Need, ...]:
    """:func:`needed_chars` as checks on a text: single characters first (``in``), then classes (one search)."""
    return tuple(
        next(iter(chars)) if len(chars) == 1 else re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]")
        for chars in needed_chars(pattern)
    )


def possible(needed: tuple[Need, ...], text: str) -> bool:
    """Whether ``text`` may hold a match of a pattern that needs ``needed`` (see :func:`needs_of`)."""
    for need in needed:
        if type(need) is str:
            if need not in text:
                return False
        elif need.search(text) is None:  # type: ignore[union-attr]
            return False
    return True


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Every item of a sequence must match: the smallest set any one of them needs."""
    best: frozenset[str] | None = None
    for op, av in items:
        chars = _item(op, av)
        if chars is not None and (best is None or len(chars) < len(best)):
            best = chars
    return best


def _item(op: Any, av: Any) -> frozenset[str] | None:
    name = str(op)
    if name == "LITERAL":
        return frozenset(chr(av))
    if name == "IN":
        return _class(av)
    if name == "SUBPATTERN":
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & re.IGNORECASE else _sequence(list(sub))
    if name == "ATOMIC_GROUP":
        return _sequence(list(av))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    if name == "BRANCH":
        union: set[str] = set()
        for branch in av[1]:
            chars = _sequence(list(branch))
            if chars is None:
                return None
            union |= chars
        return frozenset(union)
    if name == "ASSERT":  # a positive lookahead or lookbehind: what it needs is in the text too
        _direction, sub = av
        return _sequence(list(sub))
    return None  # ANY, NOT_LITERAL, CATEGORY, AT, ASSERT_NOT, GROUPREF …: nothing needed for sure


def _class(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] < MAX_RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:  # NEGATE, CATEGORY, a wide range
            return None
    return frozenset(chars)
