"""``drafting example``: write the built-in example meeting folder."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand
from drafting.example import write_example


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("folder", type=click.Path(path_type=Path), default="示例会议")
@click.option("--force", is_flag=True, help="覆盖文件夹中已有的示例文件。")
def example(folder: Path, force: bool) -> None:
    """写出一个完整的示例会议文件夹（会议信息、项目台账、重点工作清单）。

    \b
    示例：
      drafting example 示例会议
      drafting build 示例会议
    """
    written = write_example(folder, force=force)
    click.echo(f"已写出示例会议：{folder}")
    for path in written:
        click.echo(f"  {path.name}")
    click.echo(f"下一步：drafting build {folder}")
