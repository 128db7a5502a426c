"""The build pipeline: meeting folder → documents → files + manifest.json.

The speech and notice are built in memory first; letters are built one at a
time as they are written (10,000 letters never sit in memory together), and
reviewed as they are built. Files are written as one all-or-nothing batch, so
bad input found while writing leaves no output either.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import nullcontext
from functools import partial
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from drafting.check.config import CheckConfig
from drafting.check.engine import check_generated
from drafting.check.model import CoverageRow, FileReport
from drafting.check.names import meeting_names
from drafting.docx.profile import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, StyleProfile
from drafting.docx.fast import write_docx_fast
from drafting.document import Document
from drafting.documents.letters import LetterBuilder, build_combined_letters, build_letters, group_projects
from drafting.build_pool import ForkPool, worker_count
from drafting.buildkinds import KINDS
from drafting.filenames import safe_filenames
from drafting.folder import LedgerLoader, MeetingFolder, load_meeting_folder
from drafting.errors import Location, OutputExistsError
from drafting.output import Writer, commit_batch, json_writer, output_lock, refuse_existing
from drafting.pdf import pdf_path
from drafting.templating.environment import default_search_paths, make_environment

if TYPE_CHECKING:
    from drafting.compare import Sentence
    from drafting.house.plan import HouseBase
    from drafting.pdf import PdfBatch
    from drafting.wordtemplate import WordTemplate

# Modules of one kind (speech, call and minutes, notice, PDF conversion) are imported where that kind is
# built: `build --only letters` does not load the others.

OUTPUT_DIR_NAME = "输出"
SPEECH_FILE = "讲话稿.docx"
NOTICE_FILE = "进度通报.docx"
CALL_FILE = "会议通知.docx"
MINUTES_FILE = "会议纪要.docx"
LETTERS_DIR = "目标责任书"
COMBINED_LETTERS_FILE = "目标责任书（合订本）.docx"
MANIFEST_FILE = "manifest.json"
MANIFEST_MAX_BYTES = 16 * 1024 * 1024
# --only names a kind in the plural; manifest entries name each file's kind
ENTRY_KINDS = {"speech": "speech", "letters": "letter", "notice": "notice", "call": "call", "minutes": "minutes"}


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: <folder>/输出
    as_of: date | None = None  # default: the meeting date
    only: frozenset[str] = frozenset(KINDS)
    combined: bool = False
    avoid: tuple[Sentence, ...] = ()  # sentences of a previous draft the phrase bank should not repeat
    word_speech: bool = True  # lay the speech out with a Word template when there is one (templates/讲话稿.docx)
    # processes for a large batch of letters (drafting.build_pool): None = one per usable CPU; 1 = this one only
    jobs: int | None = 1


@dataclass(frozen=True)
class PlannedOutput:
    """One file to write: its manifest entry and its document."""

    kind: str  # "speech" | "letter" | "notice"
    path: Path
    document: Document | None  # None: built by ``make`` when written (and not kept)
    unit: str | None = None
    profile: StyleProfile = DEFAULT_PROFILE
    data: bytes | None = None  # the file itself when rendered from a Word template; ``document`` is read back from it
    make: Callable[[], Document] | None = None
    house: HouseBase | None = None  # the office's house file (版式/*.docx) the document is built on

    def build_document(self) -> Document:
        if self.document is not None:
            return self.document
        assert self.make is not None
        return self.make()

    def manifest_entry(
        self, out_dir: Path, sha256: str | None = None, pdf: bool = False, pdf_sha256: str | None = None
    ) -> dict[str, str | None]:
        entry = {"kind": self.kind, "path": self.path.relative_to(out_dir).as_posix(), "unit": self.unit}
        if sha256 is not None:
            entry["sha256"] = sha256
        if pdf:
            entry["pdf"] = pdf_path(self.path).relative_to(out_dir).as_posix()
            if pdf_sha256 is not None:
                entry["pdf_sha256"] = pdf_sha256
        return entry


@dataclass
class BuildPlan:
    folder: MeetingFolder
    out_dir: Path
    as_of: date
    outputs: list[PlannedOutput] = field(default_factory=list)
    kinds: frozenset[str] = frozenset(ENTRY_KINDS.values())  # manifest kinds this build rebuilds
    reviewed: dict[Path, FileReport | None] = field(default_factory=dict)  # review of each file as written
    jobs: int | None = 1  # BuildOptions.jobs
    _review_config: CheckConfig | None = field(default=None, repr=False)

    @property
    def speech(self) -> Document | None:
        return next((o.document for o in self.outputs if o.kind == "speech"), None)


def plan_build(folder_path: Path, options: BuildOptions = BuildOptions(), ledger_loader: LedgerLoader | None = None) -> BuildPlan:
    """Load and validate the folder and build every requested document in memory.

    ``ledger_loader``: reads the ledger instead of ``load_ledger`` (``drafting build`` passes its read-ahead).
    """
    folder = load_meeting_folder(folder_path, ledger_loader)
    out_dir = options.out_dir or folder.path / OUTPUT_DIR_NAME
    as_of = options.as_of or folder.meeting.date
    env = make_environment(default_search_paths(folder.templates_dir))
    kinds = frozenset(ENTRY_KINDS[kind] for kind in options.only)
    plan = BuildPlan(folder=folder, out_dir=out_dir, as_of=as_of, kinds=kinds, jobs=options.jobs)

    if "speech" in options.only:
        from drafting.documents.speech import build_speech

        profile = SPEECH_LARGE_PROFILE if folder.meeting.speech.large_type else DEFAULT_PROFILE
        speech = build_speech(folder, as_of, env, avoid=options.avoid)
        word_speech = _word_template(folder, "speech") if options.word_speech else None
        data = None
        if word_speech is not None:
            from drafting.wordspeech import build_word_speech

            data, speech = build_word_speech(folder, as_of, word_speech, speech, options.avoid)
        plan.outputs.append(PlannedOutput("speech", out_dir / SPEECH_FILE, speech, profile=profile, data=data))
    word_letters = _word_template(folder, "letters") if "letters" in options.only else None
    letters = []
    if word_letters is not None:
        from drafting.wordtemplate import build_word_letters, combine_word_letters, read_back

        word_items = build_word_letters(folder, as_of, word_letters)
        for item in word_items:
            path = out_dir / LETTERS_DIR / item.filename
            plan.outputs.append(PlannedOutput("letter", path, item.document, unit=item.unit, data=item.data))
        if options.combined and word_items:
            data = combine_word_letters(word_items)
            document = read_back(data, word_letters)
            plan.outputs.append(PlannedOutput("letter", out_dir / COMBINED_LETTERS_FILE, document, unit=None, data=data))
    elif "letters" in options.only:
        if options.combined:  # the combined file holds every letter anyway
            letters = build_letters(folder, as_of, env)
            for letter in letters:
                path = out_dir / LETTERS_DIR / letter.filename
                plan.outputs.append(PlannedOutput("letter", path, letter.document, unit=letter.unit))
        else:
            groups = group_projects(folder)
            builder = LetterBuilder(folder, as_of, env)
            for (unit, items), filename in zip(groups.items(), safe_filenames(groups.keys(), suffix=".docx")):
                make = partial(builder.build, unit, items)
                plan.outputs.append(PlannedOutput("letter", out_dir / LETTERS_DIR / filename, None, unit=unit, make=make))
        if options.combined and letters:
            combined = build_combined_letters(letters)
            plan.outputs.append(PlannedOutput("letter", out_dir / COMBINED_LETTERS_FILE, combined, unit=None))
    word_notice = _word_template(folder, "notice") if "notice" in options.only else None
    if word_notice is not None:
        from drafting.wordtemplate import build_word_notice

        data, notice = build_word_notice(folder, as_of, word_notice)
        plan.outputs.append(PlannedOutput("notice", out_dir / NOTICE_FILE, notice, data=data))
    elif "notice" in options.only:
        from drafting.documents.notice import build_notice

        plan.outputs.append(PlannedOutput("notice", out_dir / NOTICE_FILE, build_notice(folder, as_of, env)))
    if "call" in options.only:
        from drafting.documents.meeting_docs import build_call

        plan.outputs.append(PlannedOutput("call", out_dir / CALL_FILE, build_call(folder, env)))
    if "minutes" in options.only:
        from drafting.documents.meeting_docs import build_minutes

        plan.outputs.append(PlannedOutput("minutes", out_dir / MINUTES_FILE, build_minutes(folder, env)))
    from drafting.house.plan import attach_house_files  # reads only 版式/ until a house file is there

    attach_house_files(plan)
    return plan


def _word_template(folder: MeetingFolder, kind: str) -> WordTemplate | None:
    """The Word template (meeting folder, then user library) of the speech, letters or notice, if any."""
    from drafting.wordfind import LETTER_TEMPLATE, NOTICE_TEMPLATE, SPEECH_TEMPLATE, find_word_template

    if kind == "speech":
        return find_word_template(folder, SPEECH_TEMPLATE)
    return find_word_template(folder, LETTER_TEMPLATE if kind == "letters" else NOTICE_TEMPLATE)


# What a reviewer sends a draft back for, and a generated file can still carry
# when a meeting's own template or data says XX or skips a number.
REVIEW_RULES = frozenset({"placeholder", "numbering", "declared-count"})


def _review_config(plan: BuildPlan) -> CheckConfig:
    """The review's configuration, made once per plan (it walks every string of the ledger)."""
    if plan._review_config is None:
        folder = plan.folder
        names = meeting_names(folder.meeting, folder.ledger, folder.priorities)  # 某某区 of the meeting is no blank
        plan._review_config = CheckConfig(select=REVIEW_RULES, keyword_count=0, known_names=names)
    return plan._review_config


