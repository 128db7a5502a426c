"""The page templates (our own, shipped in drafting/web/templates) and HTML responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from drafting import __version__
from drafting.web.security import CSRF_FIELD, csrf_token, set_csrf_cookie

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

NAV = (("/", "首页"), ("/meetings", "会议"), ("/build", "生成"), ("/check", "核稿"), ("/templates", "模板"))

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    token = csrf_token(request)
    html = _env.get_template(name).render(
        request_path=request.url.path,
        nav=NAV,
        version=__version__,
        csrf_field=CSRF_FIELD,
        csrf=token,
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    set_csrf_cookie(request, response)
    return response


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
