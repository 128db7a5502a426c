"""The ledger's .xlsx reading and validation give the same Ledger, project by project, and the same
messages as before they were made faster (tests/ledger_reference.py keeps the previous loops): on large
generated ledgers with inline or shared strings and problems scattered through them, and on many small
random sheets with odd structure (nesting, whitespace, rich text, formulas, errors, merges)."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import ledger_reference
from benchmarks.ledgers import with_shared_strings, write_ledger
from drafting.ledger import load_ledger
from test_ledger_xlsx import MAIN, write_workbook
from test_xlsx_reader import outcome

SHEET = "xl/worksheets/sheet1.xml"


def same_as_before(path: Path) -> Any:
    ours = outcome(load_ledger, path)
    assert ours == outcome(ledger_reference.load_ledger, path)
    return ours


def rewrite(source: Path, target: Path, change: Any, part: str = SHEET) -> Path:
    """A copy of the workbook ``source`` with ``change`` applied to one part's text."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == part:
                data = change(data.decode()).encode()
            new.writestr(info, data)
    return target


def every(n: int, pattern: str, replace: Any) -> Any:
    """A change replacing every ``n``-th match of ``pattern``."""

    def change(text: str) -> str:
        count = 0

        def one(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return replace(match) if count % n == 0 else match[0]

        return re.sub(pattern, one, text)

    return change


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("generated")
    inline = write_ledger(folder / "inline.xlsx", 2000, 300)
    shared = with_shared_strings(inline, folder / "shared.xlsx")
    number = r'<c r="([A-Z]+\d+)" t="n"><v>([^<]*)</v></c>'
    text = r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>'
    return {
        "inline": inline,
        "shared": shared,
        "errors": rewrite(inline, folder / "errors.xlsx", every(37, number, lambda m: f'<c r="{m[1]}" t="e"><v>#N/A</v></c>')),
        "uncalculated": rewrite(inline, folder / "uncalculated.xlsx", every(53, number, lambda m: f'<c r="{m[1]}"><f>1+1</f></c>')),
        "bad texts": rewrite(
            inline,
            folder / "bad.xlsx",
            every(41, text, lambda m: f'<c r="{m[1]}" t="inlineStr"><is><t>很多_x000D_</t></is></c>'),
        ),
        "rich text": rewrite(
            shared,
            folder / "rich.xlsx",
            lambda t: re.sub(r"<si><t>(&#\d+;|[^<&])([^<]*)</t></si>", r"<si><r><t>\1</t></r><r><rPr/><t>\2</t></r></si>", t),
            "xl/sharedStrings.xml",
        ),
        "pretty": rewrite(inline, folder / "pretty.xlsx", lambda t: t.replace("><", ">\n  <")),
        "no references": rewrite(inline, folder / "norefs.xlsx", lambda t: re.sub(r' r="[A-Z]+\d+"', "", t)),
        "1904": rewrite(inline, folder / "1904.xlsx", lambda t: t.replace("<workbookPr/>", '<workbookPr date1904="1"/>'), "xl/workbook.xml"),
        "duplicates": rewrite(inline, folder / "dup.xlsx", lambda t: re.sub(r"&#65288;\d+&#26399;&#65289;", "", t)),
        "merged": rewrite(
            inline,
            folder / "merged.xlsx",
            lambda t: t.replace(
                "</sheetData>",
                '</sheetData><mergeCells><mergeCell ref="E10:E14"/><mergeCell ref="G20:G21"/>'
                '<mergeCell ref="P30:P2000"/><mergeCell ref="A40:B40"/></mergeCells>',
            ),
        ),
    }


@pytest.mark.parametrize(
    "which",
    ["inline", "shared", "errors", "uncalculated", "bad texts", "rich text", "pretty", "no references", "1904", "duplicates", "merged"],
)
def test_a_generated_ledger_is_read_as_before(generated: dict[str, Path], which: str) -> None:
    result = same_as_before(generated[which])
    if which in ("inline", "shared", "rich text", "pretty", "1904"):
        assert len(result.projects) == 2000
    elif which != "merged":  # (without references, cells after a gap shift left: dates in the wrong columns)
        assert result[0] == "refused" and len(result[1]) > 10  # many problems, named by cell


# --- random small sheets ----------------------------------------------------------------------------

HEADERS = ["项目名称", "牵头单位", "年度计划投资（亿元）", "累计完成投资（亿元）", "计划开工日期", "项目状态", "配合单位",
           "备注", "序号", "形象进度", "项目级别", "总投资"]
TEXTS = ["产业园", "物流园", "区发改局", "区 商务局", "已开工", "在谈", "合计", "  ", "", "2026年3月4日", "3.5亿元", "区发改局、区商务局",
         "a&amp;b", "<![CDATA[x<y]]>", "_x000D_", "省重点", "很多", "#N/A", "-1"]
NUMBERS = ["1", "2.5", "0", "-3", "46082", "46083.75", "1E-2", "1e300", "0.5", "12", "1,5", "x", ""]


def random_cell(rng: random.Random, ref: str | None, shared: int) -> str:
    r = f' r="{ref}"' if ref is not None else ""
    s = f' s="{rng.randrange(6)}"' if rng.random() < 0.4 else ""
    text = rng.choice(TEXTS)
    pad = "\n " if rng.random() < 0.1 else ""
    choice = rng.randrange(14)
    if choice < 4:
        return f'<c{r} t="inlineStr"{s}>{pad}<is>{pad}<t>{text}</t>{pad}</is>{pad}</c>'
    if choice == 4:
        pieces = "".join(
            rng.choice([f"<t>{rng.choice(TEXTS)}</t>", f"<r><t>{rng.choice(TEXTS)}</t></r>", "<r/>", "<r><rPr/><t>一</t><t>二</t></r>",
                        '<rPh sb="0" eb="1"><t>チ</t></rPh>', f"<t>{text}<x/>尾</t>", "<x>x</x>"])
            for _ in range(rng.randrange(4))
        )
        extra = rng.choice(["", "<is><t>second</t></is>", "<v>7</v>"])
        return f'<c{r} t="inlineStr"{s}><is>{pieces}</is>{extra}</c>'
    if choice < 8:
        return f"<c{r}{s}>{pad}<v>{rng.choice(NUMBERS)}</v>{pad}</c>"
    if choice == 8:
        return f'<c{r} t="s"{s}><v>{rng.randrange(shared + 1)}</v></c>'
    if choice == 9:
        kind = rng.choice(["e", "b", "str", "d", "n", "zz"])
        value = {"e": rng.choice(["#N/A", "#DIV/0!", "#WHAT?"]), "b": rng.choice(["0", "1"]), "d": rng.choice(["2026-03-03T10:00:00", "bad"])}
        return f'<c{r} t="{kind}"{s}><v>{value.get(kind, rng.choice(NUMBERS + TEXTS[:3]))}</v></c>'
    if choice == 10:
        kind = rng.choice(["", ' t="str"', ' t="e"'])
        return f'<c{r}{kind}{s}><f>A1+1</f>{rng.choice(["", "<v></v>", "<v>3</v>", "<v>产业园</v>"])}</c>'
    if choice == 11:
        return f"<c{r}{s}/>"
    if choice == 12:
        return rng.choice([f"<c{r}><v>1<x/>2</v><v>9</v></c>", f'<c{r} xmlns=""><v>3</v></c>', f'<c{r}><v xmlns="">3</v></c>',
                           f'<m:c{r} xmlns:m="{MAIN}"><m:v>3</m:v></m:c>', f'<c{r} t="inlineStr"><is><t xmlns="">无</t><t>有</t></is></c>'])
    return f'<c{r}><ext><c r="Z9"><v>5</v></c></ext><v>{rng.choice(NUMBERS)}</v></c>'


def tame_cell(rng: random.Random, ref: str, column: int, number: int) -> str:
    """A valid cell under TAME's header, in one of the ways a writer may put it."""
    text = [f"项目{number}", rng.choice(["区发改局", "区 商务局", "区住建局(人防办)"]), "备注", "主体施工", ""][column]
    pad = rng.choice(["", "", "\n  "])
    if column == 4:
        return rng.choice([f'<c r="{ref}">{pad}<v>{rng.choice(["1", "2.5", "0"])}</v></c>', f'<c r="{ref}"><f>1+1</f><v>2</v></c>', f'<c r="{ref}" s="4"/>'])
    return rng.choice([f'<c r="{ref}" t="inlineStr">{pad}<is><t>{text}</t></is></c>', f'<c r="{ref}" t="str"><f>A1</f><v>{text}</v></c>',
                       f'<c r="{ref}" t="inlineStr"><is><r><t>{text[:1]}</t></r><r><rPr/><t>{text[1:]}</t></r></is></c>'])


TAME = ["项目名称", "牵头单位", "备注", "形象进度", "年度计划投资（亿元）"]


def random_sheet(rng: random.Random, shared: int) -> tuple[str, str, str]:
    """(header row, rows, tail) of a small sheet that is mostly a ledger and sometimes odd."""
    if rng.random() < 0.3:  # a sheet that is read: every cell valid
        header = '<row r="1">' + "".join(f'<c r="{"ABCDE"[i]}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(TAME)) + "</row>"
        numbers = sorted(rng.sample(range(2, 30), rng.randrange(1, 12)))
        rows = "".join(f'<row r="{n}">' + "".join(tame_cell(rng, f"{'ABCDE'[i]}{n}", i, n) for i in range(5)) + "</row>" for n in numbers)
        return header, rows, rng.choice(["", '<mergeCells><mergeCell ref="B2:B4"/><mergeCell ref="C5:C9"/></mergeCells>'])
    names = rng.sample(HEADERS, rng.randrange(2, 8))
    if rng.random() < 0.85:
        names[:2] = ["项目名称", "牵头单位"]
    rng.shuffle(names)
    first = rng.choice([1, 1, 1, 2, 3])
    header = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>标题</t></is></c></row>' for n in range(1, first))
    header += f'<row r="{first}">' + "".join(f'<c r="{"ABCDEFGHIJKL"[i]}{first}" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(names)) + "</row>"
    rows = []
    number = first
    for _ in range(rng.randrange(0, 14)):
        number += rng.choice([1, 1, 1, 2, 12])
        cells = []
        for column in range(rng.randrange(0, len(names) + 2)):
            letter = "ABCDEFGHIJKLMN"[column]
            ref = rng.choice([f"{letter}{number}", f"{letter}{number}", f"{letter.lower()}{number}", letter, None,
                              f"{letter}{number + 1}", "GS9", "A130000", "ZZZZ1", "1A"][: 5 if rng.random() < 0.9 else 10])
            cells.append(random_cell(rng, ref, shared))
        junk = rng.random()
        if junk < 0.05:
            cells.insert(rng.randrange(len(cells) + 1), f'<row r="{number + 50}"><c r="A{number + 50}"><v>4</v></c></row>')
        elif junk < 0.1:
            cells.insert(rng.randrange(len(cells) + 1), '<mergeCell ref="A2:A4"/>')
        elif junk < 0.15:
            cells.append("<extLst><ext><x/></ext></extLst>")
        elif junk < 0.2:
            cells.insert(rng.randrange(len(cells) + 1), f'<y xmlns=""><c r="A{number}"><v>1</v></c><z/></y>')
        r = rng.choice([f' r="{number}"', f' r="{number}"', "", ' r="x"' if rng.random() < 0.2 else ""])
        rows.append(f"<row{r}>" + "".join(cells) + "</row>")
        if rng.random() < 0.05:
            rows.append(f'<c r="A{number}"><v>8</v></c>')  # a cell outside any row is no cell
    merges = "".join(
        f'<mergeCell ref="{rng.choice("ABCDEFG")}{a}:{rng.choice("ABCDEFG")}{a + rng.randrange(3)}"/>'
        for a in (rng.randrange(1, number + 2) for _ in range(rng.randrange(3)))
    )
    tail = f"<mergeCells>{merges}</mergeCells>" if merges and rng.random() < 0.7 else ""
    if rng.random() < 0.1:
        tail += f'<extLst><ext><c r="A{number}"><v>9</v></c></ext></extLst>'
    if rng.random() < 0.03:
        tail += "<row"  # not well-formed
    return header, "".join(rows), tail


@pytest.mark.parametrize("seed", range(12))
def test_random_sheets_are_read_as_before(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    shared = ["<si><t>产业园</t></si>", "<si><r><t>区发改</t></r><r><t>局</t></r></si>", "<si><t>已开工</t></si>", "<si/>", "<si><t>合 计</t></si>"]
    kinds = set()
    for case in range(40):
        header, rows, tail = random_sheet(rng, len(shared))
        folder = tmp_path / f"{case}"
        folder.mkdir()
        path = write_workbook(folder, rows, header=header, shared=shared, date1904=rng.random() < 0.2, tail=tail)
        result = same_as_before(path)
        kinds.add("refused" if isinstance(result, tuple) else "read")
    assert kinds == {"refused", "read"}  # the random sheets exercise both outcomes


# --- projects.yaml: the same validation loop --------------------------------------------------------

YAML_VALUES = ["产业园", "区发改局", "区 商务局、区住建局", "[区发改局, 区商务局]", "3.5", "-1", "1e9", "3.5亿元", "很多", "2026-03-04",
               "2026年3月4日", "已开工", "开工了", "省重点", "true", "null", "''", "0", "12", "_xD800_"]
YAML_KEYS = ["项目名称", "牵头单位", "总投资", "年度计划投资", "计划开工日期", "项目状态", "配合单位", "项目级别", "形象进度", "备注"]


def yaml_outcome(build: Any, path: Path) -> Any:
    from drafting.errors import ErrorCollector
    from drafting.ledger import _position, _yaml_rows

    sheet = _yaml_rows(path)
    errors = ErrorCollector(key=_position)
    errors.extend(sheet.errors)
    projects = build(sheet.rows, errors, sheet.columns)
    return projects, [str(e) for e in errors.errors()], errors.omitted


@pytest.mark.parametrize("seed", range(4))
def test_random_yaml_ledgers_are_validated_as_before(tmp_path: Path, seed: int) -> None:
    from drafting.ledger import _build_projects

    rng = random.Random(seed)
    for case in range(30):
        items = []
        for n in range(rng.randrange(1, 8)):
            keys = rng.sample(YAML_KEYS, rng.randrange(1, len(YAML_KEYS)))
            if rng.random() < 0.6:
                keys[:2] = ["项目名称", "牵头单位"]
            values = {key: rng.choice(YAML_VALUES) for key in dict.fromkeys(keys)}
            if "项目名称" in values and rng.random() < 0.7:
                values["项目名称"] = f"项目{n}"
            items.append("  - " + "\n    ".join(f"{key}: {value}" for key, value in values.items()))
        path = tmp_path / f"{case}.yaml"
        path.write_text("projects:\n" + "\n".join(items) + "\n", encoding="utf-8")
        assert yaml_outcome(_build_projects, path) == yaml_outcome(ledger_reference._build_projects, path)
