"""``drafting templates``: list, show and copy templates of the library."""

from __future__ import annotations

from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseGroup
from drafting.errors import InputError, Location
from drafting.folder import TEMPLATES_DIR
from drafting.templating.library import ENV_VAR, ORIGIN_NAMES, copy_template, find_template, library_roots, list_templates, user_library_dir
from drafting.wordlibrary import (
    WORD_KINDS,
    copy_word_example,
    find_word_template_info,
    list_word_templates,
    word_kind,
    word_template_fields,
)


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
    Word 模板（目标责任书.docx、进度通报.docx、讲话稿.docx）同样先找会议文件夹、再找个人模板库，
    没有内置的，可复制示例（详见 docs/word-templates.md）。

    \b
    示例：
      drafting templates list -m 今年会议
      drafting templates show speech/closing
      drafting templates copy speech/closing 今年会议
      drafting templates show 目标责任书.docx -m 今年会议
      drafting templates copy 目标责任书.docx 今年会议
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
    _list_word(meeting_templates)


def _list_word(meeting_templates: Path | None) -> None:
    click.echo("")
    click.echo("Word 模板（会议文件夹 templates/ → 个人模板库，先找到的为准；见 docs/word-templates.md）：")
    infos = list_word_templates(meeting_templates)
    for info in infos:
        shadow = f"（覆盖了{'、'.join(_origin(o) for o in info.shadows)}的同名模板）" if info.shadows else ""
        click.echo(f"{info.kind.filename}  [{info.origin_name}]  {info.kind.purpose}{shadow}")
        click.echo(f"    {info.path}")
        if info.problem:
            click.echo(f"    无法使用，生成时会报错：{info.problem}")
    unused = [kind for kind in WORD_KINDS if kind not in {info.kind for info in infos}]
    if unused:
        where = "会议文件夹 templates/ 或个人模板库" if meeting_templates is not None else "个人模板库（加 -m 会议文件夹 同时查看会议的）"
        click.echo(f"未使用：{'、'.join(kind.filename for kind in unused)}（{where}中没有，生成时用内置模板）")
        examples = [kind.filename for kind in unused if kind.example is not None]
        if examples:
            click.echo(f"  复制示例：drafting templates copy {examples[0]} 会议文件夹")


def _origin(origin: str) -> str:
    return ORIGIN_NAMES[origin]


@templates.command("show")
@click.argument("name", metavar="名称")
@_FOLDER_OPTION
def show_command(name: str, folder: Path | None) -> None:
    """显示模板全文（名称如 speech、speech/closing；builtin/ 开头只看内置的）；Word 模板显示其中的字段和标签。"""
    kind = word_kind(name)
    if kind is not None:
        _show_word(find_word_template_info(kind, _meeting_templates(folder)))
        return
    info = find_template(name, _meeting_templates(folder))
    click.echo(f"{{# {info.name}  来源：{info.origin_name}  {info.path} #}}")
    click.echo(info.path.read_text(encoding="utf-8-sig"), nl=False)


def _show_word(info) -> None:
    click.echo(f"# {info.kind.filename}  来源：{info.origin_name}  {info.path}")
    click.echo(f"# 用途：{info.kind.purpose}")
    found = word_template_fields(info)
    click.echo(f"字段：{'、'.join(found.fields) if found.fields else '（无）'}")
    if found.unknown:
        click.echo(f"未知字段（生成时会报错，请对照 docs/word-templates.md 修改）：{'、'.join(found.unknown)}")
    click.echo(f"标签（{len(found.tags)} 个，按先后）：")
    for place, tag in found.tags:
        click.echo(f"  {place}：{tag}")


@templates.command("copy")
@click.argument("name", metavar="名称")
@click.argument("folder", type=click.Path(path_type=Path), metavar="会议文件夹")
@click.option("--force", is_flag=True, help="覆盖会议文件夹中已有的同名模板。")
def copy_command(name: str, folder: Path, force: bool) -> None:
    """把内置模板复制到会议文件夹的 templates/ 下，以便修改；不加 --force 不覆盖已有文件。

    名称为 目标责任书.docx 或 讲话稿.docx 时，复制示例 Word 模板（同 drafting example 写出的），
    存为 templates/目标责任书.docx 等，生成时即代替内置模板。
    """
    kind = word_kind(name)
    if kind is not None:
        path = copy_word_example(kind, folder, force=force)
        click.echo(f"已复制示例 Word 模板到：{path}")
        click.echo(f"用 Word 或 WPS 修改后重新生成即可：{kind.purpose}；字段见 docs/word-templates.md。")
        return
    written = copy_template(name, folder, force=force)
    for path in written:
        click.echo(f"已复制到：{path}")
    click.echo("修改这份模板后重新生成即可；只想改其中一段时，可改用 {% extends %} 只覆盖一个 block（见 docs/templates.md）。")
