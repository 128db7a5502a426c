"""A document built on a house file: our generated body at its ``{{正文}}`` marker, its fields filled.

Everything of the house file outside the marker stays as it is: the same zip
members, the same bytes for media, headers and footers without fields, and
in document.xml the same text before and after the marker but for filled
fields. Our body is written by our own writer (``write_docx_fast``), without
our 版头 and 版记 (the house file has its own), and its ``w:body`` children
are put in place of the marker paragraph; the styles they use are appended
to the house styles.xml (``house.styles``).

Sections: our body's own page setup is the house file's. A portrait section
break of our body ends its section with a copy of the house file's last
section properties (margins, headers, footers); a landscape one (a wide
attachment of the notice) keeps ours, with our turned page numbers, whose
footer parts are added. When our body ends landscape, a section break after
it keeps the house file's 版记 portrait. When our body has section breaks,
the house file's last section loses a restart of page numbers and a
different first page, which would otherwise repeat after our breaks.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from drafting.document import Document
from drafting.docx.fast import write_docx_fast
from drafting.docx.profile import DEFAULT_PROFILE, StyleProfile
from drafting.docx.stylenames import STYLE_CARRIER
from drafting.errors import DraftingError, InputError, Location
from drafting.house.fields import DOCUMENT_FIELDS, FIELD, MARKER, fill_edits, paragraph_fields, scan_part, unknown_fields
from drafting.house.package import REL_NS, HousePackage, corrupt, parse_relationships, read_house, rels_name, resolve_target
from drafting.house.styles import OURS, HouseStyles, StyleMerge, merge_styles, rename_references, used_styles, without_numbers
from drafting.house.sections import house_section, is_landscape, parse_section
from drafting.house.zipout import package_bytes
from drafting.house.xmlscan import W_NS, ScannedParagraph, ScannedPart, apply_edits
from drafting.house.xmlscan import unescape as xml_unescape
from drafting.meeting import Meeting

R_NS = REL_NS
_W = "{%s}" % W_NS
_R = "{%s}" % R_NS
STYLES_TYPE = REL_NS + "/styles"
FONT_TABLE_TYPE = REL_NS + "/fontTable"
FOOTER_TYPE = REL_NS + "/footer"
HEADER_TYPE = REL_NS + "/header"
CONTENT_TYPES = {
    FOOTER_TYPE: "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    HEADER_TYPE: "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    STYLES_TYPE: "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
}
_SECTION = re.compile(r"<w:sectPr\b[^>]*?(?:/>|>.*?</w:sectPr>)", re.S)
_XMLNS = re.compile(r"""\sxmlns:([\w.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PREFIX = re.compile(r"</?([A-Za-z_][\w.\-]*):|\s([A-Za-z_][\w.\-]*):[\w.\-]+\s*=")
_DOC_PR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')



@dataclass
class HouseTemplate:
    """A house file read, checked and scanned once; each document is built on it with :func:`house_docx`."""

    package: HousePackage
    mode: str
    main: ScannedPart
    marker: ScannedParagraph
    stories: dict[str, ScannedPart]
    styles: HouseStyles
    styles_part: str | None
    root_namespaces: dict[str, str]
    final_section: str  # the body's own sectPr, as written in the house file
    known: frozenset[str] = field(default_factory=frozenset)
    cache: dict[object, object] = field(default_factory=dict)  # deflated members and style merges, shared by a batch


def known_fields(meeting: Meeting | None) -> set[str]:
    from drafting.house.values import meeting_values

    return {*DOCUMENT_FIELDS, *(meeting_values(meeting) if meeting is not None else {})}


def _root_namespaces(xml: str) -> dict[str, str]:
    start = xml.find("<", xml.find("?>") + 2 if xml.startswith("<?") else 0)
    end = xml.find(">", start)
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _XMLNS.finditer(xml[start:end])}


def load_house_template(path: Path, known: set[str], mode: str = OURS) -> HouseTemplate:
    """Read and check the house file: a usable .docx, exactly one ``{{正文}}`` alone in a body paragraph, known fields."""
    package = read_house(Path(path))
    where = Location(file=package.path)
    main = scan_part(package, package.main)
    markers = [p for p in main.paragraphs if any(f.name == MARKER for f in paragraph_fields(p))]
    if not markers:
        raise InputError(
            "版式文件中没有 {{正文}} 标记：请在要放正文的位置单独起一段，只写 {{正文}}，保存后再试", where
        )
    if len(markers) > 1:
        raise InputError(f"版式文件中有 {len(markers)} 处 {{{{正文}}}} 标记，只能有一处", where)
    marker = markers[0]
    if not marker.top_level:
        raise InputError("{{正文}} 不能放在表格、文本框或图形中：请把它单独成段放在文档正文里", where)
    if not FIELD.fullmatch(marker.text.strip(" \t\u3000")):
        raise InputError(f"{{{{正文}}}} 所在段落还有其他文字（“{marker.text.strip()[:40]}”）：请让 {{{{正文}}}} 单独成段", where)
    if main.body_end is None:
        raise corrupt(package.path, "找不到正文部分")
    unknown_fields(package, known)
    stories = {part: scan_part(package, part) for part, _ in package.stories}
    styles_part = next(
        (resolve_target(package.main, rel.target) for rel in package.relationships(package.main) if rel.type == STYLES_TYPE),
        None,
    )
    if styles_part is not None and styles_part not in package.blobs:
        styles_part = None
    try:
        styles = HouseStyles.read(package.text(styles_part) if styles_part else None)
    except etree.XMLSyntaxError:
        raise corrupt(package.path, "样式部分无法读取") from None
    namespaces = _root_namespaces(main.xml)
    if main.final_section is not None:
        start, end = main.final_section
        final = main.xml[start:end]
    else:  # no page setup of its own: Word's defaults, which our copies take too
        final = f"<{main.prefix}:sectPr/>"
    try:
        parse_section(final, namespaces)
    except etree.XMLSyntaxError:
        raise corrupt(package.path, "页面设置无法读取") from None
    return HouseTemplate(package, mode, main, marker, stories, styles, styles_part, namespaces, final, frozenset(known))


# Our package ------------------------------------------------------------------------------------


@dataclass
class _Ours:
    body: str  # the children of our w:body, without its final sectPr
    final_section: str
    namespaces: dict[str, str]
    styles: bytes
    rels: dict[str, str]  # rId → member name
    blobs: dict[str, bytes]


def _our_package(document: Document, profile: StyleProfile) -> _Ours:
    with tempfile.TemporaryDirectory(prefix="drafting-house-") as folder:
        path = Path(folder) / "body.docx"
        write_docx_fast(document, path, profile)
        with zipfile.ZipFile(path) as archive:
            blobs = {name: archive.read(name) for name in archive.namelist()}
    xml = blobs["word/document.xml"].decode("utf-8")
    open_end = xml.index(">", xml.index("<w:body")) + 1
    end = xml.rindex("</w:body>")
    start = xml.rindex("<w:sectPr", open_end, end)  # our writers end the body with its sectPr
    rels = {rel.id: resolve_target("word/document.xml", rel.target) for rel in parse_relationships(blobs["word/_rels/document.xml.rels"].decode("utf-8"))}
    return _Ours(xml[open_end:start], xml[start:end], _root_namespaces(xml), blobs["word/styles.xml"], rels, blobs)


# Sections ---------------------------------------------------------------------------------------


@dataclass
class _Added:
    """Parts, relationships and content types our body brings into the house package."""

    parts: dict[str, bytes] = field(default_factory=dict)
    rels: list[tuple[str, str, str]] = field(default_factory=list)  # (id, type, target relative to word/)
    overrides: list[tuple[str, str]] = field(default_factory=list)  # (part name, content type)


def _free_name(taken: set[str], stem: str, suffix: str) -> str:
    number = 1
    while f"{stem}{number}{suffix}" in taken:
        number += 1
    return f"{stem}{number}{suffix}"


def _landscape_section(
    section: etree._Element, ours: _Ours, template: HouseTemplate, added: _Added, taken: set[str], rel_ids: set[str], docpr: list[int]
) -> str:
    """Our landscape section properties, its footers (turned page numbers) copied into the house package."""
    for reference in [*section.findall(_W + "footerReference"), *section.findall(_W + "headerReference")]:
        rid = reference.get(_R + "id")
        source = ours.rels.get(rid or "")
        if source is None or source not in ours.blobs:
            section.remove(reference)
            continue
        footer = reference.tag == _W + "footerReference"
        name = _free_name(taken, "word/footer" if footer else "word/header", ".xml")
        taken.add(name)
        xml = ours.blobs[source].decode("utf-8")

        def renumber(match: re.Match[str]) -> str:
            docpr[0] += 1
            return match.group(1) + str(docpr[0]) + match.group(3)

        added.parts[name] = _DOC_PR.sub(renumber, xml).encode("utf-8")
        new_id = _free_name(rel_ids, "rIdHouse", "")
        rel_ids.add(new_id)
        kind = FOOTER_TYPE if footer else HEADER_TYPE
        added.rels.append((new_id, kind, name.removeprefix("word/")))
        added.overrides.append(("/" + name, CONTENT_TYPES[kind]))
        reference.set(_R + "id", new_id)
    return etree.tostring(section, encoding="unicode")


# Building ---------------------------------------------------------------------------------------


def _declare(fragment: str, declarations: dict[str, str]) -> str:
    """``fragment`` with ``declarations`` added to each of its top-level elements."""
    if not declarations:
        return fragment
    text = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in declarations.items())
    out, depth, position = [], 0, 0
    for match in re.finditer(r"<(/?)([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>", fragment):
        closing, empty = match.group(1) == "/", match.group(4) == "/"
        if closing:
            depth -= 1
            continue
        if depth == 0:
            out.append(fragment[position : match.start()] + f"<{match.group(2)}{text}")
            position = match.start() + 1 + len(match.group(2))
        if not empty:
            depth += 1
    out.append(fragment[position:])
    return "".join(out)


