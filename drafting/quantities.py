"""Figures in running text: numbers with their units (560亿元, 40个, 85.3%, 四成) and the words before them.

Used to mark the paragraphs of an old speech that hold figures (``drafting outline``)
and to pair the figures of two drafts by their context (``drafting compare``).
Dates (2026年3月6日), years, ordinals (第3) and plan names (十四五) are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest first, so 万亿元 wins over 亿元 and 个百分点 over 个.
UNITS = sorted(
    (
        "万亿元 亿元 万元 千元 元 亿美元 万美元 美元 亿 万 个百分点 百分点 % ％ 倍 个 项 家 所 户 人次 万人 人 名 位 "
        "万亩 亩 万平方米 平方米 平方公里 公顷 公里 千米 米 万吨 吨 套 座 条 次 台 辆 件 栋 间 张 批 场 "
        "万千瓦 千瓦时 千瓦 兆瓦 天 小时 处 片 宗 笔 类 支 起 例"
    ).split(),
    key=len,
    reverse=True,
)
_UNIT = "|".join(re.escape(u) for u in UNITS)
_CN = "[零〇一二三四五六七八九十百千两]"
_ARABIC = re.compile(
    rf"(?<![\d.０-９A-Za-z第])(\d+(?:[,，]\d{{3}})*(?:\.\d+)?|[０-９]+(?:[.．][０-９]+)?)"
    rf"(多|余)?((?:[万亿](?:多|余)?)?(?:{_UNIT}))?"
)
_CHINESE = re.compile(rf"(百分之{_CN}+(?:点{_CN}+)?)|({_CN}+(?:点{_CN}+)?)(成|倍|个百分点)")
# After an Arabic number, these make it a date or an ordinal, not a figure.
_NOT_FIGURE_AFTER = re.compile(r"^(?:年|月|日|号|季度|时|点|周|届|期|版|楼|层|号线|\.\d|[.．](?!\d)|、|）|\))")
_CONTEXT_CHARS = 8
_CLAUSE_END = "，。；：！？、,;:!?（）()“”\"'《》"
_DIGITS = re.compile(r"[\d０-９.．,，%％]+")


@dataclass(frozen=True)
class Quantity:
    """A figure in a text: what is written (``text``), its number and unit, and where."""

    text: str
    number: str
    unit: str
    start: int
    end: int
    context: str  # up to eight characters before it in its clause, digits removed

    @property
    def key(self) -> str:
        """What the figure measures: its context and unit (总投资|亿元)."""
        return f"{self.context}|{self.unit}"


def _context(text: str, start: int) -> str:
    begin = start
    while begin > 0 and text[begin - 1] not in _CLAUSE_END and start - begin < _CONTEXT_CHARS * 2:
        begin -= 1
    return _DIGITS.sub("", text[begin:start])[-_CONTEXT_CHARS:]


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text``, in order."""
    found: list[Quantity] = []
    for match in _ARABIC.finditer(text):
        number, approx, unit = match.group(1), match.group(2) or "", match.group(3) or ""
        after = text[match.end(1) :]
        if not unit and _NOT_FIGURE_AFTER.match(after):
            continue
        if not unit and len(number) == 4 and number.startswith(("19", "20")):
            continue  # a year written without 年 (2026—2030)
        found.append(
            Quantity(
                text=match.group(0),
                number=number + approx,
                unit=unit,
                start=match.start(),
                end=match.end(),
                context=_context(text, match.start()),
            )
        )
    for match in _CHINESE.finditer(text):
        if match.group(1):
            number, unit = match.group(1), "%"
        else:
            number, unit = match.group(2), match.group(3)
        found.append(
            Quantity(
                text=match.group(0),
                number=number,
                unit=unit,
                start=match.start(),
                end=match.end(),
                context=_context(text, match.start()),
            )
        )
    found.sort(key=lambda q: q.start)
    return found
