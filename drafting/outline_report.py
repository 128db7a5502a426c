"""An outline as Chinese text (a heading tree) or as JSON (``drafting outline``)."""

from __future__ import annotations

import json
import re
from typing import Any

from drafting.outline import Node, Outline, Para
from drafting.quantities import find_quantities
from drafting.readers.headings import chinese_to_int

_LEVELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def _where(first: int | None, last: int | None = None) -> str:
    if first is None:
        return ""
    if last is not None and last != first:
        return f"第{first}—{last}段"
    return f"第{first}段"


def _para_line(para: Para) -> str | None:
    """A line for the parts worth seeing in a tree: lists, tables, figures."""
    figures = "、".join(dict.fromkeys(q.text for q in para.figures))
    data = f"  数据：{figures}" if figures else ""
    where = _where(para.number, para.last_number)
    if para.kind == "items":
        labels = "第一，第二，" if para.style == "第" else "一是、二是"
        how = "合为一段" if para.inline else "各自成段"
        return f"列举 {labels}……共{len(para.items)}项（{how}）  {where}{data}"
    loose = labelled_items(para.text) if para.kind == "text" else 0
    if loose:
        return f"列举 一是、二是……共{loose}项（合为一段，标点与模板不同，照原文作一段文字）  {where}{data}"
    if para.kind == "table":
        return f"表格 {len(para.rows)}行×{len(para.rows[0]) if para.rows else 0}列  {where}{data}"
    if figures:
        return f"正文  {where}{data}"
    return None


_IS_LABEL = re.compile(r"(?:^|(?<=[：:。；;，,！？]))([一二三四五六七八九十]{1,3})是(?=[\u4e00-\u9fff“])")


def labelled_items(text: str) -> int:
    """How many 一是、二是…… in a row a paragraph holds (0 when fewer than two)."""
    expected = 1
    for match in _IS_LABEL.finditer(text):
        if chinese_to_int(match.group(1)) == expected:
            expected += 1
    return expected - 1 if expected > 2 else 0


def _node_lines(node: Node, indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    tag = "［标题后接正文］" if node.run_in else ""
    lines.append(f"{pad}{node.number}{node.title}{tag}  {_LEVELS.get(node.level, '')}标题  {_where(node.paragraph)}")
    if node.run_in:
        figures = "、".join(dict.fromkeys(q.text for q in find_quantities(node.run_in)))
        lines.append(f"{pad}    接排：{_excerpt(node.run_in)}" + (f"  数据：{figures}" if figures else ""))
    text_paras = sum(1 for p in node.body if p.kind == "text")
    if text_paras:
        lines.append(f"{pad}    正文{text_paras}段")
    for para in node.body:
        line = _para_line(para)
        if line:
            lines.append(f"{pad}    {line}")
    for child in node.children:
        _node_lines(child, indent + 1, lines)


def _excerpt(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def format_outline(outline: Outline) -> str:
    """The heading tree with lists, tables, figures and stated counts, in Chinese."""
    lines = [f"《{outline.title or '（未识别出标题）'}》  {outline.path.name}"]
    if outline.byline:
        lines.append(f"署名：{outline.byline}")
    if outline.salutation:
        lines.append(f"称谓：{outline.salutation}")
    if outline.opening:
        first, last = outline.opening[0].number, outline.opening[-1].number
        lines.append(f"开场白  {len(outline.opening)}段  {_where(first, last)}")
        for para in outline.opening:
            line = _para_line(para)
            if line:
                lines.append(f"    {line}")
    for section in outline.sections:
        _node_lines(section, 0, lines)
    if outline.closing:
        first, last = outline.closing[0].number, outline.closing[-1].number
        lines.append(f"结束语  {len(outline.closing)}段  {_where(first, last)}")
    declared = outline.declared_counts()
    if declared:
        lines.append("数量声明：")
        for item in declared:
            verdict = "相符" if item.matches else "不符"
            lines.append(f"  “{item.quote}”  {_where(item.paragraph)}  其后{item.what}{item.found}个，{verdict}")
    counts = {level: 0 for level in _LEVELS}
    for node in outline.nodes():
        counts[node.level] = counts.get(node.level, 0) + 1
    lists = sum(1 for _, p in outline.paras() if p.kind == "items")
    tables = sum(1 for _, p in outline.paras() if p.kind == "table")
    data = sum(1 for _, p in outline.paras() if p.figures)
    data += sum(1 for n in outline.nodes() if n.run_in and find_quantities(n.run_in))
    heads = "，".join(f"{_LEVELS[level]}标题{n}个" for level, n in counts.items() if n)
    lines.append(f"合计：{heads or '没有标题'}；列举{lists}组；表格{tables}张；含数字的段落{data}段。")
    for number, what in outline.skipped:
        lines.append(f"注意：{_where(number)} {what}")
    return "\n".join(lines)


def _para_dict(para: Para) -> dict[str, Any]:
    data: dict[str, Any] = {"paragraph": para.number, "kind": para.kind}
    if para.kind == "text":
        data["text"] = para.text
        data["inline_labels"] = labelled_items(para.text)  # 一是、二是 kept as text
    elif para.kind == "items":
        data.update(lead=para.lead, items=para.items, inline=para.inline, style=para.style, last_paragraph=para.last_number)
    else:
        data["rows"] = para.rows
    data["figures"] = [q.text for q in para.figures]
    return data


def _node_dict(node: Node) -> dict[str, Any]:
    return {
        "level": node.level,
        "number": node.number,
        "title": node.title,
        "run_in": node.run_in,
        "paragraph": node.paragraph,
        "body": [_para_dict(p) for p in node.body],
        "children": [_node_dict(c) for c in node.children],
    }


def outline_json(outline: Outline) -> str:
    data = {
        "file": str(outline.path),
        "title": outline.title,
        "title_lines": outline.title_lines,
        "byline": outline.byline,
        "salutation": outline.salutation,
        "opening": [_para_dict(p) for p in outline.opening],
        "sections": [_node_dict(s) for s in outline.sections],
        "closing": [_para_dict(p) for p in outline.closing],
        "declared_counts": [
            {"paragraph": d.paragraph, "quote": d.quote, "declared": d.declared, "found": d.found, "what": d.what, "matches": d.matches}
            for d in outline.declared_counts()
        ],
        "skipped": [{"paragraph": n, "what": w} for n, w in outline.skipped],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