def _review(output: PlannedOutput, document: Document, config: CheckConfig) -> FileReport | None:
    """The review report of one document, None when it has no findings."""
    report = check_generated(document, output.path, config)
    return report if report.findings else None


def review_outputs(plan: BuildPlan) -> list[FileReport]:
    """Reports of the planned documents that have placeholder, numbering or declared-count findings.

    Documents are reviewed in memory, never read back from disk: files already
    written were reviewed as they were built (``plan.reviewed``); others are built now.
    """
    config = _review_config(plan)
    reports = []
    for output in plan.outputs:
        if output.kind == "letter" and output.unit is None:
            continue  # the combined file repeats the letters
        if output.path in plan.reviewed:
            report = plan.reviewed[output.path]
        else:
            report = _review(output, output.build_document(), config)
        if report is not None:
            reports.append(report)
    return reports


def speech_coverage(plan: BuildPlan) -> list[CoverageRow]:
    """How the built speech covers the meeting's priorities (empty without a speech or priorities)."""
    if plan.speech is None or not plan.folder.priorities:
        return []
    config = CheckConfig(priorities=plan.folder.priorities, select=frozenset({"coverage"}), keyword_count=0)
    return check_generated(plan.speech, plan.out_dir / SPEECH_FILE, config).coverage


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_file(output: PlannedOutput, path: Path) -> tuple[Document, str]:
    """Write ``output``'s file at ``path``: its document (a letter's is built here, and dropped by the caller)
    and the file's SHA-256 (from the bytes as they were written when the writer gives it, else read back)."""
    document = output.build_document()
    digest = None
    if output.data is not None:
        path.write_bytes(output.data)  # rendered from a Word template; ``document`` was read back from it
        digest = hashlib.sha256(output.data).hexdigest()
    elif output.house is not None:
        output.house.write(document, path, output.profile)
    else:
        digest = write_docx_fast(document, path, output.profile)
    return document, digest if digest is not None else _sha256(path)


