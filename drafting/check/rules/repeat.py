"""repeat: the same paragraph, or the same sentence, written twice."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.check.rules.base import CheckContext, Hit, Rule, snippet
from drafting.check.units import Unit

MIN_PARAGRAPH = 10  # shorter paragraphs (同志们：, 特此通报。) repeat legitimately
MIN_SENTENCE = 12
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub("", text)


def _where(unit: Unit) -> str:
    return f"第{unit.paragraph}段" if unit.paragraph is not None else "前文"


def _check(context: CheckContext) -> Iterator[Hit]:
    paragraphs: dict[str, Unit] = {}
    sentences: dict[str, Unit] = {}
    part = 0
    for unit in context.units:
        if unit.part != part:  # each letter of a combined file is its own document
            part, paragraphs, sentences = unit.part, {}, {}
        if unit.kind != "body":
            continue
        text = _normal(unit.text)
        if len(text) >= MIN_PARAGRAPH:
            first = paragraphs.get(text)
            if first is not None:
                yield Hit(f"本段与{_where(first)}完全相同", unit, snippet(unit.text))
                continue
            paragraphs[text] = unit
        offset = 0
        for sentence in _SENTENCE_END.split(unit.text):
            key = _normal(sentence)
            if len(key) >= MIN_SENTENCE:
                first = sentences.get(key)
                if first is not None and first is not unit:
                    yield Hit(f"句子与{_where(first)}重复：“{snippet(sentence.strip(), 0, 30)}”", unit, snippet(unit.text, offset))
                elif first is unit:
                    yield Hit("同一段内句子重复", unit, snippet(unit.text, offset))
                else:
                    sentences[key] = unit
            offset += len(sentence)


RULE = Rule(id="repeat", title="重复语句", default_severity="warning", check=_check)
