"""Chinese help formatting and the one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from drafting.errors import DraftingError, InputError

_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")


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


def _param_name(param: click.Parameter | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return (param.human_readable_name or "").upper()


def usage_message(exc: click.ClickException) -> str:
    """click's own (English) usage errors, said in Chinese."""
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"没有这个选项：{exc.option_name}"
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return f"没有这个命令：{exc.message.split(chr(39))[1] if chr(39) in exc.message else exc.message}"
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"缺少参数 {_param_name(exc.param)}"
    if isinstance(exc, click.exceptions.BadParameter):
        name = _param_name(exc.param)
        return f"参数 {name} 的值无效：{exc.message}" if name else exc.message
    if isinstance(exc, click.exceptions.BadOptionUsage):
        return f"选项 {exc.option_name} 用法有误：{exc.message}"
    return exc.message


class ChineseGroup(click.Group):
    context_class = ChineseContext
    command_class = ChineseCommand
    aliases: dict[str, str] = {}  # another name (e.g. Chinese) → subcommand; not listed in --help

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # stdout may be a pipe on Windows consoles with a legacy code page
        if hasattr(sys.stdout, "reconfigure"):
            try:
                sys.stdout.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
        kwargs["standalone_mode"] = False
        try:
            with stop_signals_unwind():
                result = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else exc.message)
            sys.exit(0)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "drafting"
            click.echo(f"错误：{usage_message(exc)}\n使用 {command} --help 查看用法。", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"错误：{exc.message}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort as exc:
            stopped = exc.__cause__ if isinstance(exc.__cause__, Terminated) else None
            _say("已中止（收到终止信号），未写入的文件已清理。" if stopped else "已取消。")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class Terminated(KeyboardInterrupt):
    """SIGTERM, SIGHUP (a closed terminal) or SIGBREAK (Windows console): unwinds like Ctrl+C so staging files are cleaned up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, name))


@contextmanager
def stop_signals_unwind() -> Iterator[None]:
    """While running a command, SIGINT/SIGTERM/SIGHUP raise an exception instead of killing the process.

    After the first one, further stop signals are ignored so that the cleanup
    (removing staging files, restoring backups) is not itself interrupted.
    Signals already ignored stay ignored; previous handlers are restored afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        for sig in _STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(signum)

    previous = {}
    for sig in _STOP_SIGNALS:
        if signal.getsignal(sig) is not signal.SIG_IGN:  # e.g. nohup ignores SIGHUP: keep it so
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _say(message: str) -> None:
    try:
        click.echo(message, err=True)
    except OSError:  # the terminal is gone (SIGHUP)
        pass
