"""Every rule is linear in a paragraph's length: a multi-MB text on one line is checked to the end.

No timing assertion (speed figures are in benchmarks/bench_check.py); before the fix this input ran
for hours, because declared-count copied the rest of the paragraph for every declaration.
"""

from __future__ import annotations

from pathlib import Path

from drafting.check import RULES, CheckConfig, check_files

# one of each thing the rules look for, with a sentence end so repeats are sentences
CHUNK = (
    "重点抓好三个方面：一是抓项目，二是抓服务，三是抓落实。XX单位要落实好四项机制：第一，请工商局参与；第三，按月调度；"
    "截止2026年2月30日完成约5亿元左右,见某政发[2026]012号（附件“表。"
)


def test_multi_megabyte_single_line_is_checked_by_every_rule(tmp_path: Path) -> None:
    copies = 3_000_000 // len(CHUNK) + 1  # about 3 million characters (9 MB of UTF-8)
    path = tmp_path / "one-line.txt"
    path.write_text("标题\n" + CHUNK * copies, encoding="utf-8")
    report = check_files([path], CheckConfig(keyword_count=0, ignore=frozenset({"coverage"})))
    counts: dict[str, int] = {}
    for finding in report.files[0].findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    assert set(counts) == set(RULES) - {"coverage"}
    assert counts["placeholder"] == copies  # XX once per chunk
    assert counts["outdated-term"] == copies
    assert counts["doc-number"] == copies
    assert counts["confused-word"] == copies
    assert counts["declared-count"] == copies  # 四项机制 with one 第一
    assert counts["date"] == copies  # 2月30日
    assert counts["numbering"] == copies  # 第一 then 第三
    assert counts["number-usage"] == copies  # 约……左右
    assert counts["repeat"] == 2 * (copies - 1)  # both sentences repeat after their first time
    assert counts["punctuation"] >= copies  # the half-width comma (and the unpaired marks once)
