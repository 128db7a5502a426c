"""number-usage (GB/T 15835): Chinese and Arabic numerals mixed in one number (二0二五年, 百分之5,
3百万), redundant approximations (约……左右, 超过……以上), and ranges written with different marks
in one document (3—5年 here, 3~5年 there)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.check.prefilter import needs_of, possible
from drafting.check.rules.base import CheckContext, Covered, Hit, Rule, snippet

_CN = "〇零一二三四五六七八九"
_MIXED: list[tuple[re.Pattern[str], str]] = [
    # a year or figure that mixes the two kinds of digits: 二0二五年, 2〇26年, 二零2六
    (re.compile(rf"(?:[{_CN}][0-9０-９Oo]|[0-9０-９][{_CN}])[{_CN}0-9０-９Oo]*(?=年)|[{_CN}]+[0-9０-９]+[{_CN}]+"), "年份或数字中汉字数字与阿拉伯数字混用"),
    (re.compile(r"百分之[0-9０-９]+(?:\.\d+)?"), "“百分之”后应写汉字数字，或改用“%”"),
    (re.compile(r"(?<![0-9.])[0-9]+[十百千](?![米克瓦伏帕赫焦卡字])"), "阿拉伯数字不与“十、百、千”连用（可用“万、亿”）"),
]
# 约/大约/近 … 左右; 超过/多于 … 以上: say the approximation once
_REDUNDANT = re.compile(
    r"(?:大约|约|近|将近)(?:为|有|达|达到)?[0-9０-９.%％一二三四五六七八九十百千万亿两〇零]+[^，。；：、\s]{0,6}?左右"
    r"|(?:超过|多于|高于)[0-9０-９.一二三四五六七八九十百千万亿两]+[^，。；：、\s]{0,6}?以上"
)
# 3—5年, 3~5个月, 10%-15%: the mark between the two figures of a range
_RANGE = re.compile(r"(?<![0-9０-９.:：/-])\d{1,4}(?:\.\d+)?[%％]?\s?([—–\-－~～〜])\s?\d{1,4}(?:\.\d+)?(?=[%％年月日个天亿万元项家人次倍层米公周小])")
_MIXED_NEEDS = [needs_of(pattern) for pattern, _ in _MIXED]
_REDUNDANT_NEEDS = needs_of(_REDUNDANT)
_RANGE_NEEDS = needs_of(_RANGE)
_RANGE_NAMES = {"—": "一字线“—”", "–": "短横“–”", "-": "半字线“-”", "－": "全角“－”", "~": "半角“~”", "～": "浪纹线“～”", "〜": "浪纹线“〜”"}


def _check(context: CheckContext) -> Iterator[Hit]:
    first_range: dict[tuple[int, int], str] = {}  # the mark the document uses first, per document
    reported: set[tuple[tuple[int, int], str]] = set()
    for unit in context.units:
        text = unit.text
        covered = Covered(len(text))
        found: list[tuple[int, str]] = []
        for (pattern, what), needed in zip(_MIXED, _MIXED_NEEDS):
            if not possible(needed, text):
                continue
            for match in pattern.finditer(text):
                if covered.take(*match.span()):
                    found.append((match.start(), f"“{match.group(0)}”：{what}"))
        for match in _REDUNDANT.finditer(text) if possible(_REDUNDANT_NEEDS, text) else ():
            if covered.take(*match.span()):
                word = "左右" if match.group(0).endswith("左右") else "以上"
                found.append((match.start(), f"“{match.group(0)}”表意重复：已有约数词，去掉“{word}”或前面的约数词"))
        mixed: list[tuple[int, str]] = []  # a matter of consistency: a warning
        document = unit.where[:2]
        for match in _RANGE.finditer(text) if possible(_RANGE_NEEDS, text) else ():
            mark = match.group(1)
            used = first_range.setdefault(document, mark)
            if mark != used and (document, mark) not in reported:
                reported.add((document, mark))
                mixed.append(
                    (
                        match.start(),
                        f"数值范围写法不统一：前文用{_RANGE_NAMES[used]}，此处“{match.group(0)}”用{_RANGE_NAMES[mark]}",
                    )
                )
        for start, message in sorted(found):
            yield Hit(message, unit, snippet(text, start))
        for start, message in mixed:
            yield Hit(message, unit, snippet(text, start), severity="warning")


RULE = Rule(id="number-usage", title="数字用法", default_severity="error", check=_check)
