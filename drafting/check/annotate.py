"""Write a copy of a checked .docx with a Word comment (批注) on the paragraph of every finding."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from drafting.check.model import SEVERITY_NAMES, FileReport, Finding
from drafting.errors import InputError, Location
from drafting.filenames import MAX_NAME_BYTES, clean_stem
from drafting.output import write_new_file
from drafting.readers.docx import iter_source_items, open_docx

AUTHOR = "drafting 核稿"
INITIALS = "核"
SUFFIX = "-批注"
MAX_STEM_CHARS = 120


def annotated_names(source: Path) -> Iterator[str]:
    """Candidate names for the annotated copy of ``source``: 稿-批注.docx, 稿-批注_2.docx, …

    Long names are shortened to fit the file system's 255-byte limit.
    """
    max_bytes = MAX_NAME_BYTES - len(b".docx") - 8  # room for a _NNN counter
    stem = clean_stem(f"{source.stem}{SUFFIX}", MAX_STEM_CHARS, max_bytes)
    yield f"{stem}.docx"
    for counter in itertools.count(2):
        yield f"{stem}_{counter}.docx"


def check_annotate_dir(outdir: Path) -> None:
    """Refuse an --annotate target that is a file, before any checking is done."""
    if os.path.lexists(outdir) and not outdir.is_dir():
        raise InputError("--annotate 应指定一个文件夹，这里是一个文件", Location(file=str(outdir)))


def _anchor_paragraph(item: DocxParagraph | DocxTable) -> DocxParagraph:
    if isinstance(item, DocxTable):
        for row in item.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.text.strip():
                        return paragraph
        return item.rows[0].cells[0].paragraphs[0]
    return item


def _runs(paragraph: DocxParagraph) -> list[Run]:
    runs = [run for run in paragraph.runs]
    if not runs:  # text only inside hyperlinks or fields: anchor on an empty run
        runs = [paragraph.add_run("")]
    return runs


def _comment_text(finding: Finding) -> str:
    return f"[{SEVERITY_NAMES[finding.severity]}] {finding.rule}：{finding.message}"


def _annotate(source: Path, findings: Sequence[Finding], folder: Path, names: Iterator[str]) -> tuple[Path, int]:
    """Write ``source`` with one comment per finding under the first free name in ``folder``.

    Whole-document findings (no paragraph) are attached to the first paragraph.
    The copy is written atomically and never replaces an existing file (an input,
    an earlier copy, a link): a taken name is skipped.
    """
    document = open_docx(source)
    items = dict(iter_source_items(document))
    count = 0
    if items:
        first = min(items)
        for finding in findings:
            item = items.get(finding.paragraph if finding.paragraph is not None else first, items[first])
            document.add_comment(_runs(_anchor_paragraph(item)), text=_comment_text(finding), author=AUTHOR, initials=INITIALS)
            count += 1
    target = write_new_file(folder, names, lambda path: document.save(str(path)))
    return target, count


def annotate_docx(source: Path, findings: Sequence[Finding], target: Path) -> int:
    """Save ``source`` with one comment per finding as ``target`` (which must not exist); return the comment count."""
    return _annotate(source, findings, target.parent, iter([target.name]))[1]


def annotate_report(files: Sequence[FileReport], outdir: Path) -> tuple[list[Path], list[Path]]:
    """Annotate every .docx of the report into ``outdir``: (written copies, skipped non-docx inputs).

    Each copy gets a new name (稿-批注.docx, else 稿-批注_2.docx …), so no input
    and no existing file is ever overwritten.
    """
    check_annotate_dir(outdir)
    written: list[Path] = []
    skipped: list[Path] = []
    for file in files:
        if file.path.suffix.lower() != ".docx":
            skipped.append(file.path)
            continue
        target, _ = _annotate(file.path, file.findings, outdir, annotated_names(file.path))
        written.append(target)
    return written, skipped
