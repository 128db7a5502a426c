"""One jieba tokenizer per process, with our policy-term dictionary and a per-user cache.

jieba logs to stderr and caches its prefix dictionary in the system temp dir by
default; here it is silenced and the cache lives in ``$XDG_CACHE_HOME/drafting``
(or ``~/.cache/drafting``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path

import jieba

from drafting.resources import corpus_dir

# Priority terms must win over longer dictionary words around them, so that
# "项目建设" in "重点项目建设" is cut 重点/项目建设 rather than 重点项目/建设.
_PRIORITY_BOOST = 100

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_added: set[str] = set()


def cache_dir() -> Path:
    """Per-user cache directory for drafting (created on demand)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "drafting"


def dictionary_files() -> list[Path]:
    """User dictionaries shipped in corpus/dict (jieba format: word [freq] [tag])."""
    folder = corpus_dir() / "dict"
    return sorted(p for p in folder.glob("*.txt") if p.name != "stopwords.txt") if folder.is_dir() else []


def get_tokenizer() -> jieba.Tokenizer:
    """The process-wide tokenizer, initialised on first use."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.ERROR)
            tokenizer = jieba.Tokenizer()
            directory = cache_dir()
            try:
                directory.mkdir(parents=True, exist_ok=True)
                tokenizer.tmp_dir = str(directory)
            except OSError:
                pass  # unwritable home: jieba falls back to the temp dir
            tokenizer.initialize()
            for path in dictionary_files():
                tokenizer.load_userdict(str(path))
            _tokenizer = tokenizer
        return _tokenizer


def add_terms(terms: Iterable[str]) -> None:
    """Make each term a single, preferred token (priority names and aliases)."""
    tokenizer = get_tokenizer()
    with _lock:
        for term in terms:
            term = term.strip()
            if not term or term in _added:
                continue
            tokenizer.add_word(term, tokenizer.suggest_freq(term, False) * _PRIORITY_BOOST)
            _added.add(term)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each token of ``text``."""
    return list(get_tokenizer().tokenize(text))


def token_boundaries(text: str) -> set[int]:
    """Character offsets where a token starts or ends."""
    bounds = {0, len(text)}
    for _, start, end in get_tokenizer().tokenize(text):
        bounds.add(start)
        bounds.add(end)
    return bounds
