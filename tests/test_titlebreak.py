"""Long titles break between words into an even trapezoid, in the model-independent writer step."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from rendering import docx_to_pdf, pdf_pages_text

from drafting.document import Document, Paragraph, Salutation, Title
from drafting.docx.profile import DEFAULT_PROFILE
from drafting.docx.styles import text_width_chars
from drafting.docx.writer import write_docx
from drafting.titlebreak import break_title
from drafting.tokens import token_boundaries

WIDTH = DEFAULT_PROFILE.title_chars_per_line  # 20 characters of 2号 type on 156 mm


def lines_of(title: str) -> list[str]:
    return break_title(title, WIDTH, text_width_chars)


def test_a_title_that_fits_stays_on_one_line() -> None:
    assert lines_of("关于全区重点项目建设进展情况的通报") == ["关于全区重点项目建设进展情况的通报"]


@pytest.mark.parametrize(
    "title",
    [
        "关于2026年一季度全区重点项目建设进展情况的通报",
        "在全区重点项目建设暨营商环境优化提升推进会上的讲话",
        "关于印发《某某区2026年度重点项目建设攻坚行动实施方案》的通知",
        "关于进一步加强和改进全区重点项目建设调度督导考核工作推动项目早开工早投产早见效的实施意见",
    ],
)
def test_long_titles_break_between_words_and_fit(title: str) -> None:
    lines = lines_of(title)
    assert len(lines) >= 2 and "".join(lines) == title
    assert all(text_width_chars(line) <= WIDTH for line in lines)
    bounds = token_boundaries(title)
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        assert offset in bounds, (title, lines)  # never inside a word


def test_two_lines_are_even_with_the_shorter_on_top() -> None:
    top, bottom = lines_of("关于2026年一季度全区重点项目建设进展情况的通报")
    assert text_width_chars(top) <= text_width_chars(bottom)
    assert text_width_chars(bottom) - text_width_chars(top) <= 6


def test_numbers_stay_with_their_unit() -> None:
    assert lines_of("区经济开发区管委会2026年度重点项目建设目标责任书") == [
        "区经济开发区管委会",
        "2026年度重点项目建设目标责任书",
    ]


def test_a_break_outside_book_title_marks_is_preferred() -> None:
    lines = lines_of("关于转发《重点项目建设管理办法》的通知和有关工作安排的意见")
    assert lines[0].count("《") == lines[0].count("》")


def written_title(tmp_path: Path, title: Title) -> list[str]:
    path = tmp_path / "t.docx"
    write_docx(Document(blocks=[title, Salutation("各街道："), Paragraph("正文。")]), path)
    paragraph = docx.Document(str(path)).paragraphs[0]
    return paragraph.text.split("\n")


def test_writer_breaks_a_long_single_line_title(tmp_path: Path) -> None:
    title = "关于2026年一季度全区重点项目建设进展情况的通报"
    assert written_title(tmp_path, Title([title])) == lines_of(title)


def test_writer_keeps_a_title_broken_by_hand(tmp_path: Path) -> None:
    lines = ["关于2026年一季度全区重点项目", "建设进展情况的通报"]
    assert written_title(tmp_path, Title(lines)) == lines


@pytest.mark.render
def test_rendered_long_title_takes_two_whole_lines(tmp_path: Path) -> None:
    title = "关于2026年一季度全区重点项目建设进展情况的通报"
    path = tmp_path / "t.docx"
    write_docx(Document(blocks=[Title([title]), Salutation("各街道："), Paragraph("正文。")]), path)
    first_page = pdf_pages_text(docx_to_pdf(path, tmp_path))[0]
    rendered = [line.replace(" ", "") for line in first_page.splitlines() if line.strip()][:2]
    assert rendered == lines_of(title)
