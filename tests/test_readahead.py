"""Reading the ledger ahead in a forked child (drafting.readahead) changes nothing a build gives:
the same files byte for byte, console output and exit status with and without it; the same error
messages (the child's errors pickled back); the serial read whenever the child fails in any way;
no child left behind; no fork with --jobs 1 or in the web server.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from benchmarks.ledgers import make_meeting
from drafting import readahead
from drafting.cli import cli
from drafting.errors import InputError, InputErrors, Location, OmittedErrors, OutputExistsError, TemplateError
from drafting.example import write_example
from drafting.ledger import Ledger, load_ledger

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def forks(monkeypatch: pytest.MonkeyPatch) -> list[readahead.LedgerReadahead]:
    """Every read-ahead started (reading ahead whatever the ledger's size, as on two CPUs)."""
    started: list[readahead.LedgerReadahead] = []
    fork = readahead.LedgerReadahead.fork.__func__  # type: ignore[attr-defined]

    def spy(cls: type, folder: Path) -> readahead.LedgerReadahead | None:
        ahead = fork(cls, folder)
        if ahead is not None:
            ahead.first_pid = ahead._pid  # type: ignore[attr-defined]  (_pid is None once reaped)
            started.append(ahead)
        return ahead

    monkeypatch.setattr(readahead.LedgerReadahead, "fork", classmethod(spy))
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    monkeypatch.setattr(readahead, "usable_cpus", lambda: 2)
    return started


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readahead, "MIN_BYTES", 1 << 60)


def _build(folder: Path, out: Path, *args: str) -> tuple[int, str, str, dict[str, bytes]]:
    """Exit status, stdout, stderr (the output folder's name made neutral) and every output file."""
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), *args], catch_exceptions=False)
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} if out.exists() else {}
    neutral = (result.stdout.replace(str(out), "OUT"), result.stderr.replace(str(out), "OUT"))
    return result.exit_code, *neutral, files


