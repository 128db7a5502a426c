"""One jieba tokenizer per process, with our policy-term dictionary and a per-user cache.

jieba logs to stderr and caches its prefix dictionary in the system temp dir by
default; here it is silenced and the cache lives in ``$XDG_CACHE_HOME/drafting``
(or ``~/.cache/drafting``). A cold start does not load jieba's whole dictionary:
an index of it (see :mod:`drafting.tokenindex`) is built there once, and each text
loads only the entries it can use, so cuts are exactly jieba's own.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafting.jiebacut import HMM, BlockCache, Cutter
from drafting.resources import corpus_dir, user_cache_dir
from drafting.tokenindex import PrefixIndex, index_key, index_path, write_index

if TYPE_CHECKING:
    import jieba

# Priority terms must win over longer dictionary words around them, so that
# "项目建设" in "重点项目建设" is cut 重点/项目建设 rather than 重点项目/建设.
_PRIORITY_BOOST = 100

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_added: set[str] = set()
_terms_version = 0  # bumped whenever add_terms changes the tokenizer: cuts cached elsewhere are keyed by it


def cache_dir() -> Path:
    """Per-user cache directory for drafting (created on demand)."""
    return user_cache_dir()


def dictionary_files() -> list[Path]:
    """User dictionaries shipped in corpus/dict (jieba format: word [freq] [tag])."""
    folder = corpus_dir() / "dict"
    return sorted(p for p in folder.glob("*.txt") if p.name != "stopwords.txt") if folder.is_dir() else []


def _import_jieba() -> Any:
    """Import jieba without pkg_resources, which it only uses to open its own files (slow to import)."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.ERROR)
    return jieba


def full_tokenizer() -> jieba.Tokenizer:
    """A tokenizer with jieba's whole dictionary and our user dictionaries loaded (the reference)."""
    jieba = _import_jieba()
    tokenizer = _tokenizer_classes(jieba)[0]()
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(directory)
    except OSError:
        pass  # unwritable home: jieba falls back to the temp dir
    tokenizer.initialize()
    for path in dictionary_files():
        tokenizer.load_userdict(str(path))
    return tokenizer


_classes: tuple[type, type] | None = None


