"""Time writing one big table (the writer must stay linear in rows).

    python benchmarks/bench_table.py [ROWS ...]

Prints seconds per size; no assertions.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from drafting.docx import write_docx
from drafting.document import Document, Table, Title


def main(sizes: list[int]) -> None:
    header = ["序号", "项目名称", "牵头单位", "年度计划", "累计完成", "完成率", "形象进度", "存在问题"]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            rows = [header] + [
                [str(i), f"第{i}号重点项目", "区发展改革局", "2.50", "1.25", "50.0%", "主体结构施工", "无"]
                for i in range(1, size + 1)
            ]
            document = Document(blocks=[Title(["表格"]), Table(rows, caption="表1  全部项目")])
            start = time.perf_counter()
            write_docx(document, Path(tmp) / f"t{size}.docx")
            print(f"{size:>7} rows: {time.perf_counter() - start:6.1f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 20000])
