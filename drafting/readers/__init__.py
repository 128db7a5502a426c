"""Draft readers: .docx, .txt and .md files → the shared document model."""

from __future__ import annotations

from pathlib import Path

from drafting.document import Document
from drafting.errors import InputError, Location
from drafting.readers.draft import Draft, SourceParagraph

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
SUPPORTED_SUFFIXES = (".docx", *TEXT_SUFFIXES)
# Old binary Office formats: what to do with each
OLD_OFFICE_SUFFIXES = {
    ".doc": "请用 Word 或 WPS 另存为 .docx 后再检查",
    ".wps": "请用 WPS 或 Word 另存为 .docx 后再检查",
    ".dot": "请用 Word 或 WPS 另存为 .docx 后再检查",
    ".rtf": "请用 Word 或 WPS 另存为 .docx 后再检查",
    ".xls": "这是表格，不是文稿；请用 Excel 或 WPS 另存为 .xlsx/.docx（项目台账用 .xlsx）",
    ".et": "这是表格，不是文稿；请用 Excel 或 WPS 另存为 .xlsx/.docx（项目台账用 .xlsx）",
}


def load_draft(path: str | Path) -> Draft:
    """Read a draft and keep each block's paragraph number (for reports and annotation)."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", Location(file=path))
    if path.is_dir():
        raise InputError("这是一个文件夹，不是草稿文件", Location(file=path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from drafting.readers.docx import read_docx

        return read_docx(path)
    if suffix in TEXT_SUFFIXES:
        from drafting.readers.text import read_text

        return read_text(path)
    if suffix in OLD_OFFICE_SUFFIXES:
        raise InputError(f"不支持旧版 {suffix} 格式，{OLD_OFFICE_SUFFIXES[suffix]}", Location(file=path))
    raise InputError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”，可检查 .docx、.txt、.md 文件", Location(file=path))


def read_draft(path: str | Path) -> Document:
    """Read a .docx/.txt/.md draft into a Document."""
    return load_draft(path).document


__all__ = ["Draft", "SourceParagraph", "SUPPORTED_SUFFIXES", "load_draft", "read_draft"]
