"""``drafting house check`` (``drafting 版式 检查``): a house file's page, grid, fonts, page numbers, marker and fields."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from drafting.archive import OLE_SIGNATURE
from drafting.cli import cli
from drafting.docx.profile import DEFAULT_PROFILE as P
from drafting.docx.profile import mm_to_pt
from drafting.errors import InputError
from drafting.house.findings import ERROR, OK, WARNING
from drafting.house.inspect import inspect_house_file
from drafting.house.inspect_report import format_text
from drafting.house.sample import write_example_house


def _fonts(element, face: str, size_pt: float) -> None:
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), face)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(size_pt * 2)))
    rpr.append(size)


def _runs(paragraph, pieces: list[str], face: str = P.body_font, size: float = P.body_size_pt) -> None:
    for piece in pieces:
        _fonts(paragraph.add_run(piece)._r, face, size)


def _page_field(paragraph, simple: bool, face: str, size: float, number_face: str | None = None) -> None:
    if simple:
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        paragraph._p.append(field)
        run = OxmlElement("w:r")
        if number_face:
            _fonts(run, number_face, size)
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        return
    for kind, instruction in (("begin", None), (None, " PAGE  \\* MERGEFORMAT "), ("separate", None), (None, None), ("end", None)):
        run = paragraph.add_run("1" if kind is None and instruction is None else None)
        _fonts(run._r, face, size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)


def _number(
    paragraph, *, right: bool, dash: str, face: str, size: float, side_pt: float, simple: bool, align=None, number_face: str | None = None
) -> None:
    paragraph.alignment = align if align is not None else (WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    if right:
        paragraph.paragraph_format.right_indent = Pt(side_pt)
    else:
        paragraph.paragraph_format.left_indent = Pt(side_pt)
    _runs(paragraph, [f"{dash} "], face, size)
    _page_field(paragraph, simple, face, size, number_face)
    _runs(paragraph, [f" {dash}"], face, size)


def make_house(
    path: Path,
    *,
    margins=P.margins,
    even_and_odd: bool = True,
    dash: str = P.page_number_dash,
    number_font: str = P.page_number_font,
    number_size: float = P.page_number_size_pt,
    even_number_font: str | None = P.page_number_font,
    align=None,
    marker: list[str] | None = None,
    body_font: str = P.body_font,
    page_numbers: bool = True,
    grid: str = "linesAndChars",
    extra=None,
) -> Path:
    """A house file as an office makes it in Word: GB/T 9704 page, grid, fonts and page numbers unless told otherwise."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(P.page_width_mm), Mm(P.page_height_mm)
    section.top_margin, section.bottom_margin = Mm(margins.top_mm), Mm(margins.bottom_mm)
    section.left_margin, section.right_margin = Mm(margins.left_mm), Mm(margins.right_mm)
    section.footer_distance = Mm(P.footer_distance_mm)
    doc_grid = section._sectPr.find(qn("w:docGrid"))
    doc_grid.set(qn("w:type"), grid)
    doc_grid.set(qn("w:linePitch"), str(P.line_pitch_twips))
    if grid == "linesAndChars":
        doc_grid.set(qn("w:charSpace"), str(round((P.body_char_pt - P.body_size_pt) * 4096)))
    normal = document.styles["Normal"]
    _fonts(normal.element, body_font, P.body_size_pt)
    normal.element.rPr.rFonts.set(qn("w:ascii"), P.latin_font)
    normal.element.rPr.rFonts.set(qn("w:hAnsi"), P.latin_font)
    normal.paragraph_format.line_spacing = Pt(P.line_pitch_pt)
    normal.paragraph_format.line_spacing_rule = 4  # exact
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _runs(document.add_paragraph(), ["某某区人民政府办公室"], P.organ_font, 36)
    _runs(document.add_paragraph(), ["{{发文", "字号}}"])
    _runs(document.add_paragraph(), marker if marker is not None else ["{{正", "文}}"])
    _runs(document.add_paragraph(), ["抄送：{{抄送}}"], P.imprint_font, P.imprint_size_pt)
    if page_numbers:
        document.settings.odd_and_even_pages_header_footer = even_and_odd
        side = P.page_number_side_chars * number_size
        _number(section.footer.paragraphs[0], right=True, dash=dash, face=number_font, size=number_size, side_pt=side, simple=False, align=align)
        if even_and_odd:
            even = section.even_page_footer.paragraphs[0]
            _number(
                even, right=False, dash=dash, face=number_font, size=number_size, side_pt=side, simple=True, align=align, number_face=even_number_font
            )
    if extra:
        extra(document)
    document.save(str(path))
    return path


