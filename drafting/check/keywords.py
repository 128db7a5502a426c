"""A draft's top keywords: jieba tokens weighted by TF-IDF with an IDF table built from corpus/samples."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from heapq import nsmallest
from itertools import compress
from pathlib import Path

from drafting.jiebacut import RE_HAN
from drafting.tokens import get_tokenizer
from drafting.resources import corpus_dir

_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")
_COUNTED = re.compile(r"^[一二三四五六七八九十两几]+[点个项条是大种件次年月日]")


def idf_file() -> Path:
    return corpus_dir() / "idf" / "idf.txt"


@lru_cache(maxsize=4)
def load_idf(path: Path | None = None) -> tuple[dict[str, float], float]:
    """(word → idf, default idf for unseen words = the median)."""
    table: dict[str, float] = {}
    path = path or idf_file()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, value = line.strip().rpartition(" ")
            if word:
                table[word] = float(value)
    values = sorted(table.values())
    default = values[len(values) // 2] if values else 1.0
    return table, default


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    path = corpus_dir() / "dict" / "stopwords.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


_candidate: dict[str, bool] = {}  # word -> worth weighting (depends only on the word and the stop words)


def _is_candidate(word: str) -> bool:
    return bool(_WORD.match(word)) and word not in stopwords() and not _COUNTED.match(word)


def _candidates(words: list[str]) -> list[str]:
    known = _candidate
    if len(known) > 500_000:
        known.clear()
    keep = list(map(known.get, words))
    if None in keep:
        for i, word in enumerate(words):
            if keep[i] is None:
                keep[i] = known[word] = _is_candidate(word)
    return list(compress(words, keep))


def candidate_words(text: str) -> list[str]:
    """Tokens worth weighting: two or more letters/Han characters, not stop words."""
    tokenizer = get_tokenizer()
    if not hasattr(tokenizer, "cutter"):  # jieba's own tokenizer (the reference in tests)
        return _candidates(tokenizer.lcut(text))
    # a candidate has two or more characters, so it lies in a block (a token outside
    # the blocks is one character): the candidates of each block are kept with its cut
    cutter = tokenizer.cutter()
    memo = cutter.memo(__name__)
    words: list[str] = []
    for block in RE_HAN.findall(text):
        found = memo.get(block)
        if found is None:
            found = memo[block] = _candidates(cutter.block(block))
        words += found  # type: ignore[arg-type]
    return words


def top_keywords(texts: Iterable[str], count: int = 10) -> list[str]:
    """The ``count`` highest TF-IDF words of the texts taken as one document."""
    if count <= 0:
        return []
    # blocks hold no line break, so the texts joined by one are cut as they are one by one
    frequencies = Counter(candidate_words("\n".join(texts)))
    total = sum(frequencies.values())
    if not total:
        return []
    idf, default = load_idf()
    get = idf.get
    # the first ``count`` of (-score, word) in order: the highest scores, ties by word
    ranked = nsmallest(count, [(-((n / total) * get(word, default)), word) for word, n in frequencies.items()])
    return [word for _, word in ranked]


def build_idf(documents: Iterable[str]) -> dict[str, float]:
    """IDF of each word over ``documents``: log(N / (1 + df)) + 1, so every value is positive."""
    document_frequency: Counter[str] = Counter()
    n = 0
    for document in documents:
        n += 1
        document_frequency.update(set(candidate_words(document)))
    return {word: math.log(n / (1 + df)) + 1 for word, df in document_frequency.items()}
