"""document.xml as text straight from the Document model, in a package whose fixed parts are built once.

The fixed parts (styles, settings, fonts, footers, content types, relationships,
app properties) and the page setup at the end of the body are taken, per style
profile, from the reference writer's own output for an empty document, and
deflated once. Per document only the body and core.xml are generated, with the
same markup the reference writer's python-docx calls produce. What the emitter
does not handle (红头, 版记, sections, attachments, signatures) goes to the
reference writer: the file is the same either way.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path

from drafting.docx.fast.zipwrite import Member, deflate, zip_bytes
from drafting.docx.profile import DEFAULT_PROFILE, TWIPS_PER_PT, StyleProfile, mm_to_pt
from drafting.docx.styles import (
    HEADING_STYLES,
    STYLE_BODY,
    STYLE_BYLINE,
    STYLE_FLUSH,
    STYLE_PARTIES,
    STYLE_RUN_IN,
    STYLE_SALUTATION,
    STYLE_TABLE,
    STYLE_TABLE_CAPTION,
    STYLE_TABLE_HEADER,
    STYLE_TITLE,
    text_width_chars,
)
from drafting.docx.writer import _Writer, property_text, table_spec, write_docx, xml_text
from drafting.document import (
    Block,
    Byline,
    Document,
    Enumeration,
    Heading,
    PageBreak,
    Paragraph,
    PartiesSignature,
    Salutation,
    Table,
    Title,
)
from drafting.errors import DraftingError
from drafting.titlebreak import break_title

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_SUPPORTED = (Title, Byline, Salutation, Heading, Paragraph, Enumeration, Table, PartiesSignature, PageBreak)
_STYLE_NAMES = (
    STYLE_TITLE, STYLE_BYLINE, STYLE_SALUTATION, *HEADING_STYLES, STYLE_BODY, STYLE_FLUSH, STYLE_RUN_IN,
    STYLE_TABLE_CAPTION, STYLE_TABLE_HEADER, STYLE_TABLE, STYLE_PARTIES,
)
_TBL_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
    'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


def supports(document: Document) -> bool:
    """Whether the text emitter writes ``document`` (otherwise the reference writer does)."""
    return (
        document.red_header is None
        and document.imprint is None
        and all(type(block) in _SUPPORTED for block in document.blocks)
    )


def write_docx_fast(document: Document, path: Path, profile: StyleProfile | None = None) -> None:
    """Write ``document`` to ``path``: the reference writer's file, part for part, made much faster."""
    profile = profile or DEFAULT_PROFILE
    if not supports(document):
        write_docx(document, path, profile)
        return
    data = docx_bytes(document, profile)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise DraftingError(f"无法写入 Word 文件 {path}：{exc.strerror or exc}") from exc


def docx_bytes(document: Document, profile: StyleProfile) -> bytes:
    """The package of a supported document (see ``supports``)."""
    fixed = fixed_parts(profile)
    body = _Body(profile, fixed.style_ids).render(document.blocks)
    parts = {
        DOCUMENT_PART: fixed.document_head + body + fixed.document_tail,
        CORE_PART: core_xml(document),
    }
    members = [
        fixed.members[name] if name in fixed.members else deflate(name, parts[name].encode("utf-8"))
        for name in fixed.order
    ]
    return zip_bytes(members, _zip_moment(document))


# Fixed parts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedParts:
    order: list[str]  # member names in the reference writer's order
    members: dict[str, Member]  # every member but document.xml and core.xml, deflated
    document_head: str  # document.xml up to and including <w:body>
    document_tail: str  # the body's sectPr and the closing tags
    style_ids: dict[str, str]


_FIXED: dict[StyleProfile, FixedParts] = {}


def fixed_parts(profile: StyleProfile) -> FixedParts:
    """The parts every document of ``profile`` shares, from the reference writer (built once per profile)."""
    if profile not in _FIXED:
        writer = _Writer(profile)
        stream = io.BytesIO()
        writer.doc.save(stream)
        with zipfile.ZipFile(stream) as package:
            order = package.namelist()
            blobs = {name: package.read(name) for name in order}
        document = blobs[DOCUMENT_PART].decode("utf-8")
        head_end = document.index("<w:body>") + len("<w:body>")
        tail_start = document.index("<w:sectPr", head_end)
        members = {name: deflate(name, blob) for name, blob in blobs.items() if name not in (DOCUMENT_PART, CORE_PART)}
        style_ids = {name: writer.style_ids_for(name) for name in _STYLE_NAMES}
        _FIXED[profile] = FixedParts(order, members, document[:head_end], document[tail_start:], style_ids)
    return _FIXED[profile]


