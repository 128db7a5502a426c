"""`drafting example` + `drafting build` end to end, through the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import docx
from docx.oxml.ns import qn
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from drafting.cli import cli


def run(*args: str) -> "object":
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "会议"
    result = run("example", str(folder))
    assert result.exit_code == 0, result.output
    return folder


def output_files(folder: Path) -> list[Path]:
    out = folder / "输出"
    return sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []


def set_cell(xlsx: Path, header: str, row: int, value: object) -> None:
    book = load_workbook(xlsx)
    sheet = book.active
    column = next(c.column for c in sheet[1] if c.value == header)
    sheet.cell(row=row, column=column).value = value  # cell(value=None) would not clear it
    book.save(xlsx)


def test_build_writes_every_document_and_a_manifest(meeting: Path) -> None:
    result = run("build", str(meeting))
    assert result.exit_code == 0, result.output
    out = meeting / "输出"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["kind"] for e in manifest].count("speech") == 1
    assert [e["kind"] for e in manifest].count("notice") == 1
    letters = [e for e in manifest if e["kind"] == "letter"]
    assert letters and all(e["unit"] and e["path"].startswith("目标责任书/") for e in letters)
    listed = sorted(out / e["path"] for e in manifest)
    assert listed == [p for p in output_files(meeting) if p.name != "manifest.json"]
    speech = docx.Document(str(out / "讲话稿.docx"))
    assert speech.paragraphs[0].text.startswith("在") and "讲话" in speech.paragraphs[0].text


def test_build_refuses_to_overwrite_without_force(meeting: Path) -> None:
    assert run("build", str(meeting)).exit_code == 0
    speech = meeting / "输出" / "讲话稿.docx"
    before = speech.stat().st_mtime_ns
    again = run("build", str(meeting))
    assert again.exit_code == 2
    assert "--force" in again.output and "已存在" in again.output
    assert speech.stat().st_mtime_ns == before
    assert run("build", str(meeting), "--force").exit_code == 0


def test_only_and_output_dir(meeting: Path, tmp_path: Path) -> None:
    out = tmp_path / "通报"
    result = run("build", str(meeting), "--only", "notice", "-o", str(out), "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sha256 = hashlib.sha256((out / "进度通报.docx").read_bytes()).hexdigest()
    assert manifest == [{"kind": "notice", "path": "进度通报.docx", "unit": None, "sha256": sha256}]


def test_combined_letters_file(meeting: Path) -> None:
    result = run("build", str(meeting), "--only", "letters", "--combined")
    assert result.exit_code == 0, result.output
    manifest = json.loads((meeting / "输出" / "manifest.json").read_text(encoding="utf-8"))
    combined = [e for e in manifest if e["unit"] is None]
    assert len(combined) == 1 and (meeting / "输出" / combined[0]["path"]).is_file()


@pytest.mark.parametrize(
    ("header", "row", "value", "expected"),
    [
        ("项目状态", 3, "已完工了", ["projects.xlsx", "第3行", "项目状态"]),
        ("总投资（亿元）", 4, -2.5, ["projects.xlsx", "第4行", "总投资"]),
        ("计划开工日期", 5, "2026年13月1日", ["projects.xlsx", "第5行", "计划开工日期"]),
        ("牵头单位", 6, None, ["projects.xlsx", "第6行", "牵头单位"]),
    ],
)
def test_bad_ledger_cell_is_named_and_nothing_is_written(
    meeting: Path, header: str, row: int, value: object, expected: list[str]
) -> None:
    set_cell(meeting / "projects.xlsx", header, row, value)
    result = run("build", str(meeting))
    assert result.exit_code == 2
    for part in expected:
        assert part in result.output
    assert "Traceback" not in result.output
    assert output_files(meeting) == []


def test_duplicate_project_name_names_both_rows(meeting: Path) -> None:
    book = load_workbook(meeting / "projects.xlsx")
    sheet = book.active
    name_col = next(c.column for c in sheet[1] if c.value == "项目名称")
    sheet.cell(row=5, column=name_col, value=sheet.cell(row=2, column=name_col).value)
    book.save(meeting / "projects.xlsx")
    result = run("build", str(meeting))
    assert result.exit_code == 2
    assert "第2行" in result.output and "第5行" in result.output and "项目名称" in result.output
    assert output_files(meeting) == []


def test_bad_meeting_date_names_yaml_line(meeting: Path) -> None:
    path = meeting / "meeting.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("date:"))
    lines[index] = lines[index].split("date:")[0] + "date: 2026年2月30日"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", str(meeting))
    assert result.exit_code == 2
    assert "meeting.yaml" in result.output and f"第{index + 1}行" in result.output and "date" in result.output
    assert output_files(meeting) == []


def test_template_override_with_undefined_variable(meeting: Path) -> None:
    (meeting / "templates").mkdir()
    (meeting / "templates" / "speech.gw.j2").write_text("::title {{ meeting.name }}\n\n{{ 不存在的变量 }}\n", encoding="utf-8")
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 2
    assert "speech.gw.j2" in result.output and "第3行" in result.output and "不存在的变量" in result.output
    assert output_files(meeting) == []


def test_failure_while_writing_leaves_no_file(meeting: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import drafting.build as build_module

    calls = {"n": 0}
    real = build_module.write_docx_fast

    def failing(document, path, profile=None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real(document, path, profile)

    monkeypatch.setattr(build_module, "write_docx_fast", failing)
    result = run("build", str(meeting))
    assert result.exit_code == 1
    assert "失败" in result.output
    assert output_files(meeting) == []
    assert not any(p.name.startswith(".drafting-") for p in (meeting / "输出").iterdir())


def test_missing_folder_and_bad_as_of(tmp_path: Path) -> None:
    missing = run("build", str(tmp_path / "没有这个会议"))
    assert missing.exit_code == 2 and "没有这个会议" in missing.output
    result = run("example", str(tmp_path / "m"))
    assert result.exit_code == 0
    bad = run("build", str(tmp_path / "m"), "--as-of", "明天")
    assert bad.exit_code == 2 and "明天" in bad.output


def test_version_and_chinese_help() -> None:
    from drafting import __version__

    assert __version__ in run("--version").output
    help_text = run("--help").output
    assert "用法" in help_text and "示例" in help_text and "drafting build" in help_text
    assert "Show this message" not in help_text
    assert "统计截止日期" in run("build", "--help").output


def test_example_refuses_to_overwrite(meeting: Path) -> None:
    again = run("example", str(meeting))
    assert again.exit_code == 2 and "--force" in again.output
    assert run("example", str(meeting), "--force").exit_code == 0


def test_build_prints_the_speech_coverage_table(meeting: Path) -> None:
    with (meeting / "priorities.yaml").open("a", encoding="utf-8") as f:
        f.write("  - name: 低空经济\n")
    result = run("build", str(meeting), "--only", "speech")
    assert result.exit_code == 0, result.output
    assert "重点工作覆盖情况" in result.output
    table = result.output.split("重点工作覆盖情况", 1)[1]
    assert "双招双引" in table
    assert "未充分覆盖 低空经济" in table


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build"], "缺少参数 FOLDER"),
        (["build", "x", "--bogus"], "没有这个选项：--bogus"),
        (["build", "x", "--only", "memo"], "未知的文件种类：memo"),
        (["nosuch"], "没有这个命令：nosuch"),
    ],
)
def test_usage_errors_are_in_chinese(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output and "--help" in result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_bare_command_shows_help() -> None:
    result = run()
    assert result.exit_code == 0 and "命令：" in result.output and "build" in result.output


def test_no_progress_bar_when_output_is_not_a_terminal(meeting: Path) -> None:
    result = run("build", str(meeting))
    assert result.exit_code == 0 and "正在写入" not in result.output


def test_scope_word_reaches_speech_and_notice(meeting: Path) -> None:
    path = meeting / "meeting.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("scope: 全区", "scope: 全县"), encoding="utf-8")
    result = run("build", str(meeting), "--only", "speech,notice")
    assert result.exit_code == 0, result.output
    speech = "\n".join(p.text for p in docx.Document(str(meeting / "输出" / "讲话稿.docx")).paragraphs)
    notice = [p.text for p in docx.Document(str(meeting / "输出" / "进度通报.docx")).paragraphs]
    assert "全县共谋划实施重点项目" in speech
    assert any(text.startswith("为全面掌握全县重点项目建设进展") for text in notice)
    assert any(text.startswith(f"{2026}年，全县共安排重点项目") for text in notice)


def test_large_type_speech_is_printed_at_18_points(meeting: Path) -> None:
    path = meeting / "meeting.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("speech:\n", "speech:\n  large_type: true\n", 1), encoding="utf-8")
    assert run("build", str(meeting), "--only", "speech,notice").exit_code == 0
    speech = docx.Document(str(meeting / "输出" / "讲话稿.docx"))
    notice = docx.Document(str(meeting / "输出" / "进度通报.docx"))
    assert body_size_pt(speech) == 18
    assert body_size_pt(notice) == 16  # only the speech is enlarged


def body_size_pt(document) -> float:  # type: ignore[no-untyped-def]
    """The body text size: the body style's own, else the document default (w:docDefaults)."""
    size = document.styles["公文正文"].font.size
    if size is not None:
        return size.pt
    sz = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:sz"))
    return int(sz.get(qn("w:val"))) / 2


