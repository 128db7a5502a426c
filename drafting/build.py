"""The build pipeline: meeting folder → documents → files + manifest.json.

All documents are built in memory first, so bad input fails before any file
is written; files are then written as one all-or-nothing batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from drafting.check.config import CheckConfig
from drafting.check.engine import check_generated
from drafting.check.model import CoverageRow, FileReport
from drafting.docx.profile import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, StyleProfile
from drafting.docx.writer import write_docx
from drafting.document import Document
from drafting.documents.letters import build_combined_letters, build_letters
from drafting.documents.notice import build_notice
from drafting.documents.speech import build_speech
from drafting.folder import MeetingFolder, load_meeting_folder
from drafting.output import Writer, commit_batch, json_writer, refuse_existing
from drafting.templating.environment import default_search_paths, make_environment

KINDS = ("speech", "letters", "notice")
OUTPUT_DIR_NAME = "输出"
SPEECH_FILE = "讲话稿.docx"
NOTICE_FILE = "进度通报.docx"
LETTERS_DIR = "目标责任书"
COMBINED_LETTERS_FILE = "目标责任书（合订本）.docx"
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: <folder>/输出
    as_of: date | None = None  # default: the meeting date
    only: frozenset[str] = frozenset(KINDS)
    combined: bool = False


@dataclass(frozen=True)
class PlannedOutput:
    """One file to write: its manifest entry and its document."""

    kind: str  # "speech" | "letter" | "notice"
    path: Path
    document: Document
    unit: str | None = None
    profile: StyleProfile = DEFAULT_PROFILE

    def manifest_entry(self, out_dir: Path) -> dict[str, str | None]:
        return {"kind": self.kind, "path": self.path.relative_to(out_dir).as_posix(), "unit": self.unit}


@dataclass
class BuildPlan:
    folder: MeetingFolder
    out_dir: Path
    as_of: date
    outputs: list[PlannedOutput] = field(default_factory=list)

    @property
    def speech(self) -> Document | None:
        return next((o.document for o in self.outputs if o.kind == "speech"), None)


def plan_build(folder_path: Path, options: BuildOptions = BuildOptions()) -> BuildPlan:
    """Load and validate the folder and build every requested document in memory."""
    folder = load_meeting_folder(folder_path)
    out_dir = options.out_dir or folder.path / OUTPUT_DIR_NAME
    as_of = options.as_of or folder.meeting.date
    env = make_environment(default_search_paths(folder.templates_dir))
    plan = BuildPlan(folder=folder, out_dir=out_dir, as_of=as_of)

    if "speech" in options.only:
        profile = SPEECH_LARGE_PROFILE if folder.meeting.speech.large_type else DEFAULT_PROFILE
        speech = build_speech(folder, as_of, env)
        plan.outputs.append(PlannedOutput("speech", out_dir / SPEECH_FILE, speech, profile=profile))
    if "letters" in options.only:
        letters = build_letters(folder, as_of, env)
        for letter in letters:
            path = out_dir / LETTERS_DIR / letter.filename
            plan.outputs.append(PlannedOutput("letter", path, letter.document, unit=letter.unit))
        if options.combined and letters:
            combined = build_combined_letters(letters)
            plan.outputs.append(PlannedOutput("letter", out_dir / COMBINED_LETTERS_FILE, combined, unit=None))
    if "notice" in options.only:
        plan.outputs.append(PlannedOutput("notice", out_dir / NOTICE_FILE, build_notice(folder, as_of, env)))
    return plan


# What a reviewer sends a draft back for, and a generated file can still carry
# when a meeting's own template or data says XX or skips a number.
REVIEW_RULES = frozenset({"placeholder", "numbering", "declared-count"})


def review_outputs(plan: BuildPlan) -> list[FileReport]:
    """Reports of the planned documents that have placeholder, numbering or declared-count findings."""
    config = CheckConfig(select=REVIEW_RULES, keyword_count=0)
    reports = []
    for output in plan.outputs:
        if output.kind == "letter" and output.unit is None:
            continue  # the combined file repeats the letters
        report = check_generated(output.document, output.path, config)
        if report.findings:
            reports.append(report)
    return reports


def speech_coverage(plan: BuildPlan) -> list[CoverageRow]:
    """How the built speech covers the meeting's priorities (empty without a speech or priorities)."""
    if plan.speech is None or not plan.folder.priorities:
        return []
    config = CheckConfig(priorities=plan.folder.priorities, select=frozenset({"coverage"}))
    return check_generated(plan.speech, plan.out_dir / SPEECH_FILE, config).coverage


def _docx_writer(output: PlannedOutput) -> Writer:
    return lambda path: write_docx(output.document, path, output.profile)


def write_plan(
    plan: BuildPlan,
    *,
    force: bool = False,
    wrap: Callable[[Sequence[tuple[Path, Writer]]], Iterable[tuple[Path, Writer]]] = lambda items: items,
) -> Path:
    """Write every planned document and the manifest; returns the manifest path.

    ``wrap`` lets a caller show progress over the items (e.g. click.progressbar).
    """
    manifest_path = plan.out_dir / MANIFEST_FILE
    items: list[tuple[Path, Writer]] = [(o.path, _docx_writer(o)) for o in plan.outputs]
    if not force:
        refuse_existing([path for path, _ in items])
    manifest = [o.manifest_entry(plan.out_dir) for o in plan.outputs]
    items.append((manifest_path, json_writer(manifest)))
    commit_batch(wrap(items), plan.out_dir)
    return manifest_path
