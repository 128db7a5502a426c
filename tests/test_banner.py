"""版头 elements (GB/T 9704 §7.2): 份号, 密级, 紧急程度, 签发人, 联合行文, 文件/纪要 mark, 信函格式.

meeting.yaml → notice Document → .docx read back with python-docx → PDF positions (pdftotext -bbox-layout).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from rendering import docx_to_pdfs, pdf_pages, pdf_pages_text
from test_notice import make_folder, notice

from drafting.cli import cli
from drafting.document import Document, Paragraph, RedHeader, Salutation, Title
from drafting.docx.profile import DEFAULT_PROFILE, mm_to_pt
from drafting.docx.writer import write_docx
from drafting.errors import InputErrors

P = DEFAULT_PROFILE
LEFT = mm_to_pt(P.margins.left_mm)
RIGHT = LEFT + mm_to_pt(P.type_width_mm)
TOP = mm_to_pt(P.margins.top_mm)
CHAR = P.body_char_pt
PITCH = P.line_pitch_twips / 20

FULL = """notice:
  red_header:
    organ: 某某区人民政府办公室
    number: 某政办发〔2026〕12号
    copy_number: "000123"
    secrecy: 秘密★1年
    urgency: 特急
    signers: [张三, 李四, 王五]
    joint_organs: [某某区发展和改革委员会, 某某区财政局]
    mark: 文件
