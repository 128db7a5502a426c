"""meeting.yaml: meeting facts, speech content, letter and notice settings (docs/meeting-folder.md)."""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation string again.
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from .dates import parse_date
from .errors import InputError, Location
from .yamlmodels import TAG_PREFIX, Text, TextList, in_range, validation_errors
from .yamlsource import YamlDoc, load_yaml

DATA_BLOCKS: tuple[str, ...] = ("overview", "levels", "starts", "categories", "units", "mechanisms")

DateValue = Annotated[date, BeforeValidator(parse_date)]


class _Model(BaseModel):
    # Numbers typed where text is expected (venue: 301) are taken as text.
    # defer_build: only MeetingFile is validated when a meeting is loaded; its validator holds the
    # blocks' schemas, so a block's own validator is built only if something validates it alone.
    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True, defer_build=True)


class Speaker(_Model):
    name: Text
    title: Text


class PolicyPoint(_Model):
    """One piece of 上级精神: where it comes from and what it says."""

    source: Text
    content: Text


class TextPoint(_Model):
    """A paragraph of speech text; written in YAML as a plain string."""

    text: Text

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class ItemsPoint(_Model):
    """An enumeration 一是……二是…… (style 是) or 第一，第二，…… (style 第)."""

    items: Annotated[list[Text], Field(min_length=1)]
    lead: str = ""
    inline: bool = False
    style: Literal["是", "第"] = "是"


class HeadingPoint(_Model):
    """A level-3 (1.) or level-4 （1） heading inside a section; ``text`` runs on after it on the same line."""

    heading: Text
    level: Literal[3, 4] = 3
    text: Text | None = None


class TablePoint(_Model):
    """A table in the speech, rows of cells; the first row is the header."""

    table: Annotated[list[Annotated[list[str], Field(min_length=1)]], Field(min_length=1)]

    @model_validator(mode="after")
    def _same_width(self) -> "TablePoint":
        width = len(self.table[0])
        for number, row in enumerate(self.table[1:], start=2):
            if len(row) != width:
                raise ValueError(f"表格第{number}行有{len(row)}格，与第1行的{width}格不一致")
        return self


class DataPoint(_Model):
    """A paragraph generated from the ledger; ``data`` names one of DATA_BLOCKS."""

    data: Literal["overview", "levels", "starts", "categories", "units", "mechanisms"]


_TEXT, _ITEMS, _DATA, _HEADING, _TABLE = (
    f"{TAG_PREFIX}{name}>" for name in ("text", "items", "data", "heading", "table")
)


def _point_kind(value: Any) -> str | None:
    if isinstance(value, (str, TextPoint)):
        return _TEXT
    if isinstance(value, ItemsPoint):
        return _ITEMS
    if isinstance(value, DataPoint):
        return _DATA
    if isinstance(value, HeadingPoint):
        return _HEADING
    if isinstance(value, TablePoint):
        return _TABLE
    if isinstance(value, dict):
        for key, tag in (("data", _DATA), ("items", _ITEMS), ("table", _TABLE), ("heading", _HEADING), ("text", _TEXT)):
            if key in value:
                return tag
    return None


Point = Annotated[
    Union[
        Annotated[TextPoint, Tag(_TEXT)],
        Annotated[ItemsPoint, Tag(_ITEMS)],
        Annotated[DataPoint, Tag(_DATA)],
        Annotated[HeadingPoint, Tag(_HEADING)],
        Annotated[TablePoint, Tag(_TABLE)],
    ],
    Discriminator(
        _point_kind,
        custom_error_type="x_point_kind",
        custom_error_message="要点应为一段文字，或带 items 的列举，或带 data 的数据段落，或带 heading 的三、四级标题，或带 table 的表格",
    ),
]


class Subsection(_Model):
    title: Text
    run_in: bool = False
    body: list[Point] = []


class Section(_Model):
    title: Text
    role: Literal["why", "what", "how", "guarantee"] | None = None
    body: list[Point] = []
    subsections: list[Subsection] = []


class SpeechContent(_Model):
    title: Text | None = None
    large_type: bool = False  # print for reading aloud: 18 pt body, 24 pt title
    # verbatim: the speech is exactly what meeting.yaml says (e.g. last year's speech read by
    # ``drafting outline --to-meeting``): no generated opening, no phrase-bank closing.
    verbatim: bool = False
    byline: str | None = None  # None: （讲话人  日期） from meeting; "": none; else this text
    salutation: str | None = None  # None: the phrase bank's; "": none; else this text
    opening: TextList = []
    sections: Annotated[list[Section], Field(min_length=1)]
    closing: TextList = []


class LettersConfig(_Model):
    by: Literal["牵头单位", "责任领导"] = "牵头单位"
    party_a: Text | None = None
    year: Annotated[int, in_range(1949, 2100)] | None = None


_COPY_NUMBER = re.compile(r"[0-9]{6}")
_SECRECY = re.compile(r"(绝密|机密|秘密)(★.+)?")
SECRECY_LEVELS = ("绝密", "机密", "秘密")


