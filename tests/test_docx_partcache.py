"""The fast writer's fixed parts kept in the user cache: the same bytes cold or warm, damaged files are misses.

Every test runs with its own ``XDG_CACHE_HOME``; the files written are compared
with the reference (python-docx) writer's, member by member.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from test_banner import BODY as BANNER_BODY
from test_banner import VARIANTS as BANNER_VARIANTS
from test_docx_fast import assert_same_package, big_table_document, hostile_document

import drafting.docx.fast.writer as fast_writer
from drafting.build import BuildOptions, plan_build
from drafting.docx.fast import partcache, write_docx_fast
from drafting.docx.profile import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE
from drafting.docx.writer import write_docx
from drafting.document import Document, Meta
from drafting.example import write_example


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh user cache and no parts in memory; the folder the parts are kept in."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fast_writer, "_FIXED", {})
    return tmp_path / "cache" / "drafting" / f"{partcache.PREFIX}{partcache._digest()}"


def no_reference(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count calls of the reference writer's parts; the fast writer must not need them when they are cached."""
    calls: list[int] = []
    real = fast_writer.reference_parts

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(fast_writer, "reference_parts", counting)
    return calls


def forget_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_writer, "_FIXED", {})


def documents(tmp_path: Path) -> list[tuple[str, Document, object]]:
    folder = tmp_path / "会议"
    write_example(folder)
    plan = plan_build(folder, BuildOptions(combined=True))
    chosen = [(o.path.name, o.build_document(), o.profile) for o in plan.outputs if o.kind != "letter"]
    letters = [o for o in plan.outputs if o.kind == "letter"]
    chosen += [(o.path.name, o.build_document(), o.profile) for o in (letters[0], letters[-1])]
    meta = Meta(title="报告", author="某某区人民政府", date=date(2026, 3, 6))
    for name in ("joint", "signers", "letter"):
        chosen.append((name, Document(blocks=list(BANNER_BODY), meta=meta, red_header=BANNER_VARIANTS[name]), DEFAULT_PROFILE))
    chosen.append(("table", big_table_document(40), DEFAULT_PROFILE))
    chosen.append(("hostile", hostile_document(), SPEECH_LARGE_PROFILE))
    return chosen


