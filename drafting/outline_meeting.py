"""An old speech becomes a meeting folder (``drafting outline FILE --to-meeting DIR``).

``meeting_yaml`` writes the outline as meeting.yaml with ``speech.verbatim: true``,
so that ``drafting build DIR --only speech`` gives back the same speech: same
title, headings at the same levels, the same sentences. Paragraphs holding
figures carry a ``# 数据：`` comment. Stated counts that match what follows become
``[[count]]`` / ``[[count:items]]`` so they stay right when sections or items are
added. ``write_meeting_folder`` adds what a folder needs besides meeting.yaml
(the example's ledger, a priorities.yaml stub), rebuilds the speech from the
staged folder to verify the round trip, and only then moves the files into place.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from drafting.dates import parse_date
from drafting.errors import InputError, Location
from drafting.example import write_example
from drafting.folder import MEETING_FILE, PRIORITIES_FILE
from drafting.output import commit_batch, refuse_existing
from drafting.outline import Node, Outline, Para, comparable_lines, declared_placeholder
from drafting.templating.filters import cn_date

_TITLE_NAME = re.compile(r"^在(.+?)上的(?:讲话|发言|致辞|总结讲话|讲话提纲|主持词)$")
_BYLINE = re.compile(r"^[（(]\s*(\S+?)\s+(\d{4}年\d{1,2}月\d{1,2}日)\s*[）)]$")
_BYLINE_DATE = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)")
_SCOPES = ("全区", "全县", "全市", "全镇", "全省")
TO_FILL = "待填写"
_SHOWN_FIGURES = 6
LEDGER_NOTE = "projects.xlsx"


@dataclass
class MeetingDraft:
    """What ``--to-meeting`` produced: the YAML text and what was guessed or stubbed."""

    yaml_text: str
    notes: list[str] = field(default_factory=list)  # Chinese, one line each
    figures: int = 0  # paragraphs marked as holding figures
    placeholders: int = 0  # stated counts turned into [[count]]


# -- YAML text ---------------------------------------------------------------


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when it reads back the same, else a JSON (double-quoted) string."""
    if text and text == text.strip() and "\n" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.figures = 0
        self.placeholders = 0

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def figure_comment(self, indent: int, para_texts: list[str]) -> None:
        from drafting.quantities import find_quantities

        found = [q.text for text in para_texts for q in find_quantities(text)]
        if found:
            self.figures += 1
            unique = list(dict.fromkeys(found))
            shown = "、".join(unique[:_SHOWN_FIGURES]) + (f"等{len(unique)}处" if len(unique) > _SHOWN_FIGURES else "")
            self.line(indent, f"# 数据：{shown}（请改为今年的数字，或改用 data: 由台账生成）")

    def counted(self, text: str, count: int, placeholder: str) -> str:
        result = declared_placeholder(text, count, placeholder)
        if result != text:
            self.placeholders += 1
        return result

    def points(self, indent: int, points: list[tuple[str, object]]) -> None:
        for kind, value in points:
            if kind == "text":
                assert isinstance(value, str)
                self.figure_comment(indent, [value])
                self.line(indent, f"- {_scalar(value)}")
            elif kind == "items":
                assert isinstance(value, Para)
                self.figure_comment(indent, value.texts())
                lead = self.counted(value.lead, len(value.items), "[[count:items]]")
                first = True
                if lead:
                    self.line(indent, f"- lead: {_scalar(lead)}")
                    first = False
                for key, shown in (("inline", value.inline), ("style", value.style != "是")):
                    if shown:
                        text = "true" if key == "inline" else value.style
                        self.line(indent, f"{'- ' if first else '  '}{key}: {text}")
                        first = False
                self.line(indent, f"{'- ' if first else '  '}items:")
                for item in value.items:
                    self.line(indent + 4, f"- {_scalar(item)}")
            elif kind == "table":
                assert isinstance(value, Para)
                self.figure_comment(indent, value.texts())
                self.line(indent, "- table:")
                for row in value.rows:
                    self.line(indent + 4, "- [" + ", ".join(json.dumps(c, ensure_ascii=False) for c in row) + "]")
            elif kind == "heading":
                assert isinstance(value, Node)
                if value.run_in:
                    self.figure_comment(indent, [value.run_in])
                self.line(indent, f"- heading: {_scalar(value.title)}")
                if value.level != 3:
                    self.line(indent, f"  level: {value.level}")
                if value.run_in:
                    self.line(indent, f"  text: {_scalar(value.run_in)}")


def _node_points(node: Node, count_subheadings: bool) -> list[tuple[str, object]]:
    """A section's or subsection's own points: its paragraphs, then its 1./（1） headings flattened."""
    below = sum(1 for child in node.children if child.level == 2) if count_subheadings else 0
    points: list[tuple[str, object]] = []
    for para in node.body:
        if para.kind == "text":
            points.append(("text", para.text if not below else ("count", para.text)))
        else:
            points.append((para.kind, para))
    for child in node.children:
        if child.level >= 3:
            points.extend(_deep_points(child))
    return points


