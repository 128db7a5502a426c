"""The JSON API (for the page's scripts and an office's OA system): /api/check and /api/build.

Bad input answers 400 with ``{"error": "<the CLI's Chinese message>"}``.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from drafting.errors import InputError
from drafting.priorities import load_priorities
from drafting.web.builds import user_message
from drafting.web.checking import check_upload
from drafting.web.forms import (
    DRAFT_SUFFIXES,
    YAML_SUFFIXES,
    ZIP_SUFFIXES,
    flag,
    parse_as_of,
    parse_only,
    read_form,
    require_upload,
    save_upload,
    text_field,
    upload_field,
)
from drafting.web.uploads import clean_name, extract_zip


def _server(request: Request) -> Any:
    return request.app.state.server


def bad_input(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


async def api_check(request: Request) -> Response:
    server = _server(request)
    folder = server.scratch / "api-check" / secrets.token_urlsafe(12)
    try:
        form = await read_form(request)
        draft = save_upload(require_upload(form, "file", "草稿（.docx、.txt、.md）"), folder / "draft", DRAFT_SUFFIXES)
        priorities = None
        upload = upload_field(form, "priorities")
        if upload is not None:
            path = save_upload(upload, folder / "priorities", YAML_SUFFIXES, name=clean_name(upload.filename or "", YAML_SUFFIXES))
            priorities = await run_in_threadpool(load_priorities, path)
        result = await run_in_threadpool(check_upload, draft, priorities, None)
        return Response(result.json_text(), media_type="application/json")
    except InputError as exc:
        return bad_input(user_message(exc, folder / "draft", folder / "priorities", folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def api_build(request: Request) -> Response:
    server = _server(request)
    try:
        form = await read_form(request)
        upload = require_upload(form, "folder", "会议文件夹（.zip）")
        shown = clean_name(upload.filename or "", ZIP_SUFFIXES)
        options = {
            "as_of": parse_as_of(text_field(form, "as_of")),
            "only": parse_only([v for v in form.getlist("only") if isinstance(v, str)]),
            "combined": flag(form, "combined"),
            "pdf": flag(form, "pdf"),
        }
    except InputError as exc:
        return bad_input(str(exc))
    build = server.builds.new(shown.rsplit(".", 1)[0])
    source = build.scratch / "source"
    try:
        archive = save_upload(upload, build.scratch, ZIP_SUFFIXES, name="upload.zip")
        folder = await run_in_threadpool(extract_zip, archive, source, shown=shown, limits=server.limits)
        archive.unlink()
    except InputError as exc:
        return bad_input(user_message(exc, source, build.scratch))
    await run_in_threadpool(server.builds.run, build, folder, threading.Lock(), roots=(source,), **options)
    shutil.rmtree(source, ignore_errors=True)
    if build.error is not None:
        status = 500 if build.error.startswith("内部错误") else 400
        return JSONResponse({"error": build.error}, status_code=status)
    return JSONResponse(build.to_json())


def routes() -> list[Route]:
    return [
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/build", api_build, methods=["POST"]),
    ]
