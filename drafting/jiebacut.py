"""jieba's accurate cut (HMM on), with the same output, in fewer steps, each distinct block cut once.

jieba splits a text into blocks of Han characters, letters and digits and cuts
each block on its own: a prefix-dictionary DAG, the most probable route through
it, and the HMM over runs of single characters that are not a word. The cut of
a block depends only on the block, the prefix dictionary, its total and the
HMM's force-split words, so a :class:`Cutter` made for one state of the
dictionary reuses the cut of every block it has seen, the score of every
fragment it has looked up and the HMM's cut of every run of single characters.

:meth:`Cutter.cut_block` computes jieba's route in one backward pass (no DAG
dict, no generator per character), taking the same maxima with the same
tie-break (the longer word when two routes score the same), with each score
the same float as jieba's (``log(freq) - log(total)`` is computed once per
fragment, then added as jieba adds it), so its tokens are jieba's own. At most
positions no word of two or more characters starts; one lookup of the position's
first two characters (kept per dictionary state in :class:`_Steps`) settles those.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from math import log

# jieba 0.42.1: jieba.re_han_default, jieba.re_skip_default
RE_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
RE_SKIP = re.compile("(\r\n|\\s)", re.U)

MAX_BLOCKS = 200_000  # distinct blocks kept before the cache starts afresh
MAX_FRAGMENTS = 2_000_000  # fragment scores kept before they are looked up afresh


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


ABSENT = _Marker("ABSENT")  # not in the prefix dictionary: no word starts with it
# in the prefix dictionary with frequency 0 (only a prefix of words): a score no route takes
# (a word's score, log(freq) - log(total), is finite)
PREFIX = float("-inf")


class _Scores(dict):  # type: ignore[type-arg]
    """fragment → ``log(freq) - log(total)`` for a word, :data:`PREFIX` or :data:`ABSENT`; filled on first lookup."""

    def __init__(self, freq: dict[str, int], total: float, load: Callable[[str], None] | None) -> None:
        super().__init__()
        self.freq = freq
        self.logtotal = log(total)
        self.load = load  # makes ``freq`` hold every entry starting with a two-character fragment

    def __missing__(self, fragment: str) -> object:
        if len(self) > MAX_FRAGMENTS:
            self.clear()
        if self.load is not None and len(fragment) > 1:
            self.load(fragment[:2])
        f = self.freq.get(fragment)
        value = ABSENT if f is None else (log(f) - self.logtotal if f else PREFIX)
        self[fragment] = value
        return value


class _Steps(dict):  # type: ignore[type-arg]
    """A block's first one or two characters at a position → what the route needs from its first two fragments.

    A float when no fragment of two characters starting there is in the prefix
    dictionary: the score of the character alone (its word's, or the fallback of
    frequency 1 when it is no word). Otherwise (character's score, pair's score),
    either of which may be :data:`PREFIX`. Filled on first lookup; valid while the
    fragment scores are.
    """

    def __init__(self, scores: _Scores, fallback: float) -> None:
        super().__init__()
        self.scores = scores
        self.fallback = fallback

    def __missing__(self, pair: str) -> object:
        if len(self) > MAX_FRAGMENTS:
            self.clear()
        scores = self.scores
        single = scores[pair[0]]
        step: object
        if single is ABSENT:  # jieba looks no further: no word starts here
            step = self.fallback
        else:
            double = scores[pair] if len(pair) == 2 else ABSENT
            if double is ABSENT:
                step = single if single != PREFIX else self.fallback
            else:
                step = (single, double)
        self[pair] = step
        return step


class Cutter:
    """jieba's accurate cut for one state of the dictionary, remembering what it has computed.

    ``freq`` and ``total`` are the tokenizer's ``FREQ`` and ``total``; ``hmm_cut`` is
    ``jieba.finalseg.cut``; ``load``, when given, is called with each two-character
    fragment before its first lookup (the indexed tokenizer loads its entries then).
    """

    def __init__(
        self,
        freq: dict[str, int],
        total: float,
        hmm_cut: Callable[[str], Iterable[str]],
        load: Callable[[str], None] | None = None,
    ) -> None:
        self.blocks: dict[str, list[str]] = {}
        self.scores = _Scores(freq, total, load)
        self.fallback = 0.0 - self.scores.logtotal  # log(1) - log(total): a character with no word
        self.pairs = _Steps(self.scores, self.fallback)
        self.runs: dict[str, list[str]] = {}  # run of single characters → its tokens
        self.hmm_cut = hmm_cut
        self.derived: dict[str, dict[str, object]] = {}  # per user: what it computed from a block's cut

    def memo(self, name: str) -> dict[str, object]:
        """A dict for results derived from the cuts (keyed by block), kept as long as this cutter is valid."""
        memo = self.derived.get(name)
        if memo is None or len(memo) > MAX_BLOCKS:
            memo = self.derived[name] = {}
        return memo

    def block(self, block: str) -> list[str]:
        """The tokens of one block (cut once, then kept)."""
        cached = self.blocks.get(block)
        if cached is None:
            if len(self.blocks) > MAX_BLOCKS:
                self.blocks.clear()
            cached = self.blocks[block] = self.cut_block(block)
        return cached

    def cut_block(self, block: str) -> list[str]:
        """Tokens of one block, as ``jieba.Tokenizer.__cut_DAG(block)`` yields them."""
        n = len(block)
        pairs = self.pairs
        scores = self.scores
        absent = ABSENT
        number = float
        score = [0.0] * (n + 1)  # score[k]: jieba's route[k][0]
        end = list(range(1, n + 1))  # end[k]: where the best word starting at k ends (exclusive)
        for k in range(n - 1, -1, -1):
            step = pairs[block[k : k + 2]]
            if type(step) is number:  # no word of two or more characters starts here
                score[k] = step + score[k + 1]
                continue
            # a prefix (PREFIX = -inf) never beats a word: best stays -inf until a word is seen
            v, w = step
            best = v + score[k + 1]
            best_end = k + 1
            s = w + score[k + 2]
            if s >= best:  # max over (score, end): a tie goes to the later end
                best = s
                best_end = k + 2
            j = k + 2
            while j < n:  # ``frag in FREQ``: words and prefixes of words
                j += 1
                v = scores[block[k:j]]
                if v is absent:
                    break
                s = v + score[j]
                if s >= best:
                    best = s
                    best_end = j
            if best == PREFIX:  # only prefixes start here: the character alone, with frequency 1
                best = self.fallback + score[k + 1]
                best_end = k + 1
            score[k] = best
            end[k] = best_end
        words: list[str] = []
        x = 0
        start = -1  # start of the pending run of single characters
        while x < n:
            y = end[x]
            if y - x == 1:
                if start < 0:
                    start = x
            else:
                if start >= 0:
                    if x - start == 1:
                        words.append(block[start])
                    else:
                        self._flush(block[start:x], words)
                    start = -1
                words.append(block[x:y])
            x = y
        if start >= 0:
            self._flush(block[start:], words)
        return words

    def _flush(self, run: str, words: list[str]) -> None:
        if len(run) == 1:
            words.append(run)
            return
        cut = self.runs.get(run)
        if cut is None:
            v = self.scores[run]
            cut = list(self.hmm_cut(run)) if v is ABSENT or v == PREFIX else list(run)
            if len(self.runs) > MAX_BLOCKS:
                self.runs.clear()
            self.runs[run] = cut
        words.extend(cut)

    def cut_text(self, text: str) -> list[str]:
        """Tokens of ``text`` as ``jieba.Tokenizer.cut(text)`` (accurate mode, HMM on) yields them."""
        words: list[str] = []
        blocks = self.blocks
        if len(blocks) > MAX_BLOCKS:
            blocks.clear()
        get = blocks.get
        # split() with one group alternates text between blocks (even places) and blocks (odd places)
        parts = RE_HAN.split(text)
        last = len(parts) - 1
        for i in range(0, last + 1, 2):
            other = parts[i]
            if other:
                if "\r\n" not in other:
                    words.extend(other)  # punctuation, spaces and the like: one token per character
                else:
                    for x in RE_SKIP.split(other):  # "\r\n" is one token
                        if RE_SKIP.match(x):
                            words.append(x)
                        else:
                            words.extend(x)
            if i < last:
                blk = parts[i + 1]
                cached = get(blk)
                if cached is None:
                    cached = blocks[blk] = self.cut_block(blk)
                words.extend(cached)
        return words


class HMM:
    """``jieba.finalseg.cut`` with the same tokens: the Viterbi path over B/M/E/S unrolled.

    Each state's score is the same float as jieba's, ``(previous + transition) + emission``,
    and a tie goes where jieba's ``max`` over ``(score, state)`` tuples sends it: to the
    state whose letter sorts last. The path is kept as back-pointers instead of copied lists.
    The words of each run of Han characters are kept (they depend on the run and the
    probability tables only; force-split words are applied afterwards, as they may grow).
    """

    def __init__(self, finalseg: Any) -> None:
        if finalseg.PrevStatus != {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}:
            raise ValueError("jieba.finalseg has another state model")
        self.finalseg = finalseg  # its Force_Split_Words may grow (add_word with frequency 0)
        self.memo: dict[str, list[str]] = {}  # run of Han characters → its words (the tables are fixed)
        low = finalseg.MIN_FLOAT
        start, trans, emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
        self.low = low
        self.start = (start["B"], start["M"], start["E"], start["S"])
        self.emit = (emit["B"], emit["M"], emit["E"], emit["S"])
        get = lambda a, b: trans[a].get(b, low)  # noqa: E731
        # into B from E, S; into M from M, B; into S from S, E; into E from B, M
        self.trans = (get("E", "B"), get("S", "B"), get("M", "M"), get("B", "M"), get("S", "S"), get("E", "S"), get("B", "E"), get("M", "E"))

    def cut(self, sentence: str) -> list[str]:
        """The tokens ``jieba.finalseg.cut(sentence)`` yields."""
        finalseg = self.finalseg
        re_han, re_skip = finalseg.re_han, finalseg.re_skip
        force = finalseg.Force_Split_Words
        words: list[str] = []
        memo = self.memo
        for blk in re_han.split(sentence):
            if re_han.match(blk):
                cut = memo.get(blk)
                if cut is None:
                    if len(memo) > MAX_BLOCKS:
                        memo.clear()
                    cut = memo[blk] = self._cut(blk)
                for word in cut:
                    if word not in force:
                        words.append(word)
                    else:
                        words.extend(word)
            else:
                words.extend(x for x in re_skip.split(blk) if x)
        return words

    def _cut(self, sentence: str) -> list[str]:
        """``finalseg.__cut``: the words of one run of Han characters along the Viterbi path."""
        states = self._path(sentence)
        words: list[str] = []
        begin = nexti = 0
        for i, pos in enumerate(states):
            if pos == "B":
                begin = i
            elif pos == "E":
                words.append(sentence[begin : i + 1])
                nexti = i + 1
            elif pos == "S":
                words.append(sentence[i])
                nexti = i + 1
        if nexti < len(sentence):
            words.append(sentence[nexti:])
        return words

    def _path(self, obs: str) -> str:
        """``finalseg.viterbi(obs, "BMES", …)[1]`` as a string of state letters."""
        low = self.low
        eB, eM, eE, eS = (table.get for table in self.emit)
        tEB, tSB, tMM, tBM, tSS, tES, tBE, tME = self.trans
        sB, sM, sE, sS = self.start
        c = obs[0]
        vB, vM, vE, vS = sB + eB(c, low), sM + eM(c, low), sE + eE(c, low), sS + eS(c, low)
        back: list[str] = []  # per position after the first: the best previous state of B, M, E, S
        for c in obs[1:]:
            em = eB(c, low)
            a, b = vE + tEB + em, vS + tSB + em
            nB, fB = (a, "E") if a > b else (b, "S")
            em = eM(c, low)
            a, b = vM + tMM + em, vB + tBM + em
            nM, fM = (a, "M") if a >= b else (b, "B")
            em = eS(c, low)
            a, b = vS + tSS + em, vE + tES + em
            nS, fS = (a, "S") if a >= b else (b, "E")
            em = eE(c, low)
            a, b = vB + tBE + em, vM + tME + em
            nE, fE = (a, "B") if a > b else (b, "M")
            back.append(fB + fM + fE + fS)
            vB, vM, vE, vS = nB, nM, nE, nS
        state = "E" if vE > vS else "S"
        path = [state]
        for step in reversed(back):
            state = step["BMES".index(state)]
            path.append(state)
        return "".join(reversed(path))


def cut_block(block: str, freq: dict[str, int], total: float, hmm_cut: Callable[[str], Iterator[str]]) -> list[str]:
    """Tokens of one block, as ``jieba.Tokenizer.__cut_DAG(block)`` yields them (a fresh :class:`Cutter`)."""
    return Cutter(freq, total, hmm_cut).cut_block(block)


class BlockCache:
    """The :class:`Cutter` for the current state of a tokenizer's dictionary (see :meth:`valid_for`)."""

    def __init__(self) -> None:
        self.cutter: Cutter | None = None
        self.state: tuple[object, ...] = ()

    def valid_for(self, state: tuple[object, ...], make: Callable[[], Cutter]) -> Cutter:
        """The cutter, made afresh by ``make`` when ``state`` differs from the one it was made in."""
        cutter = self.cutter
        if cutter is None or state != self.state:
            cutter = self.cutter = make()
            self.state = state
        return cutter
