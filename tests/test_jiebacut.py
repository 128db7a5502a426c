"""The fast cut (drafting.jiebacut) gives jieba's own tokens, keywords and checker results; its block cache follows the dictionary."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

import drafting.tokens as tokens
from drafting.check import CheckConfig, check_files
from drafting.check import keywords as keywords_module
from drafting.check.keywords import load_idf, stopwords, top_keywords
from drafting.jiebacut import HMM, RE_HAN, Cutter, cut_block
from drafting.priorities import load_priorities
from drafting.tokenindex import PrefixIndex, encode_index

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "check"


def _drafts() -> list[Path]:
    paths = sorted(FIXTURES.rglob("*.txt"))
    paths += sorted((ROOT / "corpus" / "samples").rglob("*.txt")) + sorted((ROOT / "corpus" / "samples").rglob("*.md"))
    return [p for p in paths if p.stat().st_size]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in _drafts()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").rglob("*.yaml"))]
    rng = random.Random(11)
    alphabet = "的一是了我不在人有来他这上着个地到大里说就去子得也和那要下看天时过出小么起你都把好还多没为又可家学只以主会样年想生同老中十从自面前头道它后然走很像见两用她国动进成回什边作对开而己些现山民候经发工向事命给长水几义三声于高手知理眼志点心战二问但身方实吃做叫当住听革打呢真全才四已所敌之最光产情路分总条白话东席次亲如被花口放儿常气五第使写军吧文运再果怎定许快明行因别飞外树物活部门无往船望新带队先力完却站代员机更九您每风级跟笑啊孩万少直意夜比阶连车重便斗马哪化太指变社似士者干石满日决百原拿群究各六本思解立河村八难早论吗根共让相研今其书坐接应关信觉步反处记将千找争领或师结块跑谁草越字加脚紧爱等习阵怕月青半火法题建赶位唱海七女任件感准张团屋离色脸片科倒睛利世刚且由送切星导晚表够整认响雪流未场该并底深刻平伟忙提确近亮轻讲农古黑告界拉名呀土清阳照办史改历转画造嘴此治北必服雨穿内识验传业菜爬睡兴形量咱观苦体众通冲合破友度术饭公旁房极南枪读沙岁线野坚空收算至政城劳落钱特围弟胜教热展包歌类渐强数乡呼性音答哥际旧神座章帮啦受系令跳非何牛取入岸敢掉忽种装顶急林停息句区衣般报叶压慢叔背细ABCxyz0123456789.%-_+#&，。、；：？！“”（）《》 \t\r\n𠀀𪚥"
    for _ in range(300):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120))))
    texts.append("的" * 500 + "项目" * 200 + "abc" * 50)
    return texts


@pytest.fixture(scope="module")
def full() -> object:
    return tokens.full_tokenizer()


def _plain(tokenizer: object) -> object:
    """jieba's own Tokenizer class over a copy of ``tokenizer``'s dictionary: the reference cut."""
    jieba = tokens._import_jieba()
    plain = jieba.Tokenizer()
    plain.FREQ = dict(tokenizer.FREQ)  # type: ignore[attr-defined]
    plain.total = tokenizer.total  # type: ignore[attr-defined]
    plain.initialized = True
    return plain


def test_cut_block_is_jiebas_cut_of_each_block(full: object) -> None:
    jieba = tokens._import_jieba()
    reference = _plain(full)
    blocks = {b for text in _texts() for b in RE_HAN.findall(text)}
    assert len(blocks) > 500
    for block in blocks:
        expected = list(reference._Tokenizer__cut_DAG(block))  # type: ignore[attr-defined]
        assert cut_block(block, full.FREQ, full.total, jieba.finalseg.cut) == expected, block  # type: ignore[attr-defined]


def test_cut_block_breaks_ties_as_jieba_does() -> None:
    """Tiny dictionaries whose routes often score exactly the same: the same route is taken."""
    jieba = tokens._import_jieba()
    rng = random.Random(7)
    alphabet = "甲乙丙丁ab"
    ties = 0
    for _ in range(300):
        freq: dict[str, int] = {}
        for _ in range(rng.randint(1, 12)):
            word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
            freq[word] = rng.choice([0, 1, 1, 2, 4])
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
        plain = jieba.Tokenizer()
        plain.FREQ, plain.total, plain.initialized = freq, rng.choice([1, 2, 4, 8]), True
        shared = Cutter(freq, plain.total, jieba.finalseg.cut)  # scores and runs kept from block to block
        for _ in range(10):
            block = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            expected = list(plain._Tokenizer__cut_DAG(block))  # type: ignore[attr-defined]
            assert cut_block(block, freq, plain.total, jieba.finalseg.cut) == expected, (block, freq, plain.total)
            assert shared.cut_block(block) == expected, (block, freq, plain.total)
            assert shared.cut_text(f"{block}，{block}") == list(plain.cut(f"{block}，{block}"))
            ties += any(freq.get(w) == 1 for w in expected if len(w) > 1) and plain.total == 1
    assert ties  # (frequency 1 over total 1 scores 0: every split of such words ties)


def test_tokenizer_cut_is_jiebas_own_twice_over(full: object) -> None:
    reference = _plain(full)
    for text in _texts():
        expected = list(reference.cut(text))  # type: ignore[attr-defined]
        assert list(full.cut(text)) == expected  # type: ignore[attr-defined]
        assert full.lcut(text) == expected  # second time: from the block cache  # type: ignore[attr-defined]
        assert list(full.tokenize(text)) == list(reference.tokenize(text))  # type: ignore[attr-defined]


def test_block_cache_follows_the_dictionary(full: object) -> None:
    import copy

    tokenizer = copy.copy(full)
    tokenizer.FREQ = dict(full.FREQ)  # type: ignore[attr-defined]
    text = "推动链群协同发展，链群协同"
    before = tokenizer.lcut(text)  # type: ignore[attr-defined]
    assert "链群协同" not in before
    tokenizer.add_word("链群协同", 10**6)  # type: ignore[attr-defined]
    assert tokenizer.lcut(text).count("链群协同") == 2  # type: ignore[attr-defined]
    tokenizer.del_word("链群协同")  # type: ignore[attr-defined]
    assert "链群协同" not in tokenizer.lcut(text)  # type: ignore[attr-defined]
    assert full.lcut(text) == before  # the original's dictionary and cache are untouched  # type: ignore[attr-defined]
    assert tokenizer.lcut(text) == list(_plain(tokenizer).cut(text))  # type: ignore[attr-defined]


def _reference_candidates(tokenizer: object, text: str) -> list[str]:
    """The keyword candidates as computed before the fast cut: jieba's own cut, then the filters."""
    word = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")
    counted = re.compile(r"^[一二三四五六七八九十两几]+[点个项条是大种件次年月日]")
    stop = stopwords()
    return [w for w in tokenizer.cut(text) if word.match(w) and w not in stop and not counted.match(w)]  # type: ignore[attr-defined]


