"""The Chinese wording of what a build cleaned up or left behind, shared by the CLI and the web page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafting.build import WriteResult

CLI_PDF_HINT = "加 --pdf 重新生成"


@dataclass(frozen=True)
class CleanupNotice:
    kind: str  # "removed", "kept", "stale_removed" or "stale_kept" (the WriteResult field)
    heading: str  # ends with "："; the names follow
    names: list[str]  # relative to the output folder (posix), or the bare name when outside it


def shown_name(path: Path, out_dir: Path) -> str:
    path = Path(path)
    return path.relative_to(out_dir).as_posix() if path.is_relative_to(out_dir) else path.name


def cleanup_notices(result: WriteResult, out_dir: Path, *, pdf_hint: str = CLI_PDF_HINT) -> list[CleanupNotice]:
    """One notice per non-empty list of ``result``; ``pdf_hint`` says how to get fresh PDFs (a flag or a checkbox)."""
    notices = []
    for kind, paths, heading in (
        ("removed", result.removed, "已删除上次生成、本次不再需要的 {n} 个文件："),
        ("kept", result.kept, "以下 {n} 个文件上次由本工具生成、本次不再需要，但已被修改过，予以保留，请自行处理："),
        ("stale_removed", result.stale_removed, "已删除与重新生成的 Word 文件不再一致的 {n} 个旧 PDF（需要 PDF 时请{hint}）："),
        (
            "stale_kept",
            result.stale_kept,
            "注意：以下 {n} 个 PDF 是旧稿，与重新生成的 Word 文件已不一致"
            "（修改过或无法确认由本工具生成，予以保留），请勿打印；可自行删除，或{hint}：",
        ),
    ):
        if paths:
            names = [shown_name(p, out_dir) for p in paths]
            notices.append(CleanupNotice(kind, heading.format(n=len(paths), hint=pdf_hint), names))
    return notices
