"""House files in a build: which planned documents are built on which house file.

``attach_house_files(plan)`` is called once the build is planned: each house
file is read and checked once (every error is found before anything is
written), and each planned document of a kind that has one is written on it.
Documents rendered from a Word-authored template (``templates/*.docx``) are
whole Word files already and are left as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafting.house.locate import find_house_file

if TYPE_CHECKING:
    from drafting.build import BuildPlan
    from drafting.document import Document
    from drafting.docx.profile import StyleProfile
    from drafting.house.splice import HouseTemplate
    from drafting.meeting import Meeting


@dataclass(frozen=True)
class HouseBase:
    """A checked house file and the meeting whose fields fill it."""

    template: HouseTemplate
    meeting: Meeting

    @property
    def path(self) -> Path:
        return self.template.package.path

    def write(self, document: "Document", path: Path, profile: "StyleProfile") -> None:
        from drafting.house.splice import write_house_docx

        write_house_docx(self.template, document, path, self.meeting, profile)


def attach_house_files(plan: "BuildPlan") -> None:
    """Give every planned output of a kind with a house file (and no Word-template data) its ``house``."""
    meeting = plan.folder.meeting
    loaded: dict[Path, HouseBase] = {}
    found: dict[str, Path | None] = {}  # per kind: 10,000 letters look once
    for index, output in enumerate(plan.outputs):
        if output.data is not None:
            continue
        if output.kind not in found:
            found[output.kind] = find_house_file(plan.folder.path, output.kind)
        path = found[output.kind]
        if path is None:
            continue
        if path not in loaded:
            from drafting.house.splice import known_fields, load_house_template

            known = known_fields(meeting)
            loaded[path] = HouseBase(load_house_template(path, known, meeting.house.styles), meeting)
        plan.outputs[index] = dataclasses.replace(output, house=loaded[path])


KIND_LABELS = {"speech": "讲话稿", "letter": "目标责任书", "notice": "进度通报", "call": "会议通知", "minutes": "会议纪要"}


def house_summary(outputs: Sequence[Any]) -> list[str]:
    """One line per house file used: which kinds of document were built on it (for the CLI's report)."""
    kinds: dict[Path, list[str]] = {}
    for output in outputs:
        house = getattr(output, "house", None)
        if house is not None:
            label = KIND_LABELS.get(output.kind, output.kind)
            if label not in kinds.setdefault(house.path, []):
                kinds[house.path].append(label)
    return [f"版式：{'、'.join(labels)}排在 {path} 上（红头、版记以版式为准）" for path, labels in kinds.items()]
