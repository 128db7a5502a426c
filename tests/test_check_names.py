"""某某-names a meeting itself uses (drafting.check.names): every string of the meeting, ledger and priorities is seen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import BaseModel

from drafting.check.names import _strings, meeting_names, names_in
from drafting.example import write_example
from drafting.folder import load_meeting_folder


def _recursive(value: object) -> list[str]:
    """The plain recursive walk the stack walk replaced."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _recursive(getattr(value, name))]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for field in dataclasses.fields(value) for s in _recursive(getattr(value, field.name))]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _recursive(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _recursive(item)]
    return []


def test_the_walk_sees_every_string_of_the_example_meeting(tmp_path: Path) -> None:
    write_example(tmp_path / "会议")
    folder = load_meeting_folder(tmp_path / "会议")
    for source in (folder.meeting, folder.ledger, folder.priorities):
        assert sorted(_strings(source)) == sorted(_recursive(source))
    assert len(list(_strings(folder.ledger))) > 100  # the projects' texts are walked, not only the ledger's own


def test_names_nested_in_models_dataclasses_dicts_and_tuples_are_found() -> None:
    @dataclasses.dataclass(frozen=True)
    class Row:
        unit: str
        notes: tuple[str, ...]

    class Inner(BaseModel):
        leader: str
        extra: dict[str, list[str]]

    class Outer(BaseModel):
        inner: Inner
        rows: list[Row]
        count: int

    data = Outer(
        inner=Inner(leader="张某某", extra={"a": ["某某县交通局", "无"]}),
        rows=[Row("某某区发改局", ("李某某同志", "")), Row("区财政局", ())],
        count=3,
    )
    assert meeting_names(data) == frozenset({"张某某", "某某县", "某某区", "李某某"})
    assert meeting_names(data) == names_in(_recursive(data))


def test_the_walk_skips_figures_and_dates_and_sees_the_rest_of_a_generated_ledger(tmp_path: Path) -> None:
    """Figures, dates and empty cells are skipped at once; every text (str enums, one-field records) is still seen."""
    import enum
    from datetime import date, datetime, time
    from decimal import Decimal

    from benchmarks.ledgers import make_meeting

    folder = load_meeting_folder(make_meeting(tmp_path / "会议", 120, 30))
    for source in (folder.meeting, folder.ledger, folder.priorities):
        assert sorted(_strings(source)) == sorted(_recursive(source))

    class Kind(str, enum.Enum):
        A = "某某镇"

    class Level(enum.IntEnum):
        ONE = 1

    @dataclasses.dataclass
    class One:
        text: str

    @dataclasses.dataclass
    class Empty:
        pass

    data = [1, 2.5, True, None, Decimal("1.5"), date(2026, 1, 1), datetime(2026, 1, 1), time(8), Level.ONE, Kind.A,
            One("王某某"), Empty(), One, (One("某某村"),), {"k": One("x")}]  # fmt: skip
    assert sorted(_strings(data)) == sorted(_recursive(data)) == ["x", "某某村", "某某镇", "王某某"]
    assert meeting_names(data) == frozenset({"某某镇", "王某某", "某某村"})
