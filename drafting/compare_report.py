"""A comparison of two drafts as Chinese text or JSON (``drafting compare``)."""

from __future__ import annotations

import json

from drafting.check.units import document_units, draft_units
from drafting.compare import Comparison, Place, compare_units
from drafting.document import Document
from drafting.readers.draft import Draft


def _place(place: Place) -> str:
    where = f"第{place.paragraph}段" if place.paragraph is not None else "—"
    return f"{where}〔{place.section or '开头部分'}〕"


def share_line(comparison: Comparison) -> str:
    """One sentence: how much of the new draft repeats the old one."""
    return (
        f"新稿 {comparison.total} 句中有 {len(comparison.pairs)} 句与旧稿相同或近似，"
        f"重复率 {comparison.share:.1%}（相同 {comparison.exact} 句，近似 {comparison.near} 句）。"
    )


def format_comparison(comparison: Comparison) -> str:
    lines = [f"旧稿：{comparison.old_name}", f"新稿：{comparison.new_name}", share_line(comparison)]
    lines.append(
        f"（按句比较，标题也算一句，少于{comparison_min_chars()}个字的短句不计；去掉标点和空白后相同为“相同”，"
        f"数字不计、字符二元组相似度≥{comparison.threshold:g}为“近似”。）"
    )
    if comparison.pairs:
        lines.append("\n与旧稿重复的句子（新稿位置 ← 旧稿位置）：")
        for pair in comparison.pairs:
            tag = "相同" if pair.kind == "exact" else f"近似 {pair.similarity:.2f}"
            lines.append(f"  [{tag}] 新稿{_place(pair.new.place)} ← 旧稿{_place(pair.old.place)}")
            lines.append(f"    新：{pair.new.text}")
            if pair.kind == "near":
                lines.append(f"    旧：{pair.old.text}")
    if comparison.coverage is not None:
        lines.append("\n重点工作覆盖变化（提及次数）：")
        for row in comparison.coverage:
            if row.old == row.new:
                change = "不变"
            else:
                change = "增加" if row.new > row.old else "减少"
            warn = "  （新稿未达要求）" if not row.new_satisfied else ""
            lines.append(f"  {row.priority}：旧稿 {row.old} 次 → 新稿 {row.new} 次，{change}{warn}")
    changed = [f for f in comparison.figures if f.changed]
    same = [f for f in comparison.figures if not f.changed]
    if changed:
        lines.append("\n数字变化：")
        for figure in changed:
            lines.append(f"  {figure.what or '（无上下文）'}：{figure.old} → {figure.new}  新稿{_place(figure.new_place)}")
    if same:
        lines.append("\n与旧稿相同的数字（请核实是否已按今年情况更新）：")
        for figure in same:
            lines.append(f"  {figure.what or '（无上下文）'}：{figure.new}  新稿{_place(figure.new_place)}")
    return "\n".join(lines)


def previous_share(previous: Draft, speech: Document | None) -> str:
    """The share line for ``drafting build --previous``: the built speech against a previous draft."""
    if speech is None:
        return "本次没有生成讲话稿，未作比较。"
    comparison = compare_units(draft_units(previous), document_units(speech))
    return share_line(comparison)


def comparison_min_chars() -> int:
    from drafting.compare import MIN_CHARS

    return MIN_CHARS


def comparison_json(comparison: Comparison) -> str:
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2)
