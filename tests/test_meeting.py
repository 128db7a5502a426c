"""meeting.yaml: valid loads, defaults, and every kind of bad input reported with file, line and field.

Also covers drafting.yamlsource (line numbers, syntax and encoding errors).
"""

from datetime import date
from pathlib import Path

import pytest

from drafting.errors import InputError, InputErrors
from drafting.meeting import (
    DATA_BLOCKS,
    DataPoint,
    ItemsPoint,
    Meeting,
    TextPoint,
    load_meeting,
)
from drafting.yamlsource import load_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "input" / "valid_meeting" / "meeting.yaml"

# Line numbers matter: tests below assert them.
MINIMAL = """\
meeting:
  name: 全区重点项目建设推进会
  date: 2026-03-06
  organizer: 某某区人民政府
  speaker:
    name: 张某某
    title: 区长
purpose: 部署今年重点项目建设
speech:
  sections:
    - title: 提高站位
"""

PYDANTIC_ENGLISH = ("Input should", "Field required", "Value error", "Extra inputs", "validation error")


def write(tmp_path: Path, text: str, name: str = "meeting.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_meeting(path)
    exc = info.value
    found = exc.errors if isinstance(exc, InputErrors) else [exc]
    for error in found:
        assert not any(phrase in str(error) for phrase in PYDANTIC_ENGLISH), str(error)
    return [str(e) for e in found]


def only_error(path: Path) -> str:
    found = errors_of(path)
    assert len(found) == 1, found
    return found[0]


# --- valid files ---------------------------------------------------------------


def test_fixture_loads_all_fields():
    m = load_meeting(FIXTURE)
    assert isinstance(m, Meeting)
    assert m.name == "全区重点项目建设推进会"
    assert m.date == date(2026, 3, 6)
    assert m.organizer == "某某区人民政府"
    assert m.venue == "区行政中心一楼会议室"
    assert (m.speaker.name, m.speaker.title) == ("张某某", "区委副书记、区长")
    assert m.audience == ["各街道党工委书记、办事处主任", "区直有关部门主要负责同志"]
    assert len(m.earlier) == 2
    assert m.policy[0].source == "省委经济工作会议"
    assert [s.role for s in m.speech.sections] == ["why", "what", "guarantee"]
    assert m.speech.closing[0].startswith("同志们")
    assert m.letters.party_a == "某某区重点项目建设领导小组"
    assert m.notice.red_header is not None
    assert m.notice.red_header.number == "某政办发〔2026〕12号"
    assert m.notice.cc == "区委办公室，区人大常委会办公室，区政协办公室"


def test_fixture_point_kinds():
    sections = load_meeting(FIXTURE).speech.sections
    text, data, items = sections[0].body
    assert isinstance(text, TextPoint) and text.text.startswith("项目是经济发展")
    assert isinstance(data, DataPoint) and data.data == "overview"
    assert isinstance(items, ItemsPoint)
    assert items.items == ["坚持项目为王", "坚持要素跟着项目走", "坚持一线工作法"]
    assert (items.lead, items.inline, items.style) == ("抓项目要做到三个坚持：", True, "是")
    first, second = sections[1].subsections
    assert first.run_in is True and second.run_in is False
    assert isinstance(second.body[0], ItemsPoint) and second.body[0].style == "第"
    used = {p.data for s in sections for p in s.body if isinstance(p, DataPoint)}
    assert used == set(DATA_BLOCKS)


def test_defaults_and_derived_properties(tmp_path):
    m = load_meeting(write(tmp_path, MINIMAL))
    assert m.speech_title == "在全区重点项目建设推进会上的讲话"
    assert m.letters.by == "牵头单位"
    assert m.letters_party_a == "某某区人民政府"
    assert m.letters_year == 2026
    assert (m.notice.unstarted_months, m.notice.yellow_points, m.notice.red_points) == (3, 10, 30)
    assert m.notice.red_header is None
    assert m.venue is None and m.audience == [] and m.policy == []
    assert m.speech.opening == [] and m.speech.sections[0].body == []


def test_explicit_title_party_a_and_year_win(tmp_path):
    text = MINIMAL.replace("speech:\n", "speech:\n  title: 在推进会上的讲话\n") + (
        "letters:\n  by: 责任领导\n  party_a: 领导小组\n  year: 2027\n"
    )
    m = load_meeting(write(tmp_path, text))
    assert m.speech_title == "在推进会上的讲话"
    assert (m.letters.by, m.letters_party_a, m.letters_year) == ("责任领导", "领导小组", 2027)


@pytest.mark.parametrize("written", ["2026.3.6", "2026年3月6日", "2026/3/6", "2026-3-6"])
def test_meeting_date_text_forms(tmp_path, written):
    m = load_meeting(write(tmp_path, MINIMAL.replace("2026-03-06", written)))
    assert m.date == date(2026, 3, 6)


def test_single_string_allowed_for_text_lists(tmp_path):
    text = MINIMAL + "earlier: 签订了目标责任书\n"
    assert load_meeting(write(tmp_path, text)).earlier == ["签订了目标责任书"]


def test_numbers_where_text_is_expected_are_taken_as_text(tmp_path):
    text = MINIMAL.replace("  speaker:", "  venue: 301\n  speaker:")
    assert load_meeting(write(tmp_path, text)).venue == "301"


def test_models_are_frozen(tmp_path):
    m = load_meeting(write(tmp_path, MINIMAL))
    with pytest.raises(Exception):
        m.name = "别的会"  # type: ignore[misc]


# --- bad input -----------------------------------------------------------------


def test_bad_date_names_file_line_and_field(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("2026-03-06", "2026-13-45")))
    assert message.startswith("meeting.yaml 第3行 “meeting.date”：无法识别的日期“2026-13-45”")


