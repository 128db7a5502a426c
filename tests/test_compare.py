"""drafting compare / build --previous: how much of a new draft repeats last year's."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import compare as compare_module
from drafting.cli import cli
from drafting.compare import SIMILARITY_THRESHOLD, Place, Sentence, _bigrams, match_sentences, normalise, sentences
from drafting.check.units import draft_units
from drafting.readers import load_draft

FIXTURES = Path(__file__).parent / "fixtures" / "outline"
SAFETY = FIXTURES / "安全生产讲话.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def sentence(text: str) -> Sentence:
    key = normalise(text)
    shape = compare_module._DIGITS.sub("#", key)
    return Sentence(text, Place(None, "", ""), key, shape, _bigrams(shape))


# Pairs a secretary would call "the same sentence, edited" and pairs that only share set phrases.
NEAR = [
    ("今年全区共安排重点项目120个，总投资560亿元。", "今年全区共安排重点项目135个，总投资612.5亿元。"),
    ("各街道、各部门要把思想和行动统一到这次会议的部署上来。", "各街道、各部门要把思想和行动统一到区委区政府的部署上来。"),
    ("要坚持一把手招商，聚焦主导产业链条上的缺链、弱链环节，开展精准招商。", "要坚持一把手招商，聚焦主导产业链条上的缺链环节，开展以商招商、精准招商。"),
    ("项目建设是一项系统工程，必须上下联动、部门协同、形成合力。", "营商环境建设是一项系统工程，必须上下联动、部门协同、形成合力。"),
]
DIFFERENT = [
    ("要加强组织领导，压实工作责任，确保各项任务落到实处。", "要加强统筹协调，形成工作合力，确保各项任务落到实处。"),
    ("安全生产只有起点、没有终点。", "安全生产只有进行时、没有完成时。"),
    ("发展是第一要务，项目是发展的第一支撑。", "发展是第一要务，人才是第一资源，创新是第一动力。"),
    ("要加强组织领导，压实工作责任。", "要强化督查考核，压实工作责任。"),
]


@pytest.mark.parametrize(("old", "new"), NEAR)
def test_edited_sentences_are_near_duplicates(old: str, new: str) -> None:
    pairs = match_sentences([sentence(old)], [sentence(new)])
    assert len(pairs) == 1 and pairs[0].kind == "near" and pairs[0].similarity >= SIMILARITY_THRESHOLD


@pytest.mark.parametrize(("old", "new"), DIFFERENT)
def test_sentences_sharing_set_phrases_are_not(old: str, new: str) -> None:
    assert match_sentences([sentence(old)], [sentence(new)]) == []


def test_punctuation_and_spaces_do_not_matter() -> None:
    pairs = match_sentences([sentence("要全面推行“容缺受理”“并联审批”。")], [sentence("要全面推行容缺受理、并联审批 ！")])
    assert [p.kind for p in pairs] == ["exact"]


def edited_speech(tmp_path: Path) -> tuple[Path, int]:
    """This year's speech: last year's with figures changed, one sentence rewritten, a paragraph added and one cut."""
    text = SAFETY.read_text(encoding="utf-8")
    text = text.replace("17起", "12起").replace("4620处", "5130处")
    text = text.replace("对这些问题，我们必须保持清醒头脑，绝不能有丝毫松懈麻痹。", "今年要把应急管理体系建设摆在更加突出的位置，全面提升应急处置能力。")
    text = text.replace("（四）消防安全\n要针对高层建筑、大型商业综合体、“九小场所”等开展消防安全隐患排查整治，确保消防通道畅通、消防设施完好有效。\n", "")
    text = text.replace(
        "安全生产责任重于泰山。",
        "安全生产责任重于泰山。\n应急队伍建设要纳入各乡镇年度考核，每个乡镇至少组建一支综合应急救援队伍。",
    )
    path = tmp_path / "今年讲话.txt"
    path.write_text(text, encoding="utf-8")
    total = len(sentences(draft_units(load_draft(path))))
    return path, total


def test_compare_reports_share_pairs_places_and_figures(tmp_path: Path) -> None:
    new, total = edited_speech(tmp_path)
    code, out, err = run("compare", str(SAFETY), str(new), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    # new: the rewritten sentence, the added paragraph (one sentence); all others repeat last year
    assert data["sentences"]["total"] == total
    assert data["sentences"]["repeated"] == total - 2
    assert data["share"] == pytest.approx((total - 2) / total, abs=1e-4)
    texts = {p["new"]["text"]: p for p in data["pairs"]}
    changed = texts["全年共发生各类生产安全事故12起、死亡9人，同比分别下降22.7%和18.2%，没有发生较大以上事故。"]
    assert changed["kind"] == "near"
    assert changed["new"]["paragraph"] == 7 and changed["old"]["paragraph"] == 7
    assert changed["new"]["section"] == "一、正确认识当前安全生产形势"
    moved = texts["三、切实压紧压实安全生产责任"]
    assert moved["kind"] == "exact" and moved["old"]["paragraph"] == 22 and moved["new"]["paragraph"] == 20
    figures = {(f["old"], f["new"]) for f in data["figures"]["changed"]}
    assert figures == {("17起", "12起"), ("4620处", "5130处")}
    assert "98.6%" in {f["new"] for f in data["figures"]["unchanged"]}


def test_compare_text_and_priorities(tmp_path: Path) -> None:
    new, _ = edited_speech(tmp_path)
    priorities = tmp_path / "priorities.yaml"
    priorities.write_text("priorities:\n  - name: 应急\n    aliases: [应急管理, 应急救援]\n  - name: 消防安全\n", encoding="utf-8")
    code, out, err = run("compare", str(SAFETY), str(new), "--priorities", str(priorities))
    assert code == 0, err
    assert "重复率" in out and "与旧稿重复的句子" in out
    assert "应急：旧稿 2 次 → 新稿 6 次，增加" in out
    assert "消防安全：旧稿 2 次 → 新稿 0 次，减少  （新稿未达要求）" in out
    assert "各类生产安全事故：17起 → 12起" in out


def test_compare_bad_input(tmp_path: Path) -> None:
    code, _, err = run("compare", str(SAFETY), str(tmp_path / "无.docx"))
    assert code == 2 and "文件不存在" in err


def test_large_inputs_are_not_compared_pair_by_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    # words of two characters used with Zipf frequencies, as in speeches: many sentences share common bigrams
    chars = [chr(0x4E00 + i * 7) for i in range(600)]
    words = ["".join(rng.sample(chars, 2)) for _ in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(words))]

    def make() -> str:
        return "".join(rng.choices(words, weights, k=rng.randint(8, 18))) + "。"

    old = [sentence(make()) for _ in range(1500)]
    new = [sentence(make()) for _ in range(1500)]
    planted = [sentence(old[i].text.replace("。", "工作。")) for i in range(0, 1500, 100)]
    calls = 0
    real = compare_module.jaccard

    def counting(a: frozenset[str], b: frozenset[str]) -> float:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(compare_module, "jaccard", counting)
    pairs = match_sentences(old, new + planted)
    found = {p.new.text for p in pairs}
    assert all(p.text in found for p in planted)
    assert calls < len(old) * len(new) // 20  # about 1% of all pairs are ever scored


def test_build_previous_prints_the_share(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("outline", str(SAFETY), "--to-meeting", str(folder))[0] == 0
    code, out, err = run("build", str(folder), "--only", "speech", "--previous", str(SAFETY))
    assert code == 0, err
    assert "与上一稿" in out and "重复率 100.0%" in out
    code, _, err = run("build", str(folder), "--only", "speech", "--force", "--previous", str(tmp_path / "无.txt"))
    assert code == 2 and "文件不存在" in err


def test_reuse_walkthrough_as_in_docs(tmp_path: Path) -> None:
    """docs/reuse.md step by step: last year's Word speech → folder → same speech → this year's figures → share."""
    from test_outline import BUSINESS, write_numbered_docx

    last_year = write_numbered_docx(BUSINESS, tmp_path / "去年讲话.docx")
    folder = tmp_path / "今年推进会"
    assert run("outline", str(last_year))[0] == 0
    assert run("outline", str(last_year), "--to-meeting", str(folder))[0] == 0
    assert run("build", str(folder), "--only", "speech")[0] == 0
    rebuilt = folder / "输出" / "讲话稿.docx"
    code, out, _ = run("compare", str(last_year), str(rebuilt), "--format", "json")
    assert code == 0 and json.loads(out)["share"] == 1.0
    # the secretary edits the figures in place, as the “# 数据：” comments point out
    meeting = folder / "meeting.yaml"
    text = meeting.read_text(encoding="utf-8")
    assert "# 数据：2.36万户、14.2%" in text
    text = text.replace("2.36万户", "2.81万户").replace("同比增长14.2%", "同比增长19.1%")
    text = text.replace("凡是能够通过数据共享核定的政策，一律免于申报；", "凡是能够通过数据共享核定的政策，全部实行免申即享，企业无需提交任何材料；")
    meeting.write_text(text, encoding="utf-8")
    code, out, err = run("build", str(folder), "--only", "speech", "--force", "--previous", str(last_year))
    assert code == 0, err
    share_line = next(line for line in out.splitlines() if line.startswith("与上一稿"))
    assert "重复率" in share_line and "100.0%" not in share_line
    code, out, _ = run("compare", str(last_year), str(rebuilt))
    assert "新登记经营主体：2.36万户 → 2.81万户" in out
    assert "同比增长：14.2% → 19.1%" in out


def test_prefix_filtering_finds_what_comparing_every_pair_finds() -> None:
    rng = random.Random(11)
    chars = [chr(0x4E00 + i * 5) for i in range(300)]
    words = ["".join(rng.sample(chars, 2)) for _ in range(150)]
    weights = [1 / (rank + 1) for rank in range(len(words))]

    def make() -> str:
        return "".join(rng.choices(words, weights, k=rng.randint(5, 14))) + "。"

    old = [sentence(make()) for _ in range(300)]
    edited = []
    for index in range(0, 300, 3):  # drop, swap or add a word: some stay above the threshold, some fall below
        text = old[index].text
        cut = rng.randrange(0, max(len(text) - 3, 1))
        edited.append(sentence(text[:cut] + rng.choice(words) + text[cut + 2 :]))
    new = [sentence(make()) for _ in range(200)] + edited
    expected = {}
    for candidate in new:
        scores = [compare_module.jaccard(candidate.grams, o.grams) for o in old]
        best = max(scores)
        if candidate.key in {o.key for o in old}:
            expected[candidate.text] = 1.0
        elif best >= SIMILARITY_THRESHOLD:
            expected[candidate.text] = best
    found = {p.new.text: p.similarity for p in match_sentences(old, new)}
    assert found.keys() == expected.keys()
    assert all(found[text] == pytest.approx(score) for text, score in expected.items())
    assert 20 < len(found) < len(new)