def _zip_moment(document: Document) -> datetime:
    """Member timestamps: the document's date, so the same input gives the same bytes."""
    if document.meta.date is not None:
        return datetime.combine(document.meta.date, time())
    return datetime.now().replace(microsecond=0)


# core.xml ---------------------------------------------------------------------------------------


def core_xml(document: Document) -> str:
    """docProps/core.xml as the reference writer sets it."""
    meta = document.meta
    if meta.date is not None:
        moment = datetime.combine(meta.date, time(), tzinfo=timezone.utc)
    else:
        moment = datetime.now(timezone.utc).replace(microsecond=0)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    title, author, subject = (_esc(property_text(v)) for v in (meta.title, meta.author, meta.subject))
    return (
        _DECLARATION
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><dc:subject>{subject}</dc:subject>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:category></cp:category><dc:description></dc:description>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


# document.xml body ------------------------------------------------------------------------------


def _esc(text: str) -> str:
    """Text content escaped as lxml serialises it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _run_content(text: str) -> str:
    """A run's children for ``text`` as python-docx makes them: tabs and line ends become elements."""
    parts: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            chunk = "".join(buffer)
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            parts.append(f"<w:t{space}>{_esc(chunk)}</w:t>")
            buffer.clear()

    for ch in text:
        if ch == "\t":
            flush()
            parts.append("<w:tab/>")
        elif ch in "\r\n":
            flush()
            parts.append("<w:br/>")
        else:
            buffer.append(ch)
    flush()
    return "".join(parts)


def _run(text: str, style_id: str | None = None, line_break: bool = False) -> str:
    inner = (f'<w:rPr><w:rStyle w:val="{style_id}"/></w:rPr>' if style_id else "") + _run_content(text)
    if line_break:
        inner += "<w:br/>"
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


class _P:
    """A body paragraph still open to the changes later blocks make (keep with next)."""

    __slots__ = ("style_id", "runs", "keep", "page_break", "no_space_after", "align")

    def __init__(self, style_id: str, runs: str) -> None:
        self.style_id = style_id
        self.runs = runs
        self.keep: bool | None = None
        self.page_break = False
        self.no_space_after = False
        self.align: str | None = None

    def __str__(self) -> str:
        ppr = [f'<w:pStyle w:val="{self.style_id}"/>']
        if self.keep is not None:
            ppr.append("<w:keepNext/>" if self.keep else '<w:keepNext w:val="0"/>')
        if self.page_break:
            ppr.append("<w:pageBreakBefore/>")
        if self.no_space_after:
            ppr.append('<w:spacing w:after="0"/>')
        if self.align is not None:
            ppr.append(f'<w:jc w:val="{self.align}"/>')
        return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{self.runs}</w:p>"


class _Body:
    """Mirrors drafting.docx.writer._Writer for the supported blocks, emitting text."""

    def __init__(self, profile: StyleProfile, style_ids: dict[str, str]) -> None:
        self.p = profile
        self.ids = style_ids
        self.out: list[object] = []  # _P or XML text
        self.fresh_page = True
        self.break_pending = False
        self.last_paragraph: _P | None = None

    def render(self, blocks: list[Block]) -> str:
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            self._block(block, following)
        return "".join(map(str, self.out))

    def _para(self, style: str, text: str = "") -> _P:
        text = xml_text(text)
        paragraph = _P(self.ids[style], _run(text) if text else "")
        self.out.append(paragraph)
        self.last_paragraph = paragraph
        if self.break_pending and not self.fresh_page:
            paragraph.page_break = True
        self.break_pending = False
        self.fresh_page = False
        return paragraph

    def _block(self, block: Block, following: Block | None) -> None:
        if isinstance(block, Title):
            paragraph = self._para(STYLE_TITLE)
            lines = [xml_text(line) for line in block.lines]
            if len(lines) == 1:
                lines = break_title(lines[0], self.p.title_chars_per_line, text_width_chars)
            paragraph.runs = "".join(_run(line, line_break=n < len(lines) - 1) for n, line in enumerate(lines))
            if isinstance(following, Byline):
                paragraph.no_space_after = True
        elif isinstance(block, Byline):
            self._para(STYLE_BYLINE, block.text)
        elif isinstance(block, Salutation):
            self._para(STYLE_SALUTATION, block.text)
        elif isinstance(block, Heading):
            level = min(max(block.level, 1), len(HEADING_STYLES))
            paragraph = self._para(HEADING_STYLES[level - 1], f"{block.number}{block.text}")
            if block.run_in:
                paragraph.runs += _run(xml_text(block.run_in), self.ids[STYLE_RUN_IN])
                paragraph.keep = False
        elif isinstance(block, Paragraph):
            flush = not block.indent or block.align in ("center", "right")
            paragraph = self._para(STYLE_FLUSH if flush else STYLE_BODY, block.text)
            if block.align != "justify":
                paragraph.align = block.align
        elif isinstance(block, Enumeration):
            if block.inline:
                self._para(STYLE_BODY, block.lead + "".join(block.item_texts()))
            else:
                if block.lead:
                    self._para(STYLE_BODY, block.lead)
                for text in block.item_texts():
                    self._para(STYLE_BODY, text)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, PartiesSignature):
            self._parties(block)
        elif isinstance(block, PageBreak):
            self.break_pending = True
        else:  # callers check supports() first
            raise TypeError(f"block not supported by the fast writer: {type(block).__name__}")

    def _width_twips(self) -> int:
        return round(mm_to_pt(self.p.type_width_for(False)) * TWIPS_PER_PT)

    def _table(self, block: Table) -> None:
        if block.caption:
            self._para(STYLE_TABLE_CAPTION, block.caption)
        elif self.break_pending and not self.fresh_page:
            self._para(STYLE_FLUSH)
        self.fresh_page = False
        spec = table_spec(block, self.p, False, self.ids[STYLE_TABLE_HEADER], self.ids[STYLE_TABLE])
        if spec is None:
            return
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in spec.column_twips)
        # The reference parses the rows, which turns line ends inside text into \n.
        rows = "".join(spec.rows_xml).replace("\r\n", "\n").replace("\r", "\n")
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{spec.width_twips}"/><w:jc w:val="center"/>'
            f"{_borders(self.p.table_border_eighths_pt)}<w:tblLayout w:type=\"fixed\"/>"
            f'<w:tblCellMar><w:left w:w="{spec.margin_twips}" w:type="dxa"/>'
            f'<w:right w:w="{spec.margin_twips}" w:type="dxa"/></w:tblCellMar>{_TBL_LOOK}</w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
        )

    def _keep_with_last_text(self) -> None:
        if self.last_paragraph is not None:
            self.last_paragraph.keep = True
        self._para(STYLE_BODY).keep = True

    def _parties(self, block: PartiesSignature) -> None:
        self._keep_with_last_text()
        rows = max(len(block.left), len(block.right))
        if rows == 0:
            return
        width = self._width_twips()
        half = width // 2
        style = self.ids[STYLE_PARTIES]
        parts = [
            f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{width}"/>{_borders(None)}<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            f'{_TBL_LOOK}</w:tblPr><w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{width - half}"/></w:tblGrid>'
        ]
        for r in range(rows):
            keep = "<w:keepNext/>" if r < rows - 1 else '<w:keepNext w:val="0"/>'
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for lines in (block.left, block.right):
                text = xml_text(lines[r]) if r < len(lines) else ""
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{half}"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}</w:pPr>{_run(text)}</w:p></w:tc>'
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.out.append("".join(parts))


def _borders(eighths_pt: int | None, hex_rgb: str = "000000") -> str:
    if eighths_pt is None:
        edge = '<w:{} w:val="nil"/>'
    else:
        edge = f'<w:{{}} w:val="single" w:sz="{eighths_pt}" w:space="0" w:color="{hex_rgb}"/>'
    return "<w:tblBorders>" + "".join(edge.format(name) for name in _EDGES) + "</w:tblBorders>"