"""


# meeting.yaml ---------------------------------------------------------------


def test_every_element_reaches_the_notice(tmp_path: Path) -> None:
    header = notice(make_folder(tmp_path, notice=FULL)).red_header
    assert header is not None
    assert (header.copy_number, header.secrecy, header.urgency) == ("000123", "秘密★1年", "特急")
    assert header.signers == ["张三", "李四", "王五"]
    assert header.organs() == ["某某区人民政府办公室", "某某区发展和改革委员会", "某某区财政局"]
    assert (header.mark, header.letter) == ("文件", False)


def test_without_the_new_keys_nothing_changes(tmp_path: Path) -> None:
    settings = "notice:\n  red_header:\n    organ: 某某区人民政府办公室\n    number: 某政办发〔2026〕12号\n"
    header = notice(make_folder(tmp_path, notice=settings)).red_header
    assert header == RedHeader("某某区人民政府办公室", "某政办发〔2026〕12号")


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ('copy_number: "12345"', "copy_number", "份号应为6位阿拉伯数字"),
        ("copy_number: 000123", "copy_number", "加引号"),  # YAML reads it as a number: zeros lost
        ("copy_number: 12345a", "copy_number", "份号应为6位阿拉伯数字"),
        ("secrecy: 内部", "secrecy", "绝密、机密 或 秘密"),
        ("secrecy: 秘密1年", "secrecy", "★"),
        ("urgency: 急件", "urgency", "特急、加急"),
        ("mark: 通知", "mark", "文件、纪要"),
    ],
)
def test_bad_values_name_the_line_and_the_field(tmp_path: Path, line: str, field: str, words: str) -> None:
    settings = f"notice:\n  red_header:\n    organ: 某某区人民政府办公室\n    {line}\n"
    with pytest.raises(InputErrors) as caught:
        make_folder(tmp_path, notice=settings)
    [error] = caught.value.errors
    message = str(error)
    assert f"notice.red_header.{field}" in message and words in message
    lines = (tmp_path / "会议" / "meeting.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[error.location.line - 1].strip() == line


def test_letter_format_takes_no_mark(tmp_path: Path) -> None:
    settings = "notice:\n  red_header:\n    organ: 某某区人民政府办公室\n    letter: true\n    mark: 文件\n"
    with pytest.raises(InputErrors) as caught:
        make_folder(tmp_path, notice=settings)
    assert "信函格式" in str(caught.value.errors[0])


def test_cli_exits_2_without_output_on_a_bad_secrecy(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    CliRunner().invoke(cli, ["example", str(folder)], catch_exceptions=False)
    yaml_path = folder / "meeting.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    assert "    number: 某政办发〔2026〕12号\n" in text
    yaml_path.write_text(text.replace("    number: 某政办发〔2026〕12号\n", "    number: 某政办发〔2026〕12号\n    secrecy: 保密\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(folder)])
    assert result.exit_code == 2
    assert "meeting.yaml 第" in result.output and "notice.red_header.secrecy" in result.output
    assert "Traceback" not in result.output
    assert not (folder / "输出").exists() or not list((folder / "输出").rglob("*.docx"))  # the example itself holds a Word template


# The Word file ----------------------------------------------------------------

BODY = [Title(["关于全区重点项目建设进展情况的报告"]), Salutation("市人民政府："), Paragraph("现将有关情况报告如下。")]
VARIANTS = {
    "marks": RedHeader("某某区人民政府", "某政发〔2026〕12号", copy_number="000123", secrecy="秘密★1年", urgency="特急", mark="文件"),
    "urgent": RedHeader("某某区人民政府", "某政发〔2026〕13号", urgency="加急"),
    "signers": RedHeader("某某区人民政府", "某政发〔2026〕3号", signers=["张三", "李四", "王五"], mark="文件"),
    "signer": RedHeader("某某区人民政府", "某政发〔2026〕4号", signers=["张三"]),
    "joint": RedHeader("某某区人民政府", "某政发〔2026〕5号", joint_organs=["某某区发展和改革委员会", "某某区财政局"], mark="文件"),
    "letter": RedHeader("某某区人民政府办公室", "某政办函〔2026〕5号", copy_number="000001", secrecy="机密", letter=True),
    "minutes": RedHeader("某某区人民政府常务会议", mark="纪要"),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("banner")
    paths = {}
    for name, header in VARIANTS.items():
        paths[name] = out / f"{name}.docx"
        write_docx(Document(blocks=list(BODY), red_header=header), paths[name])
    return paths


@pytest.fixture(scope="module")
def pdfs(written: dict[str, Path], tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("banner_pdf")
    names = list(written)
    return dict(zip(names, docx_to_pdfs([written[n] for n in names], out)))


def east_asia_font(run) -> str | None:
    rpr = run._r.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_marks_come_first_flush_left_in_order_and_in_hei(written) -> None:
    paragraphs = docx.Document(str(written["marks"])).paragraphs
    assert [p.text for p in paragraphs[:5]] == ["000123", "秘密★1年", "特急", "某某区人民政府文件", "某政发〔2026〕12号"]
    for paragraph in paragraphs[:3]:
        assert paragraph.paragraph_format.first_line_indent in (None, 0)
        assert paragraph.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY)
    assert [east_asia_font(p.runs[0]) for p in paragraphs[1:3]] == [P.header_mark_font] * 2
    assert paragraphs[3].alignment is None  # centred by its style
    assert paragraphs[3].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_signers_line_holds_the_number_left_and_the_names_in_kai(written) -> None:
    paragraphs = docx.Document(str(written["signers"])).paragraphs
    first, last = paragraphs[1], paragraphs[2]
    assert first.text == "\t签发人：张三\u3000李四"
    assert last.text == "某政发〔2026〕3号\t\t王五"
    for paragraph in (first, last):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert east_asia_font(paragraph.runs[-1]) == P.signer_name_font
        assert east_asia_font(paragraph.runs[-2]) is None  # the label: body font (仿宋) from the style


def test_joint_organs_stand_in_a_table_with_the_mark_centred_beside_them(written) -> None:
    document = docx.Document(str(written["joint"]))
    [table] = document.tables
    names, mark = table.rows[0].cells
    assert [p.text for p in names.paragraphs] == ["某某区人民政府", "某某区发展和改革委员会", "某某区财政局"]
    assert mark.text == "文件"
    assert mark._tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center"


def test_letter_head_is_in_the_first_page_header(written) -> None:
    document = docx.Document(str(written["letter"]))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == "某某区人民政府办公室"
    borders = section.first_page_header.paragraphs[1]._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:bottom")).get(qn("w:val")) == "thickThinSmallGap"  # 上粗下细
    assert "文件" not in section.first_page_header.paragraphs[0].text
    assert document.paragraphs[0].text == "000001\t某政办函〔2026〕5号"


# Rendered ---------------------------------------------------------------------


def lines_of(pdf: Path):
    return pdf_pages(pdf)[0].lines


def test_rendered_marks_are_stacked_on_the_first_lines_at_the_left_edge(pdfs) -> None:
    lines = lines_of(pdfs["marks"])
    assert [line.text for line in lines[:3]] == ["000123", "秘密★1年", "特急"]
    for index, line in enumerate(lines[:3]):
        assert line.x_min == pytest.approx(LEFT, abs=2)
        assert line.y_min == pytest.approx(TOP + index * PITCH, abs=PITCH / 2)
    organ = lines[3]
    assert organ.text == "某某区人民政府文件"
    # The organ's top stays 35 mm below the type area whatever stands above it.
    plain = lines_of(pdfs["urgent"])
    assert plain[0].text == "加急" and plain[1].text == "某某区人民政府"
    assert organ.y_min == pytest.approx(plain[1].y_min, abs=3)
    assert organ.y_min - TOP == pytest.approx(mm_to_pt(P.organ_top_mm), abs=mm_to_pt(5))


def test_rendered_number_and_signer_share_a_line_one_character_in_from_each_edge(pdfs) -> None:
    lines = lines_of(pdfs["signer"])
    [row] = [line for line in lines if "签发人" in line.text]
    assert row.text == "某政发〔2026〕4号签发人：张三"
    assert (row.x_min - LEFT) / CHAR == pytest.approx(1, abs=0.3)
    assert (RIGHT - row.x_max) / CHAR == pytest.approx(1, abs=0.3)
    lines = lines_of(pdfs["signers"])
    first = next(i for i, line in enumerate(lines) if line.text.startswith("签发人"))
    assert lines[first].text == "签发人：张三李四"
    assert lines[first + 1].text == "某政发〔2026〕3号王五"
    names = pdf_words(pdfs["signers"])
    [(label, (x_min, _, x_max))] = [(w, box) for w, box in names.items() if w.endswith("张三")]
    first_name_x = x_max - (x_max - x_min) * 2 / len(label)  # CJK characters have one width
    assert names["王五"][0] == pytest.approx(first_name_x, abs=1.5)  # second line aligned with the first name
    assert (RIGHT - names["李四"][2]) / CHAR == pytest.approx(1, abs=0.3)


def pdf_words(pdf: Path) -> dict[str, tuple[float, float, float]]:
    """(x_min, y_min, x_max) of each word on page 1, for words that occur once."""
    import subprocess
    import xml.etree.ElementTree as ET

    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True)
    words = {}
    for word in ET.fromstring(out.stdout).iter("{http://www.w3.org/1999/xhtml}word"):
        words[word.text] = (float(word.get("xMin")), float(word.get("yMin")), float(word.get("xMax")))
    return words


def test_rendered_joint_organs_one_per_line_and_the_mark_centred_against_them(pdfs) -> None:
    words = pdf_words(pdfs["joint"])
    text = "".join(pdf_pages_text(pdfs["joint"])[0].split())
    assert text.index("某") < text.index("发展和改革委员会") < text.index("财政局")
    lines = lines_of(pdfs["joint"])
    first = next(line for line in lines if line.text.startswith("某某区人民政府"))
    last = next(line for line in lines if line.text == "某某区财政局")
    middle = next(line for line in lines if "发展和改革委员会" in line.text)
    assert first.y_max <= middle.y_min and middle.y_max <= last.y_min
    assert middle.text == "某某区发展和改革委员会文件"
    mark_y = words["文件"][1]
    centre = (first.y_min + last.y_min) / 2
    assert mark_y == pytest.approx(centre, abs=PITCH / 2)
    assert first.x_min == pytest.approx(last.x_min, abs=2)  # names spread to one width


def test_rendered_letter_has_the_number_top_right_and_no_page_number(pdfs) -> None:
    lines = lines_of(pdfs["letter"])
    assert lines[0].text == "某某区人民政府办公室"
    assert lines[0].y_min == pytest.approx(mm_to_pt(P.letter_organ_top_mm), abs=mm_to_pt(4))
    row = lines[1]
    assert row.text == "000001某政办函〔2026〕5号"
    assert row.x_min == pytest.approx(LEFT, abs=2) and row.x_max == pytest.approx(RIGHT, abs=2)
    assert lines[2].text == "机密"
    assert not any("—" in line.text for line in lines)


def test_rendered_minutes_mark(pdfs) -> None:
    lines = lines_of(pdfs["minutes"])
    assert lines[0].text == "某某区人民政府常务会议纪要"
    assert lines[0].x_max <= RIGHT + 1


def test_every_variant_is_in_schema_order(written) -> None:
    import zipfile

    from lxml import etree
    from ooxml_order import order_problems

    for path in written.values():
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    assert order_problems(etree.fromstring(archive.read(name))) == [], f"{path.name} {name}"
