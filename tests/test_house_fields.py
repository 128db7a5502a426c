"""House-file fields: listed across runs, bookmarks and spell-check marks, in body, header and footer; filled in place."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafting.archive import OLE_SIGNATURE
from drafting.errors import InputError, InputErrors
from drafting.house.fields import fill_edits, list_fields, paragraph_fields, unknown_fields
from drafting.house.package import read_house
from drafting.house.sample import write_example_house
from drafting.house.xmlscan import apply_edits, scan


@pytest.fixture()
def house(tmp_path: Path) -> Path:
    path = tmp_path / "默认.docx"
    write_example_house(path)
    return path


def test_fields_are_listed_where_word_split_them(house: Path) -> None:
    fields = list_fields(house)
    found = [(f.name, f.place, f.split) for f in fields]
    assert found == [
        ("发文字号", "正文", True),
        ("正文", "正文", False),
        ("抄送", "正文", True),
        ("印发机关", "正文", False),
        ("印发日期", "正文", True),
        ("发文机关", "页眉", False),
        ("meeting.organizer", "页脚", True),
    ]
    assert [f.is_marker for f in fields].count(True) == 1
    assert fields[0].part == "word/document.xml" and fields[5].part.startswith("word/header")


SPLIT = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    '<w:p><w:r><w:rPr><w:color w:val="E60012"/></w:rPr><w:t>文号：{{发</w:t></w:r><w:proofErr w:type="spellStart"/>'
    '<w:bookmarkStart w:id="0" w:name="x"/><w:r><w:rPr><w:b/></w:rPr><w:t>文字</w:t></w:r><w:bookmarkEnd w:id="0"/>'
    '<w:r><w:t xml:space="preserve">号 }} 与 {{签发人}}</w:t></w:r></w:p>'
    "<w:p><w:r><w:t>{{正文}}</w:t></w:r></w:p></w:body></w:document>"
)


def test_a_split_field_is_filled_in_its_first_run_and_the_rest_is_untouched() -> None:
    scanned = scan(SPLIT)
    marker = scanned.paragraphs[1].start
    filled = apply_edits(SPLIT, fill_edits(scanned, {"发文字号": "某政发〔2026〕1号", "签发人": "<张三&李四>"}, {marker}))
    first = filled.index("<w:t")
    assert filled[: first] == SPLIT[: SPLIT.index("<w:t")]  # the first run keeps its formatting (red)
    assert '<w:t xml:space="preserve">文号：某政发〔2026〕1号</w:t>' in filled
    assert '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve"></w:t>' in filled
    assert "与 &lt;张三&amp;李四&gt;</w:t>" in filled
    assert "{{正文}}" in filled and "{{" not in filled.replace("{{正文}}", "")
    assert '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="x"/>' in filled
    assert scan(filled).paragraphs[0].text == "文号：某政发〔2026〕1号 与 <张三&李四>"


def test_line_breaks_in_a_value_become_word_line_breaks() -> None:
    xml = '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:r><w:t>{{主送}}</w:t></w:r></w:p>'
    filled = apply_edits(xml, fill_edits(scan(xml), {"主送": "甲\n乙"}))
    assert filled.count("<w:br/>") == 1 and scan(filled).paragraphs[0].text == "甲乙"


def test_unknown_fields_are_named_with_the_file(house: Path) -> None:
    package = read_house(house)
    with pytest.raises(InputErrors) as caught:
        unknown_fields(package, {"发文字号", "抄送", "印发机关", "印发日期"})
    text = str(caught.value)
    assert "默认.docx" in text and "{{发文机关}}" in text and "页眉" in text and "{{meeting.organizer}}" in text
    assert "正文" not in [e.location.field for e in caught.value.errors]


def test_old_word_files_get_the_save_as_hint(tmp_path: Path) -> None:
    for name in ("通报.doc", "通报.wps"):
        path = tmp_path / name
        path.write_bytes(OLE_SIGNATURE + b"\0" * 512)
        with pytest.raises(InputError, match="另存为") as caught:
            list_fields(path)
        assert name in str(caught.value)
    disguised = tmp_path / "通报.docx"
    disguised.write_bytes(OLE_SIGNATURE + b"\0" * 512)
    with pytest.raises(InputError, match="旧版 Word.*另存为"):
        list_fields(disguised)


def test_a_corrupt_file_is_refused(tmp_path: Path, house: Path) -> None:
    broken = tmp_path / "坏.docx"
    broken.write_bytes(house.read_bytes()[:3000])
    with pytest.raises(InputError, match="坏.docx.*已损坏"):
        list_fields(broken)
    text = tmp_path / "文本.docx"
    text.write_text("不是 Word 文件", encoding="utf-8")
    with pytest.raises(InputError, match="已损坏"):
        list_fields(text)


def test_a_docx_too_big_unpacked_is_refused(tmp_path: Path, house: Path) -> None:
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(house) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/media/huge.bin", b"\0" * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(InputError, match="炸弹.docx.*(过大|压缩炸弹)"):
        list_fields(bomb)


def test_the_marker_belongs_in_the_body_not_a_footer(house: Path) -> None:
    package = read_house(house)
    footer = next(part for part, place in package.stories if place == "页脚")
    package.blobs[footer] = package.blobs[footer].replace("{{meeting.".encode(), "{{正文}}{{meeting.".encode())
    with pytest.raises(InputErrors, match="只能放在文档正文中，不能放在页脚里"):
        unknown_fields(package, {"发文字号", "抄送", "印发机关", "印发日期", "发文机关", "meeting.organizer"})


def test_full_width_braces_and_spaces_are_fields_too() -> None:
    xml = (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:r><w:t>｛｛ 发文字号　｝｝与{{签发人｝｝</w:t></w:r></w:p>'
    )
    scanned = scan(xml)
    assert [m.name for m in paragraph_fields(scanned.paragraphs[0])] == ["发文字号", "签发人"]
    filled = apply_edits(xml, fill_edits(scanned, {"发文字号": "某发〔2026〕1号\x0b", "签发人": "张三"}))
    assert scan(filled).paragraphs[0].text == "某发〔2026〕1号与张三"  # a control character cannot go into a .docx


@pytest.mark.parametrize(
    "document",
    [
        b"<w:document><w:body><w:p><w:r><w:t>{{\xe6\xad</w:t></w:r></w:p></w:body></w:document>",  # not UTF-8
        "<w:document><w:body><w:p><w:r><w:t>{{正文}}</w:p></w:body></w:document>".encode(),  # unbalanced
        "<w:document><w:body><w:p><w:r><w:t>&#99999999999;{{正文}}</w:t></w:r></w:p><w:sectPr><w:pgSz</w:body></w:document>".encode(),
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><w:document><w:body>&b;</w:body></w:document>'.encode(),
    ],
)
def test_hostile_document_parts_are_refused_cleanly(tmp_path: Path, house: Path, document: bytes) -> None:
    from drafting.house.splice import known_fields, load_house_template

    hostile = tmp_path / "坏.docx"
    with zipfile.ZipFile(house) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, document if info.filename == "word/document.xml" else source.read(info))
    for attempt in (lambda: list_fields(hostile), lambda: load_house_template(hostile, known_fields(None))):
        try:
            attempt()
        except InputError as exc:
            assert "坏.docx" in str(exc)


def test_document_values() -> None:
    from drafting.document import Document, Imprint, Meta, RedHeader, Salutation, Signature, Title
    from drafting.house.values import document_values

    notice = Document(
        [Title(["关于某事的通报"]), Salutation("各街道办事处："), Signature(["某某区人民政府办公室"], "2026年3月6日")],
        Meta(kind="notice"),
        RedHeader("某某区人民政府办公室", "某政办发〔2026〕12号", signers=["张三", "李四"], urgency="特急"),
        Imprint(cc="区委办公室", issuer="某某区人民政府办公室", date="2026年3月7日"),
    )
    values = document_values(notice)
    assert values["标题"] == "关于某事的通报" and values["主送"] == "各街道办事处"
    assert (values["发文字号"], values["签发人"], values["紧急程度"]) == ("某政办发〔2026〕12号", "张三、李四", "特急")
    assert (values["成文日期"], values["印发日期"], values["抄送"]) == ("2026年3月6日", "2026年3月7日", "区委办公室")
    speech = Document([Title(["讲话"]), Salutation("同志们：")], Meta(kind="speech"))
    values = document_values(speech)
    assert values["主送"] == "" and values["发文字号"] == "" and values["印发日期"] == ""
