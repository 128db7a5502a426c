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
from rendering import docx_to_pdfs, docx_text, text_difference

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
