"""The 版式 part of the 模板 page: download a house file; upload (checked as a build checks it), replace or delete one."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from drafting.errors import InputError
from drafting.web.forms import require_upload, text_field
from drafting.web.housefiles import MEETING, house_file, remove_house_file, save_house_upload
from drafting.web.pages import _form, _message, error_page, templates_page

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def house_download(request: Request) -> Response:
    server = request.app.state.server
    try:
        meeting = request.query_params.get("meeting", "")
        folder = server.workspace.meeting(meeting) if meeting else None
        source = request.query_params.get("source", MEETING)
        path = house_file(folder, request.query_params.get("name", ""), source)
    except InputError as exc:
        return error_page(request, _message(request, exc), 404)
    return FileResponse(path, filename=path.name, media_type=DOCX_TYPE, headers={"Cache-Control": "no-store"})


async def house_change(request: Request) -> Response:
    server = request.app.state.server
    meeting = ""
    name = ""
    try:
        form = await _form(request)
        meeting = text_field(form, "meeting")
        folder = server.workspace.meeting(meeting)
        name = text_field(form, "name")
        with server.workspace.editing(folder):
            if text_field(form, "action") == "delete":
                await run_in_threadpool(remove_house_file, folder, name)
                name = ""
            else:
                upload = require_upload(form, "file", "版式文件（.docx）")
                await save_house_upload(server.workspace, folder, name, upload)
    except InputError as exc:
        request.scope["query_string"] = f"meeting={quote(meeting, safe='')}".encode()
        return await templates_page(request, error=_message(request, exc), status=400)
    checked = f"&house={quote(name, safe='')}#house-check" if name else "#house"
    return RedirectResponse(f"/templates?meeting={quote(meeting, safe='')}{checked}", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/templates/house", house_download),
        Route("/templates/house", house_change, methods=["POST"]),
    ]
