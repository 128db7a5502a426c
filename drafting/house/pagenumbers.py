"""Page-number footers of a house file: a PAGE field, — N — in 半角宋体 4号, odd pages right and even pages left, 7 mm below the type area."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from drafting.docx.profile import MM_PER_INCH, PT_PER_INCH, StyleProfile
from drafting.house import wordprops
from drafting.house.findings import INFO, OK, SPACES, WARNING, Item, family, font_text, format_mm
from drafting.house.wordprops import Font, PageSetup, StyleSheet

NUMBER_GAP_TOLERANCE_MM = 1.5
OUTSIDE, INSIDE = "outside", "inside"  # w:framePr/@w:xAlign of a frame that follows the page's side
_FOOTER_NAMES = {"default": "奇数页", "even": "偶数页", "first": "首页"}


@dataclass(frozen=True)
class PageNumber:
    section: int
    footer: str  # 奇数页 / 偶数页 / 首页 / 所有页
    text: str  # e.g. "— {PAGE} —"; empty when the footer has no PAGE field
    align: str | None  # left, center, right, both…
    side_chars: float  # blank on the aligned side, in characters of the number's size
    east_asia: str | None
    latin: str | None
    size_pt: float | None


def page_numbers(
    doc: Any, sect_prs: list[etree._Element], sections: list[PageSetup], sheet: StyleSheet, even_and_odd: bool, profile: StyleProfile
) -> tuple[list[PageNumber], list[Item]]:
    numbers: list[PageNumber] = []
    items: list[Item] = []
    seen: set[str] = set()
    for index, (sect_pr, setup) in enumerate(zip(sect_prs, sections), start=1):
        for kind, rid in wordprops.footer_references(sect_pr):
            if kind == "even" and not even_and_odd or kind == "first" and not setup.title_page:
                continue  # Word does not show this footer
            seen.add(kind)
            name = _FOOTER_NAMES.get(kind, kind) if even_and_odd or kind == "first" else "所有页"
            where = f"第{index}节{name}页脚" if len(sections) > 1 else f"{name}页脚"
            number, found = _footer_number(doc.part.related_parts[rid].element, sheet, index, name, kind, setup, even_and_odd, profile, where)
            items += found
            if number is not None:
                numbers.append(number)
    # One footer for all pages whose number sits in a frame on the outer side: Word moves the frame with the page
    # (单页居右、双页居左); LibreOffice keeps it on one side, so this is said, not judged.
    outside = bool(numbers) and all(n.align == OUTSIDE for n in numbers if n.footer != "首页")
    if outside and not even_and_odd:
        items.insert(0, Item("page_numbers", "奇偶页", "未设“奇偶页不同”，页码在外侧图文框中（Word 中随单双页换边）", INFO))
    elif not even_and_odd:
        items.insert(0, Item("page_numbers", "奇偶页", "未设“奇偶页不同”，各页页码在同一侧", WARNING, "奇偶页不同：单页页码居右、双页居左"))
    if not seen:
        items.append(Item("page_numbers", "页脚", "没有页脚，文件不带页码", WARNING, "— 1 — 形式的页码"))
    else:
        for kind in ("default", "even") if even_and_odd else ("default",):
            if kind not in seen:  # a section without its own footer of a kind shows none
                name = _FOOTER_NAMES[kind] if even_and_odd else "所有页"
                items.append(Item("page_numbers", f"{name}页脚", "没有，这些页不显示页码", WARNING, "— 1 — 形式的页码"))
    return numbers, items


def _footer_number(
    footer: etree._Element,
    sheet: StyleSheet,
    section: int,
    name: str,
    kind: str,
    setup: PageSetup,
    even_and_odd: bool,
    profile: StyleProfile,
    where: str,
) -> tuple[PageNumber | None, list[Item]]:
    for paragraph in footer.iter(qn("w:p")):
        text, instructions = wordprops.field_text(paragraph)
        page = next((i for i in instructions if i.split() and i.split()[0].upper() == "PAGE"), None)
        if page is not None:
            break
    else:
        status = INFO if kind == "first" else WARNING
        return None, [Item("page_numbers", where, "没有页码域（PAGE）", status, "" if kind == "first" else "— 1 — 形式的页码")]
    items = []
    dash = profile.page_number_dash
    wanted = f"{dash} 1 {dash}"
    shown = text.replace("{PAGE}", "1", 1).strip(SPACES)
    left, _, right = text.partition("{PAGE}")
    left_mark, right_mark = left.strip(SPACES), right.strip(SPACES)
    switches = page.upper().split("\\*")[1:]
    arabic = all(s.strip().split()[0] in ("ARABIC", "MERGEFORMAT", "CHARFORMAT") for s in switches if s.strip())
    good_form = left_mark == dash and right_mark == dash and arabic
    items.append(Item("page_numbers", f"{where}形式", shown, OK if good_form else WARNING, "" if good_form else wanted))
    # the dashes and the number (the field's result) alike: 半角宋体 4号
    fonts = [sheet.run_font(r, paragraph) for r in wordprops.visible_runs(paragraph) if wordprops.run_text(r).strip()]

    def number_font_ok(font: Font) -> bool:
        return family(font.latin or font.east_asia) == family(profile.page_number_font) and font.size_pt == profile.page_number_size_pt

    font = next((f for f in fonts if not number_font_ok(f)), fonts[0] if fonts else Font(None, None, None, False))
    good_font = bool(fonts) and number_font_ok(font)
    items.append(
        Item(
            "page_numbers",
            f"{where}字体",
            font_text(font),
            OK if good_font else WARNING,
            "" if good_font else f"半角{profile.page_number_font}，{profile.page_number_size_pt:g} 磅（4号）",
        )
    )
    jc = sheet.paragraph_property(paragraph, "w:jc")
    align = {"start": "left", "end": "right"}.get(jc.get(qn("w:val")), jc.get(qn("w:val"))) if jc is not None else "left"
    frame = sheet.paragraph_property(paragraph, "w:framePr")
    frame_align = frame.get(qn("w:xAlign")) if frame is not None else None
    want_align = "left" if kind == "even" else "right"
    wanted_place = f"{'居左，左' if want_align == 'left' else '居右，右'}空{profile.page_number_side_chars:g}字"
    if frame_align in (OUTSIDE, INSIDE):  # a frame that changes sides with the page
        align, side = frame_align, 0.0
        place = "图文框在外侧（Word 中单页居右、双页居左，请翻页核对）" if frame_align == OUTSIDE else "图文框在内侧（单页居左、双页居右）"
        good_place = kind == "first" or frame_align == OUTSIDE
    else:
        if frame_align in ("left", "right", "center"):
            align = frame_align
        side = _side_chars(sheet, paragraph, align, text, font.size_pt or profile.page_number_size_pt)
        side_name = {"right": "居右", "left": "居左", "center": "居中"}.get(align or "", align or "")
        good_place = kind == "first" or align == want_align and abs(side - profile.page_number_side_chars) <= 0.5
        place = f"{side_name}，{'右' if align == 'right' else '左'}空 {side:g} 字" if align in ("left", "right") else side_name
    status = (INFO if frame_align == OUTSIDE else OK) if good_place else WARNING
    items.append(Item("page_numbers", f"{where}位置", place, status, "" if good_place else wanted_place))
    if setup.bottom_mm is not None and setup.footer_mm is not None:
        size = font.size_pt or profile.page_number_size_pt
        gap = setup.bottom_mm - setup.footer_mm - size / PT_PER_INCH * MM_PER_INCH
        good_gap = abs(gap - profile.page_number_gap_mm) <= NUMBER_GAP_TOLERANCE_MM
        items.append(
            Item(
                "page_numbers",
                f"{where}距版心",
                f"约 {gap:.1f} mm（页脚距边界 {format_mm(setup.footer_mm)} mm）",
                OK if good_gap else WARNING,
                "" if good_gap else f"{profile.page_number_gap_mm:g} mm",
            )
        )
    number = PageNumber(section, name, text.strip(SPACES), align, side, font.east_asia, font.latin, font.size_pt)
    return number, items


def _side_chars(sheet: StyleSheet, paragraph: etree._Element, align: str | None, text: str, size_pt: float) -> float:
    """Blank on the aligned side, in characters: the indent plus spaces typed at that end."""
    if align not in ("left", "right"):
        return 0
    ind = sheet.paragraph_property(paragraph, "w:ind")
    ends = ("w:right", "w:end") if align == "right" else ("w:left", "w:start")
    chars = 0.0
    if ind is not None:
        hundredths = next((wordprops.twips(ind, f"{e}Chars") for e in ends if wordprops.twips(ind, f"{e}Chars") is not None), None)
        if hundredths is not None:
            chars = hundredths / 100
        else:
            twips = next((wordprops.twips(ind, e) for e in ends if wordprops.twips(ind, e) is not None), 0)
            chars = twips / 20 / size_pt
    tail = text[len(text.rstrip(SPACES)) :] if align == "right" else text[: len(text) - len(text.lstrip(SPACES))]
    chars += sum(1 if ch == "\u3000" else 0.5 for ch in tail if ch != "\t")
    return round(chars, 2)
