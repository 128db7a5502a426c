"""One judged point of a house-file check, its statuses, and the font helpers the checks share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from drafting.docx.package import KNOWN_FONTS

OK, WARNING, INFO, ERROR = "ok", "warning", "info", "error"
TOPICS = {"page": "页面", "grid": "行数和字数", "fonts": "字体", "page_numbers": "页码", "marker": "正文位置", "fields": "字段"}
SPACES = " \u3000\t"


@dataclass(frozen=True)
class Item:
    """One judged point of the report."""

    topic: str  # a key of TOPICS
    label: str
    value: str  # what the file has, in Chinese
    status: str  # ok | warning | info | error
    expected: str = ""  # what GB/T 9704 asks, when the value differs


class _HasFont(Protocol):
    east_asia: str | None
    latin: str | None
    size_pt: float | None


def family(name: str | None) -> str | None:
    """The face a font name falls back to in the end (仿宋_GB2312 → 仿宋 → FangSong), so equivalent names compare equal."""
    seen: set[str] = set()
    while name and name in KNOWN_FONTS and KNOWN_FONTS[name].alt_name and name not in seen:
        seen.add(name)
        name = KNOWN_FONTS[name].alt_name
    return name


def font_text(font: _HasFont) -> str:
    size = f"{font.size_pt:g} 磅" if font.size_pt else "字号未设"
    latin = f"，西文 {font.latin}" if font.latin and font.latin != font.east_asia else ""
    return f"{font.east_asia or '未设中文字体'}{latin}，{size}"


def format_mm(value: float | None) -> str:
    return "未设" if value is None else f"{value:.1f}".removesuffix(".0")
