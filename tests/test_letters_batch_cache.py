"""A batch of letters shares work between letters (meeting data, header cuts, cell widths, review set-up)
and skips what cannot match; every letter and every review must equal one built from scratch.

The batch is built as ``drafting build --only letters`` builds it; the reference builds each letter alone
with every cache emptied, the meeting converted again, templates re-checked on disk, the reference
python-docx writer, and the placeholder rule scanning every text with every pattern.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from benchmarks.ledgers import make_meeting
from drafting import titlebreak, tokens
from drafting.build import REVIEW_RULES, BuildOptions, plan_build, review_outputs, write_plan
from drafting.check.config import CheckConfig
from drafting.check.engine import check_generated
from drafting.check.names import meeting_names
from drafting.check.rules import RULES
from drafting.check.rules import placeholder
from drafting.check.rules.base import CheckContext
from drafting.check.units import document_units
from drafting.documents.letters import TEMPLATE_NAME, group_projects, letter_context
from drafting.docx import tablelayout
from drafting.docx.writer import write_docx
from drafting.document import Document, Paragraph
from drafting.folder import load_meeting_folder
from drafting.markup import parse_markup
from drafting.templating.environment import default_search_paths, make_environment, render_template

UNITS = 40

# rows that make reviews report something and cells that need care: placeholders, 某某 names, XML
# specials, Latin and digits beside Chinese, a long header-like name
EXTRA_ROWS = [
    ("XX路改造项目", "东城镇人民政府", "建设内容待补充"),
    ("○○片区更新项目", "西城镇人民政府", "新建道路3.2km & 管网<DN800>"),
    ("某某园区配套工程", "南湖镇人民政府", "某某同志牵头，此处填写建设内容"),
    ("5G基站（二期）建设项目", "北山镇人民政府", "新建5G基站120座，覆盖率达到98.5%"),
]


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_meeting(tmp_path_factory.mktemp("batch") / "会议", 300, UNITS)
    path = folder / "projects.xlsx"
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    template = [c.value for c in sheet[2]]
    col = {name: i for i, name in enumerate(header)}
    for name, unit, content in EXTRA_ROWS:
        row = list(template)
        row[col["项目名称"]], row[col["牵头单位"]], row[col["建设内容"]] = name, unit, content
        sheet.append(row)
    book.save(path)
    return folder


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def empty_caches() -> None:
    tablelayout.text_em.cache_clear()
    titlebreak._cached_word_cuts.cache_clear()
    titlebreak._cached_segments.cache_clear()


ANYTHING = re.compile(r"[\s\S]|^")  # matches every text, even the empty one


def unfiltered_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The placeholder rule without its character prefilters: every pattern over every text."""
    monkeypatch.setattr(placeholder, "_TRIGGERS", ANYTHING)
    monkeypatch.setattr(placeholder, "_NEEDS", [ANYTHING] * len(placeholder._PATTERNS))


def test_batch_letters_and_reviews_equal_letters_built_alone(
    meeting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "batch"
    plan = plan_build(meeting, BuildOptions(out_dir=out, only=frozenset({"letters"})))
    write_plan(plan)
    reviews = {r.path: [(f.rule, f.severity, f.message, f.paragraph, f.text) for f in r.findings] for r in review_outputs(plan)}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == UNITS == len(plan.outputs)
    assert {"placeholder"} <= {rule for findings in reviews.values() for rule, *_ in findings}

    unfiltered_placeholder(monkeypatch)
    folder = load_meeting_folder(meeting)
    names = meeting_names(folder.meeting, folder.ledger, folder.priorities)
    groups = group_projects(folder)
    outputs = {o.unit: o for o in plan.outputs}
    assert list(outputs) == list(groups)
    for unit, projects in groups.items():
        empty_caches()
        env = make_environment(default_search_paths(folder.templates_dir))
        env.auto_reload = True
        context = letter_context(folder, unit, projects, plan.as_of)  # the meeting converted for this letter
        document = parse_markup(render_template(env, TEMPLATE_NAME, context), source=TEMPLATE_NAME)
        document.meta.author = context["party_a"]
        document.meta.subject = folder.meeting.name
        document.meta.kind = "letter"
        document.meta.date = plan.as_of
        output = outputs[unit]
        reference = tmp_path / "reference.docx"
        write_docx(document, reference)
        assert members(output.path) == members(reference), unit
        config = CheckConfig(select=REVIEW_RULES, keyword_count=0, known_names=names)
        report = check_generated(document, output.path, config)
        expected = [(f.rule, f.severity, f.message, f.paragraph, f.text) for f in report.findings]
        assert reviews.get(output.path, []) == expected, unit


def test_placeholder_prefilters_skip_only_texts_without_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    alphabet = list("XxＸｘ×○◯_＿【】{}%％此处填写待补充核实某年月日？?长宽光线射12０.aA -+区县市书记第项的") + [" "]
    rng = random.Random(5)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(4000)]
    texts += ["20XX年", "X书记", "近×%", "【待定】", "{{ name }}", "某某同志", "某某区", "？？", "＿＿＿", "○○镇"]
    document = Document(blocks=[Paragraph(text) for text in texts])
    units = document_units(document)
    config = CheckConfig(select=frozenset({"placeholder"}), known_names=frozenset({"某某区"}))

    def hits() -> list[tuple]:
        context = CheckContext(document=document, units=units, config=config)
        return [(h.message, h.snippet, h.severity, id(h.unit)) for h in placeholder._check(context)]

    filtered = hits()
    unfiltered_placeholder(monkeypatch)
    assert len(filtered) > 500
    assert filtered == hits()


