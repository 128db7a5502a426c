"""A meeting's house 版式 files on the 模板 page: which file each document is built on and where it comes from;
uploading (checked as a build would check it), replacing and deleting the meeting's own.

The lookup is the build's (``house.locate``); a file's name on disk is always one of
the fixed names (``版式/通报.docx``…), never the uploaded file's name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from drafting.archive import size_text
from drafting.build import ENTRY_KINDS
from drafting.buildkinds import KIND_LABELS
from drafting.errors import InputError, Location
from drafting.folder import MEETING_FILE, TEMPLATES_DIR, member
from drafting.house.inspect import HouseInspection, inspect_house_file
from drafting.house.inspect_report import STATUS_NAMES, verdict
from drafting.house.locate import DEFAULT_NAME, HOUSE_DIR, KIND_NAMES, find_house_file
from drafting.house.package import MAX_HOUSE_BYTES, OTHER_SUFFIXES, SAVE_AS_HINT
from drafting.templating.library import user_library_dir
from drafting.web.builds import user_message
from drafting.wordspeech import SPEECH_TEMPLATE
from drafting.wordtemplate import LETTER_TEMPLATE, NOTICE_TEMPLATE
from drafting.web.workspace import Workspace

MEETING, USER = "meeting", "user"
SOURCE_NAMES = {MEETING: "本会议 版式/", USER: "个人模板库 版式/"}
# the file names a 版式 folder may hold, in the order of the build's kinds, 默认 last
# kinds a Word-authored template (templates/<name>.docx) makes whole; a build puts no house file under them
WORD_TEMPLATES = {"speech": SPEECH_TEMPLATE, "letters": LETTER_TEMPLATE, "notice": NOTICE_TEMPLATE}
STEMS = (*dict.fromkeys(KIND_NAMES[ENTRY_KINDS[kind]] for kind in KIND_LABELS if ENTRY_KINDS[kind] in KIND_NAMES), DEFAULT_NAME)


@dataclass(frozen=True)
class HouseUse:
    """The house file one kind of document is built on (or none)."""

    label: str  # 讲话稿, 目标责任书…
    path: Path | None
    source: str | None  # meeting | user
    stem: str | None  # 通报, 默认…
    error: str | None = None  # e.g. a .doc where a .docx should be
    word_template: str | None = None  # templates/目标责任书.docx: the document is that Word file, no house file


@dataclass(frozen=True)
class HouseSlot:
    """One file name of a 版式 folder: what it is for and whether the meeting and the user library have it."""

    stem: str
    serves: str  # 进度通报 / 其余各种公文
    meeting_file: Path | None
    user_file: Path | None

    @property
    def filename(self) -> str:
        return f"{self.stem}.docx"


def _source(path: Path, meeting: Path | None) -> str:
    return MEETING if meeting is not None and path.parent.parent == meeting else USER


def _user_file(stem: str) -> Path | None:
    library = user_library_dir()
    root = member(library, HOUSE_DIR, directory=True) if library.is_dir() else None
    return member(root, f"{stem}.docx") if root is not None else None


def house_uses(meeting: Path | None) -> list[HouseUse]:
    """For each kind the build makes: its house file as a build of ``meeting`` finds it (without a meeting: the user library's)."""
    uses = []
    for kind, label in KIND_LABELS.items():
        entry_kind = ENTRY_KINDS[kind]
        word = _word_template(meeting, kind)
        if word is not None:
            uses.append(HouseUse(label, None, None, None, word_template=word))
            continue
        try:
            if meeting is not None:
                path = find_house_file(meeting, entry_kind)
            else:
                stems = [KIND_NAMES[entry_kind], DEFAULT_NAME] if entry_kind in KIND_NAMES else [DEFAULT_NAME]
                path = next((found for found in map(_user_file, stems) if found is not None), None)
        except InputError as exc:
            shown = user_message(exc, *(root for root in (meeting, user_library_dir()) if root is not None))
            uses.append(HouseUse(label, None, None, None, shown))
            continue
        if path is None:
            uses.append(HouseUse(label, None, None, None))
        else:
            uses.append(HouseUse(label, path, _source(path, meeting), path.stem))
    return uses


def _word_template(meeting: Path | None, kind: str) -> str | None:
    """The Word template a build of ``meeting`` renders this kind from (the meeting's templates/, then the user library)."""
    if kind not in WORD_TEMPLATES:
        return None
    name = f"{WORD_TEMPLATES[kind]}.docx"
    places = [(meeting, TEMPLATES_DIR, "本会议")] if meeting is not None else []
    places.append((user_library_dir(), None, "个人模板库"))
    for base, sub, shown in places:
        try:
            root = member(base, sub, directory=True) if sub else (base if base.is_dir() else None)
            if root is not None and member(root, name) is not None:
                return f"{shown} {sub + '/' if sub else ''}{name}"
        except InputError:
            continue
    return None


def house_slots(meeting: Path | None) -> list[HouseSlot]:
    serves: dict[str, list[str]] = {stem: [] for stem in STEMS}
    for kind, label in KIND_LABELS.items():
        stem = KIND_NAMES.get(ENTRY_KINDS[kind])
        if stem is not None:
            serves[stem].append(label)
    slots = []
    own = _meeting_root(meeting) if meeting is not None else None
    for stem in STEMS:
        purpose = "、".join(serves[stem]) if stem != DEFAULT_NAME else "没有专用版式文件的各种公文"
        meeting_file = _safe_member(own, f"{stem}.docx") if own is not None else None
        slots.append(HouseSlot(stem, purpose, meeting_file, _safe(_user_file, stem)))
    return slots


def _meeting_root(meeting: Path) -> Path | None:
    try:
        return member(meeting, HOUSE_DIR, directory=True)
    except InputError:
        return None


def _safe_member(root: Path, name: str) -> Path | None:
    try:
        return member(root, name)
    except InputError:
        return None


def _safe(find, stem: str) -> Path | None:  # type: ignore[no-untyped-def]
    try:
        return find(stem)
    except InputError:
        return None


def _stem(name: str) -> str:
    if name not in STEMS:
        raise InputError("没有这个版式文件名（可用：" + "、".join(f"{s}.docx" for s in STEMS) + "）", Location(file=name or None))
    return name


def house_file(meeting: Path | None, name: str, source: str) -> Path:
    """A house file to download: the meeting's or the user library's, by its fixed name."""
    stem = _stem(name)
    found = None
    if source == MEETING and meeting is not None:
        root = _meeting_root(meeting)
        found = _safe_member(root, f"{stem}.docx") if root is not None else None
    elif source == USER:
        found = _safe(_user_file, stem)
    if found is None:
        raise InputError("没有这个版式文件", Location(file=f"{HOUSE_DIR}/{stem}.docx"))
    return found


def _known_fields(meeting: Path) -> tuple[set[str] | None, str]:
    """The fields this meeting offers and its house.styles setting; (None, ours) when meeting.yaml cannot be read yet."""
    from drafting.house.splice import known_fields
    from drafting.meeting import load_meeting

    try:
        loaded = load_meeting(meeting / MEETING_FILE)
    except InputError:
        return None, "ours"
    return known_fields(loaded), loaded.house.styles


async def save_house_upload(workspace: Workspace, meeting: Path, name: str, upload: UploadFile) -> HouseInspection:
    """Check an uploaded house file as a build would and put it in the meeting's 版式/ as ``name``.docx."""
    stem = _stem(name)
    shown = f"{HOUSE_DIR}/{stem}.docx"
    suffix = PurePath(upload.filename or "").suffix.lower()
    if suffix in OTHER_SUFFIXES:
        raise InputError(f"版式文件须为 .docx 格式，不能使用 {suffix} 文件；{SAVE_AS_HINT}", Location(file=shown))
    if upload.size is not None and upload.size > MAX_HOUSE_BYTES:
        raise InputError(f"版式文件过大（最多 {size_text(MAX_HOUSE_BYTES)}），请压缩或删去其中的大图片", Location(file=shown))
    with workspace.staging() as stage:
        staged = stage / HOUSE_DIR / f"{stem}.docx"
        staged.parent.mkdir()
        await upload.seek(0)
        written = 0
        with open(staged, "xb") as out:
            while chunk := await upload.read(1024 * 1024):
                written += len(chunk)
                if written > MAX_HOUSE_BYTES:
                    raise InputError(f"版式文件过大（最多 {size_text(MAX_HOUSE_BYTES)}），请压缩或删去其中的大图片", Location(file=shown))
                out.write(chunk)
        return await run_in_threadpool(_check_and_place, meeting, stage, staged)


def _check_and_place(meeting: Path, stage: Path, staged: Path) -> HouseInspection:
    from drafting.house.splice import load_house_template

    known, styles = _known_fields(meeting)
    try:
        inspection = inspect_house_file(staged, known=known)
        if not inspection.usable:
            raise InputError(verdict(inspection), Location(file=staged))
        load_house_template(staged, known if known is not None else _all_fields(staged), styles)  # every check of a build
    except InputError as exc:
        raise InputError(user_message(exc, stage)) from None
    target_dir = meeting / HOUSE_DIR
    if target_dir.is_symlink() or (target_dir.exists() and not target_dir.is_dir()):
        raise InputError("会议文件夹中的“版式”不是普通文件夹，无法保存", Location(file=HOUSE_DIR))
    target_dir.mkdir(exist_ok=True)
    target = target_dir / staged.name
    if target.is_symlink():
        target.unlink()
    os.replace(staged, target)
    inspection.path = target
    return inspection


def _all_fields(path: Path) -> set[str]:
    """Without a readable meeting.yaml the fields cannot be judged yet: take every field the file has as known."""
    from drafting.house.fields import list_fields

    return {f.name for f in list_fields(path)}


def remove_house_file(meeting: Path, name: str) -> None:
    """Delete the meeting's own house file ``name``.docx (the user library's or none is used afterwards)."""
    stem = _stem(name)
    root = _meeting_root(meeting)
    target = root / f"{stem}.docx" if root is not None else None
    if target is None or not (target.is_file() or target.is_symlink()):
        raise InputError("本会议没有这个版式文件", Location(file=f"{HOUSE_DIR}/{stem}.docx"))
    target.unlink()


def inspect_meeting_house(meeting: Path, name: str) -> HouseInspection:
    """The check report of the meeting's own house file ``name`` (shown after an upload)."""
    path = house_file(meeting, name, MEETING)
    known, _ = _known_fields(meeting)
    return inspect_house_file(path, known=known)


def house_view(meeting: Path | None, checked_name: str = "") -> dict[str, Any]:
    """What the 模板 page shows of house files; with ``checked_name`` (通报…) also the check report of the meeting's file."""
    checked = None
    if meeting is not None and checked_name:
        try:
            inspection = inspect_meeting_house(meeting, checked_name)
            checked = {"name": checked_name, "verdict": verdict(inspection), "items": inspection.items}
        except InputError:
            checked = None
    return {
        "house_uses": house_uses(meeting),
        "house_slots": house_slots(meeting),
        "house_sources": SOURCE_NAMES,
        "house_checked": checked,
        "status_names": STATUS_NAMES,
    }
