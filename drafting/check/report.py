"""Format a check Report as Chinese text or as JSON (schema in docs/check.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from drafting.check.model import SEVERITY_NAMES, CoverageRow, FileReport, Report


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_coverage(rows: Sequence[CoverageRow]) -> str:
    """The coverage table: priority × mentions × sections, one row per priority."""
    header = ("重点工作", "提及次数", "所在部分")
    table = [
        (
            row.priority,
            f"{row.hits}" + ("" if row.satisfied else f"（要求≥{row.required}{'，须入标题' if row.in_heading else ''}）"),
            "；".join(row.sections) or "—",
        )
        for row in rows
    ]
    first = max(_width(r[0]) for r in [header, *table])
    second = max(_width(r[1]) for r in [header, *table])
    lines = [f"{_pad(a, first)}  {_pad(b, second)}  {c}" for a, b, c in [header, *table]]
    return "\n".join(lines)


def _summary(file: FileReport) -> str:
    if not file.findings:
        return "未发现问题"
    parts = [f"错误 {file.errors} 处"] if file.errors else []
    if file.warnings:
        parts.append(f"警告 {file.warnings} 处")
    others = len(file.findings) - file.errors - file.warnings
    if others:
        parts.append(f"提示 {others} 处")
    return "，".join(parts)


def format_file(file: FileReport) -> str:
    lines = [f"{file.path}：{_summary(file)}"]
    for finding in file.findings:
        where = f"第{finding.paragraph}段" if finding.paragraph is not None else "全文"
        if finding.heading:
            where += f"  〔{finding.heading}〕"
        lines.append(f"  {where}")
        if finding.text:
            lines.append(f"    “{finding.text}”")
        lines.append(f"    [{SEVERITY_NAMES[finding.severity]}] {finding.rule}：{finding.message}")
    if file.coverage is not None:
        lines.append("  重点工作覆盖情况：")
        if file.coverage:
            lines.extend(f"    {line}" for line in format_coverage(file.coverage).splitlines())
        else:
            lines.append("    （重点工作清单为空）")
    if file.keywords:
        lines.append(f"  关键词：{'、'.join(file.keywords)}")
    return "\n".join(lines)


def format_text(report: Report) -> str:
    """The Chinese text report, grouped by file."""
    blocks = [format_file(file) for file in report.files]
    errors = sum(f.errors for f in report.files)
    warnings = sum(f.warnings for f in report.files)
    blocks.append(f"共检查 {len(report.files)} 个文件：错误 {errors} 处，警告 {warnings} 处。")
    return "\n\n".join(blocks)


def format_json(report: Report) -> str:
    """JSON per docs/check.md: {"files": [{"path", "findings", "coverage", "keywords"}]}."""
    import json  # only for --format json

    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
