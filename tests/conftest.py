"""Shared test setup: a developer's own template library never leaks into the tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_user_template_library(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(tmp_path_factory.getbasetemp() / "no-user-library"))
