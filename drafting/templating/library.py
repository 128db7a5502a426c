"""The template library: where templates are looked up, listed, shown and copied from.

Lookup order, first match wins: the meeting folder's ``templates/`` → the user's
library (:func:`user_library_dir`) → the built-in templates. A template may
``{% extends "builtin/NAME" %}`` to inherit the built-in version of itself and
override one ``{% block %}`` (docs/templates.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from drafting.errors import InputError, Location
from drafting.output import Writer, commit_batch, refuse_existing
from drafting.resources import templates_dir

ENV_VAR = "DRAFTING_TEMPLATES"
SUFFIX = ".gw.j2"
BUILTIN_PREFIX = "builtin/"

MEETING, USER, BUILTIN = "meeting", "user", "builtin"
ORIGIN_NAMES = {MEETING: "会议文件夹", USER: "个人模板库", BUILTIN: "内置"}


def user_library_dir(environ: dict[str, str] | None = None, platform: str | None = None) -> Path:
    """The per-user template library.

    ``DRAFTING_TEMPLATES`` wins; otherwise ``%APPDATA%\\drafting\\templates`` on
    Windows and ``$XDG_CONFIG_HOME/drafting/templates`` (default
    ``~/.config/drafting/templates``) elsewhere.
    """
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    if platform.startswith("win"):
        base = env.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "drafting" / "templates"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "drafting" / "templates"


def library_roots(meeting_templates: Path | None = None) -> list[tuple[str, Path]]:
    """(origin, folder) in lookup order; the user library only when it exists."""
    roots: list[tuple[str, Path]] = []
    if meeting_templates is not None:
        roots.append((MEETING, Path(meeting_templates)))
    user = user_library_dir()
    if user.is_dir():
        roots.append((USER, user))
    roots.append((BUILTIN, templates_dir()))
    return roots


def search_paths(meeting_templates: Path | None = None) -> list[Path]:
    return [path for _, path in library_roots(meeting_templates)]


@dataclass(frozen=True)
class TemplateInfo:
    name: str  # posix path relative to its root, e.g. speech/closing.gw.j2
    origin: str  # MEETING | USER | BUILTIN
    path: Path
    shadows: tuple[str, ...] = ()  # origins further down the lookup order that have the same name

    @property
    def origin_name(self) -> str:
        return ORIGIN_NAMES[self.origin]

    @property
    def description(self) -> str:
        return describe(self.path)


def _plain_file(root: Path, path: Path) -> bool:
    """A regular file really inside ``root``, no link on the way (the loader refuses the others too)."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return False
    try:
        inside = Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except OSError:
        return False
    return inside and path.is_file()


def _names(root: Path) -> list[str]:
    if not root.is_dir() or root.is_symlink():
        return []
    found = []
    for path in root.rglob(f"*{SUFFIX}"):
        if _plain_file(root, path):
            found.append(path.relative_to(root).as_posix())
    return found


def list_templates(meeting_templates: Path | None = None) -> list[TemplateInfo]:
    """Every template name once, from the root that wins, sorted by name."""
    seen: dict[str, TemplateInfo] = {}
    for origin, root in library_roots(meeting_templates):
        for name in _names(root):
            if name in seen:
                first = seen[name]
                seen[name] = TemplateInfo(first.name, first.origin, first.path, (*first.shadows, origin))
            else:
                seen[name] = TemplateInfo(name, origin, root / name)
    return [seen[name] for name in sorted(seen, key=lambda n: (n.count("/"), n))]


def normalize_name(name: str) -> str:
    """A template name as typed by a user: ``speech/closing`` or ``speech\\closing.gw.j2`` → ``speech/closing.gw.j2``.

    Refuses absolute names and ``..`` (a name never leaves its root).
    """
    text = name.strip().replace("\\", "/")
    if not text:
        raise InputError("模板名称不能为空")
    if text.startswith(BUILTIN_PREFIX):
        text = text[len(BUILTIN_PREFIX) :]
    if not text.endswith(SUFFIX):
        text += SUFFIX
    parts = PurePosixPath(text).parts
    if not text or text.startswith("/") or ":" in text or any(p in ("..", ".") for p in parts):
        raise InputError(f"模板名称“{name}”不合法：应为 speech.gw.j2、speech/closing.gw.j2 这样的相对名称")
    return "/".join(parts)


def find_template(name: str, meeting_templates: Path | None = None, *, builtin_only: bool = False) -> TemplateInfo:
    """The template ``name`` resolves to, or an InputError listing where it was looked for."""
    wanted = normalize_name(name)
    roots = library_roots(meeting_templates)
    if builtin_only or name.strip().startswith(BUILTIN_PREFIX):
        roots = [(o, r) for o, r in roots if o == BUILTIN]
    for origin, root in roots:
        path = root / wanted
        if root.is_dir() and _plain_file(root, path):
            return TemplateInfo(wanted, origin, path)
    where = "；".join(f"{ORIGIN_NAMES[o]} {r}" for o, r in roots)
    raise InputError(f"找不到模板“{wanted}”（查找位置：{where}）。可用 drafting templates list 查看全部模板")


def describe(path: Path) -> str:
    """The template's one-line description: the first line of its leading ``{#- … -#}`` comment."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    text = text.lstrip()
    if not text.startswith("{#"):
        return ""
    body = text[2:].split("#}", 1)[0].lstrip("-").strip()
    first = body.splitlines()[0].strip() if body else ""
    return first.rstrip("-").strip()


def meeting_template_target(folder: Path, name: str) -> Path:
    """``folder``/templates/``name`` to copy a template to: the meeting folder must exist, no link on the way."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("会议文件夹不存在", Location(file=str(folder)))
    target = folder / "templates" / name
    current = folder
    for part in target.relative_to(folder).parts:
        current = current / part
        if current.is_symlink():
            raise InputError("模板文件夹或目标文件是指向别处的链接，出于安全原因不写入", Location(file=str(current)))
    return target


def copy_template(name: str, folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in template ``name`` into ``folder``/templates/ (same relative path), to customise.

    ``folder`` is a meeting folder (it must exist). Refuses to overwrite
    without ``force``. Returns the written path.
    """
    info = find_template(name, builtin_only=True)
    target = meeting_template_target(folder, info.name)
    if not force:
        refuse_existing([target], hint="如需覆盖，请加 --force")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = info.path
    items: list[tuple[Path, Writer]] = [(target, lambda path: shutil.copyfile(source, path))]
    return commit_batch(items, target.parent)
