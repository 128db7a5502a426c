"""A meeting folder: meeting.yaml, the project ledger, priorities.yaml, optional templates/.

Folders travel between offices, so only what really lies in the folder is
read: a member that is a link (symlink, junction) or whose real path is
elsewhere is refused with a message naming it, as is a member that is not a
regular file (a FIFO or device would block or never end).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

from .errors import InputError, InputErrors, Location
from .ledger import Ledger, load_ledger

if TYPE_CHECKING:  # imported where a folder is loaded: reading a ledger ahead (drafting.readahead) needs only the above
    from .meeting import Meeting
    from .priorities import Priority

MEETING_FILE = "meeting.yaml"
LEDGER_FILES = ("projects.xlsx", "projects.yaml", "projects.yml")  # first found wins
PRIORITIES_FILE = "priorities.yaml"
PHRASES_FILE = "phrases.yaml"
TEMPLATES_DIR = "templates"


T = TypeVar("T")
LedgerLoader = Callable[[Path], Ledger]


@dataclass(frozen=True)
class MeetingFolder:
    path: Path
    meeting: Meeting
    ledger: Ledger
    priorities: list[Priority]
    templates_dir: Path | None  # the folder's own templates/, overriding built-in ones
    phrases_file: Path | None = None  # the folder's own phrases.yaml, overriding built-in phrases


def find_ledger(folder: Path) -> Path | None:
    """projects.xlsx if present, else projects.yaml / projects.yml."""
    return next((path for name in LEDGER_FILES if (path := member(folder, name)) is not None), None)


def member(folder: Path, name: str, directory: bool = False) -> Path | None:
    """``folder/name`` if it is a regular file (a folder with ``directory``) really inside ``folder``; None if absent.

    Raises InputError naming it when it is a link, its real path lies outside
    ``folder``, or (for files) it is neither a regular file nor a folder.
    """
    path = folder / name
    if not os.path.lexists(path):
        return None
    if path.is_symlink():
        raise InputError("是指向别处的链接（符号链接或快捷方式），出于安全原因不读取；请换成真实的文件", Location(file=path))
    real = Path(os.path.realpath(path))
    if real.parent != Path(os.path.realpath(folder)):
        raise InputError("实际位置不在会议文件夹内（可能是目录联接），出于安全原因不读取", Location(file=path))
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return path if directory else None
    if directory:
        return None
    if not stat.S_ISREG(mode):
        raise InputError("不是普通文件，不读取", Location(file=path))
    return path


def load_meeting_folder(path: Path, ledger_loader: LedgerLoader | None = None) -> MeetingFolder:
    """Load and validate everything in a meeting folder.

    Problems in all three files are collected and raised together as InputErrors.
    ``ledger_loader`` reads the ledger instead of ``load_ledger`` (with the same results and errors,
    e.g. ``drafting.readahead``'s, which takes what a child process read meanwhile).
    """
    from .meeting import load_meeting
    from .priorities import load_priorities

    folder = Path(path)
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "会议文件夹不存在"
        raise InputError(what, Location(file=str(folder)))
    meeting_path = member(folder, MEETING_FILE)
    if meeting_path is None:
        raise InputError(f"缺少 {MEETING_FILE}", Location(file=str(folder / MEETING_FILE)))
    ledger_path = find_ledger(folder)
    if ledger_path is None:
        raise InputError(
            "缺少项目台账（projects.xlsx 或 projects.yaml）", Location(file=str(folder))
        )

    errors: list[InputError] = []
    meeting = _attempt(load_meeting, meeting_path, errors)
    ledger = _attempt(ledger_loader or load_ledger, ledger_path, errors)
    priorities_path = member(folder, PRIORITIES_FILE)
    priorities = _attempt(load_priorities, priorities_path, errors) if priorities_path is not None else []
    if errors:
        raise InputErrors(errors)
    assert meeting is not None and ledger is not None and priorities is not None

    return MeetingFolder(
        path=folder,
        meeting=meeting,
        ledger=ledger,
        priorities=priorities,
        templates_dir=member(folder, TEMPLATES_DIR, directory=True),
        phrases_file=member(folder, PHRASES_FILE),
    )


def _attempt(load: Callable[[Path], T], source: Path, errors: list[InputError]) -> T | None:
    """Run one loader, collecting its input errors instead of stopping at the first file."""
    try:
        return load(source)
    except InputErrors as exc:
        errors.extend(exc.errors)
    except InputError as exc:
        errors.append(exc)
    return None
