"""Time checking a large draft: the realistic speech fixture repeated into a long .txt and .docx.

    python benchmarks/bench_check.py [COPIES]

Prints figures only; tests never assert on time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import docx

from drafting.check import CheckConfig, check_files
from drafting.tokens import get_tokenizer
from drafting.priorities import load_priorities

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "check"


def _timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = func()
    print(f"{label:<28}{time.perf_counter() - start:8.2f} s")
    return value


def main(copies: int) -> None:
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
