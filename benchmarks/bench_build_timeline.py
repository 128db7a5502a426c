"""Where one ``drafting build --only letters`` spends its time: wall and CPU seconds at each step.

Run by hand, on a meeting folder (e.g. ``python benchmarks/ledgers.py 大台账 2000x300``):

    python benchmarks/bench_build_timeline.py 大台账 [--jobs 1] [--runs 3]

Each run is a fresh interpreter running the CLI. The build path is imported by the command itself
(after the ledger's read-ahead has started), so the steps are timed by wrapping functions as their
modules load, without importing anything ahead. Printed per step: wall seconds since the start,
this process's CPU seconds and its minor page faults (copy-on-write after the read-ahead's fork shows
there); the read-ahead child's CPU is shown when its result is taken. On two idle CPUs the folder is
loaded at about max(the parent's CPU then, its CPU at the fork + the child's CPU). To time another
revision, put its ``drafting/`` first on PYTHONPATH (benchmarks.revisions.export_drafting).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

DRIVER = r"""
import resource, sys, time
sys.path.append(sys.argv.pop(1))  # the repository, for benchmarks.loadhook (after any PYTHONPATH given)
from benchmarks.loadhook import on_import, wrap
T0, C0 = time.perf_counter(), time.process_time()
marks = []
def mark(name):
    marks.append((time.perf_counter() - T0, time.process_time() - C0, resource.getrusage(resource.RUSAGE_SELF).ru_minflt, name))
def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
WRAP = {"drafting.build": ("plan_build", "write_plan", "review_outputs"), "drafting.folder": ("load_meeting_folder", "load_ledger"),
        "drafting.readahead": ("start_readahead",)}
def timed(module, name):
    wrap(module, name, before=lambda *a, **k: mark(name + " start"), after=lambda *a, **k: mark(name + " end"))
def taken(self, path):
    mark(f"ledger from the read-ahead (taken: {self.taken}; child CPU {children_cpu():.3f} s)")
def loaded(module):
    mark(module.__name__ + " imported")
    for function in WRAP[module.__name__]:
        timed(module, function)
    if module.__name__ == "drafting.readahead":
        wrap(module.LedgerReadahead, "load", after=taken)
on_import(dict.fromkeys(WRAP, loaded))
import drafting.cli
mark("drafting.cli imported")
sys.argv = ["drafting", "build", *sys.argv[1:]]
try:
    drafting.cli.main()
except SystemExit as exc:
    assert not exc.code, exc.code
mark("exit")
for wall, cpu, faults, name in marks:
    print(f"{wall:7.3f} {cpu:7.3f} {faults:7d}  {name}", file=sys.stderr)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        argv = [str(args.folder), "--only", "letters", "-o", str(out), *(["--jobs", args.jobs] if args.jobs else [])]
        for run in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            result = subprocess.run([sys.executable, "-c", DRIVER, str(REPO), *argv], capture_output=True, text=True, cwd=tmp)
            if result.returncode:
                raise SystemExit(result.stderr)
            print(f"run {run + 1}:   wall     CPU  faults  step")
            print(result.stderr, end="")


if __name__ == "__main__":
    main()
