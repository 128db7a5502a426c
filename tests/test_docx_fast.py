"""The fast writer writes the reference writer's file, part for part (byte-identical XML)."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import docx
import pytest
from test_banner import BODY as BANNER_BODY
from test_banner import VARIANTS as BANNER_VARIANTS
from test_letters import build, generated_ledger, make_folder

from drafting.build import BuildOptions, plan_build, write_plan
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
    Roster,
    Salutation,
    SectionBreak,
    Signature,
    Table,
    Title,
)
from drafting.example import write_example
from drafting.kinds import KINDS

FIXTURE_DISTRICT40 = Path(__file__).parent / "fixtures" / "district40"

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


def assert_every_output_is_the_reference_file(plan, tmp_path: Path) -> None:
    for index, output in enumerate(plan.outputs):
        document = output.build_document()
        assert supports(document), output.path.name
        folder = tmp_path / str(index)
        folder.mkdir()
        assert_same_package(*both(document, folder, output.profile))


def test_example_meeting_every_output_is_the_reference_file(example_plan, tmp_path: Path) -> None:
    kinds = {(o.kind, o.unit is None) for o in example_plan.outputs}
    # the speech, each letter, the 合订本, the notice (红头, landscape attachment, 版记), 会议通知, 会议纪要
    assert kinds == {("speech", True), ("letter", False), ("letter", True), ("notice", True), ("call", True), ("minutes", True)}
    notice = next(o.document for o in example_plan.outputs if o.kind == "notice")
    assert notice.red_header is not None and notice.imprint is not None
    assert any(isinstance(b, Attachment) and b.landscape for b in notice.blocks)
    combined = next(o.document for o in example_plan.outputs if o.kind == "letter" and o.unit is None)
    assert sum(isinstance(b, SectionBreak) for b in combined.blocks) == len(example_plan.outputs) - 6
    assert_every_output_is_the_reference_file(example_plan, tmp_path)


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "推进会"])
def test_every_meeting_kind_example_is_the_reference_file(kind: str, tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    write_example(folder, kind=kind)
    assert_every_output_is_the_reference_file(plan_build(folder, BuildOptions(combined=True)), tmp_path)


def test_district40_every_output_is_the_reference_file(tmp_path: Path) -> None:
    plan = plan_build(FIXTURE_DISTRICT40, BuildOptions(as_of=date(2026, 6, 30), combined=True))
    assert_every_output_is_the_reference_file(plan, tmp_path)


@pytest.mark.parametrize("variant", sorted(BANNER_VARIANTS))
@pytest.mark.parametrize("profile", [DEFAULT_PROFILE, SPEECH_LARGE_PROFILE], ids=["default", "large"])
def test_every_banner_variant_is_the_reference_file(variant: str, profile, tmp_path: Path) -> None:
    meta = Meta(title="报告", author="某某区人民政府", date=date(2026, 3, 6))
    document = Document(blocks=list(BANNER_BODY), meta=meta, red_header=BANNER_VARIANTS[variant])
    assert_same_package(*both(document, tmp_path, profile))


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


WIDE_TABLE = Table([["序号", "项目名称", "进展"], ["1", HOSTILE, "开工"], ["2", "乙", "1,200"]], caption="附表")
LONG_CC = "区委各部门，区人大常委会办公室，区政协办公室，区法院，区检察院，" * 4


def _extras() -> dict[str, object]:
    """Changes to the hostile document reaching every branch of the reference writer."""
    return {
        "signature": lambda d: d.blocks.append(Signature(["某某区人民政府办公室", "Abc 某某局"], "2026年3月6日")),
        "signature_without_date": lambda d: d.blocks.append(Signature([HOSTILE, "某某局"])),
        "note_then_signature": lambda d: d.blocks.extend([AttachmentNote(["附表", HOSTILE]), Signature(["某某局"], "2026年3月6日")]),
        "note_then_parties": lambda d: d.blocks.extend([AttachmentNote(["附表"]), PartiesSignature(["甲方"], ["乙方"])]),
        "note_alone": lambda d: d.blocks.append(AttachmentNote([HOSTILE])),
        "attachments": lambda d: d.blocks.extend([
            Attachment("附表一", [WIDE_TABLE, Paragraph("说明")], number=1, landscape=True),
            Attachment("附表二", [WIDE_TABLE], number=2, landscape=True),
            Attachment(HOSTILE, [PageBreak(), WIDE_TABLE, Attachment("内嵌", [Paragraph("甲")], landscape=True)], number=3),
            Paragraph("回到正文"),
        ]),
        "attachment_first": lambda d: d.blocks.insert(0, Attachment("附件", [WIDE_TABLE], landscape=True)),
        "section_breaks": lambda d: d.blocks.extend([
            SectionBreak(), SectionBreak(restart_page_numbers=True, odd_page=False), Paragraph("续"), WIDE_TABLE,
            SectionBreak(), Title(["下一件"]), Attachment("附件", [SectionBreak(), Paragraph("乙")]),
        ]),
        "section_break_first": lambda d: d.blocks.insert(0, SectionBreak(restart_page_numbers=True)),
        "red_header": lambda d: setattr(d, "red_header", RedHeader("某某区人民政府办公室", "某政办发〔2026〕1号")),
        "hostile_red_header": lambda d: setattr(
            d, "red_header", RedHeader(HOSTILE, HOSTILE, copy_number="0001", secrecy=HOSTILE, urgency="特急",
                                       signers=[HOSTILE, "李四", "王五", "赵六", "钱七"], mark="文件"),
        ),
        "joint_with_signers": lambda d: setattr(
            d, "red_header", RedHeader("某某区人民政府", "某政发〔2026〕5号", secrecy="秘密", signers=["张三"],
                                       joint_organs=["某某区发展和改革委员会", HOSTILE], mark="文件"),
        ),
        "letter_without_marks": lambda d: setattr(d, "red_header", RedHeader("某某区人民政府办公室", "某政办函〔2026〕5号", letter=True)),
        "letter_without_number": lambda d: setattr(d, "red_header", RedHeader("某某区人民政府办公室", urgency="特急", letter=True)),
        "roster": lambda d: d.blocks.extend([Roster("出席", "张三、李四"), Roster("列席", HOSTILE), Roster("请假", "")]),
        "roster_wide_labels": lambda d: d.blocks.extend(
            [Roster("列席人员", "王五、赵六" * 20), Paragraph("正文"), Roster("A", "x"), Signature(["某某局"], "2026年3月6日")]
        ),
        "roster_first": lambda d: d.blocks.insert(0, Roster(HOSTILE, HOSTILE)),
        "imprint": lambda d: setattr(d, "imprint", Imprint(cc="各单位", issuer="某某办公室", date="2026年3月6日")),
        "imprint_long_cc": lambda d: setattr(d, "imprint", Imprint(cc=LONG_CC + "。")),
        "imprint_issuer_only": lambda d: setattr(d, "imprint", Imprint(issuer=HOSTILE)),
        "imprint_date_only": lambda d: setattr(d, "imprint", Imprint(date="2026年3月6日印发")),
        "imprint_empty": lambda d: setattr(d, "imprint", Imprint()),
    }


# Combinations: the notice's frame (版头, landscape attachment, 版记 on a portrait page of its own) and others.
COMBINATIONS = [
    ("red_header", "note_then_signature", "attachments", "imprint"),
    ("hostile_red_header", "attachment_first", "imprint_long_cc"),
    ("letter_without_marks", "attachments", "imprint"),
    ("joint_with_signers", "section_breaks", "signature"),
    ("red_header", "roster", "note_then_signature", "imprint"),
    ("letter_without_number", "section_break_first", "imprint_issuer_only"),
]


@pytest.mark.parametrize("changes", [(name,) for name in _extras()] + COMBINATIONS, ids="+".join)
def test_every_block_and_frame_is_the_reference_file(changes: tuple[str, ...], tmp_path: Path) -> None:
    document = hostile_document()
    document.meta.title = "标题"
    for name in changes:
        _extras()[name](document)
    assert supports(document)
    assert_same_package(*both(document, tmp_path))


def test_a_landscape_attachment_ending_the_document_leaves_the_imprint_page_unnumbered(tmp_path: Path) -> None:
    document = hostile_document()
    _extras()["attachments"](document)
    document.blocks.pop()  # end on the landscape attachments
    document.imprint = Imprint(cc="各单位", issuer="某某办公室", date="2026年3月6日")
    reference, fast = both(document, tmp_path)
    assert_same_package(reference, fast)
    sections = docx.Document(str(fast)).sections
    assert [s.orientation for s in sections][-2:] == [1, 0]  # landscape, then the portrait 版记 page
    last = sections[-1]
    assert not last.footer.is_linked_to_previous and not "".join(p.text for p in last.footer.paragraphs).strip()


def big_table_document(count: int) -> Document:
    rows = [["序号", "项目名称", "牵头单位", "年度计划", "完成率", "进展情况"]]
    rows += [
        [str(n), f"第{n}号重点项目&<建设>", f"单位{n % 300}", f"{n % 97}.50", f"{n % 100}.0%", "正在办理施工许可\r\n"]
        for n in range(count)
    ]
    return Document(
        blocks=[Title(["通报"]), Paragraph("正文。"), Attachment("附表", [Table(rows, total_row=True)], landscape=True)],
        meta=Meta(title="通报", kind="notice", date=date(2026, 3, 6)),
        imprint=Imprint(cc="各单位"),
    )


def test_a_long_table_is_the_reference_file(tmp_path: Path) -> None:
    assert_same_package(*both(big_table_document(1500), tmp_path))


def test_a_huge_table_is_streamed_not_held_as_text(tmp_path: Path) -> None:
    """Writing a 10,000-row table allocates a small fraction of its document.xml at any moment."""
    document = big_table_document(10000)
    fast = tmp_path / "fast.docx"
    write_docx_fast(document, tmp_path / "warm.docx")  # fixed parts of this frame built once
    tracemalloc.start()
    try:
        write_docx_fast(document, fast)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(fast) as package:
        assert package.testzip() is None
        body_size = package.getinfo("word/document.xml").file_size
        assert package.read("word/document.xml").count(b"<w:tr>") == 10001 + 1  # the table and the 版记
    assert body_size > 10000 * 6 * 200
    assert peak < body_size / 4, (peak, body_size)  # holding the text would take more than body_size


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


def test_a_build_never_takes_the_reference_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of a full build (speech, letters, 合订本, notice, 会议通知, 会议纪要) comes from the text emitter."""
    import drafting.docx.writer as reference_writer  # the fast writer falls back to it on first use

    def reference(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the reference writer was called")

    folder = tmp_path / "会议"
    write_example(folder)
    plan = plan_build(folder, BuildOptions(combined=True))
    monkeypatch.setattr(reference_writer, "write_docx", reference)
    write_plan(plan)
    assert all(o.data is None for o in plan.outputs)
    written = sorted(plan.out_dir.rglob("*.docx"))
    assert len(written) == len(plan.outputs) >= 6
    for path in written:
        assert docx.Document(str(path)).paragraphs  # python-docx reads each back


def test_a_part_beyond_the_zip_limit_is_refused_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip without ZIP64 holds 4 GB a member; the limit is lowered here so a small table passes it."""
    import drafting.docx.fast.zipwrite as zipwrite
    from drafting.errors import DraftingError

    monkeypatch.setattr(zipwrite, "_ZIP32_MAX", 100_000)
    target = tmp_path / "通报.docx"
    with pytest.raises(DraftingError, match="超过 4 GB"):
        write_docx_fast(big_table_document(2000), target)
    assert not target.exists()


def test_a_body_in_one_piece_is_the_streamed_file_and_gives_its_hash(example_plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A letter's body is deflated whole (no seek back to fill in sizes) and hashed as written: the same bytes
    as when it is streamed in small pieces; a huge table is streamed and gives no hash (it is read back)."""
    import hashlib

    from drafting.docx.fast import writer as fast_writer

    outputs = [o for o in example_plan.outputs if o.document is not None and supports(o.document)]
    documents = [o.document for o in outputs] + [hostile_document()]
    assert len(documents) >= 4
    hashed = 0
    for n, document in enumerate(documents):
        whole = tmp_path / f"{n}-whole.docx"
        digest = write_docx_fast(document, whole)
        assert digest in (None, hashlib.sha256(whole.read_bytes()).hexdigest())
        hashed += digest is not None
        if n < len(outputs) and outputs[n].kind == "letter" and outputs[n].unit is not None:  # not the 合订本
            assert digest is not None
        with monkeypatch.context() as patch:
            patch.setattr(fast_writer, "_CHUNK_CHARS", 97)  # every body in many pieces: streamed
            streamed = tmp_path / f"{n}-streamed.docx"
            assert write_docx_fast(document, streamed) is None
        assert whole.read_bytes() == streamed.read_bytes()
    assert hashed >= 3
    huge = tmp_path / "huge.docx"
    assert write_docx_fast(big_table_document(600), huge) is None
    with zipfile.ZipFile(huge) as package:
        assert package.testzip() is None
