"""Write output files without ever losing or clobbering a user's file.

- ``commit_batch`` writes a batch all-or-nothing: every file goes into a staging
  folder beside the outputs (``.drafting-<pid>-<random>``); only when all are
  written is every destination checked, then the old files are moved into the
  staging folder as backups and the new ones moved into place. If any move still
  fails, everything already moved is put back, so the batch lands whole or not
  at all. Files the batch makes obsolete are removed in the same transaction.
- ``output_lock`` holds the output folder's lock (drafting.folderlock) for the
  whole write; a lock or staging folder left behind by a dead process is
  removed by the next writer.
- ``write_new_file`` publishes one file atomically under a name that does not
  exist yet: never onto an existing file, never through a link.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from drafting.errors import DraftingError, InputError, Location, OutputExistsError
from drafting.folderlock import LOCK_NAME, OutputBusyError, folder_lock, remove_stale_staging, stage_prefix

__all__ = [
    "LOCK_NAME",
    "OutputBusyError",
    "Writer",
    "commit_batch",
    "ensure_dir",
    "json_writer",
    "output_lock",
    "refuse_existing",
    "staging_dir",
    "write_new_file",
]

Writer = Callable[[Path], None]

def refuse_existing(paths: Iterable[Path], hint: str = "如需覆盖，请加 --force；或用 -o 指定其他输出目录") -> None:
    """Raise OutputExistsError naming the first path that already exists."""
    existing = [p for p in paths if os.path.lexists(p)]
    if existing:
        more = f"（共{len(existing)}个）" if len(existing) > 1 else ""
        raise OutputExistsError(f"输出文件已存在{more}。{hint}", Location(file=str(existing[0])))


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for a failed file operation."""
    code = exc.errno
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "文件正被其他程序打开或没有写入权限"
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        return "磁盘空间不足"
    if code == errno.EROFS:
        return "所在磁盘只读"
    if code == errno.ENAMETOOLONG:
        return "文件名太长"
    if isinstance(exc, IsADirectoryError) or code in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
        return "此处已有同名文件夹"
    return exc.strerror or str(exc)


def ensure_dir(folder: Path) -> None:
    """Create ``folder`` (and parents); a file in its place is an input error."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise InputError("输出位置是一个文件，不是文件夹；请用 -o 指定一个文件夹", Location(file=str(folder)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DraftingError(f"无法在 {folder} 中写入：{os_reason(exc)}") from exc


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Create ``out_dir`` if needed and hold its write lock (see drafting.folderlock); re-entrant."""
    ensure_dir(out_dir)
    with ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(out_dir))
        except OSError as exc:
            raise DraftingError(f"无法在 {out_dir} 中写入：{os_reason(exc)}") from exc
        yield


# --- one batch, all or nothing ---------------------------------------------------------------


@contextmanager
def staging_dir(out_dir: Path) -> Iterator[Path]:
    """A temporary folder ``.drafting-<pid>-*`` inside ``out_dir``; removed whatever happens."""
    ensure_dir(out_dir)
    try:
        stage = Path(tempfile.mkdtemp(prefix=stage_prefix(), dir=out_dir))
    except OSError as exc:
        raise DraftingError(f"无法在 {out_dir} 中写入：{os_reason(exc)}") from exc
    try:
        yield stage
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _check_destination(path: Path, out_dir: Path, passed: set[Path] | None = None) -> None:
    """Raise DraftingError if ``path`` cannot be replaced (checked before anything is moved).

    ``passed``: folders whose checks (the folders up to ``out_dir``, write permission) already passed
    for an earlier file of the batch; they are not looked at again for each of thousands of letters.
    """
    parent = path.parent
    known = passed is not None and parent in passed
    if not known:
        for folder in path.parents:
            if folder == out_dir:
                break
            if folder.is_symlink():  # never write through a link to somewhere else
                raise DraftingError(f"此处是一个链接，不是文件夹，无法写入：{folder}")
            if os.path.lexists(folder) and not folder.is_dir():
                raise DraftingError(f"此处是一个文件，不是文件夹，无法写入：{folder}")
    if path.is_dir() and not path.is_symlink():
        raise DraftingError(f"此处已有同名文件夹，无法写入文件：{path}")
    if not known:
        existing = next(folder for folder in path.parents if folder.exists())
        if not os.access(existing, os.W_OK):
            raise DraftingError(f"文件夹没有写入权限：{existing}")
        if passed is not None:
            passed.add(parent)
    if os.name == "nt" and path.is_file():  # pragma: no cover - Windows: a file open in Word is locked
        try:
            os.close(os.open(path, os.O_RDWR))
        except OSError as exc:
            raise DraftingError(f"{os_reason(exc)}：{path}") from exc