def _gone(pid: int) -> bool:
    """Whether ``pid`` (a child of this process) has been reaped."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_meeting(tmp_path_factory.mktemp("ra") / "会议", 400, 48)


def test_letters_are_the_same_with_and_without_read_ahead(meeting: Path, tmp_path: Path, forks, monkeypatch) -> None:
    ahead = _build(meeting, tmp_path / "ahead", "--only", "letters,notice", "--jobs", "2")
    assert [f.taken for f in forks] == [True] and all(_gone(f.first_pid) for f in forks)
    _serial(monkeypatch)
    serial = _build(meeting, tmp_path / "serial", "--only", "letters,notice", "--jobs", "2")
    assert len(forks) == 1  # the second build read in-process
    assert ahead[0] == serial[0] == 0
    assert ahead[1] == serial[1] and "已生成 49 个文件" in ahead[1]
    assert ahead[2] == serial[2]
    assert len(ahead[3]) == 50 and ahead[3] == serial[3]  # 48 letters, the notice, manifest.json


def test_a_large_ledger_is_read_ahead_by_default(meeting: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readahead, "usable_cpus", lambda: 2)
    ledger = meeting / "projects.xlsx"
    assert ledger.stat().st_size >= readahead.MIN_BYTES
    ahead = readahead.start_readahead(meeting, None)
    assert ahead is not None
    with ahead:
        assert ahead.load(ledger) == load_ledger(ledger) and ahead.taken
    small = tmp_path / "示例"
    write_example(small)
    assert (small / "projects.xlsx").stat().st_size < readahead.MIN_BYTES
    assert readahead.start_readahead(small, None) is None


def _break(folder: Path) -> None:
    """A meeting.yaml and a ledger with errors."""
    text = (folder / "meeting.yaml").read_text(encoding="utf-8")
    (folder / "meeting.yaml").write_text(text.replace("date: ", "date: 2026-13-45 #", 1), encoding="utf-8")
    book = openpyxl.load_workbook(folder / "projects.xlsx")
    sheet = book.active
    for row in range(3, 122):
        sheet.cell(row=row, column=7).value = "不是数字"
    sheet.cell(row=4, column=1).value = None
    book.save(folder / "projects.xlsx")


def test_errors_are_the_same_with_and_without_read_ahead(tmp_path: Path, forks, monkeypatch) -> None:
    folder = make_meeting(tmp_path / "坏会议", 120, 20)
    _break(folder)
    ahead = _build(folder, tmp_path / "ahead", "--only", "letters")
    assert [f.taken for f in forks] == [True]  # the child's error was used
    _serial(monkeypatch)
    serial = _build(folder, tmp_path / "serial", "--only", "letters")
    assert ahead == serial
    assert ahead[0] == 2 and ahead[3] == {} and not (tmp_path / "ahead").exists()
    lines = ahead[2].splitlines()
    assert lines[0].startswith("错误：meeting.yaml") and any("projects.xlsx 第3行" in line for line in lines)
    assert lines[-1].startswith("另有") and "处问题未列出" in lines[-1]  # more than 50: counted


@pytest.mark.parametrize("error", [
    InputError("不是数字", Location(file=Path("/会议/projects.xlsx"), row=7, column="E", field="总投资（亿元）")),
    InputError("缺少 meeting.yaml", Location(file="/会议/meeting.yaml")),
    InputError("没有位置"),
    OmittedErrors(12),
    InputErrors([InputError(f"第{n}处", Location(file=Path("a.xlsx"), row=n)) for n in range(60)]),
    InputErrors([InputError("甲", Location(line=3)), OmittedErrors(4)]),
    TemplateError("未定义的变量", Location(file="t.md", line=2)),
    OutputExistsError("已存在", Location(file=Path("/输出/讲话稿.docx"))),
])
def test_errors_survive_pickling(error: InputError) -> None:
    back = pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))
    assert type(back) is type(error) and str(back) == str(error)
    assert back.message == error.message and back.location == error.location and back.args == error.args
    if isinstance(error, InputErrors):
        assert back.total == error.total
        assert [(type(e), str(e), e.location) for e in back.errors] == [(type(e), str(e), e.location) for e in error.errors]
    if isinstance(error, OmittedErrors):
        assert back.count == error.count


def test_a_real_ledger_error_survives_pickling(tmp_path: Path) -> None:
    folder = make_meeting(tmp_path / "坏会议", 60, 10)
    _break(folder)
    with pytest.raises(InputErrors) as info:
        load_ledger(folder / "projects.xlsx")
    back = pickle.loads(pickle.dumps(info.value, pickle.HIGHEST_PROTOCOL))
    assert str(back) == str(info.value) and [e.location for e in back.errors] == [e.location for e in info.value.errors]


def test_a_ledger_survives_pickling(meeting: Path) -> None:
    ledger = load_ledger(meeting / "projects.xlsx")
    assert pickle.loads(pickle.dumps(ledger, pickle.HIGHEST_PROTOCOL)) == ledger


def _child_only(parent: int, then):
    """A replacement that does ``then`` in the forked child and the real load in this process."""
    def load(path: Path) -> Ledger:
        if os.getpid() != parent:
            return then(path)
        return load_ledger(path)
    return load


def _killed(path: Path) -> Ledger:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError


def _unexpected(path: Path) -> Ledger:
    raise RuntimeError("unexpected")


def _unpicklable(path: Path) -> Ledger:
    ledger = load_ledger(path)
    ledger.ignored_columns.append(lambda: None)  # type: ignore[arg-type]
    return ledger


def _exits(path: Path) -> Ledger:
    raise SystemExit(0)


@pytest.mark.parametrize("failure", [_killed, _unexpected, _unpicklable, _exits])
def test_a_failing_child_falls_back_to_the_serial_read(failure, meeting: Path, tmp_path: Path, forks, monkeypatch) -> None:
    monkeypatch.setattr(readahead, "load_ledger", _child_only(os.getpid(), failure))
    fallback = _build(meeting, tmp_path / "fallback", "--only", "letters", "--jobs", "2")
    assert [f.taken for f in forks] == [False] and all(_gone(f.first_pid) for f in forks)
    monkeypatch.setattr(readahead, "load_ledger", load_ledger)
    _serial(monkeypatch)
    serial = _build(meeting, tmp_path / "serial", "--only", "letters", "--jobs", "2")
    assert len(forks) == 1
    assert fallback[0] == 0 and fallback == serial


def test_a_truncated_result_falls_back(meeting: Path, monkeypatch) -> None:
    def half(folder: Path, fd: int, parent: int) -> int:
        data = pickle.dumps((folder / "projects.xlsx", "ledger", load_ledger(folder / "projects.xlsx")))
        os.write(fd, readahead._HEADER.pack(len(data)) + data[: len(data) // 2])
        return 0

    monkeypatch.setattr(readahead, "_child", half)
    with readahead.LedgerReadahead.fork(meeting) as ahead:
        assert ahead.load(meeting / "projects.xlsx") == load_ledger(meeting / "projects.xlsx")
        assert not ahead.taken


def test_another_path_is_read_here(meeting: Path, tmp_path: Path) -> None:
    other = tmp_path / "另一个"
    write_example(other)
    with readahead.LedgerReadahead.fork(meeting) as ahead:
        pid = ahead._pid
        assert ahead.load(other / "projects.xlsx") == load_ledger(other / "projects.xlsx")
        assert not ahead.taken and _gone(pid)
        assert ahead.load(meeting / "projects.xlsx") == load_ledger(meeting / "projects.xlsx")  # once only
        assert not ahead.taken


def test_fork_failure_reads_here(meeting: Path, tmp_path: Path, forks, monkeypatch) -> None:
    def refuse() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refuse)
    assert readahead.LedgerReadahead.fork(meeting) is None
    code, stdout, _, files = _build(meeting, tmp_path / "out", "--only", "notice")
    assert code == 0 and list(files) == ["manifest.json", "进度通报.docx"] and forks == []


def test_a_child_not_taken_is_ended_and_reaped(meeting: Path, tmp_path: Path, forks) -> None:
    (tmp_path / "空").mkdir()
    shutil.copy(meeting / "projects.xlsx", tmp_path / "空" / "projects.xlsx")  # no meeting.yaml: fails before the ledger
    code, _, stderr, files = _build(tmp_path / "空", tmp_path / "out")
    assert code == 2 and "缺少 meeting.yaml" in stderr and files == {}
    assert len(forks) == 1 and not forks[0].taken and _gone(forks[0].first_pid)


def _wait_ignoring(pid: int, signals: tuple[int, ...]) -> None:
    """Until the child has set these signals to be ignored (its first step), as Linux reports it."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        pytest.skip("needs /proc")
    for _ in range(400):
        line = next(line for line in status.read_text().splitlines() if line.startswith("SigIgn:"))
        if all(int(line.split()[1], 16) >> (number - 1) & 1 for number in signals):
            return
        time.sleep(0.025)
    raise AssertionError("the child never ignored the signals")