def _deep_points(node: Node) -> list[tuple[str, object]]:
    points: list[tuple[str, object]] = [("heading", node)]
    points.extend((p.kind, p.text if p.kind == "text" else p) for p in node.body)
    for child in node.children:
        points.extend(_deep_points(child))
    return points


def _resolve_counts(writer: _Writer, points: list[tuple[str, object]], count: int) -> list[tuple[str, object]]:
    resolved: list[tuple[str, object]] = []
    for kind, value in points:
        if kind == "text" and isinstance(value, tuple):
            value = writer.counted(value[1], count, "[[count]]")
        resolved.append((kind, value))
    return resolved


def meeting_yaml(outline: Outline, source_name: str) -> MeetingDraft:
    """The meeting.yaml text that rebuilds ``outline``'s speech, with notes on what was guessed."""
    if not outline.sections:
        raise InputError(
            "原稿中没有找到一级标题（一、二、……），无法转成会议文件夹；请先给讲话的各部分加上“一、”“二、”标题",
            Location(file=outline.path),
        )
    notes: list[str] = []
    w = _Writer()
    title = outline.title or ""
    name_match = _TITLE_NAME.match(title)
    name = name_match.group(1) if name_match else ""
    speaker, held, byline = _byline(outline.byline)
    w.line(0, f"# 由 drafting outline 从《{source_name}》生成。讲话稿逐字照本文件排（speech.verbatim: true）：")
    w.line(0, "# 改文字就改这里；标有“# 数据：”的段落含有数字，请逐一改为今年的数字。")
    w.line(0, "meeting:")
    w.line(2, f"name: {_scalar(name or TO_FILL + '会议名称')}")
    if not name:
        notes.append("会议名称未能从标题中识别，已写“待填写会议名称”")
    if held is not None:
        w.line(2, f"date: {held.isoformat()}    # 取自原稿署名日期，请改为本次会议日期")
    else:
        w.line(2, f"date: {date.today().isoformat()}    # 原稿没有署名日期，请改为本次会议日期")
    w.line(2, f"organizer: {TO_FILL}主办单位")
    scope = _scope(outline)
    if scope:
        w.line(2, f"scope: {scope}")
    w.line(2, "speaker:")
    w.line(4, f"name: {_scalar(speaker or TO_FILL + '讲话人')}")
    w.line(4, f"title: {TO_FILL}职务")
    w.line(0, f"purpose: {TO_FILL}会议目的    # 生成进度通报、责任书时使用；讲话稿不用")
    notes.append("主办单位、讲话人职务、会议目的原稿中没有，已写“待填写……”，请在 meeting.yaml 中补上")
    w.line(0, "speech:")
    title_lines = outline.title_lines or [TO_FILL + "讲话标题"]
    w.line(2, f"title: {_scalar(chr(10).join(title_lines))}")
    w.line(2, "verbatim: true    # 逐字照录：不自动生成开场白和结束语")
    if byline is not None:
        w.line(2, f"byline: {_scalar(byline)}")
    w.line(2, f"salutation: {_scalar(outline.salutation or '')}")
    if outline.opening:
        w.line(2, "opening:")
        for para in outline.opening:
            for text in para.texts():
                text = w.counted(text, len(outline.sections), "[[count]]")
                w.figure_comment(4, [text])
                w.line(4, f"- {_scalar(text)}")
    w.line(2, "sections:")
    for section in outline.sections:
        w.line(4, f"- title: {_scalar(section.title + (section.run_in or ''))}")
        subsections = [child for child in section.children if child.level == 2]
        points = _resolve_counts(w, _node_points(section, True), len(subsections))
        if points:
            w.line(6, "body:")
            w.points(8, points)
        if subsections:
            w.line(6, "subsections:")
            for sub in subsections:
                w.line(8, f"- title: {_scalar(sub.title)}")
                sub_points = _node_points(sub, False)
                if sub.run_in:
                    w.line(8, "  run_in: true")
                    first = sub_points[0] if sub_points else None
                    if (
                        first is not None
                        and first[0] == "items"
                        and isinstance(first[1], Para)
                        and not first[1].inline
                        and not first[1].lead
                        and sub.run_in.endswith(("：", ":"))
                    ):
                        first[1].lead = sub.run_in
                    else:
                        sub_points.insert(0, ("text", sub.run_in))
                if sub_points:
                    w.line(10, "body:")
                    w.points(12, sub_points)
    if outline.closing:
        w.line(2, "closing:")
        for para in outline.closing:
            w.figure_comment(4, [para.text])
            w.line(4, f"- {_scalar(para.text)}")
    for number, what in outline.skipped:
        notes.append(f"原稿第{number}段：{what}" if number else what)
    draft = MeetingDraft("\n".join(w.lines) + "\n", notes, w.figures, w.placeholders)
    return draft


