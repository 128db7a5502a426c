"""Size checks on a zip container (.xlsx, .docx) before anything inside it is parsed.

The sizes come from the zip's central directory; Python's zipfile never returns more
bytes than a member declares (and fails its CRC check when the declaration lies), so
the declared sizes bound what a later parse can read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Location

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office files: .xls, .doc, .wps, .et
RATIO_FLOOR = 10 * 1024 * 1024  # compression ratios are only judged for members larger than this


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int  # entries in the zip
    max_total: int  # unpacked bytes of all entries together
    max_xml: int  # unpacked bytes of the .xml/.rels entries together
    max_part: int  # unpacked bytes of any one .xml entry read whole into memory (not in ``streamed``)
    max_ratio: int  # unpacked ÷ packed, for entries larger than RATIO_FLOOR
    streamed: tuple[str, ...] = ()  # name prefixes of entries parsed as a stream, exempt from max_part


def size_text(n: int) -> str:
    """Bytes as users read them: 256 MB, 20 MB, 512 KB."""
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def is_ole_file(path: Path) -> bool:
    """Whether ``path`` is an old binary Office file, whatever its extension says."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE
    except OSError:
        return False


def check_archive(path: Path, limits: ArchiveLimits, what: str) -> None:
    """Raise InputError when the zip at ``path`` would unpack beyond ``limits``; ``what`` names the
    kind of file in the message (e.g. “Excel 表格”). A file that is not a zip is left to the caller."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    where = Location(file=path)
    if len(members) > limits.max_members:
        raise InputError(f"文件内部的条目过多（{len(members)}个，最多{limits.max_members}个），不像是正常的{what}", where)
    total = xml = 0
    for member in members:
        total += member.file_size
        if member.filename.lower().endswith((".xml", ".rels")):
            xml += member.file_size
            if member.file_size > limits.max_part and not member.filename.startswith(limits.streamed or ("\0",)):
                raise InputError(
                    f"内部文件 {member.filename} 解压后过大（{size_text(member.file_size)}，最多 "
                    f"{size_text(limits.max_part)}），{what}不应这么大，疑似“压缩炸弹”",
                    where,
                )
        if member.file_size > RATIO_FLOOR and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise InputError(
                f"内部文件 {member.filename} 的压缩比异常（{ratio}倍），疑似“压缩炸弹”，不予处理", where
            )
    if xml > limits.max_xml:
        raise InputError(
            f"解压后的内容过大（XML 共 {size_text(xml)}，最多 {size_text(limits.max_xml)}），{what}不应这么大，疑似“压缩炸弹”", where
        )
    if total > limits.max_total:
        raise InputError(
            f"解压后的内容过大（共 {size_text(total)}，最多 {size_text(limits.max_total)}），请删去不需要的内容（如大图片）后再试", where
        )
