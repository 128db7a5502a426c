"""Another revision's code beside this checkout's, for before/after figures in one run."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def export_drafting(rev: str, prefix: str) -> Path:
    """A new temporary folder holding ``drafting/`` as it is at git revision ``rev`` (the caller removes it);
    run code there with it as the working directory (or on PYTHONPATH)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    archive = subprocess.run(["git", "archive", rev, "drafting"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder
