"""``drafting outline``: the heading tree of a speech, or a meeting folder that rebuilds it."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand
from drafting.outline import read_outline
from drafting.outline_report import format_outline, outline_json


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="输出格式（缺省 text）。")
@click.option("--to-meeting", "folder", type=click.Path(path_type=Path), metavar="文件夹", help="把这篇讲话写成会议文件夹（meeting.yaml 等），可用 drafting build 原样重新生成。")
@click.option("--force", is_flag=True, help="覆盖文件夹中已有的 meeting.yaml、priorities.yaml、projects.xlsx。")
def outline(file: Path, output_format: str, folder: Path | None, force: bool) -> None:
    """列出讲话稿（.docx、.txt、.md）的层次结构：各级标题、标题后接正文、一是二是列举、数量声明和数字所在段落。

    加 --to-meeting 时把讲话稿写成会议文件夹，讲话内容逐字写入 meeting.yaml。

    \b
    示例：
      drafting outline 去年讲话.docx
      drafting outline 去年讲话.docx --format json
      drafting outline 去年讲话.docx --to-meeting 今年推进会
      drafting build 今年推进会 --only speech
    """
    result = read_outline(file)
    if folder is None:
        click.echo(outline_json(result) if output_format == "json" else format_outline(result))
        return
    from drafting.outline_meeting import write_meeting_folder

    written = write_meeting_folder(result, folder, force=force)
    click.echo(f"已写出会议文件夹：{folder}")
    for path in written.written:
        click.echo(f"  {path.name}")
    click.echo(f"讲话稿：{sum(1 for _ in result.nodes())} 个标题，{written.figures} 处含数字的段落已在 meeting.yaml 中用“# 数据：”标出。")
    if written.placeholders:
        click.echo(f"“我讲几点意见”等 {written.placeholders} 处数量已改为自动计数（[[count]]），增删部分或列举项后数字随之变化。")
    for note in written.notes:
        click.echo(f"说明：{note}")
    if written.differences:
        click.echo("提醒：按 meeting.yaml 重新生成的讲话稿与原稿有以下不同：")
        for line in written.differences:
            click.echo(f"  {line}")
    else:
        click.echo("已核对：按 meeting.yaml 重新生成的讲话稿与原稿的标题、层级和语句一致。")
    click.echo(f"下一步：drafting build {folder} --only speech")
