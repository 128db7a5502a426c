"""Names a meeting itself uses that contain 某某 (某某区, 张某某): not blanks in its own documents."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from operator import attrgetter
from typing import Any

from pydantic import BaseModel

# the 某某 with the surname before it and the administrative suffix after it: 张某某, 某某区, 某某县
_NAME = re.compile(r"[\u4e00-\u9fff]?某某[区县市镇乡村省州旗盟]?")


def names_in(strings: Iterable[str]) -> frozenset[str]:
    """The 某某-names in the given texts, e.g. "某某区人民政府办公室" → {"某某区"}."""
    return frozenset(match.group(0) for text in strings if "某某" in text for match in _NAME.finditer(text))


# Values that hold no text: skipped at once (most of a ledger's cells are figures, dates or empty)
_LEAVES = frozenset({int, float, bool, type(None), Decimal, date, datetime, time})


def _no_fields(item: Any) -> tuple[()]:
    return ()


def _strings(value: Any) -> Iterator[str]:
    """Every string value inside ``value`` (models, dataclasses, dicts, lists), walked with a stack:
    a ledger holds thousands of projects, and nested generators cost more than the walk itself."""
    fields_of: dict[type, Callable[[Any], tuple[Any, ...]]] = {}  # a type's field values, its getter made once
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            yield item
        elif kind in _LEAVES:
            continue
        elif isinstance(item, str):
            yield item
        elif isinstance(item, (list, tuple)):
            push(item)
        elif isinstance(item, dict):
            push(item.values())
        else:
            values = fields_of.get(kind)
            if values is None:
                values = fields_of[kind] = _field_values(item)
            push(values(item))


def _field_values(item: Any) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the field values of objects of ``item``'s type, in field order (none for other types)."""
    if isinstance(item, BaseModel):
        names = tuple(type(item).model_fields)
    elif dataclasses.is_dataclass(item) and not isinstance(item, type):  # the ledger and its projects
        names = tuple(f.name for f in dataclasses.fields(item))
    else:
        names = ()
    if not names:
        return _no_fields
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return attrgetter(*names)


def meeting_names(*sources: Any) -> frozenset[str]:
    """某某-names in a meeting's data (meeting model, ledger, priorities): walk every string value."""
    return names_in(text for source in sources for text in _strings(source))
