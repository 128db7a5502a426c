"""``drafting house check`` (also ``drafting 版式 检查``): a house 版式 file against GB/T 9704."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseGroup
from drafting.house.inspect import inspect_house_file
from drafting.house.inspect_report import format_json, format_text


class HouseGroup(ChineseGroup):
    aliases = {"检查": "check"}


@click.group(cls=HouseGroup, context_settings=CONTEXT_SETTINGS)
def house() -> None:
    """版式文件（本单位的红头 Word 文件）：检查页面、行数字数、字体、页码和正文标记是否合用、合乎 GB/T 9704。

    版式文件放在会议文件夹或个人模板库的 版式/ 下（通报.docx、讲话稿.docx、责任书.docx 或 默认.docx）。

    在版头之后单独一段写 {{正文}}，生成的正文就放在那里（详见 docs/house.md）。

    命令也可写作中文：drafting 版式 检查 文件。

    \b
    示例：
      drafting house check 版式/通报.docx
      drafting 版式 检查 版式/通报.docx --format json
    """


@house.command("check")
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="报告格式（缺省 text）。")
@click.option(
    "--folder", "-m", type=click.Path(path_type=Path), metavar="会议文件夹", help="同时按该会议的 meeting.yaml 核对字段：未知的字段即为错误。"
)
def check_command(file: Path, output_format: str, folder: Path | None) -> None:
    """报告版式文件的纸张、页边距、文档网格、字体、页码、正文标记和字段，逐项对照 GB/T 9704。

    退出状态：0 可以使用（可有“注意”项），1 不能用作版式文件（如没有 {{正文}} 标记），
    2 文件无法读取（损坏、旧版 .doc/.wps 等）。
    """
    known = None
    if folder is not None:
        from drafting.folder import MEETING_FILE
        from drafting.house.splice import known_fields
        from drafting.meeting import load_meeting

        known = known_fields(load_meeting(folder / MEETING_FILE))
    inspection = inspect_house_file(file, known=known)
    click.echo(format_json(inspection) if output_format == "json" else format_text(inspection))
    click.get_current_context().exit(0 if inspection.usable else 1)
