"""The prefix-dictionary index: jieba's own cut and the same checker results, without loading the whole dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

import drafting.tokens as tokens
from drafting.check import CheckConfig, check_files
from drafting.priorities import load_priorities
from drafting.tokenindex import PREFIX, PrefixIndex, encode_index

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "check"


def _texts() -> list[Path]:
    paths = sorted((ROOT / "corpus").rglob("*.txt")) + sorted((ROOT / "corpus").rglob("*.md"))
    paths += sorted((ROOT / "corpus").rglob("*.yaml")) + sorted(FIXTURES.rglob("*.txt"))
    return [p for p in paths if p.stat().st_size]


def _priority_terms() -> list[str]:
    terms: list[str] = []
    for path in [FIXTURES / "priorities.yaml", *sorted((ROOT / "corpus" / "priorities").glob("*.yaml"))]:
        for priority in load_priorities(path):
            terms += [priority.name, *priority.aliases]
    return terms


@pytest.fixture(scope="module")
def full() -> object:
    return tokens.full_tokenizer()


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "drafting"


def _indexed(full: object) -> object:
    """An indexed tokenizer over an index made from ``full``'s dictionary in memory."""
    index = PrefixIndex(encode_index(full.FREQ, full.total, []))  # type: ignore[attr-defined]
    return tokens._indexed_tokenizer_class(tokens._import_jieba())(index)


def test_index_is_built_once_in_the_cache_then_used(cache: Path) -> None:
    first = tokens.build_tokenizer()
    files = list(cache.glob(PREFIX + "*.bin"))
    assert len(files) == 1
    second = tokens.build_tokenizer()
    assert type(second).__name__ == "IndexedTokenizer" and type(first).__name__ == "DraftingTokenizer"
    # the indexed tokenizer starts with a small part of the dictionary
    assert len(second.FREQ) < len(first.FREQ) / 10 and second.total == first.total


def test_token_stream_is_jiebas_own_on_corpus_and_fixtures(full: object) -> None:
    indexed = _indexed(full)
    texts = [p.read_text(encoding="utf-8") for p in _texts()]
    texts.append("ABC-12.5%的项目，Ｗｏｒｄ文档；\t换行\r\n和 emoji 😀 以及罕见字𠀀𪚥")
    assert len(texts) > 10
    for text in texts:
        assert list(indexed.tokenize(text)) == list(full.tokenize(text))  # type: ignore[attr-defined]
        assert list(indexed.cut(text, HMM=False)) == list(full.cut(text, HMM=False))  # type: ignore[attr-defined]
        assert list(indexed.cut_for_search(text)) == list(full.cut_for_search(text))  # type: ignore[attr-defined]


def test_added_terms_cut_the_same_way(full: object) -> None:
    import copy

    reference = copy.copy(full)
    reference.FREQ = dict(full.FREQ)  # type: ignore[attr-defined]
    indexed = _indexed(full)
    for term in _priority_terms() + ["链群协同", "项"]:
        for tokenizer in (reference, indexed):
            tokenizer.add_word(term, tokenizer.suggest_freq(term, False) * 100)  # type: ignore[attr-defined]
    assert indexed.total == reference.total  # type: ignore[attr-defined]
    for path in _texts():
        text = path.read_text(encoding="utf-8")
        assert list(indexed.tokenize(text)) == list(reference.tokenize(text)), path.name  # type: ignore[attr-defined]


def test_checker_results_are_identical_with_the_full_dictionary(full: object, monkeypatch: pytest.MonkeyPatch) -> None:
    drafts = sorted(FIXTURES.glob("*.txt")) + sorted((ROOT / "corpus" / "samples").glob("*.txt"))
    config = CheckConfig(priorities=load_priorities(FIXTURES / "priorities.yaml"), keyword_count=20)

    def run(tokenizer: object) -> object:
        monkeypatch.setattr(tokens, "_tokenizer", tokenizer)
        monkeypatch.setattr(tokens, "_added", set())
        return check_files(drafts, config)

    import copy

    reference = copy.copy(full)
    reference.FREQ = dict(full.FREQ)  # type: ignore[attr-defined]
    expected = run(reference)
    actual = run(_indexed(full))
    assert actual == expected
    assert any(row.hits for report in expected.files for row in report.coverage or [])  # type: ignore[attr-defined]


def test_index_is_rebuilt_when_the_term_list_changes(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terms = tmp_path / "terms.txt"
    terms.write_text("放管服\n", encoding="utf-8")
    monkeypatch.setattr(tokens, "dictionary_files", lambda: [terms])
    tokens.build_tokenizer()
    [before] = cache.glob(PREFIX + "*.bin")
    assert "链群协同" not in tokens.build_tokenizer().lcut("推动链群协同发展")
    terms.write_text("放管服\n链群协同\n", encoding="utf-8")
    tokens.build_tokenizer()  # stale: rebuilt from the full dictionary
    [after] = cache.glob(PREFIX + "*.bin")
    assert after != before and not before.exists()
    indexed = tokens.build_tokenizer()
    assert type(indexed).__name__ == "IndexedTokenizer"
    assert "链群协同" in indexed.lcut("推动链群协同发展")


def test_damaged_index_is_rebuilt(cache: Path) -> None:
    tokens.build_tokenizer()
    [path] = cache.glob(PREFIX + "*.bin")
    path.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not marshal at all")
    assert PrefixIndex.read(path) is None
    tokens.build_tokenizer()
    assert PrefixIndex.read(path) is not None
    assert type(tokens.build_tokenizer()).__name__ == "IndexedTokenizer"
