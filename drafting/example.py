"""Write the built-in example meeting folder (``drafting example``)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from drafting import resources
from drafting.kinds import kind_info
from drafting.house.sample import write_example_house
from drafting.wordexample import write_example_letter_template, write_example_speech_template
from drafting.output import Writer, commit_batch, refuse_existing

COPIED_FILES = ("meeting.yaml", "priorities.yaml")
LEDGER_SOURCE = "projects.yaml"
LEDGER_FILE = "projects.xlsx"
# Not in templates/: the example builds with the built-in letter template until the user moves it there.
WORD_TEMPLATE_FILE = "目标责任书（Word模板示例）.docx"
WORD_SPEECH_TEMPLATE_FILE = "讲话稿（Word模板示例）.docx"
HOUSE_EXAMPLE_FILE = "版式示例.docx"  # not in 版式/: the default build does not use it (docs/house.md)


def example_dir() -> Path:
    return resources.corpus_dir() / "example"


def _copy_writer(source: Path) -> Writer:
    return lambda path: shutil.copyfile(source, path)


def _ledger_writer(source: Path) -> Writer:
    """Turn the example's projects.yaml into the Excel ledger a secretary would keep."""

    def write(path: Path) -> None:
        rows = yaml.safe_load(source.read_text(encoding="utf-8"))["projects"]
        header: list[str] = []
        for row in rows:
            header.extend(key for key in row if key not in header)
        book = Workbook()
        sheet = book.active
        sheet.title = "重点项目台账"
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in rows:
            sheet.append([row.get(key) for key in header])
        for column_cells in sheet.iter_cols(min_row=2):
            for cell in column_cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for index, key in enumerate(header, start=1):
            width = max(len(str(row.get(key) or "")) for row in rows)
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width, len(key)) * 2 + 2, 60)
        sheet.freeze_panes = "B2"
        book.save(path)

    return write


def write_example(target: Path, *, force: bool = False, kind: str = "推进会") -> list[Path]:
    """Write meeting.yaml (the example of meeting kind ``kind``), priorities.yaml, projects.xlsx, the example Word letter and speech templates and the example house file into ``target``."""
    source = example_dir()
    meeting_source = source / kind_info(kind).example_file
    items: list[tuple[Path, Writer]] = [
        (target / name, _copy_writer(meeting_source if name == "meeting.yaml" else source / name)) for name in COPIED_FILES
    ]
    items.append((target / LEDGER_FILE, _ledger_writer(source / LEDGER_SOURCE)))
    items.append((target / WORD_TEMPLATE_FILE, write_example_letter_template))
    items.append((target / WORD_SPEECH_TEMPLATE_FILE, write_example_speech_template))
    items.append((target / HOUSE_EXAMPLE_FILE, write_example_house))
    if not force:
        refuse_existing([path for path, _ in items], hint="如需覆盖，请加 --force，或换一个目录")
    return commit_batch(items, target)
