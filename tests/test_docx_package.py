"""The .docx package holds our parts only: fonts declared for fallback, zh-CN, no leftovers of python-docx's template."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from drafting.docx import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, write_docx
from drafting.docx import styles as ours
from drafting.docx.package import DEFAULT_STYLE_NAMES
from drafting.document import (
    Attachment,
    Byline,
    Document,
    Heading,
    Imprint,
    Paragraph,
    RedHeader,
    Salutation,
    Signature,
    Table,
    Title,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")

DOCUMENT = Document(
    red_header=RedHeader("某某区人民政府办公室", "某政办发〔2026〕12号"),
    imprint=Imprint(cc="区委办公室", issuer="某某区人民政府办公室", date="2026年3月6日"),
    blocks=[
        Title(["关于全区重点项目建设进展情况的通报"]),
        Byline("（2026年3月6日）"),
        Salutation("各街道办事处："),
        Heading(1, "总体进展", number="一、"),
        Heading(2, "开工情况。", number="（一）", run_in="已开工24个。"),
        Paragraph("现将有关情况通报如下。"),
        Table([["项目", "投资"], ["甲项目", "3.50"]], caption="表1  投资情况"),
        Signature(["某某区人民政府办公室"], date="2026年3月6日"),
        Attachment("进展情况表", [Table([["项目", "投资"], ["甲项目", "3.50"]])], landscape=True),
    ],
)


@pytest.fixture(scope="module", params=["default", "large", "office-fonts"])
def package(request, tmp_path_factory) -> zipfile.ZipFile:
    profile = {
        "default": DEFAULT_PROFILE,
        "large": SPEECH_LARGE_PROFILE,
        "office-fonts": dataclasses.replace(DEFAULT_PROFILE, body_font="方正仿宋_GBK", table_font="某某自造字体"),
    }[request.param]
    path = tmp_path_factory.mktemp("package") / f"{request.param}.docx"
    write_docx(DOCUMENT, path, profile)
    with zipfile.ZipFile(path) as opened:
        yield opened


def xml(package: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(package.read(name))


def used_fonts(package: zipfile.ZipFile) -> set[str]:
    names = set()
    for part in package.namelist():
        if part.startswith("word/") and part.endswith(".xml") and part != "word/fontTable.xml":
            for rfonts in xml(package, part).iter(f"{W}rFonts"):
                names.update(rfonts.get(f"{W}{slot}") for slot in FONT_SLOTS if rfonts.get(f"{W}{slot}"))
    return names


def declared_fonts(package: zipfile.ZipFile) -> dict[str, ET.Element]:
    return {font.get(f"{W}name"): font for font in xml(package, "word/fontTable.xml").iter(f"{W}font")}


def test_package_holds_only_the_parts_we_write(package):
    names = set(package.namelist())
    footers = {n for n in names if n.startswith("word/footer")}
    assert footers  # odd and even page numbers
    assert names - footers == {
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
    }  # no thumbnail, theme, numbering, stylesWithEffects, webSettings, customXml


def test_app_properties_name_us_not_microsoft_word(package):
    app = xml(package, "docProps/app.xml")
    application = next(el for el in app if el.tag.endswith("Application"))
    assert application.text == "drafting"
    assert b"Microsoft" not in package.read("docProps/app.xml")


def test_theme_font_language_is_simplified_chinese(package):
    lang = xml(package, "word/settings.xml").find(f"{W}themeFontLang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    assert b"ja-JP" not in b"".join(package.read(n) for n in package.namelist())


def test_every_font_used_is_declared_with_charset_and_fallback(package):
    declared = declared_fonts(package)
    used = used_fonts(package)
    assert "仿宋_GB2312" in used or "方正仿宋_GBK" in used
    for name in used:
        assert name in declared, name
        font = declared[name]
        charset = font.find(f"{W}charset").get(f"{W}val")
        if any(ord(ch) >= 0x2E80 for ch in name):
            assert charset == "86", name  # GB2312
        assert font.find(f"{W}family") is not None and font.find(f"{W}pitch") is not None
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        if name in used:
            assert declared[name].find(f"{W}altName").get(f"{W}val") == fallback


def test_font_table_declares_no_font_we_do_not_use(package):
    assert set(declared_fonts(package)) == used_fonts(package)
    for leftover in ("Cambria", "Calibri", "Arial", "Symbol", "ＭＳ 明朝", "ＭＳ ゴシック"):
        assert leftover not in declared_fonts(package)


def test_styles_are_ours_or_the_three_word_defaults(package):
    styles = xml(package, "word/styles.xml")
    names = {style.find(f"{W}name").get(f"{W}val") for style in styles.iter(f"{W}style")}
    our_names = {value for key, value in vars(ours).items() if key.startswith("STYLE_")} | set(ours.HEADING_STYLES)
    assert names - our_names == set(DEFAULT_STYLE_NAMES)
    assert styles.find(f"{W}latentStyles") is None
    theme_attrs = [a for el in styles.iter(f"{W}rFonts") for a in el.attrib if a.endswith("Theme")]
    assert theme_attrs == []


def test_every_paragraph_style_referenced_exists(package):
    styles = xml(package, "word/styles.xml")
    ids = {style.get(f"{W}styleId") for style in styles.iter(f"{W}style")}
    for part in ("word/document.xml", *[n for n in package.namelist() if n.startswith("word/footer")]):
        for ref in xml(package, part).iter(f"{W}pStyle"):
            assert ref.get(f"{W}val") in ids, (part, ref.get(f"{W}val"))
