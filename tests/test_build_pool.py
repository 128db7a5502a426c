"""A batch of letters written by forked workers (``build --jobs``) equals the one written in one process:
the same files byte for byte, manifest, reviews and messages; the same error, and nothing written, when
one letter fails; no worker left behind; one process where fork is unavailable.

The pool's threshold is lowered so that a small ledger uses it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_letters import make_folder

import drafting.build as build_module
from drafting import build_pool
from drafting.build import BuildOptions, plan_build, review_outputs, write_plan
from drafting.build_pool import worker_count
from drafting.cli import cli
from drafting.documents.letters import LetterBuilder
from drafting.errors import InputError

UNITS = 12
REPO = Path(__file__).resolve().parent.parent


def ledger_rows() -> list[list]:
    rows = []
    for n in range(40):
        unit = f"第{n % UNITS + 1}责任单位"
        rows.append([f"项目{n:03d}", unit, "李某某", f"建设内容{n}，新建道路{n}.5公里", 3.0 + n, 1.5, date(2026, 5, 1)])
    # letters whose review reports something: a placeholder, in two units
    rows.append(["XX项目", "第2责任单位", "李某某", "建设内容XX", 3.0, 1.5, date(2026, 5, 1)])
    rows.append(["○○片区更新项目", "第9责任单位", "王某某", "此处填写建设内容", 2.0, 1.0, date(2026, 6, 1)])
    return rows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path, ledger_rows()).path


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_pool, "MIN_ITEMS", 2)


@pytest.fixture
def builders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every letter built appends ``<pid> <unit>`` to the returned file, in whichever process builds it."""
    log = tmp_path / "builders.log"
    real = LetterBuilder.build

    def recording(self, party_b, projects):  # type: ignore[no-untyped-def]
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {party_b}\n")
        return real(self, party_b, projects)

    monkeypatch.setattr(LetterBuilder, "build", recording)
    return log


def built_by(log: Path) -> dict[str, int]:
    return {unit: int(pid) for pid, unit in (line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines())}


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def no_workers_left() -> bool:
    return multiprocessing.active_children() == []


def build(folder: Path, out: Path, jobs: int) -> build_module.BuildPlan:
    plan = plan_build(folder, BuildOptions(out_dir=out, only=frozenset({"letters", "notice"}), jobs=jobs))
    write_plan(plan)
    return plan


def test_workers_write_the_same_letters_manifest_and_reviews(folder: Path, tmp_path: Path, builders: Path) -> None:
    serial = build(folder, tmp_path / "serial", 1)
    assert set(built_by(builders).values()) == {os.getpid()}
    builders.unlink()
    pooled = build(folder, tmp_path / "pooled", 2)
    pids = built_by(builders)
    assert len(pids) == UNITS
    # the first letter is built here (warming the caches the workers inherit), the others by two workers
    assert [unit for unit, pid in pids.items() if pid == os.getpid()] == ["第1责任单位"]
    assert len(set(pids.values()) - {os.getpid()}) == 2
    assert no_workers_left()

    serial_files, pooled_files = files(tmp_path / "serial"), files(tmp_path / "pooled")
    assert list(pooled_files) == list(serial_files) and len(serial_files) == UNITS + 2  # + notice, manifest
    assert pooled_files == serial_files  # every letter and the manifest (with hashes), byte for byte

    def reviews(plan: build_module.BuildPlan) -> dict[str, object]:
        return {
            path.relative_to(plan.out_dir).as_posix(): None if r is None else (r.path.relative_to(plan.out_dir), r.findings)
            for path, r in plan.reviewed.items()
        }

    assert list(pooled.reviewed) == [o.path for o in pooled.outputs]  # in batch order
    assert reviews(pooled) == reviews(serial)
    found = {r.path.name: [(f.rule, f.message, f.paragraph) for f in r.findings] for r in review_outputs(pooled)}
    assert set(found) == {"第2责任单位.docx", "第9责任单位.docx", "进度通报.docx"}
    assert found == {r.path.name: [(f.rule, f.message, f.paragraph) for f in r.findings] for r in review_outputs(serial)}
    assert not [p for p in (tmp_path / "pooled").iterdir() if p.name.startswith(".drafting")]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_cli_says_the_same_with_workers(folder: Path, tmp_path: Path) -> None:
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        status, text = run("build", str(folder), "--only", "letters", "-o", str(out), "--jobs", jobs)
        assert status == 0, text
        outputs[jobs] = text.replace(str(out), "OUT")
    assert "审稿时会被退回" in outputs["1"] and "第9责任单位.docx" in outputs["1"]
    assert outputs["2"] == outputs["1"]
    assert files(tmp_path / "out2") == files(tmp_path / "out1")


