"""Time and peak memory of `drafting build` on hostile templates (tests/test_template_sandbox.py has the same attacks).

Run by hand (Linux, needs /usr/bin/time):  python benchmarks/bench_template_attacks.py
Each attack is put in templates/speech.gw.j2 of a copy of the small test meeting
and built in a fresh process; prints exit status, seconds and peak RSS in MB.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SMALL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "speech" / "small_meeting"

ATTACKS = {
    "baseline (built-in templates)": None,
    "nested range loops": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "10**(10**10)": "{{ 10**(10**10) }}",
    "'x' * 10**10": "{{ 'x' * 10**10 }}",
    "[1, 2] * 10**9": "{{ [1, 2] * 10**9 }}",
    "doubling with ~": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "output flood": "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
    "literal flood": "{% for i in range(100000) %}" + "字" * 1000 + "{% endfor %}",
    "replace bomb": "{{ ('x' * 1000)|replace('', 'y' * 100000) }}",
    "join bomb": "{{ (['x' * 10000] * 10000)|join }}",
    "self include": '{% include "speech.gw.j2" %}',
    "macro recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "pickle via parse_raw": '{{ meeting.parse_raw("x", proto="pickle", allow_pickle=True) }}',
}


def run(name: str, attack: str | None, work: Path) -> None:
    folder = work / re.sub(r"\W+", "_", name)
    shutil.copytree(SMALL, folder)
    if attack is not None:
        (folder / "templates").mkdir()
        (folder / "templates" / "speech.gw.j2").write_text(f"::title 标题\n{attack}\n", encoding="utf-8")
    cli = "from drafting.cli import main; main()"
    command = ["/usr/bin/time", "-v", sys.executable, "-c", cli, "build", str(folder), "--only", "speech"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    seconds = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    elapsed = float(seconds.group(2)) * 60 + float(seconds.group(3)) if seconds else float("nan")
    message = next((line for line in result.stderr.splitlines() if line.startswith("错误")), "")
    print(f"{name:32} exit {result.returncode}  {elapsed:6.2f} s  {int(rss.group(1)) / 1024 if rss else 0:7.1f} MB  {message[:70]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, attack in ATTACKS.items():
            run(name, attack, Path(tmp))


if __name__ == "__main__":
    main()
