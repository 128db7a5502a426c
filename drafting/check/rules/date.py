"""date: impossible dates (2026年2月30日), a weekday that does not match its date
(2026年3月6日（星期四）), and dates written in different forms in one document."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from drafting.check.prefilter import needs_of, possible
from drafting.check.rules.base import CheckContext, Hit, Rule, snippet
from drafting.readers.headings import chinese_to_int

_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_D = r"[0-9０-９]"
_C = "[〇零○一二三四五六七八九十]"
_WEEK = r"(?:\s?[（(]?\s?(?:星期|周|礼拜)([一二三四五六日天])\s?[）)]?)?"
_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("arabic", re.compile(rf"(?<!{_D})({_D}{{4}})年({_D}{{1,2}})月({_D}{{1,2}})日{_WEEK}")),
    ("chinese", re.compile(rf"({_C}{{4}})年({_C}{{1,2}})月({_C}{{1,3}})日{_WEEK}")),
    ("dot", re.compile(rf"(?<![0-9.])(\d{{4}})\.(\d{{1,2}})\.(\d{{1,2}})(?![0-9.])")),
    ("dash", re.compile(rf"(?<![0-9-])(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?![0-9-])")),
    ("slash", re.compile(rf"(?<![0-9/])(\d{{4}})/(\d{{1,2}})/(\d{{1,2}})(?![0-9/])")),
]
# a month and day without a year: 2月30日 (checked against the longest month, 29 days for February)
_MONTH_DAY = re.compile(rf"(?<![0-9年])({_D}{{1,2}})月({_D}{{1,2}})日")
_FORM_NEEDS = [needs_of(pattern) for _, pattern in _FORMS]
_MONTH_DAY_NEEDS = needs_of(_MONTH_DAY)
_FORM_NAMES = {"arabic": "“2026年3月6日”", "chinese": "“二〇二六年三月六日”", "dot": "“2026.3.6”", "dash": "“2026-03-06”", "slash": "“2026/3/6”"}
_WEEKDAYS = "一二三四五六日"
# where one form should hold; a speech's byline and the title follow their own conventions
_CONSISTENT = ("body", "heading", "note", "signature", "salutation")


def _number(text: str) -> int | None:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" in text:
        return chinese_to_int(text)
    digits = "".join(_CN_DIGIT.get(c, "") for c in text)
    return int(digits) if len(digits) == len(text) else None


def _date(year: int | None, month: int | None, day: int | None) -> datetime.date | str:
    """The date, or why there is none."""
    if year is None or month is None or day is None:
        return "无法识别"
    if not 1 <= month <= 12:
        return f"没有{month}月"
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return f"{year}年{month}月没有{day}日"


def _check(context: CheckContext) -> Iterator[Hit]:
    first_form: dict[tuple[int, int], str] = {}
    reported: set[tuple[tuple[int, int], str]] = set()
    for unit in context.units:
        text = unit.text
        found: list[tuple[int, str]] = []
        mixed: list[tuple[int, str]] = []  # a matter of style: a warning
        taken: set[int] = set()
        for (form, pattern), needed in zip(_FORMS, _FORM_NEEDS):
            if not possible(needed, text):
                continue
            for match in pattern.finditer(text):
                taken.update(range(match.start(), match.end()))
                value = _date(*(_number(g) for g in match.groups()[:3]))
                shown = match.group(0)
                if isinstance(value, str):
                    found.append((match.start(), f"日期“{shown}”不存在：{value}"))
                    continue
                weekday = match.group(4) if form in ("arabic", "chinese") else None
                if weekday:
                    expected = _WEEKDAYS[value.weekday()]
                    if weekday.replace("天", "日") != expected:
                        found.append((match.start(), f"“{shown}”星期不符：{value.year}年{value.month}月{value.day}日是星期{expected}"))
                document = unit.where[:2]
                used = first_form.setdefault(document, form) if unit.kind in _CONSISTENT else form
                if form != used and unit.kind in _CONSISTENT and (document, form) not in reported:
                    reported.add((document, form))
                    mixed.append((match.start(), f"日期写法不统一：前文用{_FORM_NAMES[used]}的形式，此处为“{shown}”"))
        for match in _MONTH_DAY.finditer(text) if possible(_MONTH_DAY_NEEDS, text) else ():
            if match.start() in taken:
                continue
            month, day = _number(match.group(1)), _number(match.group(2))
            value = _date(2024, month, day)  # a leap year: 2月29日 may be right
            if isinstance(value, str):
                found.append((match.start(), f"日期“{match.group(0)}”不存在：{value.replace('2024年', '')}"))
        for start, message in sorted(found):
            yield Hit(message, unit, snippet(text, start))
        for start, message in mixed:
            yield Hit(message, unit, snippet(text, start), severity="warning")


RULE = Rule(id="date", title="日期", default_severity="error", check=_check)
