"""openpyxl against python-calamine on generated workbooks: values cell by cell, and read time.

    .venv/bin/pip install python-calamine   # not a project dependency
    .venv/bin/python benchmarks/compare_xlsx_readers.py

Cases: integers vs floats, dates and date-times in the 1900 and 1904 systems,
error values, a formula without a saved result, merged cells, text that looks
like a number. Prints every differing cell, then the read time of a 2,000-project ledger.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.ledgers import write_ledger  # noqa: E402


def make(path: Path, epoch: dt.datetime | None) -> Path:
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.append(["名称", "整数", "小数", "日期", "日期时间", "错误", "公式", "文本数字", "布尔"])
    sheet.append(["甲", 18, 1.05, dt.date(2025, 4, 18), dt.datetime(2025, 6, 1, 8, 30), "#DIV/0!", "=B2*2", "0012", True])
    sheet.append(["乙", 0, 0.1 + 0.2, dt.datetime(1904, 1, 2), None, "#N/A", None, "1e3", False])
    sheet["F2"].data_type = sheet["F3"].data_type = "e"
    sheet.merge_cells("A4:A5")
    sheet["A4"] = "合并"
    book.save(path)
    return path


def main() -> None:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        sys.exit("pip install python-calamine first (only this comparison uses it)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, epoch in (("1900", None), ("1904", CALENDAR_MAC_1904)):
            path = make(Path(tmp) / f"d{name}.xlsx", epoch)
            ours = [list(r) for r in load_workbook(path, data_only=True).active.iter_rows(values_only=True)]
            theirs = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            for r, (a, b) in enumerate(zip(ours, theirs), start=1):
                for c, (x, y) in enumerate(zip(a, b), start=1):
                    if x != y or type(x) is not type(y):
                        print(f"{name} R{r}C{c}: openpyxl {x!r}  calamine {y!r}")
        big = write_ledger(Path(tmp) / "big.xlsx", 2000, 300)
        for _ in range(2):
            start = time.perf_counter()
            load_workbook(big, data_only=True).active
            middle = time.perf_counter()
            CalamineWorkbook.from_path(str(big)).get_sheet_by_index(0).to_python()
            end = time.perf_counter()
            print(f"2,000 projects: openpyxl {middle - start:.2f} s, calamine {end - middle:.2f} s")


if __name__ == "__main__":
    main()
