"""Reading a house file (版式/*.docx) safely: what it is, how big, which parts hold text.

A house file is untrusted (it travels between offices and is uploaded through
the web page): old binary Word/WPS files get the 另存为 hint, zips are checked
against :data:`HOUSE_LIMITS` before anything is read (``archive.check_archive``),
and every part is read once into memory, so later steps never touch the file again.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from drafting.archive import ArchiveLimits, check_archive, is_ole_file, size_text
from drafting.errors import InputError, Location

MAX_HOUSE_BYTES = 20 * 1024 * 1024  # the .docx as stored
HOUSE_LIMITS = ArchiveLimits(
    max_members=500, max_total=60 * 1024 * 1024, max_xml=16 * 1024 * 1024, max_part=8 * 1024 * 1024, max_ratio=100
)
# Files Word/WPS opens that are not a .docx package.
OTHER_SUFFIXES = (".doc", ".wps", ".dot", ".dotx", ".dotm", ".docm", ".wpt", ".rtf")
SAVE_AS_HINT = "请在 Word 或 WPS 中打开，用“另存为”保存为 Word 文档（*.docx）后放入“版式”文件夹"

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = REL_NS + "/officeDocument"
STORY_TYPES = {  # relationship type → where the text is, as Word names it
    REL_NS + "/header": "页眉",
    REL_NS + "/footer": "页脚",
    REL_NS + "/footnotes": "脚注",
    REL_NS + "/endnotes": "尾注",
}
_RELATIONSHIP = re.compile(r"<Relationship\b([^>]*?)/?>", re.S)
_ATTRIBUTE = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str
    external: bool


@dataclass
class HousePackage:
    """A house file read into memory: members in their order, with their zip entries and bytes."""

    path: Path
    order: list[str]
    infos: dict[str, zipfile.ZipInfo]
    blobs: dict[str, bytes]
    main: str  # the main document part, usually word/document.xml
    stories: list[tuple[str, str]] = field(default_factory=list)  # (part, 页眉/页脚/脚注/尾注)

    def text(self, name: str) -> str:
        try:
            return self.blobs[name].decode("utf-8")
        except UnicodeDecodeError:
            raise corrupt(self.path, f"内部文件 {name} 不是 UTF-8 编码") from None

    def relationships(self, part: str) -> list[Relationship]:
        rels = rels_name(part)
        return parse_relationships(self.text(rels)) if rels in self.blobs else []


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(part: str, target: str) -> str:
    """A relationship target of ``part`` as a member name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def parse_relationships(xml: str) -> list[Relationship]:
    found = []
    for match in _RELATIONSHIP.finditer(xml):
        attributes = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTRIBUTE.finditer(match.group(1))}
        found.append(
            Relationship(
                attributes.get("Id", ""),
                attributes.get("Type", ""),
                attributes.get("Target", ""),
                attributes.get("TargetMode", "") == "External",
            )
        )
    return found


def corrupt(path: Path, detail: str = "") -> InputError:
    extra = f"（{detail}）" if detail else ""
    return InputError(f"版式文件已损坏或不是 Word 文档（.docx）{extra}，无法使用；{SAVE_AS_HINT}", Location(file=path))


def read_house(path: Path) -> HousePackage:
    """Read and check the house file at ``path``; InputError (in Chinese, naming the file) when it cannot be used."""
    path = Path(path)
    where = Location(file=path)
    suffix = path.suffix.lower()
    if suffix in OTHER_SUFFIXES:
        raise InputError(f"版式文件须为 .docx 格式，不能使用 {suffix} 文件；{SAVE_AS_HINT}", where)
    if is_ole_file(path):
        raise InputError(f"这是旧版 Word（.doc）或 WPS 格式的文件，只是扩展名为 .docx；{SAVE_AS_HINT}", where)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取版式文件：{exc.strerror or exc}", where) from None
    if size > MAX_HOUSE_BYTES:
        raise InputError(f"版式文件过大（{size_text(size)}，最多 {size_text(MAX_HOUSE_BYTES)}），请压缩或删去其中的大图片", where)
    check_archive(path, HOUSE_LIMITS, "版式文件")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            blobs = {info.filename: archive.read(info) for info in infos if not info.is_dir()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise corrupt(path) from None
    order = [info.filename for info in infos if not info.is_dir()]
    if len(set(order)) != len(order):
        raise corrupt(path, "内部文件重名")
    package = HousePackage(path, order, {info.filename: info for info in infos}, blobs, main="")
    if "[Content_Types].xml" not in blobs or "_rels/.rels" not in blobs:
        raise corrupt(path)
    main = next(
        (resolve_target("", rel.target) for rel in parse_relationships(package.text("_rels/.rels")) if rel.type == OFFICE_DOCUMENT),
        None,
    )
    if main is None or main not in blobs:
        raise corrupt(path, "找不到正文部分")
    package.main = main
    for rel in package.relationships(main):
        place = STORY_TYPES.get(rel.type)
        if place is None or rel.external:
            continue
        part = resolve_target(main, rel.target)
        if part in blobs and all(part != known for known, _ in package.stories):
            package.stories.append((part, place))
    return package
