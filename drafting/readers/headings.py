"""Recognise heading numbers (一、 （一） 1. （1） and their variants) in plain text.

Shared by the readers (to build ``Heading`` blocks) and the numbering rule (to
compare numbers). GB/T 9704 levels: 一、 → 1, （一） → 2, 1. → 3, （1） → 4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[一二三四五六七八九十〇零两]"

# (level, style, pattern). The style names a written variant; the first one per
# level is the standard form, the others are variants flagged as mixed styles.
_PATTERNS: list[tuple[int, str, re.Pattern[str]]] = [
    (1, "一、", re.compile(rf"^({CN_NUMERAL}{{1,3}})、")),
    (1, "一.", re.compile(rf"^({CN_NUMERAL}{{1,3}})[.．](?!\d)")),
    (2, "（一）", re.compile(rf"^（({CN_NUMERAL}{{1,3}})）")),
    (2, "(一)", re.compile(rf"^\(({CN_NUMERAL}{{1,3}})\)")),
    (3, "1.", re.compile(r"^(\d{1,2})\.(?![\d%])")),
    (3, "1．", re.compile(r"^(\d{1,2})．(?![\d%])")),
    (3, "1、", re.compile(r"^(\d{1,2})、")),
    (4, "（1）", re.compile(r"^（(\d{1,2})）")),
    (4, "(1)", re.compile(r"^\((\d{1,2})\)")),
]

STANDARD_STYLE = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


@dataclass(frozen=True)
class HeadingNumber:
    level: int
    style: str  # e.g. "1." or the variant "1、"
    value: int
    number: str  # the number text as written, e.g. "（三）"


def chinese_to_int(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23; None when not a numeral up to 99."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones:
            return None
        t = 1 if tens == "" else _CN_DIGITS.get(tens)
        o = 0 if ones == "" else _CN_DIGITS.get(ones)
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    return None


# what a heading number starts with: a Chinese numeral, a bracket or a digit (``\d``: str.isdecimal)
_FIRST = frozenset("一二三四五六七八九十〇零两（(")


def parse_heading_number(text: str) -> tuple[HeadingNumber, str] | None:
    """Split a leading heading number from ``text``: (number, rest) or None."""
    stripped = text.lstrip()
    first = stripped[:1]
    if first not in _FIRST and not first.isdecimal():
        return None  # no pattern can match (most paragraphs)
    for level, style, pattern in _PATTERNS:
        match = pattern.match(stripped)
        if not match:
            continue
        value = chinese_to_int(match.group(1))
        if value is None or value == 0:
            continue
        rest = stripped[match.end():].lstrip()
        if not rest:
            continue  # a bare number is not a heading
        return HeadingNumber(level, style, value, match.group(0)), rest
    return None


def parse_number_text(number: str) -> HeadingNumber | None:
    """Parse a Heading.number as stored in the model (no text after it)."""
    parsed = parse_heading_number(number + "x")
    return parsed[0] if parsed else None


# 一、二季度 / 1、2月份 / 二、三产业: the next number and what may follow it in such a list.
_LIST_NEXT = {
    "一、": re.compile(rf"({CN_NUMERAL}{{1,3}})[、季月产号期批类级线和及至到]"),
    "1、": re.compile(r"(\d{1,2})[、季月产号期批类级线和及至到]"),
}


def opens_number_list(number: HeadingNumber, rest: str) -> bool:
    """Whether ``number`` + ``rest`` reads as a list of numbers (一、二季度), not a heading number."""
    pattern = _LIST_NEXT.get(number.style)
    match = pattern.match(rest) if pattern else None
    return match is not None and chinese_to_int(match.group(1)) == number.value + 1
