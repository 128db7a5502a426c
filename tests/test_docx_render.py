"""Rendered through LibreOffice: the GB/T 9704 grid (22 lines × 28 characters), page numbers, 版头, landscape."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.docx import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, StyleProfile, write_docx
from drafting.docx.profile import mm_to_pt
from drafting.document import (
    Attachment,
    AttachmentNote,
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
from rendering import (
    body_line_stats,
    body_lines,
    docx_to_pdf,
    docx_to_pdfs,
    full_lines,
    page_number_line,
    rotated_page_number,
    pdf_page_pixels,
    pdf_pages,
    pdf_pages_text,
    red_pixel_rows,
)

pytestmark = pytest.mark.render

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
PLAIN = (FIXTURES / "plain_paragraph.txt").read_text(encoding="utf-8").strip()
TOLERANCE_PT = 2.5


def render(document: Document, directory: Path, name: str, profile: StyleProfile | None = None) -> Path:
    path = directory / f"{name}.docx"
    write_docx(document, path, profile)
    return docx_to_pdf(path, directory)


def speech() -> Document:
    return Document(
        blocks=[
            Title(["在全区重点项目建设推进会上的讲话"]),
            Byline("（张某某  2026年3月6日）"),
            Salutation("同志们："),
            Paragraph("今天召开全区重点项目建设推进会。下面，我讲两点意见："),
            Heading(1, "提高站位", number="一、"),
            Heading(2, "强化要素保障。", number="（一）", run_in="要统筹用地资金等要素。"),
            Paragraph(PLAIN),
            Heading(1, "狠抓落实", number="二、"),
            Paragraph(PLAIN),
            Paragraph("同志们，任务艰巨，使命光荣！"),
        ]
    )


@pytest.fixture(scope="module")
def speech_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(speech(), tmp_path_factory.mktemp("speech"), "speech")


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [["序号", "项目名称", "责任单位", "完成率"]] + [[str(i), f"项目{i}", "区发展改革局", "50%"] for i in range(1, 6)]
    document = Document(
        red_header=RedHeader("某某区人民政府办公室", "某政办发〔2026〕12号"),
        blocks=[
            Title(["关于全区重点项目建设进展情况的通报"]),
            Salutation("各街道办事处："),
            Paragraph("现将有关情况通报如下："),
            Table(rows, caption="表1  完成情况"),
            AttachmentNote(["进展情况表"]),
            Signature(["某某区重点项目建设领导小组办公室"], date="2026年3月6日"),
            Attachment("进展情况表", [Table(rows)], landscape=True),
            Attachment("滞后项目清单", [Paragraph("某某项目未开工。")]),
        ],
    )
    return render(document, tmp_path_factory.mktemp("notice"), "notice")


def type_area_pt(profile: StyleProfile = DEFAULT_PROFILE) -> tuple[float, float]:
    """(left, right) edges of the portrait type area in PDF points."""
    left = mm_to_pt(profile.margins.left_mm)
    return left, left + mm_to_pt(profile.type_width_mm)


# The grid -------------------------------------------------------------------


def test_full_body_page_has_22_lines(speech_pdf):
    lines, _ = body_line_stats(speech_pdf, 2)
    assert lines == 22


def test_full_line_holds_28_characters(speech_pdf):
    _, chars = body_line_stats(speech_pdf, 2)
    assert chars == 28
    assert {line.chars for line in full_lines(body_lines(speech_pdf, 2))} == {28}


def test_lines_are_one_grid_pitch_apart(speech_pdf):
    tops = [line.y_min for line in body_lines(speech_pdf, 2)]
    gaps = [b - a for a, b in zip(tops, tops[1:])]
    assert all(abs(gap - DEFAULT_PROFILE.line_pitch_pt) < 0.5 for gap in gaps)


def test_large_speech_profile_has_its_own_grid(tmp_path):
    pdf = render(speech(), tmp_path, "large", SPEECH_LARGE_PROFILE)
    assert body_line_stats(pdf, 2) == (SPEECH_LARGE_PROFILE.lines_per_page, SPEECH_LARGE_PROFILE.chars_per_line)


def test_first_line_of_a_paragraph_is_indented_two_characters(speech_pdf):
    lines = body_lines(speech_pdf, 1)
    left, _ = type_area_pt()
    opening = next(line for line in lines if line.text.startswith("今天召开"))
    assert opening.x_min - left == pytest.approx(2 * DEFAULT_PROFILE.body_char_pt, abs=TOLERANCE_PT)
    salutation = next(line for line in lines if line.text.startswith("同志们"))
    assert salutation.x_min == pytest.approx(left, abs=TOLERANCE_PT)


def test_title_is_centred_on_the_first_line(speech_pdf):
    first = pdf_pages(speech_pdf)[0]
    title = first.lines[0]
    assert title.text == "在全区重点项目建设推进会上的讲话"
    left, right = type_area_pt()
    assert (title.x_min + title.x_max) / 2 == pytest.approx((left + right) / 2, abs=TOLERANCE_PT)
    top = mm_to_pt(DEFAULT_PROFILE.margins.top_mm)
    assert top <= title.y_min < top + DEFAULT_PROFILE.line_pitch_pt


# Page numbers ----------------------------------------------------------------


def test_odd_page_number_is_right_one_character_in(speech_pdf):
    number = page_number_line(speech_pdf, 1)
    assert number is not None and number.text == "—1—"
    _, right = type_area_pt()
    assert right - number.x_max == pytest.approx(DEFAULT_PROFILE.page_number_size_pt, abs=TOLERANCE_PT)


def test_even_page_number_is_left_one_character_in(speech_pdf):
    number = page_number_line(speech_pdf, 2)
    assert number is not None and number.text == "—2—"
    left, _ = type_area_pt()
    assert number.x_min - left == pytest.approx(DEFAULT_PROFILE.page_number_size_pt, abs=TOLERANCE_PT)


def test_page_number_sits_below_the_type_area(speech_pdf):
    page = pdf_pages(speech_pdf)[0]
    number = page_number_line(speech_pdf, 1)
    type_bottom = page.height - mm_to_pt(DEFAULT_PROFILE.margins.bottom_mm)
    gap_mm = (number.y_min - type_bottom) / 72 * 25.4
    assert 3 < gap_mm < 10


@pytest.fixture(scope="module")
def signature_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A short 署名 (centred over the date) and one too long for that (右空二字)."""
    directory = tmp_path_factory.mktemp("signature")
    signers = {"short": ["某某区人民政府"], "long": ["某某区重点项目建设领导小组办公室"], "two": ["某某区人民政府", "某某区发展和改革局"]}
    paths = []
    for name, lines in signers.items():
        paths.append(directory / f"{name}.docx")
        write_docx(Document(blocks=[Paragraph("正文。"), Signature(lines, date="2026年3月16日")]), paths[-1])
    return dict(zip(signers, docx_to_pdfs(paths, directory)))


