"""Names a meeting itself uses that contain 某某 (某某区, 张某某): not blanks in its own documents."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

# the 某某 with the surname before it and the administrative suffix after it: 张某某, 某某区, 某某县
_NAME = re.compile(r"[\u4e00-\u9fff]?某某[区县市镇乡村省州旗盟]?")


def names_in(strings: Iterable[str]) -> frozenset[str]:
    """The 某某-names in the given texts, e.g. "某某区人民政府办公室" → {"某某区"}."""
    return frozenset(match.group(0) for text in strings if "某某" in text for match in _NAME.finditer(text))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):  # the ledger and its projects
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def meeting_names(*sources: Any) -> frozenset[str]:
    """某某-names in a meeting's data (meeting model, ledger, priorities): walk every string value."""
    return names_in(text for source in sources for text in _strings(source))
