"""Word-authored templates in the template library: which are in use, the fields they hold, the examples to copy.

A Word template (``目标责任书.docx``, ``进度通报.docx``, ``讲话稿.docx``) is looked
up as a build looks it up (``wordfind.find_word_template``): the meeting's
``templates/``, then the user library; there is no built-in one, only the
examples ``drafting example`` writes. ``drafting templates list|show|copy``
use this module for Word templates and ``templating.library`` for text ones.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from drafting.errors import DraftingError, InputError, Location, TemplateError
from drafting.output import commit_batch, refuse_existing
from drafting.templating.environment import _syntax_message
from drafting.templating.library import MEETING, ORIGIN_NAMES, USER, meeting_template_target, user_library_dir
from drafting.wordexample import write_example_letter_template, write_example_speech_template
from drafting.wordspeech import SPEECH_TEMPLATE
from drafting.wordtemplate import LETTER_TEMPLATE, NOTICE_TEMPLATE, WordTemplate, word_template_in, make_word_environment

SUFFIX = ".docx"


@dataclass(frozen=True)
class WordKind:
    stem: str  # the file name without .docx
    purpose: str  # which document it makes and what it replaces (Chinese, one line)
    fields: frozenset[str]  # the top-level names of its context (tests keep them equal to the real contexts)
    example: Callable[[Path], None] | None  # writes the example ``drafting example`` writes; None: there is none

    @property
    def filename(self) -> str:
        return self.stem + SUFFIX


WORD_KINDS = (
    WordKind(
        LETTER_TEMPLATE,
        "代替内置责任书模板 letter.gw.j2，每个单位套出一份 输出/目标责任书/单位名.docx",
        frozenset(
            {"annual_plan", "as_of", "by", "mechanisms", "meeting", "party_a", "party_b", "project_count", "projects"}
            | {"total_investment", "year"}
        ),
        write_example_letter_template,
    ),
    WordKind(
        NOTICE_TEMPLATE,
        "代替内置进度通报模板 notice.gw.j2，生成 输出/进度通报.docx",
        frozenset(
            {"as_of", "date", "figures", "mechanisms", "meeting", "negotiating", "negotiating_by_unit", "not_yet_due"}
            | {"not_yet_due_by_unit", "print_date", "project_groups", "projects", "projects_total", "recipients", "red"}
            | {"red_by_unit", "signature", "thresholds", "title", "units", "units_ahead", "units_behind", "units_total"}
            | {"units_without_plan", "warnings", "warnings_by_unit", "year", "yellow", "yellow_by_unit"}
        ),
        None,
    ),
    WordKind(
        SPEECH_TEMPLATE,
        "为讲话稿排版（文字仍由 speech.gw.j2 等生成），生成 输出/讲话稿.docx",
        frozenset(
            {"as_of", "attachments", "byline", "closing", "date", "figures", "meeting", "opening", "opening_blocks"}
            | {"salutation", "sections", "speaker", "title", "title_lines"}
        ),
        write_example_speech_template,
    ),
)


def word_kind(name: str) -> WordKind | None:
    """The Word template a typed name means (``目标责任书`` or ``目标责任书.docx``); None for a text template's name.

    Any other name ending in .docx is an InputError listing the Word template names.
    """
    text = name.strip()
    stem = text[: -len(SUFFIX)] if text.lower().endswith(SUFFIX) else text
    for kind in WORD_KINDS:
        if stem == kind.stem:
            return kind
    if stem != text:
        names = "、".join(kind.filename for kind in WORD_KINDS)
        raise InputError(f"“{name}”不是 drafting 使用的 Word 模板名称；Word 模板只有 {names}")
    return None


@dataclass(frozen=True)
class WordTemplateInfo:
    kind: WordKind
    origin: str  # MEETING | USER
    path: Path
    template: WordTemplate | None  # None when the build would refuse the file (``problem`` says why)
    problem: str = ""
    shadows: tuple[str, ...] = ()  # origins further down the lookup order that have one too

    @property
    def origin_name(self) -> str:
        return ORIGIN_NAMES[self.origin]


def _roots(meeting_templates: Path | None) -> list[tuple[str, Path]]:
    roots = []
    if meeting_templates is not None and meeting_templates.is_dir() and not meeting_templates.is_symlink():
        roots.append((MEETING, Path(meeting_templates)))
    user = user_library_dir()
    if user.is_dir():
        roots.append((USER, user))
    return roots


def _probe(kind: WordKind, origin: str, root: Path) -> WordTemplateInfo | None:
    """The kind's template in ``root`` as the build would read it; a file it would refuse carries its reason."""
    try:
        found = word_template_in(root, kind.stem)
    except DraftingError as exc:
        location = getattr(exc, "location", None)
        path = Path(location.file) if location is not None and location.file else root / kind.filename
        return WordTemplateInfo(kind, origin, path, None, getattr(exc, "message", str(exc)))
    if found is None:
        return None
    return WordTemplateInfo(kind, origin, found.path, found)