def failing_letter_template(folder: Path, unit: str) -> None:
    """The meeting's own letter template: an undefined variable in one unit's letter only."""
    text = (REPO / "templates" / "letter.gw.j2").read_text(encoding="utf-8")
    broken = f'\n{{% if party_b == "{unit}" %}}{{{{ 未定义的变量 }}}}{{% endif %}}\n'
    (folder / "templates").mkdir()
    (folder / "templates" / "letter.gw.j2").write_text(text + broken, encoding="utf-8")


def test_a_failing_letter_gives_the_same_error_and_no_output(folder: Path, tmp_path: Path, builders: Path) -> None:
    failing_letter_template(folder, "第7责任单位")
    said = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        status, text = run("build", str(folder), "--only", "letters", "-o", str(out), "--jobs", jobs)
        assert status == 2
        said[jobs] = text.replace(str(out), "OUT")
        assert not out.exists() or list(out.iterdir()) == []  # no letter, no staging, no lock
        assert no_workers_left()
    assert said["2"] == said["1"]
    assert "letter.gw.j2" in said["1"] and "未定义的变量" in said["1"] and "Traceback" not in said["1"]
    lines = [line.split(" ", 1) for line in builders.read_text(encoding="utf-8").splitlines()]
    # once here without workers; with workers, by a worker and again here, which raised the error shown
    assert sorted(int(pid) == os.getpid() for pid, unit in lines if unit == "第7责任单位") == [False, True, True]


def test_the_library_raises_the_same_input_error(folder: Path, tmp_path: Path) -> None:
    failing_letter_template(folder, "第11责任单位")
    errors = []
    for jobs in (1, 2):
        with pytest.raises(InputError) as caught:
            build(folder, tmp_path / f"out{jobs}", jobs)
        errors.append((type(caught.value), str(caught.value)))
    assert errors[0] == errors[1]
    assert no_workers_left()


