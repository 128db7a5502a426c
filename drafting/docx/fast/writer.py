"""document.xml as text straight from the Document model, in a package whose other parts are built once.

Everything but ``word/document.xml`` and ``docProps/core.xml`` (styles, settings,
fonts, headers and footers, content types, relationships, app properties) and
the section properties in the body depend only on the style profile and on the
document's *frame*: its 版头, its 版记 and the order of its sections (portrait or
landscape attachments, section breaks). They are taken from the reference
writer's own output for that frame (a document holding nothing else, see
``frame``), deflated once and cached. Per document only the body and core.xml
are generated, with the markup the reference writer's python-docx calls
produce; the body is deflated while it is generated, so a table of 100,000 rows
is never held as one string.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timezone
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Union

from drafting.docx.fast import partcache
from drafting.docx.fast.partcache import FixedParts
from drafting.docx.fast.zipwrite import Member, StreamedMember, ZipTooLarge, deflate, write_zip
from drafting.docx.imprint import imprint_row_lines, imprint_rows
from drafting.docx.profile import DEFAULT_PROFILE, TWIPS_PER_PT, StyleProfile, mm_to_pt
from drafting.docx.stylenames import (
    HEADING_STYLES,
    STYLE_ATTACHMENT_LABEL,
    STYLE_ATTACHMENT_TITLE,
    STYLE_BODY,
    STYLE_BYLINE,
    STYLE_CARRIER,
    STYLE_DATE,
    STYLE_DOC_NUMBER,
    STYLE_FLUSH,
    STYLE_IMPRINT_CC,
    STYLE_IMPRINT_DATE,
    STYLE_IMPRINT_ISSUER,
    STYLE_NOTE,
    STYLE_NOTE_MORE,
    STYLE_ORGAN,
    STYLE_PARTIES,
    STYLE_RED_LINE,
    STYLE_ROSTER,
    STYLE_ROSTER_LABEL,
    STYLE_RUN_IN,
    STYLE_SALUTATION,
    STYLE_SIGNATURE,
    STYLE_TABLE,
    STYLE_TABLE_CAPTION,
    STYLE_TABLE_HEADER,
    STYLE_TABLE_HEADER_WIDE,
    STYLE_TABLE_WIDE,
    STYLE_TITLE,
    CharUnits,
    text_width_chars,
)
from drafting.docx.textxml import property_text, table_spec, xml_text
from drafting.document import (
    Attachment,
    AttachmentNote,
    Block,
    Byline,
    Document,
    Enumeration,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    PartiesSignature,
    RedHeader,
    Roster,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.errors import DraftingError
from drafting.titlebreak import break_title

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_BLOCKS = (
    Title, Byline, Salutation, Heading, Paragraph, Enumeration, Table, Signature, PartiesSignature, Roster,
    AttachmentNote, Attachment, PageBreak, SectionBreak,
)
_STYLE_NAMES = (
    STYLE_TITLE, STYLE_BYLINE, STYLE_SALUTATION, *HEADING_STYLES, STYLE_BODY, STYLE_FLUSH, STYLE_RUN_IN,
    STYLE_TABLE_CAPTION, STYLE_TABLE_HEADER, STYLE_TABLE, STYLE_TABLE_HEADER_WIDE, STYLE_TABLE_WIDE, STYLE_PARTIES,
    STYLE_SIGNATURE, STYLE_DATE, STYLE_NOTE, STYLE_NOTE_MORE, STYLE_ATTACHMENT_LABEL, STYLE_ATTACHMENT_TITLE,
    STYLE_ORGAN, STYLE_DOC_NUMBER, STYLE_RED_LINE, STYLE_CARRIER, STYLE_IMPRINT_CC, STYLE_IMPRINT_ISSUER,
    STYLE_IMPRINT_DATE, STYLE_ROSTER, STYLE_ROSTER_LABEL,
)
_TBL_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
    'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
_SECT_PR = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.S)
_CHUNK_CHARS = 1 << 16  # text gathered before it is encoded and deflated


def supports(document: Document) -> bool:
    """Whether the text emitter writes ``document`` (every block the document model has)."""
    return _known(document.blocks)


def _known(blocks: list[Block]) -> bool:
    return all(type(b) in _BLOCKS and (not isinstance(b, Attachment) or _known(b.blocks)) for b in blocks)


def write_docx_fast(document: Document, path: Path, profile: StyleProfile | None = None) -> str | None:
    """Write ``document`` to ``path``: the reference writer's file, part for part, made much faster.

    Returns the file's SHA-256 (hex) when it was written straight through (a letter: its body fits in
    one piece), so that it need not be read back to be hashed; None when it was not (a huge table).
    """
    profile = profile or DEFAULT_PROFILE
    if not supports(document):  # pragma: no cover - a block type added to the model but not here yet
        from drafting.docx.writer import write_docx

        write_docx(document, path, profile)
        return None
    try:
        with open(path, "wb") as raw:
            out = _HashingOutput(raw)
            write_package(document, profile, out)
            return out.hexdigest()
    except OSError as exc:
        raise DraftingError(f"无法写入 Word 文件 {path}：{exc.strerror or exc}") from exc
    except ZipTooLarge as exc:
        path.unlink(missing_ok=True)
        raise DraftingError(f"Word 文件 {path} 超过 4 GB，无法写入；请减少表格行数") from exc


def docx_bytes(document: Document, profile: StyleProfile = DEFAULT_PROFILE) -> bytes:
    """The package of ``document`` in memory (see ``write_package``)."""
    buffer = io.BytesIO()
    write_package(document, profile, buffer)
    return buffer.getvalue()


class _HashingOutput:
    """A file written through, hashed as it is written; a seek back (to fill in a streamed member's sizes) ends the hash."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest: hashlib._Hash | None = hashlib.sha256()

    def write(self, data: bytes) -> int:
        if self.digest is not None:
            self.digest.update(data)
        return self.raw.write(data)

    def tell(self) -> int:
        return self.raw.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        self.digest = None
        return self.raw.seek(offset, whence)

    def hexdigest(self) -> str | None:
        return None if self.digest is None else self.digest.hexdigest()


def write_package(document: Document, profile: StyleProfile, out: BinaryIO) -> None:
    """Write the .docx of ``document`` to the seekable ``out``, the body deflated as it is generated.

    A body that is one piece of text (``_CHUNK_CHARS``; a letter) is deflated whole, the same bytes, so
    that the zip is written straight through; a longer one is streamed and its sizes filled in after.
    """
    fixed = fixed_parts(profile, frame(document))
    body = _Body(profile, fixed, document)

    def document_member(name: str) -> Member | StreamedMember:
        chunks = _encoded(body.chunks())
        first = next(chunks, b"")
        second = next(chunks, None)
        if second is None:
            return deflate(name, first)
        return StreamedMember(name.encode("ascii"), chain((first, second), chunks))

    def members() -> Iterator[Member | StreamedMember]:
        for name in fixed.order:
            if name == DOCUMENT_PART:
                yield document_member(name)
            elif name == CORE_PART:
                yield deflate(name, core_xml(document).encode("utf-8"))
            else:
                yield fixed.members[name]

    write_zip(out, members(), _zip_moment(document))


def _encoded(texts: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 in chunks of about ``_CHUNK_CHARS`` characters."""
    pending: list[str] = []
    size = 0
    for text in texts:
        pending.append(text)
        size += len(text)
        if size >= _CHUNK_CHARS:
            yield "".join(pending).encode("utf-8")
            pending.clear()
            size = 0
    if pending:
        yield "".join(pending).encode("utf-8")


# The frame and its fixed parts ------------------------------------------------------------------


def frame(document: Document) -> Document:
    """What of ``document`` shapes the parts besides its body text: 版头, 版记 and its sections.

    Top-level text becomes one empty paragraph (it returns the page to portrait),
    attachments keep only their orientation and what is inside them that starts
    a section; meta data is dropped (core.xml is generated).
    """
    return Document(blocks=_frame_blocks(document.blocks, top_level=True), red_header=document.red_header,
                    imprint=document.imprint)


def _frame_blocks(blocks: list[Block], top_level: bool) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Attachment):
            out.append(Attachment("", _frame_blocks(block.blocks, top_level=False), None, block.landscape))
        elif isinstance(block, SectionBreak):
            out.append(block)
        elif top_level and not (out and isinstance(out[-1], Paragraph)):
            out.append(Paragraph(""))
    return out


_FIXED: dict[tuple[StyleProfile, str], FixedParts] = {}
_FIXED_MAX = 64  # frames differ by 版头 text and section layout; batches of letters share one


def fixed_parts(profile: StyleProfile, frame_document: Document) -> FixedParts:
    """The parts every document of ``profile`` with this frame shares: from memory, the user cache or the reference writer."""
    frame_repr = repr(frame_document)
    parts = _FIXED.get((profile, frame_repr))
    if parts is None:
        key = partcache.key_text(profile, frame_repr)
        parts = partcache.load(key)
        if parts is None or not _complete(parts):
            parts = reference_parts(profile, frame_document)
            partcache.store(key, parts)
        if len(_FIXED) >= _FIXED_MAX:
            _FIXED.clear()
        _FIXED[(profile, frame_repr)] = parts
    return parts


def _complete(parts: FixedParts) -> bool:
    """Whether stored parts hold everything the body writer looks up."""
    return (
        DOCUMENT_PART in parts.order
        and CORE_PART in parts.order
        and all(name in parts.members for name in parts.order if name not in (DOCUMENT_PART, CORE_PART))
        and all(name in parts.style_ids for name in _STYLE_NAMES)
        and bool(parts.sect_prs)
    )


def reference_parts(profile: StyleProfile, frame_document: Document) -> FixedParts:
    """The parts of the reference writer's file for ``frame_document`` (imports python-docx)."""
    from drafting.docx.styles import STYLE_ORGAN as organ_style
    from drafting.docx.writer import _Writer

    writer = _Writer(profile)
    writer.render(frame_document)
    stream = io.BytesIO()
    writer.doc.save(stream)
    with zipfile.ZipFile(stream) as package:
        order = package.namelist()
        blobs = {name: package.read(name) for name in order}
    document = blobs[DOCUMENT_PART].decode("utf-8")
    head_end = document.index("<w:body>") + len("<w:body>")
    sect_prs = _SECT_PR.findall(document, head_end)
    end = document.rindex("</w:sectPr>") + len("</w:sectPr>")
    members = {name: deflate(name, blob) for name, blob in blobs.items() if name not in (DOCUMENT_PART, CORE_PART)}
    style_ids = {name: writer.style_ids_for(name) for name in _STYLE_NAMES}
    size = writer.doc.styles[organ_style].font.size
    return FixedParts(
        order, members, document[:head_end], sect_prs, document[end:], style_ids, None if size is None else size.pt
    )


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
    if "\t" not in text and "\n" not in text and "\r" not in text:  # the common case: one <w:t>
        if not text:
            return ""
        # as len(text.strip()) < len(text): whitespace at either end is kept
        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
        return f"<w:t{space}>{_esc(text)}</w:t>"
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


def _fonts(latin: str, east_asia: str) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" w:eastAsia="{east_asia}"/>'


def _run(text: str, style_id: str | None = None, line_break: bool = False, fonts: tuple[str, str] | None = None) -> str:
    """A run as ``paragraph.add_run(text)`` makes it, with a character style or explicit fonts."""
    props = ""
    if style_id:
        props = f'<w:rPr><w:rStyle w:val="{style_id}"/></w:rPr>'
    elif fonts is not None:
        props = f"<w:rPr>{_fonts(*fonts)}</w:rPr>"
    inner = props + _run_content(text)
    if line_break:
        inner += "<w:br/>"
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def _attrs(pairs: dict[str, object]) -> str:
    return "".join(f' w:{name}="{value}"' for name, value in pairs.items())


_EMU_PER_PT = 12700
_EMU_PER_TWIP = 635


def _emu_twips(emu: int) -> int:
    """A length in EMU as python-docx writes it (``Length.twips``)."""
    return int(round(emu / float(_EMU_PER_TWIP)))


def _pt_twips(points: float) -> int:
    """``Pt(points)`` as python-docx writes it: whole EMU first, then twips."""
    return _emu_twips(int(points * _EMU_PER_PT))


def _twips(twips: float) -> int:
    """``Twips(twips)`` as python-docx writes it."""
    return _emu_twips(int(twips * _EMU_PER_TWIP))


class _P:
    """A body paragraph still open to the changes later blocks make (keep with next, a section break)."""

    __slots__ = ("style_id", "runs", "keep", "page_break", "tabs", "spacing", "ind", "align", "sect_pr")

    def __init__(self, style_id: str, runs: str = "") -> None:
        self.style_id = style_id
        self.runs = runs
        self.keep: bool | None = None
        self.page_break = False
        self.tabs: list[tuple[int, str]] = []  # (position in twips, alignment), kept in position order
        self.spacing: dict[str, object] = {}  # attributes in the order they were set
        self.ind: dict[str, object] = {}
        self.align: str | None = None
        self.sect_pr: str | None = None

    def add_tab(self, pos: int, align: str = "left") -> None:
        index = next((i for i, (at, _) in enumerate(self.tabs) if pos < at), len(self.tabs))
        self.tabs.insert(index, (pos, align))

    def __str__(self) -> str:
        ppr = [f'<w:pStyle w:val="{self.style_id}"/>']
        if self.keep is not None:
            ppr.append("<w:keepNext/>" if self.keep else '<w:keepNext w:val="0"/>')
        if self.page_break:
            ppr.append("<w:pageBreakBefore/>")
        if self.tabs:
            ppr.append("<w:tabs>" + "".join(f'<w:tab w:pos="{p}" w:val="{a}"/>' for p, a in self.tabs) + "</w:tabs>")
        if self.spacing:
            ppr.append(f"<w:spacing{_attrs(self.spacing)}/>")
        if self.ind:
            ppr.append(f"<w:ind{_attrs(self.ind)}/>")
        if self.align is not None:
            ppr.append(f'<w:jc w:val="{self.align}"/>')
        if self.sect_pr is not None:
            ppr.append(self.sect_pr)
        return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{self.runs}</w:p>"


class _Rows:
    """A data table's rows, generated when the body is written."""

    __slots__ = ("rows",)

    def __init__(self, rows: Iterator[str]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[str]:
        for row in self.rows:
            # The reference parses the rows, which turns line ends inside text into \n.
            yield row.replace("\r\n", "\n").replace("\r", "\n") if "\r" in row else row


_Item = Union[_P, str, _Rows]


class _Body:
    """Mirrors drafting.docx.writer._Writer block for block, emitting text instead of python-docx objects."""

    def __init__(self, profile: StyleProfile, fixed: FixedParts, document: Document) -> None:
        self.p = profile
        self.fixed = fixed
        self.ids = fixed.style_ids
        self.document = document
        self.chars = CharUnits(profile.body_char_pt)
        self.out: list[_Item] = []
        self.landscape = False
        self.fresh_page = True
        self.break_pending = False
        self.last_paragraph: _P | None = None
        self.last_index = 0  # of last_paragraph, counting items already written
        self.flushed = 0  # items written and dropped from ``out``
        self.section = 0  # index in fixed.sect_prs of the section being written

    def chunks(self) -> Iterator[str]:
        """document.xml in pieces, rendered as it is written.

        After each top-level block the items no later block can change are
        written and dropped: everything before the last item (a section break
        folds into it) and before the last paragraph (a closing block keeps it
        with the next). A data table's rows are generated here, one at a time.
        """
        yield self.fixed.document_head
        document = self.document
        if document.red_header is not None:
            self._red_header(document.red_header)
        blocks = document.blocks
        for index, block in enumerate(blocks):
            if not isinstance(block, Attachment):
                self._ensure_orientation(False)
            self._step(blocks, index)
            count = min(len(self.out) - 1, self.last_index - self.flushed)
            if count > 0:
                yield from self._flush(count)
        if document.imprint is not None:
            self._imprint(document.imprint)
        if self.section != len(self.fixed.sect_prs) - 1:  # pragma: no cover - frame and body disagree
            raise AssertionError("fast writer: sections differ from the frame's")
        yield from self._flush(len(self.out))
        yield self.fixed.sect_prs[-1]
        yield self.fixed.document_end

    def _flush(self, count: int) -> Iterator[str]:
        """Write and drop the first ``count`` items."""
        if count <= 0:
            return
        for item in self.out[:count]:
            if isinstance(item, _Rows):
                yield from item
            else:
                yield str(item)
        del self.out[:count]
        self.flushed += count

    # Paragraphs and sections ----------------------------------------------------------------

    def _para(self, style: str, text: str = "") -> _P:
        text = xml_text(text)
        paragraph = _P(self.ids[style], _run(text) if text else "")
        self.last_index = self.flushed + len(self.out)
        self.out.append(paragraph)
        self.last_paragraph = paragraph
        if self.break_pending and not self.fresh_page:
            paragraph.page_break = True
        self.break_pending = False
        self.fresh_page = False
        return paragraph

    def _new_section(self) -> None:
        """The section break python-docx makes, folded into the paragraph before it when there is one."""
        sect_pr = self.fixed.sect_prs[self.section]
        self.section += 1
        previous = self.out[-1] if self.out else None
        if isinstance(previous, _P) and previous.sect_pr is None:
            previous.sect_pr = sect_pr
        else:  # after a table, or first: a carrier paragraph of its own
            carrier = _P(self.ids[STYLE_CARRIER])
            carrier.sect_pr = sect_pr
            self.out.append(carrier)
        self.fresh_page = True
        self.break_pending = False

    def _ensure_orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        self._new_section()
        self.landscape = landscape

    def _blocks(self, blocks: list[Block]) -> None:
        """Blocks inside an attachment (top-level blocks are rendered by ``chunks``)."""
        for index in range(len(blocks)):
            self._step(blocks, index)

    def _step(self, blocks: list[Block], index: int) -> None:
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Roster):
            first = index == 0 or not isinstance(blocks[index - 1], Roster)
            self._roster(block, first=first, last=not isinstance(following, Roster))
        else:
            self._block(block, following)

    def _block(self, block: Block, following: Block | None) -> None:
        if isinstance(block, Title):
            paragraph = self._para(STYLE_TITLE)
            lines = [xml_text(line) for line in block.lines]
            if len(lines) == 1:
                lines = break_title(lines[0], self.p.title_chars_per_line, text_width_chars)
            paragraph.runs = "".join(_run(line, line_break=n < len(lines) - 1) for n, line in enumerate(lines))
            if isinstance(following, Byline):
                paragraph.spacing["after"] = 0
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
        elif isinstance(block, Signature):
            self._signature(block)
        elif isinstance(block, PartiesSignature):
            self._parties(block)
        elif isinstance(block, AttachmentNote):
            self._attachment_note(block, isinstance(following, (Signature, PartiesSignature)))
        elif isinstance(block, Attachment):
            self._ensure_orientation(block.landscape)
            self.break_pending = True
            label = self.p.attachment_label + ("" if block.number is None else str(block.number))
            self._para(STYLE_ATTACHMENT_LABEL, label)
            self._para(STYLE_ATTACHMENT_TITLE, block.title)
            self._blocks(block.blocks)
        elif isinstance(block, PageBreak):
            self.break_pending = True
        elif isinstance(block, SectionBreak):
            self._new_section()
        else:  # callers check supports() first
            raise TypeError(f"block not supported by the fast writer: {type(block).__name__}")

    def _type_width_twips(self) -> int:
        return round(mm_to_pt(self.p.type_width_for(self.landscape)) * TWIPS_PER_PT)

    def _right_indent(self, paragraph: _P, chars: float) -> None:
        hundredths, twips = self.chars(chars)
        paragraph.ind.update(rightChars=hundredths, right=twips)

    # Tables ----------------------------------------------------------------------------------

    def _table(self, block: Table) -> None:
        if block.caption:
            self._para(STYLE_TABLE_CAPTION, block.caption)
        elif self.break_pending and not self.fresh_page:
            self._para(STYLE_FLUSH)
        self.fresh_page = False
        if self.landscape:
            styles = self.ids[STYLE_TABLE_HEADER_WIDE], self.ids[STYLE_TABLE_WIDE]
        else:
            styles = self.ids[STYLE_TABLE_HEADER], self.ids[STYLE_TABLE]
        spec = table_spec(block, self.p, self.landscape, *styles)
        if spec is None:
            return
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in spec.column_twips)
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{spec.width_twips}"/><w:jc w:val="center"/>'
            f"{_borders(self.p.table_border_eighths_pt)}<w:tblLayout w:type=\"fixed\"/>"
            f"{_cell_margins(spec.margin_twips)}{_TBL_LOOK}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        )
        self.out.append(_Rows(spec.rows_xml()))
        self.out.append("</w:tbl>")

    def _keep_with_last_text(self) -> None:
        if self.last_paragraph is not None:
            self.last_paragraph.keep = True
        self._para(STYLE_BODY).keep = True

    def _parties(self, block: PartiesSignature) -> None:
        self._keep_with_last_text()
        rows = max(len(block.left), len(block.right))
        if rows == 0:
            return
        width = self._type_width_twips()
        half = width // 2
        style = self.ids[STYLE_PARTIES]
        parts = [_table_start(width, None, 0, [half, width - half])]
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

    # Closing blocks ----------------------------------------------------------------------------

    def _signature(self, block: Signature) -> None:
        p = self.p
        self._keep_with_last_text()
        date_right = p.date_right_chars
        centre = date_right + self._line_width(block.date) / 2 if block.date else None
        for line in block.lines:
            paragraph = self._para(STYLE_SIGNATURE, line)
            width = self._line_width(line)
            right = p.signature_min_right_chars if centre is None else centre - width / 2
            self._right_indent(paragraph, max(right, p.signature_min_right_chars))
            paragraph.keep = bool(block.date)
        if block.date:
            paragraph = self._para(STYLE_DATE, block.date)
            self._right_indent(paragraph, date_right)

    def _line_width(self, text: str) -> float:
        width = text_width_chars(text)
        if self.p.cjk_latin_autospace:
            kinds = [ch.isascii() for ch in text if not ch.isspace()]
            width += self.p.autospace_chars * sum(a != b for a, b in zip(kinds, kinds[1:]))
        return width

    def _roster(self, block: Roster, first: bool, last: bool) -> None:
        p = self.p
        if first:
            self._keep_with_last_text()
        paragraph = self._para(STYLE_ROSTER)
        label = f"{block.label}{p.roster_colon}"
        paragraph.runs = _run(xml_text(label), self.ids[STYLE_ROSTER_LABEL]) + _run(xml_text(block.text))
        width = text_width_chars(label)
        if width != p.roster_label_chars:
            hanging_chars, hanging = self.chars(width)
            left_chars, left = self.chars(p.roster_indent_chars + width)
            paragraph.ind.update(hangingChars=hanging_chars, hanging=hanging, leftChars=left_chars, left=left)
        paragraph.keep = not last

    def _attachment_note(self, block: AttachmentNote, signed: bool) -> None:
        self._keep_with_last_text()
        numbered = len(block.items) > 1
        for number, item in enumerate(block.items, start=1):
            text = f"{number}. {item}" if numbered else item
            if number == 1:
                paragraph = self._para(STYLE_NOTE, f"{self.p.attachment_note_label}{text}")
            else:
                paragraph = self._para(STYLE_NOTE_MORE, text)
            paragraph.keep = signed or number < len(block.items)

    # 版头 ----------------------------------------------------------------------------------------

    def _red_header(self, header: RedHeader) -> None:
        p = self.p
        if header.letter:
            self._letter(header)
            return
        marks = [text for text in (header.copy_number, header.secrecy, header.urgency) if text]
        for text in marks:
            paragraph = self._para(STYLE_FLUSH)
            fonts = None if text == header.copy_number else (p.latin_font, p.header_mark_font)
            paragraph.runs = _run(xml_text(text), fonts=fonts)
        organs = header.organs()
        top_pt = max(0.0, mm_to_pt(p.organ_top_mm) - len(marks) * p.line_pitch_twips / TWIPS_PER_PT)
        if len(organs) > 1 and header.mark:
            self._joint_organs(header, top_pt)
        else:
            for index, organ in enumerate(organs):
                text = organ + header.mark if len(organs) == 1 else organ
                paragraph = self._para(STYLE_ORGAN, text)
                if index > 0:
                    paragraph.spacing["before"] = 0
                elif marks:
                    paragraph.spacing["before"] = _pt_twips(top_pt)
        if header.signers:
            self._number_with_signers(header)
        elif header.number:
            self._para(STYLE_DOC_NUMBER, header.number)
        self._para(STYLE_RED_LINE)

    def _joint_organs(self, header: RedHeader, top_pt: float) -> None:
        size = self.fixed.organ_size_pt
        assert size is not None  # the frame's 版头 set it
        spacer = self._para(STYLE_CARRIER)
        spacer.spacing.update(line=max(round(top_pt * TWIPS_PER_PT), 20), lineRule="exact")
        organs = header.organs()
        names_twips = round(max(text_width_chars(o) for o in organs) * size * TWIPS_PER_PT) + 40
        mark_twips = round((len(header.mark) + 0.5) * size * TWIPS_PER_PT)
        organ = self.ids[STYLE_ORGAN]
        names = "".join(
            f'<w:p><w:pPr><w:pStyle w:val="{organ}"/><w:spacing w:before="0"/><w:jc w:val="distribute"/></w:pPr>'
            f"{_run(xml_text(name))}</w:p>"
            for name in organs
        )
        self.out.append(
            _table_start(names_twips + mark_twips, None, 0, [names_twips, mark_twips], centred=True)
            + f'<w:tr><w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{names_twips}"/></w:tcPr>{names}</w:tc>'
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{mark_twips}"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{organ}"/><w:spacing w:before="0"/><w:jc w:val="right"/></w:pPr>'
            f"{_run(xml_text(header.mark))}</w:p></w:tc></w:tr></w:tbl>"
        )

    def _number_with_signers(self, header: RedHeader) -> None:
        p = self.p
        per_line = max(1, p.signers_per_line)
        lines = [header.signers[i : i + per_line] for i in range(0, len(header.signers), per_line)]
        texts = [p.signer_gap.join(line) for line in lines]
        char_twips = p.body_char_pt * TWIPS_PER_PT
        type_twips = mm_to_pt(p.type_width_for(self.landscape)) * TWIPS_PER_PT
        label_twips = text_width_chars(p.signer_label) * char_twips
        widest = max(text_width_chars(t) for t in texts) * char_twips
        label_at = round(type_twips - p.signer_side_chars * char_twips - label_twips - widest)
        names_at = round(label_at + label_twips)
        hundredths, twips = self.chars(p.signer_side_chars)
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            paragraph = self._para(STYLE_DOC_NUMBER)
            paragraph.align = "left"
            paragraph.ind.update(leftChars=hundredths, left=twips)
            if index > 0:
                paragraph.spacing["before"] = 0
            paragraph.add_tab(_twips(label_at))
            paragraph.add_tab(_twips(names_at))
            runs = _run(xml_text(header.number)) if last and header.number else ""
            runs += _run("\t" + (p.signer_label if index == 0 else "\t"))
            runs += _run(xml_text(text), fonts=(p.latin_font, p.signer_name_font))
            paragraph.runs = runs

    def _letter(self, header: RedHeader) -> None:
        """信函格式: the rules and the organ are in the frame's first-page header and footer; here the first lines."""
        p = self.p
        width = round(mm_to_pt(p.type_width_for(self.landscape)) * TWIPS_PER_PT)
        marks = [text for text in (header.copy_number, header.secrecy, header.urgency) if text]
        for index, text in enumerate(marks or [""]):
            paragraph = self._para(STYLE_FLUSH)
            if text:
                fonts = None if text == header.copy_number else (p.latin_font, p.header_mark_font)
                paragraph.runs = _run(xml_text(text), fonts=fonts)
            if index == 0 and header.number:
                paragraph.add_tab(_twips(width), "right")
                paragraph.runs += _run("\t" + xml_text(header.number))
            if index == max(len(marks), 1) - 1:
                paragraph.spacing["after"] = _twips(round(p.red_line_lines_after * p.line_pitch_twips))

    # 版记 ----------------------------------------------------------------------------------------

    def _imprint(self, imprint: Imprint) -> None:
        p = self.p
        rows = imprint_rows(imprint, p)
        if not rows:
            return
        if self.landscape:
            self._ensure_orientation(False)
            self._para(STYLE_CARRIER)
        width = self._type_width_twips()
        half = width // 2
        cell = self._default_cell_twips(2)
        lines = imprint_row_lines(rows, p, self.landscape)
        heights = [count * p.line_pitch_twips for count in lines]
        top = round(mm_to_pt(p.type_height_mm) * TWIPS_PER_PT) - sum(heights)
        left = round(mm_to_pt(p.margins.left_mm) * TWIPS_PER_PT)
        parts = [
            _table_start(
                width, None, 0, [half, width - half],
                floating=(left, top),
                rules=(p.imprint_outer_rule_eighths, p.imprint_inner_rule_eighths, p.imprint_outer_rule_eighths),
            )
        ]
        for texts, height in zip(rows, heights):
            parts.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>')
            if len(texts) == 1:
                cells = [(f'<w:tcW w:type="dxa" w:w="{2 * cell}"/><w:gridSpan w:val="2"/>', texts[0], STYLE_IMPRINT_CC)]
            else:
                cells = [
                    (f'<w:tcW w:type="dxa" w:w="{cell}"/>', text, style)
                    for text, style in zip(texts, (STYLE_IMPRINT_ISSUER, STYLE_IMPRINT_DATE))
                ]
            for props, text, style in cells:
                text = xml_text(text)
                parts.append(
                    f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>'
                    f"{_run(text)}</w:p></w:tc>"
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.out.append("".join(parts))
        self._para(STYLE_CARRIER)

    def _default_cell_twips(self, columns: int) -> int:
        """Cell width python-docx gives a new table: the current section's text width shared evenly."""
        sect_pr = self.fixed.sect_prs[self.section]
        page = int(re.search(r'<w:pgSz w:w="(\d+)"', sect_pr).group(1))  # type: ignore[union-attr]
        margins = re.search(r'<w:pgMar [^>]*?w:left="(\d+)" w:right="(\d+)"', sect_pr)
        left, right = (int(v) for v in margins.groups())  # type: ignore[union-attr]
        block = int(page * _EMU_PER_TWIP) - int(left * _EMU_PER_TWIP) - int(right * _EMU_PER_TWIP)
        return _emu_twips(block // columns)


def _cell_margins(twips: int) -> str:
    return f'<w:tblCellMar><w:left w:w="{twips}" w:type="dxa"/><w:right w:w="{twips}" w:type="dxa"/></w:tblCellMar>'


def _table_start(
    width: int,
    border_eighths: int | None,
    margin: int,
    columns: list[int],
    *,
    centred: bool = False,
    floating: tuple[int, int] | None = None,
    rules: tuple[int, int, int] | None = None,
) -> str:
    """``<w:tbl>`` up to its grid, as python-docx and drafting.docx.oxml leave it."""
    position = ""
    if floating is not None:
        left, top = floating
        position = (
            '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:vertAnchor="margin" w:horzAnchor="page" '
            f'w:tblpX="{left}" w:tblpY="{top}" w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/>'
        )
    borders = _rules(*rules) if rules is not None else _borders(border_eighths)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in columns)
    return (
        f'<w:tbl><w:tblPr>{position}<w:tblW w:type="dxa" w:w="{width}"/>'
        + ('<w:jc w:val="center"/>' if centred else "")
        + f'{borders}<w:tblLayout w:type="fixed"/>{_cell_margins(margin)}{_TBL_LOOK}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )


def _borders(eighths_pt: int | None, hex_rgb: str = "000000") -> str:
    if eighths_pt is None:
        edge = '<w:{} w:val="nil"/>'
    else:
        edge = f'<w:{{}} w:val="single" w:sz="{eighths_pt}" w:space="0" w:color="{hex_rgb}"/>'
    return "<w:tblBorders>" + "".join(edge.format(name) for name in _EDGES) + "</w:tblBorders>"


def _rules(top: int, between: int, bottom: int, hex_rgb: str = "000000") -> str:
    sizes = {"top": top, "bottom": bottom, "insideH": between}
    edges = [
        f'<w:{name} w:val="single" w:sz="{sizes[name]}" w:space="0" w:color="{hex_rgb}"/>'
        if name in sizes
        else f'<w:{name} w:val="nil"/>'
        for name in _EDGES
    ]
    return "<w:tblBorders>" + "".join(edges) + "</w:tblBorders>"
