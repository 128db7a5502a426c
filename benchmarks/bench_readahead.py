"""``drafting build --only letters`` with and without reading the ledger ahead (drafting.readahead), per ledger size.

Each run is a fresh interpreter running the CLI; runs with and without alternate. Printed per size: the
ledger's bytes, the median wall time until the meeting folder is loaded (the read-ahead's whole gain is
there), the median wall time of the command, and the median CPU time of the process and its children, and of the process alone.
Wall figures are noisy on a shared machine: compare medians of several runs.

    python benchmarks/bench_readahead.py [--repeat 5] [--sizes 34,100,250,500,1000,2000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.ledgers import make_meeting  # noqa: E402
from drafting.example import write_example  # noqa: E402

# In a fresh interpreter: force the read-ahead on or off (MIN_BYTES) when drafting.readahead loads, note
# when load_meeting_folder returns, run the CLI, print the figures as JSON.
DRIVER = r"""
import json, os, resource, sys, time
T0 = time.perf_counter()
from benchmarks.loadhook import on_import, wrap
mode, folder, out = sys.argv[1:4]
marks = {}
def force(module):
    module.MIN_BYTES = 0 if mode == "on" else 1 << 60
def loaded(*args, **kwargs):
    marks["loaded"] = time.perf_counter() - T0
on_import({"drafting.readahead": force, "drafting.folder": lambda module: wrap(module, "load_meeting_folder", after=loaded)})
sys.argv = ["drafting", "build", folder, "--only", "letters", "-o", out]
from drafting.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
wall = time.perf_counter() - T0
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
parent, children = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
sys.stderr.write(json.dumps({"loaded": marks["loaded"], "wall": wall, "cpu": parent + children, "parent": parent}) + "\n")
"""


def run(mode: str, folder: Path, out: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run([sys.executable, "-c", DRIVER, mode, str(folder), str(out)], capture_output=True, text=True, cwd=REPO)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="34,100,250,500,1000,2000", help="projects per ledger; 34: the example meeting's own")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{'projects':>8} {'xlsx KB':>8} | {'loaded at (s)':>15} | {'command wall (s)':>17} | {'CPU (s)':>13} | {'parent CPU':>13}")
        print(f"{'':>8} {'':>8} | {'serial':>7} {'ahead':>7} | {'serial':>8} {'ahead':>8} | {'serial':>6} {'ahead':>6} | {'serial':>6} {'ahead':>6}")
        for size in (int(n) for n in args.sizes.split(",")):
            folder = root / f"m{size}"
            if size == 34:
                write_example(folder)
            else:
                make_meeting(folder, size, max(4, min(300, size // 7)))
            runs: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
            run("on", folder, root / "out")  # warm the user caches and the file cache
            for _ in range(args.repeat):
                for mode in ("off", "on"):
                    runs[mode].append(run(mode, folder, root / "out"))
            med = {mode: {key: statistics.median(r[key] for r in rs) for key in ("loaded", "wall", "cpu", "parent")} for mode, rs in runs.items()}
            kb = (folder / "projects.xlsx").stat().st_size / 1024
            print(
                f"{size:>8} {kb:>8.0f} | {med['off']['loaded']:>7.3f} {med['on']['loaded']:>7.3f} | "
                f"{med['off']['wall']:>8.3f} {med['on']['wall']:>8.3f} | {med['off']['cpu']:>6.3f} {med['on']['cpu']:>6.3f} | "
                f"{med['off']['parent']:>6.3f} {med['on']['parent']:>6.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