def test_the_child_ignores_ctrl_c(meeting: Path, monkeypatch) -> None:
    def slow(path: Path) -> Ledger:
        time.sleep(0.5)
        return load_ledger(path)

    monkeypatch.setattr(readahead, "load_ledger", _child_only(os.getpid(), slow))
    with readahead.LedgerReadahead.fork(meeting) as ahead:
        _wait_ignoring(ahead._pid, (signal.SIGINT, signal.SIGHUP))  # type: ignore[arg-type]
        os.kill(ahead._pid, signal.SIGINT)  # type: ignore[arg-type]
        os.kill(ahead._pid, signal.SIGHUP)  # type: ignore[arg-type]
        assert ahead.load(meeting / "projects.xlsx") == load_ledger(meeting / "projects.xlsx") and ahead.taken


def test_the_child_dies_with_its_parent(meeting: Path) -> None:
    """A parent killed before it takes the result leaves no child running."""
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from drafting import readahead\n"
        "readahead.load_ledger = lambda path: time.sleep(60)\n"
        f"ahead = readahead.LedgerReadahead.fork(Path({str(meeting)!r}))\n"
        "print(ahead._pid, flush=True)\n"
        "time.sleep(0.3)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    child = int(proc.stdout.split()[0])
    for _ in range(200):
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.05)
    raise AssertionError(f"read-ahead child {child} still runs after its parent was killed")


