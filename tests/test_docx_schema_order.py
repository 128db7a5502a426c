"""Generated files keep OOXML's child-element order, which Word requires and LibreOffice forgives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from ooxml_order import W, order_problems

from drafting.build import BuildOptions, plan_build, write_plan
from drafting.example import write_example

PARTS = ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("order") / "会议"
    write_example(folder)
    plan = plan_build(folder, BuildOptions(combined=True))
    write_plan(plan)
    return [o.path for o in plan.outputs]


def parts(docx: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(docx) as archive:
        names = set(archive.namelist())
        return {name: etree.fromstring(archive.read(name)) for name in names if name.startswith("word/") and name.endswith(".xml")}


def test_every_part_of_every_output_is_in_schema_order(built: list[Path]) -> None:
    checked = 0
    for docx in built:
        for name, root in parts(docx).items():
            assert order_problems(root) == [], f"{docx.name} {name}"
            checked += 1
    assert checked >= len(built) * 3


def test_even_and_odd_headers_sits_where_the_settings_schema_puts_it(built: list[Path]) -> None:
    # CT_Settings: ... defaultTabStop … evenAndOddHeaders … characterSpacingControl … compat …
    for docx in built:
        settings = parts(docx)["word/settings.xml"]
        names = [child.tag[len(W):] for child in settings if isinstance(child.tag, str) and child.tag.startswith(W)]
        assert "evenAndOddHeaders" in names
        position = names.index("evenAndOddHeaders")
        for before in ("zoom", "proofState", "defaultTabStop"):
            if before in names:
                assert names.index(before) < position, (docx.name, before)
        for after in ("characterSpacingControl", "compat", "rsids", "themeFontLang", "decimalSymbol"):
            if after in names:
                assert names.index(after) > position, (docx.name, after)


def test_the_order_check_can_fail() -> None:
    bad = etree.fromstring(f'<w:pPr xmlns:w="{W[1:-1]}"><w:jc w:val="left"/><w:spacing w:line="579"/></w:pPr>')
    assert order_problems(bad) == ["pPr: <w:spacing> out of order"]
