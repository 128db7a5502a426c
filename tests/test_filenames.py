"""safe_filename: unit names become file names every OS accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.filenames import MAX_STEM_CHARS, safe_filename, safe_filenames


@pytest.mark.parametrize("char", list('\\/:*?"<>|'))
def test_forbidden_windows_characters_are_replaced(char: str) -> None:
    name = safe_filename(f"区住建局{char}区城管局")
    assert char not in name
    assert name == "区住建局_区城管局.docx"


def test_control_characters_and_line_breaks_are_removed() -> None:
    assert safe_filename("区发改局\n（区统计局）\t") == "区发改局 （区统计局）.docx"


def test_trailing_dots_and_spaces_are_dropped() -> None:
    assert safe_filename("区商务局. . ") == "区商务局.docx"


@pytest.mark.parametrize("reserved", ["CON", "con", "NUL", "com1", "LPT9", "aux.txt"])
def test_reserved_device_names_are_avoided(reserved: str) -> None:
    name = safe_filename(reserved)
    stem = name[: -len(".docx")]
    assert stem.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "AUX"}


def test_long_names_are_capped() -> None:
    name = safe_filename("某" * 500)
    assert name == "某" * MAX_STEM_CHARS + ".docx"
    assert len(name.encode("utf-8")) <= 255


def test_empty_name_gets_a_fallback() -> None:
    assert safe_filename(" ... ") != ".docx"
    assert safe_filename("///").endswith(".docx")
    assert len(safe_filename("")) > len(".docx")


def test_collisions_are_disambiguated_case_insensitively() -> None:
    names = safe_filenames(["区发改局", "区发改局", "区/发改局", "区:发改局", "Unit", "UNIT"])
    assert names == [
        "区发改局.docx",
        "区发改局_2.docx",
        "区_发改局.docx",
        "区_发改局_2.docx",
        "Unit.docx",
        "UNIT_2.docx",
    ]


def test_names_can_really_be_created(tmp_path: Path) -> None:
    # Every produced name is a single path component the OS accepts.
    raw = ['a/b', 'c\\d', 'x:y*z?"<>|', "CON", "  ", "某" * 300, "正常单位"]
    for name in safe_filenames(raw):
        target = tmp_path / name
        target.write_text("ok", encoding="utf-8")
        assert target.parent == tmp_path
        assert target.read_text(encoding="utf-8") == "ok"


@pytest.mark.parametrize(
    "control",
    ["\u202e", "\u202d", "\u202a", "\u200f", "\u200e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\u200b", "\ufeff"],
)
def test_bidi_and_invisible_format_controls_are_removed(control: str) -> None:
    # U+202E would show 区发改局cod.exe as 区发改局exe.doc in a file manager
    name = safe_filename(f"区发{control}改局{control}")
    assert name == "区发改局.docx"


def test_a_spoofed_extension_stays_visible() -> None:
    name = safe_filename("通知\u202excod.exe")
    assert "\u202e" not in name and name == "通知xcod.exe.docx"


def test_lone_surrogates_and_c1_controls_do_not_break_names() -> None:
    name = safe_filename("区\ud800发改局\x85\x9b")
    name.encode("utf-8")  # must not raise
    assert name.startswith("区发改局")


@pytest.mark.parametrize("char", ["某", "😀", "a"])
def test_names_longer_than_the_file_system_allows_are_shortened_and_stay_distinct(char: str, tmp_path: Path) -> None:
    # 300 four-byte emoji are 1,200 bytes; every result must fit in 255 bytes and be creatable
    base = char * 300
    names = safe_filenames([base, base + "甲", base + "乙", base], suffix=".docx")
    assert len({n.casefold() for n in names}) == 4
    for name in names:
        assert len(name.encode("utf-8")) <= 255
        (tmp_path / name).write_bytes(b"ok")
    assert len(list(tmp_path.iterdir())) == 4


def test_ten_thousand_names_are_distinct() -> None:
    # many duplicates, names that look like counters, case variants and names that shorten to the same stem
    raw = []
    for i in range(10_000):
        kind = i % 5
        if kind == 0:
            raw.append("区发改局")
        elif kind == 1:
            raw.append(f"区发改局_{i // 5 + 2}")
        elif kind == 2:
            raw.append("UNIT" if i % 2 else "unit")
        elif kind == 3:
            raw.append("某" * 70 + str(i))  # differs only after the 60-character cap
        else:
            raw.append(f"单位{i}")
    names = safe_filenames(raw)
    assert len(names) == 10_000
    assert len({n.casefold() for n in names}) == 10_000
    assert names[0] == "区发改局.docx" and names[4] == "单位4.docx"
