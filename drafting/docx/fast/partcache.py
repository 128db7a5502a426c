"""The fixed parts of a package kept in the user cache, so that a build does not run python-docx to make them.

The fast writer takes every part but the body and core.xml from the reference
writer's output for the document's *frame* (``drafting.docx.fast.writer``).
Making them costs importing python-docx and running its writer; both are
skipped when the parts are on disk, in
``$XDG_CACHE_HOME/drafting/docx-parts-<digest>/``.

The folder's digest covers everything the parts depend on besides the style
profile and the frame: Python's and zlib's versions (the members are stored
deflated), drafting's version and the source of ``drafting.docx`` (the
reference writer, its styles and base package, this writer), the document model
and python-docx's and lxml's versions. A file holds one profile and frame: its
name is their digest, and it holds their full text (its *key*), which must
equal the one asked for; a checksum covers the whole file. A file that cannot
be read, is damaged, too large or for another key is a miss: the parts are
made again and the file replaced. Files are written atomically; the folder
keeps at most ``MAX_FOLDER_BYTES``, dropping the least recently used files, and
folders of other digests (older versions) are removed when a file is written.
Like Python's own ``__pycache__``, the folder is the user's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from drafting.cachefiles import make_version_folder, write_atomically
from drafting.docx.fast.zipwrite import Member
from drafting.resources import user_cache_dir

PREFIX = "docx-parts-"
SUFFIX = ".parts"
MAGIC = b"drafting docx parts 1\n"
MAX_FILE_BYTES = 8_000_000
MAX_FOLDER_BYTES = 32_000_000
_DRAFTING = Path(__file__).resolve().parents[2]  # the drafting package


@dataclass(frozen=True)
class FixedParts:
    order: list[str]  # member names in the reference writer's order
    members: dict[str, Member]  # every member but document.xml and core.xml, deflated
    document_head: str  # document.xml up to and including <w:body>
    sect_prs: list[str]  # the frame's section properties in body order; the last is the body's own
    document_end: str  # after the body's sectPr
    style_ids: dict[str, str]
    organ_size_pt: float | None  # 发文机关标志 size as the styles part has it


@lru_cache(maxsize=1)
def _digest() -> str:
    """What the parts depend on besides the profile and the frame (see the module docstring)."""
    from importlib.util import find_spec

    from drafting import __version__

    digest = hashlib.sha256(f"{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0{__version__}\0".encode())
    sources = sorted((_DRAFTING / "docx").rglob("*.py")) + [_DRAFTING / "document.py", _DRAFTING / "titlebreak.py"]
    for name in ("docx", "lxml"):  # their __init__.py holds their version
        spec = find_spec(name)
        if spec is not None and spec.origin:
            sources.append(Path(spec.origin))
    for path in sources:
        digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def folder() -> Path:
    return user_cache_dir() / f"{PREFIX}{_digest()}"


def key_text(profile: object, frame_repr: str) -> str:
    return f"{profile!r}\0{frame_repr}"


def _path(key: str) -> Path:
    return folder() / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + SUFFIX)


def load(key: str) -> FixedParts | None:
    """The parts stored under ``key``, or None (a miss) when there are none or they cannot be trusted."""
    try:
        path = _path(key)
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES:
        return None
    try:
        parts = _decode(data, key)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    try:
        os.utime(path)  # recently used: kept when the folder is trimmed
    except OSError:
        pass
    return parts


def store(key: str, parts: FixedParts) -> None:
    """Keep ``parts`` under ``key``; without a writable cache nothing is kept."""
    try:
        path = _path(key)
        data = _encode(key, parts)
        if len(data) > MAX_FILE_BYTES:
            return
        if not path.parent.is_dir():
            make_version_folder(path.parent, PREFIX)
        write_atomically(path, data)
        _trim(path.parent, keep=path)
    except OSError:
        pass


def _encode(key: str, parts: FixedParts) -> bytes:
    members = [parts.members[name] for name in parts.order if name in parts.members]
    header = {
        "key": key,
        "order": parts.order,
        "members": [[m.name.decode("ascii"), m.crc, m.size, len(m.data)] for m in members],
        "document_head": parts.document_head,
        "sect_prs": parts.sect_prs,
        "document_end": parts.document_end,
        "style_ids": parts.style_ids,
        "organ_size_pt": parts.organ_size_pt,
    }
    body = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + b"".join(m.data for m in members)
    return MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def _decode(data: bytes, key: str) -> FixedParts:
    """The parts in ``data``; ValueError (or TypeError …) when damaged or for another key."""
    if not data.startswith(MAGIC):
        raise ValueError("not a parts file")
    checksum, body = data[len(MAGIC) :].split(b"\n", 1)
    if hashlib.sha256(body).hexdigest().encode("ascii") != checksum:
        raise ValueError("damaged")
    text, blobs = body.split(b"\n", 1)
    header = json.loads(text.decode("utf-8"))
    if header["key"] != key:
        raise ValueError("another key")
    members: dict[str, Member] = {}
    offset = 0
    for name, crc, size, length in header["members"]:
        if not (isinstance(name, str) and all(isinstance(v, int) and v >= 0 for v in (crc, size, length))):
            raise ValueError("member")
        members[name] = Member(name.encode("ascii"), crc, size, blobs[offset : offset + length])
        offset += length
    order, sect_prs, style_ids = header["order"], header["sect_prs"], header["style_ids"]
    texts = [header["document_head"], header["document_end"], *order, *sect_prs, *style_ids.keys(), *style_ids.values()]
    size = header["organ_size_pt"]
    if (
        offset != len(blobs)
        or not all(isinstance(t, str) for t in texts)
        or not set(members) <= set(order)
        or not (size is None or isinstance(size, float))
    ):
        raise ValueError("malformed")
    return FixedParts(order, members, header["document_head"], sect_prs, header["document_end"], style_ids, size)


def _trim(directory: Path, keep: Path) -> None:
    """Drop the least recently used files until the folder holds at most ``MAX_FOLDER_BYTES``."""
    entries = []
    for path in directory.glob("*" + SUFFIX):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= MAX_FOLDER_BYTES:
            break
        if path == keep:
            continue
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
