"""``drafting example``: write the built-in example meeting folder."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand
from drafting.example import write_example
from drafting.kinds import KINDS


def _check_kind(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value not in KINDS:
        raise click.BadParameter(f"未知的会议种类“{value}”，应为以下之一：{'、'.join(KINDS)}")
    return value


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("folder", type=click.Path(path_type=Path), default="示例会议")
@click.option("--force", is_flag=True, help="覆盖文件夹中已有的示例文件。")
@click.option("--kind", callback=_check_kind, default="推进会", metavar="种类", help=f"会议种类（{'、'.join(KINDS)}，缺省 推进会）：示例 meeting.yaml 按该种类写。")
def example(folder: Path, force: bool, kind: str) -> None:
    """写出一个完整的示例会议文件夹（会议信息、项目台账、重点工作清单）。

    \b
    示例：
      drafting example 示例会议
      drafting build 示例会议
      drafting example 动员会 --kind 动员部署会
    """
    written = write_example(folder, force=force, kind=kind)
    click.echo(f"已写出示例会议：{folder}")
    for path in written:
        click.echo(f"  {path.relative_to(folder).as_posix()}")
    click.echo(f"下一步：drafting build {folder}")
    click.echo(
        "要用 Word 编辑责任书、讲话稿的版面和措辞：把 目标责任书（Word模板示例）.docx、讲话稿（Word模板示例）.docx "
        "改名为 目标责任书.docx、讲话稿.docx，放到会议文件夹的 templates/ 下（说明见 docs/word-templates.md）"
    )
    click.echo("要在本单位的红头文件上生成：把 版式示例.docx（或本单位的红头文件）放到会议文件夹的 版式/ 下，改名为 默认.docx（说明见 docs/house.md）")
