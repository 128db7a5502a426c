"""Every rule is linear in a paragraph's length: a multi-MB text on one line is checked to the end.

No timing assertion (speed figures are in benchmarks/bench_check.py); before the fix this input ran
for hours, because declared-count copied the rest of the paragraph for every declaration.
"""

from __future__ import annotations

from pathlib import Path

from drafting.check import RULES, CheckConfig, check_files
from drafting.check.engine import MAX_PER_PARAGRAPH
from drafting.readers.text import MAX_TEXT_BYTES

# one of each thing the rules look for, with a sentence end so repeats are sentences
CHUNK = (
    "重点抓好三个方面：一是抓项目，二是抓服务，三是抓落实。XX单位要落实好四项机制：第一，请工商局参与；第三，按月调度；"
    "截止2026年2月30日完成约5亿元左右,见某政发[2026]012号（附件“表。"
)


def test_multi_megabyte_single_line_is_checked_by_every_rule(tmp_path: Path) -> None:
    # as long as a .txt draft may be (just under the 5 MB reader limit): about 1.7 million characters on one line
    copies = (MAX_TEXT_BYTES - 16) // len(CHUNK.encode("utf-8"))
    path = tmp_path / "one-line.txt"
    path.write_text("标题\n" + CHUNK * copies, encoding="utf-8")
    report = check_files([path], CheckConfig(keyword_count=0, ignore=frozenset({"coverage"})))
    counts: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for finding in report.files[0].findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
        if finding.message.startswith("本段另有"):
            hidden[finding.rule] = int(finding.message.removeprefix("本段另有").split("处")[0])
    # every rule ran to the end of the line: 20 findings listed, the rest counted in one more
    assert set(counts) == set(RULES) - {"coverage"}
    assert all(count == MAX_PER_PARAGRAPH + 1 for count in counts.values()), counts
    total = {rule: MAX_PER_PARAGRAPH + hidden[rule] for rule in hidden}
    assert total["placeholder"] == copies  # XX once per chunk
    assert total["outdated-term"] == copies
    assert total["doc-number"] == copies
    assert total["confused-word"] == copies
    assert total["declared-count"] == copies  # 四项机制 with one 第一
    assert total["date"] == copies  # 2月30日
    assert total["numbering"] == copies  # 第一 then 第三
    assert total["number-usage"] == copies  # 约……左右
    assert total["repeat"] == 2 * (copies - 1)  # both sentences repeat after their first time
    assert total["punctuation"] >= copies  # the half-width comma (and the unpaired marks once)
