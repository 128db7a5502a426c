"""Generators of hostile and large-but-honest input files, shared by tests and benchmarks/bench_inputs.py.

Every generator writes a small file (at most a few hundred KB) unless asked for an honest large ledger.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from drafting.ledger import COLUMNS


def honest_ledger(path: Path, rows: int) -> Path:
    """A well-formed ledger with every canonical column and ``rows`` distinct projects."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([c.header for c in COLUMNS])
    for i in range(rows):
        sheet.append(
            [
                f"第{i + 1}号重点项目", "工业", "新建厂房及配套设施", f"张{i % 50}", f"区单位{i % 40:02d}",
                "区发改局、区自然资源局", 3.5, 1.2, 0.8, "已开工", "2025-03-01", "2025-04-01",
                "2025-05-10", "2027-12-31", "区重点", "主体施工", None,
            ]
        )
    book.save(path)
    return path


def yaml_alias_bomb(levels: int = 9) -> str:
    """"Billion laughs": each level lists the previous one nine times (9**levels values)."""
    lines = ['a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def yaml_recursive_alias() -> str:
    return "meeting: &loop\n  name: 会议\n  again: *loop\n"


def yaml_nested_brackets(depth: int = 100_000) -> str:
    return "meeting: " + "[" * depth + "]" * depth + "\n"


def excel_like_ledger(path: Path, rows: int) -> Path:
    """Like ``honest_ledger`` but saved the way Excel saves: shared strings and a <dimension>."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([c.header for c in COLUMNS])
    for i in range(rows):
        sheet.append(
            [
                f"第{i + 1}号重点项目", "工业", "新建厂房及配套设施", f"张{i % 50}", f"区单位{i % 40:02d}",
                "区发改局、区自然资源局", 3.5, 1.2, 0.8, "已开工", "2025-03-01", "2025-04-01",
                "2025-05-10", "2027-12-31", "区重点", "主体施工", None,
            ]
        )
    book.save(path)
    return path


def _replace_member(path: Path, name: str, write) -> None:  # type: ignore[no-untyped-def]
    """Rewrite zip ``path`` with member ``name`` produced by ``write(stream)`` (streamed, compressed)."""
    source = path.with_suffix(".orig")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == name:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with new.open(info, "w", force_zip64=True) as stream:
                    write(stream)
            else:
                new.writestr(info, old.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    source.unlink()


def ledger_with_far_cell(path: Path) -> Path:
    """A valid one-project ledger plus one value in the very last cell Excel allows (XFD1048576)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目名称", "牵头单位", "总投资（亿元）"])
    sheet.append(["甲项目", "区发改局", 1])
    sheet.cell(row=1_048_576, column=16_384, value="x")
    book.save(path)
    return path


def ledger_zip_bomb(path: Path, rows: int = 1_000_000) -> Path:
    """A small workbook whose sheet unpacks to ``rows`` identical bad rows (~150 bytes each):
    every row repeats the same project name and a bad amount."""
    book = openpyxl.Workbook()
    book.active.append(["项目名称", "牵头单位", "总投资（亿元）"])
    book.save(path)
    row = ('<row><c t="inlineStr"><is><t>甲项目</t></is></c><c t="inlineStr"><is><t>区发改局</t></is></c>'
           '<c t="inlineStr"><is><t>很多</t></is></c></row>').encode()

    def write(stream) -> None:  # type: ignore[no-untyped-def]
        stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData>'
                     b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>'
                     b'<c r="B1" t="inlineStr"><is><t>\xe7\x89\xb5\xe5\xa4\xb4\xe5\x8d\x95\xe4\xbd\x8d</t></is></c>'
                     b'<c r="C1" t="inlineStr"><is><t>\xe6\x80\xbb\xe6\x8a\x95\xe8\xb5\x84</t></is></c></row>')
        chunk = row * 10_000
        for _ in range(rows // 10_000):
            stream.write(chunk)
        stream.write(b"</sheetData></worksheet>")

    _replace_member(path, "xl/worksheets/sheet1.xml", write)
    return path


def ledger_with_cells(path: Path, cells: dict[str, object]) -> Path:
    """A one-project ledger with the given cells (e.g. {"C2": 1e30}) set afterwards."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目名称", "牵头单位", "总投资（亿元）"])
    sheet.append(["甲项目", "区发改局", 1])
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def docx_bomb(path: Path, megabytes: int = 345) -> Path:
    """A small .docx whose word/document.xml unpacks to about ``megabytes`` MB of paragraphs."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于加快重点项目建设的通知")
    document.save(path)
    paragraph = "<w:p><w:r><w:t>各单位要加快项目建设进度。</w:t></w:r></w:p>".encode()

    def write(stream) -> None:  # type: ignore[no-untyped-def]
        stream.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
                     b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
        chunk = paragraph * (1024 * 1024 // len(paragraph))
        for _ in range(megabytes):
            stream.write(chunk)
        stream.write(b"</w:body></w:document>")

    _replace_member(path, "word/document.xml", write)
    return path


BIG5_NOTICE = (
    "關於進一步加強重點項目建設的通知\n各鄉鎮人民政府，區直各部門：\n"
    "為全面完成今年重點項目建設目標任務，現將有關事項通知如下。\n一、提高思想認識\n"
    "各單位要把項目建設擺在突出位置，主要負責同志親自抓、負總責。\n"
)