def _tokenizer_classes(jieba: Any) -> tuple[type, type]:
    """(DraftingTokenizer, IndexedTokenizer), made once jieba is imported."""
    global _classes
    if _classes is not None:
        return _classes

    hmm = HMM(jieba.finalseg)  # jieba's HMM cut, same tokens, faster

    class DraftingTokenizer(jieba.Tokenizer):  # type: ignore[misc, name-defined]
        """jieba's tokenizer; its accurate cut (HMM on) reuses the cut of each block it has seen, same tokens."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._blocks = BlockCache()
            self._generation = 0

        def _state(self) -> tuple[object, ...]:
            # everything a block's cut depends on; add_word and initialize bump the generation
            return (id(self), id(self.FREQ), self._generation, self.total, len(jieba.finalseg.Force_Split_Words))

        def _prepare(self, text: Any) -> None:
            """Make the dictionary ready for every lookup a cut of ``text`` makes (nothing to do here)."""

        def _load(self) -> Callable[[str], None] | None:
            """What the fast cut calls with a two-character fragment before looking it up (nothing here)."""
            return None

        def _cutter(self) -> Cutter:
            return self._blocks.valid_for(
                self._state(), lambda: Cutter(self.FREQ, self.total, hmm.cut, self._load())
            )

        def cutter(self) -> Cutter:
            """The fast cut for the dictionary as it is now (its block cuts and memos are valid until it changes)."""
            self.check_initialized()
            return self._cutter()

        def fast_cut(self, sentence: str) -> list[str]:
            """``lcut(sentence)``: jieba's accurate cut with HMM, as a new list."""
            self.check_initialized()
            return self._cutter().cut_text(sentence)

        def cut(self, sentence: Any, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False) -> Any:
            if cut_all or not HMM or use_paddle or not isinstance(sentence, str):
                self._prepare(sentence)
                return super().cut(sentence, cut_all, HMM, use_paddle)
            return iter(self.fast_cut(sentence))

        def lcut(self, *args: Any, **kwargs: Any) -> list[str]:
            if len(args) == 1 and not kwargs and isinstance(args[0], str):
                return self.fast_cut(args[0])
            return list(self.cut(*args, **kwargs))

        def initialize(self, dictionary: Any = None) -> None:
            super().initialize(dictionary)
            self._generation += 1

        def add_word(self, word: Any, freq: Any = None, tag: Any = None) -> None:
            self._prepare(word)
            super().add_word(word, freq, tag)
            self._generation += 1

        def suggest_freq(self, segment: Any, tune: bool = False) -> int:
            self._prepare(segment)
            return super().suggest_freq(segment, tune)

        def cut_for_search(self, sentence: Any, *args: Any, **kwargs: Any) -> Any:
            self._prepare(sentence)  # looks up two- and three-character parts of words
            return super().cut_for_search(sentence, *args, **kwargs)

        def tokenize(self, sentence: Any, mode: str = "default", HMM: bool = True) -> Any:
            if mode != "default":
                self._prepare(sentence)
            return super().tokenize(sentence, mode, HMM)

    class IndexedTokenizer(DraftingTokenizer):
        """jieba's tokenizer over a prefix dictionary filled from the index with the characters of each text."""

        def __init__(self, index: PrefixIndex) -> None:
            super().__init__()
            self._index = index
            self._fill_lock = threading.Lock()
            self.FREQ = dict(index.single)
            self.total = index.total
            self.initialized = True
            for word in index.force_split:
                jieba.finalseg.add_force_split(word)

        def _prepare(self, text: Any) -> None:
            if not isinstance(text, str):
                text = "".join(text) if isinstance(text, (tuple, list)) else jieba.strdecode(text)
            with self._fill_lock:
                self._index.fill(self.FREQ, text)

        def _load(self) -> Callable[[str], None]:
            index, freq, lock = self._index, self.FREQ, self._fill_lock

            def load(pair: str) -> None:
                with lock:
                    index.fill_pair(freq, pair)

            return load

        def set_dictionary(self, dictionary_path: Any) -> None:
            raise NotImplementedError("the indexed tokenizer is bound to its index")

    _classes = (DraftingTokenizer, IndexedTokenizer)
    return _classes


def _indexed_tokenizer_class(jieba: Any) -> type:
    return _tokenizer_classes(jieba)[1]


def build_tokenizer() -> jieba.Tokenizer:
    """The indexed tokenizer, building the index first when it is missing or stale."""
    jieba = _import_jieba()
    user_dictionaries = dictionary_files()
    directory = cache_dir()
    key = index_key(jieba.__version__, Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME, user_dictionaries)
    path = index_path(directory, key)
    index = PrefixIndex.read(path)
    if index is None:
        split_before = set(jieba.finalseg.Force_Split_Words)
        full = full_tokenizer()
        force_split = set(jieba.finalseg.Force_Split_Words) - split_before
        try:
            write_index(path, full.FREQ, full.total, force_split)
        except OSError:
            pass  # no writable cache: this process uses the full dictionary
        return full  # exact, and already loaded: no need to read the index just written
    return _indexed_tokenizer_class(jieba)(index)


def get_tokenizer() -> jieba.Tokenizer:
    """The process-wide tokenizer, initialised on first use."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = build_tokenizer()
        return _tokenizer


def add_terms(terms: Iterable[str]) -> None:
    """Make each term a single, preferred token (priority names and aliases)."""
    global _terms_version
    tokenizer = get_tokenizer()
    with _lock:
        for term in terms:
            term = term.strip()
            if not term or term in _added:
                continue
            _terms_version += 1
            tokenizer.add_word(term, tokenizer.suggest_freq(term, False) * _PRIORITY_BOOST)
            _added.add(term)


def cut_state() -> tuple[int, int]:
    """Changes whenever cuts may change (another tokenizer, added terms): a key for caching cuts by text."""
    return id(get_tokenizer()), _terms_version


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each token of ``text``."""
    return list(get_tokenizer().tokenize(text))


def token_boundaries(text: str) -> set[int]:
    """Character offsets where a token starts or ends."""
    bounds = set(accumulate(map(len, get_tokenizer().lcut(text)), initial=0))
    bounds.add(len(text))
    return bounds
