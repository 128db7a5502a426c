"""``drafting templates``: list, show and copy templates of the library."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseGroup
from drafting.errors import InputError, Location
from drafting.folder import TEMPLATES_DIR
from drafting.templating.library import ENV_VAR, ORIGIN_NAMES, copy_template, find_template, library_roots, list_templates, user_library_dir


def _meeting_templates(folder: Path | None) -> Path | None:
    if folder is None:
        return None
    if not folder.is_dir():
        raise InputError("会议文件夹不存在", Location(file=str(folder)))
    return folder / TEMPLATES_DIR


_FOLDER_OPTION = click.option(
    "--folder", "-m", type=click.Path(path_type=Path), metavar="会议文件夹", help="同时查找该会议文件夹 templates/ 下的模板。"
)


@click.group(cls=ChineseGroup, context_settings=CONTEXT_SETTINGS)
def templates() -> None:
    """模板库：列出、查看模板，复制内置模板到会议文件夹中修改。

    查找顺序：会议文件夹的 templates/ → 个人模板库 → 内置模板，先找到的为准。
    个人模板库位置可用环境变量 DRAFTING_TEMPLATES 指定（详见 docs/templates.md）。

    \b
    示例：
      drafting templates list
      drafting templates show speech/closing
      drafting templates copy speech/closing 今年会议
    """


@templates.command("list")
@_FOLDER_OPTION
def list_command(folder: Path | None) -> None:
    """列出全部模板：名称、来源和一句话说明。"""
    meeting_templates = _meeting_templates(folder)
    click.echo("查找顺序：")
    for index, (origin, root) in enumerate(library_roots(meeting_templates), start=1):
        click.echo(f"  {index}. {_origin(origin)}：{root}")
    user = user_library_dir()
    if not user.is_dir():
        click.echo(f"  （个人模板库 {user} 尚未建立；可用环境变量 {ENV_VAR} 另指位置）")
    click.echo("")
    infos = list_templates(meeting_templates)
    width = max(len(info.name) for info in infos)
    for info in infos:
        shadow = f"（覆盖了{'、'.join(_origin(o) for o in info.shadows)}的同名模板）" if info.shadows else ""
        click.echo(f"{info.name:<{width}}  [{info.origin_name}]  {info.description}{shadow}")


def _origin(origin: str) -> str:
    return ORIGIN_NAMES[origin]


@templates.command("show")
@click.argument("name", metavar="名称")
@_FOLDER_OPTION
def show_command(name: str, folder: Path | None) -> None:
    """显示模板全文（名称如 speech、speech/closing；builtin/ 开头只看内置的）。"""
    info = find_template(name, _meeting_templates(folder))
    click.echo(f"{{# {info.name}  来源：{info.origin_name}  {info.path} #}}")
    click.echo(info.path.read_text(encoding="utf-8-sig"), nl=False)


@templates.command("copy")
@click.argument("name", metavar="名称")
@click.argument("folder", type=click.Path(path_type=Path), metavar="会议文件夹")
@click.option("--force", is_flag=True, help="覆盖会议文件夹中已有的同名模板。")
def copy_command(name: str, folder: Path, force: bool) -> None:
    """把内置模板复制到会议文件夹的 templates/ 下，以便修改；不加 --force 不覆盖已有文件。"""
    written = copy_template(name, folder, force=force)
    for path in written:
        click.echo(f"已复制到：{path}")
    click.echo("修改这份模板后重新生成即可；只想改其中一段时，可改用 {% extends %} 只覆盖一个 block（见 docs/templates.md）。")
