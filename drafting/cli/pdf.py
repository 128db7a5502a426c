"""``drafting pdf``: PDF copies of Word files, through LibreOffice."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand
from drafting.pdf import convert_files


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="覆盖已有的同名 PDF。")
def pdf(files: tuple[Path, ...], force: bool) -> None:
    """把 Word 文档（.docx）转换为 PDF，存在原文件旁边（需要安装 LibreOffice）。

    字体按 GB/T 9704 的用字换成本机的免费字体（仿宋、楷体、黑体、小标宋），
    分页可能与装有方正字体的 Word 略有不同，正式印发请以 Word 为准。

    \b
    示例：
      drafting pdf 输出/讲话稿.docx
      drafting pdf 输出/目标责任书/*.docx --force
    """
    written = convert_files(list(files), force=force)
    click.echo(f"已生成 {len(written)} 个 PDF：")
    for path in written:
        click.echo(f"  {path}")
