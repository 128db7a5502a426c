"""Parser of 公文标记 (docs/markup.md): rendered template text → numbered ``Document``.

The parser reads line by line; every problem is an InputError naming the
source and line. Numbering (heading numbers, 一是 labels, [[count]]) is done
by :mod:`drafting.numbering` before the document is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from drafting import numbering
from drafting.document import (
    Attachment,
    AttachmentNote,
    Block,
    Byline,
    Document,
    Enumeration,
    Heading,
    PageBreak,
    Paragraph,
    PartiesSignature,
    Roster,
    Salutation,
    Signature,
    Table,
    Title,
)
from drafting.errors import InputError, Location

DEFAULT_SOURCE = "<模板>"
MAX_HEADING_LEVEL = 4

_DIRECTIVE = re.compile(r"^::([A-Za-z][A-Za-z-]*)\s*(.*)$")
_HEADING = re.compile(r"^(#+)\s*(.*)$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")

_TEXT_DIRECTIVES = {
    "title",
    "byline",
    "salutation",
    "noindent",
    "right",
    "center",
    "signature",
    "date",
    "parties",
    "roster",
    "attachment",
    "attachment-landscape",
    "caption",
    "widths",
    "enum",
}
_BARE_DIRECTIVES = {"total", "pagebreak"}
_ENUM_STYLES = ("是", "第")

Open = Literal["paragraph", "run-in", "item", "table"]


@dataclass
class _Pending:
    """A setting waiting for the next table or enumeration, with the line it was given on."""

    value: object
    line: int


def parse_markup(text: str, source: str = DEFAULT_SOURCE) -> Document:
    """Parse 公文标记 ``text`` into a numbered Document; ``source`` names it in errors."""
    return _Parser(source).parse(text)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.main: list[Block] = []
        self.blocks: list[Block] = self.main  # main body, or the current attachment's blocks
        self.attachments: list[Attachment] = []
        self.lines: dict[int, int] = {}  # id(block) → line it starts on
        self.open: tuple[Open, Block] | None = None  # block a following line may continue
        self.line = 0
        self.caption: _Pending | None = None
        self.widths: _Pending | None = None
        self.total: _Pending | None = None
        self.enum_style: _Pending | None = None

    # -- driver ---------------------------------------------------------

    def parse(self, text: str) -> Document:
        for self.line, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
            self._line(raw.strip())
        self._check_unused_pending()
        self._add_attachment_note()
        document = Document(blocks=self.main)
        title = document.title
        if title is not None:
            document.meta.title = title.text
        return numbering.apply(document, self._locate)

    def _line(self, line: str) -> None:
        if not line:
            self.open = None
            return
        first = line[0]  # one character compared, not a startswith per kind of line
        if first == "\\":
            self._text(line[1:])
        elif first == ":" and line.startswith("::"):
            self._directive(line)
        elif first == "#":
            self._heading(line)
        elif first == "-":
            self._item(line[1:].strip(), inline=False)
        elif first == "+":
            self._item(line[1:].strip(), inline=True)
        elif first == "|":
            self._table_row(line)
        else:
            self._text(line)

    def _error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, Location(file=self.source, line=line or self.line))

    def _locate(self, block: Block) -> Location:
        return Location(file=self.source, line=self.lines.get(id(block)))

    def _add(self, block: Block) -> Block:
        self.blocks.append(block)
        self.lines[id(block)] = self.line
        return block

    def _last(self) -> Block | None:
        return self.blocks[-1] if self.blocks else None

    # -- text -----------------------------------------------------------

    def _text(self, text: str) -> None:
        if self.open is not None:
            kind, block = self.open
            if kind == "paragraph" and isinstance(block, Paragraph):
                block.text = join_lines(block.text, text)
                return
            if kind == "run-in" and isinstance(block, Heading):
                block.run_in = join_lines(block.run_in or "", text)
                return
            if kind == "item" and isinstance(block, Enumeration):
                block.items[-1] = join_lines(block.items[-1], text)
                return
        self._paragraph(text)

    def _paragraph(self, text: str) -> None:
        paragraph = self._add(Paragraph(text=text))
        self.open = ("paragraph", paragraph)

    def _heading(self, line: str) -> None:
        match = _HEADING.match(line)
        assert match is not None  # the line starts with "#"
        level = len(match.group(1))
        if level > MAX_HEADING_LEVEL:
            raise self._error(f"标题最多四级（#### ），这一行有{level}个#")
        parts = _UNESCAPED_PIPE.split(match.group(2), maxsplit=1)
        text = _unescape(parts[0]).strip()
        if not text:
            raise self._error("标题缺少文字")
        run_in: str | None = None
        if len(parts) == 2:
            if level == 1:
                raise self._error("一级标题不能用“|”接正文，标题后接正文只用于二至四级标题")
            run_in = _unescape(parts[1]).strip()
            if not run_in:
                raise self._error("“|”后缺少正文；标题不接正文时请去掉竖线")
        heading = self._add(Heading(level=level, text=text, run_in=run_in))
        self.open = ("run-in", heading) if run_in is not None else None

    def _item(self, text: str, inline: bool) -> None:
        mark = "+" if inline else "-"
        if not text:
            raise self._error(f"列举项“{mark}”后缺少文字")
        if self.open is not None:
            kind, block = self.open
            if kind == "item" and isinstance(block, Enumeration) and block.inline == inline:
                block.items.append(text)
                return
        style = "是"
        if self.enum_style is not None:
            style = str(self.enum_style.value)
            self.enum_style = None
        enumeration = Enumeration(items=[text], style=style, inline=inline)  # type: ignore[arg-type]
        last = self._last()
        if inline and isinstance(last, Paragraph):
            # “+” runs the group on from the paragraph before it, which becomes the lead.
            self.blocks.pop()
            enumeration.lead = last.text
            self.blocks.append(enumeration)
            self.lines[id(enumeration)] = self.lines.pop(id(last))
        else:
            self._add(enumeration)
        self.open = ("item", enumeration)

    # -- tables ---------------------------------------------------------

    def _table_row(self, line: str) -> None:
        cells = _split_row(line)
        if not cells:
            raise self._error("表格行没有单元格")
        if all(_SEPARATOR_CELL.match(cell) for cell in cells):
            return  # Markdown-style |---|---| separator: tolerated, ignored
        if self.open is not None and self.open[0] == "table":
            table = self.open[1]
            assert isinstance(table, Table)
            expected = len(table.rows[0])
            if len(cells) != expected:
                first = self.lines[id(table)]
                raise self._error(
                    f"表格行有{len(cells)}格，与本表第{first}行的{expected}格不一致"
                )
            table.rows.append(cells)
            return
        table = Table(rows=[cells])
        if self.caption is not None:
            table.caption = str(self.caption.value)
            self.caption = None
        if self.widths is not None:
            widths = self.widths.value
            assert isinstance(widths, list)
            if len(widths) != len(cells):
                raise self._error(
                    f"::widths 给了{len(widths)}个列宽，而表格有{len(cells)}列", self.widths.line
                )
            table.widths = widths
            self.widths = None
        if self.total is not None:
            table.total_row = True
            self.total = None
        self._add(table)
        self.open = ("table", table)

    # -- directives -----------------------------------------------------

    def _directive(self, line: str) -> None:
        match = _DIRECTIVE.match(line)
        if match is None:
            raise self._error(f"无法识别的指令“{line}”")
        name, arg = match.group(1), match.group(2).strip()
        if name == "comment":
            return  # not output; does not interrupt the paragraph around it
        if name not in _TEXT_DIRECTIVES and name not in _BARE_DIRECTIVES:
            raise self._error(f"未知的指令“::{name}”")
        if name in _TEXT_DIRECTIVES and not arg:
            raise self._error(f"“::{name}”后缺少文字")
        if name in _BARE_DIRECTIVES and arg:
            raise self._error(f"“::{name}”后不应有文字（“{arg}”）")
        self.open = None
        getattr(self, "_d_" + name.replace("-", "_"))(arg)

    def _d_title(self, arg: str) -> None:
        last = self._last()
        if isinstance(last, Title):
            last.lines.append(arg)
        else:
            self._add(Title(lines=[arg]))

    def _d_byline(self, arg: str) -> None:
        self._add(Byline(text=arg))

    def _d_salutation(self, arg: str) -> None:
        self._add(Salutation(text=arg))

    # A directive paragraph is its one line; the next text line starts a new paragraph.
    def _d_noindent(self, arg: str) -> None:
        self._add(Paragraph(text=arg, indent=False))

    def _d_right(self, arg: str) -> None:
        self._add(Paragraph(text=arg, align="right"))

    def _d_center(self, arg: str) -> None:
        self._add(Paragraph(text=arg, align="center"))

    def _d_signature(self, arg: str) -> None:
        last = self._last()
        if isinstance(last, Signature) and not last.date:
            last.lines.append(arg)
        else:
            self._add(Signature(lines=[arg]))

    def _d_date(self, arg: str) -> None:
        last = self._last()
        if not isinstance(last, Signature):
            raise self._error("“::date”必须紧接在“::signature”署名之后")
        if last.date:
            raise self._error(f"署名已有成文日期“{last.date}”，不能再写一个")
        last.date = arg

    def _d_parties(self, arg: str) -> None:
        if "||" not in arg:
            raise self._error("“::parties”需要用“||”分开甲方和乙方，如：甲方（盖章） || 乙方（盖章）")
        left, right = (part.strip() for part in arg.split("||", 1))
        last = self._last()
        if isinstance(last, PartiesSignature):
            last.left.append(left)
            last.right.append(right)
        else:
            self._add(PartiesSignature(left=[left], right=[right]))

    def _d_roster(self, arg: str) -> None:
        label, bar, names = (part.strip() for part in arg.partition("|"))
        if not bar or not label or not names:
            raise self._error(f"“::roster”要写成“名目 | 名单”，如：出席 | 张某某、李某某（收到的是“{arg}”）")
        self._add(Roster(label=label.rstrip("：:"), text=names))

    def _d_attachment(self, arg: str, landscape: bool = False) -> None:
        attachment = Attachment(title=arg, landscape=landscape)
        self.main.append(attachment)
        self.lines[id(attachment)] = self.line
        self.attachments.append(attachment)
        self.blocks = attachment.blocks

    def _d_attachment_landscape(self, arg: str) -> None:
        self._d_attachment(arg, landscape=True)

    def _d_pagebreak(self, arg: str) -> None:
        self._add(PageBreak())

    def _d_caption(self, arg: str) -> None:
        self._set_pending("caption", arg)

    def _d_total(self, arg: str) -> None:
        self._set_pending("total", True)

    def _d_widths(self, arg: str) -> None:
        try:
            widths = [float(part) for part in arg.split()]
        except ValueError:
            raise self._error(f"“::widths”只能写数字，如 1 4 2，收到的是“{arg}”") from None
        if any(w <= 0 for w in widths):
            raise self._error(f"“::widths”的列宽必须大于0，收到的是“{arg}”")
        self._set_pending("widths", widths)

    def _d_enum(self, arg: str) -> None:
        if arg not in _ENUM_STYLES:
            raise self._error(f"“::enum”只能写“第”或“是”，收到的是“{arg}”")
        self._set_pending("enum_style", arg)

    def _set_pending(self, attr: str, value: object) -> None:
        previous: _Pending | None = getattr(self, attr)
        if previous is not None:
            raise self._error(f"第{previous.line}行的同类设置还没有用上，又出现了一次")
        setattr(self, attr, _Pending(value=value, line=self.line))

    # -- end of text ----------------------------------------------------

    def _check_unused_pending(self) -> None:
        for attr, directive, target in (
            ("caption", "::caption", "表格"),
            ("widths", "::widths", "表格"),
            ("total", "::total", "表格"),
            ("enum_style", "::enum", "列举"),
        ):
            pending: _Pending | None = getattr(self, attr)
            if pending is not None:
                raise self._error(f"“{directive}”之后没有{target}", pending.line)

    def _add_attachment_note(self) -> None:
        """附件说明 goes after the body, right before the 署名 (GB/T 9704 7.3.4)."""
        if not self.attachments:
            return
        note = AttachmentNote(items=[a.title for a in self.attachments])
        body_end = next(i for i, b in enumerate(self.main) if isinstance(b, Attachment))
        position = next(
            (i for i, b in enumerate(self.main[:body_end]) if isinstance(b, (Signature, PartiesSignature))),
            body_end,
        )
        self.main.insert(position, note)


def join_lines(before: str, after: str) -> str:
    """Join two source lines of one paragraph: Chinese runs on, ASCII words get a space."""
    if before and after and _ASCII_WORD.match(before[-1]) and _ASCII_WORD.match(after[0]):
        return f"{before} {after}"
    return before + after


def escape_cell(text: str) -> str:
    """Escape ``|`` so ``text`` stays one table cell (or part of a heading)."""
    return text.replace("|", "\\|")


def _unescape(text: str) -> str:
    return text.replace("\\|", "|")


def _split_row(line: str) -> list[str]:
    body = line[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    if not body.strip():
        return []
    if "\\|" not in body:  # no escaped bar: every bar divides cells
        return [cell.strip() for cell in body.split("|")]
    return [_unescape(cell).strip() for cell in _UNESCAPED_PIPE.split(body)]
