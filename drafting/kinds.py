"""Meeting kinds (meeting.kind): which speech template, phrase file and example each kind uses."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.errors import InputError
from drafting.meeting import MEETING_KINDS


@dataclass(frozen=True)
class MeetingKindInfo:
    name: str  # as written in meeting.yaml
    slug: str  # ASCII, for file names
    description: str

    @property
    def speech_template(self) -> str:
        return "speech.gw.j2" if self.slug == "progress" else f"speech_{self.slug}.gw.j2"

    @property
    def phrases_file(self) -> str:
        """The kind's phrase file under corpus/phrases/, merged over speech.yaml."""
        return f"speech_{self.slug}.yaml"

    @property
    def example_file(self) -> str:
        return "meeting.yaml" if self.slug == "progress" else f"meeting_{self.slug}.yaml"


KINDS: dict[str, MeetingKindInfo] = {
    info.name: info
    for info in (
        MeetingKindInfo("推进会", "progress", "重点工作推进会讲话稿：讲成绩、摆问题、提要求"),
        MeetingKindInfo("动员部署会", "mobilize", "动员部署会讲话稿：统一思想、明确任务、压实责任"),
        MeetingKindInfo("总结表彰会", "commend", "总结表彰会讲话稿：总结成绩、表彰先进（附表彰名单）、部署下步"),
        MeetingKindInfo("调度会", "dispatch", "调度会简短讲话：通报进度、点出问题、提出几点要求"),
    )
}
assert tuple(KINDS) == MEETING_KINDS


def kind_info(name: str) -> MeetingKindInfo:
    try:
        return KINDS[name]
    except KeyError:
        raise InputError(f"未知的会议种类“{name}”，应为以下之一：{'、'.join(KINDS)}") from None
