"""Names a meeting itself uses that contain 某某 (某某区, 张某某): not blanks in its own documents."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

# the 某某 with the surname before it and the administrative suffix after it: 张某某, 某某区, 某某县
_NAME = re.compile(r"[\u4e00-\u9fff]?某某[区县市镇乡村省州旗盟]?")


def names_in(strings: Iterable[str]) -> frozenset[str]:
    """The 某某-names in the given texts, e.g. "某某区人民政府办公室" → {"某某区"}."""
    return frozenset(match.group(0) for text in strings if "某某" in text for match in _NAME.finditer(text))


def _strings(value: Any) -> Iterator[str]:
    """Every string value inside ``value`` (models, dataclasses, dicts, lists), walked with a stack:
    a ledger holds thousands of projects, and nested generators cost more than the walk itself."""
    fields_of: dict[type, tuple[str, ...]] = {}  # a model's or dataclass's field names, looked up once per type
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, (list, tuple)):
            push(item)
        elif isinstance(item, dict):
            push(item.values())
        else:
            kind = type(item)
            names = fields_of.get(kind)
            if names is None:
                if isinstance(item, BaseModel):
                    names = tuple(kind.model_fields)
                elif dataclasses.is_dataclass(item) and not isinstance(item, type):  # the ledger and its projects
                    names = tuple(f.name for f in dataclasses.fields(item))
                else:
                    names = ()
                fields_of[kind] = names
            push(getattr(item, name) for name in names)


def meeting_names(*sources: Any) -> frozenset[str]:
    """某某-names in a meeting's data (meeting model, ledger, priorities): walk every string value."""
    return names_in(text for source in sources for text in _strings(source))
