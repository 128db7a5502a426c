"""A byte-faithful scan of WordprocessingML text: paragraphs, their visible text pieces and their offsets.

House files must come out unchanged wherever drafting does not fill a field, so
their XML is never parsed and re-serialised: this scanner only finds offsets,
and edits are applied to the original text (:func:`apply_edits`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_TOKEN = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<![^>]*>"
    r"|<(/?)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.S,
)
_XMLNS = re.compile(r"""xmlns:([\w.\-]+)\s*=\s*["']([^"']*)["']""")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        try:
            if name.startswith("#x"):
                return chr(int(name[2:], 16))
            if name.startswith("#"):
                return chr(int(name[1:]))
        except (ValueError, OverflowError):  # no such character: left as written
            return match.group(0)
        return _NAMED[name]

    return _ENTITY.sub(one, text) if "&" in text else text


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class TextPiece:
    """The content of one ``<w:t>``: ``start``/``end`` bound its (escaped) text in the XML."""

    start: int
    end: int
    text: str  # unescaped
    tag_start: int  # the <w:t ...> start tag, to mark it xml:space="preserve" when edited
    tag_end: int
    preserve: bool  # the start tag already says xml:space="preserve"


@dataclass
class ScannedParagraph:
    start: int  # offset of "<w:p"
    end: int  # offset just after "</w:p>"
    top_level: bool  # a direct child of <w:body> (not in a table, text box or header)
    pieces: list[TextPiece] = field(default_factory=list)
    has_section: bool = False  # its pPr carries a sectPr (the paragraph ends a section)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


@dataclass
class ScannedPart:
    xml: str
    prefix: str  # the prefix bound to the WordprocessingML namespace, usually "w"
    paragraphs: list[ScannedParagraph]
    body_end: int | None  # offset of "</w:body>" in a main document part
    final_section: tuple[int, int] | None  # span of the body's own last sectPr


class XmlScanError(ValueError):
    """The part is not well-formed enough to be scanned (unbalanced tags)."""


def word_prefix(xml: str) -> str:
    for match in _XMLNS.finditer(xml[:20_000]):
        if match.group(2) == W_NS:
            return match.group(1)
    return "w"


def scan(xml: str) -> ScannedPart:
    """Every paragraph of the part with its ``<w:t>`` pieces, in document order (inner paragraphs of text
    boxes come before the paragraph holding them ends, each with its own pieces)."""
    prefix = word_prefix(xml)
    p_tag, t_tag, body_tag, sect_tag, ppr_tag = (f"{prefix}:{name}" for name in ("p", "t", "body", "sectPr", "pPr"))
    stack: list[str] = []
    open_paragraphs: list[ScannedParagraph] = []
    done: list[ScannedParagraph] = []
    piece: TextPiece | None = None
    body_end: int | None = None
    final_section: tuple[int, int] | None = None
    section_start: int | None = None
    position = 0
    for match in _TOKEN.finditer(xml):
        if piece is not None and match.start() > position:
            piece.end = match.start()
            piece.text += unescape(xml[position : match.start()])
        position = match.end()
        name = match.group(2)
        if name is None:
            continue
        closing, empty = match.group(1) == "/", match.group(4) == "/"
        if closing:
            if not stack or stack[-1] != name:
                raise XmlScanError(f"unbalanced </{name}> at {match.start()}")
            stack.pop()
            if name == t_tag and piece is not None:
                if open_paragraphs:
                    open_paragraphs[-1].pieces.append(piece)
                piece = None
            elif name == p_tag:
                paragraph = open_paragraphs.pop()
                paragraph.end = match.end()
                done.append(paragraph)
            elif name == body_tag:
                body_end = match.start()
            elif name == sect_tag and section_start is not None and stack and stack[-1] == body_tag:
                final_section = (section_start, match.end())
            continue
        if name == sect_tag:
            if stack and stack[-1] == body_tag:
                section_start = match.start()
                if empty:
                    final_section = (match.start(), match.end())
            elif stack and stack[-1] == ppr_tag and open_paragraphs:
                open_paragraphs[-1].has_section = True
        if empty:
            continue
        if name == p_tag:
            top = len(stack) >= 1 and stack[-1] == body_tag
            open_paragraphs.append(ScannedParagraph(match.start(), -1, top))
        elif name == t_tag:
            attributes = match.group(3)
            preserve = "preserve" in attributes
            piece = TextPiece(match.end(), match.end(), "", match.start(), match.end(), preserve)
        stack.append(name)
    if stack:
        raise XmlScanError(f"unclosed <{stack[-1]}>")
    done.sort(key=lambda paragraph: paragraph.start)
    return ScannedPart(xml, prefix, done, body_end, final_section)


def apply_edits(xml: str, edits: list[tuple[int, int, str]]) -> str:
    """``xml`` with each (start, end, replacement) applied; spans must not overlap."""
    out: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < position:
            raise ValueError("overlapping edits")
        out.append(xml[position:start])
        out.append(replacement)
        position = end
    out.append(xml[position:])
    return "".join(out)
