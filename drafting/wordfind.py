"""Where a build finds a Word-authored template (``templates/<name>.docx``): the meeting folder, then the user library.

Only the lookup, the limits and the checks of the file (``drafting.wordtemplate``
renders it): a build without a Word template does not load the renderer.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from drafting.errors import Location, TemplateError
from drafting.folder import MeetingFolder, member
from drafting.templating import limits
from drafting.templating.library import user_library_dir

SPEECH_TEMPLATE = "讲话稿"  # templates/讲话稿.docx
LETTER_TEMPLATE = "目标责任书"  # templates/目标责任书.docx
NOTICE_TEMPLATE = "进度通报"  # templates/进度通报.docx
# Files Word/WPS can open but docxtpl cannot: the user has to save them as .docx.
OTHER_SUFFIXES = (".doc", ".wps", ".dot", ".dotx", ".dotm", ".docm", ".wpt", ".rtf")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .wps saved under a .docx name


@dataclass(frozen=True)
class WordTemplate:
    path: Path  # where it was found, for messages
    data: bytes  # the file as read once (never re-read)


def find_word_template(folder: MeetingFolder, stem: str) -> WordTemplate | None:
    """``<stem>.docx`` of the meeting's ``templates/``, else of the user's template library; checked and read.

    None when neither has one. A .doc/.wps (or other non-.docx Word file) of
    that name is an error: it would otherwise be ignored silently and the
    built-in template used.
    """
    roots = [folder.templates_dir, user_library_dir()]
    for root in roots:
        if root is not None and root.is_dir():
            found = word_template_in(root, stem)
            if found is not None:
                return found
    return None


def word_template_in(root: Path, stem: str) -> WordTemplate | None:
    """``<stem>.docx`` directly in ``root``, checked and read; None when absent (a .doc/.wps of that name is an error)."""
    for suffix in OTHER_SUFFIXES:
        other = member(root, stem + suffix)
        if other is not None:
            raise TemplateError(
                f"Word 模板须为 .docx 格式，不能使用 {suffix} 文件；请在 Word 或 WPS 中“另存为”Word 文档（*.docx）",
                Location(file=other),
            )
    path = member(root, stem + ".docx")
    if path is None:
        return None
    return WordTemplate(path, _read_checked(path))


def _read_checked(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_WORD_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateError(f"无法读取 Word 模板：{exc.strerror or exc}", Location(file=path)) from exc
    if len(data) > limits.MAX_WORD_TEMPLATE_BYTES:
        raise TemplateError(f"Word 模板超过{limits.MAX_WORD_TEMPLATE_BYTES // 1_000_000}MB，不读取", Location(file=path))
    if data.startswith(_OLE_MAGIC):
        raise TemplateError(
            "这是旧版 Word（.doc）或 WPS 格式的文件，只是扩展名为 .docx；请在 Word 或 WPS 中“另存为”Word 文档（*.docx）",
            Location(file=path),
        )
    corrupt = TemplateError("Word 模板已损坏或不是 Word 文档（.docx），无法读取；请在 Word 中打开后重新保存", Location(file=path))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise corrupt from None
    if unzipped > limits.MAX_WORD_TEMPLATE_UNZIPPED:
        raise TemplateError(
            f"Word 模板解压后超过{limits.MAX_WORD_TEMPLATE_UNZIPPED // 1_000_000}MB，不读取", Location(file=path)
        )
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise corrupt
    return data
