"""Rules skip texts that lack a character every match needs (drafting.check.prefilter): the same findings as running every pattern."""

from __future__ import annotations

import random
import re
from importlib import import_module
from pathlib import Path

import pytest
import yaml

from checkhelp import FIXTURES
from drafting.check import CheckConfig, check_files
from drafting.check import rules as rules_package
from drafting.check.prefilter import needed_chars, needs_of, possible
from drafting.check.rules import confused_word, date, declared_count, doc_number, number_usage, numbering, punctuation
from drafting.check.terms import collect_terms
from drafting.check.wordlist import load_confused_words
from drafting.priorities import load_priorities

ROOT = Path(__file__).resolve().parent.parent
CORPUS = FIXTURES / "corpus"


def _patterns() -> list[re.Pattern[str]]:
    """Every pattern a rule skips by what it needs."""
    patterns = [pattern for pattern, _ in punctuation._CHECKS]
    patterns += [pattern for _, pattern in date._FORMS] + [date._MONTH_DAY]
    patterns += [pattern for pattern, _ in number_usage._MIXED] + [number_usage._REDUNDANT, number_usage._RANGE]
    patterns += [word.pattern for word in load_confused_words()]
    patterns += list(numbering.INLINE_LABELS.values()) + [doc_number._NUMBER]
    return patterns


def _fragments() -> list[str]:
    """Pieces of text that set off the rules: the corpus mutations, confused-word examples, outdated terms."""
    mutations = yaml.safe_load((CORPUS / "mutations.yaml").read_text(encoding="utf-8"))
    pieces = [m["new"] for m in mutations] + [m["old"] for m in mutations]
    for word in load_confused_words():
        pieces += [word.wrong_example, word.right_example, word.wrong]
    pieces += [term.term for term in collect_terms([], True)]
    pieces += ["2026年2月30日", "二〇二六年三月六日（星期四）", "2026.3.6", "2026-3-6", "2026/03/06", "3月32日", "二0二五年",
               "百分之5", "3百万", "约5个左右", "超过10家以上", "3—5年", "3~5年", "10%-15%", "某政发[2026]12号",
               "某政办〔2026〕012号", "我讲四点意见：", "重点抓好三个方面工作：", "一是", "二是", "四是", "第一，", "第三，",
               "......", "。。", "，，", "用3—5年，再用3~5年", "第一，抓项目。第三，抓招商。", "一是抓项目。三是抓招商。", "(括号里)", "“未配对", "XX", "××", "(", ")", ",", ":", ";", "!", "?", "…"]
    return [p for p in pieces if p]


def test_needed_chars_reads_literals_classes_branches_and_lookarounds() -> None:
    assert needed_chars(re.compile("截止(?=今年|\\d{4}年)")) == (frozenset("截"), frozenset("止"), frozenset("今年"))
    assert needed_chars(re.compile("[ab]c|d")) == (frozenset("cd"),)  # the smallest set of each branch
    assert needed_chars(re.compile("(?<=[记算])帐")) == (frozenset("帐"), frozenset("记算"))
    assert frozenset("年") in needed_chars(date._FORMS[0][1])
    for unknown in ("\\d+", "[^a]b?", "a*", ".x?", "(?!a)", "\\w"):
        assert needed_chars(re.compile(unknown)) == (), unknown
    assert needed_chars(re.compile("abc", re.IGNORECASE)) == ()
    assert needed_chars(re.compile("(?i:a)b")) == (frozenset("b"),)
    assert possible((), "") and not possible(needs_of(re.compile("a")), "bc") and possible(needs_of(re.compile("[ab]c")), "bc")
    assert needs_of(re.compile("截止(?=今年|\\d{4}年)")) == ("截", "止", needs_of(re.compile("[今年]"))[0])


def test_every_rule_pattern_gets_a_filter() -> None:
    """If the parser behind re changed, the filters would silently stop: every pattern here has one."""
    assert all(needed_chars(pattern) for pattern in _patterns())


def test_a_text_with_a_match_always_holds_what_the_pattern_needs() -> None:
    rng = random.Random(5)
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "corpus" / "samples").glob("*.txt"))]
    fragments = _fragments()
    for _ in range(3000):
        texts.append("".join(rng.choice(fragments) for _ in range(rng.randint(1, 4))))
    for pattern in _patterns():
        needed = needs_of(pattern)
        matched = 0
        for text in texts:
            if pattern.search(text):
                matched += 1
                assert possible(needed, text), (pattern.pattern, text)
                assert all(not chars.isdisjoint(text) for chars in needed_chars(pattern))
        assert matched, pattern.pattern  # each pattern was seen matching


@pytest.mark.parametrize(
    "gate, patterns",
    [
        (declared_count._COUNT, [declared_count._SPEAK, declared_count._ACT]),
        (punctuation._ANY, [pattern for pattern, _ in punctuation._CHECKS]),
    ],
    ids=["declared-count", "punctuation"],
)
def test_a_rule_gate_matches_wherever_its_patterns_do(gate: re.Pattern[str], patterns: list[re.Pattern[str]]) -> None:
    """A rule that searches its gate first (a count with its measure word; a half-width mark) misses no match."""
    rng = random.Random(3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "corpus" / "samples").glob("*.txt"))]
    fragments = _fragments() + ["我讲两点", "重点做好十二个方面工作。", "落实好3项机制：", "有以下五大亮点：", "谈十个方面", "结束.下", "等..", "。。。"]
    texts += ["".join(rng.choice(fragments) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
    for pattern in patterns:
        matched = 0
        for text in texts:
            if pattern.search(text):
                matched += 1
                assert gate.search(text), (pattern.pattern, text)
        assert matched > 20, pattern.pattern


def _hostile_drafts(folder: Path, count: int) -> list[Path]:
    """Corpus drafts with fragments that set off every rule dropped into random paragraphs."""
    rng = random.Random(17)
    fragments = _fragments()
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    paths = []
    for n in range(count):
        lines = rng.choice(sources).splitlines()
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(len(lines))
            stops = [m.end() for m in re.finditer("[。；：]", lines[i])]
            # anywhere, or where a sentence (and so a 一是/第一 label) starts
            at = rng.choice([rng.randint(0, len(lines[i])), 0, *stops])
            lines[i] = lines[i][:at] + rng.choice(fragments) + lines[i][at:]
        for _ in range(3):  # paragraphs made of fragments only
            lines.insert(rng.randint(1, len(lines)), "。".join(rng.sample(fragments, 5)) + "。")
        path = folder / f"稿{n:02d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def test_findings_are_those_of_every_pattern_run_on_every_paragraph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _hostile_drafts(tmp_path, 40) + sorted(CORPUS.glob("*.txt")) + sorted(FIXTURES.glob("*.txt"))
    config = CheckConfig(priorities=load_priorities(FIXTURES / "priorities.yaml"), keyword_count=0)
    filtered = check_files(paths, config)
    with monkeypatch.context() as patch:
        modules = [module for name in rules_package._MODULES.values() if hasattr(module := import_module(f"drafting.check.rules.{name}"), "possible")]
        assert len(modules) >= 6
        for module in modules:
            patch.setattr(module, "possible", lambda needed, text: True)  # nothing skipped
        unfiltered = check_files(paths, config)
    assert filtered == unfiltered
    rules = {finding.rule for report in filtered.files for finding in report.findings}
    assert rules >= {"punctuation", "date", "number-usage", "confused-word", "outdated-term", "numbering",
                     "declared-count", "doc-number", "placeholder", "repeat"}, rules
