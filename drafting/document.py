"""The one document model in the middle.

Readers (markup parser, docx/txt reader) produce a ``Document``; writers (docx)
and rules (checks) consume it. Blocks are plain dataclasses; layout lives in
the writer's style profile, never here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal, Union

Align = Literal["justify", "left", "center", "right"]


@dataclass
class Title:
    """Document title; several lines when a long title is broken by hand."""

    lines: list[str]

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass
class Byline:
    """Centred line under a speech title, e.g. （张某某  2026年3月6日）."""

    text: str


@dataclass
class Salutation:
    """同志们： in a speech, or the 主送 line of a notice; flush left."""

    text: str


@dataclass
class Heading:
    """A numbered heading. ``number`` (一、 （一） 1. （1）) is assigned by numbering, not typed.

    ``run_in`` is body text that continues on the heading's own line (level 2-4).
    """

    level: int
    text: str
    number: str = ""
    run_in: str | None = None

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}{self.run_in or ''}"


@dataclass
class Paragraph:
    """Body text. ``indent`` is the 2-character first-line indent."""

    text: str
    indent: bool = True
    align: Align = "justify"


@dataclass
class Enumeration:
    """Inline enumeration 一是……二是…… (style "是") or 第一，……第二，…… (style "第").

    ``labels`` are assigned by numbering. ``inline`` runs the items together in
    one paragraph after ``lead``; otherwise each item is its own paragraph.
    """

    items: list[str]
    style: Literal["是", "第"] = "是"
    lead: str = ""
    inline: bool = False
    labels: list[str] = field(default_factory=list)

    def item_texts(self) -> list[str]:
        """Each item with its label, e.g. 一是要……。"""
        labels = self.labels or [""] * len(self.items)
        return [f"{label}{item}" for label, item in zip(labels, self.items)]


@dataclass
class Table:
    """A table; the first ``header_rows`` rows are headers, a ``total_row`` is emphasised."""

    rows: list[list[str]]
    header_rows: int = 1
    caption: str | None = None
    widths: list[float] | None = None  # relative column widths
    total_row: bool = False


@dataclass
class Signature:
    """署名 lines and 成文日期 at the end of a document."""

    lines: list[str]
    date: str = ""


@dataclass
class PartiesSignature:
    """Two-column signature block of a responsibility letter (甲方 / 乙方)."""

    left: list[str]
    right: list[str]


@dataclass
class Roster:
    """出席/列席/请假 after a 纪要's body: ``label`` (出席) before a full-width colon, then the names.

    Written 左空二字 with the label in 黑体; wrapped lines align after the colon (GB/T 9704 §10.3).
    """

    label: str
    text: str

    @property
    def full_text(self) -> str:
        return f"{self.label}：{self.text}"


@dataclass
class AttachmentNote:
    """附件说明 after the body. ``items`` are the attachments' names; the writer numbers them (附件：1. 名称)."""

    items: list[str]


@dataclass
class Attachment:
    """An attachment, starting on a new page with 附件N and a centred title."""

    title: str
    blocks: list["Block"] = field(default_factory=list)
    number: int | None = None  # None when there is only one attachment
    landscape: bool = False


@dataclass
class PageBreak:
    pass


@dataclass
class SectionBreak:
    """Start a new part that prints as if alone: a new section on a new page.

    ``odd_page`` (the default) starts the part on the next odd page, with a blank
    page before it when needed, so double-sided printing gives it sheets of its
    own (each letter of a 合订本). Its page numbers then continue: Word and
    LibreOffice judge odd/even by the page *number*, so a part restarted at 1
    always counts as odd and the blank page would never come.
    ``restart_page_numbers`` numbers the part from 1 (use it with
    ``odd_page=False``).
    """

    restart_page_numbers: bool = False
    odd_page: bool = True


Block = Union[
    Title,
    Byline,
    Salutation,
    Heading,
    Paragraph,
    Enumeration,
    Table,
    Signature,
    PartiesSignature,
    Roster,
    AttachmentNote,
    Attachment,
    PageBreak,
    SectionBreak,
]


@dataclass
class RedHeader:
    """版头 of a notice: 发文机关标志 in red, 发文字号, red line."""

    organ: str
    number: str = ""
    copy_number: str = ""  # 份号, first line, flush left
    secrecy: str = ""  # 密级和保密期限, second line
    urgency: str = ""  # 紧急程度, below the 密级
    signers: list[str] = field(default_factory=list)  # 签发人: 发文字号 left, 签发人 right (上行文)
    joint_organs: list[str] = field(default_factory=list)  # 联合行文: organs after ``organ``, one per line
    mark: str = ""  # 文件 / 纪要 after the organ name(s), centred against them
    letter: bool = False  # 信函格式: double red rules at the page's top and bottom, 字号 top right

    def organs(self) -> list[str]:
        return [self.organ, *self.joint_organs]


@dataclass
class Imprint:
    """版记 at the foot of the last page: 抄送 line, 印发机关 and 印发日期 (all optional)."""

    cc: str = ""
    issuer: str = ""
    date: str = ""


@dataclass
class Meta:
    title: str = ""
    author: str = ""
    subject: str = ""
    kind: str = ""  # "speech" | "letter" | "notice" | "" for read-back drafts
    date: datetime.date | None = None  # the document's date (core properties created/modified)


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    red_header: RedHeader | None = None
    imprint: Imprint | None = None

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    @property
    def title(self) -> Title | None:
        return next((b for b in self.blocks if isinstance(b, Title)), None)
