"""Flatten a Document into text units, each with its paragraph number and heading path.

Rules read units, never raw blocks, so a generated Document and a read-back
draft are checked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from drafting.document import (
    Attachment,
    AttachmentNote,
    Block,
    Byline,
    Document,
    Enumeration,
    Heading,
    PageBreak,
    PartiesSignature,
    Roster,
    Paragraph,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.readers.draft import Draft

UnitKind = Literal["title", "byline", "salutation", "heading", "body", "table", "signature", "note"]


@dataclass
class Unit:
    text: str
    paragraph: int | None
    heading: str  # heading path, including the unit itself when it is a heading
    section: str  # the level-1 heading (number + text) it sits under, "" before the first
    kind: UnitKind
    scope: int  # 0 for the main text, n for the n-th attachment
    block: Block
    heading_level: int = 0  # level of the unit when it is a heading
    part: int = 0  # which document of a combined file (a new section opening with a title starts one)
    annex: int = 0  # n-th annex after the body, such as a 名词解释 glossary numbered 1.–N.

    @property
    def where(self) -> tuple[int, int, int]:
        """The numbering scope: one document of a combined file, its main text, attachment or annex."""
        return self.part, self.scope, self.annex


def _heading_label(heading: Heading) -> str:
    return f"{heading.number}{heading.text}"


def _block_texts(block: Block) -> list[tuple[UnitKind, str]]:
    """The text of a block as it appears in the written document, paragraph by paragraph."""
    if isinstance(block, Title):
        return [("title", block.text)]
    if isinstance(block, Byline):
        return [("byline", block.text)]
    if isinstance(block, Salutation):
        return [("salutation", block.text)]
    if isinstance(block, Heading):
        return [("heading", block.full_text)]
    if isinstance(block, Paragraph):
        return [("body", block.text)]
    if isinstance(block, Enumeration):
        items = block.item_texts()
        if block.inline:
            return [("body", block.lead + "".join(items))]
        return ([("body", block.lead)] if block.lead else []) + [("body", item) for item in items]
    if isinstance(block, Table):
        text = "；".join(" | ".join(cell for cell in row) for row in block.rows)
        return [("table", text)]
    if isinstance(block, Signature):
        return [("signature", line) for line in [*block.lines, block.date] if line]
    if isinstance(block, PartiesSignature):
        return [("signature", line) for line in [*block.left, *block.right] if line]
    if isinstance(block, AttachmentNote):
        return [("note", "附件：" + "；".join(block.items))]
    if isinstance(block, Roster):
        return [("note", block.full_text)]
    if isinstance(block, Attachment):
        return [("title", block.title)]
    return []  # PageBreak, SectionBreak: no text


def _extra_paragraphs(block: Block) -> int:
    """Paragraphs the writer lays out before the block's text: the 附件N label of an attachment."""
    return 1 if isinstance(block, Attachment) else 0


def _note_items(block: Block) -> int:
    """Paragraphs an attachment note takes beyond its first (one per further item)."""
    return max(len(block.items) - 1, 0) if isinstance(block, AttachmentNote) else 0


def _next_text_block(blocks: list[Block], index: int) -> Block | None:
    return next((b for b in blocks[index + 1 :] if not isinstance(b, (SectionBreak, PageBreak))), None)


# a caption after the body that opens a separately numbered list: 名词解释, 附：名词解释, 注释
ANNEX_CAPTION = re.compile(r"^(?:附[：:]?\s*)?(?:名词解释|名词注释|名词说明|术语解释|有关名词解释|注释|注解|附注)[：:]?$")


class _Walker:
    def __init__(self, numbered: bool) -> None:
        self.units: list[Unit] = []
        self.counter = 0
        self.numbered = numbered
        self.part = 0
        self.annex = 0

    def walk(self, blocks: list[Block], sources: list[int] | None, scope: int, draft: Draft | None, top: bool) -> None:
        stack: list[Heading] = []
        attachment_count = 0
        annex_caption = ""
        changed = True  # path and section are worked out again only after what they depend on changed
        path = section = ""
        for index, block in enumerate(blocks):
            source = sources[index] if sources is not None and index < len(sources) else None
            if top and isinstance(block, SectionBreak) and isinstance(_next_text_block(blocks, index), Title):
                self.part += 1  # the letters of a 合订本: each one is its own document
                stack, attachment_count, self.annex = [], 0, 0
                changed = True
            if top and isinstance(block, Paragraph) and ANNEX_CAPTION.match(block.text.strip()):
                self.annex += 1
                stack, annex_caption = [], block.text.strip().rstrip("：:")
                changed = True
            if isinstance(block, Heading):
                stack = [h for h in stack if h.level < block.level] + [block]
                changed = True
            if changed:
                path = " > ".join(_heading_label(h) for h in stack)
                section = next((_heading_label(h) for h in stack if h.level == 1), annex_caption if top and self.annex else "")
                changed = False
            self.counter += _extra_paragraphs(block)
            for offset, (kind, text) in enumerate(_block_texts(block)):
                self.counter += 1
                if source is not None:
                    paragraph: int | None = source + offset
                elif self.numbered:
                    paragraph = self.counter
                else:
                    paragraph = None
                if not text:
                    continue
                self.units.append(
                    Unit(
                        text=text,
                        paragraph=paragraph,
                        heading=path,
                        section=section,
                        kind=kind,
                        scope=scope,
                        block=block,
                        heading_level=block.level if isinstance(block, Heading) else 0,
                        part=self.part,
                        annex=self.annex if top else 0,
                    )
                )
            self.counter += _note_items(block)
            if isinstance(block, Attachment) and top:
                attachment_count += 1
                child_sources = draft.attachment_sources.get(index) if draft else None
                if child_sources is not None:
                    # the attachment's title is the paragraph after its 附件N line
                    self.units[-1].paragraph = (source or 0) + 1
                self.walk(block.blocks, child_sources, attachment_count, draft, top=False)


def document_units(document: Document) -> list[Unit]:
    """Units of a Document built in memory (paragraphs numbered as the writer lays them out)."""
    walker = _Walker(numbered=True)
    if document.red_header is not None:
        walker.counter = 2 if document.red_header.number else 1
    walker.walk(document.blocks, None, 0, None, top=True)
    return walker.units


def draft_units(draft: Draft) -> list[Unit]:
    """Units of a read draft, numbered by their source paragraphs."""
    walker = _Walker(numbered=False)
    walker.walk(draft.document.blocks, draft.sources, 0, draft, top=True)
    return walker.units
