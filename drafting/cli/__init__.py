"""Command line: thin click commands over the library (``drafting build|example|check|outline|compare|templates|serve|pdf|house``).

Subcommands load lazily: ``drafting --version`` and ``--help`` import only click and
this package, and ``drafting check`` never imports the build path (openpyxl, the
docx writer, templates). The one-line summaries shown by ``--help`` are kept here
so listing commands imports none of them; a test keeps them equal to the commands'
own docstrings.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from drafting import __version__
from drafting.cli.base import CONTEXT_SETTINGS, ChineseGroup

# name → (module, attribute, first paragraph of the command's docstring)
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "example": ("drafting.cli.example", "example", "写出一个完整的示例会议文件夹（会议信息、项目台账、重点工作清单）。"),
    "build": ("drafting.cli.build", "build", "由会议文件夹生成讲话稿、目标责任书、进度通报、会议通知和会议纪要。"),
    "check": (
        "drafting.cli.check",
        "check",
        "检查讲话稿等草稿（.docx、.txt、.md）：重点工作覆盖、占位符、序号、数量声明、过时提法、重复语句。",
    ),
    "outline": (
        "drafting.cli.outline",
        "outline",
        "列出讲话稿（.docx、.txt、.md）的层次结构：各级标题、标题后接正文、一是二是列举、数量声明和数字所在段落。",
    ),
    "compare": (
        "drafting.cli.compare",
        "compare",
        "比较新稿与旧稿（如去年的讲话稿）：新稿有多少句与旧稿相同或近似、各在哪里，重点工作覆盖和数字有何变化。",
    ),
    "templates": ("drafting.cli.templates", "templates", "模板库：列出、查看模板，复制内置模板到会议文件夹中修改。"),
    "serve": (
        "drafting.cli.serve",
        "serve",
        "在本机打开网页版：上传会议、生成公文、核稿、管理模板，无需联网。",
    ),
    "pdf": ("drafting.cli.pdf", "pdf", "把 Word 文档（.docx）转换为 PDF，存在原文件旁边（需要安装 LibreOffice）。"),
    "house": (
        "drafting.cli.house",
        "house",
        "版式文件（本单位的红头 Word 文件）：检查页面、行数字数、字体、页码和正文标记是否合用、合乎 GB/T 9704。",
    ),
}


class LazyGroup(ChineseGroup):
    """A group whose subcommands are imported only when one is run (click's documented lazy-loading pattern)."""

    aliases = {"版式": "house"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd_name = self.aliases.get(cmd_name, cmd_name)
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, attribute, _ = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(_import_command(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in LAZY_COMMANDS and name not in self.commands:
                short = click.Command(name, help=LAZY_COMMANDS[name][2]).get_short_help_str(limit)
            else:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                short = command.get_short_help_str(limit)
            rows.append((name, short))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _import_command(name: str) -> object:
    """A command's module, imported with the cycle collector paused; what the import made is then left out of collections."""
    if name in sys.modules:
        return sys.modules[name]
    with frozen_imports():
        return importlib.import_module(name)


@contextmanager
def frozen_imports() -> Iterator[None]:
    """Imports in this block run with the cycle collector paused; what they made is then left out of collections.

    Importing the build path creates some 50,000 objects (classes, functions,
    schemas) that live as long as the process: collecting while importing only
    walks them again and again (≈10 % of a cold ``build --only speech``).
    Commands that import their heavy modules late (``drafting build``) use it too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    gc.freeze()  # long-lived: later collections skip them (as a pre-forking server does)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
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
      drafting templates list                              模板库：列出、查看、复制模板
      drafting serve                                       在浏览器中使用（网页版）
      drafting pdf 输出/讲话稿.docx                        转换为 PDF
      drafting house check 版式/通报.docx                  检查版式文件（也可写 drafting 版式 检查）
    """


def main() -> None:
    # pydantic looks for plugins among the entry points of every installed package the first
    # time a model is built (≈60 ms of a cold start); none are wanted for validating our files.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    cli(prog_name="drafting")
