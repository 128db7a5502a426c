"""Word's automatic numbering: the number (一、 （一） 1.) Word shows before a paragraph but that is not in its text.

python-docx reads a paragraph's text only; a heading numbered by a numbering
definition (numbering.xml) would be read without its 一、. ``AutoNumbers`` walks
the paragraphs in document order, keeps one counter per list and level, and
renders each level's ``w:lvlText`` (%1、, （%2）, %1.%2) in its ``w:numFmt``.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from drafting.numbering import cn_numeral

_LEVELS = 9
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """``n`` in a Word number format (decimal, chineseCounting, …); unknown formats as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "ideographTraditional"):
        return cn_numeral(n) if 0 <= n <= 99999 else str(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL[int(d)] for d in str(n)) if n >= 10 else _LEGAL[n]
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


def _val(element: Any, tag: str, default: str | None = None) -> str | None:
    node = element.find(qn(tag)) if element is not None else None
    return node.get(qn("w:val"), default) if node is not None else default


class AutoNumbers:
    """Labels of automatically numbered paragraphs, asked in document order."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → ilvl → (start, fmt, text)
        self._counters: dict[str, list[int | None]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in numbering.findall(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = {
                int(lvl.get(qn("w:ilvl"), "0")): self._level(lvl) for lvl in node.findall(qn("w:lvl"))
            }
        for num in numbering.findall(qn("w:num")):
            levels = dict(abstract.get(_val(num, "w:abstractNumId") or "", {}))
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = _val(override, "w:startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (int(start), levels[ilvl][1], levels[ilvl][2])
            self._levels[num.get(qn("w:numId"))] = levels

    @staticmethod
    def _level(lvl: Any) -> tuple[int, str, str]:
        return int(_val(lvl, "w:start", "1") or 1), _val(lvl, "w:numFmt", "decimal") or "decimal", _val(lvl, "w:lvlText", "") or ""

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        candidates = [paragraph._p.pPr]
        style = paragraph.style
        depth = 0
        while style is not None and depth < 10:
            candidates.append(style.element.pPr)
            style, depth = style.base_style, depth + 1
        num_id: str | None = None
        ilvl: str | None = None
        for ppr in candidates:
            pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if pr is None:
                continue
            num_id = num_id or _val(pr, "w:numId")
            ilvl = ilvl or _val(pr, "w:ilvl")
            if num_id is not None:
                break
        if num_id is None or num_id == "0":
            return None
        return num_id, int(ilvl or 0)

    def label(self, paragraph: Any) -> str:
        """The number Word shows before ``paragraph`` ("" when none); advances the counters."""
        if not self._levels:
            return ""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels or not 0 <= ilvl < _LEVELS:
            return ""
        counters = self._counters.setdefault(num_id, [None] * _LEVELS)
        start, fmt, text = levels[ilvl]
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        if fmt in ("bullet", "none"):
            return ""
        label = text
        for level in range(_LEVELS, 0, -1):
            placeholder = f"%{level}"
            if placeholder in label:
                spec = levels.get(level - 1, (1, "decimal", ""))
                value = counters[level - 1]
                label = label.replace(placeholder, format_number(value if value is not None else spec[0], spec[1]))
        return label.strip()
