"""readers.text reads a draft with a buffer sized to the file, giving exactly what read(limit) gives."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from drafting.readers import text
from drafting.readers.text import _read_bounded


def test_bounded_read_equals_read_with_a_limit(tmp_path: Path) -> None:
    limit = 1000
    for size in [0, 1, 999, 1000, 1001, 5000]:
        path = tmp_path / f"{size}.txt"
        path.write_bytes(bytes(i % 251 for i in range(size)))
        with path.open("rb") as a, path.open("rb") as b:
            assert _read_bounded(a, limit) == b.read(limit)


def test_a_file_that_grew_after_its_size_was_taken_is_read_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 10 + b"y" * 50)
    stale = os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0))  # the size before the file grew
    monkeypatch.setattr(text.os, "fstat", lambda fd: stale)
    with path.open("rb") as stream:
        assert _read_bounded(stream, 30) == b"x" * 10 + b"y" * 20
    with path.open("rb") as stream:
        assert _read_bounded(stream, 1000) == b"x" * 10 + b"y" * 50


def test_a_pipe_is_read_up_to_the_limit() -> None:
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb") as out:
            out.write(b"z" * 5000)

    writer = threading.Thread(target=feed)
    writer.start()
    with os.fdopen(read_end, "rb") as stream:
        assert _read_bounded(stream, 4096) == b"z" * 4096
    writer.join()