def test_impossible_calendar_date(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("2026-03-06", "2026-02-30")))
    assert message.startswith("meeting.yaml 第3行 “meeting.date”：无法识别的日期“2026-02-30”")
    assert "2月只有28天" in message


def test_unrecognised_date_text(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("2026-03-06", "下周一")))
    assert message == "meeting.yaml 第3行 “meeting.date”：无法识别的日期“下周一”"


def test_missing_required_field_points_at_parent(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("  organizer: 某某区人民政府\n", "")))
    assert message == "meeting.yaml 第1行 “meeting.organizer”：缺少必填项"


def test_missing_nested_required_field(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("    title: 区长\n", "")))
    assert message == "meeting.yaml 第5行 “meeting.speaker.title”：缺少必填项"


def test_missing_sections(tmp_path):
    text = MINIMAL.replace("  sections:\n    - title: 提高站位\n", "  title: 讲话\n")
    assert only_error(write(tmp_path, text)) == "meeting.yaml 第9行 “speech.sections”：缺少必填项"


def test_empty_sections_list(tmp_path):
    text = MINIMAL.replace("  sections:\n    - title: 提高站位\n", "  sections: []\n")
    assert only_error(write(tmp_path, text)) == "meeting.yaml 第10行 “speech.sections”：至少要有1项"


def test_empty_required_value(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("purpose: 部署今年重点项目建设", "purpose:")))
    assert message.startswith("meeting.yaml 第8行 “purpose”：")
    assert "为空" in message


def test_blank_string_is_empty(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("purpose: 部署今年重点项目建设", 'purpose: "  "')))
    assert message == "meeting.yaml 第8行 “purpose”：不能为空"


def test_wrong_type_text_expected(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("name: 全区重点项目建设推进会", "name: [甲, 乙]")))
    assert message == "meeting.yaml 第2行 “meeting.name”：应为文字"


def test_wrong_type_integer_expected(tmp_path):
    text = MINIMAL + "notice:\n  unstarted_months: 三个月\n"
    message = only_error(write(tmp_path, text))
    assert message == "meeting.yaml 第13行 “notice.unstarted_months”：应为整数，而不是“三个月”"


def test_wrong_type_bool_expected(tmp_path):
    text = MINIMAL + "      subsections:\n        - title: 强化保障。\n          run_in: 也许\n"
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第14行 “speech.sections.subsections.run_in”：应为 true 或 false")


def test_wrong_type_mapping_expected(tmp_path):
    text = MINIMAL.replace("  speaker:\n    name: 张某某\n    title: 区长\n", "  speaker: 张某某区长\n")
    message = only_error(write(tmp_path, text))
    assert message == "meeting.yaml 第5行 “meeting.speaker”：应为下一级的键值（键: 值），而不是“张某某区长”"


