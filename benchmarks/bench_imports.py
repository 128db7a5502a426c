"""Start-up cost of the build path, this checkout beside another revision, in one run.

    .venv/bin/python benchmarks/bench_imports.py [--rev main] [--repeat 9] [--callgrind]

For each revision: ``import click; import drafting.build`` (the build path every build imports
before its work), a cold ``drafting build --only speech`` of the example meeting and a cold
``drafting check`` of a 7,000-character draft, each in fresh processes (interleaved, one
warm-up each, byte-code caches written). Prints the best and median CPU time (user + system)
and the ratio to the other revision; with ``--callgrind`` (valgrind installed) also the
instructions each executes once, which a busy machine does not disturb.
Tests never assert on time; this script is run by hand.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_startup import FIXTURES, make_draft  # noqa: E402
from benchmarks.revisions import ROOT, export_drafting  # noqa: E402

MAIN = "import sys; sys.argv = ['drafting', *sys.argv[1:]]; from drafting.cli import main; main()"


def _env(tree: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    return dict(env, PYTHONPATH=str(tree), XDG_CACHE_HOME=str(cache))


def _cpu(command: list[str], tree: Path, env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        sys.exit(f"{command} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _instructions(command: list[str], tree: Path, env: dict[str, str], work: Path) -> int:
    out = work / "callgrind.out"
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
    )
    match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
    out.unlink()
    return int(match.group(1)) if match else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", default="main", help="the revision to compare with (default main)")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--callgrind", action="store_true", help="also count instructions (valgrind; slow)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drafting-bench-imports-"))
    other = export_drafting(args.rev, "drafting-bench-rev-")
    try:
        for name in ("templates", "corpus"):  # built-in data beside the package, as in a checkout
            (other / name).symlink_to(ROOT / name)
        trees = {"this checkout": ROOT, args.rev: other}
        py = sys.executable
        draft = make_draft(work / "draft.txt")
        meeting = work / "meeting"
        subprocess.run([py, "-c", MAIN, "example", str(meeting)], cwd=ROOT, env=_env(ROOT, work / "cache"), check=True, stdout=subprocess.DEVNULL)
        commands = {
            "import drafting.build": [py, "-c", "import click; import drafting.build"],
            "build --only speech": [py, "-c", MAIN, "build", str(meeting), "--only", "speech", "--force", "-o", str(work / "out")],
            "check (7,000 chars)": [py, "-c", MAIN, "check", str(draft), "--priorities", str(FIXTURES / "priorities.yaml")],
        }
        print(f"nproc {os.cpu_count()}  load {os.getloadavg()[0]:.1f}  python {sys.version.split()[0]}  repeat {args.repeat}")
        for label, command in commands.items():
            cpus: dict[str, list[float]] = {name: [] for name in trees}
            envs = {name: _env(tree, work / f"cache-{i}") for i, (name, tree) in enumerate(trees.items())}
            for name, tree in trees.items():  # warm-up: byte code, user caches
                _cpu(command, tree, envs[name])
            for _ in range(args.repeat):
                for name, tree in trees.items():
                    cpus[name].append(_cpu(command, tree, envs[name]))
            ours, theirs = (cpus[name] for name in trees)
            line = (
                f"{label:<26} cpu best {min(ours):.3f} s, median {statistics.median(ours):.3f} s   "
                f"{args.rev}: best {min(theirs):.3f} s, median {statistics.median(theirs):.3f} s   "
                f"ratio {min(ours) / min(theirs):.2f} (median {statistics.median(ours) / statistics.median(theirs):.2f})"
            )
            if args.callgrind and shutil.which("valgrind"):
                ir = {name: _instructions(command, tree, envs[name], work) for name, tree in trees.items()}
                mine, base = ir.values()
                line += f"   instructions {mine / 1e6:.0f} M vs {base / 1e6:.0f} M ({(mine - base) / base:+.1%})"
            print(line, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)


if __name__ == "__main__":
    main()