def _docx_writer(output: PlannedOutput, hashes: dict[Path, str], review: Callable[[PlannedOutput, Document], None]) -> Writer:
    def write(path: Path) -> None:
        document, hashes[output.path] = _write_file(output, path)
        if not (output.kind == "letter" and output.unit is None):
            review(output, document)

    return write


def _letter_pool(plan: BuildPlan, items: list[tuple[Path, Writer]], hashes: dict[Path, str], config: CheckConfig) -> ForkPool | None:
    """Forked workers for a large batch of letters built when written (no house file, no Word template).

    Their writers in ``items`` are replaced: each takes the file a worker wrote with its hash and
    review, or writes the letter here when its worker failed (so its error is the one a build without
    workers gives). The first letter is always written here, before the workers start, so that they
    inherit warm caches (compiled templates, the meeting as template data, header cuts).
    None when the letters are written here (drafting.build_pool.worker_count).
    """
    lazy = [i for i, o in enumerate(plan.outputs) if o.make is not None and o.house is None and o.data is None]
    workers = worker_count(plan.jobs, len(lazy))
    if not workers:
        return None
    lazy = lazy[1:]
    pool: ForkPool[tuple[str, FileReport | None]] = ForkPool(partial(_write_reviewed, plan.outputs, config), lazy, workers, plan.out_dir)

    def writer(index: int, here: Writer) -> Writer:
        output = plan.outputs[index]

        def write(path: Path) -> None:
            done = pool.take(index)
            if done is None:
                here(path)
                return
            file, (digest, report) = done
            os.replace(file, path)
            hashes[output.path] = digest
            plan.reviewed[output.path] = report

        return write

    for index in lazy:
        items[index] = (items[index][0], writer(index, items[index][1]))
    return pool


