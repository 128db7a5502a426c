"""Which templates a meeting uses and where each comes from; replacing one in the meeting's templates/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from drafting.build import ENTRY_KINDS
from drafting.buildkinds import KIND_LABELS
from drafting.errors import InputError, Location
from drafting.folder import TEMPLATES_DIR
from drafting.resources import templates_dir
from drafting.templating.environment import make_environment
from drafting.templating.library import library_roots

TEMPLATE_SUFFIX = ".gw.j2"
MAX_TEMPLATE_BYTES = 256 * 1024
# a template's first path part is the manifest kind of the document it writes (speech, letter, notice, call, minutes)
DOCUMENT_NAMES = {ENTRY_KINDS[kind]: label for kind, label in KIND_LABELS.items()}


@dataclass(frozen=True)
class TemplateEntry:
    name: str  # posix path relative to a templates folder, e.g. "speech/opening.gw.j2"
    source: str  # "meeting" | "user" | "builtin" (drafting.templating.library's origins)
    path: Path

    @property
    def document(self) -> str:
        """Which document the template belongs to (讲话稿, 目标责任书, 进度通报)."""
        head = self.name.split("/", 1)[0].removesuffix(TEMPLATE_SUFFIX)
        return DOCUMENT_NAMES.get(head.split("_", 1)[0], "")  # speech_mobilize.gw.j2: a kind's speech


def builtin_names() -> list[str]:
    root = templates_dir()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(f"*{TEMPLATE_SUFFIX}") if p.is_file())


def templates_in_use(meeting: Path | None) -> list[TemplateEntry]:
    """Every built-in template name, resolved as a build resolves it: the meeting's copy, the user library, built-in."""
    roots = library_roots(meeting / TEMPLATES_DIR if meeting is not None else None)
    entries = []
    for name in builtin_names():
        for origin, root in roots:
            candidate = root / name
            if candidate.is_file() and not candidate.is_symlink():
                entries.append(TemplateEntry(name, origin, candidate))
                break
    return entries


def find_template(meeting: Path | None, name: str) -> TemplateEntry:
    for entry in templates_in_use(meeting):
        if entry.name == name:
            return entry
    raise InputError("没有这个模板", Location(file=name))


def save_template(meeting: Path, name: str, data: bytes) -> Path:
    """Put an uploaded template into the meeting's templates/ under a known built-in name, after a syntax check."""
    if name not in builtin_names():
        raise InputError("只能替换已有的模板（名称须与内置模板相同）", Location(file=name))
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InputError(f"模板文件过大（上限 {MAX_TEMPLATE_BYTES // 1024} KB）", Location(file=name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("模板须为 UTF-8 编码的文本", Location(file=name)) from None
    env = make_environment([templates_dir()])
    try:
        env.parse(text)
    except Exception as exc:  # noqa: BLE001 - jinja2's syntax errors, said with their line
        line = getattr(exc, "lineno", None)
        raise InputError(f"模板语法错误：{getattr(exc, 'message', exc)}", Location(file=name, line=line)) from None
    target = meeting / TEMPLATES_DIR / PurePosixPath(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, target)
    return target


def remove_template(meeting: Path, name: str) -> None:
    """Go back to the built-in template: remove the meeting's own copy."""
    if name not in builtin_names():
        raise InputError("没有这个模板", Location(file=name))
    target = meeting / TEMPLATES_DIR / PurePosixPath(name)
    if target.is_file() or target.is_symlink():
        target.unlink()
