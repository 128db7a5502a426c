"""Chinese help formatting and the one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from drafting.errors import DraftingError, InputError

_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


def _report(exc: Exception) -> int:
    """Print one clear Chinese message for a library error; return the exit status."""
    if isinstance(exc, InputError):
        click.echo(f"错误：{exc}", err=True)
        return 2
    if isinstance(exc, DraftingError):
        click.echo(f"失败：{exc}", err=True)
        return 1
    if os.environ.get("DRAFTING_DEBUG"):
        raise exc
    click.echo(f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 DRAFTING_DEBUG=1 可查看详细信息）", err=True)
    return 1


def _chinese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "显示本帮助并退出。"
    return option


class ChineseCommand(click.Command):
    context_class = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the CLI edge turns everything into a message
            ctx.exit(_report(exc))


class ChineseGroup(click.Group):
    context_class = ChineseContext
    command_class = ChineseCommand

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # stdout may be a pipe on Windows consoles with a legacy code page
        if hasattr(sys.stdout, "reconfigure"):
            try:
                sys.stdout.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
        return super().main(*args, **kwargs)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
