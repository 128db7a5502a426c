"""House 版式: documents built on the office's own Word file (版式/*.docx).

A meeting folder with the example house file (logo PNG in the header, red
rule, custom margins, 版记 table after {{正文}}, fields split over runs)
builds; the result keeps the house parts byte for byte where untouched,
holds our body and the filled fields (python-docx), and renders through
LibreOffice with the mapped fonts and every character of its text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from rendering import pdf_pages_text, red_pixel_rows, require_tool, text_difference

from drafting.cli import cli
from drafting.house.fields import list_fields
from drafting.house.sample import MARGINS_MM, logo_png, write_example_house
from drafting.house.xmlscan import scan

HOUSE_EXAMPLE = "版式示例.docx"
TEXT = re.compile(r"<w:t(?: xml:space=\"preserve\")?>[^<]*</w:t>")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def without_text(xml: str) -> str:
    """XML with every run text blanked: what filling a field may change."""
    return TEXT.sub("<w:t/>", xml)


def all_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    return "".join(t.text or "" for part in parts for t in part.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def make_folder(root: Path, name: str = "默认.docx") -> Path:
    folder = root / "会议"
    assert run("example", str(folder)).exit_code == 0
    (folder / "版式").mkdir()
    shutil.copyfile(folder / HOUSE_EXAMPLE, folder / "版式" / name)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_folder(tmp_path_factory.mktemp("house"))
    result = run("build", str(folder), "--only", "notice,speech")
    assert result.exit_code == 0, result.output
    assert "版式：讲话稿、进度通报排在" in result.output and "默认.docx" in result.output
    return folder


# The house file kept ----------------------------------------------------------------------------


def test_untouched_house_members_are_byte_for_byte_the_same(built: Path) -> None:
    house = members(built / "版式" / "默认.docx")
    out = members(built / "输出" / "进度通报.docx")
    assert list(out)[: len(house)] == list(house)  # same members, same order; ours come after
    changed = {"word/document.xml", "word/styles.xml", "word/fontTable.xml", "word/_rels/document.xml.rels", "[Content_Types].xml", "word/header1.xml", "word/footer1.xml"}
    for name, data in house.items():
        if name not in changed:
            assert out[name] == data, name
    assert out["word/media/image1.png"] == house["word/media/image1.png"] == logo_png()
    for story in ("word/header1.xml", "word/footer1.xml"):  # fields filled, nothing else
        assert without_text(out[story].decode()) == without_text(house[story].decode())
    for name, closing in (("word/styles.xml", "</w:styles>"), ("word/fontTable.xml", "</w:fonts>"), ("word/_rels/document.xml.rels", "</Relationships>"), ("[Content_Types].xml", "</Types>")):
        before, after = house[name].decode(), out[name].decode()
        assert after.startswith(before[: before.rindex(closing)]) and after.endswith(before[before.rindex(closing) :]), name
    fonts = out["word/fontTable.xml"].decode()
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)  # Word's fallback where the font is missing
    added = set(out) - set(house)
    assert added and all(re.fullmatch(r"word/footer\d+\.xml", name) for name in added)  # the landscape page numbers


def test_document_xml_is_the_house_text_around_our_body(built: Path) -> None:
    house = members(built / "版式" / "默认.docx")["word/document.xml"].decode()
    out = members(built / "输出" / "进度通报.docx")["word/document.xml"].decode()
    marker = next(p for p in scan(house).paragraphs if p.text == "{{正文}}")
    before, after = house[: marker.start], house[marker.end :]
    assert without_text(out).startswith(without_text(before))
    assert without_text(out).endswith(without_text(after))
    assert "{{" not in out
    middle = out[len(before) : len(out) - len(after)]  # fields before the marker are filled in place; no length change after
    assert "关于全区重点项目建设进展情况的通报" in middle


def test_the_body_fields_and_page_setup_read_back(built: Path) -> None:
    path = built / "输出" / "进度通报.docx"
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "某某区人民政府办公室文件"
    assert texts[1] == "某政办发〔2026〕12号"  # split over two runs in the house file
    runs = document.paragraphs[1].runs
    assert runs[0].text == "某政办发〔2026〕12号" and runs[0].bold is not True  # the first run's formatting
    assert "关于全区重点项目建设进展情况的通报" in texts and "各街道办事处，区政府各部门、各直属机构：" in texts
    title = document.paragraphs[texts.index("关于全区重点项目建设进展情况的通报")]
    assert title.style.name == "公文标题"
    assert any(p.style.name == "一级标题" and p.text.startswith("一、") for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "抄送：区委办公室，区人大常委会办公室，区政协办公室" in cells
    assert any(text.startswith("某某区人民政府办公室") and text.endswith("2026年3月6日印发") for text in cells)
    first = document.sections[0]
    top, right, bottom, left = MARGINS_MM
    assert [round(m.mm) for m in (first.top_margin, first.right_margin, first.bottom_margin, first.left_margin)] == [top, right, bottom, left]
    assert first.header.paragraphs[0].text.strip() == "某某区人民政府办公室"
    assert document.sections[-1].footer.paragraphs[0].text == "某某区人民政府印制"
    orientations = [s.page_width > s.page_height for s in document.sections]
    assert orientations[0] is False and True in orientations and orientations[-1] is False  # landscape attachment, portrait 版记
    assert "{{" not in all_text(path)


def test_our_own_banner_and_imprint_give_way_to_the_house_file(built: Path) -> None:
    paragraphs = docx.Document(str(built / "输出" / "进度通报.docx")).paragraphs
    styles = {p.style.name for p in paragraphs}
    assert not styles & {"发文机关标志", "发文字号", "版头分隔线"}  # our 版头 is not written
    assert not styles & {"版记抄送", "版记印发机关", "版记印发日期"}  # our 版记 neither: the house table has it
    assert not any(p.text.startswith("抄送：") for p in paragraphs)


def test_speech_on_the_same_house_file(built: Path) -> None:
    document = docx.Document(str(built / "输出" / "讲话稿.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "某某区人民政府办公室文件" and texts[1] == ""  # a speech has no 发文字号
    assert "在全区重点项目建设推进会上的讲话" in texts
    assert document.sections[0].header.paragraphs[0].text.strip() == "某某区人民政府"  # 发文机关: the organizer
    entries = json.loads((built / "输出" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["kind"] for e in entries} == {"notice", "speech"}


def test_theirs_makes_our_paragraphs_take_the_house_styles(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    meeting = folder / "meeting.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nhouse:\n  styles: theirs\n", encoding="utf-8")
    assert run("build", str(folder), "--only", "notice").exit_code == 0
    document = docx.Document(str(folder / "输出" / "进度通报.docx"))
    body = [p for p in document.paragraphs if p.text.startswith("为全面掌握")]
    assert body and body[0].style.name == "Normal"  # the house file's 正文
    headings = [p for p in document.paragraphs if p.text == "一、总体进展"]
    assert headings[0].style.name == "Heading 1"
    title = next(p for p in document.paragraphs if p.text == "关于全区重点项目建设进展情况的通报")
    assert title.style.name == "Title"  # the house file's 标题
    assert any(p.style.name == "主送机关" for p in document.paragraphs)  # no house style of that role: ours
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("styles: theirs", "styles: 版式"), encoding="utf-8")
    result = run("build", str(folder), "--only", "notice", "--force")
    assert result.exit_code == 2 and "meeting.yaml" in result.output and "styles" in result.output


# Rendering --------------------------------------------------------------------------------------


@pytest.mark.render
def test_build_pdf_on_a_house_file_has_the_mapped_fonts_and_every_character(built: Path, tmp_path: Path) -> None:
    require_tool("soffice")
    out = tmp_path / "输出"
    result = run("build", str(built), "--only", "notice,speech", "--pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["pdf"] for e in entries) == ["讲话稿.pdf", "进度通报.pdf"]
    sources = [out / "进度通报.docx", out / "讲话稿.docx"]
    targets = [out / "进度通报.pdf", out / "讲话稿.pdf"]
    for source, pdf in zip(sources, targets):
        assert members(source)["word/media/image1.png"] == logo_png()
        fonts = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Fandol" in fonts and "Noto" in fonts, fonts
        missing, _ = text_difference(source, pdf)
        assert not missing, (source.name, missing)
        first = pdf_pages_text(pdf)[0]
        assert "某某区人民政府办公室文件" in first
    notice_first = pdf_pages_text(targets[0])[0]
    assert "关于全区重点项目建设进展情况的通报" in notice_first.replace("\n", "")
    rows = red_pixel_rows(targets[0], 1)
    height = 297 * 40 / 25.4
    assert any(r < height * 0.12 for r in rows)  # the logo in the header area
    assert any(height * 0.2 < r < height * 0.35 for r in rows)  # organ name and red rule


# Errors -----------------------------------------------------------------------------------------


def house_with(tmp_path: Path, edit) -> Path:
    """The example folder whose 版式/默认.docx has ``edit`` applied to its document.xml text."""
    folder = make_folder(tmp_path)
    path = folder / "版式" / "默认.docx"
    parts = members(path)
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return folder


def refused(folder: Path, *patterns: str) -> None:
    result = run("build", str(folder), "--only", "notice")
    assert result.exit_code == 2, result.output
    assert "默认.docx" in result.output, result.output
    for pattern in patterns:
        assert re.search(pattern, result.output), result.output
    assert "Traceback" not in result.output
    assert not (folder / "输出").exists() or not any((folder / "输出").iterdir())


def test_no_marker(tmp_path: Path) -> None:
    refused(house_with(tmp_path, lambda xml: xml.replace("{{正文}}", "正文")), "没有 \\{\\{正文\\}\\}")


def test_two_markers(tmp_path: Path) -> None:
    def twice(xml: str) -> str:
        start = xml.index("<w:p>", xml.index("<w:body>"))
        marker = next(p for p in scan(xml).paragraphs if p.text == "{{正文}}")
        return xml[:start] + xml[marker.start : marker.end] + xml[start:]

    refused(house_with(tmp_path, twice), "2 处")


def test_marker_with_other_text(tmp_path: Path) -> None:
    refused(house_with(tmp_path, lambda xml: xml.replace("{{正文}}", "正文如下：{{正文}}")), "单独成段")


def test_marker_in_a_table(tmp_path: Path) -> None:
    refused(house_with(tmp_path, lambda xml: xml.replace("{{正文}}", "正").replace("抄送：{{", "{{正文}}{{", 1).replace(">抄送}}<", "><")), "表格")


def test_unknown_field(tmp_path: Path) -> None:
    refused(house_with(tmp_path, lambda xml: xml.replace("{{发文", "{{文件编", 1)), "未知的字段 \\{\\{文件编字号\\}\\}")


def test_old_word_file_in_the_house_folder(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "版式" / "默认.docx").unlink()
    (folder / "版式" / "通报.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = run("build", str(folder), "--only", "notice")
    assert result.exit_code == 2 and "通报.wps" in result.output and "另存为" in result.output


def test_corrupt_house_file(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    path = folder / "版式" / "默认.docx"
    path.write_bytes(path.read_bytes()[:2000])
    refused(folder, "已损坏")


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_link_in_the_house_folder_is_refused(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    elsewhere = tmp_path / "外面.docx"
    (folder / "版式" / "默认.docx").rename(elsewhere)
    (folder / "版式" / "默认.docx").symlink_to(elsewhere)
    refused(folder, "链接")


# Lookup -----------------------------------------------------------------------------------------


def test_kind_file_beats_default_and_the_user_library_comes_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafting.house.locate import find_house_file

    library = tmp_path / "库"
    (library / "版式").mkdir(parents=True)
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(library))
    folder = tmp_path / "会议"
    folder.mkdir()
    assert find_house_file(folder, "notice") is None
    write_example_house(library / "版式" / "通报.docx")
    assert find_house_file(folder, "notice") == library / "版式" / "通报.docx"
    assert find_house_file(folder, "speech") is None
    (folder / "版式").mkdir()
    write_example_house(folder / "版式" / "默认.docx")
    assert find_house_file(folder, "notice") == folder / "版式" / "默认.docx"
    write_example_house(folder / "版式" / "通报.docx")
    assert find_house_file(folder, "notice") == folder / "版式" / "通报.docx"
    assert find_house_file(folder, "letter") == folder / "版式" / "默认.docx"


def test_the_example_house_file_is_not_used_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    assert [f.name for f in list_fields(folder / HOUSE_EXAMPLE) if f.is_marker] == ["正文"]
    assert run("build", str(folder), "--only", "notice").exit_code == 0
    texts = [p.text for p in docx.Document(str(folder / "输出" / "进度通报.docx")).paragraphs]
    assert "某某区人民政府办公室文件" not in texts and texts[0] == "某某区人民政府办公室"  # our own 红头


def test_letters_and_their_review_on_a_house_file(tmp_path: Path) -> None:
    from drafting.build import BuildOptions, plan_build, write_plan

    folder = make_folder(tmp_path, "责任书.docx")
    plan = plan_build(folder, BuildOptions(only=frozenset({"letters"}), combined=True))
    assert all(o.house is not None for o in plan.outputs)
    write_plan(plan)
    letters = sorted((folder / "输出" / "目标责任书").glob("*.docx"))
    assert letters and set(plan.reviewed) >= set(letters)
    for path in letters[:2]:
        texts = [p.text for p in docx.Document(str(path)).paragraphs]
        assert texts[0] == "某某区人民政府办公室文件" and any("目标责任书" in t for t in texts)
    combined = docx.Document(str(folder / "输出" / "目标责任书（合订本）.docx"))
    assert len(combined.sections) == len(letters)
    assert all(round(s.top_margin.mm) == MARGINS_MM[0] for s in combined.sections)  # every letter on the house page setup


def test_parts_stay_in_schema_order_and_style_ids_unique(built: Path) -> None:
    from lxml import etree
    from ooxml_order import order_problems

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in ("进度通报.docx", "讲话稿.docx"):
        parts = members(built / "输出" / name)
        for part, data in parts.items():
            if part.startswith("word/") and part.endswith(".xml") and "stylesWithEffects" not in part:
                assert order_problems(etree.fromstring(data)) == [], (name, part)
        styles = etree.fromstring(parts["word/styles.xml"]).findall(w + "style")
        ids = [s.get(w + "styleId") for s in styles]
        names = [s.find(w + "name").get(w + "val").casefold() for s in styles]
        assert len(ids) == len(set(ids)) and len(names) == len(set(names)), name
        assert "公文基准" in ids  # our Normal, under a name of its own: the house Normal is untouched


def test_the_review_after_build_still_reports_blanks(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    meeting = folder / "meeting.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("recipients: 各街道办事处，区政府各部门、各直属机构", "recipients: XX单位", 1), encoding="utf-8")
    result = run("build", str(folder), "--only", "notice")
    assert result.exit_code == 0, result.output
    assert "审稿时会被退回的问题" in result.output and "进度通报.docx" in result.output.split("审稿时会被退回的问题")[1]
    texts = [p.text for p in docx.Document(str(folder / "输出" / "进度通报.docx")).paragraphs]
    assert "XX单位：" in texts and texts[0] == "某某区人民政府办公室文件"


@pytest.mark.render
def test_a_house_file_saved_by_another_office_suite(tmp_path: Path) -> None:
    """LibreOffice re-saves the example with its own writer: other namespaces, run splits, part order."""
    soffice = require_tool("soffice")
    folder = make_folder(tmp_path)
    saved = tmp_path / "另存"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(saved), str(folder / HOUSE_EXAMPLE)],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    shutil.copyfile(saved / HOUSE_EXAMPLE, folder / "版式" / "默认.docx")
    assert [f.name for f in list_fields(folder / "版式" / "默认.docx")][:2] == ["发文字号", "正文"]
    result = run("build", str(folder), "--only", "notice")
    assert result.exit_code == 0, result.output
    path = folder / "输出" / "进度通报.docx"
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert texts[:2] == ["某某区人民政府办公室文件", "某政办发〔2026〕12号"] and "关于全区重点项目建设进展情况的通报" in texts
    assert "{{" not in all_text(path)


@pytest.mark.render
def test_the_house_document_grid_does_not_change_our_line_pitch(tmp_path: Path) -> None:
    """Chinese Word's default grid (15.6 pt lines) in the house file: our body keeps its 22-line pitch."""
    from drafting.pdf import convert

    require_tool("soffice")
    built = {}
    for name, grid in (("plain", None), ("grid", '<w:docGrid w:type="lines" w:linePitch="312"/>')):
        folder = make_folder(tmp_path / name)
        if grid:
            house = folder / "版式" / "默认.docx"
            parts = members(house)
            xml = parts["word/document.xml"].decode()
            parts["word/document.xml"] = re.sub(r"<w:docGrid [^>]*/>", grid, xml).encode()
            with zipfile.ZipFile(house, "w", zipfile.ZIP_DEFLATED) as archive:
                for part, data in parts.items():
                    archive.writestr(part, data)
        assert run("build", str(folder), "--only", "speech").exit_code == 0
        built[name] = folder / "输出" / "讲话稿.docx"
    pdfs = convert(list(built.values()), [tmp_path / f"{name}.pdf" for name in built])
    pages = [pdf_pages_text(pdf) for pdf in pdfs]
    assert len(pages[0]) == len(pages[1]) >= 4
    for page in (1, 2):  # full pages of body text hold as many lines either way (page 1's house lines may differ)
        counts = [len([line for line in each[page].splitlines() if line.strip()]) for each in pages]
        assert counts[0] == counts[1], (page, counts)
