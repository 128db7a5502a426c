"""Shortcuts taken for the speed of batch letters give exactly what the plain code gives.

Each test holds the plain version (the code before the shortcut) and compares it with the shortcut over
generated hostile input: XML specials, empty cells, figures, whitespace at either end, tabs and line ends,
Latin beside Chinese, long text.
"""

from __future__ import annotations

import math
import random
from html import escape
from pathlib import Path

import pytest

from drafting.docx.fast import writer as fast_writer
from drafting.docx.profile import DEFAULT_PROFILE
from drafting.docx import tablelayout
from drafting.docx.tablelayout import is_figure
from drafting.docx.textxml import TableSpec, table_spec
from drafting.document import Table
from drafting.titlebreak import break_title, unbreakable_segments

PIECES = [
    "项目", "建设", "（一期）", "&", "<", ">", "&amp;", '"', "'", " ", "\u3000", "\t", "\n", "\r\n", "\r", "A", "bc",
    "5G", "3.2", "1,200", "98.5%", "-3", "—", "“", "”", "Σ", "é", "\x0b", "x" * 40, "很长的文字" * 9,
]


def random_text(rng: random.Random, pieces: list[str] = PIECES, most: int = 8) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, most)))


# -- table rows ----------------------------------------------------------------------------------


def plain_rows_xml(spec: TableSpec) -> list[str]:
    """TableSpec.rows_xml as it was: every cell described and written on its own."""
    rows = []
    last = len(spec.rows) - 1
    for r, row in enumerate(spec.rows):
        header = r < spec.header_rows
        emphasised = header or (spec.total_row and r == last)
        style = spec.header_style if emphasised else spec.body_style
        keep = "<w:keepNext/>" if (spec.keep_whole and r < last) or header else ""
        parts = ["<w:tr><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if header else "", "</w:trPr>"]
        for c, (text, width) in enumerate(zip(row, spec.column_twips)):
            lines = spec.header_lines[r][c] if header else [text]
            jc = '<w:jc w:val="center"/>' if not emphasised and is_figure(text) else ""
            parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>')
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{jc}</w:pPr>')
            if any(lines):
                runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line, quote=False)}</w:t>' for line in lines)
                parts.append(f"<w:r>{runs}</w:r>")
            parts.append("</w:p></w:tc>")
        parts.append("</w:tr>")
        rows.append("".join(parts))
    return rows


CELLS = PIECES + ["", "", "0.50", "12", "合计", "100.0%"]


@pytest.mark.parametrize("seed", range(12))
def test_table_rows_equal_cell_by_cell_markup(seed: int) -> None:
    rng = random.Random(seed)
    columns = rng.randint(1, 7)
    count = rng.choice([1, 2, 5, 30, 120])  # few rows keep the table whole, many do not
    rows = [[random_text(rng, CELLS, 4) for _ in range(rng.randint(1, columns))] for _ in range(count)]
    table = Table(rows, header_rows=rng.choice([0, 1, 2]), total_row=rng.random() < 0.5)
    for landscape in (False, True):
        spec = table_spec(table, DEFAULT_PROFILE, landscape, "TableHeader", "TableBody")
        assert spec is not None
        assert list(spec.rows_xml()) == plain_rows_xml(spec)


def test_table_rows_keep_whole_total_and_empty_cells() -> None:
    rows = [["序号", "名称&<>", "金额"], ["1", "", "3.5"], ["", "甲", ""], ["合计", "2个", "3.5"]]
    for total in (False, True):
        spec = table_spec(Table(rows, total_row=total), DEFAULT_PROFILE, False, "H", "B")
        assert spec is not None and spec.keep_whole
        assert list(spec.rows_xml()) == plain_rows_xml(spec)
        assert plain_rows_xml(spec)[1].count('<w:jc w:val="center"/>') == 2  # the figures are centred


# -- run content ------------------------------------------------------------------------------


