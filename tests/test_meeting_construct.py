"""MeetingFile.to_meeting assembles Meeting from values already validated, without validating them again:
the Meeting it returns equals the one validation gives, field for field, type for type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.example import write_example
from drafting.meeting import Meeting, MeetingBody, MeetingFile, MeetingHeader, load_meeting
from drafting.yamlsource import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"

# Every block and optional setting meeting.yaml knows, so that every field type is compared.
FULL = """\
meeting:
  name: 全区重点项目建设总结表彰会
  date: 2026年3月6日
  organizer: 某某区人民政府
  venue: 301
  scope: 全县
  speaker:
    name: 张某某
    title: 区长
  audience: 各街道负责同志
  kind: 总结表彰会
  time: 上午9:00
purpose: 总结表彰
earlier: [作了表态发言]
policy:
  - source: 省委经济工作会议
    content: 扩大有效投资
speech:
  title: 在总结表彰会上的讲话
  large_type: true
  verbatim: false
  byline: ""
  salutation: 同志们：
  opening: 刚才，宣读了表彰决定。
  sections:
    - title: 提高站位
      role: why
      body:
        - 项目是经济发展的压舱石。
        - data: overview
        - {heading: 加快开工, level: 4, text: 逐个研判。}
        - {items: [保障用地, 保障资金], lead: 要做到, inline: true, style: 第}
        - table: [[单位, 项目数], [东城街道, 3]]
      subsections:
        - title: 强化要素保障。
          run_in: true
          body: [对未开工项目限期开工。]
  closing: [同志们，任务艰巨。]
letters:
  by: 责任领导
  party_a: 某某区人民政府办公室
  year: 2026
notice:
  title: 进度通报
  date: 2026-04-01
  print_date: 2026-04-02
  recipients: 各街道
  unstarted_months: 6
  yellow_points: 5.5
  red_points: 20
  red_header:
    organ: 某某区人民政府办公室
    number: 某政办〔2026〕1号
    copy_number: "000001"
    secrecy: 秘密★1年
    urgency: 加急
    signers: [李某某]
    joint_organs: 某某区发展和改革局
    mark: 文件
  signature: 某某区人民政府办公室
  cc: 区委办公室
mechanisms:
  dispatch: 周
  briefing: 月
  assessment: 半年
  site_visit: 季
  report_to: 区发改局
  report_deadline: 每月5日前
  support_units: [区自然资源局, 区财政局]
honors:
  - title: 先进集体
    names: [东城街道, 南山街道]
call:
  title: 关于召开总结表彰会的通知
  recipients: 各街道
  time: 上午9:00
  attendees: [各街道主要负责同志]
  requirements: [请准时参会]
  contact: {name: 王某某, phone: 12345678}
  signature: 某某区人民政府办公室
  date: 2026-02-27
minutes:
  organ: 某某区人民政府会议纪要
  number: 第3期
  host: 张某某
  attendees: [李某某]
  observers: [赵某某]
  on_leave: [钱某某]
  decisions: [加快项目建设]
house:
  styles: theirs
"""


def _paths(tmp_path: Path) -> list[Path]:
    full = tmp_path / "full" / "meeting.yaml"
    full.parent.mkdir()
    full.write_text(FULL, encoding="utf-8")
    write_example(tmp_path / "example")
    return [
        full,
        tmp_path / "example" / "meeting.yaml",
        *sorted(FIXTURES.glob("**/meeting.yaml")),
    ]


def _validated(parsed: MeetingFile) -> Meeting:
    """The Meeting validation builds from the same values (what to_meeting returned before)."""
    body = {name: getattr(parsed, name) for name in MeetingBody.model_fields}
    header = {name: getattr(parsed.meeting, name) for name in MeetingHeader.model_fields}
    return Meeting(**header, **body)


def _same(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    assert a == b
    if isinstance(a, (list, tuple)):
        for x, y in zip(a, b, strict=True):
            _same(x, y)


def test_to_meeting_equals_the_validated_meeting(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    assert len(paths) >= 6
    for path in paths:
        parsed = MeetingFile.model_validate(load_yaml(path).data)
        meeting, reference = parsed.to_meeting(), _validated(parsed)
        assert type(meeting) is Meeting
        assert meeting == reference
        assert meeting.model_fields_set == reference.model_fields_set == set(Meeting.model_fields)
        assert meeting.model_dump() == reference.model_dump()
        assert meeting.__pydantic_extra__ == reference.__pydantic_extra__
        assert meeting.__pydantic_private__ == reference.__pydantic_private__
        for name in Meeting.model_fields:
            _same(getattr(meeting, name), getattr(reference, name))
        for name in ("speech_title", "scope_word", "letters_party_a", "letters_year", "plan_year"):
            assert getattr(meeting, name) == getattr(reference, name)
        assert load_meeting(path) == reference


def test_full_meeting_keeps_every_setting(tmp_path: Path) -> None:
    meeting = load_meeting(_paths(tmp_path)[0])
    assert meeting.venue == "301" and meeting.scope_word == "全县" and meeting.kind == "总结表彰会"
    assert meeting.notice.red_header is not None and meeting.notice.red_header.copy_number == "000001"
    assert meeting.call.contact is not None and meeting.call.contact.phone == "12345678"
    assert meeting.mechanisms.site_visit == "季" and meeting.house.styles == "theirs"
    assert meeting.audience == ["各街道负责同志"] and meeting.letters_year == 2026


def test_meeting_validates_when_built_directly(tmp_path: Path) -> None:
    """Meeting's own validator (built on first use) still checks what is given to it."""
    meeting = load_meeting(_paths(tmp_path)[0])
    values = {name: getattr(meeting, name) for name in Meeting.model_fields}
    assert Meeting(**values) == meeting
    with pytest.raises(ValueError):
        Meeting(**{**values, "kind": "座谈会"})
    with pytest.raises(ValueError):
        Meeting(**{**values, "name": "  "})


def test_block_defaults_equal_validated_defaults() -> None:
    """MeetingBody's default blocks are made without validation: each equals the validated default."""
    blocks = {"letters", "notice", "mechanisms", "call", "minutes", "house"}
    for name in blocks:
        default = MeetingBody.model_fields[name].default
        validated = type(default)()
        assert default == validated and default.model_fields_set == validated.model_fields_set == set()
        assert default.model_dump() == validated.model_dump()
        for field in type(default).model_fields:
            _same(getattr(default, field), getattr(validated, field))
    # and a meeting.yaml without those blocks gets them
    minimal = MeetingFile.model_validate(
        {
            "meeting": {"name": "会", "date": "2026-03-06", "organizer": "区政府", "speaker": {"name": "张某某", "title": "区长"}},
            "purpose": "部署",
            "speech": {"sections": [{"title": "提高站位"}]},
        }
    ).to_meeting()
    for name in blocks:
        assert getattr(minimal, name) == type(getattr(minimal, name))()
