"""Hostile and oversized inputs end quickly with exit 2 and a Chinese message naming the file (issue 7).

Every hostile file is generated here and is small on disk; the figures (time, memory before and
after) are in benchmarks/bench_inputs.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafting.archive import OLE_SIGNATURE
from drafting.cli import cli
from drafting.errors import MAX_SHOWN_ERRORS, InputError, InputErrors
from drafting.ledger import MAX_AMOUNT, MAX_COLUMNS, MAX_ROWS, load_ledger
from drafting.readers import load_draft
from drafting.readers.docx import DOCX_LIMITS
from drafting.readers.text import MAX_TEXT_BYTES, _in_big5_common, _in_gb2312, plausibility
from drafting.yamlsource import MAX_ALIAS_NODES, MAX_LEDGER_YAML_BYTES, MAX_YAML_BYTES, MAX_YAML_DEPTH
from hostile import (
    BIG5_NOTICE,
    docx_bomb,
    honest_ledger,
    ledger_with_cells,
    ledger_with_far_cell,
    ledger_zip_bomb,
    yaml_alias_bomb,
    yaml_nested_brackets,
    yaml_recursive_alias,
)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "会议"
    result = run("example", str(path))
    assert result.exit_code == 0, result.output
    return path


def refused(folder: Path) -> str:
    """Build ``folder``; assert a clean refusal and return the message."""
    result = run("build", str(folder))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误："), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert not (folder / "输出").exists()
    return result.output


# --- YAML ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["meeting.yaml", "priorities.yaml"])
def test_alias_bomb_is_refused(folder: Path, name: str) -> None:
    (folder / name).write_text(yaml_alias_bomb(), encoding="utf-8")
    message = refused(folder)
    assert f"{name} 第5行：别名（*）展开后的内容过多（超过{MAX_ALIAS_NODES}项）" in message



def test_recursive_alias_is_refused(folder: Path) -> None:
    (folder / "priorities.yaml").write_text(yaml_recursive_alias(), encoding="utf-8")
    assert "priorities.yaml 第1行：别名（*）引用了它自己所在的内容" in refused(folder)


def test_deep_nesting_is_refused(folder: Path) -> None:
    (folder / "meeting.yaml").write_text(yaml_nested_brackets(), encoding="utf-8")
    assert f"meeting.yaml 第1行：嵌套超过{MAX_YAML_DEPTH}层" in refused(folder)


def test_lone_surrogate_escape_is_refused(folder: Path) -> None:
    path = folder / "meeting.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("purpose: ", 'purpose: "\\ud800"\nx: ', 1), encoding="utf-8")
    assert "含有无效的字符（单独的代理码位" in refused(folder)


def test_oversized_meeting_yaml_is_refused_without_reading_it_all(folder: Path) -> None:
    path = folder / "meeting.yaml"
    with path.open("ab") as stream:
        stream.write(b"# " + b"x" * MAX_YAML_BYTES + b"\n")
    assert "meeting.yaml：文件超过 1 MB" in refused(folder)


def test_oversized_projects_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "projects.yaml"
    path.write_bytes(b"projects: []\n" + b"#" * MAX_LEDGER_YAML_BYTES)
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert str(info.value).startswith("projects.yaml：文件超过 2 MB")


@pytest.mark.parametrize(
    ("block", "key", "value", "expected"),
    [
        ("notice", "unstarted_months", "100000", "“notice.unstarted_months”：应在1到120之间（实际为100000）"),
        ("notice", "unstarted_months", "1" + "0" * 5000, "“notice.unstarted_months”：数字过大，应为整数"),
        ("notice", "yellow_points", "1e300", "“notice.yellow_points”：应大于0且不超过100（实际为1e+300）"),
        ("notice", "red_points", "500", "“notice.red_points”：应大于0且不超过100（实际为500"),
        ("letters", "year", "99999", "“letters.year”：应在1949到2100之间（实际为99999）"),
    ],
)
def test_numeric_settings_out_of_range_name_the_field(folder: Path, block: str, key: str, value: str, expected: str) -> None:
    path = folder / "meeting.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[block] = {**(data.get(block) or {}), key: "VALUE"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True).replace("VALUE", value), encoding="utf-8")
    message = refused(folder)
    assert "meeting.yaml 第" in message and expected in message


# --- the message cap -------------------------------------------------------------


def test_messages_are_capped_and_the_rest_counted() -> None:
    errors = InputErrors([InputError(f"问题{i}") for i in range(MAX_SHOWN_ERRORS + 30)])
    lines = str(errors).splitlines()
    assert len(lines) == MAX_SHOWN_ERRORS + 1
    assert lines[-1] == f"另有30处问题未列出（只列出前{MAX_SHOWN_ERRORS}处，请改正后再试）"
    again = InputErrors([InputError("另一个文件的问题"), *errors.errors])  # folder.py merges files
    assert again.total == MAX_SHOWN_ERRORS + 31
    assert str(again).splitlines()[-1].startswith("另有31处问题未列出")


def test_aliases_within_the_budget_still_load(tmp_path: Path) -> None:
    from drafting.yamlsource import load_yaml

    path = tmp_path / "a.yaml"
    path.write_text("common: &common [区发改局, 区财政局]\nfirst: *common\nsecond: *common\n", encoding="utf-8")
    assert load_yaml(path).data["second"] == ["区发改局", "区财政局"]


# --- Excel ledger ------------------------------------------------------------------


def _ledger_refused(folder: Path, make) -> str:  # type: ignore[no-untyped-def]
    (folder / "projects.xlsx").unlink()
    make(folder / "projects.xlsx")
    return refused(folder)


def test_value_in_the_last_excel_cell_stops_at_the_limit(folder: Path) -> None:
    message = _ledger_refused(folder, ledger_with_far_cell)
    assert f"projects.xlsx 第1048576行 XFD列：超出台账的读取范围（最多{MAX_ROWS}行、{MAX_COLUMNS}列" in message


def test_formatted_but_empty_far_cell_is_ignored(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Font

    path = ledger_with_cells(tmp_path / "projects.xlsx", {})
    book = openpyxl.load_workbook(path)
    book.active.cell(row=1_048_576, column=16_384).font = Font(bold=True)  # styled, no value
    book.save(path)
    assert [p.name for p in load_ledger(path).projects] == ["甲项目"]


def test_zip_bombed_workbook_is_refused_before_reading(folder: Path) -> None:
    message = _ledger_refused(folder, lambda p: ledger_zip_bomb(p, rows=200_000))
    assert "projects.xlsx：内部文件 xl/worksheets/sheet1.xml 的压缩比异常" in message
    assert "压缩炸弹" in message
    assert len(message.splitlines()) == 1


def test_a_sheet_full_of_bad_rows_lists_the_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    path = ledger_zip_bomb(tmp_path / "projects.xlsx", rows=20_000)  # ratio below the bomb threshold
    with pytest.raises(InputErrors) as info:
        load_ledger(path)
    lines = str(info.value).splitlines()
    assert len(lines) == MAX_SHOWN_ERRORS + 1
    assert lines[0] == "projects.xlsx 第2行 C列 “总投资（亿元）”：应为数字（亿元），而不是“很多”"
    assert lines[1] == "projects.xlsx 第3行 A列 “项目名称”：项目名称“甲项目”重复（与第2行相同）"
    # 20,000 rows: one bad amount each, and a repeated name in all but the first
    assert lines[-1] == f"另有{20_000 * 2 - 1 - MAX_SHOWN_ERRORS}处问题未列出（只列出前{MAX_SHOWN_ERRORS}处，请改正后再试）"


def test_unpacked_size_limit(tmp_path: Path) -> None:
    from drafting.archive import ArchiveLimits, check_archive

    path = ledger_with_cells(tmp_path / "projects.xlsx", {})
    with pytest.raises(InputError) as info:
        check_archive(path, ArchiveLimits(max_members=100, max_total=10**9, max_xml=10_000, max_part=10**9, max_ratio=100), "项目台账")
    assert "解压后的内容过大（XML 共" in str(info.value)
    with pytest.raises(InputError) as info:
        check_archive(path, ArchiveLimits(max_members=3, max_total=10**9, max_xml=10**9, max_part=10**9, max_ratio=100), "项目台账")
    assert "文件内部的条目过多" in str(info.value)


def test_lone_surrogate_in_a_cell_names_the_cell(folder: Path) -> None:
    message = _ledger_refused(folder, lambda p: ledger_with_cells(p, {"B2": "区_xD800_发改局"}))
    assert "projects.xlsx 第2行 B列 “牵头单位”：含有无效的字符（如 _xD800_ 这样的转义）" in message


@pytest.mark.parametrize("value", [1e30, "1e30", 100_001])
def test_huge_amount_names_the_cell(folder: Path, value: object) -> None:
    message = _ledger_refused(folder, lambda p: ledger_with_cells(p, {"C2": value}))
    assert "projects.xlsx 第2行 C列 “总投资（亿元）”：" in message
    assert f"最多{MAX_AMOUNT}亿元" in message or "应为数字" in message
    assert "overview" not in message


def test_largest_amount_is_accepted(tmp_path: Path) -> None:
    path = ledger_with_cells(tmp_path / "projects.xlsx", {"C2": int(MAX_AMOUNT)})
    assert load_ledger(path).projects[0].total_investment == MAX_AMOUNT


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_old_excel_format_gets_the_save_as_hint(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"projects{suffix}"
    path.write_bytes(OLE_SIGNATURE + b"\0" * 512)
    with pytest.raises(InputError) as info:
        load_ledger(path)
    assert "请用 Excel 或 WPS 另存为 .xlsx" in str(info.value)


def test_xls_renamed_to_xlsx_gets_the_save_as_hint(folder: Path) -> None:
    message = _ledger_refused(folder, lambda p: p.write_bytes(OLE_SIGNATURE + b"\0" * 4096))
    assert "projects.xlsx：这是旧版 Excel（.xls）文件，只是扩展名为 .xlsx；请用 Excel 或 WPS 另存为 .xlsx" in message


def test_large_honest_ledger_loads(tmp_path: Path) -> None:
    path = honest_ledger(tmp_path / "projects.xlsx", 5_000)
    ledger = load_ledger(path)
    assert len(ledger.projects) == 5_000
    assert ledger.projects[-1].name == "第5000号重点项目" and ledger.projects[-1].row == 5_001


# --- drafts ------------------------------------------------------------------------


def check_refused(path: Path) -> str:
    result = run("check", str(path))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误："), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    return result.output


def test_docx_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = docx_bomb(tmp_path / "稿.docx", megabytes=30)
    assert path.stat().st_size < 300_000
    message = check_refused(path)
    assert "稿.docx：内部文件 word/document.xml " in message and "疑似“压缩炸弹”" in message


def test_docx_xml_size_limit(tmp_path: Path) -> None:
    from drafting.archive import ArchiveLimits, check_archive

    path = docx_bomb(tmp_path / "稿.docx", megabytes=1)
    limits = ArchiveLimits(max_members=100, max_total=10**9, max_xml=DOCX_LIMITS.max_xml // 40, max_part=10**9, max_ratio=100)
    with pytest.raises(InputError) as info:
        check_archive(path, limits, "文稿")
    assert "解压后的内容过大（XML 共 1 MB，最多 512 KB），文稿不应这么大" in str(info.value)
    assert load_draft(path).document.blocks  # within the real limits it reads


def test_oversized_text_draft_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "稿.txt"
    path.write_bytes("各单位要加快项目建设。\n".encode() * (MAX_TEXT_BYTES // 30))
    assert "稿.txt：文件超过 5 MB" in check_refused(path)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_big5_text_is_read_as_big5(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"稿{suffix}"
    path.write_bytes(BIG5_NOTICE.encode("big5"))
    document = load_draft(path).document
    texts = [getattr(b, "text", None) or " ".join(getattr(b, "lines", [])) for b in document.blocks]
    assert "關於進一步加強重點項目建設的通知" in texts[0]
    assert any("主要負責同志親自抓" in (t or "") for t in texts)


def test_gbk_text_is_still_read_as_gbk(tmp_path: Path) -> None:
    text = "关于进一步加强重点项目建设的通知\n各乡镇人民政府，区直各部门：\n为全面完成今年重点项目建设目标任务，现将有关事项通知如下。\n"
    path = tmp_path / "稿.txt"
    path.write_bytes(text.encode("gbk"))
    assert load_draft(path).document.blocks[0].lines == ["关于进一步加强重点项目建设的通知"]  # type: ignore[union-attr]


def test_big5_read_as_gbk_would_be_implausible() -> None:
    garbage = BIG5_NOTICE.encode("big5").decode("gb18030")  # what the reader used to return
    assert plausibility(garbage, _in_gb2312) < 0.5
    assert plausibility(BIG5_NOTICE, _in_big5_common) == 1.0


def test_text_in_no_plausible_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "稿.txt"
    # Shift-JIS Japanese decodes as GBK without error, but into kana-free nonsense of rare characters
    path.write_bytes("重点事業の建設を加速するための通知について、各部門は責任を持って対応すること。".encode("shift_jis") * 3)
    assert "稿.txt：无法可靠识别文件编码" in check_refused(path)


@pytest.mark.parametrize(("suffix", "hint"), [(".doc", "请用 Word 或 WPS 另存为 .docx"), (".wps", "另存为 .docx"), (".xls", "另存为 .xlsx/.docx")])
def test_old_office_drafts_get_the_save_as_hint(tmp_path: Path, suffix: str, hint: str) -> None:
    path = tmp_path / f"稿{suffix}"
    path.write_bytes(OLE_SIGNATURE + b"\0" * 4096)
    message = check_refused(path)
    assert f"稿{suffix}：不支持旧版 {suffix} 格式" in message and hint in message


def test_doc_renamed_to_docx_gets_the_save_as_hint(tmp_path: Path) -> None:
    path = tmp_path / "稿.docx"
    path.write_bytes(OLE_SIGNATURE + b"\0" * 4096)
    assert "稿.docx：这是旧版 Word/WPS 文件（.doc/.wps），只是扩展名为 .docx；请用 Word 或 WPS 另存为 .docx" in check_refused(path)


def test_alias_bomb_in_phrases_yaml_is_refused(folder: Path) -> None:
    (folder / "phrases.yaml").write_text(yaml_alias_bomb(), encoding="utf-8")
    assert "phrases.yaml 第5行：别名（*）展开后的内容过多" in refused(folder)


def test_alias_bomb_in_a_terms_list_is_refused(tmp_path: Path) -> None:
    draft = tmp_path / "稿.txt"
    draft.write_text("同志们：\n正文。\n", encoding="utf-8")
    terms = tmp_path / "terms.yaml"
    terms.write_text(yaml_alias_bomb(), encoding="utf-8")
    result = run("check", str(draft), "--terms", str(terms))
    assert result.exit_code == 2, result.output
    assert "terms.yaml 第5行：别名（*）展开后的内容过多" in result.output


def test_parts_read_whole_are_limited_one_by_one_but_the_streamed_sheet_is_not(tmp_path: Path) -> None:
    from drafting.archive import ArchiveLimits, check_archive

    path = honest_ledger(tmp_path / "projects.xlsx", 200)  # sheet ~220 KB, theme ~10 KB
    limits = ArchiveLimits(max_members=100, max_total=10**9, max_xml=10**9, max_part=12_000, max_ratio=100,
                           streamed=("xl/worksheets/",))
    check_archive(path, limits, "项目台账")  # the big sheet is streamed: allowed
    with pytest.raises(InputError) as info:
        check_archive(path, ArchiveLimits(**{**limits.__dict__, "max_part": 5_000}), "项目台账")
    assert "内部文件 xl/theme/theme1.xml 解压后过大（9 KB，最多 4 KB），项目台账不应这么大" in str(info.value)


def test_workbook_parts_we_skip_print_no_english_warnings(tmp_path: Path) -> None:
    import warnings

    import openpyxl

    path = ledger_with_cells(tmp_path / "projects.xlsx", {})
    book = openpyxl.load_workbook(path)
    book.active.print_area = "A1:C2"  # a defined name bound to the sheet we do not build
    book.active.print_title_rows = "1:1"
    book.save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert [p.name for p in load_ledger(path).projects] == ["甲项目"]
    assert caught == []


def test_a_long_text_aliased_many_times_is_refused(tmp_path: Path) -> None:
    from drafting.yamlsource import load_yaml

    path = tmp_path / "meeting.yaml"
    uses = ", ".join(["*p"] * 300)
    path.write_text(f"p: &p {'文' * 5000}\nopening: [{uses}]\n", encoding="utf-8")  # 1.5 M characters once expanded
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert str(info.value).startswith("meeting.yaml 第2行：别名（*）展开后的内容过多")
