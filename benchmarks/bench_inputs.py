"""Time and peak memory of `drafting build` / `drafting check` on hostile and large inputs (issue 7).

Run by hand:  python benchmarks/bench_inputs.py [--source DIR] [--only NAME ...] [--timeout S] [--memory-gb G]
``--source`` runs another checkout's code (e.g. `git archive main | tar -x -C /tmp/before`) for "before" figures.
Each case runs in a child process under a wall-clock timeout and an address-space cap, so a case that
would eat the machine is stopped and reported as such ("MemoryError"/killed). Prints one line per case:
exit status, wall time, CPU time, peak RSS (the larger of the case and the `drafting example` that
prepared its folder, ~60 MB), number of output lines and the first line; no assertions.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402

CLI = "import sys; from drafting.cli import main; sys.argv[0] = 'drafting'; main()"
LOAD = "import sys; from pathlib import Path; from drafting.ledger import load_ledger; print(len(load_ledger(Path(sys.argv[1])).projects))"


def example(folder: Path) -> Path:
    subprocess.run([sys.executable, "-c", CLI, "example", str(folder)], check=True, capture_output=True, cwd=ROOT)
    return folder


def set_meeting(folder: Path, block: str, key: str, value: str) -> None:
    path = folder / "meeting.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[block] = {**(data.get(block) or {}), key: "VALUE"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True).replace("VALUE", value), encoding="utf-8")


def big_meeting(folder: Path, megabytes: int) -> None:
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    item = "  - 各街道和有关部门作了表态发言，签订了重点项目建设目标责任书\n"
    lines = item * (megabytes * 1024 * 1024 // len(item.encode()))
    path.write_text(text.replace("earlier:\n", "earlier:\n" + lines, 1), encoding="utf-8")


def replace_ledger(make: Callable[[Path], object]) -> Callable[[Path], list[str]]:
    def prepare(work: Path) -> list[str]:
        folder = example(work / "会议")
        (folder / "projects.xlsx").unlink()
        make(folder / "projects.xlsx")
        return ["build", str(folder)]

    return prepare


def in_folder(edit: Callable[[Path], object]) -> Callable[[Path], list[str]]:
    def prepare(work: Path) -> list[str]:
        folder = example(work / "会议")
        edit(folder)
        return ["build", str(folder)]

    return prepare


def draft(name: str, make: Callable[[Path], object]) -> Callable[[Path], list[str]]:
    def prepare(work: Path) -> list[str]:
        path = work / name
        make(path)
        return ["check", str(path)]

    return prepare


def write(name: str, text: str) -> Callable[[Path], object]:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


CASES: dict[str, Callable[[Path], list[str]]] = {
    "yaml-alias-bomb-priorities": in_folder(write("priorities.yaml", hostile.yaml_alias_bomb())),
    "yaml-alias-bomb-meeting": in_folder(write("meeting.yaml", hostile.yaml_alias_bomb())),
    "yaml-recursive-alias": in_folder(write("priorities.yaml", hostile.yaml_recursive_alias())),
    "yaml-100000-brackets": in_folder(write("meeting.yaml", hostile.yaml_nested_brackets())),
    "yaml-60MB-meeting": in_folder(lambda f: big_meeting(f, 60)),
    "unstarted-months-100000": in_folder(lambda f: set_meeting(f, "notice", "unstarted_months", "100000")),
    "xlsx-cell-at-XFD1048576": replace_ledger(hostile.ledger_with_far_cell),
    "xlsx-zip-bomb-1M-rows": replace_ledger(hostile.ledger_zip_bomb),
    "xlsx-surrogate-cell": replace_ledger(lambda p: hostile.ledger_with_cells(p, {"B2": "区_xD800_局"})),
    "xlsx-amount-1e30": replace_ledger(lambda p: hostile.ledger_with_cells(p, {"C2": 1e30})),
    "docx-bomb-345MB": draft("稿.docx", hostile.docx_bomb),
    "txt-big5": draft("稿.txt", lambda p: p.write_bytes(hostile.BIG5_NOTICE.encode("big5"))),
}


def honest(rows: int) -> Callable[[Path], list[str]]:
    def prepare(work: Path) -> list[str]:
        path = work / "projects.xlsx"
        hostile.honest_ledger(path, rows)
        return ["--load", str(path)]

    return prepare


CASES["ledger-5000-rows-load"] = honest(5_000)
CASES["ledger-100000-rows-load"] = honest(100_000)


def run(name: str, source: Path, timeout: float, memory: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-inputs-") as tmp:
        work = Path(tmp)
        args = CASES[name](work)
        code = [sys.executable, "-c", LOAD, args[1]] if args[0] == "--load" else [sys.executable, "-c", CLI, *args]
        env = {**os.environ, "PYTHONPATH": str(source)}

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        start = time.perf_counter()
        process = subprocess.Popen(code, env=env, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit)
        try:
            out, err = process.communicate(timeout=timeout)
            status = str(process.returncode)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            status = f"killed after {timeout:.0f} s"
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        text = (err or out).decode("utf-8", "replace")
        lines = text.splitlines()
        first = (lines[0] if lines else "")[:110]
        print(f"{name:<30} exit {status:<18} {elapsed:7.1f} s  cpu {usage.ru_utime - before:7.1f} s  "
              f"peak {usage.ru_maxrss / 1024:7.0f} MB  lines {len(lines):>8}  {first}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout whose drafting package runs")
    parser.add_argument("--only", nargs="*", default=list(CASES))
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--memory-gb", type=float, default=4)
    options = parser.parse_args()
    for name in options.only:
        # one child per case: RUSAGE_CHILDREN is cumulative, so measure each in a fresh interpreter
        subprocess.run(
            [sys.executable, __file__, "--single", name, str(options.source), str(options.timeout), str(options.memory_gb)],
            check=False,
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--single":
        _, _, case, source, timeout, memory_gb = sys.argv
        run(case, Path(source), float(timeout), int(float(memory_gb) * 1024**3))
    else:
        main()
