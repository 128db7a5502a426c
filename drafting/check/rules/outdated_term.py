"""outdated-term: formulations no longer used, with the suggested replacement."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from drafting.check.rules.base import CheckContext, Covered, Hit, Rule, snippet
from drafting.check.terms import OutdatedTerm, collect_terms


def _terms(context: CheckContext) -> list[OutdatedTerm]:
    if "terms" not in context.cache:
        config = context.config
        context.cache["terms"] = collect_terms(config.term_files, config.builtin_terms)
    return context.cache["terms"]


# a sentence that looks back on what was achieved: 如期打赢脱贫攻坚战, “十三五”时期, 五年来
_REVIEW = re.compile(
    r"如期|胜利|圆满|历史性|决定性|取得了?|实现了|完成了|打赢了|赢得|已经|过去[一二三四五六七八九十两\d]+年"
    r"|[一二三四五六七八九十两\d]+年来|回顾|时期|期间|以来|成果|成就"
)
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _in_review(text: str, ends: list[int], start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] looks back on an achievement."""
    i = bisect_left(ends, start)
    begin = ends[i - 1] + 1 if i > 0 else 0
    stop = ends[i] if i < len(ends) else len(text)
    return _REVIEW.search(text, begin, start) is not None or _REVIEW.search(text, end, stop) is not None


def _check(context: CheckContext) -> Iterator[Hit]:
    # longer terms first, so 工商行政管理局 is reported once rather than also as 工商局
    terms = sorted(_terms(context), key=lambda t: len(t.term), reverse=True)
    for unit in context.units:
        text = unit.text
        covered = Covered(len(text))
        ends: list[int] | None = None
        found: list[tuple[int, OutdatedTerm]] = []
        for term in terms:
            start = text.find(term.term)
            while start != -1:
                end = start + len(term.term)
                if covered.take(start, end):
                    if term.review_ok:
                        ends = ends if ends is not None else [m.start() for m in _SENTENCE_END.finditer(text)]
                        if _in_review(text, ends, start, end):
                            start = text.find(term.term, end)
                            continue
                    found.append((start, term))
                start = text.find(term.term, end)
        for start, term in sorted(found, key=lambda item: item[0]):
            note = f"（{term.note}）" if term.note else ""
            yield Hit(f"“{term.term}”已不再使用，建议改为“{term.replacement}”{note}", unit, snippet(text, start))


RULE = Rule(id="outdated-term", title="过时提法", default_severity="warning", check=_check)