def statuses(inspection, topic: str | None = None) -> dict[str, str]:
    return {i.label: i.status for i in inspection.items if topic is None or i.topic == topic}


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args))


# A house file made to the standard


def test_a_house_file_made_to_gbt9704_has_nothing_to_note(tmp_path: Path) -> None:
    inspection = inspect_house_file(make_house(tmp_path / "通报.docx"))
    assert inspection.usable
    assert [i for i in inspection.items if i.status in (WARNING, ERROR)] == []
    setup = inspection.sections[0]
    assert setup.top_mm == pytest.approx(P.margins.top_mm, abs=0.05) and setup.left_mm == pytest.approx(P.margins.left_mm, abs=0.05)
    grid = next(i for i in inspection.items if i.label == "文档网格")
    assert f"每页 {P.lines_per_page} 行、每行 {P.chars_per_line} 字" in grid.value
    assert [(n.footer, n.text, n.align, n.side_chars) for n in inspection.page_numbers] == [
        ("奇数页", f"{P.page_number_dash} {{PAGE}} {P.page_number_dash}", "right", P.page_number_side_chars),
        ("偶数页", f"{P.page_number_dash} {{PAGE}} {P.page_number_dash}", "left", P.page_number_side_chars),
    ]
    assert "检查的各项均符合 GB/T 9704" in format_text(inspection)


def test_fields_split_across_runs_are_listed_with_their_kind(tmp_path: Path) -> None:
    inspection = inspect_house_file(make_house(tmp_path / "通报.docx"))
    assert [(f.name, f.place, f.split) for f in inspection.fields] == [("发文字号", "正文", True), ("抄送", "正文", False)]
    assert inspection.marker_places == ["正文"] and inspection.marker_alone
    fields = json.loads(run_cli("house", "check", str(tmp_path / "通报.docx"), "--format", "json").output)["fields"]
    assert fields == [
        {"name": "发文字号", "place": "正文", "split": True, "kind": "公文要素"},
        {"name": "抄送", "place": "正文", "split": False, "kind": "公文要素"},
    ]


def test_the_example_house_file_differs_in_margins_and_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "默认.docx"
    write_example_house(path)
    inspection = inspect_house_file(path)
    assert inspection.usable and inspection.images == 1
    page = {i.label: i for i in inspection.items if i.topic == "page"}
    assert page["页边距"].status == WARNING and page["页边距"].value == "上 35、下 32、左 27、右 26 mm"
    m = P.margins
    assert page["页边距"].expected == f"上 {m.top_mm:g}、下 {m.bottom_mm:g}、左 {m.left_mm:g}、右 {m.right_mm:g} mm"
    assert statuses(inspection, "page_numbers") == {"奇偶页": WARNING, "所有页页脚": WARNING}
    names = [f.name for f in inspection.fields]
    assert names == ["发文字号", "抄送", "印发机关", "印发日期", "发文机关", "meeting.organizer"]
    meeting_key = next(i for i in inspection.items if i.label == "{{meeting.organizer}}")
    assert meeting_key.status == "info" and "meeting.yaml" in meeting_key.value


def test_our_own_generated_speech_passes_every_layout_point(tmp_path: Path) -> None:
    """The writer and the check agree: a speech drafting wrote meets every page, grid, font and page-number point."""
    from drafting.build import BuildOptions, plan_build, write_plan
    from drafting.example import write_example

    write_example(tmp_path / "会")
    write_plan(plan_build(tmp_path / "会", BuildOptions(only=frozenset({"speech"}))))
    inspection = inspect_house_file(tmp_path / "会" / "输出" / "讲话稿.docx")
    layout = [i for i in inspection.items if i.topic in ("page", "grid", "fonts", "page_numbers")]
    assert layout and all(i.status in (OK, "info") for i in layout), [i for i in layout if i.status not in (OK, "info")]
    assert len(inspection.page_numbers) == 2
    assert not inspection.usable and statuses(inspection, "marker") == {"标记 {{正文}}": ERROR}


# What differs from the standard


