"""A .docx (zip) assembled from members deflated in advance or streamed.

``zipfile`` compresses every member it writes; the fixed parts of a package are
the same for every letter, so they are deflated once and copied as bytes. A
large part (the body of a notice with a huge table) is deflated chunk by chunk
as it is generated, and its header is filled in afterwards.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_SIZES = struct.Struct("<III")  # crc-32, compressed size, size: bytes 14-25 of a local header
_VERSION = 20  # 2.0: deflate
_DEFLATED = 8
_FILE_ATTRS = 0o100644 << 16  # a regular file, rw-r--r--
_ZIP32_MAX = 0xFFFFFFFF


class ZipTooLarge(ValueError):
    """A member or the archive passed the 4 GB a zip without ZIP64 can hold."""


@dataclass(frozen=True)
class Member:
    """One zip member, deflated: name, CRC-32, sizes and the raw deflate stream."""

    name: bytes
    crc: int
    size: int
    data: bytes


@dataclass(frozen=True)
class StreamedMember:
    """A member deflated while it is written, from its content in chunks."""

    name: bytes
    chunks: Iterable[bytes]


def _compressor():  # type: ignore[no-untyped-def]
    return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)


def deflate(name: str, content: bytes) -> Member:
    compressor = _compressor()
    data = compressor.compress(content) + compressor.flush()
    return Member(name.encode("ascii"), zlib.crc32(content), len(content), data)


def dos_time(moment: datetime) -> tuple[int, int]:
    """(time, date) in MS-DOS format; zip cannot hold years before 1980."""
    moment = max(moment, datetime(1980, 1, 1))
    date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    return time, date


def write_zip(out: BinaryIO, members: Iterable[Member | StreamedMember], moment: datetime) -> None:
    """Write the zip archive holding ``members`` in order, each stamped ``moment``, to a seekable ``out``."""
    time, date = dos_time(moment)
    central: list[bytes] = []
    offset = out.tell()
    start = offset
    for m in members:
        name = m.name
        if isinstance(m, Member):
            crc, size, packed = m.crc, m.size, len(m.data)
            out.write(_LOCAL.pack(0x04034B50, _VERSION, 0, _DEFLATED, time, date, crc, packed, size, len(name), 0))
            out.write(name)
            out.write(m.data)
        else:
            out.write(_LOCAL.pack(0x04034B50, _VERSION, 0, _DEFLATED, time, date, 0, 0, 0, len(name), 0))
            out.write(name)
            crc = size = packed = 0
            compressor = _compressor()
            for chunk in m.chunks:
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                data = compressor.compress(chunk)
                packed += len(data)
                out.write(data)
            data = compressor.flush()
            packed += len(data)
            out.write(data)
            if size > _ZIP32_MAX or packed > _ZIP32_MAX:
                raise ZipTooLarge(name.decode("ascii"))
            end = out.tell()
            out.seek(offset + 14)
            out.write(_SIZES.pack(crc, packed, size))
            out.seek(end)
        central.append(
            _CENTRAL.pack(
                0x02014B50, _VERSION, _VERSION, 0, _DEFLATED, time, date, crc, packed, size,
                len(name), 0, 0, 0, 0, _FILE_ATTRS, offset - start,
            )
            + name
        )
        offset += _LOCAL.size + len(name) + packed
        if offset - start > _ZIP32_MAX:
            raise ZipTooLarge(name.decode("ascii"))
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), offset - start, 0))


def zip_bytes(members: Iterable[Member | StreamedMember], moment: datetime) -> bytes:
    """The whole zip archive holding ``members`` in order, each stamped ``moment``."""
    buffer = io.BytesIO()
    write_zip(buffer, members, moment)
    return buffer.getvalue()
