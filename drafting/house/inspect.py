"""Inspect a house 版式 file against GB/T 9704: page, grid, fonts, page numbers, the body marker and its fields.

``inspect_house_file`` returns facts (millimetres, points, font names) and
``items``: one judgement per point, each ``ok``, ``warning`` (differs from the
standard, still usable), ``info`` or ``error`` (the file cannot be used as a
house file). The numbers compared with are the style profile's
(:mod:`drafting.docx.profile`); nothing here restates them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree

from drafting.docx.profile import DEFAULT_PROFILE, Margins, StyleProfile, mm_to_pt
from drafting.house import wordprops
from drafting.house.fields import DOCUMENT_FIELDS, FIELD, MARKER as MARKER_NAME, HouseField, package_fields, paragraph_fields, scan_part
from drafting.house.package import HousePackage, corrupt, read_house
from drafting.house.findings import ERROR, INFO, OK, WARNING, Item, family, font_text, format_mm
from drafting.house.pagenumbers import PageNumber, page_numbers
from drafting.house.wordprops import Font, PageSetup, StyleSheet

MARKER = "{{" + MARKER_NAME + "}}"
MARGIN_TOLERANCE_MM = 0.5  # Word stores twips; a margin typed as 3.7 厘米 is 37.01 mm
PAGE_TOLERANCE_MM = 1
_ROLES = (("正文", "normal"), ("标题", "title"), *((f"标题 {n}", f"heading {n}") for n in range(1, 5)))


@dataclass(frozen=True)
class StyleFont:
    role: str  # 正文, 标题, 标题 1…
    style: str  # the style's name in the file
    font: Font
    used: bool  # some paragraph of the file has this style


@dataclass(frozen=True)
class FontUse:
    part: str  # 正文, 页眉, 页脚
    east_asia: str | None
    latin: str | None
    size_pt: float | None
    chars: int


@dataclass
class HouseInspection:
    path: Path
    sections: list[PageSetup]
    even_and_odd: bool
    styles: list[StyleFont]
    fonts_used: list[FontUse]
    page_numbers: list[PageNumber]
    marker_places: list[str]  # where each {{正文}} is: 正文, 页眉, 页脚…
    marker_alone: bool
    fields: list[HouseField]  # every other {{…}} field, in document order
    images: int
    items: list[Item] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not any(item.status == ERROR for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "usable": self.usable,
            "sections": [{k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(s).items()} for s in self.sections],
            "even_and_odd_footers": self.even_and_odd,
            "styles": [{"role": s.role, "style": s.style, "used": s.used, **asdict(s.font)} for s in self.styles],
            "fonts_used": [asdict(f) for f in self.fonts_used],
            "page_numbers": [asdict(p) for p in self.page_numbers],
            "marker": {"text": MARKER, "count": len(self.marker_places), "places": self.marker_places, "alone": self.marker_alone},
            "fields": [{"name": f.name, "place": f.place, "split": f.split, "kind": field_kind(f.name)} for f in self.fields],
            "images": self.images,
            "items": [asdict(i) for i in self.items],
        }


def inspect_house_file(path: Path, profile: StyleProfile = DEFAULT_PROFILE, known: set[str] | None = None) -> HouseInspection:
    """Read ``path`` (InputError when it is no readable .docx) and judge it against ``profile``.

    ``known``: the field names a meeting offers (``house.splice.known_fields``); any other field is an error.
    Without it, fields that are not 公文要素 are listed as meeting.yaml keys to be checked when building.
    """
    package = read_house(path)  # the checks every house file gets: .doc/.wps, size, zip limits
    try:
        doc = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - python-docx's many parse failures: a damaged file
        raise corrupt(path) from None
    body = doc.element.body
    sheet = StyleSheet(doc.styles.element)
    settings = doc.settings.element
    even_and_odd = _on(settings.find(qn("w:evenAndOddHeaders")))
    tracked = (qn("w:pPrChange"), qn("w:sectPrChange"))  # a tracked change's earlier page setup
    sect_prs = [p for p in body.iter(qn("w:sectPr")) if not any(a.tag in tracked for a in p.iterancestors())]
    sections = [wordprops.page_setup(s) for s in sect_prs]
    parts = _header_footer_parts(doc)
    inspection = HouseInspection(
        path=path,
        sections=sections,
        even_and_odd=even_and_odd,
        styles=_declared_styles(sheet, body),
        fonts_used=_fonts_used(sheet, body, parts),
        page_numbers=[],
        marker_places=[],
        marker_alone=False,
        fields=[],
        images=wordprops.image_count(body) + sum(wordprops.image_count(e) for _, e in parts),
    )
    items = inspection.items
    for index, setup in enumerate(sections, start=1):
        label = f"第{index}节" if len(sections) > 1 else ""
        items += _page_items(setup, profile, label)
        items += _grid_items(setup, sheet, profile, label)
    if sections:
        items += _line_spacing_item(sections[0], sheet, profile)
    else:
        items.append(Item("page", "页面设置", "文件中没有（按 Word 的默认设置，通常是 Letter 纸）", WARNING, "A4，页边距按 GB/T 9704"))
    items += _font_items(inspection.styles, profile)
    inspection.page_numbers, number_items = page_numbers(doc, sect_prs, sections, sheet, even_and_odd, profile)
    items += number_items
    found = package_fields(package)
    inspection.marker_places, inspection.marker_alone, marker_items = _marker(package, found)
    items += marker_items
    inspection.fields = [f for f in found if f.name != MARKER_NAME]
    items += _field_items(inspection.fields, known)
    return inspection


def _on(element: etree._Element | None) -> bool:
    return element is not None and (element.get(qn("w:val")) or "1").lower() not in ("0", "false", "off")


def _header_footer_parts(doc: Any) -> list[tuple[str, etree._Element]]:
    parts = []
    for rel in doc.part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("header", "footer"):
            parts.append(("页眉" if kind == "header" else "页脚", rel.target_part.element))
    return parts


def _margins_text(top: float | None, bottom: float | None, left: float | None, right: float | None) -> str:
    return f"上 {format_mm(top)}、下 {format_mm(bottom)}、左 {format_mm(left)}、右 {format_mm(right)} mm"


def _close(value: float | None, wanted: float, tolerance: float) -> bool:
    return value is not None and abs(value - wanted) <= tolerance


def _house_profile(setup: PageSetup, profile: StyleProfile) -> StyleProfile:
    """The profile with this section's page and margins (what the type area of the house file is)."""
    m = profile.margins
    return replace(
        profile,
        page_width_mm=setup.width_mm or profile.page_width_mm,
        page_height_mm=setup.height_mm or profile.page_height_mm,
        margins=Margins(
            top_mm=setup.top_mm if setup.top_mm is not None else m.top_mm,
            bottom_mm=setup.bottom_mm if setup.bottom_mm is not None else m.bottom_mm,
            left_mm=(setup.left_mm if setup.left_mm is not None else m.left_mm) + (setup.gutter_mm or 0),
            right_mm=setup.right_mm if setup.right_mm is not None else m.right_mm,
        ),
    )