def test_a_full_disk_in_a_worker_gives_the_same_failure(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = build_module.write_docx_fast

    def full(document, path, profile=None):  # type: ignore[no-untyped-def]
        if "第5责任单位" in repr(document.blocks):
            raise OSError(28, "No space left on device")
        real(document, path, profile)

    monkeypatch.setattr(build_module, "write_docx_fast", full)
    said = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        status, text = run("build", str(folder), "--only", "letters", "-o", str(out), "--jobs", jobs)
        assert status == 1
        said[jobs] = text.replace(str(out), "OUT")
        assert list(out.iterdir()) == []
        assert no_workers_left()
    assert said["2"] == said["1"]
    assert "第5责任单位.docx" in said["1"] and "磁盘空间不足" in said["1"]


def test_a_killed_worker_costs_time_not_output(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = LetterBuilder.build

    def dying(self, party_b, projects):  # type: ignore[no-untyped-def]
        if party_b == "第6责任单位" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, party_b, projects)

    serial = build(folder, tmp_path / "serial", 1)
    monkeypatch.setattr(LetterBuilder, "build", dying)
    pooled = build(folder, tmp_path / "pooled", 2)
    assert files(tmp_path / "pooled") == files(tmp_path / "serial")
    assert [r is None for r in pooled.reviewed.values()] == [r is None for r in serial.reviewed.values()]
    assert no_workers_left()


def test_a_failed_fork_leaves_the_letters_to_this_process(folder: Path, tmp_path: Path, builders: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fork = os.fork
    forks = []

    def second_fails() -> int:  # as when the system is out of processes or memory
        forks.append(1)
        if len(forks) > 1:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    serial = build(folder, tmp_path / "serial", 1)
    monkeypatch.setattr(os, "fork", second_fails)
    builders.unlink()
    pooled = build(folder, tmp_path / "pooled", 2)
    assert len(forks) == 2
    assert files(tmp_path / "pooled") == files(tmp_path / "serial")
    assert [r is None for r in pooled.reviewed.values()] == [r is None for r in serial.reviewed.values()]
    assert set(built_by(builders).values()) == {os.getpid()}  # the one worker forked got nothing to do
    assert no_workers_left()


def test_one_process_where_fork_is_unavailable(folder: Path, tmp_path: Path, builders: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    assert worker_count(2, 100) == 0
    build(folder, tmp_path / "out", 2)
    assert set(built_by(builders).values()) == {os.getpid()}
    assert len(built_by(builders)) == UNITS


def test_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_pool, "MIN_ITEMS", 40)
    monkeypatch.setattr(build_pool, "usable_cpus", lambda: 4)
    assert worker_count(None, 300) == 4  # one per usable CPU
    assert worker_count(2, 300) == 2
    assert worker_count(1, 300) == 0  # --jobs 1: this process
    assert worker_count(None, 39) == 0  # a small batch: not worth forking
    monkeypatch.setattr(build_pool, "usable_cpus", lambda: 1)
    assert worker_count(None, 300) == 0
    monkeypatch.setattr(build_pool, "usable_cpus", lambda: 64)
    assert worker_count(None, 300) == build_pool.MAX_AUTO_JOBS


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "65", ""])
def test_jobs_option_is_checked(folder: Path, value: str) -> None:
    status, text = run("build", str(folder), "--jobs", value)
    assert status == 2
    assert "--jobs" in text and "应为 1 到 64 之间的整数（1 = 不并行）" in text
    assert not (folder / "输出").exists()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_ctrl_c_stops_the_workers_and_writes_nothing(tmp_path: Path) -> None:
    from benchmarks.ledgers import make_meeting

    folder = make_meeting(tmp_path / "会议", 1200, 400)
    out = tmp_path / "out"
    command = [str(Path(sys.executable).parent / "drafting"), "build", str(folder), "--only", "letters", "-o", str(out), "--jobs", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=REPO)
    workers: list[int] = []
    while proc.poll() is None and len(workers) < 2:
        workers = children_of(proc.pid)
        time.sleep(0.01)
    assert len(workers) == 2, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal does: the whole foreground group
    _, stderr = proc.communicate(timeout=120)
    text = stderr.decode("utf-8")
    assert proc.returncode == 1 and "已取消" in text and "Traceback" not in text, text
    assert not any(alive(pid) for pid in workers)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("count", [1, 40, 41, 97, 300, 1000, 10001])
@pytest.mark.parametrize("workers", [2, 3, 8])
def test_tasks_take_every_item_once_in_order_and_shrink_to_the_end(count: int, workers: int) -> None:
    indices = list(range(5, 5 + 3 * count, 3))
    chunks = build_pool.chunked(indices, workers)
    assert [i for chunk in chunks for i in chunk] == indices
    sizes = [len(chunk) for chunk in chunks]
    assert all(0 < size <= build_pool.FIRST_CHUNK for size in sizes)
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # shrinking (the last takes what is left)
    tail = sizes[-workers * 3 :]
    assert max(tail) <= build_pool.CHUNK  # the end is done in small tasks: workers finish together
    fixed = max(1, min(build_pool.CHUNK, count // (workers * 4)))
    assert len(chunks) <= -(-count // fixed)  # never more round trips than tasks of one fixed size
    if count >= 300 and workers == 2:
        assert len(chunks) < (count // build_pool.CHUNK) // 2 + 1