def closing_lines(pdf: Path, signers: list[str]) -> tuple[list, object]:
    lines = body_lines(pdf, 1)
    return [next(line for line in lines if line.text == s) for s in signers], next(
        line for line in lines if line.text == "2026年3月16日"
    )


@pytest.mark.parametrize("name", ["short", "long", "two"])
def test_date_is_four_characters_from_the_right_edge(signature_pdfs, name):
    _, right = type_area_pt()
    _, date = closing_lines(signature_pdfs[name], [])
    assert (right - date.x_max) / DEFAULT_PROFILE.body_char_pt == pytest.approx(4, abs=0.3)


@pytest.mark.parametrize("name, signers", [("short", ["某某区人民政府"]), ("two", ["某某区人民政府", "某某区发展和改革局"])])
def test_signature_is_centred_over_the_date(signature_pdfs, name, signers):
    signatures, date = closing_lines(signature_pdfs[name], signers)
    date_centre = (date.x_min + date.x_max) / 2
    for signature in signatures:
        assert ((signature.x_min + signature.x_max) / 2 - date_centre) / DEFAULT_PROFILE.body_char_pt == pytest.approx(
            0, abs=0.3
        )
        assert signature.y_max <= date.y_min


def test_signature_too_long_to_centre_stops_two_characters_in(signature_pdfs):
    _, right = type_area_pt()
    [signature], _ = closing_lines(signature_pdfs["long"], ["某某区重点项目建设领导小组办公室"])
    assert (right - signature.x_max) / DEFAULT_PROFILE.body_char_pt == pytest.approx(2, abs=0.3)


def test_signature_does_not_stand_alone_on_a_page(tmp_path):
    # 21 one-line paragraphs leave one line on page 1: blank, signature and date cannot all follow.
    body = [Paragraph(f"第{n}段。") for n in range(1, 22)]
    pdf = render(Document(blocks=[*body, Signature(["某某区人民政府"], date="2026年3月6日")]), tmp_path, "sig")
    last = pdf_pages_text(pdf)[-1].replace(" ", "")
    assert "某某区人民政府" in last and "第21段" in last


# Notice: red header, table, landscape attachment --------------------------------


def test_red_header_is_red_and_above_the_title(notice_pdf):
    dpi = 40
    red_rows = red_pixel_rows(notice_pdf, 1, dpi)
    assert red_rows, "no red on page 1"
    title = next(line for line in pdf_pages(notice_pdf)[0].lines if line.text.startswith("关于全区"))
    title_row = title.y_min / 72 * dpi
    assert max(red_rows) < title_row
    assert red_pixel_rows(notice_pdf, 2, dpi) == []


