"""Every generated document kind, rendered through LibreOffice: every character shows, nothing is added.

This is the test that catches lost punctuation (a 、 hanging at the end of an
indented first line used to vanish) and text clipped out of cells or frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from drafting.build import BuildOptions, plan_build
from drafting.docx import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, write_docx
from drafting.example import write_example
from drafting.docx.tablelayout import is_figure
from drafting.docx.profile import mm_to_pt
from rendering import PAGE_NUMBER, docx_table_cells, docx_to_pdfs, docx_text, pdf_pages, pdf_pages_text, text_difference

pytestmark = pytest.mark.render


@dataclass(frozen=True)
class Rendered:
    docx: Path
    pdf: Path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """The example meeting's speech, first letter, notice and 合订本, in normal and large type; one LibreOffice run."""
    root = tmp_path_factory.mktemp("render-text")
    write_example(root / "meeting")
    plan = plan_build(root / "meeting", BuildOptions(combined=True))
    letters = [o for o in plan.outputs if o.kind == "letter"]
    chosen = {
        "speech": next(o for o in plan.outputs if o.kind == "speech").document,
        "letter": next(o for o in letters if o.unit is not None).document,
        "notice": next(o for o in plan.outputs if o.kind == "notice").document,
        "combined": next(o for o in letters if o.unit is None).document,
    }
    paths = {}
    for name, document in chosen.items():
        for size, profile in (("normal", DEFAULT_PROFILE), ("large", SPEECH_LARGE_PROFILE)):
            path = root / f"{name}-{size}.docx"
            write_docx(document, path, profile)
            paths[f"{name}-{size}"] = path
    for letter in letters:
        if letter.unit is not None:
            paths[f"unit-{letter.unit}"] = root / f"unit-{len(paths)}.docx"
            write_docx(letter.document, paths[f"unit-{letter.unit}"])
    pdfs = docx_to_pdfs(list(paths.values()), root / "pdf")
    return {key: Rendered(path, pdf) for (key, path), pdf in zip(paths.items(), pdfs)}


KEYS = [f"{name}-{size}" for name in ("speech", "letter", "notice", "combined") for size in ("normal", "large")]


@pytest.mark.parametrize("key", KEYS)
def test_every_character_of_the_document_is_rendered(rendered, key):
    item = rendered[key]
    assert len(docx_text(item.docx)) > 500
    missing, _ = text_difference(item.docx, item.pdf)
    assert not missing, f"not rendered: {dict(missing)}"


@pytest.mark.parametrize("key", KEYS)
def test_nothing_but_page_numbers_and_repeated_headers_is_added(rendered, key):
    item = rendered[key]
    _, extra = text_difference(item.docx, item.pdf)
    assert not extra, f"rendered but not in the document: {dict(extra)}"


@pytest.mark.parametrize("key", KEYS)
def test_every_figure_cell_renders_on_one_line(rendered, key):
    item = rendered[key]
    figures = [text for row in docx_table_cells(item.docx)[1:] for text in row if is_figure(text) and len(text) > 1]
    lines = ["".join(line.split()) for page in pdf_pages_text(item.pdf) for line in page.splitlines()]
    assert figures or key.startswith("speech")
    for figure in set(figures):
        found = sum(line.count(figure) for line in lines)
        assert found >= figures.count(figure), f"{figure} broken inside its cell"


def test_no_page_of_a_letter_but_the_last_is_mostly_empty(rendered):
    profile = DEFAULT_PROFILE
    letters = [item for key, item in rendered.items() if key.startswith("unit-")]
    assert len(letters) > 3
    for item in letters:
        pages = pdf_pages(item.pdf)
        for number, page in enumerate(pages[:-1], start=1):
            top = mm_to_pt(profile.margins.top_mm)
            body = [line for line in page.lines if not PAGE_NUMBER.match(line.text)]
            used = (max(line.y_max for line in body) - top) / mm_to_pt(profile.type_height_mm)
            assert used > 0.5, f"{item.docx.name} page {number} is {used:.0%} full"
