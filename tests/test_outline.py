"""drafting outline: the heading tree of a speech, and the meeting folder that rebuilds it sentence for sentence."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from drafting.check.units import draft_units
from drafting.cli import cli
from drafting.meeting import load_meeting
from drafting.outline import inline_items, read_outline
from drafting.readers import load_draft

FIXTURES = Path(__file__).parent / "fixtures" / "outline"
SAFETY = FIXTURES / "安全生产讲话.txt"
BUSINESS = FIXTURES / "营商环境讲话.docx.txt"
_SENTENCE_END = re.compile(r"(?<=[。！？])")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def speech_lines(path: Path) -> list[str]:
    """What a reader compares: headings with their level and number, and body sentences, spaces removed."""
    lines: list[str] = []
    for unit in draft_units(load_draft(path)):
        text = re.sub(r"\s+", "", unit.text)
        if unit.kind == "heading":
            lines.append(f"H{unit.heading_level} {text}")
        elif unit.kind in ("body", "table"):
            lines.extend(s for s in _SENTENCE_END.split(text) if s)
        elif unit.kind in ("title", "salutation", "byline"):
            lines.append(f"{unit.kind} {text}")
    return lines


# -- building a Word speech with automatic numbering -------------------------------

_NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
"""


def write_numbered_docx(spec: Path, target: Path) -> Path:
    """Lay the spec out as Word would: centred title and byline, headings numbered by a numbering definition."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING.format(ns=nsdecls("w"))))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    rows: list[list[str]] = []

    def flush_table() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            rows.clear()

    lines = [line for line in spec.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    for index, line in enumerate(lines):
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        flush_table()
        level = 0
        match = re.match(r"^([一二三四五六七八九十]+)、|^（([一二三四五六七八九十]+)）", line)
        if match:
            level = 1 if match.group(1) else 2
            line = line[match.end():]
        paragraph = document.add_paragraph()
        paragraph.add_run(line)
        if index < 2:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if level:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="90"/></w:numPr>'))
    flush_table()
    document.save(target)
    return target


@pytest.fixture(scope="module")
def business_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_numbered_docx(BUSINESS, tmp_path_factory.mktemp("docx") / "营商环境讲话.docx")


# -- reading ------------------------------------------------------------------------


def test_word_automatic_numbers_are_read_as_heading_numbers(business_docx: Path) -> None:
    document = docx.Document(str(business_docx))
    assert not any(p.text.startswith(("一、", "（一）")) for p in document.paragraphs)  # numbers are not typed
    outline = read_outline(business_docx)
    assert [(n.level, n.number, n.title) for n in outline.nodes()] == [
        (1, "一、", "客观评价全市营商环境建设成效"),
        (1, "二、", "聚焦企业关切抓好重点改革任务"),
        (2, "（一）", "深化审批制度改革。"),
        (2, "（二）", "抓好惠企政策兑现"),
        (2, "（三）", "加强政务诚信建设。"),
    ]


def test_outline_finds_run_in_headings_lists_tables_counts_and_figures(business_docx: Path) -> None:
    outline = read_outline(business_docx)
    assert outline.title == "在全市优化营商环境大会上的讲话"
    assert outline.byline == "（王某某  2025年4月10日）"
    assert outline.salutation == "各位领导，同志们："
    first, second = outline.sections
    kinds = [p.kind for p in first.body]
    assert kinds == ["text", "table", "items"]
    table = first.body[1]
    assert table.rows[0] == ["指标", "2023年", "2024年"] and len(table.rows) == 4
    inline = first.body[2]
    assert inline.inline and inline.style == "是" and len(inline.items) == 3
    assert inline.lead.endswith("存在的不足：")
    assert "2.36万户" in [q.text for q in first.body[0].figures]
    examine, policy, _ = second.children
    assert examine.run_in is not None and examine.run_in.startswith("要全面推行")
    assert policy.run_in is None
    listed = policy.body[0]
    assert listed.kind == "items" and listed.style == "第" and not listed.inline
    assert listed.lead == "要建立惠企政策“一张清单”，实行政策兑现“免申即享”“即申即享”。具体要做到："
    assert [d.quote for d in outline.declared_counts() if d.matches] == ["我讲两点意见"]
    assert outline.closing[0].text.startswith("同志们，营商环境")


def test_outline_text_report_in_chinese(business_docx: Path) -> None:
    code, out, _ = run("outline", str(business_docx))
    assert code == 0
    assert "一、客观评价全市营商环境建设成效  一级标题" in out
    assert "（一）深化审批制度改革。［标题后接正文］  二级标题" in out
    assert "表格 4行×3列" in out
    assert "列举 第一，第二，……共3项（各自成段）" in out
    assert "“我讲两点意见”" in out and "其后一级标题2个，相符" in out
    assert "数据：2.36万户、14.2%" in out


def test_outline_json(tmp_path: Path) -> None:
    code, out, _ = run("outline", str(SAFETY), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["title"] == "在全县安全生产工作会议上的讲话"
    levels = [(s["level"], s["number"]) for s in data["sections"]]
    assert levels == [(1, "一、"), (1, "二、"), (1, "三、")]
    gas = data["sections"][1]["children"][2]
    assert gas["number"] == "（三）" and gas["run_in"].startswith("要巩固燃气安全")
    assert [(c["level"], c["number"], c["title"]) for c in gas["children"]] == [
        (3, "1.", "加强瓶装液化气管理。"),
        (3, "2.", "推广安装燃气报警装置。"),
    ]
    problems = data["sections"][0]["body"][1]
    assert problems["kind"] == "items" and problems["inline"] and len(problems["items"]) == 3
    assert "17起" in data["sections"][0]["body"][0]["figures"]
    declared = {d["quote"]: d for d in data["declared_counts"]}
    assert declared["我讲三点意见"]["found"] == 3 and declared["我讲三点意见"]["matches"]
    assert declared["落实好三项制度"]["what"] == "列举项" and declared["落实好三项制度"]["found"] == 3


def test_inline_items_only_when_the_template_gives_the_same_text() -> None:
    assert inline_items("要做到：一是甲；二是乙。") == ("是", "要做到：", ["甲；", "乙。"])
    assert inline_items("要做到：一是甲，二是乙。") is None  # the template would write ；
    assert inline_items("一是甲；二是乙。") is None  # no lead: “+” would join the paragraph before
    assert inline_items("要做到：一是甲；二是乙；") is None  # the template ends the last item with 。
    assert inline_items("坚持统一是前提；二是乙。") is None  # 统一是 is no label


# -- round trip ---------------------------------------------------------------------


def round_trip(source: Path, tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "今年会议"
    code, out, err = run("outline", str(source), "--to-meeting", str(folder))
    assert code == 0, err
    code, _, err = run("build", str(folder), "--only", "speech")
    assert code == 0, err
    return folder, out


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_txt_speech_rebuilds_sentence_for_sentence(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "去年讲话.txt"
    source.write_bytes(SAFETY.read_text(encoding="utf-8").encode(encoding))
    folder, out = round_trip(source, tmp_path)
    rebuilt = folder / "输出" / "讲话稿.docx"
    assert speech_lines(rebuilt) == speech_lines(source)
    assert "已核对：按 meeting.yaml 重新生成的讲话稿与原稿的标题、层级和语句一致" in out
    headings = [line for line in speech_lines(rebuilt) if line.startswith("H")]
    assert "H3 1.加强瓶装液化气管理。全面推行瓶装液化气实名制销售和信息化追溯，严厉打击非法充装、违规运输行为。" in headings
    assert len(headings) == 12


def test_docx_speech_with_automatic_numbers_and_a_table_rebuilds(tmp_path: Path, business_docx: Path) -> None:
    folder, _ = round_trip(business_docx, tmp_path)
    rebuilt = folder / "输出" / "讲话稿.docx"
    assert speech_lines(rebuilt) == speech_lines(business_docx)
    tables = docx.Document(str(rebuilt)).tables
    assert len(tables) == 1 and tables[0].cell(3, 2).text == "99.1"


def test_meeting_yaml_marks_figures_and_counts_automatically(tmp_path: Path) -> None:
    folder, out = round_trip(SAFETY, tmp_path)
    text = (folder / "meeting.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    figure_line = next(i for i, line in enumerate(lines) if "全年共发生各类生产安全事故17起" in line)
    assert lines[figure_line - 1].strip().startswith("# 数据：17起、9人、22.7%")
    assert "我讲[[count]]点意见" in text and "落实好[[count:items]]项制度" in text
    meeting = load_meeting(folder / "meeting.yaml")
    assert meeting.speech.verbatim and meeting.speaker.name == "李某某"
    assert meeting.date.isoformat() == "2025-02-18" and meeting.scope == "全县"
    assert meeting.name == "全县安全生产工作会议"
    assert "待填写" in meeting.organizer  # said, and caught by the placeholder check of letters/notice
    assert "projects.xlsx 是示例会议的项目台账" in out
    assert yaml.safe_load((folder / "priorities.yaml").read_text(encoding="utf-8")) == {"priorities": []}


def test_edited_figures_and_an_added_section_show_in_the_rebuilt_speech(tmp_path: Path) -> None:
    folder, _ = round_trip(SAFETY, tmp_path)
    path = folder / "meeting.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    section = data["speech"]["sections"][0]
    section["body"][0] = section["body"][0].replace("17起", "12起")
    data["speech"]["sections"].append({"title": "扎实做好应急准备", "body": ["要修订完善各类应急预案。"]})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = run("build", str(folder), "--only", "speech", "--force")
    assert code == 0, err
    lines = speech_lines(folder / "输出" / "讲话稿.docx")
    assert any("全年共发生各类生产安全事故12起" in line for line in lines)
    assert "下面，我讲四点意见。" in lines
    assert "H1 四、扎实做好应急准备" in lines


def test_refuses_an_existing_meeting_folder_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    folder.mkdir()
    (folder / "meeting.yaml").write_text("# 已有\n", encoding="utf-8")
    code, _, err = run("outline", str(SAFETY), "--to-meeting", str(folder))
    assert code == 2 and "已存在" in err and "--force" in err
    assert (folder / "meeting.yaml").read_text(encoding="utf-8") == "# 已有\n"
    assert sorted(p.name for p in folder.iterdir()) == ["meeting.yaml"]
    code, _, err = run("outline", str(SAFETY), "--to-meeting", str(folder), "--force")
    assert code == 0, err
    assert "verbatim: true" in (folder / "meeting.yaml").read_text(encoding="utf-8")


def test_no_folder_is_left_behind_on_bad_input(tmp_path: Path) -> None:
    flat = tmp_path / "没有标题.txt"
    flat.write_text("同志们：\n今天的会开得很好。\n大家要抓好落实。\n", encoding="utf-8")
    folder = tmp_path / "新会议"
    code, _, err = run("outline", str(flat), "--to-meeting", str(folder))
    assert code == 2 and "没有找到一级标题" in err and "Traceback" not in err
    assert not folder.exists()
    code, _, err = run("outline", str(tmp_path / "不存在.docx"))
    assert code == 2 and "文件不存在" in err


def test_example_speech_round_trips(tmp_path: Path) -> None:
    """The built-in example's generated speech (with data paragraphs and count placeholders) comes back whole."""
    example = tmp_path / "示例"
    assert run("example", str(example))[0] == 0
    assert run("build", str(example), "--only", "speech")[0] == 0
    source = tmp_path / "去年.docx"
    shutil.copyfile(example / "输出" / "讲话稿.docx", source)
    folder, _ = round_trip(source, tmp_path)
    assert speech_lines(folder / "输出" / "讲话稿.docx") == speech_lines(source)


