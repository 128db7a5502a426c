"""The HTML pages: 首页, 会议, 生成, 核稿, 模板; forms post back here and are answered with pages or redirects."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from drafting.buildkinds import KIND_LABELS, KINDS
from drafting.errors import InputError
from drafting.folder import load_meeting_folder
from drafting.libreoffice import soffice_path
from drafting.priorities import load_priorities
from drafting.web import meetingform
from drafting.web.builds import KIND_NAMES, Build, preview_error, user_message
from drafting.web.checking import check_upload
from drafting.web.forms import (
    DRAFT_SUFFIXES,
    YAML_SUFFIXES,
    flag,
    parse_as_of,
    parse_only,
    read_form,
    require_upload,
    save_upload,
    text_field,
    upload_field,
)
from drafting.web.meetings import ROLES, create_from_example, create_from_upload, replace_file
from drafting.web.render import page
from drafting.web.security import check_form_token
from drafting.web.housefiles import house_view
from drafting.web.templatefiles import find_template, remove_template, save_template, templates_in_use

# the build form's checkboxes: every kind of ``drafting build --only``, in its order
KIND_CHOICES = tuple((kind, KIND_LABELS[kind]) for kind in KINDS)
KEEP_CHECKS = 20


def _server(request: Request) -> Any:
    return request.app.state.server


def _message(request: Request, exc: InputError) -> str:
    return user_message(exc, _server(request).workspace.root)


async def _form(request: Request) -> FormData:
    form = await read_form(request)
    check_form_token(request, form)
    return form


def error_page(request: Request, message: str, status: int) -> Response:
    return page(request, "error.html", status=status, message=message)


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# 首页


async def index(request: Request) -> Response:
    return page(request, "index.html", meetings=_server(request).workspace.meetings(), error=None)


# 会议


async def meetings(request: Request) -> Response:
    return page(request, "meetings.html", meetings=_server(request).workspace.meetings(), error=None)


async def meeting_new(request: Request) -> Response:
    server = _server(request)
    try:
        form = await _form(request)
        wanted = text_field(form, "name")
        if text_field(form, "kind") == "example":
            name = await run_in_threadpool(create_from_example, server.workspace, wanted)
        else:
            upload = require_upload(form, "file", "会议文件夹（.zip）或项目台账（.xlsx）")
            name = await run_in_threadpool(create_from_upload, server.workspace, upload, wanted, server.limits)
    except InputError as exc:
        back = "index.html" if request.query_params.get("from") == "/" else "meetings.html"
        return page(request, back, status=400, meetings=server.workspace.meetings(), error=_message(request, exc))
    return _see(f"/meetings/{_quote(name)}")


def _quote(name: str) -> str:
    return quote(name, safe="")


def _meeting_view(request: Request, name: str, form_state: meetingform.FormState | None = None, **extra: Any) -> dict[str, Any]:
    server = _server(request)
    folder = server.workspace.meeting(name)
    text = (folder / "meeting.yaml").read_text(encoding="utf-8-sig") if (folder / "meeting.yaml").is_file() else ""
    state = form_state or meetingform.form_from_text(text)
    problems: list[str] = []
    if form_state is None:
        try:
            load_meeting_folder(folder)
        except InputError as exc:
            state.errors = meetingform.place_errors(exc, lambda e: _message(request, e))
            problems = [m for key, ms in state.errors.items() for m in ms]
    files = [
        {"role": role, "name": target, "label": label, "present": (folder / target).is_file()}
        for role, (target, _, _, label) in ROLES.items()
    ]
    return {
        "meeting": name,
        "form": state,
        "fields": meetingform.MAIN_FIELDS,
        "files": files,
        "problems": problems,
        "kinds": KIND_CHOICES,
        "pdf_available": soffice_path() is not None,
        "saved": request.query_params.get("saved") == "1",
        "error": None,
        **extra,
    }


async def meeting_page(request: Request) -> Response:
    name = request.path_params["name"]
    try:
        view = await run_in_threadpool(_meeting_view, request, name)
    except InputError as exc:
        return error_page(request, _message(request, exc), 404)
    return page(request, "meeting.html", **view)


async def meeting_form(request: Request) -> Response:
    server = _server(request)
    name = request.path_params["name"]
    try:
        folder = server.workspace.meeting(name)
        form = await _form(request)
    except InputError as exc:
        return error_page(request, _message(request, exc), 400)
    values = {key: form.get(key) if isinstance(form.get(key), str) else "" for key, _ in meetingform.MAIN_FIELDS}
    rest = form.get("rest") if isinstance(form.get("rest"), str) else ""
    path = folder / "meeting.yaml"
    original = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    text = meetingform.compose(original, values, rest)  # type: ignore[arg-type]
    with server.workspace.staging() as stage:
        try:
            await run_in_threadpool(meetingform.validate, text, stage)
        except InputError as exc:
            state = meetingform.FormState(values=values, rest=rest)  # type: ignore[arg-type]
            state.errors = meetingform.place_errors(exc, lambda e: user_message(e, stage))
            view = await run_in_threadpool(_meeting_view, request, name, state)
            return page(request, "meeting.html", status=400, **view)
        try:
            with server.workspace.editing(folder):
                os.replace(stage / "meeting.yaml", path)
        except InputError as exc:
            view = await run_in_threadpool(_meeting_view, request, name)
            view["error"] = _message(request, exc)
            return page(request, "meeting.html", status=409, **view)
    return _see(f"/meetings/{_quote(name)}?saved=1")


async def meeting_upload(request: Request) -> Response:
    server = _server(request)
    name = request.path_params["name"]
    try:
        folder = server.workspace.meeting(name)
        form = await _form(request)
        role = text_field(form, "role")
        label = ROLES.get(role, ("", (), None, "文件"))[3]
        upload = require_upload(form, "file", label)
        await run_in_threadpool(replace_file, server.workspace, folder, role, upload)
    except InputError as exc:
        try:
            view = await run_in_threadpool(_meeting_view, request, name)
        except InputError:
            return error_page(request, _message(request, exc), 400)
        view["error"] = _message(request, exc)
        return page(request, "meeting.html", status=400, **view)
    return _see(f"/meetings/{_quote(name)}?saved=1")


# 生成


async def build_page(request: Request) -> Response:
    server = _server(request)
    return page(
        request,
        "build.html",
        meetings=server.workspace.meetings(),
        kinds=KIND_CHOICES,
        selected=request.query_params.get("meeting", ""),
        pdf_available=soffice_path() is not None,
        error=None,
    )


async def build_start(request: Request) -> Response:
    server = _server(request)
    try:
        form = await _form(request)
        name = text_field(form, "meeting")
        folder = server.workspace.meeting(name)
        options = {
            "as_of": parse_as_of(text_field(form, "as_of")),
            "only": parse_only([v for v in form.getlist("only") if isinstance(v, str)]),
            "combined": flag(form, "combined"),
            "pdf": flag(form, "pdf"),
        }
    except InputError as exc:
        return page(
            request,
            "build.html",
            status=400,
            meetings=server.workspace.meetings(),
            kinds=KIND_CHOICES,
            selected=request.query_params.get("meeting", ""),
            pdf_available=soffice_path() is not None,
            error=_message(request, exc),
        )
    build = server.builds.new(name, out_dir=folder / "输出")
    server.builds.start(build, folder, server.workspace.lock(folder), roots=(server.workspace.root,), **options)
    return _see(f"/builds/{build.id}")


def _build(request: Request) -> Build:
    build = _server(request).builds.get(request.path_params["id"])
    if build is None:
        raise InputError("没有这次生成的记录（服务重启后记录会清空），请重新生成")
    return build


async def build_result(request: Request) -> Response:
    try:
        build = _build(request)
    except InputError as exc:
        return error_page(request, str(exc), 404)
    return page(
        request,
        "result.html",
        build=build,
        kind_names=KIND_NAMES,
        preview_available=soffice_path() is not None,
    )


async def build_status(request: Request) -> Response:
    try:
        build = _build(request)
    except InputError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    return JSONResponse(build.status(), headers={"Cache-Control": "no-store"})


def _built_file(request: Request) -> tuple[Build, int]:
    build = _build(request)
    index = int(request.path_params["index"])
    if not build.finished or not 0 <= index < len(build.files) or not build.files[index].path.is_file():
        raise InputError("没有这个文件")
    return build, index


async def build_file(request: Request) -> Response:
    try:
        build, index = _built_file(request)
    except InputError as exc:
        return error_page(request, str(exc), 404)
    item = build.files[index]
    return FileResponse(item.path, filename=item.name, headers={"Cache-Control": "no-store"})


async def build_zip(request: Request) -> Response:
    try:
        build = _build(request)
        if build.state != "done":
            raise InputError("生成尚未完成或未成功")
        target = await run_in_threadpool(_server(request).builds.zip_all, build)
    except InputError as exc:
        return error_page(request, str(exc), 404)
    return FileResponse(target, filename=f"{build.meeting}-公文.zip", media_type="application/zip")


async def build_preview(request: Request) -> Response:
    try:
        build, index = _built_file(request)
    except InputError as exc:
        return error_page(request, str(exc), 404)
    error = None
    pages_: list[Path] = []
    try:
        pages_ = await run_in_threadpool(_server(request).builds.previews, build, index)
    except Exception as exc:  # noqa: BLE001 - shown on the page
        error = preview_error(exc)
    return page(request, "preview.html", build=build, index=index, item=build.files[index], pages=pages_, error=error)


async def build_preview_png(request: Request) -> Response:
    try:
        build, index = _built_file(request)
        number = int(request.path_params["page"])
        pngs = build.previews.get(index) or []
        if not 1 <= number <= len(pngs):
            raise InputError("没有这一页")
    except InputError as exc:
        return error_page(request, str(exc), 404)
    return FileResponse(pngs[number - 1], media_type="image/png")


# 核稿


async def check_page(request: Request) -> Response:
    return page(request, "check.html", meetings=_server(request).workspace.meetings(), result=None, error=None, check_id=None)


async def check_run(request: Request) -> Response:
    server = _server(request)
    check_id = secrets.token_urlsafe(12)
    folder = server.scratch / "checks" / check_id
    try:
        form = await _form(request)
        upload = require_upload(form, "file", "草稿（.docx、.txt、.md）")
        draft = save_upload(upload, folder / "draft", DRAFT_SUFFIXES)
        priorities = None
        pri_upload = upload_field(form, "priorities")
        meeting = text_field(form, "meeting")
        if pri_upload is not None:
            pri_path = save_upload(pri_upload, folder / "priorities", YAML_SUFFIXES, name="priorities.yaml")
            priorities = await run_in_threadpool(load_priorities, pri_path)
        elif meeting:
            pri_path = server.workspace.meeting(meeting) / "priorities.yaml"
            if not pri_path.is_file():
                raise InputError("该会议没有重点工作清单 priorities.yaml")
            priorities = await run_in_threadpool(load_priorities, pri_path)
        result = await run_in_threadpool(check_upload, draft, priorities, folder / "annotated")
    except InputError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return page(
            request,
            "check.html",
            status=400,
            meetings=server.workspace.meetings(),
            result=None,
            check_id=None,
            error=user_message(exc, folder / "draft", folder / "priorities", folder, server.workspace.root),
        )
    server.checks[check_id] = result
    while len(server.checks) > KEEP_CHECKS:
        old = next(iter(server.checks))
        server.checks.pop(old)
        shutil.rmtree(server.scratch / "checks" / old, ignore_errors=True)
    return page(request, "check.html", meetings=server.workspace.meetings(), result=result, check_id=check_id, error=None)


async def check_annotated(request: Request) -> Response:
    result = _server(request).checks.get(request.path_params["id"])
    if result is None or result.annotated is None or not result.annotated.is_file():
        return error_page(request, "没有这份批注稿（服务重启后会清空），请重新核稿", 404)
    return FileResponse(result.annotated, filename=result.annotated.name)


# 模板


def _template_meeting(request: Request, name: str) -> Path | None:
    return _server(request).workspace.meeting(name) if name else None


async def templates_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    server = _server(request)
    name = request.query_params.get("meeting", "")
    try:
        folder = _template_meeting(request, name)
    except InputError as exc:
        return error_page(request, _message(request, exc), 404)
    return page(
        request,
        "templates.html",
        status=status,
        meetings=server.workspace.meetings(),
        selected=name,
        entries=templates_in_use(folder),
        error=error,
        **await run_in_threadpool(house_view, folder, request.query_params.get("house", "")),
    )


async def template_download(request: Request) -> Response:
    try:
        folder = _template_meeting(request, request.query_params.get("meeting", ""))
        entry = find_template(folder, request.query_params.get("name", ""))
    except InputError as exc:
        return error_page(request, _message(request, exc), 404)
    return FileResponse(entry.path, filename=entry.name.replace("/", "-"), media_type="text/plain; charset=utf-8")


async def template_change(request: Request) -> Response:
    meeting = ""
    try:
        form = await _form(request)
        meeting = text_field(form, "meeting")
        folder = _server(request).workspace.meeting(meeting)
        name = text_field(form, "name")
        with _server(request).workspace.editing(folder):
            if text_field(form, "action") == "reset":
                remove_template(folder, name)
            else:
                upload = require_upload(form, "file", "模板文件")
                data = await upload.read()
                save_template(folder, name, data)
    except InputError as exc:
        request.scope["query_string"] = f"meeting={_quote(meeting)}".encode()
        return await templates_page(request, error=_message(request, exc), status=400)
    return _see(f"/templates?meeting={_quote(meeting)}")


def routes() -> list[Route]:
    return [
        Route("/", index),
        Route("/meetings", meetings),
        Route("/meetings/new", meeting_new, methods=["POST"]),
        Route("/meetings/{name}", meeting_page),
        Route("/meetings/{name}/form", meeting_form, methods=["POST"]),
        Route("/meetings/{name}/upload", meeting_upload, methods=["POST"]),
        Route("/build", build_page),
        Route("/build", build_start, methods=["POST"]),
        Route("/builds/{id}", build_result),
        Route("/builds/{id}/status", build_status),
        Route("/builds/{id}/files/{index:int}", build_file),
        Route("/builds/{id}/all.zip", build_zip),
        Route("/builds/{id}/preview/{index:int}", build_preview),
        Route("/builds/{id}/preview/{index:int}/{page:int}.png", build_preview_png),
        Route("/check", check_page),
        Route("/check", check_run, methods=["POST"]),
        Route("/checks/{id}/annotated", check_annotated),
        Route("/templates", templates_page),
        Route("/templates/download", template_download),
        Route("/templates/change", template_change, methods=["POST"]),
    ]
