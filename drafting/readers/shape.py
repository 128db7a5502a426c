"""Decide the shape of read-back paragraphs: title, byline, salutation, headings, body.

Both readers (docx and text) reduce a file to ``SourceParagraph``s; this module
turns them into the shared document model by position and shape, so the two
readers cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from drafting.document import (
    Attachment,
    AttachmentNote,
    Block,
    Byline,
    Document,
    Heading,
    Meta,
    Paragraph,
    RedHeader,
    Roster,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.readers.draft import Draft, SourceParagraph
from drafting.readers.headings import HeadingNumber, opens_number_list, parse_heading_number

_MAX_TITLE_LINE = 40
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号$")
_DATE = re.compile(r"^[（(]?\s*(\d{4}|[一二三四五六七八九〇零]{4})年[\d一二三四五六七八九十〇]{1,3}月[\d一二三四五六七八九十〇]{1,3}日\s*[）)]?$")
_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]\s*(.*)$")
_ATTACHMENT_START = re.compile(r"^附\s*件\s*(\d*)$")
_NOTE_ITEM = re.compile(r"^\d{1,2}[.．、]\s*\S")
_NOTE_NUMBER = re.compile(r"^\d{1,2}[.．、]\s*")
# 出席/列席/请假 lines of a 纪要 (GB/T 9704 §10.3)
_ROSTER = re.compile(r"^((?:出席|列席|请假)(?:人员)?)\s*[：:]\s*(\S.*)$")
_CLOSING_PUNCT = "。；，！？;,!?"


def _is_titleish(p: SourceParagraph) -> bool:
    text = p.text
    return (
        p.rows is None
        and len(text) <= _MAX_TITLE_LINE
        and not text.endswith(tuple(_CLOSING_PUNCT + "：:"))
        and parse_heading_number(text) is None
        and p.align in (None, "center")
        and not _is_byline(p)
    )


def _is_byline(p: SourceParagraph) -> bool:
    text = p.text
    return p.rows is None and len(text) <= _MAX_TITLE_LINE and text[:1] in "（(" and text[-1:] in "）)"


def _is_salutation(p: SourceParagraph) -> bool:
    text = p.text
    return (
        p.rows is None
        and len(text) <= _MAX_TITLE_LINE
        and text.endswith(("：", ":"))
        and "。" not in text
        and parse_heading_number(text) is None
    )


def _split_run_in(text: str) -> tuple[str, str | None]:
    """（一）强化要素保障。全区要…… → ("强化要素保障。", "全区要……")."""
    cut = text.find("。")
    if cut == -1 or cut == len(text) - 1:
        return text, None
    return text[: cut + 1], text[cut + 1 :]


_DIGIT_ITEM = re.compile(r"^(\d{1,2})([.．])(?=\d)")


def _item_before_digit(text: str, last: dict[int, int]) -> tuple[HeadingNumber, str] | None:
    """20.2026年10件民生实事 after 19.: an item number followed directly by a digit, not a decimal."""
    match = _DIGIT_ITEM.match(text)
    value = int(match.group(1)) if match else 0
    if not match or value < 2 or last.get(3) != value - 1:
        return None
    return HeadingNumber(3, "1" + match.group(2), value, match.group(0)), text[match.end() :]


def _body_block(p: SourceParagraph, allow_markdown_title: bool, last: dict[int, int]) -> Block:
    """One paragraph of the body; ``last`` holds the last heading value per level in this scope."""
    if p.rows is not None:
        return Table(rows=p.rows)
    roster = _ROSTER.match(p.text)
    if roster is not None:
        return Roster(label=roster.group(1), text=roster.group(2))
    parsed = parse_heading_number(p.text)
    if parsed is not None and opens_number_list(*parsed):
        # 一、二季度…… is a sentence, unless it continues the headings (三、四季度工作安排 after 二、)
        if parsed[0].value == 1 or last.get(parsed[0].level) != parsed[0].value - 1:
            parsed = None
    if parsed is None:
        parsed = _item_before_digit(p.text, last)
    if parsed is not None:
        number, rest = parsed
        for deeper in [level for level in last if level > number.level]:
            del last[deeper]
        last[number.level] = number.value
        text, run_in = _split_run_in(rest)
        return Heading(level=number.level, text=text, number=number.number, run_in=run_in)
    if p.markdown_level is not None:
        if allow_markdown_title:
            return Title(lines=[p.text])
        return Heading(level=min(p.markdown_level, 4), text=p.text)
    if p.style_level is not None:
        return Heading(level=min(p.style_level, 4), text=p.text)
    align = p.align or "justify"
    return Paragraph(text=p.text, indent=align in ("justify", "left"), align=align)


def _front_matter(paras: list[SourceParagraph], blocks: list[Block], sources: list[int]) -> tuple[int, RedHeader | None]:
    """Consume red header, title, byline and salutation; return the next index."""
    i = 0
    red: RedHeader | None = None
    for j in range(min(3, len(paras))):
        if paras[j].rows is None and _DOC_NUMBER.search(paras[j].text):
            organ = " ".join(p.text for p in paras[:j])
            red = RedHeader(organ=organ, number=paras[j].text)
            i = j + 1
            break
    title_lines: list[str] = []
    start = i
    while i < len(paras) and len(title_lines) < 3 and _is_titleish(paras[i]) and paras[i].markdown_level in (None, 1):
        if paras[i].markdown_level is None and i + 1 < len(paras) and not _ends_front(paras, i + 1) and not title_lines:
            # a lone short first line followed by body text is a title only when centred
            if paras[i].align != "center":
                break
        title_lines.append(paras[i].text)
        i += 1
        if paras[i - 1].markdown_level == 1:
            break
    if title_lines:
        blocks.append(Title(lines=title_lines))
        sources.append(paras[start].number)
    if title_lines and i < len(paras) and _is_byline(paras[i]):
        blocks.append(Byline(text=paras[i].text))
        sources.append(paras[i].number)
        i += 1
    if i < len(paras) and _is_salutation(paras[i]):
        blocks.append(Salutation(text=paras[i].text))
        sources.append(paras[i].number)
        i += 1
    return i, red


def _ends_front(paras: list[SourceParagraph], i: int) -> bool:
    """Whether paragraph i could follow a title: another title line, byline, salutation or heading."""
    p = paras[i]
    return _is_titleish(p) or _is_byline(p) or _is_salutation(p) or parse_heading_number(p.text) is not None


def _signature(blocks: list[Block], sources: list[int]) -> None:
    """Fold a closing 署名 + 成文日期 at the end of the main text into a Signature."""
    if not blocks or not isinstance(blocks[-1], Paragraph) or not _DATE.match(blocks[-1].text):
        return
    date = blocks.pop().text
    source = sources.pop()
    lines: list[str] = []
    while (
        blocks
        and isinstance(blocks[-1], Paragraph)
        and len(lines) < 2
        and len(blocks[-1].text) <= 30
        and not any(c in blocks[-1].text for c in _CLOSING_PUNCT + "：:")
    ):
        lines.insert(0, blocks.pop().text)
        source = sources.pop()
    blocks.append(Signature(lines=lines, date=date))
    sources.append(source)


def assemble(paras: list[SourceParagraph], path: Path, fmt: Literal["docx", "text"]) -> Draft:
    """Build a ``Draft`` from a file's non-empty paragraphs in order."""
    blocks: list[Block] = []
    sources: list[int] = []
    i, red = _front_matter(paras, blocks, sources)
    attachment_sources: dict[int, list[int]] = {}
    current: Attachment | None = None
    current_sources: list[int] = []
    last: dict[int, int] = {}  # heading values seen in the current scope
    while i < len(paras):
        p = paras[i]
        note = _ATTACHMENT_NOTE.match(p.text) if p.rows is None else None
        start = _ATTACHMENT_START.match(p.text) if p.rows is None else None
        if p.new_section and not start and _is_titleish(p):
            # a section that opens with a title is the next document of a combined file (合订本)
            if current is None:
                _signature(blocks, sources)
            blocks.append(SectionBreak())
            sources.append(p.number)
            current, last = None, {}
            consumed, _ = _front_matter(paras[i:], blocks, sources)
            if consumed:
                i += consumed
                continue
        if note and current is None:
            items = [note.group(1)] if note.group(1) else []
            while i + 1 < len(paras) and paras[i + 1].rows is None and _NOTE_ITEM.match(paras[i + 1].text) and "。" not in paras[i + 1].text:
                i += 1
                items.append(paras[i].text)
            # The model holds the names; their numbers belong to the layout.
            blocks.append(AttachmentNote(items=[_NOTE_NUMBER.sub("", item, count=1) for item in items]))
            sources.append(p.number)
        elif start and i + 1 < len(paras) and paras[i + 1].rows is None:
            if current is None:
                _signature(blocks, sources)
            number = int(start.group(1)) if start.group(1) else None
            current = Attachment(title=paras[i + 1].text, number=number)
            current_sources = []
            last = {}
            attachment_sources[len(blocks)] = current_sources
            blocks.append(current)
            sources.append(p.number)
            i += 1
        elif current is not None:
            current.blocks.append(_body_block(p, allow_markdown_title=False, last=last))
            current_sources.append(p.number)
        else:
            blocks.append(_body_block(p, allow_markdown_title=not blocks, last=last))
            sources.append(p.number)
        i += 1
    if current is None:
        _signature(blocks, sources)
    document = Document(blocks=blocks, meta=Meta(title=next((b.text for b in blocks if isinstance(b, Title)), "")), red_header=red)
    return Draft(path=path, document=document, sources=sources, attachment_sources=attachment_sources, format=fmt)