def _open_ranges(paragraph: str, prefix: str) -> str:
    """Bookmark and comment range marks of the marker paragraph whose other end lies elsewhere (kept at body level)."""
    marks = list(re.finditer(rf"<{prefix}:(bookmark|commentRange)(Start|End)\b[^>]*?\b{prefix}:id=\"([^\"]*)\"[^>]*/>", paragraph))
    ends: dict[tuple[str, str], int] = {}
    for mark in marks:
        key = (mark.group(1), mark.group(3))
        ends[key] = ends.get(key, 0) + 1
    return "".join(mark.group(0) for mark in marks if ends[(mark.group(1), mark.group(3))] == 1)


def _max_docpr(package: HousePackage) -> int:
    highest = 0
    for name in package.order:
        if name.endswith(".xml") and name.startswith("word/"):
            for match in _DOC_PR.finditer(package.blobs[name].decode("utf-8", "replace")):
                highest = max(highest, int(match.group(2)))
    return highest


def _insert_before_closing(xml: str, closing: str, text: str) -> str:
    index = xml.rfind(closing)
    if index < 0:
        raise ValueError(closing)
    return xml[:index] + text + xml[index:]


def house_docx(template: HouseTemplate, document: Document, values: dict[str, str], profile: StyleProfile = DEFAULT_PROFILE) -> bytes:
    """``document`` built on ``template`` as .docx bytes; ``values`` gives every field's text."""
    package = template.package
    body_document = dataclasses.replace(document, red_header=None, imprint=None)
    ours = _our_package(body_document, profile)
    namespaces = ours.namespaces

    added = _Added()
    taken = set(package.order)
    main_rels_name = rels_name(package.main)
    house_rels = package.relationships(package.main)
    rel_ids = {rel.id for rel in house_rels}
    docpr = [max(_max_docpr(package), 1000)]

    # Our sections: portrait ones take the house page setup, landscape ones keep ours.
    body = ours.body
    pieces: list[str] = []
    position = 0
    first = True
    sections = 0
    for match in _SECTION.finditer(body):
        section = parse_section(match.group(0), namespaces)
        if is_landscape(section):
            replacement = _landscape_section(section, ours, template, added, taken, rel_ids, docpr)
        else:
            replacement = etree.tostring(house_section(template.final_section, template.root_namespaces, section, first), encoding="unicode")
            first = False
        sections += 1
        pieces.append(body[position : match.start()] + replacement)
        position = match.end()
    pieces.append(body[position:])
    body = "".join(pieces)
    final = parse_section(ours.final_section, namespaces)
    carrier_id = None
    if is_landscape(final):
        carrier_id = STYLE_CARRIER
        section_text = _landscape_section(final, ours, template, added, taken, rel_ids, docpr)
        body += f'<w:p><w:pPr><w:pStyle w:val="{STYLE_CARRIER}"/>{section_text}</w:pPr></w:p>'
        sections += 1

    # Styles.
    footers_xml = "".join(blob.decode("utf-8") for blob in added.parts.values())
    used = used_styles(body) | used_styles(footers_xml) | ({carrier_id} if carrier_id else set())
    merge_key = ("merge", hash(ours.styles), frozenset(used))
    if merge_key not in template.cache:
        template.cache[merge_key] = merge_styles(template.styles, ours.styles, used, template.mode)
    merge = template.cache[merge_key]
    assert isinstance(merge, StyleMerge)
    body = without_numbers(rename_references(body, merge.body_ids), merge.unnumbered)
    for name in list(added.parts):
        added.parts[name] = rename_references(added.parts[name].decode("utf-8"), merge.body_ids).encode("utf-8")

    # Prefixes our body uses that the house document does not bind the same way.
    used_prefixes = {m.group(1) or m.group(2) for m in _PREFIX.finditer(body)} - {"xml", "xmlns"}
    missing = {p: namespaces[p] for p in used_prefixes if p in namespaces and template.root_namespaces.get(p) != namespaces[p]}
    body = _declare(body, missing)

    # document.xml: fields filled, the marker replaced by our body.
    main = template.main
    marker = template.marker
    edits = fill_edits(main, values, skip={marker.start})
    if marker.has_section:  # the marker ends a section: keep its (now empty) paragraph for the section break
        edits.append((marker.start, marker.start, body))
        edits.extend((piece.start, piece.end, "") for piece in marker.pieces)
    else:
        edits.append((marker.start, marker.end, _open_ranges(main.xml[marker.start : marker.end], main.prefix) + body))
    if sections:  # after a landscape end the last section simply starts on a new page
        edits.extend(_final_section_edits(template, etree.Element(_W + "sectPr") if is_landscape(final) else final))
    replaced: dict[str, bytes] = {package.main: apply_edits(main.xml, edits).encode("utf-8")}
    for part, scanned in template.stories.items():
        story_edits = fill_edits(scanned, values)
        if story_edits:
            replaced[part] = apply_edits(scanned.xml, story_edits).encode("utf-8")

    # Fonts our styles name, with the fallbacks Word tries when they are missing.
    fonts_part = _font_table_part(template)
    fonts_key = ("fonts", hash(ours.blobs.get("word/fontTable.xml", b"")))
    if fonts_key not in template.cache:
        template.cache[fonts_key] = _merged_fonts(package.text(fonts_part), ours.blobs.get("word/fontTable.xml", b"").decode("utf-8")) if fonts_part else None
    if fonts_part is not None and template.cache[fonts_key] is not None:
        replaced[fonts_part] = template.cache[fonts_key]  # type: ignore[assignment]

    # styles.xml, relationships, content types.
    if template.styles_part is not None:
        closing = "</" + (template.styles_part and _styles_prefix(package.text(template.styles_part))) + ":styles>"
        styles_key = ("styles", merge_key)
        if styles_key not in template.cache:
            merged = _insert_before_closing(package.text(template.styles_part), closing, merge.added).encode("utf-8")
            template.cache[styles_key] = merged
        replaced[template.styles_part] = template.cache[styles_key]  # type: ignore[assignment]
    else:
        added.parts["word/styles.xml"] = ours.styles
        new_id = _free_name(rel_ids, "rIdHouse", "")
        added.rels.append((new_id, STYLES_TYPE, "styles.xml"))
        added.overrides.append(("/word/styles.xml", CONTENT_TYPES[STYLES_TYPE]))
    if added.rels:
        text = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in added.rels)
        if main_rels_name in package.blobs:
            replaced[main_rels_name] = _insert_before_closing(package.text(main_rels_name), "</Relationships>", text).encode("utf-8")
        else:
            added.parts[main_rels_name] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{text}</Relationships>'
            ).encode("utf-8")
    if added.overrides:
        text = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in added.overrides)
        replaced["[Content_Types].xml"] = _insert_before_closing(package.text("[Content_Types].xml"), "</Types>", text).encode("utf-8")
    return package_bytes(package, template.cache, replaced, added.parts)


