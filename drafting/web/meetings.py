"""Creating and changing meeting folders in the workspace; every change is validated in staging first."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from starlette.datastructures import UploadFile

from drafting.errors import InputError, Location
from drafting.example import write_example
from drafting.folder import LEDGER_FILES, MEETING_FILE, PRIORITIES_FILE, load_meeting_folder
from drafting.ledger import load_ledger
from drafting.meeting import load_meeting
from drafting.priorities import load_priorities
from drafting.web.builds import user_message
from drafting.web.forms import LEDGER_SUFFIXES, YAML_SUFFIXES, ZIP_SUFFIXES, save_upload
from drafting.web.uploads import Limits, clean_name, extract_zip
from drafting.web.workspace import Workspace

ROLES = {
    "meeting": (MEETING_FILE, YAML_SUFFIXES, load_meeting, "会议信息"),
    "ledger": ("projects.xlsx", LEDGER_SUFFIXES, load_ledger, "项目台账"),
    "priorities": (PRIORITIES_FILE, YAML_SUFFIXES, load_priorities, "重点工作清单"),
}


def _place(workspace: Workspace, folder: Path, wanted: str) -> str:
    """Move a validated staging folder into the workspace under a new safe name."""
    name = workspace.new_name(wanted)
    os.replace(folder, workspace.root / name)
    return name


def _validated(folder: Path, stage: Path) -> None:
    try:
        load_meeting_folder(folder)
    except InputError as exc:
        raise InputError(user_message(exc, stage)) from None


def create_from_example(workspace: Workspace, wanted: str) -> str:
    with workspace.staging() as stage:
        folder = stage / "meeting"
        write_example(folder)
        return _place(workspace, folder, wanted or "示例会议")


def create_from_upload(workspace: Workspace, upload: UploadFile, wanted: str, limits: Limits) -> str:
    """A meeting from a .zip of its folder, or from a ledger (.xlsx) put into a copy of the example."""
    safe = clean_name(upload.filename or "", ZIP_SUFFIXES + LEDGER_SUFFIXES)
    stem = safe.rsplit(".", 1)[0]
    with workspace.staging() as stage:
        if safe.lower().endswith(".zip"):
            archive = save_upload(upload, stage, ZIP_SUFFIXES, name="upload.zip")
            folder = extract_zip(archive, stage / "unpacked", shown=safe, limits=limits)
            default = folder.name if folder != stage / "unpacked" else stem
        else:
            folder = stage / "meeting"
            write_example(folder)
            for name in LEDGER_FILES:
                (folder / name).unlink(missing_ok=True)
            save_upload(upload, folder, LEDGER_SUFFIXES, name="projects.xlsx")
            default = stem
        _validated(folder, stage)
        return _place(workspace, folder, wanted or default)


def replace_file(workspace: Workspace, folder: Path, role: str, upload: UploadFile) -> str:
    """Replace meeting.yaml, the ledger or priorities.yaml of a meeting after validating the new file."""
    if role not in ROLES:
        raise InputError("未知的文件种类", Location(field="role"))
    target_name, suffixes, load, _ = ROLES[role]
    with workspace.staging() as stage:
        staged = save_upload(upload, stage, suffixes, name=target_name)
        try:
            load(staged)
        except InputError as exc:
            raise InputError(user_message(exc, stage)) from None
        with workspace.editing(folder):
            shutil.move(str(staged), str(folder / target_name))
            if role == "ledger":  # projects.xlsx wins anyway; drop a YAML ledger so nothing is ambiguous
                for name in LEDGER_FILES:
                    if name != target_name:
                        (folder / name).unlink(missing_ok=True)
    return target_name
