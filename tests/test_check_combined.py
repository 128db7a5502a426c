"""A combined file (目标责任书（合订本）.docx) is checked letter by letter; the example meeting builds quietly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.check import CheckConfig, check_files, check_generated
from drafting.cli.check import check
from drafting.readers import load_draft
from drafting.document import SectionBreak, Title

COMBINED = "目标责任书（合订本）.docx"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from drafting.cli import cli as main

    root = tmp_path_factory.mktemp("combined")
    runner = CliRunner()
    made = runner.invoke(main, ["example", str(root / "示例会议")])
    assert made.exit_code == 0, made.output
    result = runner.invoke(main, ["build", str(root / "示例会议"), "--combined", "-o", str(root / "输出")])
    assert result.exit_code == 0, result.output
    return root / "输出", result.output


def test_build_of_the_example_meeting_reports_nothing(built: tuple[Path, str]) -> None:
    _, output = built
    for word in ("错误", "警告", "占位", "序号", "某某"):
        assert word not in output, output


def test_checker_exits_zero_on_the_clean_combined_letters(built: tuple[Path, str]) -> None:
    out_dir, _ = built
    result = CliRunner().invoke(check, [str(out_dir / COMBINED), "--ignore", "placeholder"])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output  # no numbering error, no repeat warning across letters
    # 某某区 / 张某某 are warnings only: the example's own fictional names
    with_placeholders = CliRunner().invoke(check, [str(out_dir / COMBINED)])
    assert with_placeholders.exit_code == 0, with_placeholders.output
    assert "错误" not in with_placeholders.output.splitlines()[0]


def test_each_letter_of_the_combined_file_is_its_own_document(built: tuple[Path, str]) -> None:
    out_dir, _ = built
    draft = load_draft(out_dir / COMBINED)
    letters = sorted((out_dir / "目标责任书").glob("*.docx"))
    breaks = [i for i, b in enumerate(draft.document.blocks) if isinstance(b, SectionBreak)]
    assert len(breaks) == len(letters) - 1
    assert all(isinstance(draft.document.blocks[i + 1], Title) for i in breaks)
    report = check_files([out_dir / COMBINED], CheckConfig(select=frozenset({"numbering", "repeat", "declared-count"})))
    assert report.files[0].findings == []


def test_a_real_mistake_in_one_letter_is_still_found(built: tuple[Path, str], tmp_path: Path) -> None:
    import docx

    out_dir, _ = built
    document = docx.Document(str(out_dir / COMBINED))
    seen = 0
    for paragraph in document.paragraphs:
        if paragraph.text == "三、考核与奖惩":
            seen += 1
            if seen == 2:  # the second letter skips 三、
                paragraph.runs[0].text = "四、考核与奖惩"
                for run in paragraph.runs[1:]:
                    run.text = ""
    path = tmp_path / COMBINED
    document.save(str(path))
    findings = check_files([path], CheckConfig(select=frozenset({"numbering"}))).files[0].findings
    assert [f.message for f in findings] == ["序号跳号：“二、”之后是“四、”，缺少“三、”", "序号重复：“四、”出现了两次"]


def test_combined_document_in_memory_is_split_the_same_way() -> None:
    from drafting.build import BuildOptions, plan_build
    from drafting.example import write_example
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "示例会议"
        write_example(folder)
        plan = plan_build(folder, BuildOptions(combined=True))
    combined = next(o for o in plan.outputs if o.path.name == COMBINED)
    config = CheckConfig(select=frozenset({"numbering", "repeat", "declared-count"}))
    assert check_generated(combined.document, combined.path, config).findings == []
