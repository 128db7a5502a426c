"""Generators of hostile and large-but-honest input files, shared by tests and benchmarks/bench_inputs.py.

Every generator writes a small file (at most a few hundred KB) unless asked for an honest large ledger.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from drafting.ledger import COLUMNS


def honest_ledger(path: Path, rows: int) -> Path:
    """A well-formed ledger with every canonical column and ``rows`` distinct projects."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([c.header for c in COLUMNS])
    for i in range(rows):
        sheet.append(
            [
                f"第{i + 1}号重点项目", "工业", "新建厂房及配套设施", f"张{i % 50}", f"区单位{i % 40:02d}",
                "区发改局、区自然资源局", 3.5, 1.2, 0.8, "已开工", "2025-03-01", "2025-04-01",
                "2025-05-10", "2027-12-31", "区重点", "主体施工", None,
            ]
        )
    book.save(path)
    return path


def yaml_alias_bomb(levels: int = 9) -> str:
    """"Billion laughs": each level lists the previous one nine times (9**levels values)."""
    lines = ['a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def yaml_recursive_alias() -> str:
    return "meeting: &loop\n  name: 会议\n  again: *loop\n"


def yaml_nested_brackets(depth: int = 100_000) -> str:
    return "meeting: " + "[" * depth + "]" * depth + "\n"
