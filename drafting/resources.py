"""Locate the built-in templates and corpus, installed or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries them as drafting/_data/<name>; a checkout (editable
    # install) has them at the repository root beside the package.
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"内置资源目录缺失：{name}")


def templates_dir() -> Path:
    """Directory of the built-in Jinja templates."""
    return _data_dir("templates")


def corpus_dir() -> Path:
    """Directory of the built-in corpus (dictionaries, priority sets, phrase bank, example)."""
    return _data_dir("corpus")


def user_cache_dir() -> Path:
    """Per-user cache folder of drafting: ``$XDG_CACHE_HOME/drafting`` (default ``~/.cache/drafting``); not created here."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "drafting"
