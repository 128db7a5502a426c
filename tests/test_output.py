"""drafting.output: all-or-nothing batches, the folder lock, stale staging, new files that never clobber."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafting import output
from drafting.errors import DraftingError, OutputExistsError
from drafting.folderlock import pid_alive, remove_stale_staging
from drafting.output import (
    LOCK_NAME,
    OutputBusyError,
    commit_batch,
    output_lock,
    write_new_file,
)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not pid_alive(proc.pid)
    return proc.pid


def text_writer(text: str):  # type: ignore[no-untyped-def]
    return lambda path: path.write_text(text, encoding="utf-8")


def listing(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def test_batch_replaces_old_files_and_leaves_no_staging(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    commit_batch([(tmp_path / "a.txt", text_writer("new a")), (tmp_path / "sub" / "b.txt", text_writer("new b"))], tmp_path)
    assert listing(tmp_path) == {"a.txt": "new a", "sub/b.txt": "new b"}


@pytest.mark.parametrize("step", ["move the old file away", "move the new file in"])
def test_a_failed_replace_puts_every_old_file_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.txt").write_text(f"old {name}", encoding="utf-8")
    (tmp_path / "gone.txt").write_text("old gone", encoding="utf-8")
    before = listing(tmp_path)
    real = os.replace

    def replace(src, dst):  # type: ignore[no-untyped-def]
        # Windows refuses to move a file open in Word; a read-only folder refuses the new file
        if step == "move the old file away" and Path(src) == tmp_path / "c.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(src))
        if step == "move the new file in" and Path(dst) == tmp_path / "c.txt" and not str(src).endswith(".old"):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    items = [(tmp_path / f"{name}.txt", text_writer(f"new {name}")) for name in ("a", "b", "c", "d")]
    items.append((tmp_path / "new" / "e.txt", text_writer("new e")))
    with pytest.raises(DraftingError) as caught:
        commit_batch(items, tmp_path, remove=[tmp_path / "gone.txt"])
    message = str(caught.value)
    assert "文件正被其他程序打开或没有写入权限" in message and "c.txt" in message and "已恢复" in message
    assert listing(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "c.txt", "d.txt", "gone.txt"]


def test_when_even_the_rollback_fails_the_old_files_are_kept_visible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"old {name}", encoding="utf-8")
    real = os.replace

    def replace(src, dst):  # type: ignore[no-untyped-def]
        if Path(src) == tmp_path / "b.txt" or (Path(dst) == tmp_path / "a.txt" and str(src).endswith(".old")):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(DraftingError, match="未能恢复") as caught:
        commit_batch([(tmp_path / "a.txt", text_writer("new a")), (tmp_path / "b.txt", text_writer("new b"))], tmp_path)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("drafting-未恢复的原文件")]
    assert len(kept) == 1 and kept[0].name in str(caught.value)
    assert "old a" in [p.read_text(encoding="utf-8") for p in kept[0].iterdir()]


def test_removal_is_part_of_the_commit(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    commit_batch([(tmp_path / "new.txt", text_writer("y"))], tmp_path, remove=[tmp_path / "old.txt"])
    assert listing(tmp_path) == {"new.txt": "y"}


def test_a_folder_in_the_way_is_found_before_anything_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    (tmp_path / "b.txt").mkdir()
    (tmp_path / "b.txt" / "keep").write_text("mine", encoding="utf-8")
    with pytest.raises(DraftingError, match="此处已有同名文件夹.*b.txt"):
        commit_batch([(tmp_path / "a.txt", text_writer("new a")), (tmp_path / "b.txt", text_writer("new b"))], tmp_path)
    assert listing(tmp_path) == {"a.txt": "old a", "b.txt/keep": "mine"}


def test_a_file_where_a_folder_should_be_is_found_first(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    (tmp_path / "letters").write_text("not a folder", encoding="utf-8")
    with pytest.raises(DraftingError, match="不是文件夹"):
        commit_batch([(tmp_path / "a.txt", text_writer("new")), (tmp_path / "letters" / "x.txt", text_writer("x"))], tmp_path)
    assert listing(tmp_path) == {"a.txt": "old a", "letters": "not a folder"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not apply to root")
def test_a_read_only_folder_is_found_before_anything_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("old b", encoding="utf-8")
    (tmp_path / "sub").chmod(0o555)
    try:
        with pytest.raises(DraftingError, match="没有写入权限"):
            commit_batch([(tmp_path / "a.txt", text_writer("new")), (tmp_path / "sub" / "b.txt", text_writer("new"))], tmp_path)
    finally:
        (tmp_path / "sub").chmod(0o755)
    assert listing(tmp_path) == {"a.txt": "old a", "sub/b.txt": "old b"}


def test_the_lock_is_exclusive_and_names_its_owner(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from drafting.output import output_lock\n"
         "from pathlib import Path\nwith output_lock(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputBusyError) as caught:
            with output_lock(tmp_path):
                pass
        assert "另一个生成任务" in str(caught.value) and str(holder.pid) in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
    # the holder died without releasing: its lock is stale and is broken
    assert (tmp_path / LOCK_NAME).exists()
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text().split()[0] == str(os.getpid())
    assert not (tmp_path / LOCK_NAME).exists()


def test_the_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        commit_batch([(tmp_path / "a.txt", text_writer("a"))], tmp_path)
        assert (tmp_path / LOCK_NAME).exists()
    assert not (tmp_path / LOCK_NAME).exists()


def test_stale_staging_of_dead_processes_is_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = tmp_path / f".drafting-{dead_pid()}-ab_cd123"
    dead.mkdir()
    (dead / "000001.docx").write_bytes(b"PK truncated")
    dead_temp = tmp_path / f".drafting-{dead_pid()}-xyz45678.tmp"
    dead_temp.write_bytes(b"half")
    live = tmp_path / f".drafting-{os.getpid()}-defgh123"
    live.mkdir()
    # a user's own files that merely start like ours are never touched, however old
    mine = [tmp_path / ".drafting-notes", tmp_path / f".drafting-{dead_pid()}-my notes.txt"]
    for path in mine:
        path.write_text("x", encoding="utf-8")
        os.utime(path, (0, 0))
    removed = remove_stale_staging(tmp_path)
    assert sorted(removed) == sorted([dead, dead_temp])
    assert live.exists() and all(path.exists() for path in mine)


def test_write_new_file_never_replaces_an_existing_name(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("mine", encoding="utf-8")
    written = write_new_file(tmp_path, iter(["a.txt", "a_2.txt"]), text_writer("new"))
    assert written == tmp_path / "a_2.txt"
    assert listing(tmp_path) == {"a.txt": "mine", "a_2.txt": "new"}
    with pytest.raises(OutputExistsError):
        write_new_file(tmp_path, iter(["a.txt"]), text_writer("new"))
    assert listing(tmp_path) == {"a.txt": "mine", "a_2.txt": "new"}


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_write_new_file_never_writes_through_links(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "sym.txt").symlink_to(victim)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.link(victim, tmp_path / "hard.txt")
    written = write_new_file(tmp_path, iter(["sym.txt", "dangling.txt", "hard.txt", "free.txt"]), text_writer("new"))
    assert written.name == "free.txt"
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "nowhere.txt").exists()


def test_write_new_file_leaves_nothing_when_the_disk_is_full(tmp_path: Path) -> None:
    def full(path: Path) -> None:
        path.write_bytes(b"PK\x03\x04 half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(DraftingError, match="磁盘空间不足"):
        write_new_file(tmp_path / "out", iter(["a.docx"]), full)
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_linked_subfolder_is_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(DraftingError, match="链接"):
        commit_batch([(out / "a.txt", text_writer("a")), (out / "sub" / "b.txt", text_writer("new"))], out)
    assert (elsewhere / "b.txt").read_text(encoding="utf-8") == "precious" and not (out / "a.txt").exists()
