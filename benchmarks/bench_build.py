"""Time `drafting build` on the example meeting and on a large generated ledger.

Run by hand:  python benchmarks/bench_build.py [--units 300]
Prints seconds per stage and per document; no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from drafting.build import BuildOptions, plan_build, review_outputs, write_plan
from drafting.example import write_example


def enlarge_ledger(xlsx: Path, units: int, per_unit: int) -> int:
    """Replace the example ledger's rows with units × per_unit generated projects."""
    book = load_workbook(xlsx)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    template = [c.value for c in sheet[2]]
    sheet.delete_rows(2, sheet.max_row)
    col = {name: i for i, name in enumerate(header)}
    for u in range(units):
        for p in range(per_unit):
            row = list(template)
            row[col["项目名称"]] = f"第{u + 1}单位第{p + 1}号项目"
            row[col["牵头单位"]] = f"测试单位{u + 1:03d}"
            sheet.append(row)
    book.save(xlsx)
    return units * per_unit


def timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<28}{elapsed:8.2f} s")
    return value, elapsed


def bench(folder: Path, label: str) -> None:
    print(f"== {label}")
    plan, t_plan = timed("load + templates + model", lambda: plan_build(folder, BuildOptions(combined=True)))
    _, t_write = timed("write docx + manifest", lambda: write_plan(plan, force=True))
    timed("review (placeholder etc.)", lambda: review_outputs(plan))
    n = len(plan.outputs)
    print(f"{'documents':<28}{n:8d}")
    print(f"{'per document':<28}{(t_plan + t_write) / n * 1000:8.1f} ms")
    print(f"{'write share':<28}{t_write / (t_plan + t_write):8.1%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--per-unit", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="drafting-bench-"))
    try:
        example = root / "example"
        write_example(example)
        bench(example, "example meeting")
        large = root / "large"
        write_example(large)
        count = enlarge_ledger(large / "projects.xlsx", args.units, args.per_unit)
        bench(large, f"{args.units} units, {count} projects ({dt.date.today()})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
