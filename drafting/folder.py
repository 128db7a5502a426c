"""A meeting folder: meeting.yaml, the project ledger, priorities.yaml, optional templates/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from .errors import InputError, InputErrors, Location
from .ledger import Ledger, load_ledger
from .meeting import Meeting, load_meeting
from .priorities import Priority, load_priorities

MEETING_FILE = "meeting.yaml"
LEDGER_FILES = ("projects.xlsx", "projects.yaml", "projects.yml")  # first found wins
PRIORITIES_FILE = "priorities.yaml"
PHRASES_FILE = "phrases.yaml"
TEMPLATES_DIR = "templates"


T = TypeVar("T")


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
    return next((folder / n for n in LEDGER_FILES if (folder / n).is_file()), None)


def load_meeting_folder(path: Path) -> MeetingFolder:
    """Load and validate everything in a meeting folder.

    Problems in all three files are collected and raised together as InputErrors.
    """
    folder = Path(path)
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "会议文件夹不存在"
        raise InputError(what, Location(file=str(folder)))
    meeting_path = folder / MEETING_FILE
    if not meeting_path.is_file():
        raise InputError(f"缺少 {MEETING_FILE}", Location(file=str(meeting_path)))
    ledger_path = find_ledger(folder)
    if ledger_path is None:
        raise InputError(
            "缺少项目台账（projects.xlsx 或 projects.yaml）", Location(file=str(folder))
        )

    errors: list[InputError] = []
    meeting = _attempt(load_meeting, meeting_path, errors)
    ledger = _attempt(load_ledger, ledger_path, errors)
    priorities_path = folder / PRIORITIES_FILE
    priorities = _attempt(load_priorities, priorities_path, errors) if priorities_path.is_file() else []
    if errors:
        raise InputErrors(errors)
    assert meeting is not None and ledger is not None and priorities is not None

    templates = folder / TEMPLATES_DIR
    phrases = folder / PHRASES_FILE
    return MeetingFolder(
        path=folder,
        meeting=meeting,
        ledger=ledger,
        priorities=priorities,
        templates_dir=templates if templates.is_dir() else None,
        phrases_file=phrases if phrases.is_file() else None,
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
