"""Large, realistic project ledgers for benchmarks (reused by the build and letter benchmarks).

    from benchmarks.ledgers import make_meeting, write_ledger
    write_ledger(path, projects=2000, units=300)

Rows vary the example meeting's real-looking rows: names, lead units, amounts,
statuses and dates; every unit leads at least one project. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from drafting.example import write_example

PRESETS = {"2000x300": (2000, 300), "10000x10000": (10000, 10000)}

_PLACES = "东城 西城 南湖 北山 青石 柳林 桃源 清河 白塔 新华 黄庄 杏花 龙泉 金川 石门 高桥 丰乐 永安 长兴 双龙".split()
_KINDS = ("镇人民政府", "街道办事处", "局", "管委会", "中心", "集团有限公司")
_OFFICES = "发展改革 工业和信息化 自然资源 住房城乡建设 交通运输 水利 农业农村 商务 文化旅游 卫生健康 应急管理 市场监管".split()


def unit_names(count: int) -> list[str]:
    """``count`` distinct, plausible unit names."""
    names: list[str] = []
    for i in range(count):
        place = _PLACES[i % len(_PLACES)]
        group = i // len(_PLACES)
        if group % 3 == 0:
            names.append(f"{place}{_KINDS[group // 3 % 2]}" + (f"（{group // 6 + 1}）" if group >= 6 else ""))
        else:
            office = _OFFICES[(i + group) % len(_OFFICES)]
            names.append(f"区{office}局{place}分局" + (f"第{group}所" if group > 2 else ""))
    # make names unique whatever the arithmetic above produced
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}{seen[name]}号")
    return unique


def ledger_rows(template: list[list[Any]], header: list[str], projects: int, units: int, seed: int = 11) -> list[list[Any]]:
    """``projects`` rows over ``units`` lead units, varied from the template rows."""
    rng = random.Random(seed)
    col = {name: i for i, name in enumerate(header)}
    names = unit_names(units)
    statuses = sorted({row[col["项目状态"]] for row in template if row[col["项目状态"]]})
    rows = []
    for n in range(projects):
        row = list(template[n % len(template)])
        base = str(row[col["项目名称"]]).removesuffix("项目")
        row[col["项目名称"]] = f"{base}（{n // len(template) + 1}期）项目"
        row[col["牵头单位"]] = names[n % units] if n < units else names[rng.randrange(units)]
        total = round(rng.uniform(0.5, 60), 2)
        row[col["总投资（亿元）"]] = int(total) if n % 5 == 0 else total  # integers and floats both occur
        row[col["年度计划投资（亿元）"]] = round(total * rng.uniform(0.1, 0.5), 2)
        row[col["累计完成投资（亿元）"]] = round(total * rng.uniform(0, 0.4), 2)
        row[col["项目状态"]] = statuses[rng.randrange(len(statuses))]
        start = dt.datetime(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        for field, offset in (("签约日期", -40), ("计划开工日期", 0), ("计划竣工日期", 700)):
            row[col[field]] = start + dt.timedelta(days=offset)
        if row[col["实际开工日期"]] is not None:
            row[col["实际开工日期"]] = start + dt.timedelta(days=rng.randrange(30))
        rows.append(row)
    return rows


def write_ledger(path: Path, projects: int, units: int, seed: int = 11) -> Path:
    """Write a generated ledger to ``path`` (.xlsx) with the example ledger's columns."""
    example = Path(path).parent / ".example-template"
    write_example(example)
    source = load_workbook(example / "projects.xlsx", read_only=True)
    table = [list(r) for r in source.worksheets[0].iter_rows(values_only=True)]
    source.close()
    header, template = [str(h) for h in table[0]], [r for r in table[1:] if any(v is not None for v in r)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("项目台账")
    sheet.append(header)
    for row in ledger_rows(template, header, projects, units, seed):
        sheet.append(row)
    book.save(path)
    for file in sorted(example.rglob("*"), reverse=True):
        file.unlink() if file.is_file() else file.rmdir()
    example.rmdir()
    return Path(path)


_INLINE_CELL = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t>([^<]*)</t></is></c>')
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(source: Path, target: Path) -> Path:
    """Copy the .xlsx ``source`` (as ``write_ledger`` writes it) to ``target`` with every inline string
    moved to xl/sharedStrings.xml, as Excel and WPS save text (openpyxl itself writes inline strings)."""
    index: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        number = index.setdefault(match[3], len(index))
        return b'<c ' + match[1] + b't="s"' + match[2] + b"><v>" + str(number).encode() + b"</v></c>"

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = _INLINE_CELL.sub(shared, data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                    + _SHARED_TYPE + b'"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Type="' + _SHARED_REL
                                    + b'" Target="sharedStrings.xml" Id="rIdShared"/></Relationships>')
            new.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        items = b"".join(b"<si><t>" + text + b"</t></si>" for text in index)
        new.writestr("xl/sharedStrings.xml", b'<sst xmlns="' + _MAIN + b'" uniqueCount="' + str(len(index)).encode()
                     + b'">' + items + b"</sst>")
    return Path(target)


def make_meeting(folder: Path, projects: int, units: int, seed: int = 11) -> Path:
    """The example meeting folder with its ledger replaced by a generated one."""
    write_example(folder)
    write_ledger(Path(folder) / "projects.xlsx", projects, units, seed)
    return Path(folder)


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "大台账")
    preset = sys.argv[2] if len(sys.argv) > 2 else "2000x300"
    sizes = PRESETS.get(preset) or tuple(int(n) for n in preset.split("x"))  # a preset, or any PROJECTSxUNITS
    make_meeting(target, *sizes)
    print(f"{target}: {preset}")
