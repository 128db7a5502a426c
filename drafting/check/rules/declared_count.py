"""declared-count: a stated count (我讲四点意见, 落实好三个机制：) that the items after it do not match.

Items are counted at the right level: labels (一是/第一) later in the same
paragraph; else paragraphs right after it that start with such a label; else
the headings one level below the declaring paragraph, up to the end of its section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.check.rules.base import CheckContext, Hit, Rule, snippet
from drafting.check.rules.numbering import INLINE_LABELS
from drafting.check.units import Unit
from drafting.numbering import cn_count
from drafting.readers.headings import LEVEL_NAMES, chinese_to_int

_NUM = r"(十[一二三四五六七八九]?|[两二三四五六七八九]|\d{1,2})"
_MEASURE = r"(点|个方面|个|项|条|大|种|件|方面)"
_SPEAK = re.compile(rf"(?:我)?(?:讲|谈|说|提|强调){_NUM}{_MEASURE}(?:意见|看法|想法|要求|体会)?")
_VERBS = "以下|如下|抓好|抓实|抓|落实|坚持|突出|把握|聚焦|围绕|实施|推进|做到|做好|建立|完善|健全|处理|强化|着力|重点|实现|用好|守住|树牢|树立|发挥|注重|打好|打赢|明确|把好|把准|落实好|处理好|把握好|强化"
_ACT = re.compile(rf"(?:{_VERBS})(?:好以下|好|以下)?{_NUM}{_MEASURE}")
_STOP = "，。；：:！？!?,;"


def _declarations(text: str) -> Iterator[tuple[re.Match[str], int]]:
    seen: set[int] = set()
    for pattern, needs_colon in ((_SPEAK, False), (_ACT, True)):
        for match in pattern.finditer(text):
            if match.start(1) in seen:
                continue
            if needs_colon:
                rest = text[match.end() :]
                stop = next((c for c in rest if c in _STOP), "")
                if stop not in "：:" or not stop:
                    continue
            value = chinese_to_int(match.group(1).replace("两", "二"))
            if value and 2 <= value <= 20:
                seen.add(match.start(1))
                yield match, value


def _inline_labels(text: str) -> int:
    counts = [sum(1 for _ in pattern.finditer(text)) for pattern in INLINE_LABELS.values()]
    return max(counts)


def _leading_label(text: str) -> tuple[str, int] | None:
    """The label a paragraph opens with (一是 → ("是", 1), 第二， → ("第", 2)), or None."""
    for style, pattern in INLINE_LABELS.items():
        match = pattern.match(text)
        value = chinese_to_int(match.group(1)) if match else None
        if value:
            return style, value
    return None


def _labelled_paragraphs(units: list[Unit], index: int) -> int:
    """Paragraphs right after units[index] opening with rising labels of one style.

    Paragraphs that develop an item (no label, or another style) may sit between
    two items; a heading, the end of the scope or a label that starts over ends the list.
    """
    scope = units[index].scope
    following = units[index + 1 : index + 2]
    first = _leading_label(following[0].text) if following and following[0].kind == "body" else None
    if first is None:
        return 0
    style, previous, count = first[0], 0, 0
    for follower in units[index + 1 :]:
        if follower.scope != scope or follower.kind not in ("body", "table"):
            break
        label = _leading_label(follower.text) if follower.kind == "body" else None
        if label is None or label[0] != style:
            continue
        if label[1] <= previous:
            break
        count, previous = count + 1, label[1]
    return count


def _count_items(units: list[Unit], index: int, after: str) -> tuple[int, str]:
    """How many items follow the declaration in units[index]; and what they are."""
    unit = units[index]
    inline = _inline_labels(after)
    if inline:
        return inline, "项列举（一是、二是……）"
    labelled = _labelled_paragraphs(units, index)
    if labelled:
        return labelled, "段列举（一是、二是……）"
    level = unit.heading_level if unit.kind == "heading" else _path_depth(units, index)
    target = level + 1
    count = 0
    for follower in units[index + 1 :]:
        if follower.scope != unit.scope:
            break
        if follower.kind == "heading":
            if follower.heading_level <= level:
                break
            if follower.heading_level == target:
                count += 1
    return count, f"个{LEVEL_NAMES[target]}标题" if target in LEVEL_NAMES else "个下级标题"


def _path_depth(units: list[Unit], index: int) -> int:
    """Level of the innermost heading above units[index] (0 before the first heading)."""
    scope = units[index].scope
    for previous in reversed(units[:index]):
        if previous.scope != scope:
            return 0
        if previous.kind == "heading":
            return previous.heading_level
    return 0


def _quote(text: str, match: re.Match[str]) -> str:
    """The declaration up to the next punctuation: 落实好三个机制."""
    end = match.end()
    while end < len(text) and end - match.end() < 12 and text[end] not in _STOP:
        end += 1
    return text[match.start() : end]


def _check(context: CheckContext) -> Iterator[Hit]:
    units = context.units
    for index, unit in enumerate(units):
        if unit.kind not in ("body", "heading"):
            continue
        for match, declared in _declarations(unit.text):
            found, what = _count_items(units, index, unit.text[match.end() :])
            if found and found != declared:
                yield Hit(
                    f"文中说“{_quote(unit.text, match)}”，但其后实际是{cn_count(found)}{what}",
                    unit,
                    snippet(unit.text, match.start()),
                )


RULE = Rule(id="declared-count", title="数量与内容不符", default_severity="error", check=_check)
