"""`drafting build` never loses a user's file: all-or-nothing --force, stale letters, the lock, signals."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from drafting import output
from drafting.cli import cli
from drafting.output import LOCK_NAME


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    return folder


@pytest.fixture()
def built(meeting: Path) -> Path:
    result = run("build", str(meeting))
    assert result.exit_code == 0, result.output
    return meeting / "输出"


def digests(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (files by content, folders by name) — hidden staging and locks included."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        found[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<dir>"
    return found


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def letters(out: Path) -> list[Path]:
    return [out / e["path"] for e in manifest(out) if e["kind"] == "letter" and e["unit"]]


# --- --force is all or nothing -----------------------------------------------------------------


def test_a_folder_where_a_letter_should_go_stops_the_build_before_any_replace(built: Path) -> None:
    third = letters(built)[2]
    third.unlink()
    third.mkdir()
    (third / "我的笔记.txt").write_text("别删", encoding="utf-8")
    before = digests(built)
    result = run("build", str(built.parent), "--force")
    assert result.exit_code == 1
    assert "此处已有同名文件夹" in result.output and third.name in result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert digests(built) == before


def test_a_replace_refused_part_way_restores_every_file(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as on Windows when the fourth letter is open in Word: moving it away raises PermissionError
    fourth = letters(built)[3]
    before = digests(built)
    real = os.replace

    def replace(src, dst):  # type: ignore[no-untyped-def]
        if Path(src) == fourth:
            raise PermissionError(errno.EACCES, "Permission denied", str(src))
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    result = run("build", str(built.parent), "--force")
    assert result.exit_code == 1
    assert "文件正被其他程序打开或没有写入权限" in result.output and fourth.name in result.output
    assert "已恢复" in result.output and "内部错误" not in result.output
    assert digests(built) == before  # speech, earlier letters and manifest all as they were


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not apply to root")
def test_a_read_only_letters_folder_stops_the_build_before_any_replace(built: Path) -> None:
    folder = letters(built)[0].parent
    before = digests(built)
    folder.chmod(0o555)
    try:
        result = run("build", str(built.parent), "--force")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "没有写入权限" in result.output and folder.name in result.output
    assert digests(built) == before


# --- letters the new manifest no longer lists ----------------------------------------------------


def merge_unit_into_another(meeting: Path) -> tuple[str, str]:
    """Give every project of the ledger's last 牵头单位 to its first one; return (gone, kept)."""
    path = meeting / "projects.xlsx"
    book = load_workbook(path)
    sheet = book.active
    column = next(c.column for c in sheet[1] if c.value == "牵头单位")
    units = [sheet.cell(row=r, column=column).value for r in range(2, sheet.max_row + 1)]
    gone, kept = units[-1], units[0]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(row=r, column=column).value == gone:
            sheet.cell(row=r, column=column).value = kept
    book.save(path)
    return gone, kept


def letter_of(out: Path, unit: str) -> Path:
    return next(out / e["path"] for e in manifest(out) if e["unit"] == unit)