def _swap(moves: Sequence[tuple[Path | None, Path]], stage: Path) -> None:
    """Move each staged file onto its final path (None: just remove the final); undo all on failure."""
    done: list[tuple[Path, Path | None, bool]] = []  # (final, backup, new file placed)
    created: list[Path] = []
    current: Path | None = None
    present: set[Path] = set()  # folders seen or made: each looked at once, not for every file in it
    try:
        for index, (temp, final) in enumerate(moves):
            current = final
            if final.parent not in present:
                for folder in reversed(final.parents):
                    if folder not in present and not folder.exists():
                        folder.mkdir()
                        created.append(folder)
                    present.add(folder)
            backup = None
            if os.path.lexists(final):
                backup = stage / f"{index:06d}.old"
                os.replace(final, backup)
            done.append((final, backup, False))
            if temp is not None:
                os.replace(temp, final)
                done[-1] = (final, backup, True)
    except BaseException as exc:
        lost = _undo(done, created)
        if lost:
            kept = stage.with_name(f"drafting-未恢复的原文件-{os.getpid()}-{secrets.token_hex(2)}")
            stage.rename(kept)
            raise DraftingError(
                f"替换 {current} 时出错，且未能恢复 {'、'.join(map(str, lost))}；原文件保存在 {kept}"
            ) from exc
        if isinstance(exc, OSError):
            raise DraftingError(f"{os_reason(exc)}：{current}。原有文件均已恢复，本次没有替换任何文件。") from exc
        raise


def _undo(done: list[tuple[Path, Path | None, bool]], created: list[Path]) -> list[Path]:
    """Put every backup back; return finals that could not be restored."""
    lost: list[Path] = []
    for final, backup, placed in reversed(done):
        try:
            if placed and backup is None:
                final.unlink(missing_ok=True)
            if backup is not None:
                os.replace(backup, final)
        except OSError:
            lost.append(final)
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass
    return lost


def commit_batch(items: Iterable[tuple[Path, Writer]], out_dir: Path, remove: Sequence[Path] = ()) -> list[Path]:
    """Write each (final path, writer) into staging, then move all into place and delete ``remove``.

    Holds the folder lock throughout. ``items`` may be wrapped by a progress bar;
    it is consumed once. Returns the final paths in order.
    """
    staged: list[tuple[Path, Path]] = []
    with output_lock(out_dir), staging_dir(out_dir) as stage:
        for index, (final, write) in enumerate(items):
            temp = stage / f"{index:06d}{final.suffix}"
            try:
                write(temp)
            except DraftingError:
                raise
            except OSError as exc:
                raise DraftingError(f"写入 {final} 失败：{os_reason(exc)}") from exc
            staged.append((temp, final))
        moves: list[tuple[Path | None, Path]] = [*staged, *((None, path) for path in remove)]
        passed: set[Path] = set()
        for _, final in moves:
            _check_destination(final, out_dir, passed)
        _swap(moves, stage)
    return [final for _, final in staged]


def json_writer(data: object | Callable[[], object]) -> Writer:
    """A writer that dumps ``data`` (or what it returns, when called at write time) as UTF-8 JSON."""

    def write(path: Path) -> None:
        value = data() if callable(data) else data
        path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    return write


# --- one new file ----------------------------------------------------------------------------

_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", -1)}


def _publish_new(temp: Path, target: Path) -> bool:
    """Give ``temp`` the name ``target`` unless something (even a dangling link) has that name."""
    if os.name == "nt":  # pragma: no cover - rename refuses an existing target on Windows
        try:
            os.rename(temp, target)
        except FileExistsError:
            return False
        return True
    try:
        os.link(temp, target)  # atomic and never replaces anything
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(target):  # FAT/exFAT drives have no hard links
            return False
        os.replace(temp, target)
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_new_file(folder: Path, names: Iterable[str], write: Writer) -> Path:
    """Write a file with ``write`` and publish it atomically in ``folder`` under the first free name.

    Nothing existing is replaced or written through; on failure no file (not
    even a partial one) is left. Raises OutputExistsError if every name is taken.
    """
    ensure_dir(folder)
    remove_stale_staging(folder)
    names = iter(names)
    first = next(names)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=stage_prefix(), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise DraftingError(f"无法在 {folder} 中写入：{os_reason(exc)}") from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        try:
            write(temp)
            os.chmod(temp, 0o666 & ~_umask())
            for name in itertools.chain([first], names):
                if _publish_new(temp, folder / name):
                    return folder / name
        except OSError as exc:
            raise DraftingError(f"无法写出 {folder / first}：{os_reason(exc)}") from exc
        raise OutputExistsError("文件已存在", Location(file=str(folder / first)))
    finally:
        temp.unlink(missing_ok=True)
