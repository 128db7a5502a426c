"""The one boundary between our objects and templates: a template sees plain data only.

``to_plain`` turns a template context into dicts, lists, tuples, text, numbers,
``Decimal``, dates, booleans and ``None``. Validated models (pydantic) and
dataclasses become dicts of their fields plus their public computed properties
(``meeting.letters_year``, ``figures.gap``), evaluated once here, so no object
with methods that load, parse or deserialise anything ever reaches a template.
Enum members become their values.

Text becomes :class:`UserText`: the same string, on one line (a line break in a
value would start a new 公文标记 line, e.g. a heading), marked so the renderer
can keep it from being read as markup at the start of a line.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from drafting.markup import join_lines

# Noncharacter the renderer uses to mark where a value starts; never valid in text.
VALUE_MARK = "\ufdd0"
# What str.splitlines (and so the 公文标记 parser) treats as a line break, and the mark.
_TO_CLEAN = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\ufdd0]")
MAX_DEPTH = 100

_SCALARS = (bool, int, float, Decimal, date, type(None))
_EXACT_SCALARS = frozenset(_SCALARS)


class UserText(str):
    """Text that came from data (meeting.yaml, the ledger, phrase banks), not from the template itself."""

    __slots__ = ()


def one_line_text(text: str) -> str:
    """``text`` without line breaks: lines joined as in a 公文标记 paragraph (Chinese runs on, ASCII words get a space)."""
    if not _TO_CLEAN.search(text):
        return text
    text = text.replace(VALUE_MARK, "")
    joined = ""
    for line in text.splitlines():
        if line.strip():
            joined = join_lines(joined, line.strip())
    return joined


def to_plain(value: Any) -> Any:
    """``value`` as plain template data (see the module docstring); shared parts are converted once."""
    return _Converter().convert(value, 0)


class Plain:
    """Template data already made plain, passed through ``to_plain`` as is.

    For what many renders share (the meeting in each of 10,000 letters): converted
    once with :meth:`of`. Templates cannot change data (the sandbox allows no
    mutating method), so sharing it between renders is safe.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    @classmethod
    def of(cls, value: Any) -> Plain:
        return cls(to_plain(value))


class _Converter:
    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}
        self.active: set[int] = set()
        self.keep: list[Any] = []  # keeps converted originals alive so their ids stay unique
        self.texts: dict[str, UserText] = {}

    def convert(self, value: Any, depth: int) -> Any:
        cls = type(value)
        if cls is str:  # the commonest cases first, by exact type (subclasses take the general path below)
            text = self.texts.get(value)
            if text is None:
                text = self.texts[value] = UserText(one_line_text(value))
            return text
        if cls in _EXACT_SCALARS:
            return value
        if isinstance(value, str):
            if isinstance(value, UserText):
                return value
            text = self.texts.get(value)
            if text is None:
                text = self.texts[value] = UserText(one_line_text(value))
            return text
        if isinstance(value, enum.Enum):
            return self.convert(value.value, depth)
        if isinstance(value, _SCALARS):
            return value
        if isinstance(value, PurePath):
            return UserText(one_line_text(str(value)))
        if isinstance(value, (bytes, bytearray)):
            return UserText(one_line_text(bytes(value).decode("utf-8", "replace")))
        if type(value) is Plain:
            return value.value
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            raise ValueError("模板数据中有循环引用")
        if depth > MAX_DEPTH:
            raise ValueError(f"模板数据嵌套超过{MAX_DEPTH}层")
        self.active.add(key)
        try:
            result = self._container(value, depth + 1)
        finally:
            self.active.discard(key)
        self.memo[key] = result
        self.keep.append(value)
        return result

    def _container(self, value: Any, depth: int) -> Any:
        if isinstance(value, Mapping):
            # {self._key(k): self.convert(v) for k, v in value.items()}, with the commonest keys and values
            # (exact text, scalars) converted inline: a letter's rows are hundreds of them
            texts, result = self.texts, {}
            for k, v in value.items():
                if type(k) is str:
                    key = texts.get(k)
                    if key is None:
                        key = texts[k] = UserText(one_line_text(k))
                else:
                    key = self._key(k, depth)
                cls = type(v)
                if cls is str:
                    text = texts.get(v)
                    if text is None:
                        text = texts[v] = UserText(one_line_text(v))
                    result[key] = text
                elif cls in _EXACT_SCALARS:
                    result[key] = v
                else:
                    result[key] = self.convert(v, depth)
            return result
        if isinstance(value, tuple) and not hasattr(value, "_fields"):
            return tuple(self.convert(v, depth) for v in value)
        if isinstance(value, (list, tuple, set, frozenset)):
            return [self.convert(v, depth) for v in value]
        record = _record_fields(value)
        if record is not None:
            return {name: self.convert(v, depth) for name, v in record.items()}
        raise TypeError(f"templates get plain data only, not {type(value).__name__}")

    def _key(self, key: Any, depth: int) -> Any:
        plain = self.convert(key, depth)
        if type(key) is str:
            return plain
        if isinstance(plain, (dict, list)):
            raise TypeError(f"unhashable template data key {key!r}")
        return plain


def _record_fields(value: Any) -> dict[str, Any] | None:
    """Fields and public properties of a pydantic model or dataclass instance; None for anything else."""
    names = _record_names(type(value))
    if names is None:
        return None
    return {name: getattr(value, name) for name in names}


@lru_cache(maxsize=None)
def _record_names(cls: type) -> tuple[str, ...] | None:
    """Public field names, then public (cached) property names, of a dataclass or pydantic model class."""
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
        stop: type = object
    else:
        try:
            from pydantic import BaseModel
        except ImportError:  # pragma: no cover - pydantic is a dependency
            return None
        if not issubclass(cls, BaseModel):
            return None
        names = list(cls.model_fields)
        stop = BaseModel
    names = [name for name in names if not name.startswith("_")]
    for klass in cls.__mro__:
        if klass is stop or klass is object:
            break
        for name, attr in vars(klass).items():
            if not name.startswith("_") and name not in names and isinstance(attr, (property, cached_property)):
                names.append(name)
    return tuple(names)
