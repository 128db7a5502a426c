"""The kinds of document a build makes (``--only``): their names, Chinese labels and parsing.

Kept apart from ``drafting.build`` so that ``drafting build`` can check its options before the
build path is imported.
"""

from __future__ import annotations

KINDS = ("speech", "letters", "notice", "call", "minutes")
# What each kind of --only is called in Chinese (forms, lists, messages)
KIND_LABELS = {"speech": "讲话稿", "letters": "目标责任书", "notice": "进度通报", "call": "会议通知", "minutes": "会议纪要"}


def parse_kinds(text: str) -> frozenset[str]:
    """``--only`` as typed (speech,letters or with full-width commas); empty means every kind; ValueError in Chinese."""
    kinds = {part.strip() for part in text.replace("，", ",").split(",") if part.strip()}
    if not kinds:
        return frozenset(KINDS)
    unknown = kinds - set(KINDS)
    if unknown:
        raise ValueError(f"未知的文件种类：{'、'.join(sorted(unknown))}（可选 {'、'.join(KINDS)}）")
    return frozenset(kinds)
