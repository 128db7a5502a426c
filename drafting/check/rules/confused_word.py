"""confused-word: word pairs a reviewer corrects (截止/截至, 其它/其他, 布署/部署 …), each only in the
context that makes it wrong; the list is data in corpus/confused_words.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from drafting.check.prefilter import Need, needs_of, possible
from drafting.check.rules.base import CheckContext, Covered, Hit, Rule, snippet
from drafting.check.wordlist import ConfusedWord, load_confused_words


@lru_cache(maxsize=1)
def _builtin_words() -> tuple[ConfusedWord, ...]:
    return tuple(load_confused_words())  # the shipped list, read once per process


@lru_cache(maxsize=4)
def _needs(words: tuple[ConfusedWord, ...]) -> tuple[tuple[Need, ...], ...]:
    """What each word's pattern needs in a text (drafting.check.prefilter)."""
    return tuple(needs_of(word.pattern) for word in words)


def _words(context: CheckContext) -> tuple[ConfusedWord, ...]:
    return _builtin_words()


def _check(context: CheckContext) -> Iterator[Hit]:
    words = _words(context)
    needed = _needs(words)
    for unit in context.units:
        text = unit.text
        covered = Covered(len(text))
        found: list[tuple[int, ConfusedWord]] = []
        for word, need in zip(words, needed):
            if not possible(need, text):
                continue
            for match in word.pattern.finditer(text):
                if covered.take(*match.span()):
                    found.append((match.start(), word))
        for start, word in sorted(found, key=lambda item: item[0]):
            yield Hit(
                f"“{word.wrong}”应为“{word.right}”：{word.reason}",
                unit,
                snippet(text, start),
                severity=word.level,  # type: ignore[arg-type]
            )


RULE = Rule(id="confused-word", title="易混词", default_severity="error", check=_check)
