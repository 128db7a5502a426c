"""punctuation (GB/T 15834): half-width marks in Chinese text, unpaired quotes and brackets,
doubled or mixed marks, the wrong ellipsis, and headings that end with the wrong mark.

Numbers (3.5, 1,000), English and web addresses are left alone: a half-width mark
is reported only with Chinese on its left and Chinese (or, for , ; :, a digit) on its right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.check.prefilter import needs_of, possible
from drafting.check.rules.base import CheckContext, Covered, Hit, Rule, snippet
from drafting.check.units import Unit
from drafting.document import Heading

_CJK = "\u4e00-\u9fff"
_CJK_END = rf"[{_CJK}”’）》]"
_FULL = {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_CHECKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)"), "ellipsis"),
    (re.compile(rf"(?<={_CJK_END})[,;:]\s*(?=[{_CJK}“‘（《\d])|(?<={_CJK_END})[.!?]\s*(?=[{_CJK}“‘（《])"), "half"),
    (re.compile(rf"(?<={_CJK_END})[.!?,;:]$"), "half"),
    (re.compile(rf"\((?=[^()]{{0,30}}[{_CJK}])[^()]{{0,60}}\)|(?<=[{_CJK}])[()](?=[{_CJK}])"), "paren"),
    (re.compile(r"([。，、；：])\1|[，、；：][。，、；：]|。[，、；：]"), "doubled"),
]
_NEEDS = [needs_of(pattern) for pattern, _ in _CHECKS]
# every match of _CHECKS holds a half-width mark, an ellipsis or two marks in a row: most paragraphs hold none
_ANY = re.compile(r"[,;:.!?()…]|[。，、；：]{2}")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "〔": "〕", "【": "】"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_MARKS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")
_NAMES = {
    "“": "前引号", "”": "后引号", "‘": "单前引号", "’": "单后引号", "（": "前括号", "）": "后括号",
    "《": "前书名号", "》": "后书名号", "〔": "前六角括号", "〕": "后六角括号", "【": "前方头括号", "】": "后方头括号",
}


def _unpaired(text: str) -> tuple[int, str] | None:
    """The first mark in ``text`` without its partner: (position, mark), or None."""
    stack: list[tuple[int, str]] = []
    for match in _MARKS.finditer(text):
        position, char = match.start(), match.group()
        if char in _PAIRS:
            stack.append((position, char))
        elif char in _CLOSERS:
            if stack and stack[-1][1] == _CLOSERS[char]:
                stack.pop()
            elif any(mark == _CLOSERS[char] for _, mark in stack):
                return stack[-1]  # an inner mark was left open: （“…）
            else:
                return position, char
    return stack[0] if stack else None


def _heading_end(unit: Unit) -> str | None:
    heading = unit.block
    if not isinstance(heading, Heading) or heading.run_in or not heading.text:
        return None
    last = heading.text[-1]
    body = heading.text[:-1]
    if len(body) > 30 or any(mark in body for mark in "。；，"):
        return None  # 一、同意……。 in a 复函 is a numbered paragraph, not a heading
    if heading.level == 1 and last in "。；，、：":
        return f"一级标题单独成行，末尾不加“{last}”"
    if heading.level > 1 and last in "，、":  # （一）……； as a list item is common and accepted
        return f"标题末尾不应是“{last}”：单独成行的标题不加标点，接排正文的标题句末用“。”"
    return None


def _message(kind: str, found: str) -> str:
    if kind == "ellipsis":
        return f"省略号应为“……”（两个“…”），不用“{found}”"
    if kind == "paren":
        return f"括注中文应使用全角括号“（）”，此处为半角“{found[:12]}”"
    if kind == "half":
        mark = found.strip()
        return f"中文中应使用全角标点“{_FULL.get(mark, mark)}”，此处为半角“{mark}”"
    return f"标点重复或连用：“{found}”"


def _check(context: CheckContext) -> Iterator[Hit]:
    for unit in context.units:
        if unit.kind == "table":
            continue  # cells are joined with separators of our own
        text = unit.text
        found: list[tuple[int, str]] = []
        if _ANY.search(text):
            covered = Covered(len(text))
            for (pattern, kind), needed in zip(_CHECKS, _NEEDS):
                if not possible(needed, text):
                    continue
                for match in pattern.finditer(text):
                    if covered.take(*match.span()):
                        found.append((match.start(), _message(kind, match.group(0))))
        if unit.kind != "byline":
            pair = _unpaired(text)
            if pair is not None:
                position, mark = pair
                partner = _PAIRS.get(mark) or _CLOSERS[mark]
                found.append((position, f"本段有未配对的{_NAMES[mark]}（{mark}），缺少{_NAMES[partner]}（{partner}）"))
        for position, message in sorted(found):
            yield Hit(message, unit, snippet(text, position))
        if unit.kind == "heading":
            end = _heading_end(unit)
            if end:
                yield Hit(end, unit, snippet(text, len(text) - 1), severity="warning")


RULE = Rule(id="punctuation", title="标点符号", default_severity="error", check=_check)
