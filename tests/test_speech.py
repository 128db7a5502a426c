"""The speech (讲话稿): built from a meeting folder, read back as a Document."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from drafting import resources
from drafting.document import Byline, Document, Enumeration, Heading, Paragraph, Salutation, Title
from drafting.documents.speech import TEMPLATE_NAME, build_speech, load_phrases, speech_context
from drafting.errors import InputError, TemplateError
from drafting.markup import parse_markup
from drafting.templating.environment import render_template
from drafting.folder import load_meeting_folder
from drafting.templating.environment import make_environment

FIXTURES = Path(__file__).parent / "fixtures" / "speech"
SMALL = FIXTURES / "small_meeting"
EXAMPLE = resources.corpus_dir() / "example"
MEETING_DAY = date(2026, 3, 6)
CN_ONE_TO_TEN = "一二三四五六七八九十"


def build(folder_path: Path, as_of: date = MEETING_DAY) -> Document:
    folder = load_meeting_folder(folder_path)
    search = [p for p in (folder.templates_dir, resources.templates_dir()) if p is not None]
    return build_speech(folder, as_of, make_environment(search))


def block_texts(document: Document) -> list[str]:
    """Every visible text of the document, as a reader would see it."""
    texts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Title):
            texts.append(block.text)
        elif isinstance(block, Heading):
            texts.append(block.full_text)
        elif isinstance(block, Enumeration):
            texts.append(block.lead)
            texts.extend(block.item_texts())
        elif isinstance(block, (Paragraph, Byline, Salutation)):
            texts.append(block.text)
    return texts


def body_text(document: Document) -> str:
    return "".join(block_texts(document))


def paragraphs(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Paragraph)]


def copy_folder(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def edit_meeting(folder: Path, change) -> None:
    path = folder / "meeting.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_projects(folder: Path, projects: list[dict]) -> None:
    (folder / "projects.yaml").write_text(
        yaml.safe_dump({"projects": projects}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


# --- the built-in example meeting ---------------------------------------------


@pytest.fixture(scope="module")
def example() -> Document:
    return build(EXAMPLE)


def test_example_starts_with_title_byline_and_salutation(example: Document) -> None:
    first, second, third = example.blocks[:3]
    assert isinstance(first, Title) and first.text == "在全区重点项目建设推进会上的讲话"
    assert isinstance(second, Byline) and second.text == "（张某某  2026年3月6日）"
    assert isinstance(third, Salutation) and third.text == "同志们："
    assert example.meta.kind == "speech"
    assert example.meta.title == "在全区重点项目建设推进会上的讲话"
    assert example.meta.author == "张某某"


def test_example_has_four_numbered_sections_following_the_arc(example: Document) -> None:
    level1 = [h for h in example.headings() if h.level == 1]
    assert [h.number for h in level1] == ["一、", "二、", "三、", "四、"]
    assert level1[0].text.startswith("提高站位")
    assert level1[3].text.startswith("强化保障")


def test_example_subsection_numbers_restart_in_each_section(example: Document) -> None:
    groups: list[list[str]] = []
    for heading in example.headings():
        if heading.level == 1:
            groups.append([])
        elif heading.level == 2:
            groups[-1].append(heading.number)
    assert groups == [
        ["（一）", "（二）", "（三）"],
        ["（一）", "（二）", "（三）"],
        ["（一）", "（二）", "（三）", "（四）"],
        ["（一）", "（二）", "（三）", "（四）"],
    ]


def test_declared_number_of_points_matches_the_sections(example: Document) -> None:
    opening = " ".join(paragraphs(example)[:4])
    match = re.search(r"下面，我讲(.)点意见：", opening)
    assert match is not None
    level1 = [h for h in example.headings() if h.level == 1]
    assert match.group(1) == CN_ONE_TO_TEN[len(level1) - 1]


def test_example_opening_joins_purpose_earlier_items_and_policy(example: Document) -> None:
    opening = paragraphs(example)[0] + paragraphs(example)[1]
    assert opening.startswith("今天，我们召开全区重点项目建设推进会，主要任务是认真贯彻落实")
    assert "刚才，区发展改革局通报了全区重点项目建设进展情况，东城街道" in opening
    assert "会议还签订了2026年度重点项目建设目标责任书。" in opening
    assert "省委经济工作会议强调，要把扩大有效投资作为稳增长的关键举措" in opening
    assert "；市委全会指出，要深入开展" in opening


def test_example_run_in_subsections_carry_their_first_paragraph(example: Document) -> None:
    run_ins = [h for h in example.headings() if h.run_in]
    assert len(run_ins) >= 8
    assert all(h.text.endswith("。") for h in run_ins)
    dispatch = next(h for h in example.headings() if h.text == "强化调度督导。")
    assert dispatch.run_in == "要落实好三项机制："
    following = example.blocks[example.blocks.index(dispatch) + 1]
    assert isinstance(following, Enumeration) and len(following.items) == 3


def test_example_enumerations_are_labelled_and_punctuated(example: Document) -> None:
    enumerations = [b for b in example.blocks if isinstance(b, Enumeration)]
    assert enumerations
    inline = next(e for e in enumerations if e.inline)
    assert inline.lead.endswith("要健全签约项目全流程跟踪机制：")
    assert "".join(inline.item_texts()) == (
        "一是每个签约项目明确一名包联领导、一个工作专班；二是项目推进中遇到的问题，逐项列出清单、明确时限、跟踪销号。"
    )
    for enumeration in enumerations:
        assert enumeration.labels[0] == "一是"
        # “一是一个项目……” reads as a stammer: no item starts with a numeral that follows its label
        assert not any(text[2] in CN_ONE_TO_TEN for text in enumeration.item_texts()), enumeration.item_texts()
        assert enumeration.item_texts()[-1].endswith("。")


@pytest.mark.parametrize("inline", [True, False])
def test_items_typed_with_a_trailing_comma_or_semicolon_get_one_proper_mark(tmp_path: Path, inline: bool) -> None:
    folder = copy_folder(SMALL, tmp_path)
    items = ["坚持项目为王，", "坚持要素跟着项目走、", "坚持一线工作法；"]

    def add(data: dict) -> None:
        data["speech"]["sections"][0]["body"].append({"items": items, "inline": inline})

    edit_meeting(folder, add)
    enumerations = [b for b in build(folder).blocks if isinstance(b, Enumeration)]
    [texts] = [e.item_texts() for e in enumerations if "坚持项目为王" in "".join(e.item_texts())]
    if inline:
        assert "".join(texts) == "一是坚持项目为王；二是坚持要素跟着项目走；三是坚持一线工作法。"
    else:
        assert texts == ["一是坚持项目为王。", "二是坚持要素跟着项目走。", "三是坚持一线工作法；"]


def test_example_ends_with_the_meetings_own_closing(example: Document) -> None:
    last = example.blocks[-1]
    assert isinstance(last, Paragraph)
    assert last.text.startswith("同志们，蓝图已经绘就") and last.text.endswith("！")


def test_example_leaves_no_markup_or_template_artefacts(example: Document) -> None:
    text = body_text(example)
    for artefact in ("[[", "]]", "{{", "}}", "{%", "%}", "::", "\\", "None", "—", "|"):
        assert artefact not in text, artefact


def test_example_is_long_enough_for_three_pages(example: Document) -> None:
    # 3 pages × 22 lines × 28 characters = 1848 characters of type area; a real
    # 推进会 speech runs to several pages, so ask for well over that.
    chars = len(re.sub(r"\s", "", body_text(example)))
    assert chars >= 3000


def test_example_data_paragraph_matches_its_own_ledger(example: Document) -> None:
    folder = load_meeting_folder(EXAMPLE)
    projects = folder.ledger.projects
    started = [p for p in projects if p.status is not None and p.status.value in ("已开工", "已竣工", "已投产")]
    signed = [p for p in projects if p.status is None or p.status.value != "在谈"]
    text = body_text(example)
    assert f"共谋划实施重点项目{len(projects)}个" in text
    assert f"除在谈项目外的{len(signed)}个项目中，已开工{len(started)}个，开工率{len(started) / len(signed):.1%}" in text
    # the example's completed projects all finished in 2025: none is this year's
    assert "竣工" not in next(p for p in paragraphs(example) if "开工率" in p)
    province = [p for p in projects if p.level is not None and p.level.value == "省重点"]
    assert f"省重点项目{len(province)}个" in text


def test_example_covers_its_priorities(example: Document) -> None:
    folder = load_meeting_folder(EXAMPLE)
    text = body_text(example)
    headings = "".join(h.full_text for h in example.headings())
    assert 5 <= len(folder.priorities) <= 7
    for priority in folder.priorities:
        names = [priority.name, *priority.aliases]
        hits = sum(text.count(name) for name in names)
        assert hits >= priority.min, priority.name
        if priority.in_heading:
            assert any(name in headings for name in names), priority.name


def test_example_ledger_has_every_status_level_and_lagging_cases() -> None:
    folder = load_meeting_folder(EXAMPLE)
    projects = folder.ledger.projects
    assert 30 <= len(projects) <= 40
    assert {p.status.value for p in projects if p.status} == {"在谈", "已签约", "拟开工", "已开工", "已竣工", "已投产"}
    assert {p.level.value for p in projects if p.level} == {"省重点", "市重点", "区重点"}
    assert 8 <= len({p.lead_unit for p in projects}) <= 12
    signed_long_ago = [
        p
        for p in projects
        if p.status is not None
        and p.status.value == "已签约"
        and p.signed_date is not None
        and p.signed_date < date(2025, 12, 6)
    ]
    assert len(signed_long_ago) >= 2
    pace = 65 / 365
    behind = [
        p
        for p in projects
        if p.annual_plan and p.completed is not None and float(p.completed / p.annual_plan) < pace - 0.10
        and p.status is not None and p.status.value == "已开工"
    ]
    assert len(behind) >= 2
    for p in projects:
        assert p.total_investment is not None and 0.5 <= p.total_investment <= 50


# --- figures in sentences, checked against a hand computation -------------------


@pytest.fixture(scope="module")
def small() -> Document:
    return build(SMALL)


def test_overview_sentence_from_hand_computed_figures(small: Document) -> None:
    # 6 projects; total 10 + 5.5 + 3.25 + 1.2 + 0.8 + 2 = 22.75;
    # annual plan 4 + 2 + 1.5 + 0.5 + 0.3 (+ none for 己) = 8.3.
    assert "今年全区共谋划实施重点项目6个，总投资22.75亿元，年度计划投资8.3亿元。" in body_text(small)


def test_levels_sentence_from_hand_computed_figures(small: Document) -> None:
    # 省重点: 甲 (10); 市重点: 乙 5.5 + 丙 3.25 = 8.75; 区重点: 丁 1.2 + 戊 0.8 + 己 2 = 4.
    expected = "其中，省重点项目1个、总投资10亿元，市重点项目2个、总投资8.75亿元，区重点项目3个、总投资4亿元。"
    assert expected in body_text(small)


def test_starts_sentence_from_hand_computed_figures(small: Document) -> None:
    # Started: 甲, 乙 (已开工), 丁 (已竣工) = 3 of the 5 that are not 在谈 (己) → 60.0%; completed 1 (丁).
    # Completed investment 1.0 + 0.2 + 0.5 = 1.7; 1.7 / 8.3 = 0.20482 → 20.5%.
    # Pace on 6 March 2026 = 65 / 365 = 0.17808; 0.20482 − 0.17808 = 0.02674 → 2.7 points ahead.
    expected = (
        "截至3月6日，除在谈项目外的5个项目中，已开工3个，开工率60.0%，其中今年已竣工（投产）1个；"
        "累计完成投资1.7亿元，占年度计划的20.5%，高于序时进度2.7个百分点。"
    )
    assert expected in body_text(small)


def test_categories_sentence_ranks_by_count_then_investment(small: Document) -> None:
    # 先进制造业 2 (10 + 5.5 = 15.5), 基础设施 2 (3.25 + 0.8 = 4.05), 现代服务业 1 (2), 社会民生 1 (1.2).
    expected = (
        "从产业类别看，先进制造业项目2个、总投资15.5亿元，基础设施项目2个、总投资4.05亿元，"
        "现代服务业项目1个、总投资2亿元，社会民生项目1个、总投资1.2亿元。"
    )
    assert expected in body_text(small)


def test_units_sentence_names_the_busiest_units(small: Document) -> None:
    # 区工业和信息化局 2 (甲, 乙), 区交通运输局 2 (丙, 戊), 区教育局 1, 区商务局 1 → 4 units.
    text = body_text(small)
    assert "4个牵头单位共同承担重点项目建设任务" in text
    assert "其中区交通运输局和区工业和信息化局牵头项目最多，各2个。" in text


def test_adjacent_data_points_form_one_paragraph(small: Document) -> None:
    data = next(p for p in paragraphs(small) if p.startswith("今年全区共谋划"))
    assert "截至3月6日" in data and data.endswith("各2个。")


def units_sentence(tmp_path: Path, counts: list[int]) -> str:
    """The 牵头单位 sentence for a ledger whose units lead ``counts`` projects (units 单位A, 单位B, …)."""
    folder = copy_folder(SMALL, tmp_path)
    projects = []
    for i, count in enumerate(counts):
        unit = f"区单位{chr(ord('A') + i)}局"
        projects += [{"项目名称": f"{unit}项目{n}", "牵头单位": unit, "年度计划投资（亿元）": 1} for n in range(count)]
    write_projects(folder, projects)
    return next(p for p in paragraphs(build(folder)) if "从责任分工看" in p).split("从责任分工看，")[1]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # the example's shape: one unit leads 5, four tie at 4 — all five fit in the five names allowed
        (
            [5, 4, 4, 4, 4, 3],
            "6个牵头单位共同承担重点项目建设任务，其中区单位A局牵头项目最多，达5个；"
            "区单位B局、区单位C局、区单位D局和区单位E局各牵头4个。",
        ),
        # a tie at the cut is never split: the six tied at 4 cannot all be named, so none of them is
        ([5, 4, 4, 4, 4, 4, 4], "7个牵头单位共同承担重点项目建设任务，其中区单位A局牵头项目最多，达5个。"),
        # the first group alone is too many to name: say how many there are
        ([3] * 6 + [1], "7个牵头单位共同承担重点项目建设任务，其中6个单位各牵头3个项目，牵头项目最多。"),
        # every unit leads as many: no “最多”
        ([2, 2, 2], "3个牵头单位共同承担重点项目建设任务，各牵头2个项目。"),
        # units with a single project are not named as busy
        ([1, 1], "2个牵头单位共同承担重点项目建设任务，各牵头1个项目。"),
        ([2, 1, 1], "3个牵头单位共同承担重点项目建设任务，其中区单位A局牵头项目最多，达2个。"),
    ],
)
def test_units_sentence_names_a_tie_whole_or_not_at_all(tmp_path: Path, counts: list[int], expected: str) -> None:
    assert units_sentence(tmp_path, counts) == expected


def test_later_as_of_date_changes_the_figures(tmp_path: Path) -> None:
    # On 30 June 2026 the pace is 181 / 365 = 0.49589; 0.20482 − 0.49589 → 29.1 points behind.
    document = build(SMALL, as_of=date(2026, 6, 30))
    assert "截至6月30日" in body_text(document)
    assert "低于序时进度29.1个百分点" in body_text(document)


def test_small_speech_structure_and_count(small: Document) -> None:
    level1 = [h for h in small.headings() if h.level == 1]
    assert len(level1) == 3
    assert "下面，我讲三点意见：" in body_text(small)
    assert [h.full_text for h in small.headings() if h.level == 2][0] == "（一）抓好在建项目。在建项目要倒排工期。"


def test_items_styles_and_item_count_placeholder(small: Document) -> None:
    texts = block_texts(small)
    assert "要做到三个坚持：一是坚持周调度；二是坚持月通报；三是坚持季观摩。" in "".join(texts)
    assert "（一）强化要素保障。要落实好两项机制：" in texts
    assert "第一，严格考核。" in texts and "第二，严肃问责。" in texts


def test_section_without_body_gets_the_role_lead_from_the_phrase_bank(small: Document) -> None:
    # a 推进会 takes one of the variants of corpus/phrases/speech_progress.yaml (drafting.phrasebank)
    variants = load_phrases(resources.corpus_dir() / "phrases" / "speech_progress.yaml")["sections"]["guarantee"]["choose"]
    guarantee = next(h for h in small.headings() if h.text == "强化保障，压实责任")
    after = small.blocks[small.blocks.index(guarantee) + 1]
    assert isinstance(after, Paragraph) and after.text in variants


def test_default_closing_comes_from_the_phrase_bank(small: Document) -> None:
    closing = load_phrases()["closing"]["default"]
    assert paragraphs(small)[-len(closing) :] == closing
    assert paragraphs(small)[-1].startswith("同志们，") and paragraphs(small)[-1].endswith("！")


def test_meeting_phrases_file_overrides_single_phrases(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    (folder / "phrases.yaml").write_text(
        "closing:\n  default:\n    - 同志们，让我们撸起袖子加油干，为全县发展再立新功！\n", encoding="utf-8"
    )
    document = build(folder)
    assert paragraphs(document)[-1] == "同志们，让我们撸起袖子加油干，为全县发展再立新功！"
    guarantee = next(h for h in document.headings() if h.text == "强化保障，压实责任")
    after = document.blocks[document.blocks.index(guarantee) + 1]
    variants = load_phrases(resources.corpus_dir() / "phrases" / "speech_progress.yaml")["sections"]["guarantee"]["choose"]
    assert after.text in variants  # phrases not overridden stay built-in


def test_broken_meeting_phrases_file_is_named(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    (folder / "phrases.yaml").write_text("closing:\n  default: [未闭合\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        build(folder)
    assert "phrases.yaml" in str(info.value) and "第" in str(info.value)


# --- removing a section, missing data, odd text -----------------------------------


def test_declared_count_follows_a_removed_section(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    edit_meeting(folder, lambda data: data["speech"]["sections"].pop(0))
    document = build(folder)
    assert "下面，我讲两点意见：" in body_text(document)
    assert [h.number for h in document.headings() if h.level == 1] == ["一、", "二、"]


def test_opening_without_earlier_items_or_policy(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)

    def strip(data: dict) -> None:
        del data["earlier"], data["policy"]

    edit_meeting(folder, strip)
    first = paragraphs(build(folder))[0]
    assert first == "今天，我们召开全区项目建设调度会，主要任务是调度一季度重点项目进展，部署下一阶段工作。下面，我讲三点意见："


def test_levels_without_projects_are_left_out(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    write_projects(
        folder,
        [
            {"项目名称": "甲项目", "牵头单位": "区商务局", "总投资（亿元）": 3, "年度计划投资（亿元）": 1, "项目级别": "区重点"},
            {"项目名称": "乙项目", "牵头单位": "区商务局", "总投资（亿元）": 2.5, "项目级别": "市重点"},
        ],
    )
    text = body_text(build(folder))
    assert "其中，市重点项目1个、总投资2.5亿元，区重点项目1个、总投资3亿元。" in text
    assert "省重点" not in text
    assert "全部重点项目由区商务局牵头推进。" in text


def test_no_started_projects_and_zero_plan_need_no_division(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    write_projects(
        folder,
        [
            {"项目名称": "甲项目", "牵头单位": "区商务局", "总投资（亿元）": 3, "项目状态": "在谈"},
            {"项目名称": "乙项目", "牵头单位": "区教育局", "总投资（亿元）": 1, "项目状态": "拟开工"},
        ],
    )
    text = body_text(build(folder))
    assert "今年全区共谋划实施重点项目2个，总投资4亿元。" in text  # no plan sentence when the plan is 0
    assert "截至3月6日，重点项目尚未开工建设。" in text
    assert "累计完成投资" not in text and "—" not in text
    assert "其中，" not in text  # no levels in the ledger: the levels sentence is left out


def test_a_gap_printed_as_zero_is_level_with_the_pace(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    write_projects(
        folder,
        [{"项目名称": "甲项目", "牵头单位": "区商务局", "年度计划投资（亿元）": 100000,
          "累计完成投资（亿元）": 99999.96, "项目状态": "已开工"}],
    )
    text = body_text(build(folder, date(2026, 12, 31)))  # pace 1; 0.00004 points behind prints as 0.0
    assert "占年度计划的100.0%，与序时进度持平。" in text
    assert "0.0个百分点" not in text


def test_text_that_looks_like_markup_is_kept_literally(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    odd = "+3个百分点的增幅来之不易。"

    def add(data: dict) -> None:
        data["speech"]["sections"][0]["body"].append(odd)
        data["speech"]["sections"][0]["body"].append("::注意 这不是指令。")
        data["speech"]["sections"][1]["subsections"][0]["body"][0] = "-1个百分点也不能落下。"

    edit_meeting(folder, add)
    document = build(folder)
    texts = paragraphs(document)
    assert odd in texts and "::注意 这不是指令。" in texts
    run_in = next(h for h in document.headings() if h.text == "抓好在建项目。")
    assert run_in.run_in == "-1个百分点也不能落下。"


def test_paragraphs_wrapped_over_several_yaml_lines_get_no_stray_spaces(tmp_path: Path) -> None:
    # YAML folds the line breaks of a plain multi-line value into spaces; none belongs between Chinese
    # characters, while spaces typed next to Latin words are the writer's choice and stay.
    folder = copy_folder(SMALL, tmp_path)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    wrapped = "        - 项目建设是稳增长的\n          关键，要抓好 PPP 项目\n          和 REITs 试点。\n"
    text = text.replace("        - 项目建设是稳增长的关键。\n", wrapped, 1)
    assert wrapped in text
    path.write_text(text, encoding="utf-8")
    assert "项目建设是稳增长的关键，要抓好 PPP 项目和 REITs 试点。" in paragraphs(build(folder))


def test_long_default_title_stays_one_line_in_the_model(tmp_path: Path) -> None:
    # Breaking depends on the page, so the writer does it (tests/test_titlebreak.py).
    folder = copy_folder(SMALL, tmp_path)
    edit_meeting(folder, lambda data: data["meeting"].update(name="全区2026年重点项目建设暨招商引资工作推进会"))
    title = build(folder).title
    assert title is not None
    assert title.lines == ["在全区2026年重点项目建设暨招商引资工作推进会上的讲话"]


def test_title_broken_by_hand_keeps_its_lines(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    edit_meeting(folder, lambda data: data["speech"].update(title="在全区项目建设\n调度会上的讲话"))
    document = build(folder)
    assert document.title is not None and document.title.lines == ["在全区项目建设", "调度会上的讲话"]
    assert document.meta.title == "在全区项目建设调度会上的讲话"


def test_short_title_stays_on_one_line(small: Document) -> None:
    assert small.title is not None and small.title.lines == ["在全区项目建设调度会上的讲话"]


# --- templates are content: a meeting folder may override them --------------------


def test_meeting_folder_template_overrides_a_phrase(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    override = folder / "templates" / "speech" / "data"
    override.mkdir(parents=True)
    (override / "overview.gw.j2").write_text(
        "本年度纳入调度的重点项目共{{ figures.project_count }}个，总投资{{ figures.total_investment|yi }}亿元。\n",
        encoding="utf-8",
    )
    text = body_text(build(folder))
    assert "本年度纳入调度的重点项目共6个，总投资22.75亿元。" in text
    assert "共谋划实施" not in text
    assert "其中，省重点项目1个" in text  # the other partials are still the built-in ones


def test_a_broken_override_names_its_template(tmp_path: Path) -> None:
    folder = copy_folder(SMALL, tmp_path)
    (folder / "templates").mkdir()
    (folder / "templates" / "speech").mkdir()
    (folder / "templates" / "speech" / "closing.gw.j2").write_text("{{ no_such_name }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build(folder)
    assert "closing.gw.j2" in str(caught.value)


# --- the phrase bank ------------------------------------------------------------


def test_phrase_bank_wording_reaches_the_speech(tmp_path: Path) -> None:
    folder = load_meeting_folder(SMALL)
    phrases = load_phrases()
    phrases["scope"] = "全县"
    phrases["salutation"] = "各位同志："
    context = speech_context(folder, MEETING_DAY, phrases=phrases)
    env = make_environment([resources.templates_dir()])
    document = parse_markup(render_template(env, TEMPLATE_NAME, context), source=TEMPLATE_NAME)
    text = body_text(document)
    assert "今年全县共谋划实施重点项目6个" in text
    assert any(isinstance(b, Salutation) and b.text == "各位同志：" for b in document.blocks)


def test_broken_phrase_bank_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "speech.yaml"
    path.write_text("scope: 全区\nopening:\n  today: [未闭合\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_phrases(path)
    assert caught.value.location.file == path
    assert caught.value.location.line is not None


# --- rendering ---------------------------------------------------------------------


@pytest.mark.render
def test_example_renders_to_at_least_three_a4_pages(tmp_path: Path, example: Document) -> None:
    from drafting.docx.writer import write_docx
    from tests.rendering import docx_to_pdf, pdf_pages_text

    docx = tmp_path / "讲话稿.docx"
    write_docx(example, docx)
    pages = pdf_pages_text(docx_to_pdf(docx, tmp_path))
    assert len(pages) >= 3
    assert "在全区重点项目建设推进会上的讲话" in pages[0].replace(" ", "")
