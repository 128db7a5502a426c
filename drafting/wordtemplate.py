"""Word-authored templates: a .docx with Jinja fields in a meeting folder's templates/, rendered with docxtpl.

``templates/目标责任书.docx`` replaces the built-in letter template: it is
rendered once per unit with the context of ``letters.letter_context`` turned
into plain data, in :class:`WordSandbox` (our allowlist sandbox and render
budget, strict undefined variables, XML-escaped values). The file is read
only when it really lies in the folder (``folder.member``), within
``limits.MAX_WORD_TEMPLATE_BYTES`` and ``limits.MAX_WORD_TEMPLATE_UNZIPPED``.
Every failure is a Chinese ``TemplateError`` naming the template file.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes, pass_context
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from drafting.document import Document
from drafting.documents.letters import group_projects, letter_context
from drafting.documents.notice import notice_context
from drafting.errors import InputError, Location, TemplateError
from drafting.filenames import safe_filenames
from drafting.folder import MeetingFolder
from drafting.ledger import Project
from drafting.templating.environment import REFUSED, ChineseStrictUndefined, _syntax_message
from drafting.templating.filters import FILTERS, one_line
from drafting.templating.plain import to_plain
from drafting.wordfind import (  # noqa: F401 - the lookup is part of this module's interface
    LETTER_TEMPLATE,
    NOTICE_TEMPLATE,
    OTHER_SUFFIXES,
    WordTemplate,
    find_word_template,
    word_template_in,
)
from drafting.templating.sandbox import (
    GLOBALS,
    DraftingSandbox,
    TemplateLimitError,
    counted_output,
    _Guard,
    make_filters,
    render_budget,
)

class _WordGuard(_Guard):
    """Like the markup guard, but literal template text is XML already: it stays unescaped."""

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            nodes.Const(Markup(child.data), lineno=child.lineno) if isinstance(child, nodes.TemplateData) else child
            for child in node.nodes
        ]
        return node


@pass_context
def _finalize(context: Any, value: Any) -> str:
    """Every piece of output is counted against the render budget."""
    return counted_output(value)


class WordSandbox(DraftingSandbox):
    """DraftingSandbox for document XML: values are XML-escaped, the template's own XML is kept."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _WordGuard().visit(jinja2.Environment._parse(self, source, name, filename))
        tree.set_environment(self)
        return tree


def make_word_environment() -> WordSandbox:
    env = WordSandbox(undefined=ChineseStrictUndefined, autoescape=True, finalize=_finalize)
    env.filters = make_filters(FILTERS)
    env.globals = dict(GLOBALS)
    return env


def render_word_template(template: WordTemplate, context: dict[str, Any]) -> bytes:
    """The template rendered with ``context`` (as plain data), as .docx bytes; failures raise TemplateError."""
    from docxtpl import DocxTemplate

    location = Location(file=template.path)
    env = make_word_environment()
    try:
        plain = to_plain(context)
        document = DocxTemplate(io.BytesIO(template.data))
        with render_budget():
            document.render(plain, env)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    except TemplateLimitError as exc:
        raise TemplateError(str(exc), location) from None
    except RecursionError:
        raise TemplateError("模板嵌套过深，已停止", location) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_syntax_message(exc.message or "") + _near(exc), location) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"模板中的字段有误：{exc}", location) from None
    except SecurityError as exc:
        detail = str(exc)
        raise TemplateError(detail if detail.startswith(REFUSED) else f"{REFUSED}：{detail}", location) from None
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt part, broken XML after rendering, a filter's error
        raise TemplateError(
            f"Word 模板无法生成文档（{type(exc).__name__}：{str(exc)[:200]}）；"
            "请检查 {% %} 标签是否成对、是否放在同一段落或同一表格行中",
            location,
        ) from None


def _near(exc: Exception) -> str:
    """The template's text around a syntax error (docxtpl keeps it as ``docx_context``)."""
    lines = [line.strip() for line in getattr(exc, "docx_context", None) or () if line.strip()]
    text = " ".join(lines)
    return f"（出错处附近的文字：{text[:120]}）" if text else ""


