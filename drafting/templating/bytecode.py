"""Compiled built-in and user-library templates, kept in the user cache so that a build does not compile them again.

Compiling the speech templates takes longer than rendering them. jinja2 can
keep the code it compiles (a ``BytecodeCache``); this one keeps it in
``$XDG_CACHE_HOME/drafting/templates-<digest>`` for templates under trusted
roots only (the built-in folder and the user's own library), never for a
meeting folder's templates, which travel between offices and may be uploaded.

A cached template is used only when its source is unchanged (jinja2 stores a
checksum of the source beside the code, so an edited library template is
compiled again). The folder's digest covers what compiling depends on besides
the source: Python's and jinja2's versions and the source of
``drafting.templating`` (the sandbox's tree rewriting, the filters it knows,
the environment's options). Cached code runs in the same sandbox as freshly
compiled code: attribute access, calls, operators, loops and output go through
the environment at run time, and the rewriting that routes loops and text
through the render budget is part of the compiled code. Like Python's own
``__pycache__``, the folder is trusted as the user's own: it is written
atomically and any file that cannot be read back is compiled again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from drafting.cachefiles import make_version_folder, write_atomically

PREFIX = "templates-"
MAX_CACHE_FILE_BYTES = 50_000_000


@lru_cache(maxsize=1)
def _digest() -> str:
    digest = hashlib.sha256(f"{sys.version}\0{jinja2.__version__}\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


class TrustedBytecodeCache(BytecodeCache):
    """jinja2 bytecode cache in ``directory`` for templates whose file lies inside one of ``roots``."""

    def __init__(self, directory: Path, roots: Sequence[Path]) -> None:
        self.directory = directory
        self.roots = [os.path.realpath(root) for root in roots]
        self._ready = False

    def trusted(self, filename: str | None) -> bool:
        if not filename:
            return False
        real = os.path.realpath(filename)
        for root in self.roots:
            try:
                if os.path.commonpath([root, real]) == root:
                    return True
            except ValueError:  # another drive on Windows
                continue
        return False

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        if not self.trusted(filename):
            return Bucket(environment, "", self.get_source_checksum(source))  # never loaded nor stored
        return super().get_bucket(environment, name, filename, source)

    def set_bucket(self, bucket: Bucket) -> None:
        if bucket.key:
            super().set_bucket(bucket)

    def _path(self, bucket: Bucket) -> Path:
        return self.directory / f"{bucket.key}.j2c"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._path(bucket), "rb") as handle:
                data = handle.read(MAX_CACHE_FILE_BYTES + 1)
        except OSError:
            return
        if len(data) > MAX_CACHE_FILE_BYTES:
            return
        try:
            bucket.bytecode_from_string(data)  # checks jinja2's magic and the source checksum
        except Exception:  # a damaged file: compile again (and overwrite it)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            if not self._ready:
                make_version_folder(self.directory, PREFIX)
                self._ready = True
            write_atomically(self._path(bucket), bucket.bytecode_to_string())
        except OSError:
            pass  # no writable cache: the template is compiled each time


def trusted_cache(cache_root: Path, roots: Sequence[Path]) -> TrustedBytecodeCache:
    """The cache for templates under ``roots``, in ``cache_root/templates-<digest>``."""
    return TrustedBytecodeCache(cache_root / f"{PREFIX}{_digest()}", roots)
