"""Untrusted uploads: size limits, safe file names, and zip archives unpacked without escaping their folder."""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from drafting.errors import InputError, Location
from drafting.filenames import safe_filename
from drafting.ledger import SAVE_AS_XLSX
from drafting.readers.docx import SAVE_AS_DOCX


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one request and for an uploaded zip (documented in docs/web.md)."""

    request_bytes: int = 50 * 1024 * 1024  # whole request body
    zip_members: int = 500
    zip_unpacked_bytes: int = 200 * 1024 * 1024
    zip_ratio: int = 200  # unpacked / packed, per member


DEFAULT_LIMITS = Limits()

# What a meeting folder may hold; anything else in an uploaded zip is left out.
KEPT_SUFFIXES = frozenset({".yaml", ".yml", ".xlsx", ".j2", ".docx", ".md", ".txt"})
# Old Office formats a secretary's folder may hold in place of .docx/.xlsx: refused with the CLI's hint, not dropped
OLD_OFFICE_HINTS = {
    **dict.fromkeys((".doc", ".wps", ".dot", ".wpt", ".rtf"), SAVE_AS_DOCX),
    **dict.fromkeys((".xls", ".et"), SAVE_AS_XLSX),
}
_SKIPPED_PARTS = frozenset({"__MACOSX", ".DS_Store", "输出"})
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def clean_name(name: str, suffixes: tuple[str, ...]) -> str:
    """A safe file name for an uploaded file: only its last component, an allowed suffix, no odd characters.

    Raises InputError when the suffix is not one of ``suffixes``.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c) not in ("Cf", "Cc"))
    suffix = PurePosixPath(base).suffix.lower()
    if suffix not in suffixes:
        allowed = "、".join(suffixes)
        raise InputError(f"不支持的文件类型“{suffix or '（无扩展名）'}”，请上传 {allowed} 文件", Location(file=base or None))
    return safe_filename(base[: -len(suffix)], suffix)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; zips made by Windows' own tool store Chinese names in GBK without saying so."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    raw = name.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _safe_parts(name: str, archive: str) -> list[str] | None:
    """Path components of a member, or None for entries to skip; refuses anything that leaves the folder."""
    text = name.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        raise InputError(f"压缩包中有绝对路径“{name}”，已拒绝", Location(file=archive))
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InputError(f"压缩包中有指向上级文件夹的路径“{name}”，已拒绝", Location(file=archive))
    if not parts or any(p in _SKIPPED_PARTS or p.startswith(".") for p in parts):
        return None
    cleaned = [_UNSAFE.sub("_", unicodedata.normalize("NFC", p)).strip().rstrip(".") for p in parts]
    if any(not p for p in cleaned):
        return None
    return cleaned


def extract_zip(archive: Path, dest: Path, *, shown: str, limits: Limits = DEFAULT_LIMITS) -> Path:
    """Unpack a meeting folder zip into ``dest``; returns the meeting folder inside it.

    Refuses path traversal, absolute paths, symbolic links, too many members and
    too much unpacked data (counted while reading, not trusted from the header).
    A zip holding one top folder yields that folder.
    """
    where = Location(file=shown)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError("不是有效的 .zip 压缩包", where) from exc
    with zf:
        members = zf.infolist()
        if len(members) > limits.zip_members:
            raise InputError(f"压缩包中的文件过多（{len(members)}个，上限{limits.zip_members}个）", where)
        declared = sum(m.file_size for m in members)
        if declared > limits.zip_unpacked_bytes:
            raise InputError(f"压缩包解压后过大（超过{limits.zip_unpacked_bytes // 2**20} MB）", where)
        total = 0
        dest.mkdir(parents=True, exist_ok=True)
        root = dest.resolve()
        for info in members:
            name = _member_name(info)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise InputError(f"压缩包中有符号链接“{name}”，已拒绝", where)
            parts = _safe_parts(name, shown)
            if parts is None or info.is_dir():
                continue
            suffix = PurePosixPath(parts[-1]).suffix.lower()
            if suffix in OLD_OFFICE_HINTS and not parts[-1].startswith("~$"):  # not a Word lock file
                inside = "/".join(parts)
                hint = OLD_OFFICE_HINTS[suffix]
                raise InputError(f"压缩包中的“{inside}”是旧版 {suffix} 格式，本工具无法读取；{hint}后重新打包上传", where)
            if suffix not in KEPT_SUFFIXES:
                continue
            target = dest.joinpath(*parts)
            if root not in target.resolve().parents:
                raise InputError(f"压缩包中的路径“{name}”指向文件夹之外，已拒绝", where)
            if info.flag_bits & 0x1:
                raise InputError("压缩包已加密，请上传未加密的压缩包", where)
            target.parent.mkdir(parents=True, exist_ok=True)
            budget = min(limits.zip_unpacked_bytes - total, max(info.compress_size, 1024) * limits.zip_ratio)
            try:
                with zf.open(info) as source, open(target, "xb") as out:
                    while chunk := source.read(65536):
                        budget -= len(chunk)
                        total += len(chunk)
                        if budget < 0:
                            raise InputError("压缩包解压后过大或压缩比异常，疑似“压缩炸弹”，已拒绝", where)
                        out.write(chunk)
            except FileExistsError:
                raise InputError(f"压缩包中有重名文件“{name}”", where) from None
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
                raise InputError(f"压缩包中的“{name}”无法解压（{exc}）", where) from exc
    entries = [p for p in dest.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return dest
