"""outdated-term: formulations from corpus/outdated_terms.yaml (plus user lists) with replacements."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkhelp import CORRECT_SPEECH, check_text, run_rule
from drafting.check.terms import builtin_terms_file, load_terms
from drafting.errors import InputError


def test_finds_outdated_term_with_replacement(tmp_path: Path) -> None:
    findings = check_text(tmp_path, "同志们：\n请工商局牵头，发扬打赢脱贫攻坚战的精神。\n", "outdated-term")
    assert [f.message.split("，")[0] for f in findings] == ["“工商局”已不再使用", "“打赢脱贫攻坚战”已不再使用"]
    assert "市场监督管理局" in findings[0].message
    assert all(f.severity == "warning" and f.paragraph == 2 for f in findings)


def test_longer_term_reported_once(tmp_path: Path) -> None:
    findings = check_text(tmp_path, "同志们：\n区工商行政管理局要加强监管。\n", "outdated-term")
    assert len(findings) == 1 and "工商行政管理局" in findings[0].message


def test_user_list_adds_terms(tmp_path: Path) -> None:
    terms = tmp_path / "mine.yaml"
    terms.write_text("terms:\n  - term: 三个一批\n    replacement: 谋划一批、开工一批、投产一批\n", encoding="utf-8")
    findings = check_text(tmp_path, "同志们：\n要做好三个一批。\n", "outdated-term", term_files=[terms])
    assert len(findings) == 1 and "谋划一批" in findings[0].message


def test_user_list_can_replace_the_builtin_list(tmp_path: Path) -> None:
    terms = tmp_path / "mine.yaml"
    terms.write_text("terms:\n  - term: 三个一批\n    replacement: 新提法\n", encoding="utf-8")
    text = "同志们：\n工商局要做好三个一批。\n"
    findings = check_text(tmp_path, text, "outdated-term", term_files=[terms], builtin_terms=False)
    assert [f.message.split("，")[0] for f in findings] == ["“三个一批”已不再使用"]


def test_bad_user_list_names_the_entry(tmp_path: Path) -> None:
    terms = tmp_path / "bad.yaml"
    terms.write_text("terms:\n  - term: 旧说法\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_text(tmp_path, "同志们：\n正文。\n", "outdated-term", term_files=[terms])
    assert "bad.yaml" in str(caught.value) and "terms 第1项" in str(caught.value)


def test_builtin_list_is_well_formed() -> None:
    terms = load_terms(builtin_terms_file())
    assert len(terms) >= 15
    assert len({t.term for t in terms}) == len(terms)


def test_correct_speech_has_no_outdated_terms() -> None:
    assert run_rule(CORRECT_SPEECH, "outdated-term") == []


def test_achievement_in_a_review_is_not_outdated_usage(tmp_path: Path) -> None:
    text = "同志们：\n过去五年，我们如期打赢脱贫攻坚战，“十三五”时期精准扶贫成果丰硕。\n今年要继续打赢脱贫攻坚战。\n"
    findings = check_text(tmp_path, text, "outdated-term")
    assert [(f.paragraph, f.message.split("”")[0]) for f in findings] == [(3, "“打赢脱贫攻坚战")]


def test_current_usage_is_not_listed(tmp_path: Path) -> None:
    text = "同志们：\n深化行政审批制度改革，持续优化营商环境。\n"
    assert check_text(tmp_path, text, "outdated-term") == []


def test_docs_name_only_terms_the_list_has() -> None:
    import re

    from drafting.check.terms import builtin_terms_file, load_terms

    listed = {term.term for term in load_terms(builtin_terms_file())}
    page = (Path(__file__).parent.parent / "docs" / "rules" / "outdated-term.md").read_text(encoding="utf-8")
    listing = page.split("包括：")[1].split("较长的提法优先")[0]  # the bullet list of shipped terms
    named = set(re.findall(r"`([^`\s]+)`", listing))
    assert named and named <= listed, named - listed
