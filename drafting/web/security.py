"""Request guards: body size limit, allowed Host names, access token, cross-site request checks.

One ASGI middleware applies them in order before any route runs:

- the body is counted while it streams in; past the limit the request ends with 413;
- the Host header must be one the server answers to (stops DNS rebinding);
- with an access token (any non-loopback ``--host``), every request carries it
  (``?token=`` once, kept in a cookie; or ``Authorization: Bearer``);
- unsafe methods (POST…) from another site are refused: ``Sec-Fetch-Site`` must be
  same-origin/none and ``Origin``, when sent, must be this server. Page forms also
  carry a token matching a SameSite=Strict cookie (double submit), checked in the
  routes through :func:`check_form_token`.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drafting.errors import InputError

CSRF_COOKIE = "drafting_csrf"
ACCESS_COOKIE = "drafting_access"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# On every response, downloads included: no type sniffing, never inside another site's frame.
_ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"))


class CrossSiteError(InputError):
    """A state-changing request that did not come from our own page."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


class BodyTooLarge(Exception):
    """The request body passed the limit while streaming in (the app maps it to 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(too_large_message(limit))
        self.limit = limit


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is just ignored
                pass
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        hosts: Iterable[str],
        access_token: str | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.hosts = {h.lower() for h in hosts}
        self.access_token = access_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or "").lower()
        if "*" not in self.hosts and host not in self.hosts:
            await _reply(scope, send, 400, "不接受此主机名的访问（Host 不符）")
            return
        set_access_cookie = False
        if self.access_token is not None:
            given = _cookies(scope).get(ACCESS_COOKIE)
            auth = _header(scope, b"authorization") or ""
            if auth.startswith("Bearer "):
                given = auth[7:]
            query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
            if query:
                given, set_access_cookie = query[0], True
            if not given or not hmac.compare_digest(given.encode(), self.access_token.encode()):
                await _reply(scope, send, 403, "需要访问令牌：请使用启动时显示的完整地址（含 ?token=…）")
                return
        if scope["method"] not in SAFE_METHODS:
            problem = cross_site_problem(scope, host)
            if problem:
                await _reply(scope, send, 403, problem)
                return
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            await _reply(scope, send, 413, too_large_message(self.max_body))
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [*message.get("headers", []), *_ALWAYS]
                if set_access_cookie and self.access_token:
                    cookie = f"{ACCESS_COOKIE}={self.access_token}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _reply(scope, send, 413, too_large_message(self.max_body))


def too_large_message(limit: int) -> str:
    return f"上传的内容过大（上限 {limit // 2**20} MB）"


def cross_site_problem(scope: Scope, host: str) -> str | None:
    """Why a state-changing request looks cross-site, or None."""
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return "拒绝来自其他网站的请求"
    origin = _header(scope, b"origin")
    if origin is not None:
        allowed = {f"{scheme}://{host}" for scheme in ("http", "https")}
        if origin.lower() not in allowed:
            return "拒绝来自其他网站的请求"
    return None


def csrf_token(request: Request) -> str:
    """This browser's form token (a new one is set by :func:`set_csrf_cookie` when missing)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = new_token()
    return token


def set_csrf_cookie(request: Request, response: object) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict", path="/")  # type: ignore[attr-defined]


def check_form_token(request: Request, form: FormData) -> None:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form.get(CSRF_FIELD)
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise CrossSiteError("表单已过期或来源不明，请刷新页面后重试")


async def _reply(scope: Scope, send: Send, status: int, message: str) -> None:
    accept = _header(scope, b"accept") or ""
    path = scope.get("path", "")
    if path.startswith("/api/") or "text/html" not in accept:
        body = json.dumps({"error": message}, ensure_ascii=False).encode()
        kind = b"application/json"
    else:
        body = f"<!doctype html><meta charset=utf-8><title>drafting</title><p>{_escape(message)}</p>".encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
