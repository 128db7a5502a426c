"""The sandboxed Jinja environment templates run in, and rendering with located errors.

Templates come from the meeting folder (written by users), so they run in
:class:`drafting.templating.sandbox.DraftingSandbox` (an allowlist, bounded
time, text and nesting) with strict undefined variables, see only plain data
(:mod:`drafting.templating.plain`), and are loaded only from real files inside
the search paths (:class:`TemplateLoader`: no links, nothing outside). Every
failure becomes a :class:`drafting.errors.TemplateError` in Chinese that names
the template file and line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping, Sequence

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import missing

from drafting.errors import Location, TemplateError
from drafting.resources import templates_dir, user_cache_dir
from drafting.templating import library, limits
from drafting.templating.bytecode import trusted_cache
from drafting.templating.filters import FILTERS
from drafting.templating.plain import to_plain
from drafting.templating.sandbox import (
    GLOBALS,
    DraftingSandbox,
    TemplateLimitError,
    escape_value_line_starts,
    finalize,
    make_filters,
    render_budget,
)

REFUSED = "模板拒绝执行不安全的操作"

# Chinese gist of the commonest jinja2 syntax messages; the original follows in brackets.
_SYNTAX_HINTS = (
    (re.compile(r"No filter named '([^']+)'"), "没有名为“{0}”的过滤器"),
    (re.compile(r"No test named '([^']+)'"), "没有名为“{0}”的测试"),
    (re.compile(r"Encountered unknown tag '([^']+)'"), "未知的标签“{0}”"),
    (
        re.compile(r"end of template.*innermost block that needs to be closed is '([^']+)'", re.I | re.S),
        "模板意外结束：“{0}”块缺少结束标签 end{0}",
    ),
    (re.compile(r"unexpected end of template", re.I), "模板意外结束，可能缺少 endif / endfor 等结束标签"),
    (re.compile(r"unexpected '([^']+)'"), "此处不应出现“{0}”"),
)


class ChineseStrictUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error says, in Chinese, which name is undefined or refused."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # jinja2 builds the error from this
        name = self._undefined_name
        if self._undefined_exception is SecurityError:
            return f"{REFUSED}：不允许访问“{name}”"
        if self._undefined_hint:
            return f"取值失败（{self._undefined_hint}）"
        if self._undefined_obj is missing:
            return f"变量“{name}”未定义"
        if not isinstance(name, str):
            return f"没有下标为{name!r}的一项"
        return f"“{name}”未定义：所取的对象中没有这一项"


def default_search_paths(meeting_templates: Path | None = None) -> list[Path]:
    """The usual lookup order: a meeting's own templates folder (MeetingFolder.templates_dir), the user's
    library when it exists, then the built-in ones (drafting.templating.library)."""
    return library.search_paths(meeting_templates)


class TemplateLoader(jinja2.BaseLoader):
    """Loads templates from the search paths, first match wins, refusing anything that is not plainly inside one.

    A template (or a folder on its way) that is a link, whose real path lies
    outside its search path, or that is not a regular file is refused with a
    TemplateError naming it; so is a file over ``limits.MAX_TEMPLATE_BYTES`` or
    not in UTF-8. Each search path is an allowed root (the meeting's
    ``templates/``, the user library, the built-in folder). ``builtin/NAME``
    is looked up in the built-in folder only (for ``{% extends "builtin/speech.gw.j2" %}``).
    """

    def __init__(self, searchpath: Sequence[Path], encoding: str = "utf-8-sig") -> None:
        self.searchpath = [str(p) for p in searchpath]
        self.encoding = encoding

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        roots = self.searchpath
        if template.startswith(library.BUILTIN_PREFIX):
            # builtin/NAME: the built-in template only, so that a meeting's NAME can extend it
            roots = [str(templates_dir())]
            template = template[len(library.BUILTIN_PREFIX) :]
        pieces = split_template_path(template)
        for root in roots:
            candidate = os.path.join(root, *pieces)
            if not os.path.lexists(candidate):
                continue
            path = _checked_template_path(Path(root), pieces)
            if path is None:
                continue
            text = _read_template(path, self.encoding)
            mtime = os.path.getmtime(path)
            return text, str(path), lambda: _mtime_or_none(path) == mtime
        raise jinja2.TemplateNotFound(template)


def _checked_template_path(root: Path, pieces: Sequence[str]) -> Path | None:
    """The template file under ``root``; None for a folder; TemplateError for a link or anything outside ``root``."""
    current = root
    for piece in pieces:
        current = current / piece
        if current.is_symlink():
            raise TemplateError("模板是指向别处的链接（符号链接），出于安全原因不读取；请换成真实的文件", Location(file=current))
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(current))
    if not real.is_relative_to(real_root):
        raise TemplateError(f"模板的实际位置在模板文件夹 {root} 之外，出于安全原因不读取", Location(file=current))
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        raise TemplateError("模板不是普通文件，不读取", Location(file=current))
    return current


def _read_template(path: Path, encoding: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateError(f"无法读取模板：{exc.strerror or exc}", Location(file=path)) from exc
    if len(data) > limits.MAX_TEMPLATE_BYTES:
        raise TemplateError(f"模板文件超过{limits.MAX_TEMPLATE_BYTES // 1_000_000}MB，不读取", Location(file=path))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TemplateError(
            "模板文件不是 UTF-8 编码（可能是 GBK），无法识别，请用记事本等“另存为 UTF-8”", Location(file=path, line=line)
        ) from None


def _mtime_or_none(path: Path) -> float | None:
    try:
        return os.path.getmtime(path)
    except OSError:
        return None


def make_environment(search_paths: Sequence[Path]) -> SandboxedEnvironment:
    """A sandboxed environment loading templates from ``search_paths``, first match wins.

    Block tags leave no blank lines or indentation behind (trim_blocks,
    lstrip_blocks), since templates produce line-oriented 公文标记. An environment
    serves one build: a template is read and compiled once, and not checked on
    disk again at every include (no auto_reload), so every letter of a batch
    uses the same version of it.
    """
    env = DraftingSandbox(
        auto_reload=False,
        # utf-8-sig: templates saved by Windows Notepad start with a BOM.
        loader=TemplateLoader(search_paths, encoding="utf-8-sig"),
        undefined=ChineseStrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
        # built-in and user-library templates compiled once per user; a meeting's own never cached
        bytecode_cache=trusted_cache(user_cache_dir(), [templates_dir(), library.user_library_dir()]),
    )
    env.filters = make_filters(FILTERS)
    env.globals = dict(GLOBALS)
    return env


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name`` with ``context`` turned into plain data; any failure raises TemplateError naming the file and line.

    The render is bounded by ``limits.py``; a data value that lands at the start
    of a line is escaped so that it is never read as 公文标记 structure.
    """
    try:
        plain = to_plain(context)
        with render_budget():
            text = env.get_template(name).render(plain)
        return escape_value_line_starts(text)
    except TemplateError:
        raise
    except TemplateLimitError as exc:
        raise TemplateError(str(exc), _render_location(exc.__traceback__, name)) from None
    except RecursionError:
        raise TemplateError(
            "模板嵌套过深，已停止（可能是模板互相 include / extends / import，或宏无限递归）", Location(file=name)
        ) from None
    except MemoryError:
        raise TemplateError("模板占用内存过多，已停止", Location(file=name)) from None
    except jinja2.TemplateSyntaxError as exc:
        location = Location(file=_template_file(exc.filename or exc.name or name), line=exc.lineno)
        raise TemplateError(_syntax_message(exc.message or ""), location) from exc
    except jinja2.TemplateNotFound as exc:
        missing_names = "、".join(f"“{n}”" for n in getattr(exc, "templates", [exc.name]))
        where = _search_paths_text(env)
        message = f"找不到模板{missing_names}" + (f"（查找位置：{where}）" if where else "")
        raise TemplateError(message, _render_location(exc.__traceback__, name)) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(str(exc), _render_location(exc.__traceback__, name)) from exc
    except SecurityError as exc:
        # Unsafe attributes come through ChineseStrictUndefined already worded.
        detail = str(exc)
        message = detail if detail.startswith(REFUSED) else f"{REFUSED}：{detail}"
        raise TemplateError(message, _render_location(exc.__traceback__, name)) from exc
    except Exception as exc:  # raised by a filter or a method called in the template
        detail = str(exc) or type(exc).__name__
        raise TemplateError(f"模板执行出错：{detail}", _render_location(exc.__traceback__, name)) from exc


def _render_location(tb: TracebackType | None, fallback_name: str) -> Location:
    """File and line of the innermost template frame.

    jinja2 rewrites the traceback of errors raised while rendering so that
    frames of compiled template code carry the template's filename and source
    line; those fake frames are marked by ``__jinja_exception__`` in their globals.
    """
    found: tuple[str, int] | None = None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None:
        return Location(file=fallback_name)
    return Location(file=_template_file(found[0]), line=found[1])


def _syntax_message(detail: str) -> str:
    for pattern, hint in _SYNTAX_HINTS:
        match = pattern.search(detail)
        if match:
            return f"模板语法错误：{hint.format(*match.groups())}（{detail}）"
    return f"模板语法错误（{detail}）"


def _template_file(filename: str) -> Path | str:
    return Path(filename) if filename and not filename.startswith("<") else filename


def _search_paths_text(env: jinja2.Environment) -> str:
    loader = env.loader
    paths = getattr(loader, "searchpath", None) or []
    return "；".join(str(p) for p in paths)
