"""YAML loading that remembers the line of every mapping key and sequence item.

Built on PyYAML's composed node tree, so error messages can name the line a
problem sits on; also translates pydantic validation errors into Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints, ValidationError

from .archive import size_text
from .errors import InputError, InputErrors, Location

KeyPath = tuple[str | int, ...]

# Limits on any YAML file a meeting folder holds (docs/limits.md). A meeting.yaml is a few KB;
# PyYAML needs about 100 bytes of memory per byte of input, so these keep a load under ~250 MB.
MAX_YAML_BYTES = 1024 * 1024  # meeting.yaml, priorities.yaml, phrases.yaml
MAX_LEDGER_YAML_BYTES = 2 * 1024 * 1024  # projects.yaml (larger ledgers: projects.xlsx)
MAX_YAML_DEPTH = 50  # nesting of mappings and lists
MAX_ALIAS_NODES = 10_000  # values that aliases (*name) may add beyond those written out
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(Exception):
    """A YAML file refused while composing: ``message`` in Chinese, ``line`` 1-based."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(yaml.SafeLoader):
    """Safe loader that leaves impossible timestamps (2026-13-45) as text for parse_date, folds
    a plain value wrapped between two Chinese characters without the space YAML would put there,
    and refuses nesting deeper than MAX_YAML_DEPTH (PyYAML composes recursively)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused(f"嵌套超过{MAX_YAML_DEPTH}层，请检查括号和缩进", mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> Any:
        before = self.buffer[self.pointer - 1] if self.pointer else ""
        line = self.line
        chunks = super().scan_plain_spaces(indent, start_mark)
        if chunks == [" "] and self.line != line and not before.isascii() and not self.peek().isascii():
            return [""]  # 要牢固树立⏎新发展理念 → 要牢固树立新发展理念 (an empty list would end the value)
        return chunks


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _lenient_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more than 4300 digits: left as text, refused by the field's type
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _lenient_int)


@dataclass
class YamlDoc:
    """A loaded YAML file: its data and the line (1-based) of each key path."""

    path: Path
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """Line of ``loc`` (a key path such as a pydantic error loc), or of its nearest existing parent."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def location(self, loc: tuple[Any, ...], field_name: str | None = None) -> Location:
        return Location(file=self.path, line=self.line_of(loc), field=field_name)


