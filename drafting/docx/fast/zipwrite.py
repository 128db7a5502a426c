"""A .docx (zip) assembled from members deflated in advance.

``zipfile`` compresses every member it writes; the fixed parts of a package are
the same for every letter, so they are deflated once and copied as bytes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import datetime

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # 2.0: deflate
_DEFLATED = 8
_FILE_ATTRS = 0o100644 << 16  # a regular file, rw-r--r--


@dataclass(frozen=True)
class Member:
    """One zip member, deflated: name, CRC-32, sizes and the raw deflate stream."""

    name: bytes
    crc: int
    size: int
    data: bytes


def deflate(name: str, content: bytes) -> Member:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Member(name.encode("ascii"), zlib.crc32(content), len(content), data)


def dos_time(moment: datetime) -> tuple[int, int]:
    """(time, date) in MS-DOS format; zip cannot hold years before 1980."""
    moment = max(moment, datetime(1980, 1, 1))
    date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    return time, date


def zip_bytes(members: list[Member], moment: datetime) -> bytes:
    """The whole zip archive holding ``members`` in order, each stamped ``moment``."""
    time, date = dos_time(moment)
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        header = _LOCAL.pack(
            0x04034B50, _VERSION, 0, _DEFLATED, time, date, m.crc, len(m.data), m.size, len(m.name), 0
        )
        central.append(
            _CENTRAL.pack(
                0x02014B50, _VERSION, _VERSION, 0, _DEFLATED, time, date, m.crc, len(m.data), m.size,
                len(m.name), 0, 0, 0, 0, _FILE_ATTRS, offset,
            )
            + m.name
        )
        out += (header, m.name, m.data)
        offset += len(header) + len(m.name) + len(m.data)
    directory = b"".join(central)
    out.append(directory)
    out.append(_END.pack(0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0))
    return b"".join(out)
