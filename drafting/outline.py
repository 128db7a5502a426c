"""The outline of a finished speech: its heading tree, enumerations, declared counts and figures.

``read_outline`` reads a draft (.docx/.txt/.md, via :mod:`drafting.readers`) and
groups its paragraphs under their headings. Paragraphs that open with 一是/二是
(or 第一，/第二，) in a row become an item list, and a paragraph that runs
一是……；二是……。 on after a lead becomes an inline list, but only when the
list, rebuilt by the speech template, gives back exactly the same text;
otherwise the paragraph stays text. :mod:`drafting.outline_meeting` turns an
outline into meeting.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from drafting.check.rules.declared_count import _declarations  # the checker's own patterns
from drafting.document import Byline, Heading, Paragraph, Salutation, Table, Title
from drafting.numbering import cn_count, cn_numeral
from drafting.quantities import Quantity, find_quantities
from drafting.readers import load_draft
from drafting.readers.draft import Draft

_ITEM_ENDS = "。；！？…"  # an item of its own paragraph keeps these; the template adds 。 to others
_LAST_ITEM_ENDS = "。！？…"
_LABEL_BEFORE = "：:。；;，,！？"
_CLOSING_START = ("同志们", "同志们，")
_MAX_ITEMS = 20


def _label(style: str, n: int) -> str:
    return f"{cn_numeral(n)}是" if style == "是" else f"第{cn_numeral(n)}，"


@dataclass
class Declared:
    """A stated count (我讲四点意见, 落实好三项机制：) and what follows it."""

    paragraph: int | None
    quote: str
    declared: int
    found: int
    what: str  # 一级标题 / 二级标题 / 列举项

    @property
    def matches(self) -> bool:
        return self.declared == self.found


@dataclass
class Para:
    """A paragraph (or a run of item paragraphs, or a table) of the body."""

    number: int | None
    kind: Literal["text", "items", "table"] = "text"
    text: str = ""
    lead: str = ""
    items: list[str] = field(default_factory=list)
    inline: bool = False
    style: Literal["是", "第"] = "是"
    rows: list[list[str]] = field(default_factory=list)
    last_number: int | None = None  # the last paragraph of a list of item paragraphs

    def texts(self) -> list[str]:
        """The paragraph texts as written (a list of item paragraphs gives one per item)."""
        if self.kind == "table":
            return [cell for row in self.rows for cell in row]
        if self.kind == "items":
            labelled = [_label(self.style, i) + item for i, item in enumerate(self.items, start=1)]
            if self.inline:
                return [self.lead + "".join(labelled)]
            return ([self.lead] if self.lead else []) + labelled
        return [self.text]

    @property
    def figures(self) -> list[Quantity]:
        return [q for text in self.texts() for q in find_quantities(text)]


@dataclass
class Node:
    """A heading and what stands under it until the next heading of its level or above."""

    level: int
    number: str
    title: str
    run_in: str | None
    paragraph: int | None
    body: list[Para] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.title}{self.run_in or ''}"

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Outline:
    path: Path
    title_lines: list[str] = field(default_factory=list)
    byline: str | None = None
    salutation: str | None = None
    opening: list[Para] = field(default_factory=list)
    sections: list[Node] = field(default_factory=list)
    closing: list[Para] = field(default_factory=list)
    skipped: list[tuple[int | None, str]] = field(default_factory=list)  # what a meeting cannot hold

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    def nodes(self) -> Iterator[Node]:
        for section in self.sections:
            yield from section.walk()

    def paras(self) -> Iterator[tuple[Node | None, Para]]:
        """Every body part with the heading it stands under (None in the opening and closing)."""
        for para in self.opening:
            yield None, para
        for node in self.nodes():
            for para in node.body:
                yield node, para
        for para in self.closing:
            yield None, para

    def declared_counts(self) -> list[Declared]:
        return list(_declared_counts(self))


def read_outline(path: str | Path) -> Outline:
    """Read a speech and return its outline (InputError for a file that cannot be read)."""
    return outline_of(load_draft(path))


def outline_of(draft: Draft) -> Outline:
    outline = Outline(path=draft.path)
    stack: list[Node] = []
    bodies: list[list[Para]] = [outline.opening]
    for block, number in zip(draft.document.blocks, draft.sources):
        if isinstance(block, Title) and not outline.title_lines:
            outline.title_lines = list(block.lines)
        elif isinstance(block, Byline) and outline.byline is None:
            outline.byline = block.text
        elif isinstance(block, Salutation) and outline.salutation is None and not stack and not outline.opening:
            outline.salutation = block.text
        elif isinstance(block, Heading):
            title, run_in = block.text, block.run_in
            if run_in is None and block.level > 1:
                title, run_in = _split_run_in(title)  # a Word heading style holding 标题句。正文
            node = Node(block.level, block.number, title, run_in, number)
            parents = [n for n in stack if n.level < block.level]
            if block.level == 1 or parents:
                if parents:
                    parents[-1].children.append(node)
                else:
                    outline.sections.append(node)
                stack = parents + [node]
                bodies.append(node.body)
            else:
                # a （一） before any 一、: the meeting has no place for it, keep it as text
                outline.skipped.append((number, f"一级标题之前的{block.number}标题，已作为正文段落"))
                bodies[-1].append(Para(number, text=f"{block.number}{block.text}{block.run_in or ''}"))
        elif isinstance(block, Paragraph):
            bodies[-1].append(Para(number, text=block.text))
        elif isinstance(block, Salutation):
            bodies[-1].append(Para(number, text=block.text))
        elif isinstance(block, Table):
            bodies[-1].append(Para(number, kind="table", rows=[list(row) for row in block.rows]))
        else:
            outline.skipped.append((number, f"{type(block).__name__}（讲话稿中不保留）"))
    for body in bodies:
        body[:] = _group_items(body)
    _split_closing(outline, bodies)
    return outline


def _split_run_in(text: str) -> tuple[str, str | None]:
    cut = text.find("。")
    if cut == -1 or cut == len(text) - 1:
        return text, None
    return text[: cut + 1], text[cut + 1 :]


def _split_closing(outline: Outline, bodies: list[list[Para]]) -> None:
    """The closing: from the last paragraph opening with 同志们 to the end, after the last heading."""
    if not outline.sections:
        return
    last = bodies[-1]
    for index in range(len(last) - 1, -1, -1):
        para = last[index]
        if para.kind == "text" and para.text.startswith(_CLOSING_START):
            if all(p.kind == "text" for p in last[index:]):
                outline.closing = last[index:]
                del last[index:]
            return


# -- enumerations ------------------------------------------------------------


def _leading(text: str) -> tuple[str, int, str] | None:
    """(style, value, rest) when ``text`` opens with 一是 / 第一，."""
    for style in ("是", "第"):
        for n in range(1, _MAX_ITEMS + 1):
            label = _label(style, n)
            if text.startswith(label) and len(text) > len(label):
                return style, n, text[len(label) :]
    return None


def _group_items(paras: list[Para]) -> list[Para]:
    out: list[Para] = []
    i = 0
    while i < len(paras):
        para = paras[i]
        group = _item_paragraphs(paras, i)
        if group:
            style, items = group
            lead = ""
            if out and out[-1].kind == "text" and out[-1].text.endswith(("：", ":")):
                lead = out.pop().text
            out.append(
                Para(
                    para.number if not lead else None,
                    kind="items",
                    lead=lead,
                    items=items,
                    style=style,  # type: ignore[arg-type]
                    last_number=paras[i + len(items) - 1].number,
                )
            )
            if lead:
                out[-1].number = _lead_number(paras, i)
            i += len(items)
            continue
        if para.kind == "text":
            inline = inline_items(para.text)
            if inline is not None:
                style, lead, items = inline
                out.append(Para(para.number, kind="items", lead=lead, items=items, inline=True, style=style))  # type: ignore[arg-type]
                i += 1
                continue
        out.append(para)
        i += 1
    return out


def _lead_number(paras: list[Para], index: int) -> int | None:
    return paras[index - 1].number if index > 0 else None


def _item_paragraphs(paras: list[Para], start: int) -> tuple[str, list[str]] | None:
    """Paragraphs from ``start`` opening with 一是, 二是, … (or 第一，, 第二，, …) in a row."""
    first = paras[start]
    opened = _leading(first.text) if first.kind == "text" else None
    if opened is None or opened[1] != 1:
        return None
    style = opened[0]
    items: list[str] = []
    for para in paras[start:]:
        label = _label(style, len(items) + 1)
        if para.kind != "text" or not para.text.startswith(label):
            break
        item = para.text[len(label) :]
        if not item or item[-1] not in _ITEM_ENDS:
            break
        items.append(item)
    return (style, items) if len(items) >= 2 else None


def inline_items(text: str) -> tuple[str, str, list[str]] | None:
    """(style, lead, items) when ``text`` is a lead followed by 一是……；二是……。 run on in one paragraph.

    Only when the speech template would write exactly ``text`` back: a lead is
    there, every item but the last ends with ；or 。 and the last with 。！？….
    """
    for style in ("是", "第"):
        first = _label(style, 1)
        start = 0
        while True:
            position = text.find(first, start)
            if position <= 0:
                break
            if text[position - 1] in _LABEL_BEFORE:
                parsed = _split_inline(text, position, style)
                if parsed is not None:
                    return style, text[:position], parsed
            start = position + 1
    return None


def _split_inline(text: str, position: int, style: str) -> list[str] | None:
    starts = [position]
    n = 2
    while n <= _MAX_ITEMS:
        label = _label(style, n)
        found = text.find(label, starts[-1] + 1)
        if found == -1:
            break
        if text[found - 1] not in "；;。":
            return None
        starts.append(found)
        n += 1
    if len(starts) < 2:
        return None
    items: list[str] = []
    for index, begin in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        item = text[begin + len(_label(style, index + 1)) : end]
        last = index + 1 == len(starts)
        if not item or item[-1] not in (_LAST_ITEM_ENDS if last else "；;。"):
            return None
        if item[-1] == ";":
            return None  # the template writes the full-width ；
        items.append(item)
    return items


# -- declared counts ---------------------------------------------------------


def _declared_counts(outline: Outline) -> Iterator[Declared]:
    sections = len(outline.sections)
    for para in outline.opening:
        for text in para.texts():
            yield from _declared(text, para.number, sections, "一级标题")
    for node in outline.nodes():
        below = sum(1 for child in node.children if child.level == node.level + 1)
        what = f"{_LEVEL_NAMES.get(node.level + 1, '下级')}标题"
        yield from _declared(f"{node.number}{node.title}", node.paragraph, below, what)
        if node.run_in:
            first = node.body[0] if node.body else None
            if first is not None and first.kind == "items" and not first.lead:
                yield from _declared(node.run_in, node.paragraph, len(first.items), "列举项")
            else:
                yield from _declared(node.run_in, node.paragraph, below, what)
        for index, para in enumerate(node.body):
            if para.kind == "items":
                yield from _declared(para.lead, para.number, len(para.items), "列举项")
            elif para.kind == "text":
                following = node.body[index + 1] if index + 1 < len(node.body) else None
                if following is not None and following.kind == "items" and not following.lead:
                    yield from _declared(para.text, para.number, len(following.items), "列举项")
                else:
                    yield from _declared(para.text, para.number, below, what)


_LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def _declared(text: str, paragraph: int | None, found: int, what: str) -> Iterator[Declared]:
    for match, value in _declarations(text):
        end = match.end()
        while end < len(text) and end - match.end() < 12 and text[end] not in "，。；：:！？!?,;":
            end += 1
        yield Declared(paragraph, text[match.start() : end], value, found, what)


def declared_placeholder(text: str, count: int, placeholder: str) -> str:
    """``text`` with its one stated count replaced by ``placeholder`` when it states ``count``.

    我讲四点意见 with four sections → 我讲[[count]]点意见, so the count follows later edits.
    The text is left alone unless exactly one count is stated, it equals ``count``
    and is written as the template would write it (两 for 2, Chinese numerals).
    """
    if "[[" in text or count <= 0:
        return text
    found = list(_declarations(text))
    if len(found) != 1:
        return text
    match, value = found[0]
    if value != count or match.group(1) != cn_count(count):
        return text
    return text[: match.start(1)] + placeholder + text[match.end(1) :]


# -- comparison of two speeches ---------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_SPACE = re.compile(r"\s+")


def comparable_lines(document: object) -> list[str]:
    """Title, 称谓, headings (level and text) and body sentences of a Document, whitespace removed.

    Heading numbers are left out: a rebuilt speech numbers its headings itself,
    also where the source had none (Word heading styles, Markdown #).
    """
    from drafting.check.units import document_units

    lines: list[str] = []
    for unit in document_units(document):  # type: ignore[arg-type]
        text = _SPACE.sub("", unit.text)
        if unit.kind == "heading" and isinstance(unit.block, Heading):
            heading = _SPACE.sub("", unit.block.text + (unit.block.run_in or ""))
            lines.append(f"[{unit.heading_level}级标题] {heading}")
        elif unit.kind in ("body", "table"):
            lines.extend(s for s in _SENTENCE_END.split(text) if s)
        elif unit.kind in ("title", "salutation", "byline"):
            lines.append(f"[{ {'title': '题目', 'salutation': '称谓', 'byline': '署名'}[unit.kind] }] {text}")
    return lines
