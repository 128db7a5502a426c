"""The example Word-authored templates (``drafting example`` writes them; docs/word-templates.md explains them).

Built with python-docx so that they follow our layout numbers: GB/T 9704 margins,
仿宋_GB2312 三号 body, 方正小标宋简体 二号 title, 黑体 first-level headings. The
letter has a project table with one ``{%tr for p in projects %}`` row; the
speech loops over the built speech's sections with ``{%p for %}``.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BYLINE_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

_BODY = [
    ("heading", "一、目标任务"),
    (
        "body",
        "{{ year }}年，乙方牵头推进重点项目{{ project_count }}个，总投资{{ total_investment|yi }}亿元，"
        "年度计划投资{{ annual_plan|yi }}亿元。乙方要对照下表，逐项明确节点目标，确保按期完成年度投资计划和建设任务。",
    ),
    ("table", None),
    ("heading", "二、工作要求"),
    (
        "body",
        "乙方主要负责同志为第一责任人，要亲自研究、亲自调度，每月{{ 5|cn_number }}日前向甲方报送项目进展情况；"
        "遇有困难和问题，要及时提请协调解决。",
    ),
    ("heading", "三、考核办法"),
    ("body", "本责任书执行情况纳入{{ year }}年度综合考核，由甲方组织考核，考核结果按有关规定运用。"),
    ("heading", "四、附则"),
    ("body", "本责任书一式两份，甲乙双方各执一份，自签订之日起生效。"),
]

_COLUMNS = ("序号", "项目名称", "建设内容", "年度计划投资（亿元）", "责任领导")
_ROW = ("{{ p.index }}", "{{ p.name }}", "{{ p.content }}", "{{ p.annual_plan|yi }}", "{{ p.leader }}")
_WIDTHS_MM = (14, 36, 56, 26, 24)


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _paragraph(container, text: str, font: str = BODY_FONT, size: float = 16, *, align=None, indent: bool = True, bold: bool = False):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _cell(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, 12, bold)


def _table(document) -> None:
    _paragraph(document, "{{ party_b }}{{ year }}年度重点项目目标任务表", HEADING_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    table = document.add_table(rows=5, cols=len(_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), _WIDTHS_MM):
        column.set(qn("w:w"), str(int(Mm(width).twips)))  # LibreOffice lays out by the grid
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS_MM):
            cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, _COLUMNS):
        _cell(cell, text, bold=True)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))  # the header row repeats on every page
    _cell(table.rows[1].cells[0], "{%tr for p in projects %}")
    for cell, text in zip(table.rows[2].cells, _ROW):
        _cell(cell, text)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    totals = ("合计", "{{ project_count }}个项目", "", "{{ annual_plan|yi }}", "")
    for cell, text in zip(table.rows[4].cells, totals):
        _cell(cell, text, bold=bool(text))


def _new_document():
    """A blank document with the GB/T 9704 page and 仿宋 三号 as Normal."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def write_example_letter_template(path: Path) -> None:
    """Write the example ``目标责任书.docx`` Word template to ``path``."""
    document = _new_document()

    _paragraph(document, "{{ year }}年度重点项目建设目标责任书", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "", indent=False)
    _paragraph(document, "甲方：{{ party_a }}", indent=False)
    _paragraph(document, "乙方：{{ party_b }}", indent=False)
    _paragraph(
        document,
        "为确保{{ meeting.name }}部署的{{ year }}年度重点项目建设任务全面完成，经甲乙双方协商，签订本责任书。",
    )
    for kind, text in _BODY:
        if kind == "table":
            _table(document)
        elif kind == "heading":
            _paragraph(document, text, HEADING_FONT)
        else:
            _paragraph(document, text)
    _paragraph(document, "", indent=False)
    _paragraph(document, "甲方：{{ party_a }}（盖章）", indent=False)
    _paragraph(document, "乙方：{{ party_b }}（盖章）", indent=False)
    _paragraph(document, "{{ as_of|cn_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    document.core_properties.title = "目标责任书（Word 模板示例）"
    document.core_properties.author = "drafting"
    document.save(str(path))


# The speech's heading levels: font and bold of 一、 （一） 1. （1） (GB/T 9704).
_HEADING_FACES = ((1, HEADING_FONT, False), (2, BYLINE_FONT, False), (3, BODY_FONT, True), (4, BODY_FONT, False))


def _tag(document, text: str) -> None:
    """A paragraph holding only a ``{%p %}`` tag (docxtpl removes it when rendering)."""
    _paragraph(document, text, indent=False)


def _page_numbers(document) -> None:
    """— N — centred in the footer, 4号 宋体, a real PAGE field."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), PAGE_NUMBER_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = footer.add_run("1")
    _font(number, PAGE_NUMBER_FONT, 14)
    number._r.addprevious(field)
    field.append(number._r)
    _font(footer.add_run(" —"), PAGE_NUMBER_FONT, 14)


def _speech_table(document) -> None:
    """A table of the speech: a row per ``{%tr %}`` row, a cell per ``{%tc %}`` cell (docxtpl sets the columns)."""
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(table.rows[0].cells[0], "{%tr for row in b.rows %}")
    for cell, text in zip(table.rows[1].cells, ("{%tc for c in row %}", "{{ c }}", "{%tc endfor %}")):
        _cell(cell, text)
    _cell(table.rows[2].cells[0], "{%tr endfor %}")


def write_example_speech_template(path: Path) -> None:
    """Write the example ``讲话稿.docx`` Word template to ``path``: the built speech's parts, paragraph by paragraph."""
    document = _new_document()
    _page_numbers(document)
    _paragraph(document, "{{ title }}", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _tag(document, "{%p if byline %}")
    _paragraph(document, "{{ byline }}", BYLINE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p if salutation %}")
    _paragraph(document, "{{ salutation }}", indent=False)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p for para in opening %}")
    _paragraph(document, "{{ para }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for s in sections %}")
    for level, font, bold in _HEADING_FACES:
        _tag(document, ("{%p if s.level == 1 %}" if level == 1 else f"{{%p elif s.level == {level} %}}"))
        heading = _paragraph(document, "{{ s.heading }}", font, bold=bold)
        heading.paragraph_format.keep_with_next = level == 1  # a run-in heading carries its own text
        if level > 1:  # a run-in heading: the text after it in the body face
            _font(heading.add_run("{{ s.run_in }}"), BODY_FONT, 16)
    _tag(document, "{%p endif %}")
    _tag(document, "{%p for b in s.blocks %}")
    _tag(document, '{%p if b.kind == "table" %}')
    _speech_table(document)
    _tag(document, "{%p else %}")
    _paragraph(document, "{{ b.text }}")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for para in closing %}")
    _paragraph(document, "{{ para }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p if attachments %}")
    _paragraph(document, "", indent=False)  # 附件说明: one blank line after the body
    _tag(document, "{%p endif %}")
    _tag(document, "{%p for a in attachments %}")
    _paragraph(document, '{{ "附件：" if loop.first else "" }}{{ (loop.index ~ ". ") if attachments|length > 1 else "" }}{{ a.title }}')
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for a in attachments %}")
    label = _paragraph(document, "附件{{ loop.index if attachments|length > 1 else \"\" }}", HEADING_FONT, indent=False)
    label.paragraph_format.page_break_before = True
    _paragraph(document, "{{ a.title }}", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _tag(document, "{%p for para in a.paragraphs %}")
    _paragraph(document, "{{ para }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")
    document.core_properties.title = "讲话稿（Word 模板示例）"
    document.core_properties.author = "drafting"
    document.save(str(path))