def _reference_keywords(tokenizer: object, texts: list[str], count: int) -> list[str]:
    frequencies: Counter[str] = Counter()
    for text in texts:
        frequencies.update(_reference_candidates(tokenizer, text))
    total = sum(frequencies.values())
    idf, default = load_idf()
    scores = {w: (n / total) * idf.get(w, default) for w, n in frequencies.items()}
    return [w for w, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:count]]


def _indexed(full: object) -> object:
    """The tokenizer a check uses: the fast cut over an index of ``full``'s dictionary."""
    index = PrefixIndex(encode_index(full.FREQ, full.total, []))  # type: ignore[attr-defined]
    return tokens._indexed_tokenizer_class(tokens._import_jieba())(index)


def test_keywords_of_corpus_files_are_unchanged(full: object, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, reference = _indexed(full), _plain(full)
    priorities = load_priorities(FIXTURES / "priorities.yaml")
    for term in [t for p in priorities for t in [p.name, *p.aliases]]:  # as a check does before keywords
        for tokenizer in (fast, reference):
            tokenizer.add_word(term, tokenizer.suggest_freq(term, False) * 100)  # type: ignore[attr-defined]
    monkeypatch.setattr(tokens, "_tokenizer", fast)
    checked = 0
    for path in _drafts():
        paragraphs = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for paragraph in paragraphs:
            assert keywords_module.candidate_words(paragraph) == _reference_candidates(reference, paragraph)
        expected = _reference_keywords(reference, paragraphs, 20)
        assert top_keywords(paragraphs, 20) == expected, path.name
        checked += bool(expected)
    assert checked >= 10


def test_checker_results_are_those_of_jiebas_own_cut(full: object, monkeypatch: pytest.MonkeyPatch) -> None:
    drafts = _drafts()
    config = CheckConfig(priorities=load_priorities(FIXTURES / "priorities.yaml"), keyword_count=20)

    def run(tokenizer: object) -> object:
        monkeypatch.setattr(tokens, "_tokenizer", tokenizer)
        monkeypatch.setattr(tokens, "_added", set())
        return check_files(drafts, config)

    expected = run(_plain(full))  # jieba's own cut, whole dictionary
    actual = run(_indexed(full))
    assert actual == expected
    assert any(report.keywords for report in expected.files)  # type: ignore[attr-defined]
    assert any(row.hits for report in expected.files for row in report.coverage or [])  # type: ignore[attr-defined]


def test_hmm_cut_is_jiebas_finalseg_cut() -> None:
    jieba = tokens._import_jieba()
    finalseg = jieba.finalseg
    hmm = HMM(finalseg)
    texts = [run for text in _texts() for run in re.findall("[\u4e00-\u9fffa-zA-Z0-9.%]+", text)]
    rng = random.Random(4)
    texts += ["".join(rng.choice("项目建设推进招商的了是ab1.5%𠀀") for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    for text in texts:
        assert hmm.cut(text) == list(finalseg.cut(text)), text
    assert len(hmm.memo) > 1000  # each run of Han characters cut once, then its words reused:
    for text in reversed(texts):
        assert hmm.cut(text) == list(finalseg.cut(text)), text
    split = set(finalseg.Force_Split_Words)
    try:
        finalseg.add_force_split("项目")  # as add_word(word, 0) does
        for text in texts[-3000:]:
            assert hmm.cut(text) == list(finalseg.cut(text)), text
    finally:
        finalseg.Force_Split_Words.intersection_update(split)


def test_hmm_breaks_ties_as_jiebas_viterbi() -> None:
    """Tables whose scores often tie: the same path as jieba's own viterbi."""
    import types

    jieba = tokens._import_jieba()
    finalseg = jieba.finalseg
    rng = random.Random(9)
    for _ in range(200):
        values = [0.0, -1.0, -2.0, finalseg.MIN_FLOAT]
        start = {y: rng.choice(values) for y in "BMES"}
        trans = {y0: {y: rng.choice(values) for y in "BMES" if rng.random() < 0.9} for y0 in "BMES"}
        emit = {y: {c: rng.choice(values) for c in "甲乙丙" if rng.random() < 0.8} for y in "BMES"}
        model = types.SimpleNamespace(
            PrevStatus=finalseg.PrevStatus, MIN_FLOAT=finalseg.MIN_FLOAT, start_P=start, trans_P=trans, emit_P=emit,
            re_han=finalseg.re_han, re_skip=finalseg.re_skip, Force_Split_Words=set(),
        )
        hmm = HMM(model)
        for _ in range(10):
            obs = "".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(1, 8)))
            _, expected = finalseg.viterbi(obs, "BMES", start, trans, emit)
            assert hmm._path(obs) == "".join(expected), (obs, start, trans, emit)


def test_hostile_blocks_cut_as_jieba_does(full: object) -> None:
    """Long runs of one character, mixed scripts, digits, punctuation and added words: jieba's own tokens."""
    import copy

    tokenizer = copy.copy(full)
    tokenizer.FREQ = dict(full.FREQ)  # type: ignore[attr-defined]
    for word, freq in [("链群协同", 10**6), ("甲乙丙丁戊", 3), ("协同", 0), ("5G基站", 50), ("乙丙", 0)]:
        tokenizer.add_word(word, freq)  # type: ignore[attr-defined]
    fast, reference = _indexed(tokenizer), _plain(tokenizer)
    rng = random.Random(5)
    pieces = ["的", "一", "项目", "链群协同", "甲乙丙丁戊", "乙丙", "5G", "基站", "a", "Z", "9", "3.5%", "_", "#", "，", "。", " ", "\r\n", "\n", "𠀀"]
    texts = ["的" * 400, "一" * 301, "项目" * 150, "a" * 200, "1" * 200, "链群协同" * 60, "协同" * 90, "乙丙丁" * 50]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(400)]
    for text in texts:
        expected = list(reference.cut(text))  # type: ignore[attr-defined]
        assert fast.lcut(text) == expected, text  # type: ignore[attr-defined]
        assert tokenizer.lcut(text) == expected, text  # type: ignore[attr-defined]
        for block in RE_HAN.findall(text):
            assert tokenizer.cutter().cut_block(block) == list(reference._Tokenizer__cut_DAG(block)), block  # type: ignore[attr-defined]
