"""doc-number: a 发文字号 written 某政发[2026]12号, (2026), 【2026】, 第12号 or 012号 instead of 某政发〔2026〕12号."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.check.prefilter import needs_of, possible
from drafting.check.rules.base import CheckContext, Hit, Rule, snippet

# organ abbreviation, the year in some bracket, an optional 第, the serial number, 号
_NUMBER = re.compile(
    r"(?<=[\u4e00-\u9fff])\s?([〔\[［【(（〖{｛<＜])\s?(\d{4})\s?([〕\]］】)）〗}｝>＞])\s?(第?)\s?(\d{1,5})号"
)

_NEEDS = needs_of(_NUMBER)


def problems(match: re.Match[str]) -> list[str]:
    """What is wrong with one 发文字号 (empty when it is right)."""
    found: list[str] = []
    opening, year, closing, ordinal, serial = match.groups()
    if opening != "〔" or closing != "〕":
        found.append(f"年份应括以六角括号“〔{year}〕”，不用“{opening}{closing}”")
    if ordinal:
        found.append("序号前不加“第”")
    if len(serial) > 1 and serial.startswith("0"):
        found.append(f"序号不编虚位，“{serial}号”应为“{int(serial)}号”")
    if re.search(r"\s", match.group(0)):
        found.append("发文字号中间不空格")
    return found


def _check(context: CheckContext) -> Iterator[Hit]:
    units = list(context.units)
    header = context.document.red_header
    for unit in units:
        if not possible(_NEEDS, unit.text):
            continue
        for match in _NUMBER.finditer(unit.text):
            issues = problems(match)
            if issues:
                yield Hit(f"发文字号格式不规范：{'；'.join(issues)}（应写作“某政发〔2026〕12号”）", unit, snippet(unit.text, match.start()))
    if header is not None and header.number:  # the 版头's own number, when the model holds it apart from the text
        for match in _NUMBER.finditer(header.number):
            issues = problems(match)
            if issues:
                yield Hit(f"版头发文字号格式不规范：{'；'.join(issues)}", None, header.number)


RULE = Rule(id="doc-number", title="发文字号格式", default_severity="error", check=_check)