def load_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> YamlDoc:
    """Read a UTF-8 YAML file; raise InputError naming the line on bad encoding or syntax,
    and on a file larger than ``max_bytes``, too deeply nested or inflated by aliases."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("文件不存在", Location(file=path)) from None
    except IsADirectoryError:
        raise InputError("这是文件夹，不是文件", Location(file=path)) from None
    except PermissionError:
        raise InputError("没有读取权限", Location(file=path)) from None
    except OSError:
        raise InputError("无法读取文件", Location(file=path)) from None
    if len(raw) > max_bytes:
        raise InputError(f"文件超过 {size_text(max_bytes)}，不像是手写的配置文件，请检查是否选错了文件", Location(file=path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            "文件不是 UTF-8 编码，请用“另存为”选择 UTF-8 编码后再试", Location(file=path, line=line)
        ) from None

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_tree(node)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        raise InputError(exc.message, Location(file=path, line=exc.line)) from None
    except RecursionError:  # a safety net; _check_tree and the depth limit should come first
        raise InputError("嵌套过深，请检查括号和缩进", Location(file=path)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(_syntax_message(exc), Location(file=path, line=line)) from None
    except yaml.YAMLError:
        raise InputError("YAML 格式错误，请检查缩进和冒号", Location(file=path)) from None
    finally:
        loader.dispose()

    doc = YamlDoc(path=path, data=data)
    if node is not None:
        duplicates: list[InputError] = []
        _index(node, (), doc.lines, duplicates, path)
        if duplicates:
            raise InputErrors(duplicates)
    return doc


def _check_tree(root: yaml.Node) -> None:
    """Refuse a self-referencing alias, aliases that inflate the tree beyond MAX_ALIAS_NODES
    (a "billion laughs" file), and text that holds a lone surrogate (from a \\uD800 escape).

    A value weighs 1, plus 1 per 100 characters of text, so a long paragraph aliased
    thousands of times is refused like a deep bomb is.
    """
    written = 0  # weight of the distinct nodes, as written in the file
    expanded: dict[int, int] = {}  # node id → weight under it, aliases counted as often as used
    open_: set[int] = set()  # nodes on the current path: meeting one again is a cycle

    def visit(node: yaml.Node) -> int:
        nonlocal written
        key = id(node)
        if key in expanded:
            return expanded[key]
        if key in open_:
            raise _Refused("别名（*）引用了它自己所在的内容，无法展开", node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            if _SURROGATE.search(node.value):
                raise _Refused("含有无效的字符（单独的代理码位，如 \\uD800）", node.start_mark.line + 1)
            total = 1 + len(node.value) // 100
            written += total
        else:
            total = 1
            written += 1
            open_.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
            for child in children:
                total += visit(child)
                if total > written + MAX_ALIAS_NODES:
                    raise _Refused(
                        f"别名（*）展开后的内容过多（超过{MAX_ALIAS_NODES}项），请直接写出内容",
                        node.start_mark.line + 1,  # the list or mapping that uses the aliases
                    )
            open_.discard(key)
        expanded[key] = total
        return total

    visit(root)


def _index(
    node: yaml.Node, prefix: KeyPath, lines: dict[KeyPath, int], dups: list[InputError], path: Path
) -> None:
    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                dups.append(
                    InputError(f"键“{key}”重复（第{seen[key]}行已有）", Location(file=path, line=line))
                )
                continue
            seen[key] = line
            lines[prefix + (key,)] = line
            _index(value_node, prefix + (key,), lines, dups, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[prefix + (i,)] = item.start_mark.line + 1
            _index(item, prefix + (i,), lines, dups, path)


_SYNTAX_HINTS = (
    ("cannot start any token", "不能用 Tab 缩进或以特殊字符开头，请改用空格缩进，或给值加引号"),
    ("mapping values are not allowed", "此处不能出现“: ”；值里含冒号时请给整个值加引号"),
    ("could not find expected ':'", "缺少冒号“: ”，或缩进不一致"),
    ("did not find expected key", "缩进不一致，或列表与键值混写"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    ("found unknown escape character", "引号内有无效的转义字符（\\）；可改用单引号"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("expected a single document", "文件里只能有一个文档（不要用“---”分隔多个）"),
    ("could not determine a constructor", "使用了不支持的标签（!）"),
)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, hint in _SYNTAX_HINTS:
        if needle in text:
            return f"YAML 格式错误：{hint}"
    return "YAML 格式错误，请检查缩进、冒号和引号"


# --- pydantic errors → Chinese -------------------------------------------------

# Tags of discriminated unions appear in pydantic locs; they are not YAML keys.
TAG_PREFIX = "<"


def clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith(TAG_PREFIX)))


def dotted(loc: tuple[Any, ...]) -> str:
    """Field name shown to the user: keys joined by dots, list indices left out (the line says which)."""
    return ".".join(str(p) for p in loc if not isinstance(p, int))


def shown(value: Any) -> str:
    """A user's value as quoted in a message: dates as ISO, long text cut at 30 characters."""
    if isinstance(value, datetime):
        value = value.date().isoformat()
    text = str(value).strip()
    return text if len(text) <= 30 else text[:30] + "…"


def _one_or_many(value: Any) -> Any:
    # A single item may be written without the list dash.
    return [value] if isinstance(value, str) else value