def test_wrong_type_list_expected(tmp_path):
    text = MINIMAL + "policy: 省委经济工作会议\n"
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第12行 “policy”：应为列表")


def test_typo_key_is_reported_with_suggestion(tmp_path):
    text = MINIMAL.replace("  speaker:", "  speker:")
    found = errors_of(write(tmp_path, text))
    typo = next(e for e in found if "speker" in e)
    assert typo.startswith("meeting.yaml 第5行 “meeting.speker”：不认识的键“speker”，是不是“speaker”？")
    assert "meeting.yaml 第1行 “meeting.speaker”：缺少必填项" in found


def test_unknown_top_level_key(tmp_path):
    message = only_error(write(tmp_path, MINIMAL + "notic:\n  title: 通报\n"))
    assert message.startswith("meeting.yaml 第12行 “notic”：不认识的键“notic”，是不是“notice”？")


def test_unknown_key_inside_a_point(tmp_path):
    text = MINIMAL + "      body:\n        - items: [甲]\n          leed: 要做到：\n"
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第14行 “speech.sections.body.leed”：不认识的键“leed”")


def test_data_point_name_must_be_known(tmp_path):
    text = MINIMAL + "      body:\n        - data: overveiw\n"
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第13行 “speech.sections.body.data”：应为以下之一：")
    for name in DATA_BLOCKS:
        assert name in message
    assert "overveiw" in message


def test_point_of_unknown_shape(tmp_path):
    text = MINIMAL + "      body:\n        - 一段话\n        - foo: bar\n"
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第14行 “speech.sections.body”：要点应为")


def test_items_point_needs_items(tmp_path):
    text = MINIMAL + "      body:\n        - items: []\n"
    assert only_error(write(tmp_path, text)) == (
        "meeting.yaml 第13行 “speech.sections.body.items”：至少要有1项"
    )


def test_items_style_literal(tmp_path):
    text = MINIMAL + "      body:\n        - items: [甲, 乙]\n          style: 其\n"
    message = only_error(write(tmp_path, text))
    assert message == "meeting.yaml 第14行 “speech.sections.body.style”：应为以下之一：是、第（实际为“其”）"


def test_section_role_literal(tmp_path):
    text = MINIMAL + "      role: whyy\n"
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第12行 “speech.sections.role”：应为以下之一：why、what、how、guarantee")


def test_letters_by_literal(tmp_path):
    message = only_error(write(tmp_path, MINIMAL + "letters:\n  by: 分管领导\n"))
    assert message == "meeting.yaml 第13行 “letters.by”：应为以下之一：牵头单位、责任领导（实际为“分管领导”）"


def test_red_line_must_exceed_yellow_line(tmp_path):
    message = only_error(write(tmp_path, MINIMAL + "notice:\n  yellow_points: 40\n"))
    assert message == "meeting.yaml 第12行 “notice”：red_points（30）应大于 yellow_points（40）"


def test_empty_date_says_it_is_empty(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("date: 2026-03-06", "date:")))
    assert message.startswith("meeting.yaml 第3行 “meeting.date”：")
    assert "为空" in message and "None" not in message


@pytest.mark.parametrize("value", [".inf", ".nan"])
def test_threshold_must_be_a_finite_number(tmp_path, value):
    # red_points: .inf would otherwise print “落后序时进度Infinity个百分点” in the notice.
    message = only_error(write(tmp_path, MINIMAL + f"notice:\n  red_points: {value}\n"))
    assert message.startswith("meeting.yaml 第13行 “notice.red_points”：")
    assert "应为数字" in message


def test_negative_threshold(tmp_path):
    message = only_error(write(tmp_path, MINIMAL + "notice:\n  unstarted_months: 0\n"))
    assert message.startswith("meeting.yaml 第13行 “notice.unstarted_months”：应在1到120之间（实际为0）")


def test_all_problems_reported_at_once(tmp_path):
    text = (
        MINIMAL.replace("2026-03-06", "2026-13-45").replace("  speaker:", "  speker:")
        + "      role: whyy\nletters:\n  year: 明年\n"
    )
    found = errors_of(write(tmp_path, text))
    lines = {e.split("：")[0].split(" ")[1] for e in found}
    assert {"第3行", "第5行", "第12行", "第14行"} <= lines


