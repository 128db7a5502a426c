"""Checker figures: time on a large draft, findings per 10,000 characters on the clean regression corpus
per rule, throughput, and each rule on a long single-line text.

    python benchmarks/bench_check.py [COPIES] [ONE_LINE_CHARS]

Prints figures only; tests never assert on time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import docx

from drafting.check import RULES, CheckConfig, check_files
from drafting.priorities import load_priorities
from drafting.readers import load_draft
from drafting.tokens import get_tokenizer

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "check"
CORPUS = FIXTURES / "corpus"
ONE_LINE_CHUNK = (
    "重点抓好三个方面：一是抓项目，二是抓服务，三是抓落实。XX单位要落实好四项机制：第一，请工商局参与；"
    "截止2026年2月30日完成约5亿元左右,见某政发[2026]012号（附件“表。"
)


def _timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = func()
    print(f"{label:<28}{time.perf_counter() - start:8.2f} s")
    return value


def large_draft(copies: int) -> None:
    speech = (FIXTURES / "correct_speech.txt").read_text(encoding="utf-8")
    lines = speech.strip().splitlines()
    body = lines[:3] + lines[3:] * copies  # one title, then the body many times
    priorities = load_priorities(FIXTURES / "priorities.yaml")
    config = CheckConfig(priorities=priorities)
    with tempfile.TemporaryDirectory() as tmp:
        text_path = Path(tmp) / "large.txt"
        text_path.write_text("\n".join(body), encoding="utf-8")
        docx_path = Path(tmp) / "large.docx"
        document = docx.Document()
        for line in body:
            document.add_paragraph(line)
        document.save(str(docx_path))
        chars = sum(len(line) for line in body)
        print(f"draft: {len(body)} paragraphs, {chars} characters ({copies} copies of the speech)")
        _timed("jieba initialisation", get_tokenizer)
        for path in (text_path, docx_path):
            report = _timed(f"check {path.suffix}", lambda: check_files([path], config))
            findings = report.files[0].findings
            print(f"  findings: {len(findings)} ({sum(f.rule == 'repeat' for f in findings)} repeat)")


def clean_corpus() -> None:
    paths = sorted(CORPUS.glob("*.txt"))
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    config = CheckConfig(keyword_count=0)
    start = time.perf_counter()
    report = check_files(paths, config)
    elapsed = time.perf_counter() - start
    print(f"\nclean corpus: {len(paths)} drafts, {chars} characters")
    print(f"{'rule':<16}{'findings':>10}{'per 10k chars':>16}")
    for rule in RULES:
        count = sum(f.rule == rule for file in report.files for f in file.findings)
        print(f"{rule:<16}{count:>10}{count * 10_000 / chars:>16.2f}")
    print(f"throughput: {chars / elapsed:,.0f} characters/s (check only, files read: {elapsed:.2f} s)")
    # rules alone, drafts already read
    drafts = [load_draft(p) for p in paths]
    from drafting.check import check_draft

    start = time.perf_counter()
    for _ in range(5):
        for draft in drafts:
            check_draft(draft, config)
    elapsed = (time.perf_counter() - start) / 5
    print(f"rules alone: {chars / elapsed:,.0f} characters/s")


def one_line(chars: int) -> None:
    copies = chars // len(ONE_LINE_CHUNK) + 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one-line.txt"
        path.write_text("标题\n" + ONE_LINE_CHUNK * copies, encoding="utf-8")
        print(f"\none line of {copies * len(ONE_LINE_CHUNK):,} characters, each rule alone:")
        for rule in RULES:
            if rule == "coverage":
                continue
            config = CheckConfig(select=frozenset({rule}), keyword_count=0)
            report = _timed(f"  {rule}", lambda: check_files([path], config))
            print(f"    findings: {len(report.files[0].findings)}")


if __name__ == "__main__":
    large_draft(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
    clean_corpus()
    one_line(int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