def read_back(data: bytes, template: WordTemplate) -> Document:
    """The rendered .docx read back into a Document (for the same review as built-in documents)."""
    from drafting.readers.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="drafting-word-") as folder:
        path = Path(folder) / "rendered.docx"
        path.write_bytes(data)
        try:
            return read_docx(path).document
        except InputError as exc:
            raise TemplateError(f"Word 模板生成的文档无法读回：{exc.message}", Location(file=template.path)) from None


@dataclass(frozen=True)
class WordLetter:
    unit: str
    filename: str
    data: bytes  # the rendered .docx
    document: Document  # read back from ``data``
    projects: list[Project]


def word_letter_context(folder: MeetingFolder, party_b: str, projects: Sequence[Project], as_of: date) -> dict[str, Any]:
    """The built-in letter context; project texts are plain (not escaped for 公文标记 table cells)."""
    context = letter_context(folder, party_b, projects, as_of)
    for row, project in zip(context["projects"], projects):
        row["name"] = one_line(project.name)
        row["content"] = one_line(project.content)
        row["leader"] = one_line(project.leader)
        row["lead_unit"] = one_line(project.lead_unit)
        row["partners"] = one_line("、".join(project.partner_units))
    return context


def build_word_letters(folder: MeetingFolder, as_of: date, template: WordTemplate) -> list[WordLetter]:
    """One letter per unit (as ``build_letters``), each rendered from the Word template and read back."""
    groups = group_projects(folder)
    names = safe_filenames(groups.keys(), suffix=".docx")
    letters = []
    for (unit, items), filename in zip(groups.items(), names):
        data = render_word_template(template, word_letter_context(folder, unit, items, as_of))
        document = read_back(data, template)
        document.meta.kind = "letter"
        letters.append(WordLetter(unit, filename, data, document, list(items)))
    return letters


def _unescape_cells(value: Any) -> Any:
    """Context text without the ``\\|`` escapes made for 公文标记 table cells (lists and dicts of our own contexts)."""
    if isinstance(value, str):
        return value.replace("\\|", "|")
    if isinstance(value, dict):
        return {key: _unescape_cells(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unescape_cells(item) for item in value]
    return value


def build_word_notice(folder: MeetingFolder, as_of: date, template: WordTemplate) -> tuple[bytes, Document]:
    """The progress notice rendered from ``templates/进度通报.docx`` with the built-in notice context, and read back."""
    data = render_word_template(template, _unescape_cells(notice_context(folder, as_of)))
    document = read_back(data, template)
    document.meta.kind = "notice"
    return data, document


def combine_word_letters(letters: Sequence[WordLetter]) -> bytes:
    """All letters rendered from one Word template in one file for printing, each from an odd page.

    They share the template's styles, numbering and relationships, so each
    letter's body is appended after a section break copied from the template's
    own section (page setup, headers, footers); drawing and bookmark ids are
    renumbered so they stay unique.
    """
    import copy

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    combined = docx.Document(io.BytesIO(letters[0].data))
    body = combined.element.body
    final = body.find(qn("w:sectPr"))
    for index, letter in enumerate(letters[1:], start=1):
        other = docx.Document(io.BytesIO(letter.data)).element.body
        for mark in other.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            value = mark.get(qn("w:id"))
            if value is not None and value.isdigit():  # pairs stay pairs, letters never share an id
                mark.set(qn("w:id"), str(int(value) + index * 100_000))
        closing = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        section = copy.deepcopy(final) if final is not None else OxmlElement("w:sectPr")
        properties.append(section)
        closing.append(properties)
        if final is not None:
            final.addprevious(closing)
        else:
            body.append(closing)
        for child in list(other):
            if child.tag == qn("w:sectPr"):
                continue
            if final is not None:
                final.addprevious(child)
            else:
                body.append(child)
    for section in body.iter(qn("w:sectPr")):
        kind = section.find(qn("w:type"))
        if kind is None:
            kind = OxmlElement("w:type")
            before = (qn("w:headerReference"), qn("w:footerReference"), qn("w:footnotePr"), qn("w:endnotePr"))
            section.insert(sum(1 for child in section if child.tag in before), kind)  # schema order
        kind.set(qn("w:val"), "oddPage")
    drawing_ids = body.xpath(".//wp:docPr")
    for number, element in enumerate(drawing_ids, start=1):
        element.set("id", str(number))
    out = io.BytesIO()
    combined.save(out)
    return out.getvalue()
