"""Landscape attachment pages carry the page number where portrait pages have it on the printed sheet.

The example meeting's notice is built through the CLI and rendered by
LibreOffice. A landscape page is the sheet turned a quarter clockwise, so the
sheet's bottom edge is the page's left short edge: the number runs down that
edge, near the page's bottom on odd pages (右空一字) and near its top on even
pages (左空一字), 7 mm outside the type area.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from drafting.cli import cli
from drafting.docx import DEFAULT_PROFILE
from drafting.docx.profile import mm_to_pt
from rendering import docx_to_pdf, page_number_line, pdf_pages, rotated_page_number

pytestmark = pytest.mark.render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TOLERANCE_PT = 2.5
CHAR_PT = DEFAULT_PROFILE.page_number_size_pt


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("landscape-number")
    meeting = root / "meeting"
    runner = CliRunner()
    assert runner.invoke(cli, ["example", str(meeting)], catch_exceptions=False).exit_code == 0
    assert runner.invoke(cli, ["build", str(meeting), "--only", "notice"], catch_exceptions=False).exit_code == 0
    (docx,) = (meeting / "输出").glob("*.docx")
    return docx, docx_to_pdf(docx, root / "pdf")


def landscape_pages(pdf: Path) -> list[int]:
    return [n for n, page in enumerate(pdf_pages(pdf), start=1) if page.width > page.height]


def test_the_example_notice_has_odd_and_even_landscape_pages(notice):
    numbers = landscape_pages(notice[1])
    assert {n % 2 for n in numbers} == {0, 1}


def test_landscape_page_number_runs_along_the_sheet_bottom_edge(notice):
    pdf = notice[1]
    rotated = DEFAULT_PROFILE.margins.rotated()
    type_left = mm_to_pt(rotated.left_mm)  # the sheet's bottom edge of the type area
    for n in landscape_pages(pdf):
        page = pdf_pages(pdf)[n - 1]
        assert page_number_line(pdf, n) is None, f"page {n}: a number along a long edge"
        number = rotated_page_number(pdf, n)
        assert number is not None, f"page {n}: no number along a short edge"
        assert number.text == f"—{n}—"
        gap_mm = (type_left - number.x_max) / 72 * 25.4
        assert gap_mm == pytest.approx(DEFAULT_PROFILE.page_number_gap_mm, abs=1), f"page {n}"
        assert number.x_min > 0
        if n % 2:  # odd: the sheet's right = the page's bottom, 右空一字
            bottom = page.height - mm_to_pt(rotated.bottom_mm)
            assert bottom - number.y_max == pytest.approx(CHAR_PT, abs=TOLERANCE_PT), f"page {n}"
        else:  # even: the sheet's left = the page's top, 左空一字
            top = mm_to_pt(rotated.top_mm)
            assert number.y_min - top == pytest.approx(CHAR_PT, abs=TOLERANCE_PT), f"page {n}"


def test_landscape_number_lands_on_the_portrait_number_of_the_same_parity(notice):
    """Turned back to portrait (the table's head to the left), the number covers the portrait pages' place."""
    pdf = notice[1]
    pages = pdf_pages(pdf)
    portrait = [n for n in range(1, len(pages) + 1) if pages[n - 1].width < pages[n - 1].height]
    for n in landscape_pages(pdf):
        reference = next(m for m in portrait if m % 2 == n % 2 and page_number_line(pdf, m) is not None)
        upright = page_number_line(pdf, reference)
        number = rotated_page_number(pdf, n)
        sheet_height = pages[reference - 1].height
        # Landscape (x, y) is sheet (y_from_left = y, y_from_top = height - x).
        assert number.y_min == pytest.approx(upright.x_min, abs=TOLERANCE_PT)
        assert number.y_max == pytest.approx(upright.x_max, abs=TOLERANCE_PT)
        assert sheet_height - number.x_max == pytest.approx(upright.y_min, abs=3)


def test_landscape_footers_hold_a_turned_page_field_and_portrait_sections_share_the_first_footers(notice):
    with zipfile.ZipFile(notice[0]) as package:
        body = ET.fromstring(package.read("word/document.xml"))
        rels = ET.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): "word/" + rel.get("Target") for rel in rels.iter(f"{REL}Relationship")}
        sections = list(body.iter(f"{W}sectPr"))
        first = {ref.get(f"{W}type"): ref.get(f"{R}id") for ref in sections[0].iter(f"{W}footerReference")}
        assert set(first) == {"default", "even"}
        landscape_seen = 0
        for sect in sections[1:]:
            size = sect.find(f"{W}pgSz")
            refs = {ref.get(f"{W}type"): ref.get(f"{R}id") for ref in sect.iter(f"{W}footerReference")}
            if size.get(f"{W}orient") == "landscape":
                landscape_seen += 1
                assert set(refs) == {"default", "even"} and not set(refs.values()) & set(first.values())
                for rid in refs.values():
                    footer = package.read(targets[rid]).decode()
                    assert 'vert="vert"' in footer and "<w:txbxContent>" in footer
                    assert "PAGE" in footer and 'relativeFrom="page"' in footer
            elif refs:  # a portrait section with footers of its own carries no number (版记 page) or the first's
                if refs != first:
                    assert all("PAGE" not in package.read(targets[rid]).decode() for rid in refs.values())
        assert landscape_seen >= 1