def test_organ_name_fits_on_one_line(notice_pdf):
    first = pdf_pages(notice_pdf)[0].lines[0]
    assert first.text == "某某区人民政府办公室"


def test_table_rows_are_single_spaced_not_on_the_body_grid(notice_pdf):
    lines = pdf_pages(notice_pdf)[0].lines
    rows = [line for line in lines if line.text.startswith(("1项目", "2项目", "3项目"))]
    assert len(rows) == 3
    pitch = rows[1].y_min - rows[0].y_min
    assert pitch < DEFAULT_PROFILE.line_pitch_pt - 3


def test_landscape_attachment_page_then_portrait_again(notice_pdf):
    pages = pdf_pages(notice_pdf)
    texts = pdf_pages_text(notice_pdf)
    landscape = [i for i, page in enumerate(pages) if page.width > page.height]
    assert len(landscape) == 1
    index = landscape[0]
    assert texts[index].lstrip().startswith("附件")
    assert "进展情况表" in texts[index]
    assert pages[index + 1].width < pages[index + 1].height
    assert "滞后项目清单" in texts[index + 1]
    assert len(pages) == index + 2  # no blank pages
    # The portrait attachment after the landscape page has the upright number again, the landscape one a turned one.
    after = page_number_line(notice_pdf, index + 2)
    assert after is not None and after.text == f"—{index + 2}—"
    turned = rotated_page_number(notice_pdf, index + 1)
    assert turned is not None and turned.text == f"—{index + 1}—"


def test_attachment_label_is_top_left(notice_pdf):
    pages = pdf_pages(notice_pdf)
    last = pages[-1]
    label = last.lines[0]
    assert label.text == "附件"
    assert label.x_min == pytest.approx(mm_to_pt(DEFAULT_PROFILE.margins.left_mm), abs=TOLERANCE_PT)
    top = mm_to_pt(DEFAULT_PROFILE.margins.top_mm)
    assert top <= label.y_min < top + DEFAULT_PROFILE.line_pitch_pt


# 版记 (imprint) ----------------------------------------------------------------------

IMPRINT = Imprint(cc="区委办公室，区人大常委会办公室，区政协办公室", issuer="某某区人民政府办公室", date="2026年3月6日")


