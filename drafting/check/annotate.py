"""Write a copy of a checked .docx with a Word comment (批注) on the paragraph of every finding."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from drafting.check.model import SEVERITY_NAMES, FileReport, Finding
from drafting.errors import DraftingError, InputError, Location
from drafting.readers.docx import iter_source_items, open_docx

AUTHOR = "drafting 核稿"
INITIALS = "核"
SUFFIX = "-批注"


def annotated_name(source: Path) -> str:
    return f"{source.stem}{SUFFIX}.docx"


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


def annotate_docx(source: Path, findings: Sequence[Finding], target: Path) -> int:
    """Save ``source`` with one comment per finding to ``target``; return the number of comments.

    Whole-document findings (no paragraph) are attached to the first paragraph.
    """
    if target.resolve() == source.resolve():
        raise InputError("批注副本不能覆盖原文件，请换一个输出文件夹", Location(file=target))
    document = open_docx(source)
    items = dict(iter_source_items(document))
    if not items:
        return 0
    first = min(items)
    count = 0
    for finding in findings:
        item = items.get(finding.paragraph if finding.paragraph is not None else first, items[first])
        document.add_comment(_runs(_anchor_paragraph(item)), text=_comment_text(finding), author=AUTHOR, initials=INITIALS)
        count += 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(target))
    except OSError as exc:
        raise DraftingError(f"无法写出批注文件 {target}：{exc.strerror or exc}") from exc
    return count


def annotate_report(files: Sequence[FileReport], outdir: Path) -> tuple[list[Path], list[Path]]:
    """Annotate every .docx of the report into ``outdir``: (written copies, skipped non-docx inputs)."""
    written: list[Path] = []
    skipped: list[Path] = []
    for file in files:
        if file.path.suffix.lower() != ".docx":
            skipped.append(file.path)
            continue
        target = outdir / annotated_name(file.path)
        annotate_docx(file.path, file.findings, target)
        written.append(target)
    return written, skipped
