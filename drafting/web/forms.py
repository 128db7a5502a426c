"""Reading form fields and uploaded files from a request, with the same option rules as the CLI."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from drafting.buildkinds import parse_kinds
from drafting.dates import parse_date
from drafting.errors import InputError
from drafting.web.uploads import clean_name

DRAFT_SUFFIXES = (".docx", ".txt", ".md")
YAML_SUFFIXES = (".yaml", ".yml")
LEDGER_SUFFIXES = (".xlsx",)
ZIP_SUFFIXES = (".zip",)


async def read_form(request: Request) -> FormData:
    try:
        return await request.form(max_files=10, max_fields=100, max_part_size=1024 * 1024)
    except MultiPartException as exc:
        raise InputError(f"表单数据无法解析：{exc.message}") from None
    except (AssertionError, ValueError, UnicodeDecodeError):
        raise InputError("表单数据无法解析") from None


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def upload_field(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and (value.filename or value.size):
        return value
    return None


def require_upload(form: FormData, name: str, what: str) -> UploadFile:
    upload = upload_field(form, name)
    if upload is None:
        raise InputError(f"请选择要上传的{what}")
    return upload


def save_upload(upload: UploadFile, folder: Path, suffixes: tuple[str, ...], name: str | None = None) -> Path:
    """Copy an upload into ``folder`` under a safe name (``name`` when given, else the cleaned original)."""
    safe = clean_name(upload.filename or "", suffixes)
    target = folder / (name or safe)
    folder.mkdir(parents=True, exist_ok=True)
    upload.file.seek(0)
    with open(target, "xb") as out:
        shutil.copyfileobj(upload.file, out)
    return target


def parse_as_of(text: str) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError(f"参数 --as-of 的值无效：{exc}") from None


def parse_only(values: list[str]) -> frozenset[str]:
    """``only`` as repeated checkboxes or one comma list (speech,letters,notice), as the CLI reads it."""
    try:
        return parse_kinds(",".join(values))
    except ValueError as exc:
        raise InputError(f"参数 --only 的值无效：{exc}") from None


def flag(form: FormData, name: str) -> bool:
    return text_field(form, name).lower() in ("1", "true", "on", "yes")
