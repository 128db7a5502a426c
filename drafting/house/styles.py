"""Our styles in the house file's styles.xml: which of them are added, under which ids, and which one wins.

The house file's styles.xml is kept as it is; the styles our body uses are
appended before its closing tag. Our ``Normal`` is never added as Normal
(that would restyle every paragraph of the house file): it becomes the
custom style :data:`BASE_STYLE`, holding our document defaults too, and our
styles are based on it, so our body looks as in a file of our own whatever
the house file's 正文 says. It does not snap to the house file's document
grid: our lines keep their exact pitch (22 to a GB/T 9704 page).

Where the house file defines a style of the same role — Word's built-in
正文 (Normal), 标题 (Title), 标题 1–4 (heading 1–4), or a style of the same
name as ours (公文正文, 一级标题…) — ``house.styles`` in meeting.yaml says
which wins: ``ours`` (the default) keeps our definitions for our body;
``theirs`` makes our paragraphs of that role use the house file's style.
Our style whose id or name is taken in the house file gets a free one
(公文正文 → 公文正文2), so house paragraphs keep their own styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from drafting.docx.oxml import _PPR_ORDER, _RPR_ORDER
from drafting.docx.stylenames import HEADING_STYLES, STYLE_BODY, STYLE_TITLE
from drafting.house.xmlscan import W_NS

OURS, THEIRS = "ours", "theirs"
BASE_STYLE = "公文基准"
# Our style id → the name of Word's built-in style of the same role (names in styles.xml are English).
ROLES = {STYLE_BODY: "normal", STYLE_TITLE: "title", **{name: f"heading {n}" for n, name in enumerate(HEADING_STYLES, 1)}}

_W = "{%s}" % W_NS
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
STYLE_REFERENCE = re.compile(r'(<w:(?:pStyle|rStyle|tblStyle) w:val=")([^"]*)(")')


def parse_xml(text: str | bytes) -> etree._Element:
    return etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text, _PARSER)


@dataclass(frozen=True)
class HouseStyle:
    id: str
    name: str
    type: str
    default: bool
    numbered: bool = False  # its pPr links it to a list (automatic numbers)
    based_on: str | None = None


@dataclass
class HouseStyles:
    """What the house styles.xml defines (read once per house file)."""

    styles: list[HouseStyle] = field(default_factory=list)

    @classmethod
    def read(cls, xml: str | None) -> "HouseStyles":
        if xml is None:
            return cls()
        root = parse_xml(xml)
        found = []
        for style in root.iter(_W + "style"):
            name = style.find(_W + "name")
            number = style.find(f"{_W}pPr/{_W}numPr/{_W}numId")
            based_on = style.find(_W + "basedOn")
            found.append(
                HouseStyle(
                    style.get(_W + "styleId", ""),
                    name.get(_W + "val", "") if name is not None else "",
                    style.get(_W + "type", "paragraph"),
                    style.get(_W + "default") in ("1", "true", "on"),
                    number is not None and number.get(_W + "val") not in (None, "0"),
                    based_on.get(_W + "val") if based_on is not None else None,
                )
            )
        return cls(found)

    def ids(self) -> set[str]:
        return {s.id for s in self.styles}

    def names(self) -> set[str]:
        return {s.name.casefold() for s in self.styles}

    def by_name(self, name: str, kind: str = "paragraph") -> HouseStyle | None:
        wanted = name.casefold()
        return next((s for s in self.styles if s.type == kind and s.name.casefold() == wanted), None)

    def numbered(self, style_id: str) -> bool:
        """Whether paragraphs of the style get automatic numbers (from it or a style it is based on)."""
        by_id = {s.id: s for s in self.styles}
        seen: set[str] = set()
        current = by_id.get(style_id)
        while current is not None and current.id not in seen:
            if current.numbered:
                return True
            seen.add(current.id)
            current = by_id.get(current.based_on or "")
        return False

    def default(self, kind: str) -> HouseStyle | None:
        return next((s for s in self.styles if s.type == kind and s.default), None)


@dataclass(frozen=True)
class StyleMerge:
    added: str  # serialized <w:style> elements to append to the house styles.xml
    body_ids: dict[str, str]  # our style id → the id our body and footers refer to in the merged file
    unnumbered: frozenset[str] = frozenset()  # house style ids our paragraphs take whose automatic numbers they must not


def _merge_properties(defaults: etree._Element | None, own: etree._Element | None, tag: str) -> etree._Element | None:
    """``own`` (a pPr/rPr) over ``defaults``: children of the same tag merge attribute by attribute."""
    if defaults is None and own is None:
        return None
    merged = etree.Element(_W + tag)
    children: dict[str, etree._Element] = {}
    for source in (defaults, own):
        if source is None:
            continue
        for child in source:
            if not isinstance(child.tag, str):
                continue
            if child.tag in children:
                children[child.tag].attrib.update(child.attrib)
            else:
                copy = etree.fromstring(etree.tostring(child))
                children[child.tag] = copy
    order = {_W + name[2:]: index for index, name in enumerate(_PPR_ORDER if tag == "pPr" else _RPR_ORDER)}
    for child in sorted(children.values(), key=lambda child: order.get(child.tag, len(order))):
        merged.append(child)
    return merged


def _free(wanted: str, taken: set[str]) -> str:
    if wanted.casefold() not in taken:
        return wanted
    number = 2
    while f"{wanted}{number}".casefold() in taken:
        number += 1
    return f"{wanted}{number}"


def merge_styles(house: HouseStyles, ours_xml: bytes, used: set[str], mode: str = OURS) -> StyleMerge:
    """Our styles that ``used`` (style ids of our body and footers) needs, ready to append to the house styles.xml."""
    root = parse_xml(ours_xml)
    ours = {style.get(_W + "styleId"): style for style in root.iter(_W + "style")}
    defaults_ppr = root.find(f"{_W}docDefaults/{_W}pPrDefault/{_W}pPr")
    defaults_rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")

    def is_default(style: etree._Element) -> bool:
        return style.get(_W + "default") in ("1", "true", "on")

    # Which of our styles are needed: the used ones and what they are based on, linked to, followed by.
    needed: list[str] = []
    pending = [sid for sid in used if sid in ours]
    while pending:
        sid = pending.pop()
        if sid in needed:
            continue
        needed.append(sid)
        for tag in ("basedOn", "link", "next"):
            ref = ours[sid].find(_W + tag)
            if ref is not None and ref.get(_W + "val") in ours:
                pending.append(ref.get(_W + "val"))

    taken_ids = {i.casefold() for i in house.ids()}
    taken_names = house.names()
    ids: dict[str, str] = {}  # our id → id in the merged file, for the styles we add
    for sid in sorted(needed, key=lambda s: (not is_default(ours[s]), s)):
        style = ours[sid]
        kind = style.get(_W + "type", "paragraph")
        if is_default(style) and kind != "paragraph":
            house_default = house.default(kind)
            if house_default is not None:
                ids[sid] = house_default.id  # e.g. Default Paragraph Font: the house's own
                continue
        wanted = BASE_STYLE if (is_default(style) and kind == "paragraph") else sid
        name = style.find(_W + "name")
        wanted_name = BASE_STYLE if wanted == BASE_STYLE else (name.get(_W + "val") if name is not None else sid)
        new_id = _free(wanted, taken_ids | taken_names)
        if new_id != wanted or wanted_name.casefold() in taken_names:
            new_id = _free(wanted, taken_ids | taken_names | {wanted.casefold()})
        ids[sid] = new_id
        taken_ids.add(new_id.casefold())
        taken_names.add(new_id.casefold())

    added: list[str] = []
    for sid in needed:
        style = ours[sid]
        new_id = ids[sid]
        if new_id in house.ids() and house.default(style.get(_W + "type", "paragraph")) is not None and new_id == house.default(style.get(_W + "type", "paragraph")).id:
            continue  # the house's default character/table style stands for ours
        copy = etree.fromstring(etree.tostring(style))
        copy.set(_W + "styleId", new_id)
        name = copy.find(_W + "name")
        if name is not None:
            name.set(_W + "val", new_id)
        if is_default(style):
            copy.attrib.pop(_W + "default", None)
            copy.set(_W + "customStyle", "1")
            if style.get(_W + "type", "paragraph") == "paragraph":
                for tag, defaults in (("pPr", defaults_ppr), ("rPr", defaults_rpr)):
                    own = copy.find(_W + tag)
                    if tag == "pPr":  # our exact line pitch, not the house file's document grid (often 15.6 pt)
                        own = own if own is not None else etree.SubElement(copy, _W + "pPr")
                        grid = own.find(_W + "snapToGrid")
                        if grid is None:
                            grid = etree.SubElement(own, _W + "snapToGrid")
                        grid.set(_W + "val", "0")
                    merged = _merge_properties(defaults, own, tag)
                    if merged is None:
                        continue
                    if own is not None:
                        own.getparent().replace(own, merged)
                    else:
                        copy.append(merged)
                _order_style_children(copy)
        for tag in ("basedOn", "link", "next"):
            ref = copy.find(_W + tag)
            if ref is None:
                continue
            target = ref.get(_W + "val")
            if target in ids:
                ref.set(_W + "val", ids[target])
            else:
                copy.remove(ref)
        added.append(etree.tostring(copy, encoding="unicode"))

    body_ids = dict(ids)
    if mode == THEIRS:
        for sid in needed:
            style = ours[sid]
            name = style.find(_W + "name")
            same_name = house.by_name(name.get(_W + "val")) if name is not None else None
            role = ROLES.get(sid)
            theirs = same_name or (house.by_name(role) if role else None)
            if role == "normal" and theirs is None:
                theirs = house.default("paragraph")
            if theirs is not None:
                body_ids[sid] = theirs.id
    taken = {body_ids[sid] for sid in needed if body_ids[sid] != ids.get(sid)}
    unnumbered = frozenset(sid for sid in taken if house.numbered(sid))
    return StyleMerge("".join(added), body_ids, unnumbered)


# pPr children that come before numPr (schema order), as our writers emit them
_BEFORE_NUMBERS = re.compile(r"(?:<w:(?:keepNext|keepLines|pageBreakBefore|framePr|widowControl)\b[^>]*/>)*")


def without_numbers(xml: str, style_ids: frozenset[str]) -> str:
    """Our paragraphs of ``style_ids`` (house styles linked to a list) with numbering off: our numbers are in the text."""
    if not style_ids:
        return xml
    pattern = re.compile(r'<w:pPr><w:pStyle w:val="(?:%s)"/>' % "|".join(re.escape(i) for i in style_ids))
    off = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
    out, position = [], 0
    for match in pattern.finditer(xml):
        end = _BEFORE_NUMBERS.match(xml, match.end()).end()  # type: ignore[union-attr]  # matches "" at least
        out.append(xml[position:end] + off)
        position = end
    out.append(xml[position:])
    return "".join(out)


_STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
    "tblPr", "trPr", "tcPr", "tblStylePr",
)  # fmt: skip


def _order_style_children(style: etree._Element) -> None:
    """Children in schema order (Word refuses a style whose rPr comes before its pPr)."""
    rank = {_W + name: index for index, name in enumerate(_STYLE_ORDER)}
    children = sorted(style, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        style.append(child)


def rename_references(xml: str, ids: dict[str, str]) -> str:
    """``xml`` (our own body or footer, prefix w) with pStyle/rStyle/tblStyle values mapped through ``ids``."""
    return STYLE_REFERENCE.sub(lambda m: m.group(1) + ids.get(m.group(2), m.group(2)) + m.group(3), xml)


def used_styles(xml: str) -> set[str]:
    return {m.group(2) for m in STYLE_REFERENCE.finditer(xml)}