def test_output_path_that_is_a_file_is_refused(meeting: Path, tmp_path: Path) -> None:
    target = tmp_path / "输出.docx"
    target.write_bytes(b"")
    result = run("build", str(meeting), "-o", str(target))
    assert result.exit_code == 2
    assert "输出.docx" in result.output and "不是文件夹" in result.output
    assert target.read_bytes() == b""


def test_build_warns_about_placeholders_left_by_a_meeting_template(meeting: Path) -> None:
    (meeting / "templates" / "notice").mkdir(parents=True)
    (meeting / "templates" / "notice" / "closing.gw.j2").write_text(
        "请XX单位认真落实。\n\n特此通报。\n\n::signature {{ signature }}\n::date {{ as_of|cn_date }}\n", encoding="utf-8"
    )
    result = run("build", str(meeting), "--only", "speech,notice")
    assert result.exit_code == 0, result.output
    warning = result.output.split("审稿时会被退回的问题", 1)[1]
    assert "进度通报.docx" in warning and "placeholder" in warning and "XX" in warning
    assert "讲话稿.docx" not in warning


def test_build_of_the_example_has_nothing_to_send_back(meeting: Path) -> None:
    result = run("build", str(meeting), "--combined")
    assert result.exit_code == 0 and "审稿时会被退回" not in result.output
