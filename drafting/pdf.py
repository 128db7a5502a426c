"""PDF copies of .docx files: beside a build's outputs (``drafting build --pdf``) or of any file (``drafting pdf``).

Conversion goes through drafting.libreoffice (one soffice process per batch,
its own profile, a timeout) with the font mapping of drafting.pdffonts.
In a build, PDFs are written into the batch's staging folder like every other
file, so they land together with the .docx files or not at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from drafting.errors import InputError, Location
from drafting.output import Writer, refuse_existing, write_new_file

# drafting.libreoffice (subprocess) and drafting.pdffonts are imported where a PDF is made:
# every build imports this module for pdf_path, few builds make PDFs.

MISSING = (
    "未安装 LibreOffice（找不到 soffice），无法生成 PDF。请安装 LibreOffice"
    "（Debian/Ubuntu：sudo apt install libreoffice-writer；Windows：从 libreoffice.org 下载），或去掉 --pdf"
)


def require_libreoffice() -> None:
    """Raise ConversionError with install advice when soffice is not on PATH."""
    from drafting.libreoffice import ConversionError, soffice_path

    if soffice_path() is None:
        raise ConversionError(MISSING)


def pdf_path(docx: Path) -> Path:
    return docx.with_suffix(".pdf")


def convert(sources: Sequence[Path], targets: Sequence[Path]) -> list[Path]:
    """Convert each .docx to the PDF at the matching target (one soffice run, mapped fonts)."""
    from drafting.libreoffice import docx_to_pdf
    from drafting.pdffonts import conversion_environment

    require_libreoffice()
    with tempfile.TemporaryDirectory(prefix="drafting-fonts-") as work:
        return docx_to_pdf(sources, targets, env=conversion_environment(Path(work)))


class PdfBatch:
    """PDF writers for a commit_batch: the .docx writers record where they staged each file,
    and the first PDF writer converts them all in one soffice run."""

    def __init__(self) -> None:
        self.staged: list[Path | None] = []
        self.converted: list[Path] | None = None
        self._work: tempfile.TemporaryDirectory[str] | None = None

    def docx_writer(self, write: Writer) -> tuple[Writer, int]:
        """``write`` wrapped to record its staged path; returns the wrapper and the index for ``pdf_writer``."""
        index = len(self.staged)
        self.staged.append(None)

        def recording(path: Path) -> None:
            write(path)
            self.staged[index] = path

        return recording, index

    def pdf_writer(self, index: int) -> Writer:
        def write(path: Path) -> None:
            if self.converted is None:
                self._convert()
            assert self.converted is not None
            shutil.move(str(self.converted[index]), str(path))

        return write

    def _convert(self) -> None:
        if any(path is None for path in self.staged):
            raise RuntimeError("PDF writers must come after every .docx writer")
        self._work = tempfile.TemporaryDirectory(prefix="drafting-pdf-batch-")
        folder = Path(self._work.name)
        targets = [folder / f"{i:05d}.pdf" for i in range(len(self.staged))]
        self.converted = convert([p for p in self.staged if p is not None], targets)

    def close(self) -> None:
        if self._work is not None:
            self._work.cleanup()
            self._work = None


def convert_files(files: Sequence[Path], *, force: bool = False) -> list[Path]:
    """``drafting pdf``: a PDF beside each .docx; an existing PDF is replaced only with ``force``."""
    sources: list[Path] = []
    for file in files:
        if not file.exists():
            raise InputError("文件不存在", Location(file=file))
        if file.suffix.lower() != ".docx" or not file.is_file():
            raise InputError("只能转换 Word 文档（.docx）；.doc、.wps 请先在 Word 或 WPS 中另存为 .docx", Location(file=file))
        sources.append(file)
    targets = [pdf_path(f) for f in sources]
    seen: set[str] = set()
    for target in targets:
        key = os.path.abspath(target).casefold()
        if key in seen:
            raise InputError("同一个 PDF 会被写两次（文件重复或只差大小写）", Location(file=target))
        seen.add(key)
    if not force:
        refuse_existing(targets, hint="如需覆盖已有的 PDF，请加 --force")
    with tempfile.TemporaryDirectory(prefix="drafting-pdf-") as work:
        temps = [Path(work) / f"{i:05d}.pdf" for i in range(len(sources))]
        convert(sources, temps)
        written = []
        for temp, target in zip(temps, targets):
            if force:
                if target.is_symlink() or (target.exists() and not target.is_file()):
                    raise InputError("此处是链接或文件夹，不覆盖", Location(file=target))
                staged = target.with_name(f".{target.name}.drafting-tmp")
                shutil.copyfile(temp, staged)
                os.replace(staged, target)
                written.append(target)
            else:
                written.append(write_new_file(target.parent, [target.name], lambda p, t=temp: shutil.copyfile(t, p)))
        return written
