"""drafting.xlsxparts against openpyxl, the oracle: the first worksheet, the date system, shared strings and
date styles of generated, hand-written and odd workbooks; column letters, ranges, serial dates and number
formats; and no DOCTYPE (so no entity expansion) in any part."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format as openpyxl_is_date, is_timedelta_format as openpyxl_is_timedelta
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel

from benchmarks.ledgers import with_shared_strings, write_ledger
from drafting import xlsxparts
from drafting.errors import InputError
from drafting.ledger import _CJK_DATE_FORMAT_IDS, load_ledger
from drafting.xlsxparts import WorkbookError, read_workbook
from hostile import excel_like_ledger, honest_ledger, ledger_with_cells, ledger_with_far_cell
from xlsx_reference import _CellReader as ReferenceCells
from xlsx_reference import _open as reference_open

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_TYPE = f"{CT}.sheet.main+xml"

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="9"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/>
<numFmt numFmtId="177" formatCode="0.00_ "/><numFmt numFmtId="180" formatCode="mm-dd-yy"/>
<numFmt numFmtId="31" formatCode="0.00"/><numFmt numFmtId="181" formatCode="[h]:mm"/>
<numFmt numFmtId="182" formatCode="[Red]0.00;[Blue]\\-0.00"/><numFmt numFmtId="183" formatCode="&quot;第&quot;0&quot;期&quot;"/>
<numFmt numFmtId="184" formatCode="[$-804]aaaa;@"/><numFmt numFmtId="185" formatCode="#,##0.00_);\\(#,##0.00\\)"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="20">{"".join(f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for n in
    (0, 14, 22, 31, 176, 177, 180, 181, 182, 183, 184, 185, 45, 46, 47, 57, 58, 36, 49))}<xf fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

SHARED = [
    "<si><t>产业园</t></si>",
    '<si><r><rPr><b/></rPr><t>区发改</t></r><r><t xml:space="preserve">局 </t></r><rPh sb="0" eb="1"><t>ク</t></rPh></si>',
    "<si><t>甲</t><t>乙</t></si>",  # of several <t>, the last counts
    "<si><r><t>跑</t></r><t>先</t></si>",  # the plain <t> comes first whatever its place
    "<si><t>前<b/>后</t></si>",  # text after a child element is not the element's text
    "<si/>",
    "<si><rPh sb=\"0\" eb=\"1\"><t>only phonetic</t></rPh></si>",
    "<si><t>_x005F_x000D_ 与 a&amp;b &#x4E2D; <![CDATA[<c>]]></t></si>",
    "<si><r><t>一</t><t>二</t></r><r/><r><rPr/></r></si>",
    "<si><t></t></si>",
]


def parts(**override: str | bytes | None) -> dict[str, str | bytes | None]:
    """The members of a small workbook with one worksheet; ``override`` replaces or (None) removes members."""
    members: dict[str, str | bytes | None] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<workbookPr/><sheets><sheet name="项目台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{"".join(SHARED)}</sst>',
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
        ),
    }
    members.update(override)
    return members


def write(path: Path, members: dict[str, str | bytes | None]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def sheets_workbook(sheets: str, rels: str, **more: str | bytes | None) -> dict[str, str | bytes | None]:
    return parts(
        **{
            "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{sheets}</sheets></workbook>',
            "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG_REL}">{rels}</Relationships>',
            **more,
        }
    )


def rel(rid: str, kind: str, target: str) -> str:
    return f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>'


SHEET2 = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def strict(members: dict[str, str | bytes | None]) -> dict[str, str | bytes | None]:
    """The ISO/IEC 29500 Strict namespaces in every part."""
    return {
        name: data.replace(MAIN, STRICT_MAIN).replace(REL, STRICT_REL) if isinstance(data, str) else data
        for name, data in members.items()
    }


CASES: dict[str, dict[str, str | bytes | None]] = {
    "plain": parts(),
    "1904": parts(**{"xl/workbook.xml": parts()["xl/workbook.xml"].replace("<workbookPr/>", '<workbookPr date1904="1"/>')}),  # type: ignore[union-attr]
    "1904 true": parts(**{"xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="true"/><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>'}),
    "1904 false": parts(**{"xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="false"/><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>'}),
    "1904 empty": parts(**{"xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904=""/><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>'}),
    "hidden first sheet": sheets_workbook(
        '<sheet name="隐藏" sheetId="1" state="hidden" r:id="rId5"/><sheet name="台账" sheetId="2" r:id="rId1"/>',
        rel("rId5", "worksheet", "worksheets/sheet2.xml") + rel("rId1", "worksheet", "worksheets/sheet1.xml"),
        **{"xl/worksheets/sheet2.xml": SHEET2},
    ),
    "chartsheet first": sheets_workbook(
        '<sheet name="图" sheetId="1" r:id="rId7"/><sheet name="台账" sheetId="2" r:id="rId1"/>',
        rel("rId7", "chartsheet", "chartsheets/sheet1.xml") + rel("rId1", "worksheet", "worksheets/sheet1.xml"),
        **{"xl/chartsheets/sheet1.xml": f'<chartsheet xmlns="{MAIN}"/>'},
    ),
    "absolute target": sheets_workbook(
        '<sheet name="台账" sheetId="1" r:id="rId1"/>', rel("rId1", "worksheet", "/xl/worksheets/sheet1.xml")
    ),
    "relative target with ..": sheets_workbook(
        '<sheet name="台账" sheetId="1" r:id="rId1"/>', rel("rId1", "worksheet", "../xl/worksheets/./sheet1.xml")
    ),
    "missing first target": sheets_workbook(
        '<sheet name="没了" sheetId="1" r:id="rId9"/><sheet name="台账" sheetId="2" r:id="rId1"/>',
        rel("rId9", "worksheet", "worksheets/gone.xml") + rel("rId1", "worksheet", "worksheets/sheet1.xml"),
    ),
    "sheet without r:id": sheets_workbook(
        '<sheet name="无" sheetId="1"/><sheet name="台账" sheetId="2" r:id="rId1"/>', rel("rId1", "worksheet", "worksheets/sheet1.xml")
    ),
    "unknown relationship id": sheets_workbook('<sheet name="台账" sheetId="1" r:id="rId4"/>', rel("rId1", "worksheet", "worksheets/sheet1.xml")),
    "relationship without a target": sheets_workbook(
        '<sheet name="台账" sheetId="1" r:id="rId1"/>', f'<Relationship Id="rId1" Type="{REL}/worksheet"/>'
    ),
    "no sheets": sheets_workbook("", ""),
    "only a chartsheet": sheets_workbook('<sheet name="图" sheetId="1" r:id="rId7"/>', rel("rId7", "chartsheet", "chartsheets/sheet1.xml"),
                                         **{"xl/chartsheets/sheet1.xml": f'<chartsheet xmlns="{MAIN}"/>'}),
    "sheet without a name": sheets_workbook('<sheet sheetId="1" r:id="rId1"/>', rel("rId1", "worksheet", "worksheets/sheet1.xml")),
    "no workbook rels": parts(**{"xl/_rels/workbook.xml.rels": None}),
    "no styles": parts(**{"xl/styles.xml": None}),
    "styles without cellXfs": parts(**{"xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="176" formatCode="yyyy"/></numFmts></styleSheet>'}),
    "no shared strings part": parts(**{"xl/sharedStrings.xml": None}),
    "shared strings not declared": parts(**{"[Content_Types].xml": parts()["[Content_Types].xml"].replace(f"{CT}.sharedStrings+xml", "application/xml")}),  # type: ignore[union-attr]
    "workbook type as default": parts(
        **{"[Content_Types].xml": parts()["[Content_Types].xml"].replace(  # type: ignore[union-attr]
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}"/>', ""
        ).replace('Extension="xml" ContentType="application/xml"', f'Extension="xml" ContentType="{XLSX_TYPE}"')}
    ),
    "macro workbook": parts(**{"[Content_Types].xml": parts()["[Content_Types].xml"].replace(  # type: ignore[union-attr]
        XLSX_TYPE, "application/vnd.ms-excel.sheet.macroEnabled.main+xml")}),
    "no workbook type": parts(**{"[Content_Types].xml": parts()["[Content_Types].xml"].replace(XLSX_TYPE, "application/xml")}),  # type: ignore[union-attr]
    "prefixed namespaces": parts(**{
        "xl/workbook.xml": f'<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="a" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
        "xl/sharedStrings.xml": f'<x:sst xmlns:x="{MAIN}"><x:si><x:t>甲</x:t></x:si><x:si><x:r><x:t>乙</x:t></x:r></x:si></x:sst>',
    }),
    "strict": strict(parts()),
    "not xml": parts(**{"xl/styles.xml": "<styleSheet"}),
    "styles with other elements and two lists": parts(**{"xl/styles.xml": (
        f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="176" formatCode="0.0"/></numFmts>'
        '<numFmts><extLst/><numFmt numFmtId="177" formatCode="yyyy"/></numFmts>'
        '<cellXfs><xf numFmtId="14"/></cellXfs><cellXfs><xf numFmtId="176"/><extLst/><xf numFmtId="177"/></cellXfs></styleSheet>')}),
    "bad number format id": parts(**{"xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="x"/></cellXfs></styleSheet>'}),
    "bad sheet id": sheets_workbook('<sheet name="a" sheetId="x" r:id="rId1"/>', rel("rId1", "worksheet", "worksheets/sheet1.xml")),
}
CASES["strict, hidden first sheet"] = strict(CASES["hidden first sheet"])
CASES["strict, 1904"] = strict(CASES["1904"])


def oracle(path: Path) -> dict[str, Any] | str:
    """What openpyxl's reader (the ledger's previous one) found, or "refused"."""
    try:
        reader = reference_open(path)
    except InputError:
        return "refused"
    try:
        cells = ReferenceCells(reader)
        return {
            "sheet": reader.sheet_path,
            "date1904": reader.wb.epoch != WINDOWS_EPOCH,
            "shared": list(reader.shared_strings),
            "dates": cells.date_styles,
            "timedeltas": cells.timedelta_styles,
        }
    finally:
        reader.archive.close()


def ours(path: Path) -> dict[str, Any] | str:
    try:
        found = read_workbook(path, _CJK_DATE_FORMAT_IDS)
    except WorkbookError:
        return "refused"
    found.archive.close()
    return {
        "sheet": found.sheet_path,
        "date1904": found.date1904,
        "shared": found.shared_strings,
        "dates": found.date_styles,
        "timedeltas": found.timedelta_styles,
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_parts_are_read_as_openpyxl_reads_them(tmp_path: Path, case: str) -> None:
    path = write(tmp_path / "w.xlsx", CASES[case])
    expected = oracle(path)
    assert ours(path) == expected
    if case == "plain":  # the cases mean what they say: 14, 22, 年月日 and [h]:mm are dates, 31 redefined as 0.00 is not
        assert expected["shared"][:2] == ["产业园", "区发改局 "]  # type: ignore[index]
        assert expected["dates"] >= {"1", "2", "4", "7"} and "3" not in expected["dates"]  # type: ignore[index,operator]
    if case in ("chartsheet first", "missing first target", "sheet without r:id"):
        assert expected["sheet"] == "xl/worksheets/sheet1.xml"  # type: ignore[index]
    if case == "hidden first sheet":  # read like any other: the ledger reads the first sheet
        assert expected["sheet"] == "xl/worksheets/sheet2.xml"  # type: ignore[index]


def _openpyxl_made(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    hidden = book.active
    hidden.title, hidden.sheet_state = "说明", "hidden"
    book.create_chartsheet("图表", 0)
    sheet = book.create_sheet("台账")
    sheet.append(["项目名称", "计划开工日期", "用时"])
    sheet.append(["甲", dt.date(2026, 3, 1), dt.timedelta(hours=30)])
    sheet["B2"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["C2"].number_format = "[h]:mm:ss"
    book.save(path)
    return path


FILES = {
    "generated ledger": lambda p: write_ledger(p, 30, 5),
    "generated ledger, shared strings": lambda p: with_shared_strings(write_ledger(p.with_name("i.xlsx"), 30, 5), p),
    "example meeting": lambda p: _example(p),
    "excel-like (hostile.py)": lambda p: excel_like_ledger(p, 20),
    "honest (hostile.py)": lambda p: honest_ledger(p, 20),
    "far cell (hostile.py)": ledger_with_far_cell,
    "cells (hostile.py)": lambda p: ledger_with_cells(p, {"B2": "区_x000D_发改局", "C2": 3}),
    "openpyxl: 1904, hidden first sheet, chartsheet, custom date formats": _openpyxl_made,
}


def _example(path: Path) -> Path:
    from drafting.example import write_example

    folder = path.parent / "example"
    write_example(folder)
    return folder / "projects.xlsx"


def _repository_xlsx() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return sorted(p for p in root.rglob("*.xlsx") if ".venv" not in p.parts and ".git" not in p.parts)


@pytest.mark.parametrize("name", sorted(FILES))
def test_workbooks_written_by_openpyxl_and_our_generators(tmp_path: Path, name: str) -> None:
    path = FILES[name](tmp_path / "w.xlsx")
    expected = oracle(path)
    assert expected != "refused" and ours(path) == expected


def test_every_xlsx_file_in_the_repository() -> None:
    for path in _repository_xlsx():  # none are committed today; any added later is compared too
        assert ours(path) == oracle(path), path


# --- helpers against openpyxl's -------------------------------------------------------------------


def test_column_letters_and_indexes() -> None:
    for index in range(1, 18279):
        letters = get_column_letter(index)
        assert xlsxparts.column_letter(index) == letters
        assert xlsxparts.column_index(letters) == index == xlsxparts.column_index(letters.lower())
    for bad in ("", "AAAA", "A1", "[", "@", "é", "Ä"):
        with pytest.raises(ValueError):
            column_index_from_string(bad)
        with pytest.raises(ValueError):
            xlsxparts.column_index(bad)
    for bad in (0, -1, 18279):
        with pytest.raises(ValueError):
            xlsxparts.column_letter(bad)


RANGES = ["A1", "A1:C3", "$A$1:$C$3", "B2:B2", "A:C", "1:3", "a1:b20", "XFD1048576", "A1:C", "A:3", "", ":", "A0",
          "AAAA1", "A1:", "A1\n", "１:３", "A1:B2:C3", "A-1", "$$A1", "ZZZ9", "A 1", "AA"]


def _outcome(function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except ValueError:
        return ValueError
    except OverflowError:
        return OverflowError


def test_ranges() -> None:
    for text in RANGES:
        assert _outcome(xlsxparts.range_bounds, text) == _outcome(range_boundaries, text), text


def test_serial_dates_times_and_elapsed_times() -> None:
    rng = random.Random(7)
    values: list[float] = [0, 1, 59, 60, 61, 0.5, 0.999999, 0.9999999999, 1e-9, 59.5, 60.25, -1, -0.5, -61.5,
                           45000, 46082.5, 2958465.99999, 2958466, 1e7, 1e20, 36526.000001]
    values += [rng.uniform(-100, 3e6) for _ in range(3000)] + [rng.randrange(0, 80_000) + rng.random() for _ in range(3000)]
    for value in values:
        for epoch in (xlsxparts.WINDOWS_EPOCH, xlsxparts.MAC_EPOCH):
            for elapsed in (False, True):
                ours_ = _outcome(xlsxparts.from_serial, value, epoch, elapsed)
                theirs = _outcome(from_excel, value, epoch, elapsed)
                assert ours_ == theirs and type(ours_) is type(theirs), (value, epoch, elapsed)


FORMATS = [*BUILTIN_FORMATS.values(), 'yyyy"年"m"月"d"日"', 'yyyy"年"m"月"d"日";@', "[h]:mm", "[H]:MM:SS", "[mm]:ss",
           "[ss].00", "[Red]0.00", '"第"0"期"', "[$-804]aaaa;@", "0.00_ ", "_d0", "\\d0", '0"d"', "[DBNum1]yyyy", "[hh]",
           "[h", "h]", "General;yyyy", "@;d", "", ";", '"', '"d', "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", "e", "ggge\"年\""]


def test_number_formats_that_show_dates_and_elapsed_time() -> None:
    rng = random.Random(11)
    alphabet = 'dmhysDMHYS_\\"[]#0;@ .:-/$Red年'
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(20_000)]
    for code in FORMATS + fuzz:
        assert xlsxparts.is_date_format(code) == openpyxl_is_date(code), code
        assert xlsxparts.is_timedelta_format(code) == openpyxl_is_timedelta(code), code


def test_builtin_date_format_ids() -> None:
    assert xlsxparts._BUILTIN_DATE_IDS == {i for i, code in BUILTIN_FORMATS.items() if openpyxl_is_date(code)}
    assert xlsxparts._BUILTIN_TIMEDELTA_IDS == {i for i, code in BUILTIN_FORMATS.items() if openpyxl_is_timedelta(code)}


# --- no DOCTYPE, no entities ----------------------------------------------------------------------


def billion_laughs(root: str) -> str:
    """An XML document whose entity &l9; expands to 10**9 copies of "ha"."""
    entities = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]><{root} xmlns="{MAIN}">&l9;</{root}>'


@pytest.mark.parametrize(
    ("member", "root"),
    [("xl/workbook.xml", "workbook"), ("xl/sharedStrings.xml", "sst"), ("xl/styles.xml", "styleSheet"),
     ("[Content_Types].xml", "Types"), ("xl/_rels/workbook.xml.rels", "Relationships")],
)
def test_billion_laughs_in_a_workbook_part_is_refused_at_once(tmp_path: Path, member: str, root: str) -> None:
    path = write(tmp_path / "projects.xlsx", parts(**{member: billion_laughs(root)}))
    with pytest.raises(InputError) as info:
        load_ledger(path)  # refused at the DOCTYPE, before any entity is declared
    assert str(info.value) == "projects.xlsx：无法读取：文件已损坏或不是 .xlsx 格式"


def test_billion_laughs_in_the_sheet_is_refused_at_once(tmp_path: Path) -> None:
    sheet = billion_laughs("worksheet").replace("&l9;", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData>')
    path = write(tmp_path / "projects.xlsx", parts(**{"xl/worksheets/sheet1.xml": sheet}))
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value) == "projects.xlsx：无法读取：工作表内容已损坏"


@pytest.mark.parametrize(
    "prolog",
    ['<!DOCTYPE worksheet>', '<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">',
     '<!DOCTYPE worksheet [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'],
)
def test_any_doctype_in_the_sheet_is_refused(tmp_path: Path, prolog: str) -> None:
    sheet = (f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
             '<c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row></sheetData></worksheet>')
    path = write(tmp_path / "projects.xlsx", parts(**{"xl/worksheets/sheet1.xml": sheet}))
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value) == "projects.xlsx：无法读取：工作表内容已损坏"


# --- openpyxl is not imported ---------------------------------------------------------------------


def test_loading_a_plain_ledger_does_not_import_openpyxl(tmp_path: Path) -> None:
    inline = write_ledger(tmp_path / "inline.xlsx", 40, 6)
    shared = with_shared_strings(inline, tmp_path / "shared.xlsx")
    script = (
        "import sys\nfrom pathlib import Path\nfrom drafting.ledger import load_ledger\n"
        "for name in sys.argv[1:]:\n    assert len(load_ledger(Path(name)).projects) == 40\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(inline), str(shared)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
