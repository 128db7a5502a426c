"""The workspace: a folder of meeting folders, named safely, each with its own lock."""

from __future__ import annotations

import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from drafting.errors import InputError, Location
from drafting.filenames import safe_filename
from drafting.folder import MEETING_FILE, find_ledger

STAGING_PREFIX = ".drafting-web-"


@dataclass(frozen=True)
class MeetingEntry:
    name: str
    path: Path
    has_meeting: bool
    has_ledger: bool
    has_priorities: bool


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()

    def meetings(self) -> list[MeetingEntry]:
        """Sub-folders that hold a meeting.yaml or a ledger, by name."""
        entries = []
        if not self.root.is_dir():
            return entries
        for child in sorted(self.root.iterdir(), key=lambda p: p.name):
            if child.name.startswith(".") or child.is_symlink() or not child.is_dir():
                continue
            has_meeting = (child / MEETING_FILE).is_file()
            has_ledger = find_ledger(child) is not None
            if has_meeting or has_ledger:
                entries.append(
                    MeetingEntry(child.name, child, has_meeting, has_ledger, (child / "priorities.yaml").is_file())
                )
        return entries

    def meeting(self, name: str) -> Path:
        """The folder of an existing meeting; any name that is not a plain child folder is refused."""
        if not name or name != Path(name).name or name.startswith(".") or name in ("..",):
            raise InputError("没有这个会议", Location(file=name))
        path = self.root / name
        if path.is_symlink() or not path.is_dir() or path.resolve().parent != self.root:
            raise InputError("没有这个会议", Location(file=name))
        return path

    def new_name(self, wanted: str) -> str:
        """A safe folder name for a new meeting, distinct from the existing entries."""
        taken = [p.name for p in self.root.iterdir()] if self.root.is_dir() else []
        return safe_filename(wanted.strip() or "新会议", "", taken=taken)

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A temporary folder inside the workspace (same file system as the meetings), removed afterwards."""
        self.root.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root))
        try:
            yield stage
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    @contextmanager
    def editing(self, folder: Path) -> Iterator[None]:
        """Hold the meeting's lock for a change; refuse at once while a build of it runs."""
        lock = self.lock(folder)
        if not lock.acquire(blocking=False):
            raise InputError("该会议正在生成文件，请等生成结束后再修改", Location(file=Path(folder).name))
        try:
            yield
        finally:
            lock.release()

    def lock(self, folder: Path) -> threading.Lock:
        """The one lock of a meeting folder: builds and edits of one meeting never interleave."""
        key = Path(folder).resolve()
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())
