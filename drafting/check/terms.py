"""Outdated formulations and their replacements: corpus/outdated_terms.yaml plus user lists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafting.errors import InputError, Location
from drafting.resources import corpus_dir
from drafting.yamlsource import load_yaml


@dataclass(frozen=True)
class OutdatedTerm:
    term: str
    replacement: str
    note: str = ""
    review_ok: bool = False  # a finished task named in a review (如期打赢脱贫攻坚战) is not outdated usage


def builtin_terms_file() -> Path:
    return corpus_dir() / "outdated_terms.yaml"


def load_terms(path: Path) -> list[OutdatedTerm]:
    """Read a term list (``terms: [{term, replacement, note?}]``); InputError names the entry."""
    data = load_yaml(path).data  # Chinese messages; bounded size, nesting and aliases
    entries = data.get("terms") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise InputError("提法清单应为 terms: 下的列表", Location(file=path, field="terms"))
    terms: list[OutdatedTerm] = []
    for index, entry in enumerate(entries, start=1):
        where = Location(file=path, field=f"terms 第{index}项")
        if not isinstance(entry, dict):
            raise InputError("每项应写 term 和 replacement", where)
        term, replacement = str(entry.get("term") or "").strip(), str(entry.get("replacement") or "").strip()
        if not term or not replacement:
            raise InputError("缺少 term（旧提法）或 replacement（建议提法）", where)
        terms.append(OutdatedTerm(term, replacement, str(entry.get("note") or "").strip(), entry.get("review_ok") is True))
    return terms


_CACHE: dict[tuple[str, int, int, int, int], list[OutdatedTerm]] = {}


def _cached_terms(path: Path) -> list[OutdatedTerm]:
    """load_terms, read once per process while the file is unchanged (checking many files)."""
    try:
        stat = path.stat()
    except OSError:
        return load_terms(path)  # raises the Chinese message
    key = (str(path), stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = load_terms(path)
    return _CACHE[key]


def collect_terms(extra: list[Path], builtin: bool = True) -> list[OutdatedTerm]:
    """Built-in list (unless disabled) followed by user lists; a later entry for the same term wins."""
    paths = ([builtin_terms_file()] if builtin else []) + list(extra)
    merged: dict[str, OutdatedTerm] = {}
    for path in paths:
        for term in _cached_terms(path):
            merged[term.term] = term
    return list(merged.values())