@pytest.fixture(scope="module")
def imprint_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two notices with a 版记: one ending with its body, one with a portrait attachment."""
    directory = tmp_path_factory.mktemp("imprint")
    body = [
        Title(["关于全区重点项目建设进展情况的通报"]),
        Salutation("各街道办事处："),
        *[Paragraph(PLAIN[:270]) for _ in range(3)],  # about 30 lines: page 2 has room for the 版记
        Signature(["某某区人民政府办公室"], date="2026年3月6日"),
    ]
    landscape = Attachment("进展情况表", [Table([["项目", "投资"], ["甲项目", "3.50"]])], landscape=True)
    documents = {
        "body": Document(blocks=body, imprint=IMPRINT),
        "landscape": Document(blocks=[*body, landscape], imprint=IMPRINT),
        "attachment": Document(blocks=[*body, Attachment("滞后项目清单", [Paragraph("某某项目未开工。")])], imprint=IMPRINT),
    }
    paths = []
    for name, document in documents.items():
        paths.append(directory / f"{name}.docx")
        write_docx(document, paths[-1])
    return dict(zip(documents, docx_to_pdfs(paths, directory)))


def imprint_lines(pdf: Path) -> tuple[int, list, object, object]:
    """(last page number, its other lines, the 抄送 line, the 印发 line)."""
    pages = pdf_pages(pdf)
    last = len(pages)
    lines = body_lines(pdf, last)
    cc = next(line for line in lines if line.text.startswith("抄送："))
    issued = next(line for line in lines if line.text.endswith("印发"))
    others = [line for line in lines if line not in (cc, issued)]
    return last, others, cc, issued


def horizontal_rules(pdf: Path, page: int, dpi: int = 72) -> list[float]:
    """Tops (in points) of dark pixel rows that run across at least 95% of the type width."""
    width, height, rgb = pdf_page_pixels(pdf, page, dpi)
    left, right = (round(edge / 72 * dpi) for edge in type_area_pt())
    needed = 0.95 * (right - left)
    rows = []
    for y in range(height):
        row = rgb[y * width * 3 : (y + 1) * width * 3]
        dark = sum(1 for x in range(left - 2, right + 2) if sum(row[x * 3 : x * 3 + 3]) < 3 * 128)
        if dark >= needed:
            rows.append(y)
    groups = [rows[i] for i in range(len(rows)) if i == 0 or rows[i] - rows[i - 1] > 1]
    return [y / dpi * 72 for y in groups]


@pytest.mark.parametrize("name", ["body", "attachment"])
def test_imprint_is_on_the_last_page_below_everything_else(imprint_pdfs, name):
    pdf = imprint_pdfs[name]
    last, others, cc, issued = imprint_lines(pdf)
    assert last > 1
    expected_last_text = "某某项目未开工。" if name == "attachment" else "2026年3月6日"
    assert any(line.text == expected_last_text for line in others)
    assert all(line.y_max <= cc.y_min for line in others)
    assert cc.y_max <= issued.y_min


@pytest.mark.parametrize("name", ["body", "attachment"])
def test_imprint_ends_at_the_bottom_of_the_type_area(imprint_pdfs, name):
    pdf = imprint_pdfs[name]
    page = pdf_pages(pdf)[-1]
    _, _, _, issued = imprint_lines(pdf)
    type_bottom = page.height - mm_to_pt(DEFAULT_PROFILE.margins.bottom_mm)
    assert 0 <= type_bottom - issued.y_max < DEFAULT_PROFILE.line_pitch_pt


def test_imprint_lines_keep_one_character_from_the_type_area_edges(imprint_pdfs):
    _, _, cc, issued = imprint_lines(imprint_pdfs["body"])
    left, right = type_area_pt()
    char = DEFAULT_PROFILE.imprint_size_pt
    assert cc.x_min - left == pytest.approx(char, abs=TOLERANCE_PT)
    assert issued.x_min - left == pytest.approx(char, abs=TOLERANCE_PT)
    assert right - issued.x_max == pytest.approx(char, abs=TOLERANCE_PT)
    body = next(line for line in imprint_lines(imprint_pdfs["body"])[1] if len(line.text) > 20)
    assert cc.y_max - cc.y_min < body.y_max - body.y_min  # 4号, smaller than the 3号 body text


def test_imprint_sits_between_three_type_width_rules(imprint_pdfs):
    pdf = imprint_pdfs["body"]
    last, _, cc, issued = imprint_lines(pdf)
    rules = horizontal_rules(pdf, last)
    assert len(rules) == 3
    first, middle, final = rules
    assert first <= cc.y_min and cc.y_max <= middle <= issued.y_min and issued.y_max <= final + 1


def test_page_with_the_imprint_keeps_the_usual_layout(imprint_pdfs):
    pdf = imprint_pdfs["attachment"]
    last, others, _, _ = imprint_lines(pdf)
    assert pdf_pages(pdf)[-1].width < pdf_pages(pdf)[-1].height  # portrait A4
    number = page_number_line(pdf, last)
    assert number is not None and number.text == f"—{last}—"
    label = others[0]
    assert label.text == "附件"
    left, _ = type_area_pt()
    assert label.x_min == pytest.approx(left, abs=TOLERANCE_PT)
    top = mm_to_pt(DEFAULT_PROFILE.margins.top_mm)
    assert top <= label.y_min < top + DEFAULT_PROFILE.line_pitch_pt


def test_page_holding_only_the_imprint_has_no_page_number(imprint_pdfs):
    pdf = imprint_pdfs["landscape"]
    pages = pdf_pages(pdf)
    last, others, _, _ = imprint_lines(pdf)
    assert others == [] and pages[-1].width < pages[-1].height
    assert page_number_line(pdf, last) is None
    before = rotated_page_number(pdf, last - 1)  # the landscape page before keeps its number
    assert before is not None and before.text == f"—{last - 1}—"


def test_body_text_above_the_imprint_stays_on_the_grid(imprint_pdfs):
    pdf = imprint_pdfs["body"]
    _, others, _, _ = imprint_lines(pdf)
    tops = [line.y_min for line in others]
    gaps = [b - a for a, b in zip(tops, tops[1:])]
    pitches = [gap / DEFAULT_PROFILE.line_pitch_pt for gap in gaps]
    assert len(others) > 5 and all(abs(pitch - round(pitch)) < 0.05 for pitch in pitches)
    left, _ = type_area_pt()
    assert min(line.x_min for line in others) == pytest.approx(left, abs=TOLERANCE_PT)


# The helper itself ---------------------------------------------------------------


def test_missing_soffice_skips_locally_but_fails_in_ci(monkeypatch, tmp_path):
    import rendering

    monkeypatch.setattr(rendering.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        rendering.docx_to_pdf(tmp_path / "a.docx", tmp_path)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        rendering.docx_to_pdf(tmp_path / "a.docx", tmp_path)
