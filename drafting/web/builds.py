"""Builds started from the page or the API: run the library pipeline, track progress, keep the results for download.

A build of a workspace meeting writes into the meeting's ``输出`` folder under the
meeting's lock; a build of an uploaded zip lives in the server's scratch folder.
Only the last ``keep`` builds are remembered; older scratch folders are removed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from drafting.build import ENTRY_KINDS, BuildOptions, plan_build, review_outputs, speech_coverage, write_plan
from drafting.buildkinds import KIND_LABELS
from drafting.build_messages import cleanup_notices, shown_name
from drafting.errors import DraftingError, InputError
from drafting.libreoffice import ConversionError, docx_previews
from drafting.pdf import pdf_path

T = TypeVar("T")

WEB_PDF_HINT = "勾选“同时生成 PDF”重新生成"  # the page's checkbox, in place of the CLI's --pdf

# a built file's kind (manifest entry kind) → its Chinese name
KIND_NAMES = {ENTRY_KINDS[kind]: label for kind, label in KIND_LABELS.items()}
STATE_NAMES = {
    "waiting": "等待同一会议的上一次生成结束",
    "planning": "正在读取会议数据、排版",
    "writing": "正在写入文件",
    "converting": "正在转换 PDF",
    "done": "已完成",
    "failed": "未能生成",
}


@dataclass
class BuiltFile:
    kind: str
    unit: str | None
    name: str
    rel: str  # path relative to the build's output folder (posix)
    path: Path


@dataclass
class Build:
    id: str
    meeting: str  # name shown to the user
    out_dir: Path
    scratch: Path
    state: str = "waiting"
    done: int = 0
    total: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    stale_pdfs: dict[str, list[str]] = field(default_factory=lambda: {"removed": [], "kept": []})
    files: list[BuiltFile] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    previews: dict[int, list[Path]] = field(default_factory=dict)
    preview_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def file_url(self, index: int) -> str:
        return f"/builds/{self.id}/files/{index}"

    @property
    def zip_url(self) -> str:
        return f"/builds/{self.id}/all.zip"

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [
                {"kind": f.kind, "unit": f.unit, "name": f.name, "path": f.rel, "url": self.file_url(i)}
                for i, f in enumerate(self.files)
            ],
            "zip": self.zip_url,
            "coverage": self.coverage,
            "findings": self.findings,
            "notes": self.notes,
            "stale_pdfs": self.stale_pdfs,
        }

    def status(self) -> dict[str, Any]:
        return {"state": self.state, "label": STATE_NAMES[self.state], "done": self.done, "total": self.total, "error": self.error}


def user_message(exc: BaseException, *roots: Path) -> str:
    """The CLI's message for ``exc``, with server-side folder prefixes taken out."""
    text = str(exc)
    for root in roots:
        for form in {str(root), str(Path(root).resolve())}:
            text = text.replace(form + os.sep, "").replace(form, "")
    return text


