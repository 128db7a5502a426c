"""projects.xlsx as Excel and WPS save it, written here part by part: formulas with and without their
saved results, shared formulas, error values, the 1904 date system, Chinese built-in date formats,
cells without references, shared and rich-text strings; and the sheet is read once."""

import dataclasses
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from drafting.errors import InputErrors
from drafting.ledger import Project, ProjectStatus, load_ledger

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

# cellXfs: 0 general, 1 built-in short date (14), 2 built-in 31 = yyyy"年"m"月"d"日" (zh-CN, not defined
# in the file, as Chinese Excel and WPS write it), 3 a custom date format, 4 text
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">'
    + "".join(
        text_cell(f"{col}1", name)
        for col, name in zip("ABCDE", ["项目名称", "牵头单位", "年度计划投资（亿元）", "累计完成投资（亿元）", "计划开工日期"])
    )
    + "</row>"
)


def write_workbook(
    tmp_path: Path,
    rows: str,
    *,
    header: str = HEADER_ROW,
    shared: list[str] | None = None,
    date1904: bool = False,
    tail: str = "",
) -> Path:
    """A minimal but complete .xlsx whose first sheet holds ``header`` and ``rows`` (sheetData XML)."""
    path = tmp_path / "projects.xlsx"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>")
            + '<sheets><sheet name="项目台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}">'
            + "".join(shared or [])
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
            f"<sheetData>{header}{rows}</sheetData>{tail}</worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_ledger(path)
    return [str(e) for e in info.value.errors]


def project_row(number: int, name: str, unit: str, cells: str) -> str:
    return f'<row r="{number}">{text_cell(f"A{number}", name)}{text_cell(f"B{number}", unit)}{cells}</row>'


# --- formulas -------------------------------------------------------------------------------------


def test_formula_with_its_saved_result_is_read_as_the_result(tmp_path):
    rows = project_row(2, "产业园", "区发改局", '<c r="C2"><f>1+1.5</f><v>2.5</v></c><c r="D2"><f>C2/5</f><v>0.5</v></c>')
    project = load_ledger(write_workbook(tmp_path, rows)).projects[0]
    assert (project.annual_plan, project.completed) == (Decimal("2.5"), Decimal("0.5"))


def test_formula_without_a_saved_result_is_refused_naming_the_cell(tmp_path):
    # as a script writes it: <f> and an empty <v/>, or no <v> at all
    rows = project_row(2, "产业园", "区发改局", '<c r="C2"><f>1+1</f><v/></c>') + project_row(
        3, "物流园", "区商务局", '<c r="C3"><v>1</v></c><c r="D3"><f>C3/2</f></c>'
    )
    found = problems(write_workbook(tmp_path, rows))
    assert [line.split("：")[0] for line in found] == [
        "projects.xlsx 第2行 C列 “年度计划投资（亿元）”",
        "projects.xlsx 第3行 D列 “累计完成投资（亿元）”",
    ]
    assert all("是公式，但文件里没有保存计算结果" in line for line in found)


def test_formula_whose_saved_result_is_empty_text_is_an_empty_cell(tmp_path):
    # =IF(…,"",…) saved by Excel: t="str" with an empty <v>; an empty cell, not an unsaved formula
    rows = project_row(2, "产业园", "区发改局", '<c r="C2"><v>2</v></c><c r="D2" t="str"><f>IF(C2&gt;5,C2,"")</f><v></v></c>')
    project = load_ledger(write_workbook(tmp_path, rows)).projects[0]
    assert (project.annual_plan, project.completed) == (Decimal(2), None)


def test_formula_giving_text_is_read_as_its_text(tmp_path):
    rows = project_row(2, "产业园", "区发改局", "") + (
        '<row r="3"><c r="A3" t="str"><f>A2&amp;"二期"</f><v>产业园二期</v></c>'
        '<c r="B3" t="str"><f>B2</f><v>区发改局</v></c></row>'
    )
    assert [p.name for p in load_ledger(write_workbook(tmp_path, rows)).projects] == ["产业园", "产业园二期"]


def test_shared_formulas_read_their_saved_results_and_refuse_unsaved_ones(tmp_path):
    rows = (
        project_row(2, "产业园", "区发改局", '<c r="C2"><v>4</v></c><c r="D2"><f t="shared" ref="D2:D4" si="0">C2/2</f><v>2</v></c>')
        + project_row(3, "物流园", "区商务局", '<c r="C3"><v>6</v></c><c r="D3"><f t="shared" si="0"/><v>3</v></c>')
        + project_row(4, "数据中心", "区工信局", '<c r="C4"><v>8</v></c><c r="D4"><f t="shared" si="0"/></c>')
    )
    found = problems(write_workbook(tmp_path, rows))
    assert len(found) == 1 and found[0].startswith("projects.xlsx 第4行 D列 “累计完成投资（亿元）”：是公式")

    rows = rows.replace('<c r="D4"><f t="shared" si="0"/></c>', '<c r="D4"><f t="shared" si="0"/><v>4</v></c>')
    projects = load_ledger(write_workbook(tmp_path, rows)).projects
    assert [p.completed for p in projects] == [Decimal(2), Decimal(3), Decimal(4)]


# --- error values ---------------------------------------------------------------------------------


