"""MeetingFile.to_meeting assembles Meeting from values already validated, without validating them again:
the Meeting it returns equals the one validation gives, field for field, type for type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from drafting.errors import InputError, InputErrors
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


# One bad value in each block of FULL, and the message meeting.yaml's user gets (file name left out).
# The blocks' models build no validator of their own (MeetingFile's holds their schemas); their
# field, model and discriminator validators give the same messages as before.
BAD_VALUES = [
    (('meeting', 'speaker', 'titel'), '区长', ['第10行 “meeting.speaker.titel”：不认识的键“titel”，是不是“title”？（可用的键：name、title）']),
    (('meeting', 'kind'), '座谈会', ['第11行 “meeting.kind”：应为以下之一：推进会、动员部署会、总结表彰会、调度会（实际为“座谈会”）']),
    (('meeting', 'date'), '2026-13-45', ['第3行 “meeting.date”：无法识别的日期“2026-13-45”：月份应为1至12']),
    (('speech', 'sections', 0, 'body', 4, 'table', 1), ['东城街道'], ['第41行 “speech.sections.body”：表格第2行有1格，与第1行的2格不一致']),
    (('speech', 'sections', 0, 'body', 0), {'lead': '要做到'}, ['第30行 “speech.sections.body”：要点应为一段文字，或带 items 的列举，或带 data 的数据段落，或带 heading 的三、四级标题，或带 table 的表格']),
    (('speech', 'sections', 0, 'body', 3, 'items'), [], ['第35行 “speech.sections.body.items”：至少要有1项']),
    (('speech', 'sections', 0, 'subsections', 0, 'run_in'), 'maybe', ['第48行 “speech.sections.subsections.run_in”：应为 true 或 false，而不是“maybe”']),
    (('letters', 'year'), 1800, ['第56行 “letters.year”：应在1949到2100之间（实际为1800）']),
    (('notice', 'red_points'), 5, ['第57行 “notice”：red_points（5）应大于 yellow_points（5.5）']),
    (('notice', 'print_date'), '2026-03-01', ['第57行 “notice”：print_date（印发日期 2026年3月1日）不能早于 date（成文日期 2026年4月1日）']),
    (('notice', 'red_header', 'copy_number'), 123, ['第68行 “notice.red_header.copy_number”：份号应为6位阿拉伯数字并加引号，如 "000001"（现为 123）']),
    (('notice', 'red_header', 'secrecy'), '内部', ['第69行 “notice.red_header.secrecy”：密级应为 绝密、机密 或 秘密，可加 ★保密期限，如 秘密★1年（现为 内部）']),
    (('notice', 'red_header', 'letter'), True, ['第65行 “notice.red_header”：信函格式的发文机关标志不加“文件”，请删去 mark 或 letter']),
    (('mechanisms', 'dispatch'), '年', ['第77行 “mechanisms”：调度（dispatch：年）不应比通报（briefing：月）更稀']),
    (('honors',), None, ['第1行：总结表彰会需要在 honors 下写表彰名单（如 title: 先进集体，names: [……]）']),
    (('honors', 0, 'names'), [], ['第89行 “honors.names”：至少要有1项']),
    (('call', 'contact', 'email'), 'a@b', ['第103行 “call.contact.email”：不认识的键“email”（可用的键：name、phone）']),
    (('minutes', 'observers'), ['李某某'], ['第105行 “minutes”：“李某某”既列在出席（attendees）中，又列在列席（observers）中，只能列一处']),
    (('house', 'styles'), 'mine', ['第118行 “house.styles”：应为以下之一：ours、theirs（实际为“mine”）']),
]


@pytest.mark.parametrize(("path", "value", "messages"), BAD_VALUES)
def test_messages_of_every_block(tmp_path: Path, path: tuple[Any, ...], value: Any, messages: list[str]) -> None:
    data = yaml.safe_load(FULL)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    file = tmp_path / "meeting.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_meeting(file)
    errors = caught.value.errors if isinstance(caught.value, InputErrors) else [caught.value]
    assert [str(error) for error in errors] == [f"meeting.yaml {message}" for message in messages]
