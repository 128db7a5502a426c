"""Command line: thin click commands over the library (``drafting build|example|check|outline|compare|serve``)."""

from __future__ import annotations

import click

from drafting import __version__
from drafting.cli.base import CONTEXT_SETTINGS, ChineseGroup
from drafting.cli.build import build
from drafting.cli.check import check
from drafting.cli.compare import compare
from drafting.cli.example import example
from drafting.cli.outline import outline
from drafting.cli.serve import serve


@click.group(cls=ChineseGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", message="drafting %(version)s", help="显示版本并退出。")
def cli() -> None:
    """推进会公文起草与核稿工具。

    由会议数据（meeting.yaml、项目台账、重点工作清单）生成符合 GB/T 9704-2012
    的讲话稿、目标责任书和进度通报，并检查任意草稿中的常见问题。

    \b
    示例：
      drafting example 示例会议     写出一个完整的示例会议文件夹
      drafting build 示例会议       生成 示例会议/输出/ 下的全部文件
      drafting check 讲话稿.docx --priorities priorities.yaml
      drafting outline 去年讲话.docx --to-meeting 今年会议   由去年的讲话稿得到会议文件夹
      drafting compare 去年讲话.docx 今年讲话.docx          新稿与旧稿重复了多少
      drafting serve                                       在浏览器中使用（网页版）
    """


cli.add_command(example)
cli.add_command(build)
cli.add_command(check)
cli.add_command(outline)
cli.add_command(compare)
cli.add_command(serve)


def main() -> None:
    cli(prog_name="drafting")
