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