class Builds:
    def __init__(self, scratch: Path, keep: int = 20) -> None:
        self.scratch = scratch
        self.keep = keep
        self._builds: OrderedDict[str, Build] = OrderedDict()
        self._guard = threading.Lock()

    def get(self, build_id: str) -> Build | None:
        with self._guard:
            return self._builds.get(build_id)

    def new(self, meeting: str, out_dir: Path | None = None) -> Build:
        build_id = secrets.token_urlsafe(12)
        scratch = self.scratch / "builds" / build_id
        scratch.mkdir(parents=True)
        build = Build(id=build_id, meeting=meeting, out_dir=out_dir or scratch / "输出", scratch=scratch)
        with self._guard:
            self._builds[build_id] = build
            while len(self._builds) > self.keep:
                _, old = self._builds.popitem(last=False)
                shutil.rmtree(old.scratch, ignore_errors=True)
        return build

    def run(
        self,
        build: Build,
        folder: Path,
        lock: threading.Lock,
        *,
        as_of: date | None,
        only: frozenset[str],
        combined: bool,
        pdf: bool,
        roots: Sequence[Path] = (),
    ) -> None:
        """Build ``folder`` into ``build.out_dir``; failures end up in ``build.error`` as the CLI's message."""
        with lock:
            try:
                _run(build, folder, as_of=as_of, only=only, combined=combined, pdf=pdf)
                build.state = "done"
            except DraftingError as exc:
                build.error = user_message(exc, *roots, build.scratch)
                build.state = "failed"
            except Exception as exc:  # noqa: BLE001 - the page shows a message, never a traceback
                build.error = f"内部错误：{type(exc).__name__}"
                build.state = "failed"

    def start(self, build: Build, folder: Path, lock: threading.Lock, **options: Any) -> None:
        threading.Thread(target=self.run, args=(build, folder, lock), kwargs=options, daemon=True).start()

    def zip_all(self, build: Build) -> Path:
        """One zip of every generated file (made once, in the build's scratch folder)."""
        target = build.scratch / "all.zip"
        if not target.exists():
            temp = build.scratch / "all.zip.part"
            with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as zf:
                for item in build.files:
                    if item.path.is_file():
                        zf.write(item.path, item.rel)
                manifest = build.out_dir / "manifest.json"
                if manifest.is_file():
                    zf.write(manifest, "manifest.json")
            os.replace(temp, target)
        return target

    def previews(self, build: Build, index: int) -> list[Path]:
        """PNG pages of one generated .docx (rendered once, through LibreOffice)."""
        with build.preview_lock:
            if index not in build.previews:
                source = build.files[index].path
                build.previews[index] = docx_previews(source, build.scratch / "preview" / str(index))
            return build.previews[index]


def _run(build: Build, folder: Path, *, as_of: date | None, only: frozenset[str], combined: bool, pdf: bool) -> None:
    build.state = "planning"
    # jobs=1: builds run in a thread of a threaded server, and forking a process that has other threads
    # running (locks held mid-operation) is unsafe; the letters are written in this process.
    options = BuildOptions(out_dir=build.out_dir, as_of=as_of, only=only, combined=combined, jobs=1)
    plan = plan_build(folder, options)

    def progress(items: Sequence[tuple[Path, T]]) -> Iterator[tuple[Path, T]]:
        build.state = "writing"
        for item in items:
            if item[0].suffix == ".pdf":
                build.state = "converting"  # the first PDF converts them all, in one LibreOffice run
            yield item
            build.done += 1

    # PDFs are written in the same batch as the Word files, as the CLI's --pdf does, so the manifest
    # records them and a later build replaces them instead of reporting them as stale.
    build.total = len(plan.outputs) * (2 if pdf else 1) + 1  # + manifest
    try:
        result = write_plan(plan, force=True, pdf=pdf, wrap=progress)
    except ConversionError as exc:  # nothing was written: the Word files alone, with the reason
        build.notes.append(f"未生成 PDF：{exc}")
        pdf = False
        build.done, build.total = 0, len(plan.outputs) + 1
        result = write_plan(plan, force=True, wrap=progress)
    out = plan.out_dir
    notices = cleanup_notices(result, out, pdf_hint=WEB_PDF_HINT)
    build.files = [
        BuiltFile(o.kind, o.unit, o.path.name, o.path.relative_to(out).as_posix(), o.path) for o in plan.outputs
    ]
    if pdf:
        for item in list(build.files):
            if item.path.suffix == ".docx":
                target = pdf_path(item.path)
                build.files.append(BuiltFile(item.kind, item.unit, target.name, pdf_path(Path(item.rel)).as_posix(), target))
    build.coverage = [
        {**row.to_dict(), "required": row.required, "satisfied": row.satisfied} for row in speech_coverage(plan)
    ]
    build.findings = []
    for report in review_outputs(plan):
        data = report.to_dict()
        data["path"] = shown_name(Path(report.path), out)
        build.findings.append(data)
    build.notes[:0] = [f"{n.heading}{'、'.join(n.names)}" for n in notices]
    build.stale_pdfs = {
        kind: next((n.names for n in notices if n.kind == f"stale_{kind}"), []) for kind in ("removed", "kept")
    }


def preview_error(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, (ConversionError, InputError)) else f"内部错误：{type(exc).__name__}"