def test_page_numbers_off_the_standard_are_each_noted(tmp_path: Path) -> None:
    path = make_house(tmp_path / "h.docx", even_and_odd=False, dash="-", number_size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    inspection = inspect_house_file(path)
    assert inspection.usable
    items = {i.label: i for i in inspection.items if i.topic == "page_numbers"}
    assert items["奇偶页"].status == WARNING
    assert items["所有页页脚形式"].value == "- 1 -" and items["所有页页脚形式"].expected == f"{P.page_number_dash} 1 {P.page_number_dash}"
    assert items["所有页页脚字体"].status == WARNING and "10.5 磅" in items["所有页页脚字体"].value
    assert items["所有页页脚位置"].value == "居中" and items["所有页页脚位置"].status == WARNING
    assert "偶数页页脚形式" not in items


def test_a_number_in_another_font_than_its_dashes_is_noted(tmp_path: Path) -> None:
    """Word's PAGE field result without the dashes' formatting comes out in the body font."""
    inspection = inspect_house_file(make_house(tmp_path / "h.docx", even_number_font=None))
    items = {i.label: i for i in inspection.items if i.topic == "page_numbers"}
    assert items["奇数页页脚字体"].status == OK
    assert items["偶数页页脚字体"].status == WARNING and items["偶数页页脚字体"].value.startswith(P.body_font)


def test_odd_and_even_pages_without_an_even_footer_are_noted(tmp_path: Path) -> None:
    def odd_only(document) -> None:
        document.settings.odd_and_even_pages_header_footer = True

    inspection = inspect_house_file(make_house(tmp_path / "h.docx", even_and_odd=False, extra=odd_only))
    items = {i.label: i for i in inspection.items if i.topic == "page_numbers"}
    assert items["偶数页页脚"].status == WARNING and items["偶数页页脚"].value == "没有，这些页不显示页码"
    assert items["奇数页页脚形式"].status == OK


def test_a_number_in_a_frame_on_the_outer_side_is_described_not_warned(tmp_path: Path) -> None:
    """WPS (and Word's 外侧 page numbers) put one number in a frame that sits right on odd pages and left on even ones."""

    def outside_frame(document) -> None:
        paragraph = document.sections[0].footer.paragraphs[0]
        frame = OxmlElement("w:framePr")
        for key, value in (("w:wrap", "around"), ("w:vAnchor", "text"), ("w:hAnchor", "margin"), ("w:xAlign", "outside"), ("w:y", "1")):
            frame.set(qn(key), value)
        paragraph._p.get_or_add_pPr().insert(0, frame)
        paragraph.alignment = None
        paragraph.paragraph_format.right_indent = None

    inspection = inspect_house_file(make_house(tmp_path / "h.docx", even_and_odd=False, extra=outside_frame))
    items = {i.label: i for i in inspection.items if i.topic == "page_numbers"}
    # said, not judged: LibreOffice renders such a frame on one side on every page, Word moves it
    assert items["奇偶页"].status == "info" and "外侧图文框" in items["奇偶页"].value
    assert items["所有页页脚位置"].status == "info" and "外侧" in items["所有页页脚位置"].value
    assert [i for i in items.values() if i.status in (WARNING, ERROR)] == []


def test_no_footer_at_all_is_noted(tmp_path: Path) -> None:
    inspection = inspect_house_file(make_house(tmp_path / "h.docx", page_numbers=False))
    assert statuses(inspection, "page_numbers")["页脚"] == WARNING


def test_other_margins_and_fonts_are_noted_with_the_standard_value(tmp_path: Path) -> None:
    margins = type(P.margins)(top_mm=30, bottom_mm=25, left_mm=28, right_mm=26)
    inspection = inspect_house_file(make_house(tmp_path / "h.docx", margins=margins, body_font="宋体"))
    items = {i.label: i for i in inspection.items}
    assert items["版心"].value == "156 × 242 mm" and items["版心"].status == WARNING
    assert items["文档网格"].status == WARNING and "每页 23 行" in items["文档网格"].value
    assert items["生成的正文"].status == WARNING and f"每页排 23 行、每行 {P.chars_per_line} 字" in items["生成的正文"].value
    assert items["正文样式行距"].status == WARNING
    assert items["“正文”样式"].status == WARNING and items["“正文”样式"].expected == f"{P.body_font}，{P.body_size_pt:g} 磅"
    assert items["页边距"].expected.startswith(f"上 {P.margins.top_mm:g}")


def test_body_font_by_its_fallback_name_is_accepted(tmp_path: Path) -> None:
    inspection = inspect_house_file(make_house(tmp_path / "h.docx", body_font="仿宋"))
    assert statuses(inspection, "fonts")["“正文”样式"] == OK


def test_a_theme_font_for_chinese_text_is_noted(tmp_path: Path) -> None:
    def theme(document) -> None:
        fonts = document.styles["Normal"].element.rPr.rFonts
        fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")

    inspection = inspect_house_file(make_house(tmp_path / "h.docx", extra=theme))
    item = next(i for i in inspection.items if i.label == "“正文”样式")
    assert item.status == WARNING and "主题字体" in item.value and "日文字体" in item.expected


# The marker


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ([], "没有找到"),
        (["{{正文}}", "与{{正文}}"], "有 2 处"),
        (["见下：{{正", "文}}"], "所在段落还有其他文字：见下：{{正文}}"),
    ],
)
def test_a_missing_doubled_or_crowded_marker_makes_the_file_unusable(tmp_path: Path, marker: list[str], message: str) -> None:
    path = make_house(tmp_path / "h.docx", marker=marker)
    inspection = inspect_house_file(path)
    assert not inspection.usable
    assert message in next(i.value for i in inspection.items if i.topic == "marker")
    result = run_cli("版式", "检查", str(path))
    assert result.exit_code == 1 and "结论：不能用作版式文件" in result.output and message in result.output


