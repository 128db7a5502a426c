"""Letters built on a house file (版式/责任书.docx) against the same letters without one.

Run by hand from the repository root:

    python benchmarks/bench_house.py            # 300 letters from a 2,000-project ledger
    python benchmarks/bench_house.py --units 1000

Each side is one `drafting build --only letters` process, cold; wall seconds
and peak RSS are printed. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root
from benchmarks.bench_letters import run_measured  # noqa: E402
from benchmarks.ledgers import make_meeting  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    drafting = str(Path(sys.executable).with_name("drafting"))
    with tempfile.TemporaryDirectory(prefix="bench-house-") as work:
        plain = make_meeting(Path(work) / "plain", args.projects, args.units)
        house = Path(work) / "house"
        shutil.copytree(plain, house)
        (house / "版式").mkdir()
        shutil.copyfile(house / "版式示例.docx", house / "版式" / "责任书.docx")
        for name, folder in (("without house file", plain), ("on 版式/责任书.docx", house)):
            wall, cpu, rss = run_measured([drafting, "build", str(folder), "--only", "letters"])
            count = len(list((folder / "输出" / "目标责任书").glob("*.docx")))
            print(f"{name:22} {count} letters  {wall:6.1f} s wall  {cpu:6.1f} s CPU  {1000 * wall / count:6.1f} ms/letter  {rss:5.0f} MB")


if __name__ == "__main__":
    main()