def test_rule_registry_ids_and_modules() -> None:
    """The lazy registry lists every rule module once, under the id its rule declares."""
    package = Path(placeholder.__file__).parent
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "base"}
    assert [RULES[rule_id].id for rule_id in RULES] == list(RULES)
    assert sorted(RULES[rule_id].check.__module__.rsplit(".", 1)[1] for rule_id in RULES) == sorted(modules)


def test_cached_cuts_follow_added_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "_tokenizer", tokens.build_tokenizer())
    monkeypatch.setattr(tokens, "_added", set())
    monkeypatch.setattr(tokens, "_terms_version", tokens._terms_version)
    text = "重点项目建设专项资金"

    def fresh() -> list[str]:
        cuts = [c for c in sorted(tokens.token_boundaries(text)) if 0 < c < len(text)]
        bounds = [0, *cuts, len(text)]
        return [text[a:b] for a, b in zip(bounds, bounds[1:])]

    before = titlebreak.unbreakable_segments(text)
    assert before == fresh()
    tokens.add_terms(["项目建设专项"])
    after = titlebreak.unbreakable_segments(text)  # not the cached cuts of before
    assert after == fresh() and "项目建设专项" in after and after != before
    broken = titlebreak.break_title(text, 7, tablelayout.text_em)
    empty_caches()
    assert broken == titlebreak.break_title(text, 7, tablelayout.text_em)


def test_text_em_shortcut_equals_the_character_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    wide = list("项目建设（）《》、，。　ＡＢ１２")  # from U+2E80 on: 1 em each
    narrow = list("AbZ09 .,:;-%/()“”") + ["—", "·", "é", "\t"]
    texts = ["".join(rng.choice(wide) for _ in range(rng.randint(0, 16))) for _ in range(1500)]
    texts += ["".join(rng.choice(wide + narrow) for _ in range(rng.randint(0, 16))) for _ in range(1500)]
    measured = [tablelayout.text_em.__wrapped__(text) for text in texts]
    assert sum(1 for t in texts if not t or min(t) >= tablelayout._WIDE_FROM) >= 1500  # the shortcut is taken
    monkeypatch.setattr(tablelayout, "_WIDE_FROM", "\U0010ffff" * 2)  # above every character: the shortcut never taken
    assert [tablelayout.text_em.__wrapped__(text) for text in texts] == measured


def test_letters_build_does_not_import_other_kinds(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from drafting.cli import main\n"
        f"sys.argv = ['drafting', 'build', {str(tmp_path / '会议')!r}, '--only', 'letters']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "unused = ['drafting.documents.speech', 'drafting.documents.meeting_docs', 'drafting.wordspeech',\n"
        "          'drafting.compare', 'drafting.phrasebank', 'drafting.check.rules.punctuation',\n"
        "          'drafting.check.rules.outdated_term', 'drafting.check.rules.confused_word', 'urllib.request']\n"
        "print(sorted(m for m in unused if m in sys.modules))\n"
        "print('drafting.check.rules.placeholder' in sys.modules)\n"
    )
    from drafting.example import write_example

    write_example(tmp_path / "会议")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    assert lines[-2:] == ["[]", "True"]  # the review's rules ran; nothing of the other kinds was loaded
    assert (tmp_path / "会议" / "输出" / "manifest.json").is_file()
