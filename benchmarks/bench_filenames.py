"""Time `safe_filenames` on many unit names (run by hand; no assertions).

    python benchmarks/bench_filenames.py [--count 10000]
"""

from __future__ import annotations

import argparse
import time

from drafting.filenames import safe_filenames


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    cases = {
        "distinct": [f"测试单位{i:05d}" for i in range(args.count)],
        "all the same": ["区发改局"] * args.count,
    }
    for label, names in cases.items():
        start = time.perf_counter()
        result = safe_filenames(names)
        elapsed = time.perf_counter() - start
        assert len({n.casefold() for n in result}) == len(names)
        print(f"{label:>12}: {len(names)} names in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
