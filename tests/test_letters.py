"""Responsibility letters: one per unit, exactly that unit's projects, safe file names."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rendering import docx_to_pdfs, pdf_pages_text
from openpyxl import Workbook

from drafting.document import Heading, Paragraph, PartiesSignature, SectionBreak, Table, Title
from drafting.documents.letters import Letter, build_combined_letters, build_letters
from drafting.errors import InputErrors
from drafting.folder import MeetingFolder, load_meeting_folder
from drafting.templating.environment import default_search_paths, make_environment

FIXTURE = Path(__file__).parent / "fixtures" / "figures" / "meeting"
AS_OF = date(2026, 3, 6)
HEADERS = ["项目名称", "牵头单位", "责任领导", "建设内容", "总投资（亿元）", "年度计划投资（亿元）", "计划开工日期"]


def make_folder(tmp_path: Path, ledger_rows: list[list] | None = None, letters: str = "") -> MeetingFolder:
    """A meeting folder from the fixture; optionally another ledger (xlsx) and letters settings."""
    folder = tmp_path / "会议"
    folder.mkdir()
    meeting = (FIXTURE / "meeting.yaml").read_text(encoding="utf-8")
    if letters:
        meeting = meeting.replace("letters:\n  party_a: 某某区重点项目建设领导小组\n", letters)
    (folder / "meeting.yaml").write_text(meeting, encoding="utf-8")
    if ledger_rows is None:
        shutil.copy(FIXTURE / "projects.yaml", folder / "projects.yaml")
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(HEADERS)
        for row in ledger_rows:
            sheet.append(row)
        book.save(folder / "projects.xlsx")
    return load_meeting_folder(folder)


def build(folder: MeetingFolder) -> list[Letter]:
    return build_letters(folder, AS_OF, make_environment(default_search_paths(folder.templates_dir)))


def task_table(letter: Letter) -> Table:
    """The 目标任务 table: the first table after the heading 目标任务."""
    blocks = letter.document.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "目标任务")
    return next(b for b in blocks[start:] if isinstance(b, Table))


# --- the fixture meeting ----------------------------------------------------


def test_one_letter_per_lead_unit_in_ledger_order(tmp_path: Path) -> None:
    letters = build(make_folder(tmp_path))
    assert [l.unit for l in letters] == ["区发改局", "区住建局", "区商务局", "区文旅局"]
    assert [l.filename for l in letters] == ["区发改局.docx", "区住建局.docx", "区商务局.docx", "区文旅局.docx"]


def test_letter_structure(tmp_path: Path) -> None:
    letter = build(make_folder(tmp_path))[0]
    doc = letter.document
    assert doc.meta.kind == "letter"
    assert isinstance(doc.title, Title)
    assert doc.title.text == "区发改局2026年度重点项目建设目标责任书"
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "甲方：某某区重点项目建设领导小组" in texts
    assert "乙方：区发改局" in texts
    assert [(h.number, h.text) for h in doc.headings() if h.level == 1] == [
        ("一、", "目标任务"),
        ("二、", "工作要求"),
        ("三、", "考核与奖惩"),
        ("四、", "附则"),
    ]
    parties = doc.blocks[-1]
    assert isinstance(parties, PartiesSignature)
    assert parties.left[0].startswith("甲方（盖章）") and parties.right[0].startswith("乙方（盖章）")
    assert any("负责人（签字）" in line for line in parties.left)
    assert any("负责人（签字）" in line for line in parties.right)
    assert "年" in parties.left[-1] and "日" in parties.right[-1]


def test_task_table_lists_exactly_the_units_projects_with_a_total(tmp_path: Path) -> None:
    letter = build(make_folder(tmp_path))[0]  # 区发改局: 甲一 (plan 4), 甲二 (2), 甲三 (3)
    table = task_table(letter)
    assert table.caption == "2026年度重点项目目标任务表（单位：亿元）"
    assert table.rows[0] == ["序号", "项目名称", "建设内容", "年度计划投资", "节点目标", "责任领导"]
    body, total = table.rows[1:-1], table.rows[-1]
    assert [r[1] for r in body] == ["甲一智能装备产业园", "甲二新材料项目", "甲三数据中心"]
    assert [r[0] for r in body] == ["1", "2", "3"]
    assert [r[3] for r in body] == ["4.00", "2.00", "3.00"]  # two decimals in every row
    assert body[0][2] == "建设标准化厂房12万平方米，购置智能生产线8条"
    assert [r[5] for r in body] == ["王某某"] * 3
    assert table.total_row
    assert total[:4] == ["", "合计", "3个项目", "9.00"]  # 4 + 2 + 3


def test_milestones_come_from_the_ledger_dates(tmp_path: Path) -> None:
    body = task_table(build(make_folder(tmp_path))[0]).rows[1:-1]
    # 甲一 started, completes 2027-12 (after the letters' year); 甲二 starts 2026-05, completes 2026-12;
    # 甲三 not started by 03-06, planned start 2026-04.
    assert "2027年12月底前竣工" in body[0][4] and "开工" not in body[0][4]
    assert body[1][4].startswith("2026年5月底前开工") and "2026年12月底前竣工" in body[1][4]
    assert body[2][4].startswith("2026年4月底前开工")


def test_milestones_already_past_on_the_as_of_date_are_not_set_as_targets(tmp_path: Path) -> None:
    # As of 2026-03-06: a start planned for 2026-01 or 2025-12 is overdue; a start in March is still ahead.
    headers_rows = [
        ["逾期未开工", "区发改局", "王某某", None, 5, 2, date(2026, 1, 15)],
        ["去年计划开工", "区发改局", "王某某", None, 5, 2, date(2025, 12, 1)],
        ["本月开工", "区发改局", "王某某", None, 5, 2, date(2026, 3, 31)],
    ]
    body = task_table(build(make_folder(tmp_path, headers_rows))[0]).rows[1:-1]
    assert body[0][4].startswith("尽快开工；") and "1月底" not in body[0][4]
    assert body[1][4].startswith("尽快开工；") and "2025年" not in body[1][4]
    assert body[2][4].startswith("2026年3月底前开工；")


def test_overdue_completion_is_not_set_as_a_target(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    make_folder(tmp_path)
    ledger = folder / "projects.yaml"
    text = ledger.read_text(encoding="utf-8")
    text = text.replace("计划竣工日期: 2027-12-31", "计划竣工日期: 2025-12-31", 1)
    assert "2025-12-31" in text
    ledger.write_text(text, encoding="utf-8")
    body = task_table(build(load_meeting_folder(folder))[0]).rows[1:-1]
    assert "2025年12月" not in body[0][4]
    assert body[0][4] == "尽快竣工，2026年底前完成年度计划投资"


def test_line_breaks_typed_in_ledger_cells_leave_no_stray_space(tmp_path: Path) -> None:
    rows = [["产业园\n一期", "区发改局", "王某某", "建设厂房\n购置设备", 5, 2, None],
            ["Data Park", "区发改局", "王某某", "Phase 1\nbuilding", 5, 2, None]]
    body = task_table(build(make_folder(tmp_path, rows))[0]).rows[1:-1]
    assert [r[1:3] for r in body] == [["产业园一期", "建设厂房购置设备"], ["Data Park", "Phase 1 building"]]


def test_a_unit_without_planned_investment_is_not_told_zero(tmp_path: Path) -> None:
    rows = [["前期项目", "区发改局", "王某某", "开展前期研究", 5, None, None]]
    [letter] = build(make_folder(tmp_path, rows))
    text = "".join(b.text for b in letter.document.blocks if isinstance(b, Paragraph))
    assert "乙方牵头推进重点项目1个，总投资5亿元。" in text and "年度计划投资0" not in text


def test_party_a_and_year_follow_meeting_settings(tmp_path: Path) -> None:
    letters = build(make_folder(tmp_path, letters="letters:\n  year: 2027\n"))
    doc = letters[0].document
    assert doc.title.text == "区发改局2027年度重点项目建设目标责任书"
    assert "甲方：某某区人民政府" in [getattr(b, "text", "") for b in doc.blocks]  # organizer by default


def test_letters_by_leader(tmp_path: Path) -> None:
    rows = [
        ["项目一", "区发改局", "王某某", "", 1, 0.5, None],
        ["项目二", "区住建局", "李某某", "", 1, 0.25, None],
        ["项目三", "区住建局", "王某某", "", 1, 0.75, None],
    ]
    letters = build(make_folder(tmp_path, rows, letters="letters:\n  by: 责任领导\n"))
    assert [l.unit for l in letters] == ["王某某", "李某某"]
    table = task_table(letters[0])
    assert table.rows[0][-1] == "牵头单位"
    assert [(r[1], r[5]) for r in table.rows[1:-1]] == [("项目一", "区发改局"), ("项目三", "区住建局")]
    assert table.rows[-1][3] == "1.25"  # 0.5 + 0.75
    assert [r[3] for r in table.rows[1:-1]] == ["0.50", "0.75"]


def test_letters_by_leader_reports_projects_without_a_leader(tmp_path: Path) -> None:
    rows = [
        ["项目一", "区发改局", "王某某", "", 1, 0.5, None],
        ["项目二", "区住建局", None, "", 1, 0.25, None],
        ["项目三", "区住建局", None, "", 1, 0.75, None],
    ]
    folder = make_folder(tmp_path, rows, letters="letters:\n  by: 责任领导\n")
    with pytest.raises(InputErrors) as caught:
        build(folder)
    errors = caught.value.errors
    assert [e.location.row for e in errors] == [3, 4]  # Excel rows of 项目二, 项目三
    assert all(e.location.field == "责任领导" for e in errors)
    assert "项目二" in errors[0].message


def test_combined_letters_start_each_on_a_new_page(tmp_path: Path) -> None:
    letters = build(make_folder(tmp_path))
    combined = build_combined_letters(letters)
    blocks = combined.blocks
    assert len(blocks) == sum(len(l.document.blocks) for l in letters) + len(letters) - 1
    titles = [i for i, b in enumerate(blocks) if isinstance(b, Title)]
    assert len(titles) == len(letters)
    assert all(isinstance(blocks[i - 1], SectionBreak) for i in titles[1:])
    assert not isinstance(blocks[0], SectionBreak) and not isinstance(blocks[-1], SectionBreak)
    assert combined.meta.kind == "letter"
    assert combined.meta.title == "2026年度重点项目建设目标责任书"


# --- 300 units, ~1000 projects ---------------------------------------------


def generated_ledger(seed: int = 7) -> tuple[list[list], dict[str, list[str]], dict[str, Decimal]]:
    """Rows for 300 units; returns the rows, project names per unit, plan total per unit."""
    rng = random.Random(seed)
    units = [f"第{i}街道办事处" for i in range(1, 295)]
    # Names that need care as file names; two of them collide once made safe.
    units += ["区住建局/城管局", "区住建局:城管局", "CON", "区商务局. ", "区科技局（区科协）", "某" * 90]
    assert len(units) == 300
    rows: list[list] = []
    names: dict[str, list[str]] = {u: [] for u in units}
    plans: dict[str, Decimal] = {u: Decimal(0) for u in units}
    number = 0
    for unit in units:
        for _ in range(rng.randint(1, 6)):
            number += 1
            name = f"项目{number:04d}" + ("（一期|二期）" if number % 97 == 0 else "")
            plan = Decimal(rng.randint(1, 500)) / 100
            start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
            rows.append([name, unit, f"领导{rng.randint(1, 30)}", f"建设内容{number}", float(plan * 3), float(plan), start])
            names[unit].append(name)
            plans[unit] += plan
    rng.shuffle(rows)  # units interleaved in the ledger, as they are in real ones
    order = {r[0]: i for i, r in enumerate(rows)}
    for unit in units:
        names[unit].sort(key=order.__getitem__)
    return rows, names, plans


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Letter], dict[str, list[str]], dict[str, Decimal], int]:
    rows, names, plans = generated_ledger()
    folder = make_folder(tmp_path_factory.mktemp("big"), rows)
    return build(folder), names, plans, len(rows)


def test_big_ledger_has_one_letter_per_unit(big) -> None:
    letters, names, _, count = big
    assert 900 <= count <= 1200
    assert len(letters) == 300
    assert sorted(l.unit for l in letters) == sorted(u.strip() for u in names)


def test_big_ledger_every_project_in_exactly_one_letter_of_its_own_unit(big) -> None:
    letters, names, _, count = big
    seen: Counter[str] = Counter()
    for letter in letters:
        rows = task_table(letter).rows[1:-1]
        listed = [r[1] for r in rows]
        seen.update(listed)
        assert listed == names[_unit_key(letter.unit, names)], letter.unit
        assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert sum(seen.values()) == count  # none lost
    assert all(n == 1 for n in seen.values())  # none duplicated
    assert "项目0097（一期|二期）" in seen  # a | inside a cell survives the table markup


def test_big_ledger_total_rows(big) -> None:
    letters, names, plans, _ = big
    for letter in letters:
        unit = _unit_key(letter.unit, names)
        total = task_table(letter).rows[-1]
        assert total[1:3] == ["合计", f"{len(names[unit])}个项目"]
        assert total[3] == format(plans[unit].quantize(Decimal("0.01")), "f")


def test_big_ledger_file_names_are_distinct_and_safe(big) -> None:
    letters, *_ = big
    filenames = [l.filename for l in letters]
    assert len({f.casefold() for f in filenames}) == 300
    for f in filenames:
        assert not set('\\/:*?"<>|') & set(f)
        assert f.endswith(".docx") and not f[:-5].endswith((".", " "))
        assert f.split(".")[0].upper() != "CON"
    assert "区住建局_城管局.docx" in filenames and "区住建局_城管局_2.docx" in filenames


def _unit_key(unit: str, names: dict[str, list[str]]) -> str:
    # The ledger trims cell text, so "区商务局. " arrives as "区商务局."
    return unit if unit in names else next(u for u in names if u.strip() == unit)


# --- rendering ----------------------------------------------------------------


@pytest.mark.render
def test_rendered_letters_keep_the_signature_block_with_the_last_text(tmp_path: Path) -> None:
    """A growing 建设内容 pushes the signature block a line at a time across its page;
    in every letter the whole block (down to 年 月 日) is on the last page with the last text."""
    from drafting.docx.writer import write_docx

    rows = [
        [f"单位{k}的项目{i}", f"单位{k}", "王某某", "建设内容" + "扩建" * (4 * k) if i == 1 else "新建", 2, 1, None]
        for k in range(16)
        for i in (1, 2, 3)
    ]
    letters = build(make_folder(tmp_path, rows))
    docs = []
    for letter in letters:
        docs.append(tmp_path / letter.filename)
        write_docx(letter.document, docs[-1])
    for letter, pdf in zip(letters, docx_to_pdfs(docs, tmp_path / "pdf")):
        last = [p for p in pdf_pages_text(pdf) if p.strip()][-1]
        lines = [line for line in last.splitlines() if line.strip()]
        assert "自签订之日起生效" in "".join(last.split()), letter.unit  # the block is not alone on its page
        assert "甲方（盖章）" in last and "乙方（盖章）" in last, letter.unit
        assert any("负责人（签字）" in line for line in lines), letter.unit
        assert sum(line.count("年") for line in lines if "月" in line and "日" in line) >= 2, letter.unit


@pytest.mark.render
def test_rendered_combined_file_starts_each_letter_on_an_odd_page(tmp_path: Path) -> None:
    """Printed double-sided, every unit's letter has sheets of its own; page numbers run through."""
    from drafting.docx.writer import write_docx

    letters = build(make_folder(tmp_path))
    path = tmp_path / "合订本.docx"
    write_docx(build_combined_letters(letters), path)
    pages = [p for p in pdf_pages_text(docx_to_pdfs([path], tmp_path / "pdf")[0]) if p.strip()]
    # LibreOffice's PDF leaves out the blank pages it inserts; their numbers show where they were.
    numbers = [int(page.strip().splitlines()[-1].replace(" ", "").strip("—")) for page in pages]
    starts = [i for i, page in enumerate(pages) if "目标责任书" in page and "甲方" in page]
    assert len(starts) == len(letters)
    assert all(numbers[start] % 2 == 1 for start in starts), [numbers[s] for s in starts]
    skipped = [b for a, b in zip(numbers, numbers[1:]) if b != a + 1]
    assert skipped, "no letter needed a blank back page: the test proves nothing"
    for i, (a, b) in enumerate(zip(numbers, numbers[1:]), start=1):
        assert b == a + 1 or (b == a + 2 and i in starts), (i, a, b)