def _page_items(setup: PageSetup, profile: StyleProfile, section: str) -> list[Item]:
    items = []
    width, height = setup.width_mm, setup.height_mm
    a4 = f"A4 纵向（{format_mm(profile.page_width_mm)} × {format_mm(profile.page_height_mm)} mm）"
    if _close(width, profile.page_width_mm, PAGE_TOLERANCE_MM) and _close(height, profile.page_height_mm, PAGE_TOLERANCE_MM):
        items.append(Item("page", f"{section}纸张", a4, OK))
    elif _close(width, profile.page_height_mm, PAGE_TOLERANCE_MM) and _close(height, profile.page_width_mm, PAGE_TOLERANCE_MM):
        items.append(Item("page", f"{section}纸张", "A4 横向", WARNING, a4))
    else:
        items.append(Item("page", f"{section}纸张", f"{format_mm(width)} × {format_mm(height)} mm", WARNING, a4))
    m = profile.margins
    have = (setup.top_mm, setup.bottom_mm, setup.left_mm, setup.right_mm)
    want = (m.top_mm, m.bottom_mm, m.left_mm, m.right_mm)
    fits = all(_close(h, w, MARGIN_TOLERANCE_MM) for h, w in zip(have, want))
    items.append(Item("page", f"{section}页边距", _margins_text(*have), OK if fits else WARNING, "" if fits else _margins_text(*want)))
    house = _house_profile(setup, profile)
    area = f"{format_mm(house.type_width_mm)} × {format_mm(house.type_height_mm)} mm"
    area_fits = _close(house.type_width_mm, profile.type_width_mm, MARGIN_TOLERANCE_MM) and _close(
        house.type_height_mm, profile.type_height_mm, MARGIN_TOLERANCE_MM
    )
    wanted_area = f"{format_mm(profile.type_width_mm)} × {format_mm(profile.type_height_mm)} mm"
    items.append(Item("page", f"{section}版心", area, OK if area_fits else WARNING, "" if area_fits else wanted_area))
    if setup.gutter_mm:
        items.append(Item("page", f"{section}装订线", f"{format_mm(setup.gutter_mm)} mm（版心因此变窄）", WARNING, "0 mm"))
    return items


