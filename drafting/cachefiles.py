"""Files in the user's cache folder (compiled templates, fixed package parts, the token index):
written whole or not at all, and the folders of other versions removed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, prefix: str = ".tmp-") -> None:
    """Write ``data`` to ``path`` through a temporary file beside it: a reader never sees half a file.

    Raises OSError; the temporary file is removed whatever happens.
    """
    fd, temp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def make_version_folder(directory: Path, prefix: str) -> None:
    """Create ``directory`` (``prefix`` + a digest of what its files depend on) and remove the
    folders of other digests beside it (older versions); links are never followed."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.parent.glob(prefix + "*"):
        if old != directory and old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