def test_cold_and_warm_cache_give_the_reference_files(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = documents(tmp_path)
    assert {name for name, _, _ in chosen} >= {"讲话稿.docx", "进度通报.docx", "joint", "letter"}
    calls = no_reference(monkeypatch)
    cold = {}
    for index, (name, document, profile) in enumerate(chosen):
        target = tmp_path / f"cold{index}.docx"
        write_docx_fast(document, target, profile)
        cold[name] = target.read_bytes()
        reference = tmp_path / f"reference{index}.docx"
        write_docx(document, reference, profile)
        assert_same_package(reference, target)
    made = len(calls)
    assert made >= 6  # frames differ: speech, letters, notice, 会议通知, banners …
    assert len(list(cache.glob("*" + partcache.SUFFIX))) == made
    forget_memory(monkeypatch)
    for index, (name, document, profile) in enumerate(chosen):
        target = tmp_path / f"warm{index}.docx"
        write_docx_fast(document, target, profile)
        assert target.read_bytes() == cold[name], name
    assert len(calls) == made  # every frame came from the cache


def write_letter(tmp_path: Path, name: str) -> bytes:
    document = Document(blocks=list(BANNER_BODY), meta=Meta(title="报告", date=date(2026, 3, 6)), red_header=BANNER_VARIANTS["urgent"])
    target = tmp_path / name
    write_docx_fast(document, target)
    return target.read_bytes()


def damage_flip(data: bytes) -> bytes:
    return data[:-5] + bytes([data[-5] ^ 1]) + data[-4:]


def damage_json(data: bytes) -> bytes:
    """A valid checksum over a header that is not what it should be."""
    magic, rest = data[: len(partcache.MAGIC)], data[len(partcache.MAGIC) :]
    body = rest.split(b"\n", 1)[1]
    text, blobs = body.split(b"\n", 1)
    header = json.loads(text)
    header["members"][0][3] += 1  # one byte more than there is
    body = json.dumps(header, ensure_ascii=False).encode() + b"\n" + blobs
    import hashlib

    return magic + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"",
        lambda data: b"\x00" * len(data),
        lambda data: data.replace(partcache.MAGIC, b"drafting docx parts 0\n"),
        damage_flip,  # one bit of a deflated member
        damage_json,
    ],
    ids=["truncated", "empty", "zeros", "other-format", "bit-flip", "bad-header"],
)
def test_a_damaged_file_is_a_miss_and_is_replaced(damage, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_letter(tmp_path, "first.docx")
    (entry,) = cache.glob("*" + partcache.SUFFIX)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    forget_memory(monkeypatch)
    calls = no_reference(monkeypatch)
    assert write_letter(tmp_path, "second.docx") == first
    assert calls == [1]  # made again
    assert entry.read_bytes() == good  # and kept again


def test_a_file_holding_another_key_is_a_miss(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file under this frame's name but holding another frame's parts is not trusted."""
    first = write_letter(tmp_path, "first.docx")
    (entry,) = cache.glob("*" + partcache.SUFFIX)
    document = Document(blocks=list(BANNER_BODY), meta=Meta(title="报告", date=date(2026, 3, 6)), red_header=BANNER_VARIANTS["joint"])
    write_docx_fast(document, tmp_path / "joint.docx")
    (other,) = set(cache.glob("*" + partcache.SUFFIX)) - {entry}
    entry.write_bytes(other.read_bytes())
    forget_memory(monkeypatch)
    calls = no_reference(monkeypatch)
    assert write_letter(tmp_path, "second.docx") == first
    assert calls == [1]


def test_without_a_writable_cache_the_parts_are_made_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    forget_memory(monkeypatch)
    first = write_letter(tmp_path, "first.docx")
    forget_memory(monkeypatch)
    calls = no_reference(monkeypatch)
    assert write_letter(tmp_path, "second.docx") == first
    assert calls == [1]
    assert blocker.read_text() == "x"


def test_the_folder_is_capped_and_older_versions_removed(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = cache.parent / f"{partcache.PREFIX}0000older0000version"
    old.mkdir(parents=True)
    (old / ("x" + partcache.SUFFIX)).write_bytes(b"old")
    write_letter(tmp_path, "first.docx")
    assert not old.exists()
    (entry,) = cache.glob("*" + partcache.SUFFIX)
    monkeypatch.setattr(partcache, "MAX_FOLDER_BYTES", entry.stat().st_size * 5 // 2)  # room for two files
    os.utime(entry, (1, 1))  # the oldest
    for index, name in enumerate(("joint", "signers", "minutes")):
        document = Document(blocks=list(BANNER_BODY), meta=Meta(title="报告"), red_header=BANNER_VARIANTS[name])
        write_docx_fast(document, tmp_path / f"{index}.docx")
        files = list(cache.glob("*" + partcache.SUFFIX))
        assert sum(f.stat().st_size for f in files) <= partcache.MAX_FOLDER_BYTES
        assert len(files) == 2
    assert not entry.exists()  # the least recently used went first
    assert not list(cache.glob(".tmp-*"))


def test_a_file_over_the_size_limit_is_not_read(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_letter(tmp_path, "first.docx")
    (entry,) = cache.glob("*" + partcache.SUFFIX)
    monkeypatch.setattr(partcache, "MAX_FILE_BYTES", entry.stat().st_size - 1)
    forget_memory(monkeypatch)
    calls = no_reference(monkeypatch)
    write_letter(tmp_path, "second.docx")
    assert calls == [1]


BUILD = """
import sys
from drafting.cli import main
sys.argv = ["drafting", "build", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
print("python-docx imported:", "docx" in sys.modules)
"""


def test_a_build_with_cached_parts_does_not_import_python_docx(tmp_path: Path) -> None:
    """Cold and warm builds in fresh processes: the warm one never loads python-docx; every byte is the same."""
    folder = tmp_path / "会议"
    write_example(folder)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    outputs = []
    for run in ("cold", "warm"):
        out = tmp_path / run
        result = subprocess.run(
            [sys.executable, "-c", BUILD, str(folder), "-o", str(out)], env=env, capture_output=True, text=True, check=True
        )
        assert f"python-docx imported: {run == 'cold'}" in result.stdout, result.stdout + result.stderr
        messages = result.stdout.replace(str(out), "<out>").rsplit("python-docx imported:", 1)[0]
        outputs.append((out, messages))
    (cold, cold_messages), (warm, warm_messages) = outputs
    assert warm_messages == cold_messages
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert sorted(p.relative_to(warm) for p in warm.rglob("*") if p.is_file()) == files
    assert len([f for f in files if f.suffix == ".docx"]) >= 6
    for name in files:
        assert (warm / name).read_bytes() == (cold / name).read_bytes(), name