# -- what meeting.yaml can now say, and Word's number formats ----------------------

_MEETING = """meeting:
  name: 测试会
  date: 2026-03-06
  organizer: 某某区人民政府
  speaker: {{name: 张某某, title: 区长}}
purpose: 测试
speech:
  sections:
    - title: 第一部分
      body:
{body}
"""


def test_heading_and_table_points_validate_with_lines(tmp_path: Path) -> None:
    from drafting.errors import InputError

    path = tmp_path / "meeting.yaml"
    path.write_text(_MEETING.format(body="        - heading: 加快征收。\n          level: 4\n          text: 要加快。\n        - table: [[甲, 乙], [1, 2]]"), encoding="utf-8")
    points = load_meeting(path).speech.sections[0].body
    assert (points[0].heading, points[0].level, points[0].text) == ("加快征收。", 4, "要加快。")
    assert points[1].table == [["甲", "乙"], ["1", "2"]]  # numbers are taken as text
    path.write_text(_MEETING.format(body="        - 正文。\n        - table: [[甲, 乙], [1]]"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_meeting(path)
    assert "表格第2行有1格" in str(info.value) and "第12行" in str(info.value)
    path.write_text(_MEETING.format(body="        - heading: 标题\n          level: 2"), encoding="utf-8")
    with pytest.raises(InputError):
        load_meeting(path)


def test_without_verbatim_the_speech_is_generated_as_before(tmp_path: Path) -> None:
    """Old meeting folders keep their generated opening, byline, salutation and phrase-bank closing."""
    folder = tmp_path / "示例"
    assert run("example", str(folder))[0] == 0
    assert run("build", str(folder), "--only", "speech")[0] == 0
    lines = speech_lines(folder / "输出" / "讲话稿.docx")
    assert "byline （张某某2026年3月6日）" in lines and "salutation 同志们：" in lines
    assert any(line.startswith("今天，我们召开全区重点项目建设推进会") for line in lines)


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (3, "chineseCounting", "三"),
        (12, "chineseCountingThousand", "十二"),
        (10, "ideographDigital", "一〇"),
        (4, "chineseLegalSimplified", "肆"),
        (7, "decimal", "7"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
    ],
)
def test_word_number_formats(n: int, fmt: str, text: str) -> None:
    from drafting.readers.autonumber import format_number

    assert format_number(n, fmt) == text


def test_word_numbering_restarts_below_a_new_heading(business_docx: Path) -> None:
    from drafting.readers.autonumber import AutoNumbers

    document = docx.Document(str(business_docx))
    numbers = AutoNumbers(document)
    labels = [label for label in (numbers.label(p) for p in document.paragraphs) if label]
    assert labels == ["一、", "二、", "（一）", "（二）", "（三）"]


def test_word_heading_styles_and_a_two_line_title_round_trip(tmp_path: Path) -> None:
    """Headings marked only by Word's 标题 1/标题 2 styles (no numbers) come back numbered, at the same levels."""
    document = docx.Document()
    for line in ("在全区城市更新工作", "推进会上的讲话"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("同志们：")
    document.add_paragraph("今天会议的主要任务是部署城市更新工作。下面，我讲两点意见。")
    document.add_heading("认清形势", level=1)
    document.add_paragraph("城市更新是一项系统工程。今年计划改造老旧小区42个，惠及居民1.2万户。")
    document.add_heading("明确任务", level=1)
    document.add_heading("抓好老旧小区改造。要坚持先民生后提升，先地下后地上。", level=2)
    document.add_heading("抓好历史街区保护", level=2)
    document.add_paragraph("要坚持保护优先、合理利用。")
    document.add_paragraph("同志们，让我们共同努力，把城市建设得更加美好！")
    source = tmp_path / "城市更新.docx"
    document.save(source)
    folder, out = round_trip(source, tmp_path)
    assert "已核对" in out
    meeting = load_meeting(folder / "meeting.yaml")
    assert meeting.speech.title == "在全区城市更新工作\n推进会上的讲话"
    assert meeting.name == "全区城市更新工作推进会"
    sub = meeting.speech.sections[1].subsections[0]
    assert sub.title == "抓好老旧小区改造。" and sub.run_in
    rebuilt = speech_lines(folder / "输出" / "讲话稿.docx")
    assert "H1 一、认清形势" in rebuilt and "H2 （一）抓好老旧小区改造。要坚持先民生后提升，先地下后地上。" in rebuilt
    assert "title 在全区城市更新工作推进会上的讲话" in rebuilt
    body = [line for line in rebuilt if not line.startswith(("H", "title", "byline"))]
    assert body == [line for line in speech_lines(source) if not line.startswith(("H", "title", "byline"))]


def test_markdown_speech_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "防汛讲话.md"
    source.write_text(
        "# 在全镇防汛工作会议上的讲话\n\n同志们：\n\n今年汛期形势严峻。下面，我讲两点意见。\n\n"
        "## 一、认清形势\n\n要克服麻痹思想。要做到三个到位：一是思想到位；二是责任到位；三是措施到位。\n\n"
        "## 二、落实责任\n\n### （一）压实责任\n\n各村要落实防汛责任人。\n\n### （二）备足物资\n\n要备足编织袋5000条。\n\n"
        "同志们，防汛工作责任重大！\n",
        encoding="utf-8",
    )
    folder, out = round_trip(source, tmp_path)
    assert "已核对" in out
    assert speech_lines(folder / "输出" / "讲话稿.docx") == speech_lines(source)
    assert "做到[[count:items]]个到位" in (folder / "meeting.yaml").read_text(encoding="utf-8")


def test_lists_kept_as_text_are_still_shown(tmp_path: Path) -> None:
    source = tmp_path / "讲话.txt"
    source.write_text("一、总体要求\n我们要做到：一是思想到位，二是责任到位，三是措施到位。\n", encoding="utf-8")
    code, out, _ = run("outline", str(source))
    assert code == 0 and "列举 一是、二是……共3项（合为一段，标点与模板不同，照原文作一段文字）  第2段" in out
    data = json.loads(run("outline", str(source), "--format", "json")[1])
    assert data["sections"][0]["body"][0]["inline_labels"] == 3
