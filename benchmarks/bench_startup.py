"""Cold starts and check throughput, each beside its comparison figure from the same run.

    .venv/bin/python benchmarks/bench_startup.py [--repeat 7]
    .venv/bin/python benchmarks/bench_startup.py --profile [--keywords 10]

Prints, for each target of issue 11: our figure, the comparison figure, the ratio
and the peak RSS. Each command runs in fresh processes (caches warm: the first run
of each is a discarded warm-up); the figure is the median wall time, with the
median CPU time (user + system) beside it, which is steadier on a busy machine.
Tests never assert on time; this script is run by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "check"
BIN = Path(sys.executable).parent
DRAFTING = str(BIN / "drafting") if (BIN / "drafting").exists() else None


def _child(repeat: int, command: list[str]) -> None:
    """Run ``command`` ``repeat`` times; print wall/CPU times and the children's peak RSS as JSON."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if result.returncode not in (0, 1):
            sys.exit(f"{command} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(json.dumps({"walls": walls, "cpus": cpus, "rss_mb": rss / 1024}))


def measure(command: list[str], repeat: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall and CPU seconds of ``command`` over ``repeat`` runs after one warm-up; peak RSS in MB."""
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # warm caches
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(repeat), "--", *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    return {"wall": statistics.median(data["walls"]), "cpu": statistics.median(data["cpus"]), "rss": data["rss_mb"]}


def _line(label: str, ours: dict[str, float], other: dict[str, float] | None, target: str) -> None:
    if other is None:
        print(f"{label:<26}{ours['wall']:7.3f} s (cpu {ours['cpu']:.3f} s) {ours['rss']:6.0f} MB   target {target}")
        return
    print(
        f"{label:<26}{ours['wall']:7.3f} s (cpu {ours['cpu']:.3f} s) {ours['rss']:6.0f} MB   "
        f"vs {other['wall']:.3f} s (cpu {other['cpu']:.3f} s) {other['rss']:.0f} MB   "
        f"ratio {ours['wall'] / other['wall']:.2f} (cpu {ours['cpu'] / other['cpu']:.2f})   target {target}"
    )


def make_draft(path: Path, chars: int = 7000) -> Path:
    """A realistic draft of about ``chars`` characters: the fixture speech, its body repeated."""
    lines = (FIXTURES / "correct_speech.txt").read_text(encoding="utf-8").strip().splitlines()
    body, i = list(lines), 3
    while sum(len(line) for line in body) < chars:
        body.append(lines[3 + (i - 3) % (len(lines) - 3)])
        i += 1
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def make_drafts(folder: Path, count: int = 200, distinct_clauses: bool = False) -> list[Path]:
    """``count`` drafts of varied length and content from the fixtures and the corpus samples.

    The tokenizer cuts each distinct clause (run of Han characters, letters and digits) once;
    with ``distinct_clauses`` every clause of a draft carries the draft's number, so no clause
    is shared between drafts and each draft is cut afresh (the worst case for that reuse).
    """
    sources = [FIXTURES / "correct_speech.txt", FIXTURES / "flawed_speech.txt"]
    sources += sorted((ROOT / "corpus" / "samples").rglob("*.txt")) + sorted((ROOT / "corpus" / "samples").rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        text = "\n".join(texts[(n + k) % len(texts)] for k in range(1 + n % 3))
        # no two drafts share a paragraph, so nothing is cut once for several drafts
        text = "\n".join(f"{line}（第{n + 1}稿）" if line.strip() else line for line in text.splitlines())
        if distinct_clauses:
            text = re.sub(r"(?<=[\u4e00-\u9fff])(?=[，。；：、！？])", str(n + 1), text)
        path = folder / f"稿{n:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


THROUGHPUT = """
import resource, sys, time
from pathlib import Path
from drafting.check import CheckConfig, check_files
from drafting.priorities import load_priorities
paths = sorted(Path(sys.argv[1]).glob("*.txt"))
priorities = load_priorities(Path(sys.argv[2]))
size = sum(p.stat().st_size for p in paths)
for keywords in [int(sys.argv[3])]:
    config = CheckConfig(priorities=priorities, keyword_count=keywords)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    report = check_files(paths, config)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    findings = sum(len(f.findings) for f in report.files)
    print(f"keywords {keywords:>2}: {len(paths)} drafts, {size / 1024:.0f} KB, {findings} findings: "
          f"{wall:.2f} s, {size / 1024 / wall:.0f} KB/s (cpu {cpu:.2f} s, {size / 1024 / cpu:.0f} KB/s)")
"""


PROFILE = """
import cProfile, pstats, sys
from pathlib import Path
from drafting.check import CheckConfig, check_files
from drafting.priorities import load_priorities
from drafting.tokens import get_tokenizer
paths = sorted(Path(sys.argv[1]).glob("*.txt"))
config = CheckConfig(priorities=load_priorities(Path(sys.argv[2])), keyword_count=int(sys.argv[3]))
get_tokenizer()
profile = cProfile.Profile()
profile.runcall(check_files, paths, config)
stats = pstats.Stats(profile)
stats.sort_stats("tottime").print_stats(25)
stats.sort_stats("cumulative").print_stats(25)
"""


def profile(keywords: str) -> None:
    """cProfile of the check over the drafts that share no clause, in one process, after the tokenizer start."""
    root = Path(tempfile.mkdtemp(prefix="drafting-profile-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(root / "cache"))
    try:
        folder = root / "distinct"
        make_drafts(folder, distinct_clauses=True)
        subprocess.run([sys.executable, "-c", PROFILE, str(folder), str(FIXTURES / "priorities.yaml"), keywords], env=env, check=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def throughput(repeat: int) -> None:
    """Only the throughput lines, interleaved ``repeat`` times (each in a fresh process with a warm index)."""
    root = Path(tempfile.mkdtemp(prefix="drafting-bench-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(root / "cache"))
    priorities = str(FIXTURES / "priorities.yaml")
    try:
        make_drafts(root / "drafts")
        make_drafts(root / "distinct", distinct_clauses=True)
        runs = [("check throughput", root / "drafts", "10"), ("", root / "drafts", "0"), ("  no clause shared", root / "distinct", "10")]
        subprocess.run([sys.executable, "-c", THROUGHPUT, str(root / "drafts"), priorities, "0"], env=env, capture_output=True, check=True)  # builds the index
        print(f"{time.strftime('%Y-%m-%d %H:%M')}  nproc {os.cpu_count()}  load {os.getloadavg()[0]:.1f}  python {sys.version.split()[0]}")
        for _ in range(repeat):
            for label, drafts, keywords in runs:
                out = subprocess.run([sys.executable, "-c", THROUGHPUT, str(drafts), priorities, keywords], env=env, capture_output=True, text=True, check=True)
                print(f"{label:<26}{out.stdout.strip()}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="only profile the check of drafts that share no clause (cProfile)")
    parser.add_argument("--keywords", default="10", help="keywords per draft for --profile")
    parser.add_argument("--throughput", action="store_true", help="only the check throughput lines, each run --repeat times")
    args = parser.parse_args()
    if args.profile:
        profile(args.keywords)
        return
    if DRAFTING is None:
        sys.exit("run with the project's environment: .venv/bin/python benchmarks/bench_startup.py")
    if args.throughput:
        throughput(args.repeat)
        return
    root = Path(tempfile.mkdtemp(prefix="drafting-bench-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(root / "cache"), PYTHONDONTWRITEBYTECODE="")
    py = sys.executable
    try:
        draft = make_draft(root / "draft.txt")
        priorities = str(FIXTURES / "priorities.yaml")
        chars = len(draft.read_text(encoding="utf-8"))
        print(f"{time.strftime('%Y-%m-%d %H:%M')}  nproc {os.cpu_count()}  load {os.getloadavg()[0]:.1f}  "
              f"python {sys.version.split()[0]}  repeat {args.repeat}")
        bare = measure([py, "-c", "import jieba,sys; jieba.lcut(open(sys.argv[1], encoding='utf-8').read())", str(draft)], args.repeat, env)
        check = measure([DRAFTING, "check", str(draft), "--priorities", priorities], args.repeat, env)
        _line(f"check ({chars} chars)", check, bare, "ratio <= 0.6 vs bare jieba")
        version = measure([DRAFTING, "--version"], args.repeat, env)
        _line("--version", version, None, "< 0.3 s")
        helps = measure([DRAFTING, "--help"], args.repeat, env)
        _line("--help", helps, None, "< 0.3 s")
        meeting = root / "meeting"
        subprocess.run([DRAFTING, "example", str(meeting)], check=True, stdout=subprocess.DEVNULL, env=env)
        speech = measure([DRAFTING, "build", str(meeting), "--only", "speech", "--force"], args.repeat, env)
        _line("build --only speech", speech, None, "< 1.0 s")
        folder = root / "drafts"
        make_drafts(folder)
        distinct = root / "distinct"
        make_drafts(distinct, distinct_clauses=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        runs = [("check throughput", folder, "10"), ("", folder, "0"), ("  no clause shared", distinct, "10")]
        for label, drafts, keywords in runs:  # one process each: a later run would reuse an earlier one's cuts
            out = subprocess.run([py, "-c", THROUGHPUT, str(drafts), priorities, keywords], env=env, capture_output=True, text=True, check=True)
            print(f"{label:<26}{out.stdout.strip()}")
        rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        print(f"{'':<26}peak {rss:.0f} MB (max of this and earlier children)   target >= 500 KB/s; each figure includes the tokenizer start")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), sys.argv[4:])
    else:
        main()
