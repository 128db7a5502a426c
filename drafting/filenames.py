"""File names that are safe on Windows, Linux and macOS, made from unit names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters Windows refuses in a file name, plus control characters.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
MAX_STEM_CHARS = 60
MAX_NAME_BYTES = 240  # most file systems allow 255 bytes per name (UTF-8: 3 per Chinese character)
FALLBACK_STEM = "未命名"


def _clean_stem(name: str, max_chars: int, max_bytes: int) -> str:
    stem = unicodedata.normalize("NFC", name)
    stem = re.sub(r"\s+", " ", stem).strip()  # line breaks and tabs become one space
    stem = _FORBIDDEN.sub("_", stem)
    stem = stem.rstrip(". ")
    stem = stem[:max_chars]
    while len(stem.encode("utf-8")) > max_bytes:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    if not stem or set(stem) <= {"_", "."}:
        stem = FALLBACK_STEM
    head, dot, rest = stem.partition(".")
    if head.strip().upper() in _RESERVED:  # Windows also refuses CON.txt
        stem = f"{head}_{dot}{rest}"
    return stem


def safe_filename(
    name: str,
    suffix: str = ".docx",
    taken: Iterable[str] = (),
    max_chars: int = MAX_STEM_CHARS,
) -> str:
    """A Windows-safe file name for ``name`` plus ``suffix``, distinct from every name in ``taken``.

    Forbidden characters become ``_``; trailing dots and spaces are dropped;
    reserved device names (CON, NUL, COM1 …) get a ``_`` appended; the stem is
    capped at ``max_chars`` characters. A collision (compared case-insensitively,
    as Windows does) is disambiguated with ``_2``, ``_3`` ….
    """
    max_bytes = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - 8  # room for a _NNN counter
    stem = _clean_stem(name, max_chars, max_bytes)
    used = {t.casefold() for t in taken}
    candidate = f"{stem}{suffix}"
    counter = 2
    while candidate.casefold() in used:
        candidate = f"{stem}_{counter}{suffix}"
        counter += 1
    return candidate


def safe_filenames(names: Iterable[str], suffix: str = ".docx") -> list[str]:
    """Safe, mutually distinct file names for ``names``, in the same order."""
    result: list[str] = []
    for name in names:
        result.append(safe_filename(name, suffix, taken=result))
    return result
