"""Time and peak memory of loading a meeting folder with a large generated ledger.

Run by hand from the repository root:

    .venv/bin/python benchmarks/bench_ledger.py [--sizes 2000 20000 100000] [--repeat 3] [--keep DIR] [--base REV]

For each size, a meeting folder is generated once (``benchmarks.ledgers``: PROJECTS across
PROJECTS/10 units, between 300 and 3,000), then loaded with ``drafting.folder.load_meeting_folder`` in
fresh processes: the median wall and CPU seconds, and the peak RSS of the loading process (from
``wait4``). ``--tracemalloc`` prints, for the largest size, where the Python allocations at the
peak were made. ``--base REV`` loads the same folders with ``drafting/`` as it was at git revision
REV as well (before/after in one run). No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

LOAD = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
cpu0 = time.process_time()
from drafting.folder import load_meeting_folder
folder = load_meeting_folder(Path(sys.argv[1]))
wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
import drafting
print(json.dumps({"projects": len(folder.ledger.projects), "wall": wall, "cpu": cpu, "code": drafting.__file__}))
"""

TRACE = """
import sys, tracemalloc
from pathlib import Path
tracemalloc.start(8)
from drafting.folder import load_meeting_folder
folder = load_meeting_folder(Path(sys.argv[1]))
current, peak = tracemalloc.get_traced_memory()
print(f"traced now {current / 2**20:.0f} MB (the loaded folder), peak {peak / 2**20:.0f} MB")
for stat in tracemalloc.take_snapshot().statistics("lineno")[:12]:
    print(f"  {stat.size / 2**20:7.1f} MB  {stat.count:>9}  {stat.traceback[0]}")
"""


def run_once(folder: Path, code: Path = ROOT) -> dict[str, Any]:
    """Load ``folder`` in a fresh process with the ``drafting`` package in ``code``; its own wall/CPU
    time (imports included) and peak RSS."""
    process = subprocess.Popen(
        [sys.executable, "-c", LOAD, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code
    )
    _, status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        sys.exit(f"loading {folder} failed: {err[-800:]}")
    result = json.loads(out)
    if not str(result["code"]).startswith(str(code)):
        sys.exit(f"loaded drafting from {result['code']}, not {code}")
    result["rss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the folders here and keep them (reused when present)")
    parser.add_argument("--base", help="also load with drafting/ as at this git revision (e.g. main)")
    parser.add_argument("--tracemalloc", action="store_true", help="where the memory goes, for the largest size")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from benchmarks.ledgers import make_meeting
    from benchmarks.revisions import export_drafting

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    codes = {"this": ROOT}
    base_dir = None
    if args.base:
        base_dir = export_drafting(args.base, prefix="bench-ledger-base-")
        codes = {args.base: base_dir, "this": ROOT}
    load = os.getloadavg()[0]
    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC  nproc {os.cpu_count()}  load {load:.1f}  "
          f"python {platform.python_version()}  repeat {args.repeat}")
    print(f"{'code':<10} {'projects':>9} {'xlsx MB':>8} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    try:
        for size in args.sizes:
            folder = root / f"m{size}"
            if not (folder / "projects.xlsx").is_file():
                make_meeting(folder, size, max(300, min(size // 10, 3000)))
            xlsx = (folder / "projects.xlsx").stat().st_size / 2**20
            for label, code in codes.items():
                runs = [run_once(folder, code) for _ in range(args.repeat)]
                wall = statistics.median(r["wall"] for r in runs)
                cpu = statistics.median(r["cpu"] for r in runs)
                rss = max(r["rss_mb"] for r in runs)
                print(f"{label:<10} {runs[0]['projects']:>9} {xlsx:>8.1f} {wall:>8.2f} {cpu:>8.2f} {rss:>12.0f}", flush=True)
        if args.tracemalloc:
            folder = root / f"m{max(args.sizes)}"
            subprocess.run([sys.executable, "-c", TRACE, str(folder)], cwd=ROOT, check=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
        if base_dir is not None:
            shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
