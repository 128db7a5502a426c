"""File names that are safe on Windows, Linux and macOS, made from unit names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters Windows refuses in a file name, plus C0 and C1 control characters.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
MAX_STEM_CHARS = 60
MAX_NAME_BYTES = 240  # most file systems allow 255 bytes per name (UTF-8: 3 per Chinese character)
FALLBACK_STEM = "未命名"
_COUNTER_BYTES = 8  # room for a _NNNNNNN counter


def _invisible(char: str) -> bool:
    """Format controls (bidi marks and isolates U+200E/F, U+202A–E, U+2066–9, zero-width chars, BOM …) and lone surrogates."""
    return unicodedata.category(char) in ("Cf", "Cs")


def clean_stem(name: str, max_chars: int = MAX_STEM_CHARS, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` as a safe file name stem of at most ``max_chars`` characters and ``max_bytes`` UTF-8 bytes."""
    stem = unicodedata.normalize("NFC", name)
    stem = "".join(char for char in stem if not _invisible(char))
    stem = re.sub(r"\s+", " ", stem).strip()  # line breaks and tabs become one space
    stem = _FORBIDDEN.sub("_", stem)
    stem = stem.rstrip(". ")
    stem = stem[:max_chars]
    size = len(stem.encode("utf-8"))
    while size > max_bytes:
        size -= len(stem[-1].encode("utf-8"))
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    if not stem or set(stem) <= {"_", "."}:
        stem = FALLBACK_STEM
    head, dot, rest = stem.partition(".")
    if head.strip().upper() in _RESERVED:  # Windows also refuses CON.txt
        stem = f"{head}_{dot}{rest}"
    return stem


class NameAllocator:
    """Hands out distinct safe file names, comparing case-insensitively as Windows and macOS do.

    Each name costs amortised constant time: the next free counter of every stem is remembered.
    """

    def __init__(self, suffix: str = ".docx", taken: Iterable[str] = (), max_chars: int = MAX_STEM_CHARS) -> None:
        self.suffix = suffix
        self.max_chars = max_chars
        self.max_bytes = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - _COUNTER_BYTES
        self._used = {t.casefold() for t in taken}
        self._next: dict[str, int] = {}

    def allocate(self, name: str) -> str:
        stem = clean_stem(name, self.max_chars, self.max_bytes)
        candidate = f"{stem}{self.suffix}"
        if candidate.casefold() in self._used:
            key = stem.casefold()
            counter = self._next.get(key, 2)
            while (candidate := f"{stem}_{counter}{self.suffix}").casefold() in self._used:
                counter += 1
            self._next[key] = counter + 1
        self._used.add(candidate.casefold())
        return candidate


def safe_filename(
    name: str,
    suffix: str = ".docx",
    taken: Iterable[str] = (),
    max_chars: int = MAX_STEM_CHARS,
) -> str:
    """A Windows-safe file name for ``name`` plus ``suffix``, distinct from every name in ``taken``.

    Forbidden characters become ``_``; bidi and other invisible format controls
    are removed; trailing dots and spaces are dropped; reserved device names
    (CON, NUL, COM1 …) get a ``_`` appended; the stem is capped at ``max_chars``
    characters and the whole name at 240 UTF-8 bytes. A collision (compared
    case-insensitively, as Windows does) is disambiguated with ``_2``, ``_3`` ….
    """
    return NameAllocator(suffix, taken, max_chars).allocate(name)


def safe_filenames(names: Iterable[str], suffix: str = ".docx") -> list[str]:
    """Safe, mutually distinct file names for ``names``, in the same order (linear time)."""
    allocator = NameAllocator(suffix)
    return [allocator.allocate(name) for name in names]
