"""Read a .txt or .md draft: one paragraph per non-empty line.

Encodings: UTF-8 (with or without BOM) and UTF-16 with BOM are decoded strictly. Other bytes
are decoded as GB18030 (covering GBK and GB2312) and as Big5; nearly any Big5 text is also
valid GBK, so each result is judged by how plausible its characters are (see ``plausibility``)
and a file that reads plausibly in neither is refused rather than read as garbage.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from drafting.archive import size_text
from drafting.errors import InputError, Location
from drafting.readers.draft import Draft, SourceParagraph
from drafting.readers.shape import assemble

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_MD_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_MARKER = re.compile(r"^(?:[-*+>]\s+)+")


MAX_TEXT_BYTES = 5 * 1024 * 1024  # a long report is a few hundred KB
MIN_PLAUSIBILITY = 0.8  # share of plausible characters for a GBK or Big5 reading to be believed

# Characters that turn up when one double-byte encoding is read as another: private use,
# kana, Greek, Cyrillic, box drawing, half-width forms.
_ODD = re.compile("[\ue000-\uf8ff\u3040-\u30ff\u0370-\u03ff\u0400-\u04ff\u2500-\u257f\uff61-\uff9f]")
_HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _in_big5_common(char: str) -> bool:
    """One of Big5's 5,401 常用字 (A440–C67E), the characters of ordinary traditional text."""
    try:
        code = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and (0xA4, 0x40) <= (code[0], code[1]) <= (0xC6, 0x7E)


def plausibility(text: str, common: Callable[[str], bool]) -> float:
    """Share of the Chinese (and odd) characters of ``text`` that are ``common`` in its encoding.

    Real GBK text keeps to GB2312's 6,763 characters; Big5 read as GBK scatters into rare
    characters, kana and private-use points (and the reverse likewise), scoring about half.
    """
    hanzi = _HANZI.findall(text)
    odd = len(_ODD.findall(text))
    total = len(hanzi) + odd
    if total == 0:
        return 1.0
    return sum(1 for char in hanzi if common(char)) / total


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes of a Chinese text file; raise InputError when no encoding fits plausibly."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("文件开头标明是 UTF-16 编码，但内容有误，请另存为 UTF-8 文本后重试", Location(file=path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings: list[tuple[float, int, str]] = []  # (plausibility, preference, text)
    for preference, (encoding, common) in enumerate((("gb18030", _in_gb2312), ("big5", _in_big5_common))):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((plausibility(text, common), -preference, text))
    if readings:
        score, _, text = max(readings)
        if score >= MIN_PLAUSIBILITY:
            return text
    raise InputError(
        "无法可靠识别文件编码（支持 UTF-8、GBK/GB18030 和繁体 Big5），请另存为 UTF-8 文本后重试", Location(file=path)
    )


def _paragraphs(text: str, markdown: bool) -> list[SourceParagraph]:
    paras: list[SourceParagraph] = []
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        level: int | None = None
        if markdown:
            heading = _MD_HEADING.match(line)
            if heading and heading.group(2):
                level, line = len(heading.group(1)), heading.group(2).strip()
            line = _MD_MARKER.sub("", line)
            line = _MD_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)
            if line.startswith("\\"):
                line = line[1:]
        if "\x00" in line:
            raise InputError("文件含有二进制内容，不是文本文件")
        paras.append(SourceParagraph(number=len(paras) + 1, text=line, markdown_level=level))
    return paras


def _read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """``stream.read(limit)`` without a buffer of ``limit`` bytes for a small file: the file's size first."""
    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, ValueError, AttributeError):
        return stream.read(limit)
    first = min(size + 1, limit)  # one byte more than the size: whether the file grew meanwhile
    data = stream.read(first)
    if len(data) == first < limit:  # not at its end yet (it grew, or a pipe): read on up to the limit
        data += stream.read(limit - first)
    return data


def read_text(path: Path) -> Draft:
    """Read a .txt/.md draft into a Draft (document + paragraph numbers)."""
    try:
        with path.open("rb") as stream:
            data = _read_bounded(stream, MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", Location(file=path)) from exc
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"文件超过 {size_text(MAX_TEXT_BYTES)}，不像是一篇文稿，请检查是否选错了文件", Location(file=path))
    if not data.strip():
        raise InputError("文件为空", Location(file=path))
    text = decode_text(data, path)
    try:
        paras = _paragraphs(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    except InputError as exc:
        raise InputError(exc.message, Location(file=path)) from exc
    if not paras:
        raise InputError("文件为空", Location(file=path))
    return assemble(paras, path, "text")
