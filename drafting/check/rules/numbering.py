"""numbering: heading numbers per level (skips, repeats, order, mixed styles, level jumps)
and inline 一是……二是…… / 第一，第二， sequences."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial

from drafting.check.prefilter import needs_of, possible
from drafting.check.rules.base import CheckContext, Hit, Rule, snippet
from drafting.check.units import Unit
from drafting.document import Heading
from drafting.numbering import enumeration_label, heading_number
from drafting.readers.headings import LEVEL_NAMES, STANDARD_STYLE, chinese_to_int, parse_number_text

_BEFORE = r"(?:^|(?<=[。；;：:，,！？!?\s]))"
INLINE_LABELS = {
    "是": re.compile(_BEFORE + r"([一二三四五六七八九十]{1,3})是(?=[\u4e00-\u9fff“])"),
    "第": re.compile(r"(?:^|(?<=[。；;：:！？!?\s]))第([一二三四五六七八九十]{1,3})(?=[，,、：:])"),
}

_INLINE_NEEDS = {style: needs_of(pattern) for style, pattern in INLINE_LABELS.items()}


def _label(style: str, value: int) -> str:
    """一是 / 第一, as the model labels them but without the comma after 第一."""
    return enumeration_label(style, value).rstrip("，")


def _sequence_message(shown: str, value: int, prev: int | None, spell: Callable[[int], str]) -> str | None:
    """What is wrong with ``value`` after ``prev`` (None: in order); ``spell`` writes a number as a label,
    called only for a message (most numbers are in order)."""
    if prev is None:
        return None if value == 1 else f"序号应从“{spell(1)}”开始，此处为“{shown}”"
    if value == prev + 1:
        return None
    if value == prev:
        return f"序号重复：“{shown}”出现了两次"
    prev_text = spell(prev) if prev else ""
    if value < prev:
        return f"序号顺序错误：“{prev_text}”之后是“{shown}”"
    return f"序号跳号：“{prev_text}”之后是“{shown}”，缺少“{spell(prev + 1)}”"


class _HeadingState:
    def __init__(self, two_level: str, uses_level_two: bool) -> None:
        self.last: dict[int, int] = {}  # level → last value under the current parent
        self.open: list[Heading] = []  # the current heading path
        self.styles: dict[int, str] = {}  # level → first style used
        self.two_level = two_level
        self.uses_level_two = uses_level_two
        self.two_level_reported = False  # a two-level layout is one choice, reported once


def _check_heading(unit: Unit, state: _HeadingState) -> Iterator[Hit]:
    heading = unit.block
    assert isinstance(heading, Heading)
    level = heading.level
    parent_levels = [h.level for h in state.open if h.level < level]
    deepest = max(parent_levels, default=0)
    state.open = [h for h in state.open if h.level < level] + [heading]
    for deeper in [k for k in state.last if k > level]:
        del state.last[deeper]
    parsed = parse_number_text(heading.number) if heading.number else None
    if parsed is None:
        return
    shown = parsed.number
    annex = unit.scope or unit.annex
    if level > deepest + 1 and level not in state.last and not (annex and deepest == 0):
        # a jump is reported once, at its first heading; an attachment or glossary may be a plain 1.–N. list
        parent = next((h for h in reversed(state.open[:-1])), None)
        where = f"“{parent.number or parent.text}”之下" if parent else "在没有上级标题的情况下"
        missing = STANDARD_STYLE[deepest + 1]
        message = f"标题层级跳跃：{where}直接使用“{shown}”，缺少“{missing}”一级"
        if deepest == 1 and level == 3 and not state.uses_level_two:
            # 一、 then 1、 in a document that never uses （一）: a two-level layout many offices allow
            if state.two_level != "off" and not state.two_level_reported:
                state.two_level_reported = True
                yield Hit(
                    f"两级标题：“{shown}”直接排在一级标题之下，未用“（一）”一级（不少单位允许，可用 --two-level 设置）",
                    unit,
                    snippet(unit.text),
                    severity=state.two_level,  # type: ignore[arg-type]
                )
        else:
            yield Hit(message, unit, snippet(unit.text))
    first_style = state.styles.setdefault(level, parsed.style)
    if parsed.style != first_style:
        yield Hit(
            f"{LEVEL_NAMES.get(level, '')}标题序号格式不统一：前文用“{first_style}”，此处用“{parsed.style}”",
            unit,
            snippet(unit.text),
        )
    prev = state.last.get(level)
    message = _sequence_message(shown, parsed.value, prev, partial(heading_number, level))
    if message:
        yield Hit(message, unit, snippet(unit.text))
    state.last[level] = parsed.value


def _check_inline(unit: Unit, last: dict[str, int | None]) -> Iterator[Hit]:
    first_one: dict[str, int] = {}  # where 一是/第一 first occurs in the paragraph
    for style, pattern in INLINE_LABELS.items():
        if not possible(_INLINE_NEEDS[style], unit.text):
            continue
        for match in pattern.finditer(unit.text):
            value = chinese_to_int(match.group(1))
            if value is None:
                continue
            prev = last.get(style)
            if prev is None and 0 <= first_one.setdefault(style, unit.text.find(_label(style, 1))) < match.start():
                prev = 1  # 其中一是……，二是: the first label follows a word, not punctuation
            shown = _label(style, value)
            if value == 1:
                last[style] = 1
                continue
            message = _sequence_message(shown, value, prev, partial(_label, style))
            if message:
                yield Hit(message.replace("序号", "列举序号", 1), unit, snippet(unit.text, match.start()))
            last[style] = value


def _check(context: CheckContext) -> Iterator[Hit]:
    level_two = {unit.where for unit in context.units if unit.kind == "heading" and unit.heading_level == 2}
    states: dict[tuple[int, int, int], _HeadingState] = {}
    inline: dict[str, int | None] = {}
    where = (0, 0, 0)
    for unit in context.units:
        if unit.where != where:
            where, inline = unit.where, {}
        if unit.kind == "heading":
            inline = {}
            state = states.get(unit.where)
            if state is None:
                state = states[unit.where] = _HeadingState(context.config.two_level, unit.where in level_two)
            yield from _check_heading(unit, state)
            heading = unit.block
            if isinstance(heading, Heading) and heading.run_in:
                yield from _check_inline(unit, inline)
        elif unit.kind == "body":
            yield from _check_inline(unit, inline)


RULE = Rule(id="numbering", title="序号错误", default_severity="error", check=_check)
