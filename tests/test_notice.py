"""Progress notice: every number in the text matches hand arithmetic on the fixture ledger.

Fixture: tests/fixtures/figures/meeting (ledger table in tests/test_figures.py), as of 2026-03-06:
pace 65/365 = 17.808%; plan 14, done 1.7 → 12.142857% → "12.1%", 5.665 points behind → "5.7个百分点".
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from rendering import docx_to_pdf, pdf_page_sizes, pdf_pages_text

from drafting.docx.profile import StyleProfile
from drafting.document import (
    Attachment,
    AttachmentNote,
    Document,
    Enumeration,
    Heading,
    Paragraph,
    Salutation,
    Signature,
    Table,
)
from drafting.documents.notice import build_notice, needs_landscape
from drafting.folder import MeetingFolder, load_meeting_folder
from drafting.templating.environment import default_search_paths, make_environment

FIXTURE = Path(__file__).parent / "fixtures" / "figures" / "meeting"
AS_OF = date(2026, 3, 6)


def make_folder(tmp_path: Path, notice: str | None = None, ledger: str | None = None) -> MeetingFolder:
    folder = tmp_path / "会议"
    folder.mkdir(parents=True)
    meeting = (FIXTURE / "meeting.yaml").read_text(encoding="utf-8")
    if notice is not None:
        meeting = meeting[: meeting.index("notice:")] + notice
    (folder / "meeting.yaml").write_text(meeting, encoding="utf-8")
    if ledger is None:
        shutil.copy(FIXTURE / "projects.yaml", folder / "projects.yaml")
    else:
        (folder / "projects.yaml").write_text(ledger, encoding="utf-8")
    return load_meeting_folder(folder)


def notice(folder: MeetingFolder, as_of: date = AS_OF) -> Document:
    return build_notice(folder, as_of, make_environment(default_search_paths(folder.templates_dir)))


def section(doc: Document, title: str) -> list:
    """Blocks under the level-1 heading ``title`` up to the next level-1 heading."""
    blocks = doc.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1 and b.text == title)
    end = next(
        (i for i, b in enumerate(blocks[start + 1 :], start + 1) if isinstance(b, Heading) and b.level == 1),
        len(blocks),
    )
    return blocks[start + 1 : end]


def text_of(blocks: list) -> str:
    parts = []
    for b in blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        elif isinstance(b, Heading):
            parts.append(b.full_text)
        elif isinstance(b, Enumeration):
            parts.extend(b.item_texts())
    return "\n".join(parts)


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return notice(make_folder(tmp_path))


# --- structure ----------------------------------------------------------------


def test_structure(doc: Document) -> None:
    assert doc.meta.kind == "notice"
    assert doc.title.text == "关于全区重点项目建设进展情况的通报"
    assert any(isinstance(b, Salutation) and b.text == "各街道办事处，区政府各部门、各直属机构：" for b in doc.blocks)
    assert [h.full_text for h in doc.headings() if h.level == 1] == [
        "一、总体进展",
        "二、分单位情况",
        "三、滞后项目",
        "四、下步工作要求",
    ]
    assert any(isinstance(b, Paragraph) and b.text == "特此通报。" for b in doc.blocks)
    [signature] = [b for b in doc.blocks if isinstance(b, Signature)]
    assert signature.lines == ["某某区重点项目建设领导小组办公室"]
    assert signature.date == "2026年3月6日"  # the as-of date, not today
    [note] = [b for b in doc.blocks if isinstance(b, AttachmentNote)]
    assert note.items == ["2026年度重点项目推进情况表"]


def test_red_header_and_imprint_when_configured(doc: Document) -> None:
    assert doc.red_header is not None
    assert (doc.red_header.organ, doc.red_header.number) == ("某某区人民政府办公室", "某政办发〔2026〕12号")
    assert doc.imprint is not None
    assert doc.imprint.cc == "区委办公室，区人大常委会办公室，区政协办公室"
    assert doc.imprint.issuer == "某某区人民政府办公室" and doc.imprint.date == "2026年3月6日"


def test_plain_notice_without_header_defaults_to_organizer(tmp_path: Path) -> None:
    doc = notice(make_folder(tmp_path, notice="notice:\n  yellow_points: 5\n  red_points: 15\n"))
    assert doc.red_header is None and doc.imprint is None
    assert not any(isinstance(b, Salutation) for b in doc.blocks)
    [signature] = [b for b in doc.blocks if isinstance(b, Signature)]
    assert signature.lines == ["某某区人民政府"]


def test_notice_with_a_red_header_is_signed_by_its_organ_by_default(tmp_path: Path) -> None:
    settings = "notice:\n  red_header:\n    organ: 某某区人民政府办公室\n    number: 某政办发〔2026〕12号\n"
    doc = notice(make_folder(tmp_path, notice=settings))
    [signature] = [b for b in doc.blocks if isinstance(b, Signature)]
    assert signature.lines == ["某某区人民政府办公室"]


def test_default_title_and_totals_use_the_meetings_scope_word(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, notice="notice:\n  yellow_points: 5\n  red_points: 15\n")
    yaml_path = folder.path / "meeting.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace("  organizer: 某某区人民政府\n", "  organizer: 某某县人民政府\n  scope: 全县\n"),
        encoding="utf-8",
    )
    doc = notice(load_meeting_folder(folder.path))
    assert doc.title is not None and doc.title.text == "关于全县重点项目建设进展情况的通报"
    assert "全县共安排重点项目" in text_of(section(doc, "总体进展"))


# --- 一、总体进展 ---------------------------------------------------------------


def test_overall_numbers_match_hand_computation(doc: Document) -> None:
    text = text_of(section(doc, "总体进展"))
    assert "全区共安排重点项目8个" in text
    assert "总投资35.7亿元" in text  # 10 + 5 + 3 + 2.5 + 1.2 + 6 + 8
    assert "年度计划投资14亿元" in text  # 4 + 2 + 1.5 + 1 + 0 + 0.5 + 2 + 3
    assert "截至2026年3月6日，累计完成投资1.7亿元" in text  # 1.2 + 0.1 + 0.3 + 0.1
    assert "占年度计划的12.1%" in text  # 1.7 / 14 = 12.14%
    assert "低于序时进度（17.8%）5.7个百分点" in text  # 65 / 365 = 17.81%; 17.81 − 12.14 = 5.67
    # 开工率 leaves out the 在谈 project 丙一 and says so: 3 / 7
    assert "已开工项目3个，开工率42.9%（按除在谈项目外的7个项目计算）" in text
    # 甲二 (planned 05-15) and 甲三 (04-01) are not due yet; 乙一 and 丁一 are
    assert "未开工的4个项目中，2个尚未到计划开工时间" in text
    assert "今年已竣工（投产）项目1个" in text
    assert "以前年度" not in text


def test_a_later_as_of_date_moves_the_pace(tmp_path: Path) -> None:
    text = text_of(section(notice(make_folder(tmp_path), date(2026, 6, 30)), "总体进展"))
    # 181 / 365 = 49.59%; 49.59 − 12.14 = 37.45; 甲三 has started by then (04-01)
    assert "低于序时进度（49.6%）37.4个百分点" in text
    assert "已开工项目4个，开工率57.1%" in text  # 4 / 7


def test_zero_annual_plan_shows_a_dash(tmp_path: Path) -> None:
    ledger = "projects:\n  - 项目名称: 丙一商贸综合体\n    牵头单位: 区商务局\n    年度计划投资（亿元）: 0\n"
    doc = notice(make_folder(tmp_path, ledger=ledger))
    text = text_of(section(doc, "总体进展"))
    # No “总投资0亿元”, “年度计划投资0亿元” or “占年度计划的—” in a notice: amounts not given are not stated.
    assert "全区共安排重点项目1个。截至2026年3月6日，累计完成投资0亿元。已开工项目0个" in text
    assert "—" not in text and "年度计划" not in text
    assert "序时进度（" not in text  # no comparison without a rate
    assert "已开工项目0个，开工率0.0%" in text
    [table] = [b for b in section(doc, "分单位情况") if isinstance(b, Table)]
    assert table.rows[1][5:] == ["—", "—"]
    assert "区商务局暂无年度计划投资" in text_of(section(doc, "分单位情况"))
    assert "未发现" in text_of(section(doc, "滞后项目"))


# --- 二、分单位情况 --------------------------------------------------------------


def test_unit_table_ranked_by_completion_rate(doc: Document) -> None:
    [table] = [b for b in section(doc, "分单位情况") if isinstance(b, Table)]
    # the unit goes once into the caption, not into every header
    assert table.caption == "各牵头单位重点项目推进情况（单位：亿元）"
    assert table.rows[0] == ["序号", "牵头单位", "项目数", "年度计划", "累计完成", "完成率", "比序时进度"]
    assert table.total_row
    # Only assessed projects: 甲二 and 甲三 are not due yet, 丙一 is 在谈. Amounts with two decimals throughout.
    assert table.rows[1:] == [
        # 甲一 1.2 / 4 = 30%; 30 − 17.81 = +12.19
        ["1", "区发改局", "1", "4.00", "1.20", "30.0%", "+12.2"],
        # 0.1 / 0.5 = 20%; 20 − 17.81 = +2.19
        ["2", "区文旅局", "1", "0.50", "0.10", "20.0%", "+2.2"],
        # 0.3 / 4.5 = 6.67%; 17.81 − 6.67 = 11.14
        ["3", "区住建局", "3", "4.50", "0.30", "6.7%", "-11.1"],
        ["4", "区商务局", "0", "0.00", "0.00", "—", "—"],
        # 5 projects, 9 planned, 1.6 done: 17.78%, 0.03 behind → printed 0.0
        ["", "合计", "5", "9.00", "1.60", "17.8%", "0.0"],
    ]
    text = text_of(section(doc, "分单位情况"))
    assert "注：只计已开工和已到计划开工时间的项目；“比序时进度”为完成率减序时进度（17.8%），单位为百分点。" in text
    assert "区商务局暂无计入考核的年度计划投资" in text


def test_units_ahead_and_behind_are_named(doc: Document) -> None:
    text = text_of(section(doc, "分单位情况"))
    assert "完成率达到或超过序时进度的单位2个：区发改局和区文旅局" in text
    assert "完成率低于序时进度的单位1个：区住建局" in text


# --- 三、滞后项目 ----------------------------------------------------------------


def test_lagging_projects_named_with_units(doc: Document) -> None:
    blocks = section(doc, "滞后项目")
    headings = [b for b in blocks if isinstance(b, Heading)]
    assert [h.text for h in headings] == ["清退预警项目。", "黄灯项目。"]  # no project is 30 points behind in March
    warning, yellow = (h.run_in for h in headings)
    assert "签约后超过3个月、已过计划开工时间仍未开工的项目1个：乙一老旧小区改造（区住建局，2025年12月5日签约）" in warning
    assert "甲二" not in warning  # not due before 05-15
    assert "落后序时进度10个百分点及以上、不足30个百分点的项目1个：乙三地下管网（区住建局，完成率0.0%，落后17.8个百分点）" in yellow
    # not-yet-due and 在谈 projects have their own lines, with no light and no “落后”
    text = text_of(blocks)
    assert (
        "尚未到计划开工时间的项目2个（括号内为计划开工日期），本期不亮灯：甲二新材料项目（区发改局，5月15日）、"
        "甲三数据中心（区发改局，4月1日）。" in text
    )
    assert "在谈项目1个（区商务局的丙一商贸综合体），不计入开工率和完成率" in text
    assert "丙一商贸综合体（" not in text


def test_thresholds_from_meeting_yaml(tmp_path: Path) -> None:
    doc = notice(make_folder(tmp_path, notice="notice:\n  unstarted_months: 2\n  yellow_points: 5\n  red_points: 15\n"))
    headings = [b for b in section(doc, "滞后项目") if isinstance(b, Heading)]
    # nothing is between 5 and 15 points behind; 甲一 and 丁一 are ahead
    assert [h.text for h in headings] == ["清退预警项目。", "红灯项目。"]
    warning, red = (h.run_in for h in headings)
    # 2 months: 甲二 (12-06 + 2 = 02-06) is past the signing limit but not yet due to start (05-15)
    assert "签约后超过2个月、已过计划开工时间仍未开工的项目1个" in warning and "甲二" not in warning
    # 17.8 behind ≥ 15 → red; 甲三 starts 04-01 and is not judged yet
    assert "落后序时进度15个百分点及以上的项目1个：乙三地下管网（区住建局" in red


def test_requirements_name_only_the_lagging_kinds_present(tmp_path: Path, doc: Document) -> None:
    assert "对清退预警、黄灯项目，牵头单位主要负责同志要亲自调度" in text_of(section(doc, "下步工作要求"))
    red_only = notice(make_folder(tmp_path / "红灯", notice="notice:\n  unstarted_months: 2\n  yellow_points: 5\n  red_points: 15\n"))
    assert "对清退预警、红灯项目，" in text_of(section(red_only, "下步工作要求"))


def test_requirements_without_lagging_projects_name_none(tmp_path: Path) -> None:
    ledger = "projects:\n  - 项目名称: 甲项目\n    牵头单位: 区发改局\n    年度计划投资（亿元）: 1\n    累计完成投资（亿元）: 1\n    项目状态: 已开工\n"
    doc = notice(make_folder(tmp_path, ledger=ledger))
    text = text_of(section(doc, "下步工作要求"))
    assert "亲自调度" not in text and "红灯" not in text and "清退预警" not in text
    assert "报某某区重点项目建设领导小组办公室" not in text


# --- attachment -------------------------------------------------------------------


def test_attachment_lists_every_project(doc: Document) -> None:
    [attachment] = [b for b in doc.blocks if isinstance(b, Attachment)]
    [table] = [b for b in attachment.blocks if isinstance(b, Table)]
    assert table.rows[0] == ["序号", "项目名称", "年度计划", "累计完成", "完成率", "备注", "形象进度", "存在问题"]
    assert [b.text for b in attachment.blocks if isinstance(b, Paragraph)] == ["单位：亿元"]
    assert len(table.rows) == 1 + 4 + 8 + 1 and table.total_row
    # grouped by unit in the unit table's order (a row naming the unit first), ledger order within a unit
    assert [row[1] for row in table.rows[1:-1]] == [
        "区发改局（3个）", "甲一智能装备产业园", "甲二新材料项目", "甲三数据中心",
        "区文旅局（1个）", "丁一古镇文旅项目",
        "区住建局（3个）", "乙一老旧小区改造", "乙二片区道路", "乙三地下管网",
        "区商务局（1个）", "丙一商贸综合体",
    ]
    assert table.rows[1] == ["", "区发改局（3个）", "", "", "", "", "", ""]
    assert table.rows[2] == ["1", "甲一智能装备产业园", "4.00", "1.20", "30.0%", "", "主体结构施工", ""]
    assert table.rows[3][5] == "未到开工期"
    assert table.rows[8] == ["5", "乙一老旧小区改造", "1.50", "0.00", "0.0%", "清退预警", "", "征迁未完成"]
    assert table.rows[10][5] == "黄灯"
    assert table.rows[12] == ["8", "丙一商贸综合体", "0.00", "—", "—", "在谈", "", ""]
    # total: plan 14, done 1.7 → 12.1%, as in 总体进展
    assert table.rows[-1] == ["", "合计（8个）", "14.00", "1.70", "12.1%", "", "", ""]


def test_wide_attachment_is_landscape_and_a_narrow_one_portrait(tmp_path: Path, doc: Document) -> None:
    [wide] = [b for b in doc.blocks if isinstance(b, Attachment)]
    assert wide.landscape
    ledger = "projects:\n  - 项目名称: 小项目\n    牵头单位: 区局\n    年度计划投资（亿元）: 1\n"
    [narrow] = [b for b in notice(make_folder(tmp_path / "narrow", ledger=ledger)).blocks if isinstance(b, Attachment)]
    assert not narrow.landscape


def test_needs_landscape_compares_with_the_portrait_type_width() -> None:
    profile = StyleProfile(table_size_pt=14)  # 156 mm at 14 pt ≈ 31.6 characters a line; margins 2 × 1.5 mm ≈ 0.6 a column
    header = ["名称", "说明"]
    assert not needs_landscape([header, ["甲" * 10, "乙" * 10]], [20, 20], profile)  # 20 + 1.2
    assert needs_landscape([header, ["甲" * 20, "乙" * 20]], [20, 20], profile)  # 40 + 1.2
    assert not needs_landscape([header, ["甲" * 20, "乙" * 20]], [8, 8], profile)  # wraps at 8: 16 + 1.2
    # a long header wraps onto two lines: 30 characters need 15 a column
    assert not needs_landscape([["头" * 30, "头" * 30], ["甲", "乙"]], [20, 20], profile)  # 30 + 1.2
    assert needs_landscape([["头" * 32, "头" * 32], ["甲", "乙"]], [20, 20], profile)  # 32 + 1.2


# --- rendering --------------------------------------------------------------------


@pytest.mark.render
def test_rendered_notice_has_a_landscape_attachment_page(tmp_path: Path, doc: Document) -> None:
    from drafting.docx.writer import write_docx

    docx = tmp_path / "进度通报.docx"
    write_docx(doc, docx)
    pdf = docx_to_pdf(docx, tmp_path)
    pages = [p.replace(" ", "") for p in pdf_pages_text(pdf) if p.strip()]  # pdftotext spaces CJK from digits
    width_height = pdf_page_sizes(pdf)
    first = next(i for i, p in enumerate(pages) if "主体结构施工" in p)  # the attachment table's first row
    last = next(i for i, p in enumerate(pages) if "合计（8个）14.00" in p)  # its total row
    attachment_pages = range(first, last + 1)
    assert "征迁未完成" in "".join(pages[first : last + 1])
    for i in range(last + 1):  # a page after the table holds only the 版记, laid out by the writer
        w, h = width_height[i]
        assert (w > h) == (i in attachment_pages), i
    assert "某某区人民政府办公室" in pages[0] and "某政办发〔2026〕12号" in pages[0]
    assert "12.1%" in "".join(pages)


def test_notice_with_cc_writes_the_imprint_cc_line(tmp_path: Path, doc: Document) -> None:
    import docx as python_docx

    from drafting.docx.writer import write_docx

    path = tmp_path / "进度通报.docx"
    write_docx(doc, path)
    written = python_docx.Document(str(path))
    cells = {cell.text for table in written.tables for row in table.rows for cell in row.cells}
    assert "抄送：区委办公室，区人大常委会办公室，区政协办公室。" in cells
    assert "2026年3月6日印发" in cells
    assert written.core_properties.created.date() == AS_OF  # the as-of date, not python-docx's template date


def test_a_gap_printed_as_zero_reads_level_with_the_pace(tmp_path: Path) -> None:
    # Pace on 12-31 is exactly 1; 99999.96 of 100000 is 0.00004 points behind, which prints as 0.0.
    ledger = (
        "projects:\n  - 项目名称: 甲一\n    牵头单位: 区发改局\n"
        "    年度计划投资（亿元）: 100000\n    累计完成投资（亿元）: 99999.96\n"
    )
    doc = notice(make_folder(tmp_path, ledger=ledger), date(2026, 12, 31))
    assert "占年度计划的100.0%，与序时进度（100.0%）持平。" in text_of(section(doc, "总体进展"))
    units = section(doc, "分单位情况")
    [table] = [b for b in units if isinstance(b, Table)]
    assert table.rows[1][6] == "0.0"
    assert "达到或超过序时进度的单位1个：区发改局" in text_of(units)
    assert "低于" not in text_of(units) and "0.0个百分点" not in text_of(units)


@pytest.mark.render
def test_example_notice_prints_on_at_most_nine_pages(tmp_path: Path) -> None:
    from drafting.docx.writer import write_docx
    from drafting.example import write_example

    folder = tmp_path / "示例会议"
    write_example(folder)
    doc = notice(load_meeting_folder(folder))
    docx = tmp_path / "进度通报.docx"
    write_docx(doc, docx)
    pdf = docx_to_pdf(docx, tmp_path)
    pages = pdf_pages_text(pdf)
    assert len(pdf_page_sizes(pdf)) <= 9, len(pages)
    text = "".join(pages).replace(" ", "")
    assert "合计（34个）88.15" in text  # the whole attachment is there