def _font_table_part(template: HouseTemplate) -> str | None:
    package = template.package
    for rel in package.relationships(package.main):
        if rel.type == FONT_TABLE_TYPE and not rel.external:
            part = resolve_target(package.main, rel.target)
            if part in package.blobs:
                return part
    return None


_FONT = re.compile(r"<w:font\b[^>]*?\bw:name=\"([^\"]*)\"[^>]*>.*?</w:font>", re.S)


def _merged_fonts(house_xml: str, our_xml: str) -> bytes | None:
    """The house font table with our fonts it does not list appended (None: nothing to add)."""
    prefix = _styles_prefix(house_xml, "fonts")
    names = set(re.findall(rf"<{prefix}:font\b[^>]*?\b{prefix}:name=\"([^\"]*)\"", house_xml))
    missing = [m.group(0) for m in _FONT.finditer(our_xml) if xml_unescape(m.group(1)) not in {xml_unescape(n) for n in names}]
    if not missing:
        return None
    declared = [text.replace("<w:font ", f'<w:font xmlns:w="{W_NS}" ', 1) for text in missing]
    return _insert_before_closing(house_xml, f"</{prefix}:fonts>", "".join(declared)).encode("utf-8")


def _styles_prefix(xml: str, root: str = "styles") -> str:
    match = re.search(rf"<([A-Za-z_][\w.\-]*):{root}\b", xml)
    return match.group(1) if match else "w"


def _final_section_edits(template: HouseTemplate, ours: etree._Element) -> list[tuple[int, int, str]]:
    """The house file's last section, now starting at our last section break: how it starts (next or odd page)
    and whether its page numbers restart are ours; no different first page (see module doc)."""
    if template.main.final_section is None:
        return []
    start, end = template.main.final_section
    updated = etree.tostring(house_section(template.final_section, template.root_namespaces, ours, first=False), encoding="unicode")
    original = etree.tostring(parse_section(template.final_section, template.root_namespaces), encoding="unicode")
    return [] if updated == original else [(start, end, updated)]


def write_house_docx(template: HouseTemplate, document: Document, path: Path, meeting: Meeting | None, profile: StyleProfile = DEFAULT_PROFILE) -> None:
    """Write ``document`` built on ``template`` to ``path``."""
    from drafting.house.values import field_values

    data = house_docx(template, document, field_values(document, meeting), profile)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise DraftingError(f"无法写入 Word 文件 {path}：{exc.strerror or exc}") from exc