def plain_run_content(text: str) -> str:
    """fast_writer._run_content as it was: a walk over every character."""
    parts: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            chunk = "".join(buffer)
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            parts.append(f"<w:t{space}>{fast_writer._esc(chunk)}</w:t>")
            buffer.clear()

    for ch in text:
        if ch == "\t":
            flush()
            parts.append("<w:tab/>")
        elif ch in "\r\n":
            flush()
            parts.append("<w:br/>")
        else:
            buffer.append(ch)
    flush()
    return "".join(parts)


def test_run_content_equals_the_character_walk() -> None:
    rng = random.Random(1)
    ends = [" ", "\u3000", "\x1c", "\x85", "\xa0", "a", "甲", "\u2028"]  # str.isspace() says yes to most of these
    texts = [random_text(rng) for _ in range(3000)]
    texts += [a + random_text(rng) + b for a in ends for b in ends]
    texts += ["", " ", "\t", "\n", "甲", " 甲", "甲 ", "&<>"]
    assert sum(1 for t in texts if t and not any(c in t for c in "\t\r\n")) > 1000  # the shortcut is taken
    assert [fast_writer._run_content(t) for t in texts] == [plain_run_content(t) for t in texts]


# -- markup table rows ----------------------------------------------------------------------------


def test_split_row_equals_the_escape_aware_split() -> None:
    from drafting import markup

    def plain(line: str) -> list[str]:
        body = line[1:]
        if body.endswith("|") and not body.endswith("\\|"):
            body = body[:-1]
        if not body.strip():
            return []
        return [markup._unescape(cell).strip() for cell in markup._UNESCAPED_PIPE.split(body)]

    rng = random.Random(2)
    pieces = ["|", "|", " | ", "\\", "\\|", "甲", "a b", " ", "\u3000", "---", ":"]
    lines = ["|" + random_text(rng, pieces, 10) for _ in range(4000)]
    assert sum(1 for line in lines if "\\|" not in line[1:]) > 1000  # the shortcut is taken
    assert [markup._split_row(line) for line in lines] == [plain(line) for line in lines]


# -- text widths ------------------------------------------------------------------------------------


def plain_text_em(text: str, autospace_em: float = 0.25) -> float:
    """tablelayout.text_em as it was: one addition per character, in order."""
    if not text or min(text) >= tablelayout._WIDE_FROM:
        return float(len(text))
    total = 0.0
    previous = None
    for ch in text:
        latin = ch.isascii()
        if previous is not None and latin != previous and not ch.isspace():
            total += autospace_em
        previous = None if ch.isspace() else latin
        if ord(ch) >= 0x2E80:
            total += 1
        elif ch in tablelayout._NARROW:
            total += tablelayout._NARROW[ch]
        elif ch.isupper():
            total += 0.72
        else:
            total += 0.5
    return total


