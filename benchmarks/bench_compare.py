"""Time ``drafting compare`` on long drafts: the corpus samples stitched into an old and a new text.

    python benchmarks/bench_compare.py [COPIES]

The new text is the old one with every third sentence's figures changed and
every fifth paragraph written backwards (new text). Prints figures only;
tests never assert on time. Doubling COPIES should roughly double the time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from drafting.compare import compare_files
from drafting.resources import corpus_dir


def main(copies: int) -> None:
    samples = sorted((corpus_dir() / "samples").glob("*.txt"))
    lines = [line for path in samples for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    old_lines, new_lines = [], []
    for copy in range(copies):
        for index, line in enumerate(lines):
            tag = f"第{copy}份"
            line = line.replace("。", f"，{tag}。")  # every sentence differs from copy to copy
            old_lines.append(line)
            if index % 5 == 0:
                line = line[::-1]  # not in the old text
            elif index % 3 == 0:
                line = line.replace("1", "2").replace("3", "5")
            new_lines.append(line)
    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "old.txt", Path(tmp) / "new.txt"
        old.write_text("\n".join(old_lines), encoding="utf-8")
        new.write_text("\n".join(new_lines), encoding="utf-8")
        start = time.perf_counter()
        result = compare_files(old, new)
        took = time.perf_counter() - start
    print(f"{copies} copies: {result.total} new sentences, share {result.share:.1%}, {took:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
