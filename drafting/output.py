"""Write a batch of output files all-or-nothing.

Every file is first written into a staging folder beside the outputs; only
when all of them are written are they moved into place (``os.replace`` is
atomic within one file system). A failure part-way leaves no new file behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from drafting.errors import DraftingError, InputError, Location, OutputExistsError

Writer = Callable[[Path], None]


def refuse_existing(paths: Iterable[Path], hint: str = "如需覆盖，请加 --force；或用 -o 指定其他输出目录") -> None:
    """Raise OutputExistsError naming the first path that already exists."""
    existing = [p for p in paths if p.exists()]
    if existing:
        more = f"（共{len(existing)}个）" if len(existing) > 1 else ""
        raise OutputExistsError(f"输出文件已存在{more}。{hint}", Location(file=str(existing[0])))


@contextmanager
def staging_dir(out_dir: Path) -> Iterator[Path]:
    """A temporary folder inside ``out_dir``; removed whatever happens."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("输出位置是一个文件，不是文件夹；请用 -o 指定一个文件夹", Location(file=str(out_dir)))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".drafting-", dir=out_dir))
    except OSError as exc:
        raise DraftingError(f"无法在 {out_dir} 中写入：{exc.strerror or exc}") from exc
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def commit_batch(items: Iterable[tuple[Path, Writer]], out_dir: Path) -> list[Path]:
    """Write each (final path, writer) into staging, then move all into place.

    ``items`` may be wrapped by a progress bar; it is consumed once.
    Returns the final paths in order.
    """
    staged: list[tuple[Path, Path]] = []
    with staging_dir(out_dir) as stage:
        for index, (final, write) in enumerate(items):
            temp = stage / f"{index:06d}{final.suffix}"
            try:
                write(temp)
            except DraftingError:
                raise
            except OSError as exc:
                raise DraftingError(f"写入 {final} 失败：{exc.strerror or exc}") from exc
            staged.append((temp, final))
        for temp, final in staged:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
    return [final for _, final in staged]


def json_writer(data: object) -> Writer:
    """A writer that dumps ``data`` as UTF-8 JSON (Chinese kept readable)."""

    def write(path: Path) -> None:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    return write
