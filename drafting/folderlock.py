"""Who is writing into a folder: an exclusive lock file, and staging left behind by dead processes.

``folder_lock`` creates ``.drafting.lock`` with ``O_CREAT | O_EXCL`` and writes the
owner's PID and host name into it; it is removed on release. A lock whose owner
no longer runs on this machine is broken (guarded by ``.drafting.lock.break`` so
two processes never remove a fresh lock). Staging folders and temp files are
named ``.drafting-<pid>-xxxxxxxx`` so that those of dead processes can be removed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drafting.errors import DraftingError

STAGE_PREFIX = ".drafting-"
LOCK_NAME = ".drafting.lock"
UNOWNED_GRACE_S = 60.0  # a lock without a readable PID counts as live this long
# exactly what mkdtemp/mkstemp make from our prefix: a user's own ".drafting-…" file never matches
_STAGE_NAME = re.compile(r"\.drafting-(\d+)-[a-z0-9_]{8}(?:\.tmp)?")


class OutputBusyError(DraftingError):
    """Another drafting process is writing into the same output folder."""


def stage_prefix() -> str:
    """The name prefix of this process's staging folders and temp files."""
    return f"{STAGE_PREFIX}{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a guess on the safe side: unsure → alive)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    query_limited_information = 0x1000
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _age_seconds(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove staging folders and temp files (``.drafting-<pid>-xxxxxxxx``) of processes that no longer run.

    Returns what was removed. Anything else, whatever its name, is left alone.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _STAGE_NAME.fullmatch(entry.name)
        if match is None or pid_alive(int(match[1])):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


_held: dict[str, int] = {}  # locks this process holds (re-entrant)


def _lock_owner(lock: Path) -> tuple[int | None, bool] | None:
    """(owner pid or None, alive) of an existing lock; None when the lock is gone."""
    try:
        with lock.open("rb") as f:
            text = f.read(256).decode("utf-8", "replace")
    except FileNotFoundError:
        return None
    except OSError:
        return (None, True)
    parts = text.split()
    if parts and parts[0].isdigit():
        pid = int(parts[0])
        if len(parts) > 1 and parts[1] != socket.gethostname():
            return (pid, True)  # another machine on a shared folder: cannot tell, assume alive
        return (pid, pid_alive(pid))
    return (None, _age_seconds(lock) < UNOWNED_GRACE_S)  # being created right now, or junk


def _break_stale_lock(lock: Path, stale_pid: int | None) -> None:
    """Remove a dead owner's lock, guarded so two breakers never remove a fresh lock."""
    guard = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(guard, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        if _age_seconds(guard) > UNOWNED_GRACE_S:
            guard.unlink(missing_ok=True)
        time.sleep(0.05)
        return
    os.close(fd)
    try:
        owner = _lock_owner(lock)
        if owner is not None and owner[0] == stale_pid and not owner[1]:
            lock.unlink(missing_ok=True)
    finally:
        guard.unlink(missing_ok=True)


def _busy(out_dir: Path, lock: Path, pid: int | None) -> OutputBusyError:
    who = f"（进程 {pid}）" if pid else ""
    return OutputBusyError(
        f"另一个生成任务{who}正在写入此文件夹：{out_dir}。请等它结束后再试；"
        f"如确认没有其他任务在运行，可删除 {lock}"
    )


@contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the exclusive write lock of the existing folder ``out_dir``; re-entrant within a process.

    Raises OutputBusyError when another live process holds it, OSError when the
    lock file cannot be created. While held, staging of dead processes is removed.
    """
    key = os.path.realpath(out_dir)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    lock = out_dir / LOCK_NAME
    _acquire(out_dir, lock)
    _held[key] = 1
    try:
        remove_stale_staging(out_dir)
        yield
    finally:
        del _held[key]
        lock.unlink(missing_ok=True)


def _acquire(out_dir: Path, lock: Path) -> None:
    stamp = f"{os.getpid()}\n{socket.gethostname()}\n".encode()
    for _ in range(100):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is None:
                continue  # released meanwhile
            pid, alive = owner
            if alive:
                raise _busy(out_dir, lock, pid) from None
            _break_stale_lock(lock, pid)
            continue
        try:
            os.write(fd, stamp)
        finally:
            os.close(fd)
        return
    raise _busy(out_dir, lock, None)
