"""Convert .docx to PDF through LibreOffice and PDF pages to PNG through pdftoppm.

One ``soffice`` process converts a whole batch, with its own temporary profile
(``-env:UserInstallation``) so that two conversions never share an instance,
and a timeout after which the process group is killed. Inputs are copied
under neutral names into a temporary folder first, so file names from users
never reach the command line.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from drafting.errors import DraftingError

SOFFICE_TIMEOUT = 300  # seconds for one batch
PDFTOPPM_TIMEOUT = 120


class ConversionError(DraftingError):
    """LibreOffice or pdftoppm is missing, failed or took too long."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdftoppm_path() -> str | None:
    return shutil.which("pdftoppm")


def _run(
    command: list[str], timeout: float, what: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` in its own process group; kill the whole group on timeout."""
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=dict(env) if env is not None else None,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.communicate()
            raise ConversionError(f"{what}超时（超过{timeout:g}秒），已中止") from None
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def docx_to_pdf(
    sources: Sequence[Path],
    targets: Sequence[Path],
    *,
    timeout: float = SOFFICE_TIMEOUT,
    env: Mapping[str, str] | None = None,
) -> list[Path]:
    """Convert each source .docx to the PDF at the matching target path (one soffice run).

    ``env`` is the soffice process's environment (e.g. with drafting.pdffonts' FONTCONFIG_FILE).
    """
    if len(sources) != len(targets):
        raise ValueError("sources and targets differ in length")
    if not sources:
        return []
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError("未安装 LibreOffice（找不到 soffice），无法转换为 PDF")
    with tempfile.TemporaryDirectory(prefix="drafting-pdf-") as temp:
        root = Path(temp)
        inputs = root / "in"
        outputs = root / "out"
        inputs.mkdir()
        names = []
        for index, source in enumerate(sources):
            name = inputs / f"{index:05d}.docx"
            shutil.copyfile(source, name)
            names.append(name)
        command = [
            soffice,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outputs),
            *map(str, names),
        ]
        result = _run(command, timeout, "LibreOffice 转换", env)
        written: list[Path] = []
        for name, source, target in zip(names, sources, targets):
            pdf = outputs / f"{name.stem}.pdf"
            if not pdf.is_file():
                detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
                raise ConversionError(f"LibreOffice 未能转换 {source.name}" + (f"：{detail}" if detail else ""))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(pdf), str(target))
            written.append(target)
        return written


def pdf_to_pngs(pdf: Path, outdir: Path, *, dpi: int = 60, timeout: float = PDFTOPPM_TIMEOUT) -> list[Path]:
    """Render every page of ``pdf`` as ``page-N.png`` in ``outdir``; returns them in page order."""
    pdftoppm = pdftoppm_path()
    if pdftoppm is None:
        raise ConversionError("未安装 poppler（找不到 pdftoppm），无法生成页面预览")
    outdir.mkdir(parents=True, exist_ok=True)
    result = _run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(outdir / "page")], timeout, "页面预览")
    pages = sorted(outdir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if result.returncode != 0 or not pages:
        raise ConversionError("无法生成页面预览：" + result.stderr.decode("utf-8", "replace").strip()[-300:])
    return pages


def docx_previews(source: Path, outdir: Path, *, dpi: int = 60) -> list[Path]:
    """PNG pages of a .docx (via a PDF in ``outdir``)."""
    pdf = outdir / "preview.pdf"
    docx_to_pdf([source], [pdf])
    return pdf_to_pngs(pdf, outdir, dpi=dpi)