def _grid_items(setup: PageSetup, sheet: StyleSheet, profile: StyleProfile, section: str) -> list[Item]:
    house = _house_profile(setup, profile)
    height_pt, width_pt = mm_to_pt(house.type_height_mm), mm_to_pt(house.type_width_mm)
    wanted = f"每页 {profile.lines_per_page} 行、每行 {profile.chars_per_line} 字"
    items = []
    normal = sheet.named("Normal")
    normal_font = sheet.style_font(normal) if normal is not None else Font(None, None, None, False)
    if setup.grid_type in (None, "default"):
        items.append(Item("grid", f"{section}文档网格", "未设网格（行数由行距决定）", INFO))
    elif setup.line_pitch_pt:
        lines = math.floor(height_pt / setup.line_pitch_pt + 1e-6)
        value = f"每页 {lines} 行（行距 {setup.line_pitch_pt:g} 磅）"
        good = lines == profile.lines_per_page
        if setup.grid_type == "linesAndChars" and normal_font.size_pt:
            pitch = normal_font.size_pt + (setup.char_space or 0) / 4096
            chars = math.floor(width_pt / pitch + 1e-6)
            value = f"每页 {lines} 行、每行 {chars} 字（行距 {setup.line_pitch_pt:g} 磅，字符跨度 {pitch:.2f} 磅）"
            good = good and chars == profile.chars_per_line
        items.append(Item("grid", f"{section}文档网格", value, OK if good else WARNING, "" if good else wanted))
    # The generated body keeps the profile's line pitch and character advance (drafting.house.splice): how it fills this type area.
    body_lines = math.floor(height_pt / profile.line_pitch_pt + 1e-6)
    body_chars = math.floor(width_pt / profile.body_char_pt + 1e-6)
    good = (body_lines, body_chars) == (profile.lines_per_page, profile.chars_per_line)
    how = f"行距 {profile.line_pitch_pt:g} 磅、字符跨度 {profile.body_char_pt:g} 磅"
    value = f"按本程序的排版（{how}），本文件的版心每页排 {body_lines} 行、每行 {body_chars} 字"
    items.append(Item("grid", f"{section}生成的正文", value, OK if good else WARNING, "" if good else wanted))
    return items


def _line_spacing_item(setup: PageSetup, sheet: StyleSheet, profile: StyleProfile) -> list[Item]:
    """The 正文 style's line spacing (how many lines it gives on this page) and space before and after."""
    normal = sheet.named("Normal")
    if normal is None:
        return []
    items = []
    spacing = sheet.style_property(normal, "w:spacing")
    rule = spacing.get(qn("w:lineRule")) if spacing is not None else None
    line = sheet.style_spacing(normal, "w:line")
    if not line or rule not in ("exact", "atLeast"):
        items.append(Item("grid", "正文样式行距", "未用固定行距（行数由网格或字号决定）", INFO))
    else:
        lines = math.floor(mm_to_pt(_house_profile(setup, profile).type_height_mm) / (line / 20) + 1e-6)
        good = lines == profile.lines_per_page
        kind = "固定值" if rule == "exact" else "最小值"
        value = f"{kind} {line / 20:g} 磅，每页 {lines} 行"
        items.append(Item("grid", "正文样式行距", value, OK if good else WARNING, "" if good else f"每页 {profile.lines_per_page} 行"))
    before, after = sheet.style_spacing(normal, "w:before") or 0, sheet.style_spacing(normal, "w:after") or 0
    good = before == after == 0
    value = f"段前 {before / 20:g} 磅、段后 {after / 20:g} 磅"
    items.append(Item("grid", "正文样式段前段后", value, OK if good else WARNING, "" if good else "段前段后均为 0"))
    return items


def _declared_styles(sheet: StyleSheet, body: etree._Element) -> list[StyleFont]:
    used = {sheet.paragraph_style_id(p) for p in body.iter(qn("w:p"))}
    found = []
    for role, name in _ROLES:
        style = sheet.named(name)
        if style is not None:
            shown = style.find(qn("w:name")).get(qn("w:val"))
            found.append(StyleFont(role, shown, sheet.style_font(style), style.get(qn("w:styleId")) in used))
    return found


