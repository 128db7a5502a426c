"""``drafting check``: check drafts and print a report; exit 0 (clean), 1 (errors found), 2 (bad input)."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.check import RULES, CheckConfig, check_files
from drafting.check.config import parse_rule_ids, parse_severity_overrides
from drafting.check.report import format_json, format_text
from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand

_RULE_LIST = "、".join(RULES)


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件...")
@click.option("--priorities", "priorities_file", type=click.Path(path_type=Path), metavar="文件", help="重点工作清单 priorities.yaml；不给则不做覆盖检查。")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="报告格式（缺省 text）。")
@click.option("--annotate", "annotate_dir", type=click.Path(path_type=Path), metavar="文件夹", help="把带批注的 .docx 副本写到此文件夹（原文件不动；同名文件已存在时另取名，如 稿-批注_2.docx）。")
@click.option("--select", "select", metavar="IDS", help=f"只运行这些规则，逗号分隔（{_RULE_LIST}）。")
@click.option("--ignore", "ignore", metavar="IDS", help="不运行这些规则，逗号分隔。")
@click.option("--severity", "severity", metavar="规则=级别", multiple=True, help="改变规则级别，如 repeat=error；级别为 error、warning、info。可多次使用。")
@click.option("--terms", "term_files", type=click.Path(path_type=Path), multiple=True, metavar="文件", help="追加的过时提法清单（YAML，格式见 docs/rules/outdated-term.md）。可多次使用。")
@click.option("--two-level", "two_level", type=click.Choice(["error", "warning", "info", "off"]), default="warning", help="只有两级标题（一、之下直接用 1.）时的级别（缺省 warning；off 为不报）。")
@click.option("--keywords", "keyword_count", type=click.IntRange(0, 100), default=10, metavar="N", help="报告中列出的关键词个数（0～100，缺省 10）。")
def check(
    files: tuple[Path, ...],
    priorities_file: Path | None,
    output_format: str,
    annotate_dir: Path | None,
    select: str | None,
    ignore: str | None,
    severity: tuple[str, ...],
    term_files: tuple[Path, ...],
    keyword_count: int,
    two_level: str,
) -> None:
    """检查讲话稿等草稿（.docx、.txt、.md）：重点工作覆盖、占位符、序号、数量声明、过时提法、重复语句。

    退出状态：0 未发现错误；1 发现错误级别的问题；2 输入有误。规则说明见 docs/check.md。

    \b
    示例：
      drafting check 讲话稿.docx --priorities priorities.yaml
      drafting check 初稿.txt --ignore repeat --severity outdated-term=error
      drafting check 讲话稿.docx --format json --annotate 批注稿
    """
    if annotate_dir is not None:
        from drafting.check.annotate import check_annotate_dir  # python-docx: only for --annotate

        check_annotate_dir(annotate_dir)
    priorities = None
    if priorities_file is not None:
        from drafting.priorities import load_priorities

        priorities = load_priorities(priorities_file)
    config = CheckConfig(
        priorities=priorities,
        select=parse_rule_ids(select),
        ignore=parse_rule_ids(ignore) or frozenset(),
        severities=parse_severity_overrides(severity),
        term_files=list(term_files),
        keyword_count=keyword_count,
        two_level=two_level,
    )
    report = check_files(files, config)
    click.echo(format_json(report) if output_format == "json" else format_text(report))
    if annotate_dir is not None:
        from drafting.check.annotate import annotate_report

        written, skipped = annotate_report(report.files, annotate_dir)
        for path in written:
            click.echo(f"已写出批注稿：{path}", err=True)
        for path in skipped:
            click.echo(f"{path.name}：批注只适用于 .docx 文件，已跳过", err=True)
    click.get_current_context().exit(1 if report.has_errors else 0)
