"""placeholder: stand-ins left in a draft (XX, ××, ○○, X书记, ＿＿＿, 【】, {{ }}, 此处填写)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.check.rules.base import CheckContext, Covered, Hit, Rule, snippet

_X = "XxＸｘ×"
_CJK = "\u4e00-\u9fff"
# (pattern, what it is, the characters any match of it contains: texts without one are skipped).
# Patterns are compiled on first use: the X patterns take milliseconds and most drafts have no X.
_PATTERNS: list[tuple[str, str, str]] = [
    # XX standing alone, or after digits before a date unit: 20XX年
    # XX standing alone, or after digits before a date unit or a 发文字号 bracket: 20XX年, 〔20XX〕, [20xx]
    (
        rf"(?<![A-Za-z0-9])[{_X}]{{2,}}(?![A-Za-z])|(?<=\d)[{_X}]{{2,}}(?=[年月日号〕\]】）)])",
        "连续的 X 占位符",
        _X,
    ),
    # × standing for a figure before % or any other non-Chinese mark: 近×%, 增长×，; not 3×5
    (
        rf"(?<![0-9０-９.A-Za-z])[×ＸX](?=[%％‰])|(?<=[{_CJK}])×(?=[^{_CJK}A-Za-z0-9０-９]|$)",
        "× 代替的数字",
        "×ＸX",
    ),
    # a single X beside a Chinese character: X书记, X市, 第X项, X月X日; not Ctrl+X剪切, iPhone X手机, 长×宽
    (
        (
            rf"(?<![A-Za-zＡ-Ｚａ-ｚ0-9.×+\-])(?<![A-Za-z] )(?<![长宽高深厚])[XＸ×](?=[{_CJK}])(?!光|射线|线|[长宽高深厚])"
            rf"|(?<=[{_CJK}])[XＸ](?![A-Za-zＡ-Ｚａ-ｚ0-9]|光|射线|线)"
        ),
        "单个 X 代替的名称或数字",
        "XＸ×",
    ),
    (r"[○◯]{2,}", "○○ 占位符", "○◯"),
    (r"[_＿]{2,}", "下划线空格", "_＿"),
    (r"【[^】]{0,20}】", "【】标记", "【"),
    (r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\}\}|\{%|%\}", "未处理的模板标记", "{}"),
    (r"此处(?:填写|填入|补充|插入)|待(?:补充|填写|核实)|某年某月|某月某日", "待填写的提示语", "此待某"),
    (r"？{2,}|\?{2,}", "问号占位", "？?"),
]


_NEEDS = [re.compile(f"[{re.escape(chars)}]") for _, _, chars in _PATTERNS]
_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(source: str) -> re.Pattern[str]:
    pattern = _COMPILED.get(source)
    if pattern is None:
        pattern = _COMPILED[source] = re.compile(source)
    return pattern


# a text without any of these characters has no placeholder (nor 某某, below)
_TRIGGERS = re.compile(f"[{re.escape(''.join(chars for _, _, chars in _PATTERNS))}]")

# 某某 as a blank (某某同志通报了, 某某县作了发言): only a warning, as real drafts anonymise names this way
_SOMEONE = re.compile(r"某某")


def _known(text: str, start: int, names: frozenset[str]) -> bool:
    """Whether the 某某 at ``start`` is part of a name the meeting itself uses (某某区, 张某某)."""
    for name in names:
        offset = name.find("某某")
        if text.startswith(name, start - offset) and start >= offset:
            return True
    return False


def _check(context: CheckContext) -> Iterator[Hit]:
    names = context.config.known_names
    for unit in context.units:
        text = unit.text
        if not _TRIGGERS.search(text):
            continue
        covered = Covered(len(text))
        found: list[tuple[int, str, str]] = []
        for (source, what, _), needs in zip(_PATTERNS, _NEEDS):
            if not needs.search(text):
                continue
            for match in _compiled(source).finditer(text):
                if covered.take(*match.span()):
                    found.append((match.start(), match.group(0), what))
        for start, leftover, what in sorted(found):
            yield Hit(f"疑似未替换的占位内容“{leftover}”（{what}），请填写实际内容", unit, snippet(text, start))
        for match in _SOMEONE.finditer(text):
            if covered.free(*match.span()) and not _known(text, match.start(), names):
                yield Hit(
                    "“某某”疑似代替真实名称的占位，请填写实际名称",
                    unit,
                    snippet(text, match.start()),
                    severity="warning",
                )


RULE = Rule(id="placeholder", title="占位符残留", default_severity="error", check=_check)
