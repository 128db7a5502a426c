"""The Starlette application: routes, shared server state, error responses."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from drafting.web import api, housepages, pages
from drafting.web.builds import Builds
from drafting.web.render import STATIC_DIR
from drafting.web.security import BodyTooLarge, Guard
from drafting.web.uploads import DEFAULT_LIMITS, Limits
from drafting.web.workspace import Workspace

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass
class Server:
    """What every request handler shares: the workspace, the builds, a scratch folder removed at shutdown."""

    workspace: Workspace
    scratch: Path
    limits: Limits = DEFAULT_LIMITS
    builds: Builds = field(init=False)
    checks: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.builds = Builds(self.scratch)


def allowed_hosts(host: str, port: int) -> list[str]:
    names = list(LOOPBACK_NAMES) if host in ("127.0.0.1", "localhost", "::1") else [host]
    if host in ("0.0.0.0", "::"):
        names = ["*"]  # any name reaches it; the access token guards it
    return [f"{name}:{port}" for name in names] + names


def create_app(
    workspace: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    access_token: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    extra_hosts: tuple[str, ...] = (),
) -> ASGIApp:
    """The page and API for ``workspace``, wrapped in the request guard."""
    scratch = Path(tempfile.mkdtemp(prefix="drafting-web-"))
    server = Server(workspace=Workspace(workspace), scratch=scratch, limits=limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    routes = [
        *pages.routes(),
        *housepages.routes(),
        *api.routes(),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            BodyTooLarge: _too_large,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.server = server
    hosts = [*allowed_hosts(host, port), *extra_hosts]
    guard = Guard(app, max_body=limits.request_bytes, hosts=hosts, access_token=access_token)
    guard.state = app.state  # type: ignore[attr-defined] - tests reach the server through it
    return guard


async def _too_large(request: Request, exc: Exception) -> Response:
    return _error(request, str(exc), 413)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = {404: "没有找到这个页面或文件", 405: "不支持这种请求方式"}.get(exc.status_code, "请求无效")
    return _error(request, message, exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    return _error(request, f"内部错误：{type(exc).__name__}", 500)


def _error(request: Request, message: str, status: int) -> Response:
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message}, status_code=status)
    return pages.error_page(request, message, status)
