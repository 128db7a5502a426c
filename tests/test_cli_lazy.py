"""Each command imports only what it uses: --version/--help load no subcommand, check loads no build path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from drafting.cli import LAZY_COMMANDS, cli

FIXTURES = Path(__file__).parent / "fixtures" / "check"
BUILD_PATH = ("openpyxl", "drafting.docx", "drafting.build", "drafting.ledger", "drafting.templating", "jinja2", "jieba.analyse")


def _modules_after(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    """Run ``drafting ARGS`` in a fresh interpreter; the exit status and the modules it had imported."""
    out = cwd / "modules.json"
    code = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: open({str(out)!r}, 'w').write(json.dumps(sorted(sys.modules))))\n"
        f"sys.argv = ['drafting', *{args!r}]\n"
        "from drafting.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)
    return result.returncode, set(json.loads(out.read_text()))


def test_version_and_help_import_no_subcommand(tmp_path: Path) -> None:
    for args in (["--version"], ["--help"]):
        status, modules = _modules_after(args, tmp_path)
        assert status == 0
        assert not {m for m in modules if m.startswith("drafting.cli.") and m != "drafting.cli.base"}
        assert not {"jieba", "docx", "pydantic", "yaml", *BUILD_PATH} & modules


def test_check_imports_no_build_path(tmp_path: Path) -> None:
    draft = tmp_path / "稿.txt"
    draft.write_text((FIXTURES / "correct_speech.txt").read_text(encoding="utf-8"), encoding="utf-8")
    status, modules = _modules_after(["check", str(draft), "--priorities", str(FIXTURES / "priorities.yaml")], tmp_path)
    assert status in (0, 1)
    assert "drafting.cli.check" in modules and "jieba" in modules
    assert not {"drafting.cli.build", "drafting.cli.example", *BUILD_PATH} & modules
    assert "pkg_resources" not in modules
    # a plain-text draft without --annotate needs neither python-docx nor lxml
    assert not {"docx", "lxml", "drafting.check.annotate", "drafting.readers.docx"} & modules
    assert "pydantic" in modules  # it validates priorities.yaml


def test_check_without_priorities_imports_no_pydantic(tmp_path: Path) -> None:
    """The term lists are read as YAML; pydantic validates only priorities.yaml (and meeting files)."""
    draft = tmp_path / "稿.txt"
    draft.write_text((FIXTURES / "flawed_speech.txt").read_text(encoding="utf-8"), encoding="utf-8")
    status, modules = _modules_after(["check", str(draft)], tmp_path)
    assert status == 1 and {"yaml", "jieba", "drafting.check.terms"} <= modules
    assert not {"pydantic", "pydantic_core", "drafting.yamlmodels", "importlib.metadata", *BUILD_PATH} & modules


def test_help_summaries_match_the_commands() -> None:
    for name, (module, attribute, summary) in LAZY_COMMANDS.items():
        command = getattr(__import__(module, fromlist=[attribute]), attribute)
        for limit in (20, 45, 60, 100, 200):
            assert click.Command(name, help=summary).get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_help_lists_every_command_and_commands_run() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in LAZY_COMMANDS:
        assert f"  {name}  " in result.output or f"  {name} " in result.output
    assert runner.invoke(cli, ["check", "--help"]).exit_code == 0
    assert "检查讲话稿" in runner.invoke(cli, ["check", "--help"]).output
    unknown = runner.invoke(cli, ["nosuch"])
    assert unknown.exit_code != 0 and "没有这个命令" in unknown.output


def test_speech_build_imports_only_the_speech_path(tmp_path: Path) -> None:
    meeting = tmp_path / "会议"
    assert CliRunner().invoke(cli, ["example", str(meeting)]).exit_code == 0
    status, modules = _modules_after(["build", str(meeting), "--only", "speech"], tmp_path)
    assert status == 0 and (meeting / "输出" / "讲话稿.docx").is_file()
    assert "drafting.documents.speech" in modules
    assert not {"drafting.documents.meeting_docs", "drafting.compare_report"} & modules
    assert not {"xml.sax.saxutils", "http.client", "ssl"} & modules  # (urllib.request and its network stack)
    # the review runs three rules and coverage: the other rules' modules are not loaded
    rules = {m.rsplit(".", 1)[1] for m in modules if m.startswith("drafting.check.rules.")}
    assert rules == {"base", "coverage", "placeholder", "numbering", "declared_count"}
    assert "drafting.check.keywords" not in modules


def test_warm_speech_build_loads_no_reference_writer_nor_word_template_renderer(tmp_path: Path) -> None:
    """With the fixed parts cached, a speech build loads neither python-docx nor the Word-template and --previous code."""
    meeting = tmp_path / "会议"
    assert CliRunner().invoke(cli, ["example", str(meeting)]).exit_code == 0
    code = (
        "import gc, json, sys\n"
        f"sys.argv = ['drafting', 'build', {str(meeting)!r}, '--only', 'speech', '--force']\n"
        "from drafting.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(json.dumps([gc.isenabled(), gc.get_freeze_count() > 0, sorted(sys.modules)]))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True) for _ in range(2)]
    (cold_gc, _, cold), (gc_enabled, frozen, warm) = (json.loads(r.stdout.splitlines()[-1]) for r in runs)
    assert "docx" in cold and cold_gc
    assert gc_enabled and frozen  # the collector is back on; the build path's modules are left out of collections
    unused = {"docx", "drafting.docx.writer", "drafting.docx.styles", "drafting.docx.oxml", "drafting.wordtemplate",
              "drafting.wordspeech", "drafting.documents.notice", "drafting.compare", "drafting.quantities"}
    assert not unused & set(warm)
    assert {"drafting.docx.fast.partcache", "drafting.wordfind", "drafting.phrasebank"} <= set(warm)