class RedHeaderConfig(_Model):
    """``notice.red_header``: the 版头 and its optional elements (GB/T 9704 §7.2)."""

    organ: Text
    number: str = ""
    copy_number: str | None = None  # 份号
    secrecy: Text | None = None  # 密级和保密期限, e.g. 秘密★1年
    urgency: Literal["特急", "加急"] | None = None  # 紧急程度
    signers: TextList = []  # 签发人 (上行文)
    joint_organs: TextList = []  # 联合行文: the other organs, after the main one
    mark: Literal["文件", "纪要"] | None = None  # after the organ name(s): 某某文件 / 某某纪要
    letter: bool = False  # 信函格式

    @field_validator("copy_number", mode="before")
    @classmethod
    def _copy_number(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or not _COPY_NUMBER.fullmatch(value.strip()):
            raise ValueError(f"份号应为6位阿拉伯数字并加引号，如 \"000001\"（现为 {value!r}）")
        return value.strip()

    @field_validator("secrecy")
    @classmethod
    def _secrecy(cls, value: str | None) -> str | None:
        if value is not None and not _SECRECY.fullmatch(value):
            raise ValueError(f"密级应为 绝密、机密 或 秘密，可加 ★保密期限，如 秘密★1年（现为 {value}）")
        return value

    @model_validator(mode="after")
    def _letter_without_mark(self) -> "RedHeaderConfig":
        if self.letter and self.mark is not None:
            raise ValueError(f"信函格式的发文机关标志不加“{self.mark}”，请删去 mark 或 letter")
        return self


MAX_UNSTARTED_MONTHS = 120  # 签约后未开工的预警期限，最长十年


class NoticeConfig(_Model):
    title: Text | None = None
    date: DateValue | None = None  # 成文日期; default: the data's cut-off date (--as-of)
    print_date: DateValue | None = None  # 印发日期 in the 版记; default: the 成文日期
    recipients: Text | None = None
    unstarted_months: Annotated[int, in_range(1, MAX_UNSTARTED_MONTHS)] = 3
    yellow_points: Annotated[float, Field(allow_inf_nan=False), in_range(0, 100, above_low=True)] = 10
    red_points: Annotated[float, Field(allow_inf_nan=False), in_range(0, 100, above_low=True)] = 30
    red_header: RedHeaderConfig | None = None
    signature: Text | None = None
    cc: Text | None = None

    @model_validator(mode="after")
    def _red_beyond_yellow(self) -> "NoticeConfig":
        if self.red_points <= self.yellow_points:
            raise ValueError(
                f"red_points（{self.red_points:g}）应大于 yellow_points（{self.yellow_points:g}）"
            )
        if self.date is not None and self.print_date is not None and self.print_date < self.date:
            raise ValueError(f"print_date（印发日期 {_cn(self.print_date)}）不能早于 date（成文日期 {_cn(self.date)}）")
        return self


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# How often a mechanism runs, shortest first (validated order: 调度 at least as often as 通报, 通报 as 考核).
CYCLES: tuple[str, ...] = ("周", "半月", "月", "季", "半年", "年")
Cycle = Literal["周", "半月", "月", "季", "半年", "年"]


class MechanismsConfig(_Model):
    """Working mechanisms the speech, letters and notice all name, from this one place."""

    dispatch: Cycle = "月"  # 调度
    briefing: Cycle = "季"  # 通报
    assessment: Cycle = "年"  # 考核
    site_visit: Cycle | None = None  # 现场观摩; not mentioned when not set
    report_to: Text | None = None  # who collects the units' progress reports
    report_deadline: Text | None = None  # e.g. 每月5日前; default follows ``dispatch`` (templates)
    support_units: TextList = []  # departments a unit turns to for land, funds, approvals

    @model_validator(mode="after")
    def _cycles_in_order(self) -> "MechanismsConfig":
        if CYCLES.index(self.dispatch) > CYCLES.index(self.briefing):
            raise ValueError(f"调度（dispatch：{self.dispatch}）不应比通报（briefing：{self.briefing}）更稀")
        if CYCLES.index(self.briefing) > CYCLES.index(self.assessment):
            raise ValueError(f"通报（briefing：{self.briefing}）不应比考核（assessment：{self.assessment}）更稀")
        return self


DEFAULT_SCOPE = "全区"

# meeting.kind: which speech template the meeting uses (docs/meeting-folder.md)
MEETING_KINDS: tuple[str, ...] = ("推进会", "动员部署会", "总结表彰会", "调度会")
MeetingKind = Literal["推进会", "动员部署会", "总结表彰会", "调度会"]


class HonorGroup(_Model):
    """One group of the 表彰名单 of a 总结表彰会: 先进集体, 先进个人, …"""

    title: Text
    names: Annotated[TextList, Field(min_length=1)]


class Contact(_Model):
    name: Text
    phone: Text = ""


class CallConfig(_Model):
    """The 会议通知 that calls the meeting."""

    title: Text | None = None
    recipients: Text | None = None
    time: Text | None = None  # time of day, e.g. 上午9:00
    attendees: TextList = []  # default: meeting.audience
    requirements: TextList = []  # 有关要求; default: the phrase bank's
    contact: Contact | None = None
    signature: Text | None = None  # default: the organizer
    date: DateValue | None = None  # 成文日期; default: seven days before the meeting


class MinutesConfig(_Model):
    """The 会议纪要 skeleton."""

    organ: Text | None = None  # 纪要标志; default: organizer + 会议纪要
    number: str = ""  # 期号, e.g. 第3期
    host: Text | None = None  # 主持人; default: the speaker
    attendees: TextList = []  # 出席; default: meeting.audience
    observers: TextList = []  # 列席
    on_leave: TextList = []  # 请假
    decisions: TextList = []  # 议定事项; default: one per speech section

    @model_validator(mode="after")
    def _listed_once(self) -> "MinutesConfig":
        lists = (("attendees", "出席", self.attendees), ("observers", "列席", self.observers), ("on_leave", "请假", self.on_leave))
        seen: dict[str, tuple[str, str]] = {}
        for key, label, names in lists:
            for name in names:
                name = name.strip()
                if name in seen and seen[name][0] != key:
                    other_key, other_label = seen[name]
                    raise ValueError(f"“{name}”既列在{other_label}（{other_key}）中，又列在{label}（{key}）中，只能列一处")
                seen.setdefault(name, (key, label))
        return self


class MeetingHeader(_Model):
    """The ``meeting:`` block of meeting.yaml."""

    name: Text
    date: DateValue
    organizer: Text
    venue: Text | None = None
    scope: Text | None = None  # 全区 / 全县 / 全市: how documents name the whole jurisdiction
    speaker: Speaker
    audience: TextList = []
    kind: MeetingKind = "推进会"
    time: Text | None = None  # time of day, e.g. 上午9:00 (the 会议通知 names it)


class HouseConfig(_Model):
    """house: documents built on the office's own Word file (版式/*.docx, docs/house.md)."""

    styles: Literal["ours", "theirs"] = "ours"  # a style of the same role (正文, 标题 1…): ours or the house file's wins


class MeetingBody(_Model):
    """meeting.yaml's top-level keys other than ``meeting:``."""

    # Never validated itself (Meeting and MeetingFile are): its validator is not built.
    model_config = ConfigDict(defer_build=True)

    purpose: Text
    earlier: TextList = []
    policy: list[PolicyPoint] = []
    speech: SpeechContent
    # the blocks' defaults, made without validation (equal to LettersConfig() and so on; tests compare)
    letters: LettersConfig = LettersConfig.model_construct()
    notice: NoticeConfig = NoticeConfig.model_construct()
    mechanisms: MechanismsConfig = MechanismsConfig.model_construct()
    honors: list[HonorGroup] = []  # 表彰名单 of a 总结表彰会
    call: CallConfig = CallConfig.model_construct()
    minutes: MinutesConfig = MinutesConfig.model_construct()
    house: HouseConfig = HouseConfig.model_construct()


class Meeting(MeetingHeader, MeetingBody):
    """Everything meeting.yaml says, flattened: the ``meeting:`` block's keys are top-level fields here."""

    # MeetingFile.to_meeting puts together values MeetingFile has validated without validating them
    # again, so loading a meeting never needs this validator: it is built when first used.
    model_config = ConfigDict(defer_build=True)

    @property
    def speech_title(self) -> str:
        return self.speech.title or f"在{self.name}上的讲话"

    @property
    def scope_word(self) -> str:
        return self.scope or DEFAULT_SCOPE

    @property
    def letters_party_a(self) -> str:
        return self.letters.party_a or self.organizer

    @property
    def letters_year(self) -> int:
        return self.letters.year or self.date.year

    @property
    def plan_year(self) -> int:
        """The year the ledger's figures are for (序时进度, starts, lights): the meeting's year."""
        return self.date.year


class MeetingFile(MeetingBody):
    """meeting.yaml exactly as written; validated first so error locations match the file."""

    model_config = ConfigDict(defer_build=False)

    meeting: MeetingHeader

    @model_validator(mode="after")
    def _honors_for_commendation(self) -> "MeetingFile":
        if self.meeting.kind == "总结表彰会" and not self.honors:
            raise ValueError("总结表彰会需要在 honors 下写表彰名单（如 title: 先进集体，names: [……]）")
        return self

    def to_meeting(self) -> Meeting:
        body = {name: getattr(self, name) for name in MeetingBody.model_fields}
        header = {name: getattr(self.meeting, name) for name in MeetingHeader.model_fields}
        # validated already: validating again would give an equal Meeting (same values, same fields set)
        return Meeting.model_construct(**header, **body)


def load_meeting(path: Path) -> Meeting:
    """Load and validate meeting.yaml; every problem is reported with its line."""
    doc = load_yaml(Path(path))
    return meeting_from_yaml(doc)


def meeting_from_yaml(doc: YamlDoc) -> Meeting:
    if doc.data is None:
        raise InputError("文件是空的", Location(file=doc.path))
    try:
        parsed = MeetingFile.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_errors(doc, exc, MeetingFile) from None
    return parsed.to_meeting()
