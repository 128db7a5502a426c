"""The confused-word list: corpus/confused_words.yaml, each entry with its context pattern and reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from drafting.errors import InputError, Location
from drafting.resources import corpus_dir


@dataclass(frozen=True)
class ConfusedWord:
    wrong: str
    right: str
    pattern: re.Pattern[str]
    context: str
    reason: str
    level: str = "error"
    wrong_example: str = ""
    right_example: str = ""


def builtin_confused_file() -> Path:
    return corpus_dir() / "confused_words.yaml"


def load_confused_words(path: Path | None = None) -> list[ConfusedWord]:
    """Read a confused-word list; InputError names the entry that is wrong."""
    path = path or builtin_confused_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取易混词清单：{exc}", Location(file=path)) from exc
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError("易混词清单应为 entries: 下的列表", Location(file=path, field="entries"))
    words: list[ConfusedWord] = []
    for index, entry in enumerate(entries, start=1):
        where = Location(file=path, field=f"entries 第{index}项")
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("wrong", "right", "pattern", "reason")):
            raise InputError("每项应写 wrong、right、pattern、reason", where)
        try:
            pattern = re.compile(str(entry["pattern"]))
        except re.error as exc:
            raise InputError(f"pattern 不是有效的正则表达式：{exc}", where) from exc
        level = str(entry.get("level") or "error")
        if level not in ("error", "warning", "info"):
            raise InputError(f"level“{level}”无效（可用：error、warning、info）", where)
        words.append(
            ConfusedWord(
                wrong=str(entry["wrong"]),
                right=str(entry["right"]),
                pattern=pattern,
                context=str(entry.get("context") or ""),
                reason=str(entry["reason"]),
                level=level,
                wrong_example=str(entry.get("wrong_example") or ""),
                right_example=str(entry.get("right_example") or ""),
            )
        )
    return words
