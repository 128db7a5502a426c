"""A plain (non-editable) `pip install .` finds the templates and the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(REPO)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"pip install . failed:\n{result.stdout}\n{result.stderr}")
    return env_dir


def test_installed_package_uses_its_own_data(installed_venv: Path, tmp_path: Path) -> None:
    python = installed_venv / "bin" / "python"
    code = "from drafting import resources; print(resources.templates_dir()); print(resources.corpus_dir())"
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    templates, corpus = (Path(line) for line in out.stdout.splitlines())
    assert installed_venv in templates.parents and installed_venv in corpus.parents
    assert any(templates.rglob("*.j2")) and (corpus / "example" / "meeting.yaml").is_file()


def test_installed_cli_builds_the_example(installed_venv: Path, tmp_path: Path) -> None:
    drafting = installed_venv / "bin" / "drafting"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([str(drafting), "example", "会议"], cwd=tmp_path, env=env, check=True, capture_output=True)
    subprocess.run([str(drafting), "build", "会议"], cwd=tmp_path, env=env, check=True, capture_output=True)
    manifest = json.loads((tmp_path / "会议" / "输出" / "manifest.json").read_text(encoding="utf-8"))
    kinds = {entry["kind"] for entry in manifest}
    assert kinds == {"speech", "letter", "notice", "call", "minutes"}
    for entry in manifest:
        assert (tmp_path / "会议" / "输出" / entry["path"]).stat().st_size > 0


def test_installed_package_carries_the_web_page(installed_venv: Path, tmp_path: Path) -> None:
    python = installed_venv / "bin" / "python"
    code = (
        "from drafting.web import render; import drafting.web.app;"
        "print(render.TEMPLATES_DIR); print(render.STATIC_DIR)"
    )
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    templates, static = (Path(line) for line in out.stdout.splitlines())
    assert installed_venv in templates.parents and installed_venv in static.parents
    assert (templates / "index.html").is_file() and (static / "style.css").is_file() and (static / "app.js").is_file()