def in_range(low: float, high: float, above_low: bool = False) -> AfterValidator:
    """A numeric setting's allowed range, said in the message (numbers outside break dates and sums)."""

    def check(value: Any) -> Any:
        if (value <= low if above_low else value < low) or value > high:
            lower = f"大于{low:g}" if above_low else f"{low:g}"
            raise ValueError(f"应在{lower}到{high:g}之间（实际为{shown(value)}）" if not above_low else f"应{lower}且不超过{high:g}（实际为{shown(value)}）")
        return value

    return AfterValidator(check)


# Field types shared by the YAML models.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TextList = Annotated[list[Text], BeforeValidator(_one_or_many)]


_SIMPLE = {
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "数字过大，应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "dict_type": "应为下一级的键值（键: 值）",
    "model_type": "应为下一级的键值（键: 值）",
    "model_attributes_type": "应为下一级的键值（键: 值）",
    "date_type": "无法识别的日期",
    "date_parsing": "无法识别的日期",
    "date_from_datetime_parsing": "无法识别的日期",
    "date_from_datetime_inexact": "无法识别的日期",
}


def translate(error: dict[str, Any], allowed_keys: list[str] | None = None) -> str:
    """One pydantic error as a Chinese phrase; never returns pydantic's English text."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "缺少必填项"
    if kind == "extra_forbidden":
        key = error["loc"][-1] if error.get("loc") else value
        message = f"不认识的键“{key}”"
        if allowed_keys:
            import difflib  # only for a misspelt key

            close = difflib.get_close_matches(str(key), allowed_keys, n=1)
            if close:
                message += f"，是不是“{close[0]}”？"
            message += f"（可用的键：{'、'.join(allowed_keys)}）"
        return message
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if options:
            return f"应为以下之一：{'、'.join(options)}（实际为“{shown(value)}”）"
        return "取值不在允许范围内"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "too_short":
        return f"至少要有{ctx.get('min_length', 1)}项"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": "不能小于",
            "greater_than": "应大于",
            "less_than_equal": "不能大于",
            "less_than": "应小于",
        }
        return f"{words[kind]}{bound}（实际为{shown(value)}）"
    if kind in _SIMPLE:
        if value is None:
            return "此处为空，缺少内容"
        if kind.startswith("date"):
            return f"无法识别的日期“{shown(value)}”"
        if isinstance(value, (dict, list)):
            return _SIMPLE[kind]
        return f"{_SIMPLE[kind]}，而不是“{shown(value)}”"
    if kind == "custom" or kind.startswith("x_"):
        return str(error.get("msg", "内容不符合要求"))
    return "内容不符合要求" if value is None else f"内容不符合要求（“{shown(value)}”）"


def validation_errors(
    doc: YamlDoc, exc: ValidationError, model: type | None = None, prefix: tuple[Any, ...] = ()
) -> InputErrors:
    """All errors of ``exc`` as InputErrors, each with its YAML line and dotted field name.

    ``prefix`` is prepended to each loc (when the model was validated from a sub-tree);
    ``model`` lets an unknown key be answered with the keys that are allowed there.
    """
    found: list[InputError] = []
    for error in exc.errors(include_url=False):
        loc = prefix + clean_loc(tuple(error["loc"]))
        allowed = None
        if error.get("type") == "extra_forbidden" and model is not None:
            allowed = allowed_keys(model, clean_loc(tuple(error["loc"]))[:-1])
        error = {**error, "loc": loc}
        found.append(InputError(translate(error, allowed), doc.location(loc, dotted(loc) or None)))
    return InputErrors(found)


def allowed_keys(model: type, loc: tuple[Any, ...]) -> list[str] | None:
    """Field names of the sub-model reached by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional / list / Annotated down to one model class, if there is exactly one."""
    for _ in range(6):
        args = get_args(annotation)
        if not args or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return annotation
        if get_origin(annotation) in (list, tuple):
            annotation = args[0]
            continue
        candidates = [
            get_args(a)[0] if get_origin(a) is Annotated else a for a in args if a is not type(None)
        ]
        models = [a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) > 1:
            return None
        annotation = models[0] if len(models) == 1 else candidates[0]
    return annotation
