"""Reports: Chinese text grouped by file, coverage table, library API on documents, large drafts."""

from __future__ import annotations

import json
from pathlib import Path

from checkhelp import CORRECT_SPEECH, FLAWED_SPEECH, PRIORITIES, write_text
from drafting.check import RULES, CheckConfig, check_document, check_files, check_generated
from drafting.check.model import CoverageRow, Report
from drafting.check.report import format_coverage, format_json, format_text
from drafting.check.units import draft_units
from drafting.document import Document, Heading, Paragraph
from drafting.priorities import load_priorities
from drafting.readers import load_draft


def test_registry_lists_the_rules_with_default_severities() -> None:
    assert {rule_id: rule.default_severity for rule_id, rule in RULES.items()} == {
        "coverage": "error",
        "placeholder": "error",
        "numbering": "error",
        "declared-count": "error",
        "punctuation": "error",
        "number-usage": "error",
        "date": "error",
        "doc-number": "error",
        "confused-word": "error",
        "outdated-term": "warning",
        "repeat": "warning",
    }


def test_text_report_groups_by_file_and_sums_up() -> None:
    report = check_files([FLAWED_SPEECH, CORRECT_SPEECH], CheckConfig(priorities=load_priorities(PRIORITIES)))
    text = format_text(report)
    flawed_at = text.index("flawed_speech.txt：错误")
    correct_at = text.index("correct_speech.txt：未发现问题")
    assert flawed_at < correct_at
    errors = report.files[0].errors
    warnings = report.files[0].warnings
    assert text.rstrip().endswith(f"共检查 2 个文件：错误 {errors} 处，警告 {warnings} 处。")
    assert "    “下面，我讲四点意见：”\n    [错误] declared-count：" in text


def test_findings_are_in_paragraph_order_with_whole_document_first() -> None:
    findings = check_files([FLAWED_SPEECH], CheckConfig(priorities=load_priorities(PRIORITIES))).files[0].findings
    paragraphs = [f.paragraph for f in findings]
    located = [p for p in paragraphs if p is not None]
    assert paragraphs[: paragraphs.count(None)] == [None] * paragraphs.count(None)
    assert located == sorted(located)


def test_coverage_table_marks_unmet_requirements() -> None:
    table = format_coverage(
        [
            CoverageRow("双招双引", 3, ["一、甲", "二、乙"], required=2),
            CoverageRow("要素保障", 0, [], required=1, in_heading=True),
        ]
    ).splitlines()
    assert table[0].split() == ["重点工作", "提及次数", "所在部分"]
    assert table[1].split() == ["双招双引", "3", "一、甲；二、乙"]
    assert table[2].split() == ["要素保障", "0（要求≥1，须入标题）", "—"]


def test_check_document_on_a_generated_document() -> None:
    document = Document(
        blocks=[
            Paragraph("下面，我讲两点意见："),
            Heading(1, "提高站位", "一、"),
            Paragraph("请XX单位抓好落实。"),
        ]
    )
    findings = check_document(document)
    assert [(f.rule, f.paragraph) for f in findings] == [("declared-count", 1), ("placeholder", 3)]
    assert findings[1].heading == "一、提高站位"


def test_check_generated_gives_coverage_for_build(tmp_path: Path) -> None:
    document = Document(blocks=[Heading(1, "持续深化双招双引", "一、"), Paragraph("抓好招商引资。")])
    report = check_generated(document, tmp_path / "讲话稿.docx", CheckConfig(priorities=load_priorities(PRIORITIES)))
    assert report.coverage[0].priority == "双招双引" and report.coverage[0].hits == 2
    data = json.loads(format_json(Report(files=[report])))
    assert data["files"][0]["coverage"][0] == {"priority": "双招双引", "hits": 2, "sections": ["一、持续深化双招双引"]}


def test_large_gbk_draft_gives_a_correct_result(tmp_path: Path) -> None:
    copies = 40
    lines = CORRECT_SPEECH.read_text(encoding="utf-8").strip().splitlines()
    path = write_text(tmp_path, "\n".join(lines[:3] + lines[3:] * copies), "large.txt", encoding="gb18030")
    once = [u for u in draft_units(load_draft(CORRECT_SPEECH)) if u.kind == "body" and len(u.text) >= 10]
    findings = check_files([path], CheckConfig(select=frozenset({"repeat"}))).files[0].findings
    assert len([f for f in findings if "完全相同" in f.message]) == (copies - 1) * len(once)


def test_generated_and_read_back_paragraph_numbers_agree(tmp_path: Path) -> None:
    from drafting.check.units import document_units
    from drafting.docx.writer import write_docx
    from drafting.document import RedHeader
    from drafting.markup import parse_markup

    document = parse_markup(
        "::title 关于全区重点项目\n::title 建设进展情况的通报\n::salutation 各街道办事处：\n现将有关情况通报如下：\n\n"
        "# 总体进展\n正文。\n- 一项\n- 二项\n\n特此通报。\n::signature 某某区人民政府\n::date 2026年3月6日\n"
        "::attachment 推进情况表\n| 甲 | 乙 |\n| 1 | 2 |\n::attachment 问题清单\n# 问题\n正文二。\n"
    )
    document.red_header = RedHeader(organ="某某区人民政府办公室", number="某政办发〔2026〕12号")
    path = tmp_path / "通报.docx"
    write_docx(document, path)
    generated = [(u.paragraph, u.kind) for u in document_units(document) if u.kind != "note"]
    read_back = [(u.paragraph, u.kind) for u in draft_units(load_draft(path)) if u.kind != "note"]
    assert generated == read_back
