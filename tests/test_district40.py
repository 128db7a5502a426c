"""A second meeting: 40 projects, 9 units, with late-starting, 在谈 and earlier-year projects.

Fixture: tests/fixtures/district40 (what each project is, in the header of its projects.yaml).
As of the meeting day 2026-06-30 the pace is 181/365 = 49.6%.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafting.build import BuildOptions, plan_build
from drafting.cli import cli
from drafting.document import Attachment, Document, Enumeration, Heading, Paragraph, Table
from drafting.documents.period import check_as_of
from drafting.errors import InputError
from drafting.figures import compute_figures, is_negotiating, is_not_yet_due, lagging_projects
from drafting.folder import load_meeting_folder

FIXTURE = Path(__file__).parent / "fixtures" / "district40"
AS_OF = date(2026, 6, 30)
SELF_CONTACTED = ("区发展改革局", "区自然资源局", "区生态环境局")


def texts(doc: Document) -> list[str]:
    out: list[str] = []
    for b in doc.blocks:
        blocks = b.blocks if isinstance(b, Attachment) else [b]
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, Heading):
                out.append(block.full_text)
            elif isinstance(block, Enumeration):
                out.append(block.lead + "".join(block.item_texts()))
    return out


@pytest.fixture(scope="module")
def plan():
    return plan_build(FIXTURE, BuildOptions(as_of=AS_OF))


@pytest.fixture(scope="module")
def folder():
    return load_meeting_folder(FIXTURE)


def of_kind(plan, kind: str) -> list:
    return [o for o in plan.outputs if o.kind == kind]


def notice_text(plan) -> str:
    return "\n".join(texts(of_kind(plan, "notice")[0].document))


def test_fixture_is_the_ledger_the_issue_asks_for(folder) -> None:
    projects = folder.ledger.projects
    assert len(projects) == 40 and len({p.lead_unit for p in projects}) == 9
    assert sum(is_negotiating(p) for p in projects) == 4
    assert sum(is_not_yet_due(p, AS_OF) for p in projects) == 6
    f = compute_figures(projects, AS_OF)
    assert (f.completed_count, f.prior_completed_count) == (1, 2)
    assert (f.started_count, f.start_base) == (26, 36)


# --- notice: fair lights ------------------------------------------------------------


def test_no_not_yet_due_or_negotiating_project_is_lit(plan, folder) -> None:
    projects = folder.ledger.projects
    lit = {i.project.name for i in lagging_projects(projects, AS_OF)}
    exempt = {p.name for p in projects if is_not_yet_due(p, AS_OF) or is_negotiating(p)}
    assert len(exempt) == 10 and not lit & exempt
    # and the notice's light paragraphs name none of them either
    lights = [t for t in texts(of_kind(plan, "notice")[0].document) if t.startswith(("（一）", "（二）", "（三）"))]
    assert len(lights) == 3
    for name in exempt:
        assert not any(name in t for t in lights), name


def test_lights_counts_and_long_lists_grouped_by_unit(plan) -> None:
    text = notice_text(plan)
    assert "已过计划开工时间仍未开工的项目3个：西城供水管网工程（西城街道，2025年9月1日签约）" in text
    # 4 red lights are named one by one; 9 yellow lights are counted per unit and listed in the attachment
    assert "落后序时进度30个百分点及以上的项目4个：保障性租赁住房项目（区住房城乡建设局，完成率0.0%，落后49.6个百分点）" in text
    yellow = next(t for t in text.splitlines() if t.startswith("（三）黄灯项目。"))
    assert "的项目9个，涉及区商务局2个、" in yellow and yellow.endswith("具体项目见附件。")
    assert "完成率" not in yellow.split("涉及")[1]  # no wall of names and figures
    counts = [int(n) for n in re.findall(r"(\d+)个", yellow.split("涉及")[1])]
    assert sum(counts) == 9
    assert "尚未到计划开工时间的项目6个，本期不亮灯，涉及" in text
    assert "在谈项目4个（区发展改革局的数据要素交易平台项目；" in text


def test_attachment_marks_every_light_and_exemption(plan) -> None:
    doc = of_kind(plan, "notice")[0].document
    [attachment] = [b for b in doc.blocks if isinstance(b, Attachment)]
    [table] = [b for b in attachment.blocks if isinstance(b, Table)]
    header, total = table.rows[0], table.rows[-1]
    rows = [row for row in table.rows[1:-1] if row[0]]  # project rows; unit rows have no 序号
    unit_rows = [row for row in table.rows[1:-1] if not row[0]]
    assert len(rows) == 40 and len(unit_rows) == 9
    assert sum(int(re.search(r"（(\d+)个）", row[1]).group(1)) for row in unit_rows) == 40
    remark = header.index("备注")
    marks = [row[remark] for row in rows]
    assert (marks.count("清退预警"), marks.count("红灯"), marks.count("黄灯")) == (3, 4, 9)
    assert (marks.count("未到开工期"), marks.count("在谈"), marks.count("往年竣工")) == (6, 4, 2)
    assert total[1] == "合计（40个）" and total[2] == "68.00"
    assert [row[0] for row in rows] == [str(i) for i in range(1, 41)]
    # two decimals in every amount cell, one in every rate
    for row in rows:
        assert re.fullmatch(r"\d+\.\d\d", row[2]), row
        assert re.fullmatch(r"\d+\.\d\d|—", row[3]), row
        assert re.fullmatch(r"\d+\.\d%|—", row[4]), row


def test_start_rate_and_completions_state_their_base(plan) -> None:
    text = notice_text(plan)
    assert "已开工项目26个，开工率72.2%（按除在谈项目外的36个项目计算）" in text  # 26 / 36
    assert "今年已竣工（投产）项目1个。另有2个项目已于以前年度竣工（投产），不计入今年竣工数。" in text
    speech = "".join(texts(of_kind(plan, "speech")[0].document))
    assert "除在谈项目外的36个项目中，已开工26个，开工率72.2%，其中今年已竣工（投产）1个" in speech


def test_notice_dates_come_from_meeting_yaml(plan) -> None:
    doc = of_kind(plan, "notice")[0].document
    assert doc.meta.date == date(2026, 7, 3)
    assert "现将2026年度重点项目截至2026年6月30日的推进情况通报如下" in notice_text(plan)
    signature = next(b for b in doc.blocks if type(b).__name__ == "Signature")
    assert signature.date == "2026年7月3日"


# --- speech: ties --------------------------------------------------------------------


def test_speech_names_whole_ties_only(plan) -> None:
    speech = "".join(texts(of_kind(plan, "speech")[0].document))
    assert (
        "其中区发展改革局和区工业和信息化局牵头项目最多，各6个；区住房城乡建设局和区商务局各牵头5个。" in speech
    )
    # the three units leading 4 each are past the naming limit: none of them is named as busy
    sentence = speech.split("从责任分工看，")[1].split("。")[0]
    for unit in ("区交通运输局", "区自然资源局", "区生态环境局"):
        assert unit not in sentence


# --- mechanisms: one place ----------------------------------------------------------------


def cycles_named(text: str, word: str) -> set[str]:
    return set(re.findall(rf"(周|半月|月|季|半年|年){word}", text))


def test_speech_letters_and_notice_name_the_same_mechanisms(plan) -> None:
    speech = "".join(texts(of_kind(plan, "speech")[0].document))
    notice = notice_text(plan)
    assert cycles_named(speech, "调度") == {"月"} and cycles_named(speech, "通报") == {"季"}
    for letter in of_kind(plan, "letter"):
        text = "".join(texts(letter.build_document()))
        assert "实行月调度、季通报、年考核" in text, letter.unit
        assert cycles_named(text, "调度") == {"月"}
    assert "严格落实月调度制度" in notice
    assert cycles_named(notice, "调度") == {"月"}


def test_changing_the_one_key_changes_every_document(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    shutil.copytree(FIXTURE, folder)
    meeting = yaml.safe_load((folder / "meeting.yaml").read_text(encoding="utf-8"))
    meeting["mechanisms"].update({"dispatch": "周", "briefing": "月", "site_visit": "季"})
    (folder / "meeting.yaml").write_text(yaml.safe_dump(meeting, allow_unicode=True), encoding="utf-8")
    plan = plan_build(folder, BuildOptions(as_of=AS_OF))
    speech = "".join(texts(of_kind(plan, "speech")[0].document))
    assert "坚持周调度，区发展改革局每周汇总项目进展" in speech and "坚持季观摩" in speech
    assert "要落实好三项机制" in speech
    letter = "".join(texts(of_kind(plan, "letter")[0].build_document()))
    assert "实行周调度、月通报、季观摩、年考核" in letter and "每周五前" in letter
    assert "严格落实周调度制度，于每周五前报送" in notice_text(plan)


# --- nobody contacts or reports to itself --------------------------------------------------------


def test_no_unit_is_asked_to_contact_itself(plan) -> None:
    letters = {o.unit: "".join(texts(o.build_document())) for o in of_kind(plan, "letter")}
    for unit, text in letters.items():
        contact = re.search(r"主动对接(.*?)部门", text).group(1)
        core = unit.removeprefix("区").removesuffix("局")
        assert core not in contact, (unit, contact)
    assert "主动对接自然资源、生态环境等部门" in letters["区发展改革局"]
    assert "主动对接发展改革、生态环境等部门" in letters["区自然资源局"]
    assert "主动对接发展改革、自然资源、生态环境等部门" in letters["区商务局"]


def test_reports_go_to_the_collecting_unit_but_never_to_oneself(plan) -> None:
    letters = {o.unit: "".join(texts(o.build_document())) for o in of_kind(plan, "letter")}
    assert "每月5日前向区发展改革局报送" in letters["区商务局"]
    assert "每月5日前向甲方报送" in letters["区发展改革局"]
    # the notice is signed by 区发展改革局, which collects the reports: it does not name itself
    notice = notice_text(plan)
    assert "报区发展改革局" not in notice and "向区发展改革局" not in notice
    assert "书面报送" in notice


# --- dates -----------------------------------------------------------------------------


def test_as_of_outside_the_meeting_year_is_refused(folder) -> None:
    with pytest.raises(InputError) as info:
        check_as_of(folder, date(2025, 12, 31))
    assert "不在会议年度（2026年）内" in str(info.value)
    check_as_of(folder, date(2026, 12, 31))


def test_cli_refuses_an_as_of_in_another_year_with_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    shutil.copytree(FIXTURE, folder)
    result = CliRunner().invoke(cli, ["build", str(folder), "--as-of", "2025-12-31"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "统计截止日期2025年12月31日不在会议年度（2026年）内" in result.output
    assert "Traceback" not in result.output
    assert not (folder / "输出").exists()


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        ({"date": "2026-06-29"}, "notice.date", "成文日期2026年6月29日早于数据截止日期2026年6月30日"),
        ({"red_header": {"organ": "某某区人民政府办公室", "number": "某政办发〔2025〕3号"}}, "notice.red_header.number",
         "发文字号的年份2025与成文日期2026年7月3日不是同一年"),
    ],
)
def test_notice_dates_are_checked_against_the_data(tmp_path: Path, settings: dict, field: str, message: str) -> None:
    folder = tmp_path / "会议"
    shutil.copytree(FIXTURE, folder)
    meeting = yaml.safe_load((folder / "meeting.yaml").read_text(encoding="utf-8"))
    meeting["notice"].update(settings)
    (folder / "meeting.yaml").write_text(yaml.safe_dump(meeting, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as info:
        plan_build(folder, BuildOptions(as_of=AS_OF, only=frozenset({"notice"})))
    assert info.value.location.field == field
    assert message in info.value.message
