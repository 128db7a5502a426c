"""An index of jieba's prefix dictionary that loads only the entries a text can use.

jieba cuts a text by looking up substrings of that text in its prefix dictionary
(``FREQ``: every word with its frequency and every word prefix with 0) and by
the dictionary's total frequency. Every looked-up substring starts with a
character of the text, so a dictionary holding just the entries whose first
character occurs in the text, together with the full dictionary's total, makes
jieba cut exactly as with the full dictionary. Loading the full dictionary takes
most of a cold start; loading the groups for a draft's characters takes a
fraction of it.

The index is built once from a fully initialised jieba tokenizer with our user
dictionaries applied, stored in the cache folder under a name derived from jieba's
version, its dictionary file and our dictionary files, and replaced atomically.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMAT = 1
PREFIX = "jieba-index-"


def index_key(jieba_version: str, jieba_dictionary: Path, user_dictionaries: Sequence[Path]) -> str:
    """Digest of everything the prefix dictionary is made of."""
    digest = hashlib.sha256(f"{FORMAT}\0{jieba_version}\0".encode())
    stat = jieba_dictionary.stat()
    digest.update(f"{jieba_dictionary.name}\0{stat.st_size}\0".encode())
    for path in user_dictionaries:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def index_path(directory: Path, key: str) -> Path:
    return directory / f"{PREFIX}{key}.bin"


def write_index(path: Path, freq: dict[str, int], total: int, force_split: Iterable[str]) -> None:
    """Group ``freq`` by first character and write it atomically to ``path``."""
    groups: dict[str, dict[str, int]] = {}
    for word, value in freq.items():
        groups.setdefault(word[0], {})[word] = value
    blobs = {first: marshal.dumps(entries) for first, entries in groups.items()}
    payload = marshal.dumps((FORMAT, total, sorted(force_split), blobs))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".tmp-" + PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    for old in path.parent.glob(PREFIX + "*.bin"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass


class PrefixIndex:
    """The groups of one index file; ``fill`` copies the groups for new characters into a dict."""

    def __init__(self, total: int, force_split: list[str], blobs: dict[str, bytes]) -> None:
        self.total = total
        self.force_split = force_split
        self._blobs = blobs
        self._loaded: set[str] = set()

    @classmethod
    def read(cls, path: Path) -> PrefixIndex | None:
        """The index at ``path``, or None when it is missing or unreadable."""
        try:
            data: Any = marshal.loads(path.read_bytes())
            version, total, force_split, blobs = data
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if version != FORMAT or not isinstance(blobs, dict):
            return None
        return cls(total, force_split, blobs)

    def fill(self, freq: dict[str, int], text: str) -> None:
        """Add to ``freq`` every entry whose first character occurs in ``text`` and was not added before."""
        new = set(text).difference(self._loaded)
        if not new:
            return
        self._loaded.update(new)
        blobs = self._blobs
        for char in new:
            blob = blobs.get(char)
            if blob is not None:
                freq.update(marshal.loads(blob))
