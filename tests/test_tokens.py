"""jieba: one tokenizer per process, policy terms as single tokens, cache in the user cache dir, quiet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from checkhelp import CORRECT_SPEECH
from drafting.check import CheckConfig, check_files
from drafting.check.keywords import load_idf, top_keywords
from drafting.tokens import add_terms, get_tokenizer, tokenize


def test_tokenizer_is_a_singleton() -> None:
    assert get_tokenizer() is get_tokenizer()


def test_corpus_policy_terms_are_single_tokens() -> None:
    words = [w for w, _, _ in tokenize("深化放管服改革，推进新旧动能转换，加快腾笼换业，抓好双招双引和要素保障。")]
    for term in ("放管服", "新旧动能转换", "腾笼换业", "双招双引", "要素保障"):
        assert term in words


def test_added_priority_term_becomes_a_token() -> None:
    add_terms(["链群协同"])
    assert "链群协同" in [w for w, _, _ in tokenize("推动链群协同发展")]


def test_cache_goes_to_the_user_cache_dir_and_nothing_is_printed(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    code = "from drafting.tokens import tokenize; print(len(tokenize('推进项目建设')))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stderr == ""
    assert result.stdout.strip() != "0"
    assert (tmp_path / "drafting" / "jieba.cache").is_file()


def test_keywords_skip_stop_words_and_counts() -> None:
    report = check_files([CORRECT_SPEECH], CheckConfig(keyword_count=8)).files[0]
    assert len(report.keywords) == 8
    assert "项目建设" in report.keywords
    assert not {"同志们", "一是", "我们", "四点"} & set(report.keywords)


def test_idf_lowers_words_common_in_the_corpus() -> None:
    idf, default = load_idf()
    assert idf["项目"] < idf["营商环境"] and default > 0
    # equal term frequency: the rarer word in our corpus ranks first
    assert top_keywords(["项目，营商环境。营商环境，项目。"], 2) == ["营商环境", "项目"]


def test_built_idf_matches_the_samples(tmp_path: Path) -> None:
    from drafting.check.idf import write_idf

    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "a.txt").write_text("推动项目建设\n优化营商环境\n推动项目建设\n", encoding="utf-8")
    output = tmp_path / "idf.txt"
    assert write_idf(samples, output) == 4  # 推动 项目建设 优化 营商环境
    table = dict(line.split() for line in output.read_text(encoding="utf-8").splitlines())
    assert float(table["营商环境"]) > float(table["项目建设"])


def test_zero_keywords() -> None:
    assert top_keywords(["推进项目建设"], 0) == []