def test_a_marker_with_spaces_inside_its_braces_is_taken(tmp_path: Path) -> None:
    inspection = inspect_house_file(make_house(tmp_path / "h.docx", marker=["{{ 正文", " }}"]))
    assert inspection.usable and statuses(inspection, "marker") == {"标记 {{正文}}": OK}


def test_a_marker_in_the_footer_cannot_take_the_body(tmp_path: Path) -> None:
    def in_footer(document) -> None:
        _runs(document.sections[0].footer.add_paragraph(), ["{{正文}}"])

    inspection = inspect_house_file(make_house(tmp_path / "h.docx", marker=["正文在页脚"], extra=in_footer))
    assert not inspection.usable
    assert next(i.value for i in inspection.items if i.topic == "marker") == "在页脚中，正文无法插入那里"


# The command


def test_chinese_and_english_command_names_give_the_same_report(tmp_path: Path) -> None:
    path = make_house(tmp_path / "通报.docx")
    english, chinese = run_cli("house", "check", str(path)), run_cli("版式", "检查", str(path))
    assert english.exit_code == chinese.exit_code == 0
    assert english.output == chinese.output
    assert english.output.startswith(f"版式文件：{path}\n结论：可以使用")
    for heading in ("页面", "行数和字数", "字体", "页码", "正文位置", "字段"):
        assert f"\n{heading}\n" in english.output
    data = json.loads(run_cli("house", "check", str(path), "--format", "json").output)
    assert data["usable"] is True and data["marker"] == {"text": "{{正文}}", "count": 1, "places": ["正文"], "alone": True}
    assert data["sections"][0]["grid_type"] == "linesAndChars"
    top = data["sections"][0]["top_mm"]
    assert top == pytest.approx(P.margins.top_mm, abs=0.02) and round(top, 2) == top  # millimetres to 0.01
    assert data["page_numbers"][0]["east_asia"] == P.page_number_font