def _byline(text: str | None) -> tuple[str | None, date | None, str | None]:
    """(speaker, date, byline to write): a standard （张某某  2026年3月6日） is regenerated from speaker and date."""
    if text is None:
        return None, None, ""
    match = _BYLINE.match(text)
    if match:
        try:
            held = parse_date(match.group(2))
        except ValueError:
            held = None
        if held is not None and cn_date(held) == match.group(2):
            return match.group(1), held, None
    found = _BYLINE_DATE.search(text)
    held = None
    if found:
        try:
            held = parse_date(found.group(1))
        except ValueError:
            held = None
    return None, held, text


def _scope(outline: Outline) -> str | None:
    text = "".join(t for _, p in outline.paras() for t in p.texts())
    counts = {scope: text.count(scope) for scope in _SCOPES}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else None


def _priorities_stub(outline: Outline) -> str:
    from drafting.check.keywords import top_keywords

    words = top_keywords((t for _, p in outline.paras() for t in p.texts()), 8)
    lines = [
        "# 重点工作清单（drafting check --priorities 与 drafting build 核对讲话稿是否覆盖）。",
        "# 由 drafting outline 生成时为空；下面是原讲话稿的高频词，可取消注释后按今年的重点修改。",
        "priorities: []",
    ]
    if words:
        lines.append("# priorities:")
        lines.extend(f"#   - name: {word}" for word in words)
    return "\n".join(lines) + "\n"


# -- the folder ----------------------------------------------------------------


@dataclass
class FolderResult:
    written: list[Path]
    notes: list[str]
    differences: list[str]
    figures: int
    placeholders: int


def write_meeting_folder(outline: Outline, target: Path, *, force: bool = False) -> FolderResult:
    """Write meeting.yaml, priorities.yaml and projects.xlsx for ``outline`` into ``target``.

    Nothing is written when the folder already holds one of these files (unless
    ``force``) or when the staged folder does not build; a folder created here
    is removed again on failure.
    """
    from drafting.build import BuildOptions, plan_build

    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError("这是一个文件，不是文件夹", Location(file=target))
    draft = meeting_yaml(outline, outline.path.name)
    names = (MEETING_FILE, PRIORITIES_FILE, LEDGER_NOTE)
    if not force:
        refuse_existing([target / name for name in names], hint="如需覆盖，请加 --force，或换一个文件夹")
    with tempfile.TemporaryDirectory(prefix="drafting-outline-") as temp:
        stage = Path(temp)
        write_example(stage)
        (stage / MEETING_FILE).write_text(draft.yaml_text, encoding="utf-8")
        (stage / PRIORITIES_FILE).write_text(_priorities_stub(outline), encoding="utf-8")
        try:
            # the speech's wording, not a Word layout of it (a template in the user library may add its own lines)
            plan = plan_build(stage, BuildOptions(only=frozenset({"speech"}), word_speech=False))
        except InputError as exc:
            raise InputError(f"由原稿生成的 meeting.yaml 无法生成讲话稿：{exc}", Location(file=outline.path)) from None
        assert plan.speech is not None
        from drafting.readers import load_draft

        source = load_draft(outline.path).document
        differences = speech_differences(comparable_lines(source), comparable_lines(plan.speech))
        created = not target.exists()
        try:
            written = commit_batch(
                [(target / name, _copier(stage / name)) for name in names],
                target,
            )
        except Exception:
            if created and target.is_dir() and not any(target.iterdir()):
                target.rmdir()
            raise
    notes = list(draft.notes)
    notes.append(f"{LEDGER_NOTE} 是示例会议的项目台账，只为让文件夹能直接生成；生成责任书、通报前请换成本次会议的台账")
    notes.append(f"{PRIORITIES_FILE} 是空清单，注释中列了原稿的高频词，请按今年的重点工作填写")
    return FolderResult(written, notes, differences, draft.figures, draft.placeholders)


def _copier(source: Path):  # noqa: ANN202 - a Writer
    return lambda path: shutil.copyfile(source, path)


def speech_differences(source: list[str], rebuilt: list[str], limit: int = 20) -> list[str]:
    """Where the rebuilt speech's lines differ from the source's (Chinese, at most ``limit``)."""
    out: list[str] = []
    matcher = SequenceMatcher(a=source, b=rebuilt, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for line in source[a1:a2]:
            out.append(f"原稿有、重建稿没有：{line}")
        for line in rebuilt[b1:b2]:
            out.append(f"重建稿有、原稿没有：{line}")
    return out[:limit]
