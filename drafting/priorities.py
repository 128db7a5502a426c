"""priorities.yaml: the key tasks a speech must cover (used by the coverage check)."""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation string again.
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import InputError, InputErrors, Location
from .yamlmodels import Text, TextList, in_range, validation_errors
from .yamlsource import YamlDoc, load_yaml

MAX_MENTIONS = 1000  # the most times a key task can be required to be mentioned


class Priority(BaseModel):
    """A key task: mentioned at least ``min`` times (by name or alias), in a heading if ``in_heading``."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    name: Text
    aliases: TextList = []
    min: Annotated[int, in_range(1, MAX_MENTIONS)] = 1
    in_heading: bool = False

    @property
    def terms(self) -> list[str]:
        """The name followed by its aliases."""
        return [self.name, *self.aliases]


class PrioritiesFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    priorities: list[Priority] = []


def load_priorities(path: Path) -> list[Priority]:
    """Load priorities.yaml; an empty file means no priorities."""
    doc = load_yaml(Path(path))
    return priorities_from_yaml(doc)


def priorities_from_yaml(doc: YamlDoc) -> list[Priority]:
    if doc.data is None:
        return []
    try:
        parsed = PrioritiesFile.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_errors(doc, exc, PrioritiesFile) from None
    duplicates: list[InputError] = []
    first_line: dict[str, int | None] = {}
    for i, priority in enumerate(parsed.priorities):
        line = doc.line_of(("priorities", i, "name"))
        if priority.name in first_line:
            duplicates.append(
                InputError(
                    f"重点工作“{priority.name}”重复（第{first_line[priority.name]}行已有）",
                    Location(file=doc.path, line=line, field="priorities.name"),
                )
            )
        else:
            first_line[priority.name] = line
    if duplicates:
        raise InputErrors(duplicates)
    return list(parsed.priorities)