def test_top_level_must_be_a_mapping(tmp_path):
    message = only_error(write(tmp_path, "- 一\n- 二\n"))
    assert message.startswith("meeting.yaml 第1行：应为下一级的键值")


def test_empty_file(tmp_path):
    assert only_error(write(tmp_path, "# 只有注释\n")) == "meeting.yaml：文件是空的"


# --- YAML reading (drafting.yamlsource) ----------------------------------------


def test_syntax_error_names_the_line(tmp_path):
    text = MINIMAL.replace("purpose: 部署今年重点项目建设", "purpose: 部署: 今年重点项目建设")
    message = only_error(write(tmp_path, text))
    assert message.startswith("meeting.yaml 第8行：YAML 格式错误")


def test_tab_indentation_is_explained(tmp_path):
    message = only_error(write(tmp_path, MINIMAL.replace("    name: 张某某", "\tname: 张某某")))
    assert message.startswith("meeting.yaml 第6行：YAML 格式错误")
    assert "Tab" in message


def test_non_utf8_file(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_bytes(MINIMAL.encode("gbk"))
    message = only_error(path)
    assert message.startswith("meeting.yaml 第2行：文件不是 UTF-8 编码")


def test_utf8_with_bom_is_fine(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_bytes(MINIMAL.encode("utf-8-sig"))
    assert load_meeting(path).organizer == "某某区人民政府"


def test_duplicate_key(tmp_path):
    message = only_error(write(tmp_path, MINIMAL + "purpose: 再写一遍\n"))
    assert message == "meeting.yaml 第12行：键“purpose”重复（第8行已有）"


def test_missing_file(tmp_path):
    assert only_error(tmp_path / "meeting.yaml") == "meeting.yaml：文件不存在"


def test_line_of_maps_locations_to_nearest_line(tmp_path):
    doc = load_yaml(write(tmp_path, MINIMAL + "      body:\n        - 甲\n        - data: levels\n"))
    assert doc.line_of(("meeting", "date")) == 3
    assert doc.line_of(("speech", "sections", 0, "title")) == 11
    assert doc.line_of(("speech", "sections", 0, "body", 1)) == 14
    assert doc.line_of(("speech", "sections", 0, "body", 1, "data")) == 14
    assert doc.line_of(("speech", "sections", 0, "missing")) == 11
    assert doc.line_of(("letters", "year")) == 1
    assert doc.data["meeting"]["date"] == date(2026, 3, 6)


def test_mechanisms_default_and_shared_keys(tmp_path):
    m = load_meeting(write(tmp_path, MINIMAL))
    assert (m.mechanisms.dispatch, m.mechanisms.briefing, m.mechanisms.assessment) == ("月", "季", "年")
    assert m.mechanisms.site_visit is None and m.mechanisms.report_to is None
    text = MINIMAL + "mechanisms:\n  dispatch: 周\n  briefing: 月\n  report_to: 区发展改革局\n  support_units: 区财政局\n"
    m = load_meeting(write(tmp_path, text))
    assert (m.mechanisms.dispatch, m.mechanisms.briefing, m.mechanisms.report_to) == ("周", "月", "区发展改革局")
    assert m.mechanisms.support_units == ["区财政局"]


def test_mechanisms_cycles_are_named_and_ordered(tmp_path):
    message = only_error(write(tmp_path, MINIMAL + "mechanisms:\n  dispatch: 每周\n"))
    assert message.startswith("meeting.yaml 第13行 “mechanisms.dispatch”")
    message = only_error(write(tmp_path, MINIMAL + "mechanisms:\n  dispatch: 季\n  briefing: 月\n"))
    assert message == "meeting.yaml 第12行 “mechanisms”：调度（dispatch：季）不应比通报（briefing：月）更稀"


def test_notice_dates_validated(tmp_path):
    text = MINIMAL + "notice:\n  date: 2026-03-09\n  print_date: 2026.3.10\n"
    m = load_meeting(write(tmp_path, text))
    assert (m.notice.date, m.notice.print_date) == (date(2026, 3, 9), date(2026, 3, 10))
    message = only_error(write(tmp_path, MINIMAL + "notice:\n  date: 2026-03-09\n  print_date: 2026-03-08\n"))
    assert message == (
        "meeting.yaml 第12行 “notice”：print_date（印发日期 2026年3月8日）不能早于 date（成文日期 2026年3月9日）"
    )
