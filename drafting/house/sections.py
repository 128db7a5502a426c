"""Section properties (sectPr) of our body on a house file: the house page setup, our start and numbering.

A portrait section of our body ends with a copy of the house file's last
section properties (its margins, headers, footers); the copy takes how our
section starts (next or odd page) and a page-number restart from ours, and
only the first keeps the house file's different first page and restart.
"""

from __future__ import annotations

from lxml import etree

from drafting.house.styles import parse_xml
from drafting.house.xmlscan import W_NS

_W = "{%s}" % W_NS
_SECT_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
    "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)  # fmt: skip


def parse_section(text: str, namespaces: dict[str, str]) -> etree._Element:
    declarations = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items())
    wrapper = parse_xml(f"<wrapper{declarations}>{text}</wrapper>")
    return wrapper[0]


def _set_child(section: etree._Element, name: str) -> etree._Element:
    found = section.find(_W + name)
    if found is not None:
        return found
    element = etree.SubElement(section, _W + name)
    rank = {_W + n: i for i, n in enumerate(_SECT_ORDER)}
    children = sorted(section, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        section.append(child)
    return element


def is_landscape(section: etree._Element) -> bool:
    size = section.find(_W + "pgSz")
    return size is not None and size.get(_W + "orient") == "landscape"


def house_section(house: str, namespaces: dict[str, str], ours: etree._Element, first: bool) -> etree._Element:
    """The house file's section properties ``house`` (text, prefixes bound by ``namespaces``) ending one of our
    portrait sections whose own properties are ``ours``; ``first``: the section holding the house file's first page."""
    copy = parse_section(house, namespaces)
    kind = ours.find(_W + "type")
    existing = copy.find(_W + "type")
    if existing is not None:
        copy.remove(existing)
    if kind is not None:
        _set_child(copy, "type").set(_W + "val", kind.get(_W + "val", "nextPage"))
    start = ours.find(_W + "pgNumType")
    restart = start.get(_W + "start") if start is not None else None
    numbers = copy.find(_W + "pgNumType")
    if restart is not None:
        _set_child(copy, "pgNumType").set(_W + "start", restart)
    elif numbers is not None and not first:
        numbers.attrib.pop(_W + "start", None)
    if not first:
        title_page = copy.find(_W + "titlePg")
        if title_page is not None:
            copy.remove(title_page)
    return copy
