"""Render .docx through LibreOffice and measure the PDF (test helper, not a test module).

Missing tools skip the test on a workstation but fail it in CI (CI=true).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

XHTML = "{http://www.w3.org/1999/xhtml}"
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
SAME_LINE_PT = 3.0  # words whose tops differ less than this sit on one line


def require_tool(name: str) -> str:
    """Path of an external tool; skip (or fail under CI=true) when it is missing."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError("unreachable")


def docx_to_pdfs(docs: list[Path], outdir: Path) -> list[Path]:
    """Convert in one LibreOffice run, with a private profile so parallel runs do not share one instance."""
    soffice = require_tool("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drafting-lo-") as profile:
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, docs),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    pdfs = [outdir / (docx.stem + ".pdf") for docx in docs]
    if result.returncode != 0 or not all(pdf.exists() for pdf in pdfs):
        raise AssertionError(f"soffice failed ({result.returncode}): {result.stderr}")
    return pdfs


def docx_to_pdf(docx: Path, outdir: Path) -> Path:
    return docx_to_pdfs([docx], outdir)[0]


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page (pdfinfo)."""
    pdfinfo = require_tool("pdfinfo")
    info = subprocess.run([pdfinfo, "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True)
    sizes = re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", info.stdout, flags=re.M)
    return [(float(w), float(h)) for w, h in sizes]


def pdf_pages_text(pdf: Path) -> list[str]:
    """Text of each page, laid out (pdftotext -layout)."""
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class TextLine:
    """One visual line on a page, in PDF points from the top-left corner."""

    text: str  # words joined without spaces
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    lines: list[TextLine]


def pdf_pages(pdf: Path) -> list[PdfPage]:
    """Pages with their visual lines, from pdftotext -bbox-layout word boxes."""
    pdftotext = require_tool("pdftotext")
    xhtml = subprocess.run(
        [pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(xhtml)
    pages: list[PdfPage] = []
    for page in root.iter(f"{XHTML}page"):
        words = [
            (float(w.get("yMin")), float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
            for w in page.iter(f"{XHTML}word")
        ]
        words.sort()
        groups: list[list[tuple[float, float, float, float, str]]] = []
        for word in words:
            if groups and abs(word[0] - groups[-1][0][0]) < SAME_LINE_PT:
                groups[-1].append(word)
            else:
                groups.append([word])
        lines = []
        for group in groups:
            group.sort(key=lambda w: w[1])
            lines.append(
                TextLine(
                    text="".join(w[4] for w in group).replace(" ", ""),
                    x_min=min(w[1] for w in group),
                    y_min=min(w[0] for w in group),
                    x_max=max(w[2] for w in group),
                    y_max=max(w[3] for w in group),
                )
            )
        pages.append(PdfPage(float(page.get("width")), float(page.get("height")), lines))
    return pages


def body_lines(pdf: Path, page: int) -> list[TextLine]:
    """Lines of a page (1-based) without the page number."""
    lines = pdf_pages(pdf)[page - 1].lines
    return [line for line in lines if not PAGE_NUMBER.match(line.text)]


def page_number_line(pdf: Path, page: int) -> TextLine | None:
    return next((line for line in pdf_pages(pdf)[page - 1].lines if PAGE_NUMBER.match(line.text)), None)


def rotated_page_number(pdf: Path, page: int) -> TextLine | None:
    """A page number set along a short edge of a landscape page: its words stacked in one column, read downwards.

    pdftotext gives a word turned a quarter clockwise an upright box; the
    words of the number share their left edge and follow each other down.
    """
    pdftotext = require_tool("pdftotext")
    xhtml = subprocess.run(
        [pdftotext, "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    root = ET.fromstring(xhtml)
    words = sorted(
        (float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
        for w in root.iter(f"{XHTML}word")
    )
    columns: list[list[tuple[float, float, float, float, str]]] = []
    for word in words:
        if columns and abs(word[0] - columns[-1][0][0]) < SAME_LINE_PT:
            columns[-1].append(word)
        else:
            columns.append([word])
    for column in columns:
        column.sort(key=lambda w: w[1])
        # Split the column where a gap wider than a line interrupts it.
        runs: list[list[tuple[float, float, float, float, str]]] = [[column[0]]]
        for word in column[1:]:
            if word[1] - runs[-1][-1][3] > SAME_LINE_PT * 3:
                runs.append([word])
            else:
                runs[-1].append(word)
        for run in runs:
            text = "".join(w[4] for w in run).replace(" ", "")
            if len(run) > 1 and PAGE_NUMBER.match(text):
                return TextLine(
                    text=text,
                    x_min=min(w[0] for w in run),
                    y_min=min(w[1] for w in run),
                    x_max=max(w[2] for w in run),
                    y_max=max(w[3] for w in run),
                )
    return None


def full_lines(lines: list[TextLine], tolerance_pt: float = 2.0) -> list[TextLine]:
    """Lines that start at the left edge of the text and end at the usual right edge (wrapped, non-first lines).

    The right edge is the most common line end, so a line whose closing
    punctuation hangs into the margin does not count as full.
    """
    if not lines:
        return []
    left = min(line.x_min for line in lines)
    right = Counter(round(line.x_max) for line in lines).most_common(1)[0][0]
    return [
        line for line in lines if abs(line.x_min - left) <= tolerance_pt and abs(line.x_max - right) <= tolerance_pt
    ]


def body_line_stats(pdf: Path, page: int) -> tuple[int, int]:
    """(lines on the page, characters on a full line) for a 1-based page; the page number is not counted."""
    lines = body_lines(pdf, page)
    counts = Counter(line.chars for line in full_lines(lines))
    chars = counts.most_common(1)[0][0] if counts else 0
    return len(lines), chars


def pdf_page_png(pdf: Path, page: int, outdir: Path, dpi: int = 80) -> Path:
    """Render one page (1-based) to PNG for a visual check."""
    pdftoppm = require_tool("pdftoppm")
    prefix = outdir / f"{pdf.stem}-p{page}"
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return prefix.with_suffix(".png")


def pdf_page_pixels(pdf: Path, page: int, dpi: int = 40) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of one page (1-based), via pdftoppm's binary PPM output."""
    pdftoppm = require_tool("pdftoppm")
    data = subprocess.run(
        [pdftoppm, "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    # P6 header: magic, width, height, maxval, each followed by whitespace.
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        start = position
        while not data[position : position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    position += 1
    if fields[0] != b"P6":
        raise AssertionError(f"unexpected pdftoppm output {fields[0]!r}")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position : position + width * height * 3]


def red_pixel_rows(pdf: Path, page: int, dpi: int = 40) -> list[int]:
    """Indexes of the pixel rows (top = 0) of a page that contain clearly red pixels."""
    width, height, rgb = pdf_page_pixels(pdf, page, dpi)
    rows = []
    for y in range(height):
        row = rgb[y * width * 3 : (y + 1) * width * 3]
        if any(row[i] > 200 and row[i + 1] < 90 and row[i + 2] < 90 for i in range(0, len(row), 3)):
            rows.append(y)
    return rows


# The document's own text against the rendered text -----------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_body(docx_path: Path) -> ET.Element:
    import zipfile

    with zipfile.ZipFile(docx_path) as package:
        return ET.fromstring(package.read("word/document.xml"))


def docx_text(docx_path: Path) -> str:
    """Every character of the document body (paragraphs and tables, in order), without whitespace."""
    return "".join(t.text or "" for t in _docx_body(docx_path).iter(f"{W}t")).replace(" ", "").replace("\u3000", "")


def docx_table_cells(docx_path: Path) -> list[list[str]]:
    """Every table row of the body, as the texts of its cells (line breaks dropped)."""
    return [
        ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
        for row in _docx_body(docx_path).iter(f"{W}tr")
    ]


def docx_header_rows(docx_path: Path) -> list[str]:
    """Text of each table row marked to repeat on every page (w:tblHeader)."""
    rows = []
    for row in _docx_body(docx_path).iter(f"{W}tr"):
        props = row.find(f"{W}trPr")
        if props is not None and props.find(f"{W}tblHeader") is not None:
            rows.append("".join(t.text or "" for t in row.iter(f"{W}t")).replace(" ", ""))
    return rows


def pdf_text_without_page_numbers(pdf: Path) -> str:
    """The rendered text, page numbers and whitespace removed."""
    kept = []
    for page in pdf_pages_text(pdf):
        for line in page.splitlines():
            if not PAGE_NUMBER.match(line.strip()):
                kept.append(line)
    return re.sub(r"\s+", "", "".join(kept)).replace("\u3000", "")


def text_difference(docx_path: Path, pdf: Path) -> tuple[Counter, Counter]:
    """(characters of the document missing from the PDF, characters of the PDF not in the document).

    Header rows that repeat on later pages are expected extras.
    """
    expected = Counter(docx_text(docx_path))
    rendered = Counter(pdf_text_without_page_numbers(pdf))
    missing = expected - rendered
    extra = rendered - expected
    for header in docx_header_rows(docx_path):
        repeat = Counter(header)
        while repeat and not repeat - extra:
            extra -= repeat
    return missing, extra
