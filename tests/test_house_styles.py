"""Our styles in a house file's styles.xml (Word's Chinese style ids), and sections around the marker."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafting.document import Document, Heading, Paragraph, Title
from drafting.docx.profile import DEFAULT_PROFILE
from drafting.docx.writer import write_docx
from drafting.house.sample import write_example_house
from drafting.house.splice import house_docx, known_fields, load_house_template
from drafting.house.styles import OURS, THEIRS, HouseStyles, merge_styles, without_numbers

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
# As Chinese Word writes them: built-in styles keep English names, ids are short codes.
CHINESE_WORD_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/>
<w:kern w:val="2"/><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:qFormat/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="a5"><w:name w:val="公文正文"/><w:basedOn w:val="a"/><w:rPr><w:sz w:val="30"/></w:rPr></w:style>
</w:styles>"""


@pytest.fixture(scope="module")
def our_styles(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("ours") / "ours.docx"
    write_docx(Document([Title(["标题"]), Heading(1, "总体", "一、"), Paragraph("正文。")]), path)
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/styles.xml")


def added_styles(merge) -> dict[str, etree._Element]:
    root = etree.fromstring(f'<w:styles xmlns:w="{W_NS}">{merge.added}</w:styles>')
    return {style.get(W + "styleId"): style for style in root}


def test_ours_keeps_every_house_style_and_renames_ours_where_taken(our_styles: bytes) -> None:
    house = HouseStyles.read(CHINESE_WORD_STYLES)
    merge = merge_styles(house, our_styles, {"公文正文", "一级标题", "公文标题"}, OURS)
    added = added_styles(merge)
    assert merge.body_ids["公文正文"] == "公文正文2"  # the house 公文正文 (a5) stays the house's
    assert merge.body_ids["一级标题"] == "一级标题" and merge.body_ids["公文标题"] == "公文标题"
    assert not set(added) & {"a", "1", "a0", "a5", "Normal"}
    base = added["公文基准"]  # our Normal, with our document defaults folded in
    assert base.get(W + "default") is None
    fonts = base.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(W + "eastAsia") == "仿宋_GB2312"
    assert base.find(f"{W}rPr/{W}sz").get(W + "val") == "32"
    assert base.find(f"{W}pPr/{W}snapToGrid").get(W + "val") == "0"  # our pitch, not the house grid
    assert added["公文正文2"].find(W + "basedOn").get(W + "val") == "公文基准"
    assert added["公文正文2"].find(W + "name").get(W + "val") == "公文正文2"
    assert added["一级标题"].find(W + "basedOn").get(W + "val") == "公文正文2"


def test_theirs_takes_the_house_style_of_the_same_role_or_name(our_styles: bytes) -> None:
    house = HouseStyles.read(CHINESE_WORD_STYLES)
    merge = merge_styles(house, our_styles, {"公文正文", "一级标题", "公文标题"}, THEIRS)
    assert merge.body_ids["公文正文"] == "a5"  # same name wins over the role (Normal)
    assert merge.body_ids["一级标题"] == "1"  # heading 1
    assert merge.body_ids["公文标题"] == "公文标题"  # the house file has no Title: ours
    assert merge.unnumbered == {"1"}  # the house heading 1 is linked to a list: our numbers are in the text


def test_paragraphs_taking_a_numbered_house_style_have_numbering_off() -> None:
    body = (
        '<w:p><w:pPr><w:pStyle w:val="1"/><w:keepNext w:val="0"/><w:jc w:val="left"/></w:pPr><w:r><w:t>一、总体</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="a5"/></w:pPr><w:r><w:t>正文</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>二、要求</w:t></w:r></w:p>'
    )
    out = without_numbers(body, frozenset({"1"}))
    off = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
    assert out.count(off) == 2
    assert f'<w:keepNext w:val="0"/>{off}<w:jc w:val="left"/>' in out  # schema order: after keepNext
    assert out.replace(off, "") == body


def test_a_marker_that_ends_a_section_keeps_the_section(tmp_path: Path) -> None:
    path = tmp_path / "版式.docx"
    write_example_house(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    section = xml[xml.rindex("<w:sectPr") : xml.rindex("</w:body>")]
    landscape = section.replace('w:w="11906" w:h="16838"', 'w:w="16838" w:h="11906" w:orient="landscape"')
    marker = xml.index("{{正文}}")
    paragraph = xml.rindex("<w:p>", 0, marker)
    xml = xml[: paragraph + 5] + f"<w:pPr>{landscape}</w:pPr>" + xml[paragraph + 5 :]
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    known = known_fields(None) | {"meeting.organizer"}
    template = load_house_template(path, known)
    document = Document([Title(["关于某事的通知"]), Paragraph("正文第一段。")])
    data = house_docx(template, document, {name: "值" for name in known}, DEFAULT_PROFILE)
    result = docx.Document(io.BytesIO(data))
    assert len(result.sections) == 2
    assert result.sections[0].page_width > result.sections[0].page_height  # the marker's section, kept
    texts = [p.text for p in result.paragraphs]
    assert "关于某事的通知" in texts and "正文第一段。" in texts and "{{正文}}" not in texts
    after = result.paragraphs[texts.index("正文第一段。") + 1]  # the marker's paragraph, now empty, ends the section
    assert after.text == "" and after._p.find(f"{W}pPr/{W}sectPr") is not None


def test_sections_of_our_body_take_the_house_page_setup_once_with_its_first_page(tmp_path: Path) -> None:
    from drafting.document import SectionBreak

    path = tmp_path / "版式.docx"
    write_example_house(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    xml = xml.replace("<w:cols ", '<w:pgNumType w:start="1"/><w:cols ', 1).replace("<w:docGrid", "<w:titlePg/><w:docGrid", 1)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    known = known_fields(None) | {"meeting.organizer"}
    document = Document([Title(["甲"]), Paragraph("一。"), SectionBreak(), Title(["乙"]), Paragraph("二。"), SectionBreak(), Paragraph("三。")])
    data = house_docx(load_house_template(path, known), document, {name: "" for name in known}, DEFAULT_PROFILE)
    sections = docx.Document(io.BytesIO(data)).sections
    assert len(sections) == 3
    properties = [s._sectPr for s in sections]
    kinds = [p.find(W + "type") for p in properties]
    assert kinds[0] is None and [k.get(W + "val") for k in kinds[1:]] == ["oddPage", "oddPage"]  # each part from an odd page
    assert [p.find(W + "titlePg") is not None for p in properties] == [True, False, False]  # the house first page once
    starts = [p.find(W + "pgNumType") for p in properties]
    assert starts[0].get(W + "start") == "1" and all(s is None or s.get(W + "start") is None for s in starts[1:])
    assert all(round(s.top_margin.mm) == 35 for s in sections)  # the house margins throughout


def test_a_bookmark_ending_in_the_marker_paragraph_keeps_its_end(tmp_path: Path) -> None:
    path = tmp_path / "版式.docx"
    write_example_house(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    first = xml.index("<w:p>", xml.index("<w:body>"))
    marker = xml.index("<w:r>", xml.index("{{正文}}") - 300)
    xml = xml[:first] + '<w:bookmarkStart w:id="42" w:name="版头"/>' + xml[first:marker] + '<w:bookmarkEnd w:id="42"/><w:bookmarkStart w:id="43" w:name="_GoBack"/><w:bookmarkEnd w:id="43"/>' + xml[marker:]
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    known = known_fields(None) | {"meeting.organizer"}
    data = house_docx(load_house_template(path, known), Document([Paragraph("正文。")]), {n: "" for n in known}, DEFAULT_PROFILE)
    out = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert out.count('<w:bookmarkStart w:id="42"') == out.count('<w:bookmarkEnd w:id="42"/>') == 1
    assert 'w:id="43"' not in out  # a bookmark wholly inside the marker paragraph goes with it