def test_help_is_in_chinese() -> None:
    result = run_cli("版式", "--help")
    assert result.exit_code == 0 and "{{正文}}" in result.output and "检查" in result.output
    assert "退出状态" in run_cli("house", "check", "--help").output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("旧.doc", OLE_SIGNATURE + b"\0" * 600, "不能使用 .doc 文件"),
        ("旧.wps", OLE_SIGNATURE + b"\0" * 600, "不能使用 .wps 文件"),
        ("改名.docx", OLE_SIGNATURE + b"\0" * 600, "旧版 Word（.doc）或 WPS 格式"),
        ("坏.docx", b"PK\x03\x04 not really a zip", "版式文件已损坏"),
        ("空.docx", b"", "版式文件已损坏"),
    ],
)
def test_unreadable_files_exit_2_with_a_chinese_message(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("版式", "检查", str(path))
    assert result.exit_code == 2, result.output
    assert message in result.output and name in result.output and "Traceback" not in result.output
    with pytest.raises(InputError):
        inspect_house_file(path)


def test_a_zip_that_is_no_word_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "表.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    result = run_cli("house", "check", str(path))
    assert result.exit_code == 2 and "版式文件已损坏" in result.output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("house", "check", str(tmp_path / "没有.docx"))
    assert result.exit_code == 2 and "没有.docx" in result.output and "Traceback" not in result.output


# What the report says is what LibreOffice lays out


def test_reported_lines_per_page_and_page_number_place_match_the_rendered_pages(tmp_path: Path) -> None:
    from rendering import body_lines, docx_to_pdf, page_number_line, pdf_pages

    margins = type(P.margins)(top_mm=30, bottom_mm=25, left_mm=28, right_mm=26)

    def body_text(document) -> None:
        for index in range(80):
            _runs(document.add_paragraph(), [f"第{index + 1}段正文，每段一行。"])

    # a line grid only: LibreOffice lays a linesAndChars grid out unlike Word (wider characters)
    path = make_house(tmp_path / "版式.docx", margins=margins, grid="lines", extra=body_text)
    inspection = inspect_house_file(path)
    spacing = next(i for i in inspection.items if i.label == "正文样式行距")
    reported = int(spacing.value.split("每页 ")[1].split(" 行")[0])
    assert reported == 23
    pdf = docx_to_pdf(path, tmp_path / "pdf")
    assert len(pdf_pages(pdf)) >= 3
    assert len(body_lines(pdf, 2)) == reported  # page 2 holds only body paragraphs, one line each
    number = page_number_line(pdf, 2)
    assert number is not None
    page_height_pt = pdf_pages(pdf)[1].height
    gap_mm = (number.y_min - (page_height_pt - mm_to_pt(margins.bottom_mm))) * 25.4 / 72
    reported_gap = float(next(i for i in inspection.items if i.label == "偶数页页脚距版心").value.split("约 ")[1].split(" mm")[0])
    assert abs(gap_mm - reported_gap) < 2.5
    assert abs(number.x_min - mm_to_pt(margins.left_mm) - P.page_number_side_chars * P.page_number_size_pt) < 3  # 左空一字 on an even page


def test_space_after_body_paragraphs_is_noted(tmp_path: Path) -> None:
    def space_after(document) -> None:
        document.styles["Normal"].paragraph_format.space_after = Pt(10)

    inspection = inspect_house_file(make_house(tmp_path / "h.docx", extra=space_after))
    item = next(i for i in inspection.items if i.label == "正文样式段前段后")
    assert item.status == WARNING and item.value == "段前 0 磅、段后 10 磅"


def test_a_marker_in_a_table_cannot_take_the_body(tmp_path: Path) -> None:
    def in_table(document) -> None:
        _runs(document.add_table(rows=1, cols=1).rows[0].cells[0].paragraphs[0], ["{{正文}}"])

    inspection = inspect_house_file(make_house(tmp_path / "h.docx", marker=["正文在表格里"], extra=in_table))
    assert not inspection.usable
    assert next(i.value for i in inspection.items if i.topic == "marker") == "在表格或文本框中，正文无法插入那里"


def test_with_a_meeting_folder_unknown_fields_are_errors_and_meeting_keys_are_checked(tmp_path: Path) -> None:
    from drafting.example import write_example

    write_example(tmp_path / "会")

    def fields(document) -> None:
        _runs(document.add_paragraph(), ["{{meeting.", "name}}"])
        _runs(document.add_paragraph(), ["{{没有这项}}"])

    path = make_house(tmp_path / "h.docx", extra=fields)
    without = inspect_house_file(path)
    assert without.usable and statuses(without, "fields")["{{没有这项}}"] == "info"
    result = run_cli("house", "check", str(path), "-m", str(tmp_path / "会"))
    assert result.exit_code == 1, result.output
    assert "[错误] {{没有这项}}：未知的字段" in result.output
    assert "[符合] {{meeting.name}}：取自会议信息" in result.output


def test_a_house_file_re_saved_by_libreoffice_reports_the_same(tmp_path: Path) -> None:
    """LibreOffice writes its own XML (a negative character spacing as an unsigned number, footers in another order)."""
    from rendering import require_tool
    import subprocess

    soffice = require_tool("soffice")
    original = make_house(tmp_path / "红头.docx")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(tmp_path / "lo"), str(original)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = tmp_path / "lo" / "红头.docx"
    assert "4294" in zipfile.ZipFile(resaved).read("word/document.xml").decode()  # the unsigned character spacing
    before, after = inspect_house_file(original), inspect_house_file(resaved)
    assert sorted((i.label, i.status) for i in after.items) == sorted((i.label, i.status) for i in before.items)
    layout = ("page", "grid", "fonts", "page_numbers", "marker")
    assert sorted((i.label, i.value) for i in after.items if i.topic in layout) == sorted(
        (i.label, i.value) for i in before.items if i.topic in layout
    )
    assert [f.name for f in after.fields] == [f.name for f in before.fields]  # LibreOffice splits runs its own way
