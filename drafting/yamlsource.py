"""YAML loading that remembers the line of every mapping key and sequence item.

Built on PyYAML's composed node tree, so error messages can name the line a
problem sits on. The pydantic side (field types, errors in Chinese) is drafting.yamlmodels:
reading a YAML file (a check's term lists) does not import pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

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


def shown(value: Any) -> str:
    """A user's value as quoted in a message: dates as ISO, long text cut at 30 characters."""
    if isinstance(value, datetime):
        value = value.date().isoformat()
    text = str(value).strip()
    return text if len(text) <= 30 else text[:30] + "…"