def list_word_templates(meeting_templates: Path | None = None) -> list[WordTemplateInfo]:
    """The Word template of each kind that a build would use (meeting folder first, then the user library)."""
    found = []
    roots = _roots(meeting_templates)
    for kind in WORD_KINDS:
        infos = [info for origin, root in roots if (info := _probe(kind, origin, root)) is not None]
        if infos:
            first = infos[0]
            found.append(
                WordTemplateInfo(first.kind, first.origin, first.path, first.template, first.problem, tuple(i.origin for i in infos[1:]))
            )
    return found


def find_word_template_info(kind: WordKind, meeting_templates: Path | None = None) -> WordTemplateInfo:
    """The kind's template in use; InputError (TemplateError when the build would refuse it) otherwise."""
    for info in list_word_templates(meeting_templates):
        if info.kind == kind:
            if info.template is None:
                raise TemplateError(info.problem, Location(file=info.path))
            return info
    where = "；".join(f"{ORIGIN_NAMES[o]} {r}" for o, r in _roots(meeting_templates)) or "未指定会议文件夹，个人模板库尚未建立"
    hint = f"可用 drafting templates copy {kind.filename} 会议文件夹 复制示例后修改" if kind.example else "见 docs/word-templates.md"
    raise InputError(f"找不到 Word 模板“{kind.filename}”（查找位置：{where}）；{hint}")


# What docxtpl reads as a tag: {{ … }}, {% … %}, {# … #} (Word may split one over several runs).
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


@dataclass(frozen=True)
class WordTemplateFields:
    fields: list[str]  # top-level names the template reads from the context, sorted
    unknown: list[str]  # those the context does not have (the build would stop on them)
    tags: list[tuple[str, str]]  # (place, tag) in document order: 第3段, 表格1第2行第1格, 页眉, 页脚


def word_template_fields(info: WordTemplateInfo) -> WordTemplateFields:
    """The fields and tags of a Word template, as docxtpl sees them; a syntax error is a TemplateError."""
    from docxtpl import DocxTemplate

    assert info.template is not None
    location = Location(file=info.path)
    try:
        tags = _tags(info.template.data)
        names = DocxTemplate(io.BytesIO(info.template.data)).get_undeclared_template_variables(make_word_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_syntax_message(exc.message or ""), location) from None
    except Exception as exc:  # noqa: BLE001 - a part docxtpl cannot read
        raise TemplateError(f"Word 模板无法读取（{type(exc).__name__}）；请在 Word 中打开后重新保存", location) from None
    fields = sorted(names)
    return WordTemplateFields(fields, [name for name in fields if name not in info.kind.fields], tags)


def _tags(data: bytes) -> list[tuple[str, str]]:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    found: list[tuple[str, str]] = []
    number = tables = 0
    for child in document.element.body:
        if child.tag == qn("w:tbl"):
            tables += 1
            rows = [row for row in child if row.tag == qn("w:tr")]
            for r, row in enumerate(rows, start=1):
                cells = [cell for cell in row if cell.tag == qn("w:tc")]
                for c, cell in enumerate(cells, start=1):
                    for paragraph in cell.iter(qn("w:p")):
                        found.extend((f"表格{tables}第{r}行第{c}格", tag) for tag in _TAG.findall(_text(paragraph, qn)))
            continue
        for paragraph in child.iter(qn("w:p")):
            number += 1
            found.extend((f"第{number}段", tag) for tag in _TAG.findall(_text(paragraph, qn)))
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            place = "页眉" if rel.reltype == RT.HEADER else "页脚"
            element = docx.oxml.parse_xml(rel.target_part.blob)
            for paragraph in element.iter(qn("w:p")):
                found.extend((place, tag) for tag in _TAG.findall(_text(paragraph, qn)))
    return found


def _text(paragraph, qn) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def copy_word_example(kind: WordKind, folder: Path, *, force: bool = False) -> Path:
    """Write the kind's example Word template (as ``drafting example`` does) to ``folder``/templates/<stem>.docx."""
    if kind.example is None:
        raise InputError(
            f"{kind.stem}没有示例 Word 模板；可在 Word 中新建文档，按 docs/word-templates.md 所列字段填写后"
            f"存为会议文件夹的 templates/{kind.filename}"
        )
    target = meeting_template_target(folder, kind.filename)
    if not force:
        refuse_existing([target], hint="如需覆盖，请加 --force")
    target.parent.mkdir(parents=True, exist_ok=True)
    return commit_batch([(target, kind.example)], target.parent)[0]
