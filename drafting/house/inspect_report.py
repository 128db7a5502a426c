"""A house-file inspection as Chinese text or JSON (``drafting house check``)."""

from __future__ import annotations

import json

from drafting.house.findings import ERROR, INFO, OK, TOPICS, WARNING, Item
from drafting.house.inspect import HouseInspection

STATUS_NAMES = {OK: "符合", WARNING: "注意", INFO: "说明", ERROR: "错误"}


def verdict(inspection: HouseInspection) -> str:
    """One sentence: usable or not, and how many points differ from GB/T 9704."""
    errors = [i for i in inspection.items if i.status == ERROR]
    warnings = [i for i in inspection.items if i.status == WARNING]
    if errors:
        return f"不能用作版式文件：{'；'.join(f'{i.label}{i.value}' for i in errors)}。"
    if warnings:
        return f"可以使用；有 {len(warnings)} 处与 GB/T 9704 不同（标为“注意”），如是本单位的惯例可以不改。"
    return "可以使用，检查的各项均符合 GB/T 9704。"


def _item_line(item: Item) -> str:
    line = f"  [{STATUS_NAMES[item.status]}] {item.label}：{item.value}"
    if item.expected:
        source = "应为" if item.topic in ("marker", "fields") else "GB/T 9704："
        line += f"（{source}{item.expected}）"
    return line


def format_text(inspection: HouseInspection) -> str:
    lines = [f"版式文件：{inspection.path}", f"结论：{verdict(inspection)}"]
    for topic, title in TOPICS.items():
        items = [i for i in inspection.items if i.topic == topic]
        if topic == "fields":
            lines += ["", title, *(_item_line(i) for i in items)] if items else ["", title, "  （没有其他字段）"]
            continue
        if not items and topic != "fonts":
            continue
        lines += ["", title, *(_item_line(i) for i in items)]
        if topic == "fonts" and inspection.fonts_used:
            lines.append("  实际用到的字体（字数）：")
            for use in inspection.fonts_used:
                size = f"{use.size_pt:g} 磅" if use.size_pt else "字号未设"
                latin = f"（西文 {use.latin}）" if use.latin and use.latin != use.east_asia else ""
                lines.append(f"    {use.part}  {use.east_asia or '未设中文字体'}{latin}  {size}  {use.chars} 字")
    if inspection.images:
        lines += ["", f"图片：{inspection.images} 张（如徽标），生成时原样保留。"]
    return "\n".join(lines)


def format_json(inspection: HouseInspection) -> str:
    return json.dumps(inspection.to_json(), ensure_ascii=False, indent=2)
