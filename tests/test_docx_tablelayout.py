"""Column widths from the content: figures and labels never wrap, headers wrap between words only."""

from __future__ import annotations

import pytest

from drafting.docx.tablelayout import is_figure, plan_table, text_em

HEADER = ["序号", "项目名称", "建设内容", "年度计划投资", "节点目标/完成时限", "责任领导"]
LONG = "建设铝合金光伏边框及跟踪支架生产线，年产边框1500万套，配套建设仓储物流中心"


def rows(count: int) -> list[list[str]]:
    return [HEADER] + [[str(i), f"第{i}号光伏组件项目", LONG, "12.45", "2026年12月底前竣工投产并达到设计产能", "李某某"] for i in range(1, count + 1)]


def test_widths_fill_the_available_width():
    layout = plan_table(rows(3), 1, 32)
    assert sum(layout.widths_em) == pytest.approx(32)


def test_figure_and_label_columns_are_wide_enough_never_to_wrap():
    layout = plan_table(rows(3), 1, 32)
    assert layout.widths_em[0] >= text_em("3")
    assert layout.widths_em[3] >= text_em("12.45")
    assert layout.widths_em[5] >= text_em("李某某")


def test_header_breaks_only_between_words():
    layout = plan_table(rows(3), 1, 32)
    lines = layout.header_lines[0][3]
    assert "".join(lines) == "年度计划投资"
    assert lines in (["年度计划投资"], ["年度计划", "投资"], ["年度", "计划投资"], ["年度", "计划", "投资"])


def test_long_text_columns_take_the_rest_in_the_authors_proportions():
    weights = [1, 2, 6, 1, 2, 1]
    layout = plan_table(rows(3), 1, 40, weights=weights)
    assert layout.widths_em[2] > layout.widths_em[1] > layout.widths_em[0]


def test_a_long_text_column_keeps_a_few_characters_a_line():
    layout = plan_table(rows(3), 1, 32, weights=[10, 10, 0.1, 10, 10, 10])
    assert layout.widths_em[2] >= 6


@pytest.mark.parametrize("text, expected", [("2.5", True), ("1,200", True), ("-3.1", True), ("100.0%", True), ("高3.2个百分点", False), ("", False)])
def test_is_figure(text, expected):
    assert is_figure(text) is expected


def test_autospace_counts_between_chinese_and_digits():
    assert text_em("低15.8个百分点") == pytest.approx(1 + 1.75 + 4 + 0.5)
    assert text_em("低15.8个百分点", autospace_em=0) == pytest.approx(6.75)
