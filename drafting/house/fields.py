"""Fields of a house file: ``{{发文字号}}``, ``{{标题}}``… found in the body, headers, footers and notes, and filled.

Public API (the ``drafting 版式 检查`` command is built on it):

- :func:`list_fields` ``(path) -> list[HouseField]``: every field of the house
  file at ``path`` in document order (main document first, then headers,
  footers, footnotes and endnotes), the ``{{正文}}`` marker included
  (``HouseField.is_marker``). Raises ``InputError`` (Chinese, naming the file)
  for a file that is not a usable .docx (see ``house.package.read_house``).
- :data:`MARKER`, :data:`DOCUMENT_FIELDS`: the marker's name and the field
  names every document offers (besides the keys of meeting.yaml,
  ``house.values``).

Word splits text into runs wherever formatting, spell-check marks or
bookmarks change, so a field is looked for in the text of a whole paragraph:
``<w:t>{{发文</w:t></w:r><w:proofErr/><w:r><w:t>字号}}</w:t>`` is one field.
Filling writes the value into the first run the field starts in (keeping
that run's formatting) and removes the rest of the field's text from the
following runs; nothing else in the XML changes. Values are plain text,
XML-escaped; nothing in a field is evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from drafting.docx.textxml import xml_text
from drafting.errors import InputError, InputErrors, Location
from drafting.house.package import HousePackage, corrupt, read_house
from drafting.house.xmlscan import ScannedParagraph, ScannedPart, XmlScanError, escape, scan

MARKER = "正文"  # {{正文}}: where the generated body goes
DOCUMENT_FIELDS = (
    "标题", "发文字号", "成文日期", "印发日期", "签发人", "主送", "抄送",
    "发文机关", "印发机关", "份号", "密级", "紧急程度",
)  # fmt: skip
# Half- or full-width braces (a Chinese input method types ｛｝); spaces, also full-width, around the name.
FIELD = re.compile(r"[{｛]{2}[\s\u3000]*([^{}｛｝]*?)[\s\u3000]*[}｝]{2}")
MAIN_PLACE = "正文"


@dataclass(frozen=True)
class HouseField:
    name: str  # as written between the braces, spaces around it removed
    part: str  # the package part, e.g. word/document.xml, word/header1.xml
    place: str  # 正文 / 页眉 / 页脚 / 脚注 / 尾注
    paragraph: str  # the text of the paragraph holding it
    split: bool  # spread over several runs (Word's editing); found all the same

    @property
    def is_marker(self) -> bool:
        return self.name == MARKER and self.place == MAIN_PLACE


@dataclass(frozen=True)
class FieldMatch:
    name: str
    start: int  # in the paragraph's text
    end: int
    pieces: int  # how many <w:t> pieces it spans


def paragraph_fields(paragraph: ScannedParagraph) -> list[FieldMatch]:
    text = paragraph.text
    if "{" not in text and "｛" not in text:
        return []
    bounds = []
    offset = 0
    for piece in paragraph.pieces:
        bounds.append((offset, offset + len(piece.text)))
        offset += len(piece.text)
    found = []
    for match in FIELD.finditer(text):
        spanned = sum(1 for start, end in bounds if start < match.end() and end > match.start())
        found.append(FieldMatch(match.group(1), match.start(), match.end(), spanned))
    return found


def scan_part(package: HousePackage, part: str) -> ScannedPart:
    try:
        return scan(package.text(part))
    except XmlScanError:
        raise corrupt(package.path, f"内部文件 {part} 的 XML 不完整") from None


def parts(package: HousePackage) -> list[tuple[str, str]]:
    """(part, place) of every part that holds text: the main document, then headers, footers, notes."""
    return [(package.main, MAIN_PLACE), *package.stories]


def package_fields(package: HousePackage) -> list[HouseField]:
    found = []
    for part, place in parts(package):
        for paragraph in scan_part(package, part).paragraphs:
            for match in paragraph_fields(paragraph):
                found.append(HouseField(match.name, part, place, paragraph.text, match.pieces > 1))
    return found


def list_fields(path: Path) -> list[HouseField]:
    """Every ``{{…}}`` field of the house file at ``path``, in document order (see the module docstring)."""
    return package_fields(read_house(Path(path)))


def unknown_fields(package: HousePackage, known: Mapping[str, object] | set[str]) -> None:
    """Raise InputErrors naming the file and each field that is neither the marker nor in ``known``."""
    errors = []
    seen = set()
    for item in package_fields(package):
        if item.is_marker or item.name in known or (item.name, item.place) in seen:
            continue
        seen.add((item.name, item.place))
        if item.name == MARKER:
            message = f"{{{{正文}}}} 只能放在文档正文中，不能放在{item.place}里"
        elif not item.name:
            message = f"{item.place}中有空字段 {{{{}}}}，请写上字段名（如 {{{{发文字号}}}}）或删去"
        else:
            message = (
                f"{item.place}中有未知的字段 {{{{{item.name}}}}}；可用的字段有 "
                f"{'、'.join(DOCUMENT_FIELDS)} 以及 meeting.yaml 的项（如 {{{{meeting.name}}}}、{{{{purpose}}}}）"
            )
        errors.append(InputError(message, Location(file=package.path, field=item.name or None)))
    if errors:
        raise InputErrors(errors)


def _run_text(text: str, prefix: str) -> str:
    """Escaped text for inside one <w:t>: line breaks and tabs close it and reopen it around <w:br/>, <w:tab/>."""
    reopen = f'<{prefix}:t xml:space="preserve">'
    out = escape(xml_text(text))
    out = out.replace("\r\n", "\n").replace("\r", "\n")
    out = out.replace("\n", f"</{prefix}:t><{prefix}:br/>{reopen}").replace("\t", f"</{prefix}:t><{prefix}:tab/>{reopen}")
    return out


def fill_edits(scanned: ScannedPart, values: Mapping[str, str], skip: set[int] = frozenset()) -> list[tuple[int, int, str]]:
    """Edits writing ``values`` over the fields of ``scanned`` (paragraphs starting at an offset in ``skip`` are left).

    Every field must be in ``values`` (check with :func:`unknown_fields` first); a missing one is left as it is.
    """
    edits: list[tuple[int, int, str]] = []
    prefix = scanned.prefix
    for paragraph in scanned.paragraphs:
        if paragraph.start in skip:
            continue
        matches = [match for match in paragraph_fields(paragraph) if match.name in values]
        if not matches:
            continue
        offset = 0
        for piece in paragraph.pieces:
            length = len(piece.text)
            out: list[str] = []
            changed = False
            for index, char in enumerate(piece.text, start=offset):
                match = next((m for m in matches if m.start <= index < m.end), None)
                if match is None:
                    out.append(char)
                    continue
                changed = True
                if index == match.start:
                    out.append(values[match.name])
            offset += length
            if not changed:
                continue
            text = "".join(out)
            edits.append((piece.start, piece.end, _run_text(text, prefix)))
            if not piece.preserve:
                tag = scanned.xml[piece.tag_start : piece.tag_end]
                edits.append((piece.tag_start, piece.tag_end, tag[:-1].rstrip() + ' xml:space="preserve">'))
    return edits
