"""``drafting serve``: the local web page over a workspace of meeting folders."""

from __future__ import annotations

import ipaddress
import socket
import threading
import webbrowser
from pathlib import Path

import click

from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _parse_port(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if not 1 <= value <= 65535:
        raise click.BadParameter("端口应在 1～65535 之间")
    return value


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("workspace", type=click.Path(path_type=Path, file_okay=False), default=".", metavar="工作文件夹")
@click.option("--port", type=int, default=8765, callback=_parse_port, metavar="N", help="端口（1～65535，缺省 8765）。")
@click.option("--open", "open_browser", is_flag=True, help="启动后用默认浏览器打开页面。")
@click.option("--host", default="127.0.0.1", metavar="地址", help="监听地址（缺省 127.0.0.1，只有本机能访问）；其他地址须同时加 --allow-remote。")
@click.option("--allow-remote", is_flag=True, help="允许其他电脑访问（会打印访问令牌，请只在可信的内网使用）。")
def serve(workspace: Path, port: int, open_browser: bool, host: str, allow_remote: bool) -> None:
    """在本机打开网页版：上传会议、生成公文、核稿、管理模板，无需联网。

    工作文件夹存放各个会议文件夹（缺省为当前文件夹）。按 Ctrl+C 停止。

    \b
    示例：
      drafting serve
      drafting serve 会议材料 --open
    """
    try:
        import uvicorn

        from drafting.web.app import create_app
        from drafting.web.security import new_token
    except ImportError as exc:  # pragma: no cover - the web extra is a dependency
        raise click.ClickException(f"缺少网页版所需的组件：{exc.name}") from None
    remote = host not in LOOPBACK
    if remote and not allow_remote:
        raise click.UsageError(f"监听 {host} 会让其他电脑访问本机，如确需如此，请同时加 --allow-remote")
    _check_host(host)
    _check_port(host, port)
    workspace.mkdir(parents=True, exist_ok=True)
    token = new_token() if remote else None
    app = create_app(workspace, host=host, port=port, access_token=token)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host == 'localhost' else shown}:{port}/"
    if token:
        url += f"?token={token}"
    click.echo(f"drafting 网页版已启动：{url}")
    click.echo(f"工作文件夹：{workspace.resolve()}")
    if token:
        click.echo("其他电脑请使用上面带 token 的完整地址访问；令牌每次启动都会更换。")
    click.echo("按 Ctrl+C 停止。")
    if open_browser:  # shortly after start-up, once the server listens
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def _check_host(host: str) -> None:
    if host == "localhost":
        return
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            socket.getaddrinfo(host, None)
        except OSError:
            raise click.BadParameter(f"无法识别的地址：{host}", param_hint="--host") from None


def _check_port(host: str, port: int) -> None:
    """Say in Chinese when the port is taken (uvicorn would only log an English error)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError:
            raise click.ClickException(f"端口 {port} 已被占用（可能已有一个 drafting serve 在运行），请用 --port 换一个端口") from None
