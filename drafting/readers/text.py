"""Read a .txt or .md draft: one paragraph per non-empty line.

Encodings are detected by trying them in turn (UTF-8 with or without BOM,
UTF-16 with BOM, then GB18030, which covers GBK and GB2312).
"""

from __future__ import annotations

import re
from pathlib import Path

from drafting.errors import InputError, Location
from drafting.readers.draft import Draft, SourceParagraph
from drafting.readers.shape import assemble

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_MD_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_MARKER = re.compile(r"^(?:[-*+>]\s+)+")


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes of a Chinese text file; raise InputError when no encoding fits."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文件编码（支持 UTF-8、GBK/GB18030），请另存为 UTF-8 文本后重试", Location(file=path))


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


def read_text(path: Path) -> Draft:
    """Read a .txt/.md draft into a Draft (document + paragraph numbers)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", Location(file=path)) from exc
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