def test_error_values_are_refused_with_their_meaning_and_never_counted_or_taken_as_names(tmp_path):
    rows = project_row(2, "产业园", "区发改局", '<c r="C2"><v>2</v></c><c r="D2" t="e"><f>C2/0</f><v>#DIV/0!</v></c>') + (
        '<row r="3">' + text_cell("A3", "物流园") + '<c r="B3" t="e"><f>VLOOKUP(A3,单位!A:B,2,0)</f><v>#N/A</v></c>'
        '<c r="C3"><v>1</v></c></row>'
    )
    found = problems(write_workbook(tmp_path, rows))
    assert found == [
        "projects.xlsx 第2行 D列 “累计完成投资（亿元）”：是错误值“#DIV/0!”（除数为零），不是可用的内容；"
        "请在 Excel 或 WPS 中改正公式或内容后保存再试",
        "projects.xlsx 第3行 B列 “牵头单位”：是错误值“#N/A”（查找不到对应的值），不是可用的内容；"
        "请在 Excel 或 WPS 中改正公式或内容后保存再试",
    ]


def test_error_value_in_a_column_the_ledger_does_not_use_is_ignored(tmp_path):
    header = HEADER_ROW.replace("</row>", text_cell("F1", "备注") + "</row>")
    rows = project_row(2, "产业园", "区发改局", '<c r="C2"><v>2</v></c><c r="F2" t="e"><v>#REF!</v></c>')
    ledger = load_ledger(write_workbook(tmp_path, rows, header=header))
    assert [p.name for p in ledger.projects] == ["产业园"] and ledger.ignored_columns == ["备注"]


# --- dates ----------------------------------------------------------------------------------------


def test_dates_in_the_1900_and_1904_date_systems(tmp_path):
    # 2026-03-01 is serial 46082 in the 1900 system and 44620 in the 1904 system (Excel for Mac, old WPS)
    for date1904, serial in ((False, 46082), (True, 44620)):
        rows = project_row(2, "产业园", "区发改局", f'<c r="E2" s="1"><v>{serial}</v></c>') + project_row(
            3, "物流园", "区商务局", f'<c r="E3"><v>{serial}</v></c>'  # a plain number in a date column: a serial too
        )
        projects = load_ledger(write_workbook(tmp_path, rows, date1904=date1904)).projects
        assert [p.planned_start for p in projects] == [date(2026, 3, 1)] * 2, date1904


def test_chinese_builtin_and_custom_date_formats_and_iso_dates(tmp_path):
    header = HEADER_ROW.replace("</row>", text_cell("F1", "形象进度") + "</row>")
    rows = (
        # built-in 31, not defined in the file: a date, also in a text column
        project_row(2, "产业园", "区发改局", '<c r="E2" s="2"><v>46082</v></c><c r="F2" s="2"><v>46082</v></c>')
        + project_row(3, "物流园", "区商务局", '<c r="E3" s="3"><v>46083.5</v></c>')  # custom 年月日, with a time of day
        + project_row(4, "数据中心", "区工信局", '<c r="E4" t="d"><v>2026-03-03T00:00:00</v></c>')
        + project_row(5, "文旅小镇", "区文旅局", '<c r="E5" s="4" t="inlineStr"><is><t>2026年3月4日</t></is></c>')
    )
    projects = load_ledger(write_workbook(tmp_path, rows, header=header)).projects
    assert [p.planned_start for p in projects] == [date(2026, 3, d) for d in (1, 2, 3, 4)]
    assert projects[0].progress_note == "2026-03-01"


# --- strings and cell references as other programs write them ----------------------------------


def test_shared_rich_text_and_phonetic_strings_cells_without_references_and_booleans(tmp_path):
    shared = [
        "<si><t>产业园</t></si>",
        '<si><r><rPr><b/></rPr><t>区发改</t></r><r><t xml:space="preserve">局 </t></r><rPh sb="0" eb="1"><t>ク</t></rPh></si>',
        "<si><t>已开工</t></si>",
    ]
    header = HEADER_ROW.replace("</row>", text_cell("F1", "项目状态") + text_cell("G1", "建设内容") + "</row>")
    # no r on the row or its cells, as some writers save them: positions count from A and from the row before
    rows = (
        '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c><v>2</v></c><c/><c/><c t="s"><v>2</v></c>'
        '<c t="b"><v>1</v></c></row>'
    )
    project = load_ledger(write_workbook(tmp_path, rows, header=header, shared=shared)).projects[0]
    assert (project.row, project.name, project.lead_unit, project.annual_plan) == (2, "产业园", "区发改局", Decimal(2))
    assert (project.status, project.content) == (ProjectStatus.STARTED, "True")


def test_vertical_merges_fill_the_rows_they_cover(tmp_path):
    rows = project_row(2, "产业园", "区发改局", '<c r="C2"><v>1</v></c>') + (
        '<row r="3">' + text_cell("A3", "物流园") + '<c r="C3"><v>2</v></c></row>'
    )
    tail = '<mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>'
    projects = load_ledger(write_workbook(tmp_path, rows, tail=tail)).projects
    assert [p.lead_unit for p in projects] == ["区发改局", "区发改局"]


# --- one pass, compact projects -------------------------------------------------------------------


def test_the_sheet_is_read_once(tmp_path, monkeypatch):
    rows = "".join(project_row(n, f"项目{n}", "区发改局", f'<c r="C{n}"><f>1+1</f><v>2</v></c>') for n in range(2, 50))
    path = write_workbook(tmp_path, rows)
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def counting_open(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(name if isinstance(name, str) else name.filename)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    assert len(load_ledger(path).projects) == 48
    assert opened.count("xl/worksheets/sheet1.xml") == 1


def test_projects_are_immutable_records_that_convert_status_and_amounts():
    project = Project(row=2, name="产业园", lead_unit="区发改局", status="已开工", level="市重点", annual_plan=2)
    assert project.status is ProjectStatus.STARTED and project.annual_plan == Decimal(2)
    assert project.partner_units == [] and project.completed is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        project.name = "物流园"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Project(row=2, name="产业园", lead_unit="区发改局", status="开工了")
