"""Read a .docx draft (generated or hand-written) into the shared document model."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from drafting.archive import ArchiveLimits, check_archive, is_ole_file
from drafting.errors import InputError, Location
from drafting.readers.autonumber import AutoNumbers
from drafting.readers.draft import Align, Draft, SourceParagraph
from drafting.readers.shape import assemble

SAVE_AS_DOCX = "请用 Word 或 WPS 另存为 .docx"
# Limits on a .docx draft (docs/limits.md). python-docx holds every part in memory and parses
# the XML parts into trees (about ten times their size).
DOCX_LIMITS = ArchiveLimits(
    max_members=2_000, max_total=100 * 1024 * 1024, max_xml=20 * 1024 * 1024, max_part=20 * 1024 * 1024, max_ratio=100
)

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_ALIGN = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.LEFT: "left",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
    WD_ALIGN_PARAGRAPH.DISTRIBUTE: "justify",
}


def open_docx(path: Path) -> DocxDocument:
    """Open a .docx with python-docx; raise InputError for anything that is not one."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", Location(file=path)) from exc
    if size == 0:
        raise InputError("文件为空", Location(file=path))
    if is_ole_file(path):
        raise InputError(f"这是旧版 Word/WPS 文件（.doc/.wps），只是扩展名为 {path.suffix}；{SAVE_AS_DOCX}", Location(file=path))
    if not zipfile.is_zipfile(path):
        raise InputError(f"不是有效的 Word 文档（.docx）；如为旧版 .doc 文件，{SAVE_AS_DOCX}", Location(file=path))
    check_archive(path, DOCX_LIMITS, "文稿")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any parse failure is bad input
        raise InputError("Word 文档已损坏，无法读取；请用 Word 或 WPS 打开后另存一份再试", Location(file=path)) from exc


# Runs of the paragraph as it reads with tracked changes accepted: python-docx's
# Paragraph.text skips runs inside w:ins (and fields, smart tags, content controls).
_VISIBLE_RUNS = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def paragraph_text(paragraph: DocxParagraph) -> str:
    text = "".join(run.text for run in paragraph._p.xpath(_VISIBLE_RUNS))
    return text.replace("\n", "").replace("\t", " ").replace("\u3000", " ").strip()


def table_rows(table: DocxTable) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(text for text in map(paragraph_text, cell.paragraphs) if text))
        rows.append(cells)
    return rows


def iter_source_items(document: DocxDocument) -> Iterator[tuple[int, DocxParagraph | DocxTable]]:
    """Non-empty body paragraphs and tables with their 1-based paragraph numbers.

    The annotator uses this too, so finding numbers always point at the same paragraph.
    """
    for number, item, _ in iter_sectioned_items(document):
        yield number, item


def iter_sectioned_items(document: DocxDocument) -> Iterator[tuple[int, DocxParagraph | DocxTable, bool]]:
    """As iter_source_items, plus whether the item is the first of a new section (after a section break)."""
    number = 0
    after_break = False
    for item in document.iter_inner_content():
        ends_section = isinstance(item, DocxParagraph) and item._p.pPr is not None and item._p.pPr.sectPr is not None
        if isinstance(item, DocxTable):
            if not any(any(cell for cell in row) for row in table_rows(item)):
                continue
        elif not paragraph_text(item):
            after_break = after_break or ends_section
            continue
        number += 1
        yield number, item, after_break and number > 1
        after_break = ends_section


def _style_chain(paragraph: DocxParagraph) -> Iterator[object]:
    style = paragraph.style
    depth = 0
    while style is not None and depth < 10:
        yield style
        style = style.base_style
        depth += 1


def _style_alignment(paragraph: DocxParagraph) -> Align | None:
    for style in _style_chain(paragraph):
        if getattr(style, "name", "") == "Title":
            return "center"
        value = style.paragraph_format.alignment  # type: ignore[attr-defined]
        if value is not None:
            return _ALIGN.get(value)  # type: ignore[return-value]
    return None


def _outline_level(element: object) -> int | None:
    ppr = getattr(element, "pPr", None)
    if ppr is None:
        return None
    node = ppr.find(qn("w:outlineLvl"))
    if node is None:
        return None
    value = int(node.get(qn("w:val"), "9"))
    return value + 1 if value < 9 else None


def _style_heading_level(paragraph: DocxParagraph) -> int | None:
    for style in _style_chain(paragraph):
        match = _HEADING_STYLE.match(getattr(style, "name", "") or "")
        if match:
            return int(match.group(1))
        level = _outline_level(style.element)  # type: ignore[attr-defined]
        if level is not None:
            return level
    return None


class _StyleInfo:
    """Alignment and heading level per paragraph style, looked up once (style lookups are slow)."""

    def __init__(self) -> None:
        self._cache: dict[str | None, tuple[Align | None, int | None]] = {}

    def _of(self, paragraph: DocxParagraph) -> tuple[Align | None, int | None]:
        key = paragraph._p.style
        if key not in self._cache:
            self._cache[key] = (_style_alignment(paragraph), _style_heading_level(paragraph))
        return self._cache[key]

    def alignment(self, paragraph: DocxParagraph) -> Align | None:
        if paragraph.alignment is not None:
            return _ALIGN.get(paragraph.alignment)  # type: ignore[return-value]
        return self._of(paragraph)[0]

    def heading_level(self, paragraph: DocxParagraph) -> int | None:
        level = _outline_level(paragraph._p)
        return level if level is not None else self._of(paragraph)[1]


def read_docx(path: Path) -> Draft:
    """Read a .docx draft into a Draft (document + paragraph numbers)."""
    document = open_docx(path)
    paras: list[SourceParagraph] = []
    styles = _StyleInfo()
    numbers = AutoNumbers(document)  # Word's automatic 一、（一） numbers are not in the text
    for number, item, new_section in iter_sectioned_items(document):
        if isinstance(item, DocxTable):
            paras.append(SourceParagraph(number=number, rows=table_rows(item), new_section=new_section))
        else:
            paras.append(
                SourceParagraph(
                    number=number,
                    text=numbers.label(item) + paragraph_text(item),
                    align=styles.alignment(item),
                    style_level=styles.heading_level(item),
                    new_section=new_section,
                )
            )
    if not paras:
        raise InputError("文档没有任何文字内容", Location(file=path))
    draft = assemble(paras, path, "docx")
    core = document.core_properties
    draft.document.meta.author = core.author or ""
    return draft