def _write_reviewed(outputs: Sequence[PlannedOutput], config: CheckConfig, index: int, path: Path) -> tuple[str, FileReport | None]:
    """In a worker: write one letter at ``path``; its hash and review."""
    output = outputs[index]
    document, digest = _write_file(output, path)
    return digest, _review(output, document, config)


def _hashing(write: Writer, hashes: dict[Path, str], final: Path) -> Writer:
    """``write``, then the written file's hash recorded under its final path (for the manifest)."""

    def hashed(path: Path) -> None:
        write(path)
        hashes[final] = _sha256(path)

    return hashed


@dataclass(frozen=True)
class PreviousEntry:
    """An output an earlier build listed in manifest.json: its .docx and the PDF written beside it.

    ``path`` is the .docx, ``pdf`` the PDF when the manifest lists it; each is set only while
    it exists as a regular file (an entry has at least one).
    """

    entry: dict
    path: Path | None
    pdf: Path | None = None

    @property
    def kind(self) -> str:
        return str(self.entry["kind"])

    def files(self) -> list[tuple[Path, bool]]:
        """(file, unchanged): whether each is byte for byte what drafting wrote (unknown for old manifests → False)."""
        found = []
        for path, key in ((self.path, "sha256"), (self.pdf, "pdf_sha256")):
            if path is not None:
                recorded = self.entry.get(key)
                found.append((path, isinstance(recorded, str) and _sha256(path) == recorded))
        return found


def previous_outputs(out_dir: Path) -> list[PreviousEntry]:
    """Files listed by an existing manifest.json that still exist inside ``out_dir``.

    The manifest is untrusted: entries pointing outside the folder, at links,
    at folders or at non-.docx files are ignored; an unreadable manifest lists nothing.
    """
    manifest = out_dir / MANIFEST_FILE
    try:
        if not manifest.is_file() or manifest.is_symlink() or manifest.stat().st_size > MANIFEST_MAX_BYTES:
            return []
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    root = os.path.realpath(out_dir)
    found: list[PreviousEntry] = []
    for entry in data:
        if not isinstance(entry, dict) or entry.get("kind") not in ENTRY_KINDS.values():
            continue
        relative = entry.get("path")
        if not isinstance(relative, str) or not relative.endswith(".docx") or "\\" in relative:
            continue
        parts = relative.split("/")
        if relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
            continue
        path = out_dir.joinpath(*parts)
        # only the PDF beside the .docx, where --pdf wrote it
        pdf = pdf_path(path) if entry.get("pdf") == pdf_path(PurePosixPath(relative)).as_posix() else None
        docx_file, pdf_file = (_own_file(root, p) for p in (path, pdf))
        if docx_file is not None or pdf_file is not None:
            found.append(PreviousEntry(entry, docx_file, pdf_file))
    return found


def _own_file(root: str, path: Path | None) -> Path | None:
    """``path`` when it is a regular file inside ``root``, reached through no link."""
    if path is None:
        return None
    try:
        outside = os.path.commonpath([root, os.path.realpath(path)]) != root
    except ValueError:  # another drive on Windows
        outside = True
    if outside or path.is_symlink() or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class WriteResult:
    manifest: Path
    removed: list[Path] = field(default_factory=list)  # earlier outputs this build no longer makes, deleted
    kept: list[Path] = field(default_factory=list)  # such outputs changed since, left alone
    stale_removed: list[Path] = field(default_factory=list)  # PDFs of replaced .docx files, unchanged since, deleted
    stale_kept: list[Path] = field(default_factory=list)  # such PDFs changed (or of unknown origin), left alone


def _may_hold_pdfs(folder: Path, seen: dict[Path, bool]) -> bool:
    """Whether ``folder`` may hold a PDF: False only when it is missing or lists no name ending in .pdf (any case).

    Listed once per folder: a batch of 10,000 letters then costs one listing, not 10,000 path resolutions.
    """
    found = seen.get(folder)
    if found is None:
        try:
            with os.scandir(folder) as entries:
                found = any(entry.name[-4:].lower() == ".pdf" for entry in entries)
        except FileNotFoundError:
            found = False
        except OSError:  # not a folder, or unreadable: each file is looked at on its own
            found = True
        seen[folder] = found
    return found


