"""What a reader returns: the shared ``Document`` plus where each block came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from drafting.document import Block, Document

Align = Literal["justify", "left", "center", "right"]


@dataclass
class SourceParagraph:
    """One non-empty paragraph (or table) of the source, before its shape is decided.

    ``number`` is the 1-based paragraph number in document order, counting only
    non-empty paragraphs and tables (what a reviewer counts on paper).
    """

    number: int
    text: str = ""
    align: Align | None = None  # None when the source has no layout (plain text)
    style_level: int | None = None  # heading level from a Word style / outline level
    markdown_level: int | None = None  # number of leading # in a .md line
    rows: list[list[str]] | None = None  # set for a table
    new_section: bool = False  # first paragraph after a Word section break


@dataclass
class Draft:
    """A read draft. ``sources[i]`` is the paragraph number of ``document.blocks[i]``.

    Blocks inside an ``Attachment`` are numbered in ``attachment_sources``,
    keyed by the attachment's index in ``document.blocks``.
    """

    path: Path
    document: Document
    sources: list[int] = field(default_factory=list)
    attachment_sources: dict[int, list[int]] = field(default_factory=dict)
    format: Literal["docx", "text"] = "text"

    def source_of(self, block: Block) -> int | None:
        for index, candidate in enumerate(self.document.blocks):
            if candidate is block:
                return self.sources[index]
        return None
