"""Which house file a document kind is built on: ``版式/<kind>.docx`` or ``版式/默认.docx``.

Lookup order, first found wins: the meeting folder's ``版式/<kind>.docx``,
its ``版式/默认.docx``, then the same two in the user's template library
(``templating.library.user_library_dir()/版式``). Files are taken only when
they really lie in that folder (``folder.member``: no links, nothing
outside); a .doc/.wps of the name, with no .docx beside it, is an error with
the 另存为 hint rather than silently ignored.
"""

from __future__ import annotations

from pathlib import Path

from drafting.errors import InputError, Location
from drafting.folder import member
from drafting.house.package import OTHER_SUFFIXES, SAVE_AS_HINT
from drafting.templating.library import user_library_dir

HOUSE_DIR = "版式"
DEFAULT_NAME = "默认"
# manifest kind → file name stem in 版式/
KIND_NAMES = {"speech": "讲话稿", "letter": "责任书", "notice": "通报", "call": "通知", "minutes": "纪要"}


def house_roots(folder: Path) -> list[Path]:
    """The 版式 folders looked in, in order: the meeting folder's, then the user library's (when they exist)."""
    roots = []
    for base in (Path(folder), user_library_dir()):
        if base.is_dir():
            found = member(base, HOUSE_DIR, directory=True)
            if found is not None:
                roots.append(found)
    return roots


def _in_root(root: Path, stem: str) -> Path | None:
    found = member(root, stem + ".docx")
    if found is not None:
        return found
    for suffix in OTHER_SUFFIXES:
        other = member(root, stem + suffix)
        if other is not None:
            raise InputError(f"版式文件须为 .docx 格式，不能使用 {suffix} 文件；{SAVE_AS_HINT}", Location(file=other))
    return None


def find_house_file(folder: Path, kind: str) -> Path | None:
    """The house file for manifest kind ``kind`` (speech, letter, notice, call, minutes), or None."""
    stems = [KIND_NAMES[kind], DEFAULT_NAME] if kind in KIND_NAMES else [DEFAULT_NAME]
    for root in house_roots(folder):
        for stem in stems:
            found = _in_root(root, stem)
            if found is not None:
                return found
    return None
