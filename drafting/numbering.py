"""Numbering of a parsed document: heading numbers, 一是/二是 labels, declared counts.

Templates never type numbers. After parsing, :func:`apply` assigns
``Heading.number`` (一、 （一） 1. （1）), ``Enumeration.labels`` and
``Attachment.number``, and replaces the inline placeholders ``[[count]]`` and
``[[count:items]]`` by Chinese numerals computed from the structure (两 for
2, as before a measure word), so a declared "我讲四点意见" always matches the
sections that follow.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from drafting.document import (
    Attachment,
    Block,
    Byline,
    Document,
    Enumeration,
    Heading,
    Paragraph,
    PartiesSignature,
    Roster,
    Salutation,
    Signature,
    Table,
    Title,
)
from drafting.errors import InputError, Location

MAX_NUMERAL = 99999

_DIGITS = "零一二三四五六七八九"
# (value, unit) from high to low; 0..99999 needs units up to 万.
_UNITS = ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, ""))

PLACEHOLDER = re.compile(r"\[\[([^\[\]]*)\]\]")
COUNT = "count"
COUNT_ITEMS = "count:items"
KNOWN_PLACEHOLDERS = (COUNT, COUNT_ITEMS)

Locator = Callable[[Block], Location]


def cn_numeral(n: int) -> str:
    """Write 0..99999 in Chinese numerals: 4 → 四, 10 → 十, 12 → 十二, 105 → 一百零五.

    Numbers from 10 to 19 drop the leading 一 (十二, not 一十二), as in
    ordinals such as 十二是; inside larger numbers the 一 stays (一百一十).
    Raises ValueError outside 0..99999 or for non-integers.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"只能把整数写成中文数字，收到的是“{n!r}”")
    if not 0 <= n <= MAX_NUMERAL:
        raise ValueError(f"中文数字只支持0到{MAX_NUMERAL}，收到的是{n}")
    if n == 0:
        return _DIGITS[0]
    out: list[str] = []
    pending_zero = False
    for value, unit in _UNITS:
        digit = n // value % 10
        if digit == 0:
            # A zero is written once, and only between two non-zero digits.
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append(_DIGITS[0])
            pending_zero = False
        out.append(_DIGITS[digit] + unit)
    text = "".join(out)
    if 10 <= n <= 19:
        text = text[1:]  # 一十二 → 十二
    return text


def cn_count(n: int) -> str:
    """A quantity before a measure word: 两 for 2 (我讲两点意见), otherwise as :func:`cn_numeral`."""
    return "两" if n == 2 else cn_numeral(n)


def heading_number(level: int, n: int) -> str:
    """The number of the n-th heading at a level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{cn_numeral(n)}、"
    if level == 2:
        return f"（{cn_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"标题最多四级，收到第{level}级")


def enumeration_label(style: str, n: int) -> str:
    """The label of the n-th item: 一是 (style 是) or 第一， (style 第)."""
    if style == "是":
        return f"{cn_numeral(n)}是"
    if style == "第":
        return f"第{cn_numeral(n)}，"
    raise ValueError(f"未知的列举样式“{style}”")


def apply(document: Document, locate: Locator | None = None) -> Document:
    """Number ``document`` in place and return it.

    The main body and each attachment are numbered separately (an attachment
    starts again from 一、). ``locate`` maps a block to its source location so
    an unresolvable placeholder can be reported where it was written; without
    it the error names no place but quotes the text.
    """
    locator = locate or (lambda _block: Location())
    main = [b for b in document.blocks if not isinstance(b, Attachment)]
    attachments = [b for b in document.blocks if isinstance(b, Attachment)]
    _number_container(main, locator)
    for index, attachment in enumerate(attachments, start=1):
        attachment.number = index if len(attachments) > 1 else None
        _number_container(attachment.blocks, locator)
    return document


def _number_container(blocks: Sequence[Block], locate: Locator) -> None:
    counters = [0, 0, 0, 0]
    for block in blocks:
        if isinstance(block, Heading):
            level = block.level
            if not 1 <= level <= 4:
                raise InputError(f"标题最多四级，“{block.text}”是第{level}级", locate(block))
            counters[level - 1] += 1
            for deeper in range(level, 4):
                counters[deeper] = 0
            block.number = heading_number(level, counters[level - 1])
        elif isinstance(block, Enumeration):
            block.labels = [enumeration_label(block.style, i) for i in range(1, len(block.items) + 1)]
    for index, block in enumerate(blocks):
        _resolve_placeholders(blocks, index, locate)


def _resolve_placeholders(blocks: Sequence[Block], index: int, locate: Locator) -> None:
    block = blocks[index]

    def resolve(text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            kind = match.group(1).strip()
            if kind == COUNT:
                count = _count_subheadings(blocks, index)
                if count == 0:
                    raise InputError(
                        f"“{_excerpt(text)}”中的[[count]]无法计算：其后在本标题范围内没有下一级标题",
                        locate(block),
                    )
            elif kind == COUNT_ITEMS:
                count = _count_items(blocks, index)
                if count == 0:
                    raise InputError(
                        f"“{_excerpt(text)}”中的[[count:items]]无法计算：其后没有列举（- 或 + 开头的行）",
                        locate(block),
                    )
            else:
                raise InputError(
                    f"未知的占位符“{match.group(0)}”，只能用 [[count]] 或 [[count:items]]",
                    locate(block),
                )
            return cn_count(count)

        return PLACEHOLDER.sub(replace, text)

    if isinstance(block, Paragraph):
        block.text = resolve(block.text)
    elif isinstance(block, Heading):
        block.text = resolve(block.text)
        if block.run_in is not None:
            block.run_in = resolve(block.run_in)
    elif isinstance(block, Enumeration):
        block.lead = resolve(block.lead)
        block.items = [resolve(item) for item in block.items]
    else:
        for text in _other_texts(block):
            match = PLACEHOLDER.search(text)
            if match:
                raise InputError(
                    f"“{_excerpt(text)}”中的{match.group(0)}只能用在正文段落、标题和列举里",
                    locate(block),
                )


def _other_texts(block: Block) -> list[str]:
    """Texts of blocks where placeholders are not resolved, to refuse them there."""
    if isinstance(block, Title):
        return list(block.lines)
    if isinstance(block, (Byline, Salutation)):
        return [block.text]
    if isinstance(block, Table):
        return [cell for row in block.rows for cell in row] + [block.caption or ""]
    if isinstance(block, Signature):
        return [*block.lines, block.date]
    if isinstance(block, PartiesSignature):
        return [*block.left, *block.right]
    if isinstance(block, Roster):
        return [block.label, block.text]
    return []


def _count_subheadings(blocks: Sequence[Block], index: int) -> int:
    """Headings one level below the current heading, after ``index`` and within its scope."""
    block = blocks[index]
    if isinstance(block, Heading):
        level = block.level
    else:
        level = next(
            (b.level for b in reversed(blocks[:index]) if isinstance(b, Heading)),
            0,  # before the first heading: count level-1 headings
        )
    count = 0
    for later in blocks[index + 1 :]:
        if isinstance(later, Heading):
            if later.level <= level:
                break
            if later.level == level + 1:
                count += 1
    return count


def _count_items(blocks: Sequence[Block], index: int) -> int:
    """Items of the first enumeration from ``index`` on (itself included), not crossing a heading."""
    block = blocks[index]
    if isinstance(block, Enumeration):
        return len(block.items)
    for later in blocks[index + 1 :]:
        if isinstance(later, Heading):
            break
        if isinstance(later, Enumeration):
            return len(later.items)
    return 0


def _excerpt(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "……"
