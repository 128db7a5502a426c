"""An index of jieba's prefix dictionary that loads only the entries a text can use.

jieba cuts a text by looking up substrings of that text in its prefix dictionary
(``FREQ``: every word with its frequency and every word prefix with 0) and by
the dictionary's total frequency. A dictionary holding every one-character entry
and just those longer entries that start with two adjacent characters of the
text, together with the full dictionary's total, therefore makes jieba cut
exactly as with the full dictionary. Loading the full dictionary takes most of a
cold start; loading the entries a draft can use takes a small fraction of it.

The index is built once from a fully initialised jieba tokenizer with our user
dictionaries applied, stored in the cache folder under a name derived from jieba's
version, its dictionary file and our dictionary files, and replaced atomically.
"""

from __future__ import annotations

import hashlib
import marshal
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from drafting.cachefiles import write_atomically

FORMAT = 2
PREFIX = "jieba-index-"
_HEADER = struct.Struct("<Q")


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


def encode_index(freq: dict[str, int], total: int, force_split: Iterable[str]) -> bytes:
    """The index file's bytes.

    Layout: an 8-byte header length, a marshalled header (format, total,
    force-split words, all one-character entries, and per first character a
    marshalled (second characters, offsets) pair), then one marshalled dict per
    two-character start: every entry of length two or more beginning with it.
    """
    single = {word: value for word, value in freq.items() if len(word) == 1}
    groups: dict[str, dict[str, dict[str, int]]] = {}
    for word, value in freq.items():
        if len(word) > 1:
            groups.setdefault(word[0], {}).setdefault(word[1], {})[word] = value
    data = bytearray()
    firsts: dict[str, bytes] = {}
    for first in sorted(groups):
        seconds = sorted(groups[first])
        offsets = [len(data)]
        for second in seconds:
            data += marshal.dumps(groups[first][second])
            offsets.append(len(data))
        firsts[first] = marshal.dumps(("".join(seconds), offsets))
    header = marshal.dumps((FORMAT, total, sorted(force_split), single, firsts))
    return _HEADER.pack(len(header)) + header + bytes(data)


def write_index(path: Path, freq: dict[str, int], total: int, force_split: Iterable[str]) -> None:
    """Write the index of ``freq`` atomically to ``path``; remove other indexes in that folder."""
    payload = encode_index(freq, total, force_split)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, payload, prefix=".tmp-" + PREFIX)
    for old in path.parent.glob(PREFIX + "*.bin"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass


class PrefixIndex:
    """One index file; ``fill`` copies into a dict the entries a text can use that it lacks."""

    def __init__(self, raw: bytes) -> None:
        (length,) = _HEADER.unpack_from(raw)
        version, total, force_split, single, firsts = marshal.loads(raw[_HEADER.size : _HEADER.size + length])
        if version != FORMAT:
            raise ValueError(f"index format {version}")
        self.total: int = total
        self.force_split: list[str] = force_split
        self.single: dict[str, int] = single
        self._firsts: dict[str, bytes] = firsts
        self._decoded: dict[str, tuple[str, list[int]]] = {}
        self._data = memoryview(raw)[_HEADER.size + length :]
        self._loaded: set[str] = set()

    @classmethod
    def read(cls, path: Path) -> PrefixIndex | None:
        """The index at ``path``, or None when it is missing, unreadable or of another format."""
        try:
            return cls(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError, struct.error):
            return None

    def fill(self, freq: dict[str, int], text: str) -> None:
        """Add to ``freq`` every entry of two or more characters that starts with a pair of adjacent characters of ``text``.

        ``freq`` must already hold :attr:`single`. jieba looks up only substrings
        of the text it cuts, so with these entries it cuts as with the full dictionary.
        """
        new = set(map(str.__add__, text, text[1:]))
        new.difference_update(self._loaded)
        for pair in new:
            self._fill(freq, pair)

    def fill_pair(self, freq: dict[str, int], pair: str) -> None:
        """Add to ``freq`` every entry of two or more characters that starts with ``pair`` (two characters)."""
        if pair not in self._loaded:
            self._fill(freq, pair)

    def _fill(self, freq: dict[str, int], pair: str) -> None:
        self._loaded.add(pair)
        entry = self._decoded.get(pair[0])
        if entry is None:
            blob = self._firsts.get(pair[0])
            if blob is None:
                return
            entry = self._decoded[pair[0]] = marshal.loads(blob)
        seconds, offsets = entry
        i = seconds.find(pair[1])
        if i >= 0:
            freq.update(marshal.loads(self._data[offsets[i] : offsets[i + 1]]))