def test_force_removes_letters_of_units_no_longer_in_the_ledger(built: Path) -> None:
    gone, _ = merge_unit_into_another(built.parent)
    old_letter = letter_of(built, gone)
    users_file = old_letter.parent / "我自己的说明.docx"
    users_file.write_bytes(b"not ours")
    outside = built.parent / "meeting.yaml"
    outside_before = outside.read_bytes()
    # a tampered manifest must never make drafting delete anything outside its own files
    entries = manifest(built)
    entries.append({"kind": "letter", "path": "../meeting.yaml", "unit": "x"})
    entries.append({"kind": "letter", "path": "目标责任书/我自己的说明.docx", "unit": "y", "sha256": "0" * 64})
    (built / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")

    refused = run("build", str(built.parent))
    assert refused.exit_code == 2 and "--force" in refused.output and old_letter.exists()

    result = run("build", str(built.parent), "--force")
    assert result.exit_code == 0, result.output
    assert not old_letter.exists()
    assert "已删除上次生成、本次不再需要的 1 个文件" in result.output and old_letter.name in result.output
    assert all(e["unit"] != gone for e in manifest(built))
    assert users_file.read_bytes() == b"not ours" and outside.read_bytes() == outside_before
    assert sorted(p for p in built.rglob("*.docx")) == sorted([built / e["path"] for e in manifest(built)] + [users_file])


def test_force_keeps_and_reports_an_obsolete_letter_the_user_changed(built: Path) -> None:
    gone, _ = merge_unit_into_another(built.parent)
    old_letter = letter_of(built, gone)
    with old_letter.open("ab") as f:
        f.write(b"edited")
    edited = old_letter.read_bytes()
    result = run("build", str(built.parent), "--force")
    assert result.exit_code == 0, result.output
    assert old_letter.read_bytes() == edited
    assert "已被修改过，予以保留" in result.output and old_letter.name in result.output


def test_building_one_kind_keeps_the_others_in_the_manifest(built: Path) -> None:
    before = {e["path"] for e in manifest(built)}
    speech = built / "讲话稿.docx"
    speech_before = speech.read_bytes()
    result = run("build", str(built.parent), "--only", "notice", "--force")
    assert result.exit_code == 0, result.output
    assert {e["path"] for e in manifest(built)} == before
    assert speech.read_bytes() == speech_before and "已删除" not in result.output


# --- the lock and signals, with real processes ---------------------------------------------------

# Runs `drafting <args>` with a write_docx that writes half of the second file, then
# says so in the marker file and waits: the state a build is in when it is stopped mid-write.
SLOW_BUILD = r"""
import sys, time
from pathlib import Path
import drafting.build as build
real = build.write_docx_fast
marker = Path(sys.argv[1])
calls = []
def slow(document, path, profile=None):
    calls.append(path)
    real(document, path, profile)
    if len(calls) == 2:
        data = Path(path).read_bytes()
        Path(path).write_bytes(data[: len(data) // 2])
        marker.write_text("writing", encoding="utf-8")
        time.sleep(120)
build.write_docx_fast = slow
from drafting.cli import main
sys.argv = ["drafting", *sys.argv[2:]]
main()
"""


def start_slow_build(meeting: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    marker = meeting.parent / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(marker), "build", str(meeting), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"the slow build never started writing: {out}{err}")
        time.sleep(0.05)
    return proc, marker


def staging(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".drafting-")]


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_build_stopped_by_a_signal_cleans_up(meeting: Path, signame: str) -> None:
    proc, _ = start_slow_build(meeting)
    out = meeting / "输出"
    half_written = [p for stage in staging(out) if stage.is_dir() for p in stage.iterdir()]
    assert len(half_written) == 2 and (out / LOCK_NAME).exists()
    proc.send_signal(getattr(signal, signame))
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "已中止" in stderr and "Traceback" not in stderr
    assert list(out.iterdir()) == []  # no document, no staging folder, no lock


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_a_killed_build_leaves_nothing_the_next_build_cannot_clean(meeting: Path) -> None:
    proc, _ = start_slow_build(meeting)
    proc.kill()  # SIGKILL: no cleanup possible
    proc.communicate()
    out = meeting / "输出"
    assert staging(out) and (out / LOCK_NAME).exists()
    result = run("build", str(meeting))
    assert result.exit_code == 0, result.output
    assert staging(out) == [] and not (out / LOCK_NAME).exists()
    listed = sorted(out / e["path"] for e in manifest(out))
    assert sorted(p for p in out.rglob("*.docx")) == listed


def test_two_builds_into_one_folder_do_not_mix(meeting: Path) -> None:
    proc, _ = start_slow_build(meeting)
    try:
        out = meeting / "输出"
        before = digests(out)
        second = run("build", str(meeting), "--force")
        assert second.exit_code == 1
        assert "另一个生成任务" in second.output and "正在写入此文件夹" in second.output and str(proc.pid) in second.output
        assert digests(out) == before  # the running build's staging was left alone
    finally:
        proc.terminate()
        proc.communicate(timeout=60)
    third = run("build", str(meeting))
    assert third.exit_code == 0, third.output


def test_an_old_manifest_without_checksums_never_leads_to_a_deletion(built: Path) -> None:
    gone, _ = merge_unit_into_another(built.parent)
    old_letter = letter_of(built, gone)
    entries = [{k: v for k, v in e.items() if k != "sha256"} for e in manifest(built)]
    (built / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    result = run("build", str(built.parent), "--force")
    assert result.exit_code == 0, result.output
    assert old_letter.exists() and "予以保留" in result.output and old_letter.name in result.output