def stale_pdfs(
    out_dir: Path, outputs: Sequence[PlannedOutput], replaced: Sequence[PreviousEntry], force: bool
) -> tuple[list[Path], list[Path]]:
    """(remove, keep): PDFs beside .docx files a build without --pdf writes, which no longer match them.

    A PDF is removed only with ``force`` and when the manifest records it
    unchanged since drafting wrote it; any other (changed, listed without a
    hash by an older drafting, or not listed at all) is kept to be reported.
    """
    root = os.path.realpath(out_dir)
    recorded = {os.path.abspath(p.pdf).casefold(): p for p in replaced if p.pdf is not None}
    remove: list[Path] = []
    keep: list[Path] = []
    folders: dict[Path, bool] = {}
    for output in outputs:
        path = pdf_path(output.path)
        if not _may_hold_pdfs(path.parent, folders):
            continue
        beside = _own_file(root, path)
        if beside is None:
            continue
        previous = recorded.get(os.path.abspath(beside).casefold())
        hashed = previous.entry.get("pdf_sha256") if previous is not None else None
        unchanged = isinstance(hashed, str) and _sha256(beside) == hashed
        (remove if unchanged and force else keep).append(beside)
    return remove, keep


def write_plan(
    plan: BuildPlan,
    *,
    force: bool = False,
    pdf: bool = False,
    wrap: Callable[[Sequence[tuple[Path, Writer]]], Iterable[tuple[Path, Writer]]] = lambda items: items,
) -> WriteResult:
    """Write every planned document and the manifest, all or nothing, under the folder lock.

    Files an earlier build listed in manifest.json for the kinds rebuilt now but
    not made any more (e.g. letters of units gone from the ledger) are deleted in
    the same commit when ``force`` is given and they are unchanged since; without
    ``force`` the build refuses. Entries of kinds not rebuilt are carried over.
    ``wrap`` lets a caller show progress over the items (e.g. click.progressbar).
    With ``pdf`` a PDF is written beside every .docx (drafting.pdf) in the same batch.
    ``plan.jobs`` lets forked workers write a large batch of letters (drafting.build_pool): the same
    files, manifest, reviews and errors as in this process.
    """
    out_dir = plan.out_dir
    manifest_path = out_dir / MANIFEST_FILE
    hashes: dict[Path, str] = {}
    config = _review_config(plan)

    def review(output: PlannedOutput, document: Document) -> None:
        plan.reviewed[output.path] = _review(output, document, config)

    items: list[tuple[Path, Writer]] = [(o.path, _docx_writer(o, hashes, review)) for o in plan.outputs]
    pool = _letter_pool(plan, items, hashes, config)
    batch: PdfBatch | None = None
    if pdf:
        from drafting.pdf import PdfBatch, require_libreoffice

        batch = PdfBatch()
        require_libreoffice()
        pdf_items = []
        for index, (path, write) in enumerate(items):
            items[index] = (path, batch.docx_writer(write)[0])
            pdf_items.append((pdf_path(path), _hashing(batch.pdf_writer(index), hashes, pdf_path(path))))
        items.extend(pdf_items)
    # compared case-insensitively: on Windows and macOS 区发改局.docx and 区发改局.DOCX are one file
    new_paths = {os.path.abspath(o.path).casefold() for o in plan.outputs}
    with output_lock(out_dir):
        carried: list[PreviousEntry] = []
        obsolete: list[PreviousEntry] = []
        replaced: list[PreviousEntry] = []
        for previous in previous_outputs(out_dir):
            if os.path.abspath(out_dir / str(previous.entry["path"])).casefold() in new_paths:
                replaced.append(previous)
                continue
            (obsolete if previous.kind in plan.kinds else carried).append(previous)
        if not force:
            refuse_existing([path for path, _ in items])
            if obsolete:
                raise OutputExistsError(
                    f"上次生成的 {len(obsolete)} 个文件不在本次生成之列（如单位已从台账中删去）。"
                    "加 --force 将删除它们（修改过的文件会保留）；或用 -o 指定其他输出目录",
                    Location(file=str(obsolete[0].path or obsolete[0].pdf)),
                )
        files = [file for previous in obsolete for file in previous.files()]
        removed = [path for path, unchanged in files if unchanged]
        kept = [path for path, unchanged in files if not unchanged]
        stale_removed, stale_kept = ([], []) if pdf else stale_pdfs(out_dir, plan.outputs, replaced, force)

        def manifest() -> list[dict]:
            entries = [o.manifest_entry(out_dir, hashes.get(o.path), pdf, hashes.get(pdf_path(o.path))) for o in plan.outputs]
            return entries + [p.entry for p in carried]

        items.append((manifest_path, json_writer(manifest)))
        try:
            with pool if pool is not None else nullcontext():  # stops the workers, whatever happens
                commit_batch(wrap(items), out_dir, remove=removed + stale_removed)
        finally:
            if batch is not None:
                batch.close()
    return WriteResult(manifest_path, removed, kept, stale_removed, stale_kept)
