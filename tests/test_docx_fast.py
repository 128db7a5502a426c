"""The fast writer writes the reference writer's file, part for part (byte-identical XML)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import docx
import pytest
from test_letters import build, generated_ledger, make_folder

from drafting.build import BuildOptions, plan_build
from drafting.docx.fast import supports, write_docx_fast
from drafting.docx.profile import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE
from drafting.docx.writer import write_docx
from drafting.document import (
    Attachment,
    AttachmentNote,
    Byline,
    Document,
    Enumeration,
    Heading,
    Imprint,
    Meta,
    PageBreak,
    Paragraph,
    PartiesSignature,
    RedHeader,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.example import write_example

HOSTILE = " 甲&乙<丙>丁\"'\t戊\n己\r\n庚\x0b\x07辛\u3000 "


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist()}


def assert_same_package(reference: Path, fast: Path) -> None:
    """Same members in the same order, each byte for byte; on a difference show it canonicalised."""
    ref, got = members(reference), members(fast)
    assert list(got) == list(ref)
    for name, blob in ref.items():
        if got[name] != blob:
            assert canonicalize(got[name].decode("utf-8")) == canonicalize(blob.decode("utf-8")), name
            pytest.fail(f"{name}: same XML, different bytes")


def both(document: Document, tmp_path: Path, profile=DEFAULT_PROFILE) -> tuple[Path, Path]:
    reference, fast = tmp_path / "reference.docx", tmp_path / "fast.docx"
    write_docx(document, reference, profile)
    write_docx_fast(document, fast, profile)
    return reference, fast


@pytest.fixture(scope="module")
def example_plan(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("example") / "会议"
    write_example(folder)
    return plan_build(folder, BuildOptions(combined=True))


def test_example_meeting_every_output_is_the_reference_file(example_plan, tmp_path: Path) -> None:
    routed = {o.kind: supports(o.document) for o in example_plan.outputs if o.unit is not None or o.kind != "letter"}
    # the notice and the 纪要 have a 红头, the 会议通知 a signature: reference writer
    assert routed == {"speech": True, "letter": True, "notice": False, "call": False, "minutes": False}
    for index, output in enumerate(example_plan.outputs):
        folder = tmp_path / str(index)
        folder.mkdir()
        assert_same_package(*both(output.document, folder, output.profile))


def test_large_type_speech_profile(example_plan, tmp_path: Path) -> None:
    assert_same_package(*both(example_plan.speech, tmp_path, SPEECH_LARGE_PROFILE))


def test_generated_ledger_letters_are_the_reference_files(tmp_path: Path) -> None:
    rows, _, _ = generated_ledger(seed=11)
    letters = build(make_folder(tmp_path, rows))
    # every 15th letter and the units whose names are hostile (the last six)
    chosen = letters[::15] + letters[-6:]
    for index, letter in enumerate(chosen):
        assert supports(letter.document)
        folder = tmp_path / f"l{index}"
        folder.mkdir()
        assert_same_package(*both(letter.document, folder))


def hostile_document() -> Document:
    long_title = "关于" + "加快推进重点项目建设" * 6 + "的通知"
    return Document(
        blocks=[
            Title([long_title]),
            Byline(HOSTILE),
            Salutation(HOSTILE),
            Heading(1, HOSTILE, "一、"),
            Heading(2, "要点。", "（一）", run_in=HOSTILE),
            Heading(3, "空的正文。", "1.", run_in="\x0b"),
            Heading(9, "级别越界", "（1）"),
            Paragraph(HOSTILE),
            Paragraph("", indent=False),
            Paragraph("居中", align="center"),
            Paragraph("居右", indent=True, align="right"),
            Paragraph("靠左", align="left"),
            PageBreak(),
            Enumeration(["一", "二"], lead="引语：", labels=["一是", "二是"]),
            Enumeration(["甲", HOSTILE], lead="", inline=True, labels=["第一，", "第二，"]),
            PageBreak(),
            Table([["名称", "金额（亿元）"], [HOSTILE, "1,200"], ["合计", "3.5"]], total_row=True),
            Table([]),
            Table([["a"], ["b", "c", "d"]], header_rows=5, caption="表&1", widths=[1, 2, 3]),
            Title(["第一行", "", HOSTILE]),
            Paragraph("末段"),
            PartiesSignature(["甲方（盖章）", HOSTILE], ["乙方（盖章）"]),
            PartiesSignature([], []),
        ],
        meta=Meta(title=HOSTILE, author="&<作者>" * 60, subject="", kind="letter", date=date(2026, 3, 6)),
    )


def test_hostile_text_and_every_supported_block(tmp_path: Path) -> None:
    document = hostile_document()
    assert supports(document)
    assert_same_package(*both(document, tmp_path))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.blocks.append(Signature(["某某局"], "2026年3月6日")),
        lambda d: d.blocks.append(AttachmentNote(["附表"])),
        lambda d: d.blocks.append(Attachment("附表", [Paragraph("正文")], landscape=True)),
        lambda d: d.blocks.insert(1, SectionBreak()),
        lambda d: setattr(d, "red_header", RedHeader("某某区人民政府办公室", "某政办发〔2026〕1号")),
        lambda d: setattr(d, "imprint", Imprint(cc="各单位", issuer="某某办公室", date="2026年3月6日")),
    ],
)
def test_unsupported_documents_fall_back_to_the_reference_writer(change, tmp_path: Path) -> None:
    document = hostile_document()
    document.meta.title = "标题"
    change(document)
    assert not supports(document)
    reference, fast = both(document, tmp_path)
    ref, got = members(reference), members(fast)
    assert list(got) == list(ref) and got == ref


def test_output_is_reproducible_and_stamped_with_the_document_date(example_plan, tmp_path: Path) -> None:
    letter = next(o.document for o in example_plan.outputs if o.kind == "letter")
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    write_docx_fast(letter, first)
    write_docx_fast(letter, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 3, 6, 0, 0, 0)}
    opened = docx.Document(str(first))  # python-docx reads it back
    assert opened.paragraphs[0].text.replace("\n", "") == letter.title.text
    assert opened.core_properties.title == letter.meta.title
