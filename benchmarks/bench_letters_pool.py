"""Does `drafting build --jobs` pay? The build's letters in one process against its own fork pool, in one run.

Run by hand:

    python benchmarks/bench_letters_pool.py                 # 300 letters, 2,000 projects; --jobs 1 and the default
    python benchmarks/bench_letters_pool.py --jobs 1 2 auto --units 1000 --projects 6000 --repeat 5
    python benchmarks/bench_letters_pool.py --units 41 --projects 300   # just above the pool's threshold

Each variant is a cold `drafting build --only letters` in its own process (reading the ledger, building,
writing, reviewing every letter, staging and the manifest), with `--jobs N`, or without it for the
default ("auto": one worker per usable CPU, drafting.build_pool). Runs are interleaved, so that other
load on the machine hits every variant alike; figures are medians: wall and CPU seconds (the build and
its workers, which it waits for), peak RSS of the largest of those processes. The letters of every
variant are compared byte for byte with the first's. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root
from benchmarks.ledgers import make_meeting  # noqa: E402


def measure(argv: list[str]) -> tuple[float, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # includes the workers the build waited for
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def build_command(folder: Path, out: Path, jobs: str) -> list[str]:
    code = "from drafting.cli import main; main()"
    command = [sys.executable, "-c", code, "build", str(folder), "--only", "letters", "-o", str(out)]
    return command if jobs == "auto" else [*command, "--jobs", jobs]


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--jobs", nargs="+", default=["1", "auto"], help="variants: numbers or auto (the default)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from drafting.build_pool import usable_cpus

    root = Path(tempfile.mkdtemp(prefix="drafting-bench-pool-"))
    try:
        folder = make_meeting(root / "会议", args.projects, args.units)
        print(f"ledger: {args.projects} projects, {args.units} units; {usable_cpus()} usable CPUs; "
              f"load {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}; median of {args.repeat}, interleaved")
        figures: dict[str, list[tuple[float, float, float]]] = {jobs: [] for jobs in args.jobs}
        reference: dict[str, bytes] | None = None
        for _ in range(args.repeat):
            for jobs in args.jobs:
                out = root / f"out-{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                figures[jobs].append(measure(build_command(folder, out, jobs)))
                written = files(out)
                if reference is None:
                    reference = written
                elif written != reference:
                    raise SystemExit(f"--jobs {jobs} wrote different files")
        print(f"load after: {os.getloadavg()[0]:.1f}; every variant's letters and manifest identical")
        base = statistics.median(w for w, _, _ in figures[args.jobs[0]])
        print(f"{'jobs':<8}{'wall s':>9}{'best':>8}{'CPU s':>9}{'peak RSS MB':>13}{'wall vs first':>15}")
        for jobs, runs in figures.items():
            wall = statistics.median(w for w, _, _ in runs)
            best = min(w for w, _, _ in runs)
            cpu = statistics.median(c for _, c, _ in runs)
            rss = max(r for _, _, r in runs)
            print(f"{jobs:<8}{wall:>9.2f}{best:>8.2f}{cpu:>9.2f}{rss:>13.0f}{base / wall:>14.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
