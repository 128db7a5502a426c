"""declared-count: a stated count (我讲四点意见, 重点抓了五个方面工作：, 着力推进十个方面重点任务。)
that the items after it do not match.

Items are counted at the right level, whichever the text uses: labels (一是/第一)
right after the declaration in the same paragraph; else paragraphs right after it
that open with such a label; else the headings one level below the declaration,
up to the end of its section. Every step is linear in the paragraph's length:
label positions are found once per paragraph and looked up by bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from drafting.check.rules.base import CheckContext, Hit, Rule, snippet
from drafting.check.rules.numbering import INLINE_LABELS
from drafting.check.units import Unit
from drafting.numbering import cn_count
from drafting.readers.headings import LEVEL_NAMES, chinese_to_int

_NUM = r"(十[一二三四五六七八九]?|[两二三四五六七八九]|\d{1,2})"
_MEASURE = r"(?:点|个方面|方面|个|项|条|大|种|件)"
_NOUN = r"[^，。；：:！？!?,;、（）()“”\s\d一二三四五六七八九十]{0,10}?"
# 我讲四点意见 / 谈三点体会: a speech's own plan, whatever punctuation follows
_SPEAK = re.compile(rf"(?:我)?(?:讲|谈|说|提)(?:以下|这么)?{_NUM}{_MEASURE}(?:意见|看法|想法|要求|体会|建议)?")
_VERBS = (
    "抓好|抓实|抓了|抓|落实好|落实|坚持|突出|把握好|把握|聚焦|围绕|实施了|实施|推进了|推进|做到|做好|做了|"
    "建立|完善|健全|处理好|强化|着力|实现了|实现|用好|守住|树牢|树立|发挥|注重|打好|打赢|明确|把好|把准|"
    "有|取得了|办成了|办好|突出抓好|重点抓|重点做好|完成了"
)
# 落实好三个机制： / 重点抓了五个方面工作： / 至少有十个突出亮点： / 重点做好八个方面工作。
_ACT = re.compile(rf"(?:主要|重点|着力|全力|集中|突出)?(?:{_VERBS})(?:以下|如下|了以下)?{_NUM}{_MEASURE}({_NOUN})(?=([：:。]))")
_PERIOD_NOUNS = ("方面", "工作", "任务", "意见", "要求", "重点", "举措", "措施", "机制", "亮点", "成效", "事项", "环节", "关系", "问题")
_SENTENCE_END = re.compile(r"[。！？!?]")
# a declaration holds a count with its measure word (四点, 十个方面, 3项): a text without one holds none
_COUNT = re.compile(rf"{_NUM}{_MEASURE}")


@dataclass
class _Declaration:
    match: re.Match[str]
    start: int
    end: int  # just after the declaration (after its ： or 。)
    value: int
    quote: str
    speech: bool  # 我讲N点: may be followed by a few opening paragraphs before the headings


class _Labels:
    """Inline labels of one paragraph, per style: positions, values and the rising run starting at each."""

    def __init__(self, text: str) -> None:
        self.styles: list[tuple[list[int], list[int], list[int]]] = []
        for pattern in INLINE_LABELS.values():
            positions: list[int] = []
            values: list[int] = []
            for match in pattern.finditer(text):
                value = chinese_to_int(match.group(1))
                if value:
                    positions.append(match.start())
                    values.append(value)
            runs = [1] * len(values)
            for i in range(len(values) - 2, -1, -1):
                if values[i + 1] == values[i] + 1:
                    runs[i] = runs[i + 1] + 1
            self.styles.append((positions, values, runs))
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]

    def after(self, position: int) -> int:
        """Items of the list that opens (with 一是/第一) right after ``position``, in the same sentence."""
        limit_index = bisect_left(self.ends, position)
        limit = self.ends[limit_index] if limit_index < len(self.ends) else None
        best = 0
        for positions, values, runs in self.styles:
            i = bisect_left(positions, position)
            if i < len(positions) and values[i] == 1 and (limit is None or positions[i] <= limit):
                best = max(best, runs[i])
        return best


def _declarations(text: str) -> Iterator[tuple[re.Match[str], int]]:
    """(match, stated count) of each declaration; group 1 is the numeral (outline.py uses this too)."""
    for declaration in _found(text):
        yield declaration.match, declaration.value


def _found(text: str) -> Iterator[_Declaration]:
    if _COUNT.search(text) is None:
        return
    seen: set[int] = set()
    for match in _SPEAK.finditer(text):
        value = chinese_to_int(match.group(1).replace("两", "二"))
        if value and 2 <= value <= 20:
            seen.add(match.start(1))
            yield _Declaration(match, match.start(), match.end(), value, match.group(0), speech=True)
    for match in _ACT.finditer(text):
        if match.start(1) in seen:
            continue
        value = chinese_to_int(match.group(1).replace("两", "二"))
        if not value or not 2 <= value <= 20:
            continue
        if match.group(3) == "。":
            # a sentence that announces what follows: ends the paragraph or opens a list right away
            rest = text[match.end() + 1 : match.end() + 4]
            announces = not rest.strip() or any(rest.startswith(f"{n}") for n in ("一是", "第一"))
            wording = match.group(0)
            if not announces or not any(noun in wording for noun in _PERIOD_NOUNS + ("点", "条")):
                continue
        yield _Declaration(match, match.start(), match.end() + 1, value, match.group(0), speech=False)


def _leading_label(text: str) -> tuple[str, int] | None:
    """The label a paragraph opens with (一是 → ("是", 1), 第二， → ("第", 2)), or None."""
    for style, pattern in INLINE_LABELS.items():
        match = pattern.match(text)
        value = chinese_to_int(match.group(1)) if match else None
        if value:
            return style, value
    return None


class _Counter:
    """Counts following paragraphs and headings once per declaring unit."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.depth: list[int] = []
        level = 0
        where = None
        for unit in units:  # level of the innermost heading above each unit (0 before the first)
            if unit.where != where:
                where, level = unit.where, 0
            self.depth.append(level)
            if unit.kind == "heading":
                level = unit.heading_level
        self.cache: dict[tuple[int, bool], tuple[int, str]] = {}

    def labelled_paragraphs(self, index: int) -> int:
        """Paragraphs right after units[index] opening with rising labels of one style.

        Paragraphs that develop an item (no label, or another style) may sit between
        two items; a heading, the end of the scope or a label that starts over ends the list.
        """
        units = self.units
        where = units[index].where
        following = units[index + 1] if index + 1 < len(units) else None
        first = _leading_label(following.text) if following is not None and following.kind == "body" else None
        if first is None or first[1] != 1:
            return 0
        style, previous, count = first[0], 0, 0
        for follower in units[index + 1 :]:
            if follower.where != where or follower.kind not in ("body", "table"):
                break
            label = _leading_label(follower.text) if follower.kind == "body" else None
            if label is None or label[0] != style:
                continue
            if label[1] <= previous:
                break
            count, previous = count + 1, label[1]
        return count

    def headings(self, index: int, speech: bool) -> tuple[int, str]:
        units = self.units
        unit = units[index]
        level = unit.heading_level if unit.kind == "heading" else self.depth[index]
        target = level + 1
        what = f"个{LEVEL_NAMES[target]}标题" if target in LEVEL_NAMES else "个下级标题"
        count = 0
        for offset, follower in enumerate(units[index + 1 :]):
            if follower.where != unit.where:
                break
            if follower.kind != "heading":
                if count == 0 and unit.kind != "heading" and not speech and offset == 0:
                    return 0, what  # a body sentence counts the headings only when they follow it directly
                continue
            if follower.heading_level <= level:
                break
            if follower.heading_level == target:
                count += 1
        return count, what

    def items(self, index: int, speech: bool) -> tuple[int, str]:
        key = (index, speech)
        if key not in self.cache:
            labelled = self.labelled_paragraphs(index)
            self.cache[key] = (labelled, "段列举（一是、二是……）") if labelled else self.headings(index, speech)
        return self.cache[key]


def _check(context: CheckContext) -> Iterator[Hit]:
    units = context.units
    counter: _Counter | None = None
    for index, unit in enumerate(units):
        if unit.kind not in ("body", "heading"):
            continue
        labels: _Labels | None = None
        for declaration in _found(unit.text):
            labels = labels or _Labels(unit.text)
            found = labels.after(declaration.end)
            what = "项列举（一是、二是……）"
            if not found and declaration.end < len(unit.text.rstrip()) and not declaration.speech:
                continue  # 共有5个项目：东城2个，西城3个。 the items are in the sentence, without labels
            if not found:
                counter = counter or _Counter(units)
                found, what = counter.items(index, declaration.speech)
            if found and found != declaration.value:
                yield Hit(
                    f"文中说“{declaration.quote}”，但其后实际是{cn_count(found)}{what}",
                    unit,
                    snippet(unit.text, declaration.start),
                )


RULE = Rule(id="declared-count", title="数量与内容不符", default_severity="error", check=_check)
