"""``drafting compare``: how much of a new draft repeats an old one."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand
from drafting.compare import compare_files
from drafting.compare_report import comparison_json, format_comparison


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("old", type=click.Path(path_type=Path), metavar="旧稿")
@click.argument("new", type=click.Path(path_type=Path), metavar="新稿")
@click.option("--priorities", "priorities_file", type=click.Path(path_type=Path), metavar="文件", help="重点工作清单 priorities.yaml；给了就比较两稿对各项重点工作的覆盖。")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="报告格式（缺省 text）；json 的 share 为重复率（0～1），pairs 为重复的句子。")
def compare(old: Path, new: Path, priorities_file: Path | None, output_format: str) -> None:
    """比较新稿与旧稿（如去年的讲话稿）：新稿有多少句与旧稿相同或近似、各在哪里，重点工作覆盖和数字有何变化。

    \b
    示例：
      drafting compare 去年讲话.docx 今年讲话.docx
      drafting compare 去年讲话.docx 今年讲话.docx --priorities priorities.yaml
      drafting compare 去年讲话.docx 今年讲话.docx --format json
    """
    priorities = None
    if priorities_file is not None:
        from drafting.priorities import load_priorities

        priorities = load_priorities(priorities_file)
    result = compare_files(old, new, priorities)
    click.echo(comparison_json(result) if output_format == "json" else format_comparison(result))
