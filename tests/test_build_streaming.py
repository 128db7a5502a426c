"""Letters are built one at a time as they are written, and reviewed without reading files back."""

from __future__ import annotations

import gc
import json
from datetime import date
from pathlib import Path

import pytest
from test_letters import make_folder

import drafting.build as build_module
from drafting.build import BuildOptions, plan_build, review_outputs, write_plan
from drafting.document import Document

UNITS = 25


def ledger_rows() -> list[list]:
    rows = []
    for n in range(60):
        unit = f"第{n % UNITS + 1}责任单位"
        rows.append([f"项目{n:03d}", unit, "李某某", f"建设内容{n}", 3.0, 1.5, date(2026, 5, 1)])
    # one unit's letter carries a placeholder the review must report
    rows.append(["XX项目", "第1责任单位", "李某某", "建设内容XX", 3.0, 1.5, date(2026, 5, 1)])
    return rows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path, ledger_rows()).path


def live_documents() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Document))


def test_each_letter_is_written_before_the_next_is_built(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plan_build(folder, BuildOptions(only=frozenset({"letters"})))
    assert len(plan.outputs) == UNITS and all(o.document is None for o in plan.outputs)
    real = build_module.write_docx_fast
    seen: list[tuple[int, int]] = []

    def watching(document, path, profile=None):  # type: ignore[no-untyped-def]
        staged = sum(1 for p in Path(path).parent.iterdir() if p.suffix == ".docx")
        seen.append((staged, live_documents()))
        real(document, path, profile)

    monkeypatch.setattr(build_module, "write_docx_fast", watching)
    write_plan(plan)
    assert [staged for staged, _ in seen] == list(range(UNITS))  # every earlier letter already in staging
    assert max(live for _, live in seen) <= 2  # the letter being written (not all 25)
    assert all(o.document is None for o in plan.outputs)  # nothing kept


def test_streamed_letters_and_review_equal_the_eager_build(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    streamed = plan_build(folder, BuildOptions(only=frozenset({"letters"}), out_dir=tmp_path / "streamed"))
    write_plan(streamed)
    eager = plan_build(folder, BuildOptions(only=frozenset({"letters"}), out_dir=tmp_path / "eager", combined=True))
    write_plan(eager)

    def never(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("review read a file back")

    monkeypatch.setattr(Path, "read_bytes", never)
    monkeypatch.setattr(Path, "open", never)
    problems = review_outputs(streamed)
    monkeypatch.undo()
    assert [r.path.name for r in problems] == ["第1责任单位.docx"]
    assert any(f.rule == "placeholder" for f in problems[0].findings)
    expected = review_outputs(eager)
    assert [(r.path.name, [(f.rule, f.message) for f in r.findings]) for r in problems] == [
        (r.path.name, [(f.rule, f.message) for f in r.findings]) for r in expected
    ]

    def digests(out: Path) -> dict[str, str]:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {e["path"]: e["sha256"] for e in manifest if e["unit"] is not None}

    # reproducible output: the same letters byte for byte, however they were built
    assert digests(tmp_path / "streamed") == digests(tmp_path / "eager")