def _font_items(styles: list[StyleFont], profile: StyleProfile) -> list[Item]:
    wanted = {"正文": (profile.body_font, profile.body_size_pt), "标题": (profile.title_font, profile.title_size_pt)}
    for level in range(1, 5):
        wanted[f"标题 {level}"] = (profile.heading_font(level), profile.body_size_pt)
    items = []
    for style in styles:
        font, size = wanted[style.role]
        value = font_text(style.font)
        label = f"“{style.role}”样式"
        if style.role != "正文" and not style.used:
            items.append(Item("fonts", label, f"{value}（本文件未用到；meeting.yaml 中 house.styles 为 theirs 时，生成的同级标题才用它）", INFO))
            continue
        if wordprops.THEME_MARK in (style.font.east_asia or ""):
            items.append(Item("fonts", label, value, WARNING, f"{font}（应在样式中直接选定中文字体；主题字体在 Word 中可能显示为日文字体）"))
            continue
        good = family(style.font.east_asia) == family(font) and style.font.size_pt == size
        items.append(Item("fonts", label, value, OK if good else WARNING, "" if good else f"{font}，{size:g} 磅"))
    return items


def _fonts_used(sheet: StyleSheet, body: etree._Element, parts: list[tuple[str, etree._Element]]) -> list[FontUse]:
    counts: dict[tuple[str, str | None, str | None, float | None], int] = {}
    for part, element in (("正文", body), *parts):
        for paragraph in element.iter(qn("w:p")):
            for run in wordprops.visible_runs(paragraph):
                if next(run.iterancestors(qn("w:p"))) is not paragraph:
                    continue  # a text box's own paragraph: counted when iter() reaches it
                text = wordprops.run_text(run).strip()
                if text:
                    font = sheet.run_font(run, paragraph)
                    key = (part, font.east_asia, font.latin, font.size_pt)
                    counts[key] = counts.get(key, 0) + len(text)
    order = ("正文", "页眉", "页脚")
    ordered = sorted(counts.items(), key=lambda kv: (order.index(kv[0][0]), -kv[1]))
    return [FontUse(part, east_asia, latin, size, chars) for (part, east_asia, latin, size), chars in ordered]


def _marker(package: HousePackage, found: list[HouseField]) -> tuple[list[str], bool, list[Item]]:
    """The ``{{正文}}`` marker as the build takes it (``house.splice.load_house_template``): one, alone, in the body."""
    in_main = [p for p in scan_part(package, package.main).paragraphs for f in paragraph_fields(p) if f.name == MARKER_NAME]
    elsewhere = [f.place for f in found if f.name == MARKER_NAME and not f.is_marker]
    places = ["正文" if p.top_level else "表格或文本框" for p in in_main] + elsewhere
    alone = all(FIELD.fullmatch(p.text.strip()) is not None for p in in_main)  # {{正文}} or {{ 正文 }}
    label = "标记 " + MARKER
    if not places:
        how = f"在版头之后另起一段，只输入 {MARKER}"
        return places, False, [Item("marker", label, f"没有找到，生成的正文无处可放（{how}）", ERROR)]
    if len(places) > 1:
        return places, alone, [Item("marker", label, f"有 {len(places)} 处（{'、'.join(places)}）", ERROR, "恰好一处")]
    if places[0] != "正文":
        return places, alone, [Item("marker", label, f"在{places[0]}中，正文无法插入那里", ERROR, "文档正文中单独一段")]
    if not alone:
        value = f"所在段落还有其他文字：{in_main[0].text.strip()}"
        return places, alone, [Item("marker", label, value, ERROR, f"该段只有 {MARKER}")]
    return places, alone, [Item("marker", label, "在正文中，独占一段", OK)]


def field_kind(name: str) -> str:
    """What fills a field: a 公文要素 every document offers, or a meeting.yaml key (checked when building)."""
    return "公文要素" if name in DOCUMENT_FIELDS else "会议信息"


def _field_items(fields: list[HouseField], known: set[str] | None) -> list[Item]:
    items = []
    for f in fields:
        where = f"{f.place}，Word 分成了几段文字，仍可识别" if f.split else f.place
        if not f.name:
            items.append(Item("fields", "{{}}", f"{f.place}中有空字段", ERROR, "写上字段名（如 {{发文字号}}）或删去"))
        elif known is not None and f.name not in known:
            value = f"未知的字段（{where}），生成时会报错"
            items.append(Item("fields", "{{" + f.name + "}}", value, ERROR, f"{'、'.join(DOCUMENT_FIELDS)} 或会议信息中的项"))
        elif known is not None and f.name not in DOCUMENT_FIELDS:
            items.append(Item("fields", "{{" + f.name + "}}", f"取自会议信息（{where}）", OK))
        elif f.name in DOCUMENT_FIELDS:
            items.append(Item("fields", "{{" + f.name + "}}", f"公文要素（{where}）", OK))
        else:
            value = f"取自 meeting.yaml 的 {f.name}（{where}）；生成时核对会议信息中有没有这一项"
            items.append(Item("fields", "{{" + f.name + "}}", value, INFO))
    return items
