"""Project ledger: xlsx and yaml loads, aliases, values, and every bad cell reported with row and column."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from drafting.errors import InputError, InputErrors
from drafting.ledger import COLUMNS, ProjectLevel, ProjectStatus, load_ledger

FIXTURE = Path(__file__).parent / "fixtures" / "input" / "valid_meeting" / "projects.yaml"

HEADER = ["项目名称", "牵头单位", "总投资（亿元）", "项目状态", "签约日期", "项目级别"]


def write_xlsx(tmp_path: Path, header: list, rows: list[list], name: str = "projects.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_ledger(path)
    return [str(e) for e in info.value.errors]


def only_problem(path: Path) -> str:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


# --- valid xlsx ----------------------------------------------------------------


def test_full_canonical_header(tmp_path):
    header = [c.header for c in COLUMNS]
    row = [
        "产业园", "先进制造业", "建设厂房", "李某某", "区发展改革局", "区自然资源局、区住房城乡建设局",
        25.6, 8.2, 3.15, "已开工", datetime(2025, 6, 18), datetime(2025, 9, 1), datetime(2025, 10, 12),
        datetime(2027, 12, 31), "省重点", "主体封顶", "道路未通",
    ]
    ledger = load_ledger(write_xlsx(tmp_path, header, [row]))
    (p,) = ledger.projects
    assert p.row == 2
    assert (p.name, p.category, p.content, p.leader, p.lead_unit) == (
        "产业园", "先进制造业", "建设厂房", "李某某", "区发展改革局"
    )
    assert p.partner_units == ["区自然资源局", "区住房城乡建设局"]
    assert (p.total_investment, p.annual_plan, p.completed) == (
        Decimal("25.6"), Decimal("8.2"), Decimal("3.15")
    )
    assert p.status is ProjectStatus.STARTED and str(p.status) == "已开工"
    assert (p.signed_date, p.planned_start, p.actual_start, p.planned_completion) == (
        date(2025, 6, 18), date(2025, 9, 1), date(2025, 10, 12), date(2027, 12, 31)
    )
    assert p.level is ProjectLevel.PROVINCIAL
    assert (p.progress_note, p.issues) == ("主体封顶", "道路未通")
    assert ledger.source.name == "projects.xlsx"
    assert ledger.ignored_columns == []


def test_aliased_headers_in_any_order_with_bracket_and_space_variants(tmp_path):
    header = [
        "序号", " 责任单位 ", "项目", "总投资(亿元)", "年度计划", "完成投资", "状态", "开工日期",
        "级别", "工程进度", "问题", "包联领导", "协同单位", "产业类别", "建设规模及内容",
        "计划开工时间", "计划竣工时间", "备注",
    ]
    row = [
        1, "区商务局", "物流中心", 12, 4.5, 0, "已签约", None, "市重点", "前期", "无", "王某某",
        "区交通运输局", "现代服务业", "仓储", "2026-04-01", "2027-06-30", "重点",
    ]
    (p,) = load_ledger(write_xlsx(tmp_path, header, [row])).projects
    assert (p.name, p.lead_unit, p.leader, p.category, p.content) == (
        "物流中心", "区商务局", "王某某", "现代服务业", "仓储"
    )
    assert (p.total_investment, p.annual_plan, p.completed) == (Decimal(12), Decimal("4.5"), Decimal(0))
    assert p.status is ProjectStatus.SIGNED and p.level is ProjectLevel.MUNICIPAL
    assert (p.planned_start, p.planned_completion, p.actual_start) == (
        date(2026, 4, 1), date(2027, 6, 30), None
    )
    assert (p.progress_note, p.issues, p.partner_units) == ("前期", "无", ["区交通运输局"])


def test_ignored_columns_are_listed(tmp_path):
    ledger = load_ledger(write_xlsx(tmp_path, ["序号", "项目名称", "牵头单位", "备注"], [[1, "甲", "乙", ""]]))
    assert ledger.ignored_columns == ["序号", "备注"]


def test_full_width_bracket_header_with_line_break(tmp_path):
    header = ["项目名称", "牵头单位", "总投资\n（亿元）", "年度计划投资 (亿元)"]
    (p,) = load_ledger(write_xlsx(tmp_path, header, [["甲", "乙", 3, 1]])).projects
    assert (p.total_investment, p.annual_plan) == (Decimal(3), Decimal(1))


def test_text_dates_in_every_accepted_form(tmp_path):
    forms = ["2026-03-01", "2026-3-1", "2026.3.1", "2026/3/1", "2026年3月1日"]
    rows = [[f"项目{i}", "区发改局", None, None, text, None] for i, text in enumerate(forms)]
    ledger = load_ledger(write_xlsx(tmp_path, HEADER, rows))
    assert [p.signed_date for p in ledger.projects] == [date(2026, 3, 1)] * len(forms)


def test_excel_date_cells_and_serial_numbers(tmp_path):
    rows = [
        ["甲", "单位", None, None, datetime(2025, 12, 5), None],
        ["乙", "单位", None, None, date(2025, 12, 6), None],
        ["丙", "单位", None, None, 46082, None],  # an unformatted serial number
    ]
    signed = [p.signed_date for p in load_ledger(write_xlsx(tmp_path, HEADER, rows)).projects]
    assert signed == [date(2025, 12, 5), date(2025, 12, 6), date(2026, 3, 1)]


def test_blank_rows_are_skipped_and_rows_keep_excel_numbers(tmp_path):
    rows = [
        ["甲", "单位", 1, None, None, None],
        [None, None, None, None, None, None],
        ["", "  ", None, None, None, None],
        ["乙", "单位", 2, None, None, None],
    ]
    ledger = load_ledger(write_xlsx(tmp_path, HEADER, rows))
    assert [(p.name, p.row) for p in ledger.projects] == [("甲", 2), ("乙", 5)]


def test_amounts_are_exact_decimals(tmp_path):
    rows = [[f"项目{i}", "单位", value, None, None, None] for i, value in enumerate([0.1, 0.2, "0.3", "1.4亿元", 2])]
    projects = load_ledger(write_xlsx(tmp_path, HEADER, rows)).projects
    amounts = [p.total_investment for p in projects]
    assert amounts == [Decimal("0.1"), Decimal("0.2"), Decimal("0.3"), Decimal("1.4"), Decimal(2)]
    assert sum(amounts) == Decimal("4.0")


def test_empty_optional_cells_are_none(tmp_path):
    (p,) = load_ledger(write_xlsx(tmp_path, HEADER, [["甲", "单位", None, "", None, " "]])).projects
    assert (p.total_investment, p.status, p.signed_date, p.level) == (None, None, None, None)
    assert p.partner_units == []


def test_partner_units_split_on_all_separators(tmp_path):
    header = ["项目名称", "牵头单位", "配合单位"]
    (p,) = load_ledger(write_xlsx(tmp_path, header, [["甲", "乙", "一局、二局，三局,四局;五局；六局"]])).projects
    assert p.partner_units == ["一局", "二局", "三局", "四局", "五局", "六局"]


def test_numeric_name_cell_becomes_text(tmp_path):
    (p,) = load_ledger(write_xlsx(tmp_path, HEADER, [[2026.0, "单位", None, None, None, None]])).projects
    assert p.name == "2026"


# --- bad xlsx --------------------------------------------------------------------


def row_with(**cells) -> list:
    values = dict(zip(HEADER, ["项目甲", "区发改局", 1, "已开工", "2026-01-01", "区重点"]))
    values.update({k.replace("_", ""): v for k, v in cells.items()})
    return [values[h] for h in HEADER]


def test_negative_amount(tmp_path):
    rows = [row_with(), ["项目乙", "区商务局", -2.5, None, None, None]]
    assert only_problem(write_xlsx(tmp_path, HEADER, rows)) == (
        "projects.xlsx 第3行 C列 “总投资（亿元）”：不能为负数（-2.5）"
    )


def test_negative_amount_under_alias_header_uses_canonical_name(tmp_path):
    header = ["项目名称", "牵头单位", "年度计划"]
    message = only_problem(write_xlsx(tmp_path, header, [["甲", "乙", "-1"]]))
    assert message == "projects.xlsx 第2行 C列 “年度计划投资（亿元）”：不能为负数（-1）"


@pytest.mark.parametrize("value", ["约3亿", "3.5万元", "三亿", "1,200", True])
def test_non_numeric_amount(tmp_path, value):
    message = only_problem(write_xlsx(tmp_path, HEADER, [["甲", "乙", value, None, None, None]]))
    assert message.startswith("projects.xlsx 第2行 C列 “总投资（亿元）”：应为数字（亿元），而不是“")


def test_unknown_status_lists_allowed_values(tmp_path):
    message = only_problem(write_xlsx(tmp_path, HEADER, [["甲", "乙", 1, "施工中", None, None]]))
    assert message == (
        "projects.xlsx 第2行 D列 “项目状态”：未知的项目状态“施工中”，"
        "应为以下之一：在谈、已签约、拟开工、已开工、已竣工、已投产"
    )


def test_unknown_level(tmp_path):
    message = only_problem(write_xlsx(tmp_path, HEADER, [["甲", "乙", 1, None, None, "国家重点"]]))
    assert message == (
        "projects.xlsx 第2行 F列 “项目级别”：未知的项目级别“国家重点”，应为以下之一：省重点、市重点、区重点、县重点"
    )


def test_unparseable_date(tmp_path):
    message = only_problem(write_xlsx(tmp_path, HEADER, [["甲", "乙", 1, None, "去年年底", None]]))
    assert message == "projects.xlsx 第2行 E列 “签约日期”：无法识别的日期“去年年底”"


def test_impossible_date(tmp_path):
    message = only_problem(write_xlsx(tmp_path, HEADER, [["甲", "乙", 1, None, "2026-02-30", None]]))
    assert message.startswith("projects.xlsx 第2行 E列 “签约日期”：无法识别的日期“2026-02-30”")


def test_duplicate_name_names_both_rows(tmp_path):
    rows = [row_with(), ["项目乙", "单位", None, None, None, None], row_with()]
    message = only_problem(write_xlsx(tmp_path, HEADER, rows))
    assert message == "projects.xlsx 第4行 A列 “项目名称”：项目名称“项目甲”重复（与第2行相同）"


def test_empty_name_cell(tmp_path):
    message = only_problem(write_xlsx(tmp_path, HEADER, [[None, "区发改局", 1, None, None, None]]))
    assert message == "projects.xlsx 第2行 A列 “项目名称”：不能为空"


def test_empty_lead_unit_cell(tmp_path):
    message = only_problem(write_xlsx(tmp_path, HEADER, [["甲", "  ", 1, None, None, None]]))
    assert message == "projects.xlsx 第2行 B列 “牵头单位”：不能为空"


def test_missing_required_column(tmp_path):
    message = only_problem(write_xlsx(tmp_path, ["项目名称", "总投资"], [["甲", 1]]))
    assert message.startswith("projects.xlsx 第1行 “牵头单位”：缺少必填列（表头在第1行")
    assert "责任单位" in message


def test_duplicate_column(tmp_path):
    header = ["项目名称", "牵头单位", "总投资", "总投资（亿元）"]
    message = only_problem(write_xlsx(tmp_path, header, [["甲", "乙", 1, 1]]))
    assert message == "projects.xlsx 第1行 D列 “总投资（亿元）”：与C列重复，都是“总投资（亿元）”"


def test_all_problems_collected_in_one_pass(tmp_path):
    rows = [
        ["甲", "单位", -1, "施工中", None, None],
        [None, "单位", "很多", None, "2026-13-01", "国家级"],
        ["甲", None, None, None, None, None],
    ]
    found = problems(write_xlsx(tmp_path, HEADER, rows))
    assert [m.split("：")[0] for m in found] == [
        "projects.xlsx 第2行 C列 “总投资（亿元）”",
        "projects.xlsx 第2行 D列 “项目状态”",
        "projects.xlsx 第3行 A列 “项目名称”",
        "projects.xlsx 第3行 C列 “总投资（亿元）”",
        "projects.xlsx 第3行 E列 “签约日期”",
        "projects.xlsx 第3行 F列 “项目级别”",
        "projects.xlsx 第4行 A列 “项目名称”",
        "projects.xlsx 第4行 B列 “牵头单位”",
    ]


def test_empty_header_row(tmp_path):
    path = write_xlsx(tmp_path, [], [["甲", "乙"]])
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value) == "projects.xlsx 第1行：应为表头，但是空的"


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "projects.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value).startswith("projects.xlsx：无法读取")


def test_missing_xlsx_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_ledger(tmp_path / "projects.xlsx")
    assert str(info.value) == "projects.xlsx：文件不存在"


def test_old_xls_format_is_refused(tmp_path):
    path = tmp_path / "projects.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="另存为 .xlsx"):
        load_ledger(path)


# --- projects.yaml ---------------------------------------------------------------


def test_yaml_fixture_loads(tmp_path):
    ledger = load_ledger(FIXTURE)
    assert len(ledger.projects) == 6
    first, second = ledger.projects[:2]
    assert first.row == 3 and first.name == "新能源汽车零部件产业园"
    assert first.partner_units == ["区自然资源局", "区住房城乡建设局"]
    assert first.signed_date == date(2025, 6, 18)
    # aliased keys and text dates
    assert (second.total_investment, second.annual_plan, second.completed) == (
        Decimal(12), Decimal("4.5"), Decimal(0)
    )
    assert (second.signed_date, second.planned_start) == (date(2025, 11, 20), date(2026, 4, 1))
    assert sum(p.total_investment for p in ledger.projects) == Decimal("68.25")


def write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "projects.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_negative_amount_names_line(tmp_path):
    path = write_yaml(tmp_path, "projects:\n  - 项目名称: 甲\n    牵头单位: 乙\n    总投资: -3\n")
    assert only_problem(path) == "projects.yaml 第4行 “总投资（亿元）”：不能为负数（-3）"


def test_yaml_missing_required_key(tmp_path):
    path = write_yaml(tmp_path, "projects:\n  - 项目名称: 甲\n  - 项目名称: 乙\n    牵头单位: 丙\n")
    assert only_problem(path) == "projects.yaml 第2行 “牵头单位”：缺少必填项"


def test_yaml_unknown_key(tmp_path):
    path = write_yaml(tmp_path, "projects:\n  - 项目名称: 甲\n    牵头单位: 乙\n    项目明称: 丙\n")
    assert only_problem(path).startswith("projects.yaml 第4行 “项目明称”：不认识的列名“项目明称”")


def test_yaml_duplicate_name(tmp_path):
    path = write_yaml(
        tmp_path, "projects:\n  - 项目名称: 甲\n    牵头单位: 乙\n  - 项目名称: 甲\n    牵头单位: 丙\n"
    )
    assert only_problem(path) == "projects.yaml 第4行 “项目名称”：项目名称“甲”重复（与第2行相同）"


def test_yaml_bad_date_and_status(tmp_path):
    text = "projects:\n  - 项目名称: 甲\n    牵头单位: 乙\n    签约日期: 2026-13-01\n    状态: 开工\n"
    found = problems(write_yaml(tmp_path, text))
    assert found[0].startswith("projects.yaml 第4行 “签约日期”：无法识别的日期“2026-13-01”")
    assert found[1].startswith("projects.yaml 第5行 “项目状态”：未知的项目状态“开工”")


def test_yaml_item_must_be_a_mapping(tmp_path):
    path = write_yaml(tmp_path, "projects:\n  - 项目名称: 甲\n    牵头单位: 乙\n  - 只写了名字\n")
    assert only_problem(path).startswith("projects.yaml 第4行：")


def test_yaml_without_projects_key(tmp_path):
    with pytest.raises(InputError) as info:
        load_ledger(write_yaml(tmp_path, "项目:\n  - 甲\n"))
    assert str(info.value).startswith("projects.yaml 第1行：应以“projects:”开头")


def test_title_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2026年全区重点项目建设台账"])
    sheet.append([None, None, "单位：亿元"])
    sheet.append(HEADER)
    sheet.append(["甲项目", "区发展改革局", 3, "已开工", None, "区重点"])
    sheet.append(["乙项目", "区商务局", -1, "在谈", None, None])
    path = tmp_path / "projects.xlsx"
    workbook.save(path)
    assert "projects.xlsx 第5行 C列 “总投资（亿元）”" in only_problem(path)
    sheet.delete_rows(5)
    workbook.save(path)
    assert [p.row for p in load_ledger(path).projects] == [4]


def test_total_rows_are_not_projects(tmp_path):
    path = write_xlsx(
        tmp_path,
        HEADER,
        [["甲项目", "区发展改革局", 3, "已开工", None, None], ["合  计", None, 3, None, None, None], ["总计", None, 3]],
    )
    assert [p.name for p in load_ledger(path).projects] == ["甲项目"]


def test_a_ledger_without_projects_is_refused(tmp_path):
    path = write_xlsx(tmp_path, HEADER, [[None] * len(HEADER), ["合计", None, 0]])
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value).startswith("projects.xlsx：台账中没有任何项目")


# --- spreadsheets as offices really keep them ------------------------------------


def test_never_calculated_formula_is_refused_not_counted_as_zero(tmp_path):
    # A file written by a script keeps formulas without their results; data_only reads None.
    header = ["项目名称", "牵头单位", "年度计划投资（亿元）", "累计完成投资（亿元）"]
    path = write_xlsx(tmp_path, header, [["产业园", "区发改局", 2, "=0.5+0.5"], ["物流园", "区商务局", 1, 0.2]])
    message = only_problem(path)
    assert message.startswith("projects.xlsx 第2行 D列 “累计完成投资（亿元）”：")
    assert "公式" in message and "保存" in message


def test_merged_unit_cells_apply_to_every_row_they_cover(tmp_path):
    header = ["项目名称", "牵头单位", "年度计划投资（亿元）"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (header, ["产业园", "区发改局", 2], ["物流园", None, 1], ["数据中心", "区工信局", 3]):
        sheet.append(row)
    sheet.merge_cells("B2:B3")
    path = tmp_path / "projects.xlsx"
    workbook.save(path)
    ledger = load_ledger(path)
    assert [(p.name, p.lead_unit, p.annual_plan) for p in ledger.projects] == [
        ("产业园", "区发改局", Decimal(2)), ("物流园", "区发改局", Decimal(1)), ("数据中心", "区工信局", Decimal(3))
    ]


def test_merged_amount_cells_are_refused_rather_than_counted_twice(tmp_path):
    header = ["项目名称", "牵头单位", "年度计划投资（亿元）"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (header, ["产业园", "区发改局", 2], ["物流园", "区发改局", None]):
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    path = tmp_path / "projects.xlsx"
    workbook.save(path)
    message = only_problem(path)
    assert message.startswith("projects.xlsx 第3行 C列 “年度计划投资（亿元）”：")
    assert "合并" in message and "第2行" in message


def test_total_row_labelled_in_a_merged_cell_left_of_the_name(tmp_path):
    header = ["序号", "项目名称", "牵头单位", "年度计划投资（亿元）"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (header, [1, "产业园", "区发改局", 2], ["合 计", None, None, 2]):
        sheet.append(row)
    sheet.merge_cells("A3:B3")
    path = tmp_path / "projects.xlsx"
    workbook.save(path)
    assert [p.name for p in load_ledger(path).projects] == ["产业园"]


def test_unit_and_leader_names_differing_only_by_spaces_or_line_breaks_are_one(tmp_path):
    header = ["项目名称", "牵头单位", "责任领导", "配合单位"]
    rows = [
        ["产业园", "区发改局", "张三", "区 商务局"],
        ["物流园", "区 发改局", "张  三", None],
        ["数据中心", "区发改\n局", " 张三\u3000", None],
        ["Data Park", "Acme  Group Co", "Li  Lei", None],
        ["物流中心", "区住建局(人防办)", None, "区商务局 (口岸办)、Port (Office)"],
    ]
    projects = load_ledger(write_xlsx(tmp_path, header, rows)).projects
    assert {p.lead_unit for p in projects[:3]} == {"区发改局"}
    assert {p.leader for p in projects[:3]} == {"张三"}
    assert projects[0].partner_units == ["区商务局"]
    assert (projects[3].lead_unit, projects[3].leader) == ("Acme Group Co", "Li Lei")
    assert projects[4].lead_unit == "区住建局（人防办）"
    assert projects[4].partner_units == ["区商务局（口岸办）", "Port (Office)"]


def test_county_level_projects(tmp_path):
    path = write_xlsx(tmp_path, ["项目名称", "牵头单位", "项目级别"], [["产业园", "县发改局", "县重点"]])
    assert load_ledger(path).projects[0].level == ProjectLevel.COUNTY


def test_control_characters_in_cells_become_line_breaks_or_vanish(tmp_path):
    path = write_xlsx(tmp_path, HEADER, [["甲项目_x000B_一期", "区发展_x0007_改革局", 3, "已开工", None, None]])
    [project] = load_ledger(path).projects
    assert project.name == "甲项目\n一期"
    assert project.lead_unit == "区发展改革局"
