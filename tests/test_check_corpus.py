"""Regression corpus: a dozen correct drafts of different kinds give no finding at all, and a copy of one
with a single mistake put in gives exactly that finding (tests/fixtures/check/corpus/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checkhelp import FIXTURES, text_to_docx
from drafting.check import RULES, CheckConfig, check_files

CORPUS = FIXTURES / "corpus"
DRAFTS = sorted(CORPUS.glob("*.txt"))
MUTATIONS = yaml.safe_load((CORPUS / "mutations.yaml").read_text(encoding="utf-8"))


def _findings(path: Path):
    return check_files([path], CheckConfig(keyword_count=0)).files[0].findings


def test_corpus_has_a_dozen_drafts_and_mutations_for_every_new_rule() -> None:
    assert len(DRAFTS) >= 12
    assert {m["file"] for m in MUTATIONS} == {p.name for p in DRAFTS}  # a mutated copy of each
    assert set(RULES) - {"coverage"} <= {m["rule"] for m in MUTATIONS}


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_clean_draft_has_no_finding(path: Path) -> None:
    assert [(f.rule, f.message) for f in _findings(path)] == []


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_clean_draft_as_docx_has_no_finding(path: Path, tmp_path: Path) -> None:
    docx_path = text_to_docx(path.read_text(encoding="utf-8"), tmp_path / f"{path.stem}.docx")
    assert [(f.rule, f.message) for f in _findings(docx_path)] == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: f"{m['file'][:2]}-{m['rule']}-{m['new'][:6]}")
def test_mutated_copy_gives_exactly_the_expected_finding(mutation: dict, tmp_path: Path) -> None:
    text = (CORPUS / mutation["file"]).read_text(encoding="utf-8")
    assert text.count(mutation["old"]) == 1, "the mutation must name one place"
    path = tmp_path / mutation["file"]
    path.write_text(text.replace(mutation["old"], mutation["new"]), encoding="utf-8")
    findings = _findings(path)
    assert [f.rule for f in findings] == [mutation["rule"]], [(f.rule, f.message) for f in findings]
    assert mutation["expect"] in findings[0].message, findings[0].message
    assert findings[0].paragraph is not None