def test_text_em_by_counting_equals_the_walk() -> None:
    rng = random.Random(4)
    wide = list("项目建设（）《》、，。　ＡＢ１２") + ["\U00020000"]
    narrow = list("abz09 .,&<_=!?'\"\t\n\x1c“”—·…éß\xa0\u2028\u2009") + ["\x85"]
    inexact = list(":;-%/()AZ") + ["Σ", "É", "ϒ", "Ⅰ"]  # ϒ is upper case without a lower case
    texts = ["".join(rng.choice(wide + narrow) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += ["".join(rng.choice(wide + narrow + inexact) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += ["", " ", "甲 a", "a 甲", "甲a甲a", "a甲\u3000a", "x" * 500 + "项" * 500]
    counted = sum(1 for t in texts if "x" not in t.translate(tablelayout._CLASSES) and t and min(t) < tablelayout._WIDE_FROM)
    assert counted > 2500  # the counting path is taken
    for autospace in (0.25, 0.5, 0.0, 1, 0.3, 1 / 3):
        measured = [tablelayout.text_em.__wrapped__(t, autospace) for t in texts]
        assert measured == [plain_text_em(t, autospace) for t in texts], autospace
        assert all(type(m) is float for m in measured)


def plain_plan_table(rows, header_rows, available_em, weights=None, label_max_em=10, text_min_em=6, slack_em=0.4):
    """tablelayout.plan_table as it was: its maxima taken with max()."""
    text_em, is_fig = tablelayout.text_em, tablelayout.is_figure
    columns = max((len(row) for row in rows), default=0)
    cells = [[row[c] if c < len(row) else "" for c in range(columns)] for row in rows]
    minimum = [1.0 + slack_em] * columns
    natural = [1.0] * columns
    labels = [0.0] * columns
    text_column = [False] * columns
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            text = text.strip()
            if not text:
                continue
            width = text_em(text)
            natural[c] = max(natural[c], width)
            if r < header_rows:
                longest_word = max((text_em(part) for part in unbreakable_segments(text)), default=width)
                minimum[c] = max(minimum[c], longest_word + slack_em)
            elif is_fig(text) or width <= label_max_em:
                labels[c] = max(labels[c], width)
            else:
                text_column[c] = True
    for c in range(columns):
        floor = min(natural[c], text_min_em) if text_column[c] else 0.0
        minimum[c] = max(minimum[c], (labels[c] if not text_column[c] else 0.0) + slack_em, floor + slack_em)
        if text_column[c]:
            figures = [text_em(row[c].strip()) for row in cells[header_rows:] if is_fig(row[c])]
            minimum[c] = max(minimum[c], max(figures, default=0.0) + slack_em)
    if weights is None or len(weights) != columns or any(w <= 0 for w in weights):
        weights = [max(n + slack_em, m) for n, m in zip(natural, minimum)]
    widths = tablelayout._share(available_em, minimum, list(weights))
    header_lines = [
        [break_title(text.strip(), width - slack_em / 2, text_em) if text.strip() else [""] for text, width in zip(row, widths)]
        for row in cells[:header_rows]
    ]
    lines = [
        max((len(cell) for cell in header_lines[r]), default=1)
        if r < len(header_lines)
        else max((math.ceil(text_em(cell) / w) if cell else 1 for cell, w in zip(row, widths)), default=1)
        for r, row in enumerate(cells)
    ]
    return widths, header_lines, lines


def test_table_layout_equals_the_plain_maxima() -> None:
    """plan_table and estimated_lines keep their maxima in loops: the same layout as max() over generators."""
    rng = random.Random(6)
    for _ in range(400):
        columns = rng.randint(1, 9)
        rows = [[random_text(rng, CELLS, 5) for _ in range(rng.randint(1, columns))] for _ in range(rng.randint(1, 12))]
        header_rows = rng.choice([0, 1, 2])
        available = rng.choice([-40.0, 3.0, 20.0, 45.5, 80.0])  # negative: more columns than the page holds
        weights = rng.choice([None, [rng.uniform(0.5, 4) for _ in range(columns)], [1.0, 0.0]])
        layout = tablelayout.plan_table(rows, header_rows, available, weights=weights)
        widths, header_lines, lines = plain_plan_table(rows, header_rows, available, weights)
        assert (layout.widths_em, layout.header_lines) == (widths, header_lines)
        square = [[row[c] if c < len(row) else "" for c in range(columns)] for row in rows]
        if max(len(row) for row in rows) == columns:
            assert layout.estimated_lines(square, header_rows) == lines


def test_character_classes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text of many distinct rare characters fills the class table only up to its limit, and is measured right."""
    monkeypatch.setattr(tablelayout, "_CLASSES", tablelayout._CharClasses())
    monkeypatch.setattr(tablelayout, "_CLASSES_MAX", 500)
    text = "a" + "".join(chr(0x4E00 + n) for n in range(3000)) + "b c"
    assert tablelayout.text_em.__wrapped__(text) == plain_text_em(text) == 3000 + 0.5 * 3 + 0.25 + 0.25 * 2
    assert len(tablelayout._CLASSES) == 500


# -- PDFs beside the outputs ------------------------------------------------------------------


def test_stale_pdfs_listing_each_folder_once_equals_looking_at_every_file(tmp_path: Path) -> None:
    """build.stale_pdfs skips folders that hold no .pdf name; what it finds is what a look at every file finds."""
    from drafting import build
    from drafting.build import PlannedOutput, PreviousEntry, stale_pdfs

    out = tmp_path / "out"
    (out / "目标责任书").mkdir(parents=True)
    (out / "无PDF").mkdir()
    (out / "无PDF" / "甲.docx").write_bytes(b"docx")
    (out / "大写").mkdir()
    (out / "大写" / "乙.PDF").write_bytes(b"upper")
    (out / "目标责任书" / "甲.pdf").write_bytes(b"pdf")
    (out / "目标责任书" / "丙.pdf").mkdir()  # a folder named like the PDF
    (out / "目标责任书" / "丁.pdf").symlink_to(out / "目标责任书" / "甲.pdf")  # a link: never ours
    (out / "文件").write_bytes(b"a file where a folder would be")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "戊.pdf").write_bytes(b"elsewhere")
    (out / "链接").symlink_to(outside, target_is_directory=True)
    (out / "讲话稿.pdf").write_bytes(b"speech")
    names = [
        "目标责任书/甲.docx", "目标责任书/乙.docx", "目标责任书/丙.docx", "目标责任书/丁.docx", "无PDF/甲.docx",
        "大写/乙.docx", "缺/甲.docx", "文件/甲.docx", "链接/戊.docx", "讲话稿.docx", "通报.docx",
    ]  # fmt: skip
    outputs = [PlannedOutput("letter", out / name, None, unit=name) for name in names]
    speech = PreviousEntry({"kind": "speech", "path": "讲话稿.docx", "pdf": "讲话稿.pdf", "pdf_sha256": "0" * 64},
                           out / "讲话稿.docx", out / "讲话稿.pdf")

    def every_file(out_dir: Path, outputs: list[PlannedOutput], replaced: list[PreviousEntry], force: bool):
        root = build.os.path.realpath(out_dir)
        found = [p for p in (build._own_file(root, build.pdf_path(o.path)) for o in outputs) if p is not None]
        recorded = {build.os.path.abspath(p.pdf).casefold(): p for p in replaced if p.pdf is not None}
        remove, keep = [], []
        for beside in found:
            previous = recorded.get(build.os.path.abspath(beside).casefold())
            hashed = previous.entry.get("pdf_sha256") if previous is not None else None
            unchanged = isinstance(hashed, str) and build._sha256(beside) == hashed
            (remove if unchanged and force else keep).append(beside)
        return remove, keep

    for force in (False, True):
        assert stale_pdfs(out, outputs, [speech], force) == every_file(out, outputs, [speech], force)
    remove, keep = stale_pdfs(out, outputs, [speech], True)
    assert remove == [] and out / "目标责任书" / "甲.pdf" in keep and out / "讲话稿.pdf" in keep
    assert all(path.name != "丁.pdf" and path.name != "戊.pdf" for path in keep)


# -- committing a batch ---------------------------------------------------------------------------


def _layout(root: Path) -> None:
    """An output folder with every kind of destination trouble, each in a folder of its own."""
    import os

    (root / "好").mkdir(parents=True)
    (root / "好" / "已有.docx").write_bytes(b"old")
    (root / "同名").mkdir()
    (root / "同名" / "乙.docx").mkdir()  # a folder where a letter goes
    (root / "文件").write_bytes(b"a file where a folder would be")
    outside = root.parent / "别处"
    outside.mkdir()
    (root / "链接").symlink_to(outside, target_is_directory=True)
    (root / "只读").mkdir()
    os.chmod(root / "只读", 0o555)


@pytest.mark.parametrize(
    "bad", [None, "同名/乙.docx", "文件/甲.docx", "链接/甲.docx", "只读/甲.docx", "新/更深/甲.docx"]
)
def test_batch_destination_checks_and_moves_equal_the_per_file_ones(tmp_path: Path, bad: str | None) -> None:
    """output.commit_batch checks each folder once and makes each folder once; same errors, same files as per file."""
    import os

    from drafting import output
    from drafting.errors import DraftingError

    if bad == "只读/甲.docx" and os.geteuid() == 0:
        pytest.skip("root writes anywhere")

    def per_file_check(path: Path, out_dir: Path, passed: set[Path] | None = None) -> None:
        plain_check(path, out_dir)

    plain_check = output._check_destination
    results = []
    for variant in ("batch", "per file"):
        root = tmp_path / variant / "out"
        _layout(root)
        names = [f"好/{n}.docx" for n in ("甲", "已有", "丙")] + [f"新/{n}.docx" for n in ("甲", "乙")]
        names += ([bad] if bad else []) + ["好/丁.docx", "新/更深/乙.docx"]
        items = [(root / name, (lambda text: lambda p: p.write_text(text, encoding="utf-8"))(name)) for name in names]
        try:
            if variant == "per file":
                output._check_destination = per_file_check  # type: ignore[assignment]
            output.commit_batch(items, root)
            outcome = "ok"
        except DraftingError as exc:
            outcome = str(exc).replace(str(tmp_path / variant), "")
        finally:
            output._check_destination = plain_check  # type: ignore[assignment]
            os.chmod(root / "只读", 0o755)
        files = sorted(
            (str(p.relative_to(root)), p.read_bytes() if p.is_file() and not p.is_symlink() else b"")
            for p in root.rglob("*")
            if not p.name.startswith(".drafting")
        )
        results.append((outcome, files))
    assert results[0] == results[1]
    assert (results[0][0] == "ok") == (bad in (None, "新/更深/甲.docx"))


def test_swap_makes_each_folder_once_and_undoes_them_all(tmp_path: Path) -> None:
    """output._swap looks at each folder once: made when missing, removed again when a later move fails."""
    from drafting import output
    from drafting.errors import DraftingError

    root = tmp_path / "out"
    (root / "旧").mkdir(parents=True)
    (root / "旧" / "甲.docx").write_bytes(b"old")
    stage = root / ".drafting-stage"
    stage.mkdir()
    finals = [root / "旧" / "甲.docx", root / "新" / "甲.docx", root / "新" / "乙.docx", root / "新" / "深" / "丙.docx"]
    temps = []
    for index, final in enumerate(finals):
        temp = stage / f"{index}.tmp"
        temp.write_bytes(final.name.encode())
        temps.append(temp)
    output._swap(list(zip(temps, finals)), stage)
    assert [f.read_bytes() for f in finals] == [f.name.encode() for f in finals]

    (root / "旧" / "甲.docx").write_bytes(b"old")
    for path in (root / "新" / "深" / "丙.docx", root / "新" / "乙.docx", root / "新" / "甲.docx"):
        path.unlink()
    (root / "新" / "深").rmdir()
    (root / "新").rmdir()
    for temp in temps[:3]:
        temp.write_bytes(b"new")
    moves = [*zip(temps[:3], finals[:3]), (stage / "missing.tmp", root / "新" / "深" / "丁.docx")]
    with pytest.raises(DraftingError, match="原有文件均已恢复"):
        output._swap(moves, stage)
    assert (root / "旧" / "甲.docx").read_bytes() == b"old" and not (root / "新").exists()


# -- XML-safe text --------------------------------------------------------------------------------


def test_xml_text_shortcut_equals_the_pattern() -> None:
    """textxml.xml_text returns printable text as it is: no character the pattern removes is printable."""
    import sys

    from drafting.docx.textxml import _NOT_XML, xml_text

    assert not any(_NOT_XML.match(c) and c.isprintable() for c in map(chr, range(sys.maxunicode + 1)))
    rng = random.Random(3)
    pieces = PIECES + ["\x00", "\x07", "\x0b", "\x0c", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff", "\x7f", "\u200b"]
    texts = [random_text(rng, pieces) for _ in range(3000)] + ["", "甲乙", "\x0b"]
    for text in texts:
        assert xml_text(text) == _NOT_XML.sub("", text) and type(xml_text(text)) is str


# -- check units ----------------------------------------------------------------------------------


def plain_walk(self, blocks, sources, scope, draft, top) -> None:  # type: ignore[no-untyped-def]
    """units._Walker.walk as it was: the heading path and section worked out again for every block."""
    from drafting.check import units as u

    stack = []
    attachment_count = 0
    annex_caption = ""
    for index, block in enumerate(blocks):
        source = sources[index] if sources is not None and index < len(sources) else None
        if top and isinstance(block, u.SectionBreak) and isinstance(u._next_text_block(blocks, index), u.Title):
            self.part += 1
            stack, attachment_count, self.annex = [], 0, 0
        if top and isinstance(block, u.Paragraph) and u.ANNEX_CAPTION.match(block.text.strip()):
            self.annex += 1
            stack, annex_caption = [], block.text.strip().rstrip("：:")
        if isinstance(block, u.Heading):
            stack = [h for h in stack if h.level < block.level] + [block]
        path = " > ".join(u._heading_label(h) for h in stack)
        section = next((u._heading_label(h) for h in stack if h.level == 1), annex_caption if top and self.annex else "")
        self.counter += u._extra_paragraphs(block)
        for offset, (kind, text) in enumerate(u._block_texts(block)):
            self.counter += 1
            paragraph = source + offset if source is not None else (self.counter if self.numbered else None)
            if not text:
                continue
            self.units.append(
                u.Unit(text=text, paragraph=paragraph, heading=path, section=section, kind=kind, scope=scope, block=block,
                       heading_level=block.level if isinstance(block, u.Heading) else 0, part=self.part,
                       annex=self.annex if top else 0)
            )
        self.counter += u._note_items(block)
        if isinstance(block, u.Attachment) and top:
            attachment_count += 1
            child_sources = draft.attachment_sources.get(index) if draft else None
            if child_sources is not None:
                self.units[-1].paragraph = (source or 0) + 1
            self.walk(block.blocks, child_sources, attachment_count, draft, top=False)


def test_units_walk_equals_the_plain_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated documents (a 合订本 of letters, attachments) and read drafts give the same units either way."""
    from drafting.build import BuildOptions, plan_build
    from drafting.check import units as u
    from drafting.example import write_example
    from drafting.readers import load_draft

    folder = tmp_path / "会议"
    write_example(folder)
    plan = plan_build(folder, BuildOptions(combined=True))
    documents = [o.document for o in plan.outputs if o.document is not None]
    samples = sorted((Path(__file__).parent.parent / "corpus" / "samples").glob("*.txt"))
    glossary = tmp_path / "名词.txt"
    glossary.write_text("关于某事的通知\n\n一、总体要求\n（一）目标\n正文。\n名词解释：\n1. 甲\n2. 乙\n二、其他\n正文。\n", encoding="utf-8")
    drafts = [load_draft(path) for path in [*samples, glossary]]
    assert len(documents) >= 6 and len(drafts) >= 5
    fast = [u.document_units(d) for d in documents] + [u.draft_units(d) for d in drafts]
    monkeypatch.setattr(u._Walker, "walk", plain_walk)
    plain = [u.document_units(d) for d in documents] + [u.draft_units(d) for d in drafts]
    assert fast == plain
    assert any(unit.part > 0 for units in fast for unit in units)  # the 合订本's letters
    assert any(unit.annex > 0 for units in fast for unit in units)  # the glossary
