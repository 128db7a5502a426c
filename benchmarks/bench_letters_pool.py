"""Would spreading a batch of letters over processes help? One process against a fork pool, in one run.

Run by hand:

    python benchmarks/bench_letters_pool.py                 # 300 letters, 2,000 projects; 1 and 2 processes
    python benchmarks/bench_letters_pool.py --units 1000 --projects 6000 --repeat 3

Each variant runs cold in its own process: read the meeting folder and ledger, then build, write and
review every letter, either in that process or in a pool of forked workers (each takes a contiguous
share of the units; the parent reads the ledger once, the workers inherit it). Wall and CPU seconds
(the process and its workers), peak RSS of the largest process. Letters are written straight into the
output folder (no staging, no manifest): a prototype to measure, not the build's code path.
No assertions: figures only.
"""

from __future__ import annotations

import argparse
import hashlib
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

_PLAN = None  # the parent's plan, inherited by forked workers


def _write_share(bounds: tuple[int, int]) -> list[tuple[str, str, int]]:
    from drafting.build import _review, _review_config
    from drafting.docx.fast import write_docx_fast

    plan = _PLAN
    config = _review_config(plan)
    done = []
    for output in plan.outputs[bounds[0] : bounds[1]]:
        document = output.build_document()
        output.path.parent.mkdir(parents=True, exist_ok=True)
        write_docx_fast(document, output.path, output.profile)
        report = _review(output, document, config)
        digest = hashlib.sha256(output.path.read_bytes()).hexdigest()
        done.append((output.path.name, digest, len(report.findings) if report else 0))
    return done


def run_variant(folder: Path, out: Path, processes: int) -> None:
    """In this (child) process: the whole batch with ``processes`` workers (1: no pool)."""
    global _PLAN
    from drafting.build import BuildOptions, plan_build

    _PLAN = plan_build(folder, BuildOptions(out_dir=out, only=frozenset({"letters"})))
    count = len(_PLAN.outputs)
    step = -(-count // processes)
    shares = [(i, min(i + step, count)) for i in range(0, count, step)]
    if processes == 1:
        results = [_write_share(share) for share in shares]
    else:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_write_share, shares)
    assert sum(len(r) for r in results) == count


def measure(argv: list[str]) -> tuple[float, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # usage includes the workers the child waited for
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variant", nargs=3, metavar=("FOLDER", "OUT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        run_variant(Path(args.variant[0]), Path(args.variant[1]), int(args.variant[2]))
        return
    root = Path(tempfile.mkdtemp(prefix="drafting-bench-pool-"))
    try:
        folder = make_meeting(root / "会议", args.projects, args.units)
        print(f"ledger: {args.projects} projects, {args.units} units; {os.cpu_count()} cores; "
              f"load {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}; median of {args.repeat}, interleaved")
        figures: dict[int, list[tuple[float, float, float]]] = {n: [] for n in args.processes}
        for _ in range(args.repeat):
            for n in args.processes:  # interleaved, so that other load on the machine hits every variant alike
                out = root / f"out{n}"
                shutil.rmtree(out, ignore_errors=True)
                figures[n].append(measure([sys.executable, __file__, "--variant", str(folder), str(out), str(n)]))
        base = statistics.median(w for w, _, _ in figures[args.processes[0]])
        print(f"{'processes':<10}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}{'wall vs first':>15}")
        for n, runs in figures.items():
            wall = statistics.median(w for w, _, _ in runs)
            cpu = statistics.median(c for _, c, _ in runs)
            rss = max(r for _, _, r in runs)
            print(f"{n:<10}{wall:>9.2f}{cpu:>9.2f}{rss:>13.0f}{base / wall:>14.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