def test_one_job_and_the_web_server_do_not_fork(meeting: Path, tmp_path: Path, forks, monkeypatch) -> None:
    calls: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        calls.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted)
    code, _, _, files = _build(meeting, tmp_path / "one", "--only", "letters", "--jobs", "1")
    assert code == 0 and len(files) == 49 and calls == [] and forks == []

    import io
    import zipfile

    from starlette.testclient import TestClient

    from drafting.web.app import create_app

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(meeting.iterdir()):
            zf.write(path, f"会议/{path.name}")
    with TestClient(create_app(tmp_path / "ws"), base_url="http://127.0.0.1:8765") as client:  # type: ignore[arg-type]
        response = client.post("/api/build", files={"folder": ("会议.zip", buffer.getvalue())}, data={"only": "letters"})
    assert response.status_code == 200
    assert calls == [] and forks == []


def test_when_to_read_ahead(meeting: Path, tmp_path: Path, monkeypatch) -> None:
    ledger = meeting / "projects.xlsx"
    monkeypatch.setattr(readahead, "usable_cpus", lambda: 2)
    monkeypatch.setattr(readahead, "can_fork", lambda: True)
    assert readahead.wanted(ledger, None) and readahead.wanted(ledger, 2)
    assert not readahead.wanted(ledger, 1)  # one process asked for
    assert not readahead.wanted(None, None) and not readahead.wanted(tmp_path / "没有.xlsx", None)
    monkeypatch.setattr(readahead, "MIN_BYTES", ledger.stat().st_size + 1)
    assert not readahead.wanted(ledger, None)  # too small to gain
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    monkeypatch.setattr(readahead, "usable_cpus", lambda: 1)
    assert not readahead.wanted(ledger, None)
    monkeypatch.setattr(readahead, "usable_cpus", lambda: 2)
    monkeypatch.setattr(readahead, "can_fork", lambda: False)  # e.g. macOS, Windows
    assert not readahead.wanted(ledger, None)
    assert readahead.start_readahead(meeting, None) is None


def test_build_help_imports_no_build_path(tmp_path: Path) -> None:
    from test_cli_lazy import BUILD_PATH, _modules_after

    status, modules = _modules_after(["build", "--help"], tmp_path)
    assert status == 0 and "drafting.cli.build" in modules
    assert not {"drafting.readahead", "pydantic", *BUILD_PATH} & modules


def test_the_real_command_reads_ahead_and_writes_the_same(meeting: Path, tmp_path: Path) -> None:
    """``drafting build`` in its own process: the read-ahead's module loads for this ledger, and what it
    writes and says equals a ``--jobs 1`` build (one process, no read-ahead)."""
    from test_cli_lazy import _modules_after

    status, modules = _modules_after(["build", str(meeting), "--only", "letters", "-o", str(tmp_path / "ahead")], tmp_path)
    assert status == 0 and "drafting.readahead" in modules
    runs = []
    for name, extra in (("a", []), ("b", ["--jobs", "1"])):
        out = tmp_path / name
        proc = subprocess.run(
            [sys.executable, "-c", "from drafting.cli import main; main()", "build", str(meeting), "--only", "letters", "-o", str(out), *extra],
            capture_output=True, text=True, cwd=tmp_path,
        )
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        runs.append((proc.returncode, proc.stdout.replace(str(out), "OUT"), proc.stderr, files))
    assert runs[0] == runs[1] and runs[0][0] == 0 and len(runs[0][3]) == 49
