"""Which dates a document may use: the data's cut-off date and the notice's own dates.

The ledger plans the meeting's year (``Meeting.plan_year``), so figures can
only be taken as of a day in that year: the pace (序时进度) and every light depend on
it. The notice's 成文日期 and 印发日期 default to the cut-off date and may be
set later in meeting.yaml, never earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from drafting.errors import InputError, Location
from drafting.folder import MeetingFolder

MEETING_FILE = "meeting.yaml"
_NUMBER_YEAR = re.compile(r"[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]")


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def check_as_of(folder: MeetingFolder, as_of: date) -> None:
    """Refuse a cut-off date outside the ledger's year (exit 2 at the CLI)."""
    year = folder.meeting.plan_year
    if as_of.year != year:
        raise InputError(
            f"统计截止日期{_cn(as_of)}不在会议年度（{year}年）内：台账是{year}年度的，序时进度、开工和亮灯"
            f"都按{year}年计算，跨年的截止日期会得出另一年度的通报；请用 --as-of 指定{year}年内的日期"
            f"（缺省为会议日期）",
            Location(field="--as-of"),
        )


@dataclass(frozen=True)
class NoticeDates:
    written: date  # 成文日期
    printed: date  # 印发日期


def notice_dates(folder: MeetingFolder, as_of: date) -> NoticeDates:
    """成文日期 and 印发日期: from meeting.yaml, else the cut-off date; never before it."""
    config = folder.meeting.notice
    written = config.date or as_of
    printed = config.print_date or written
    where = folder.path / MEETING_FILE
    if written < as_of:
        raise InputError(
            f"成文日期{_cn(written)}早于数据截止日期{_cn(as_of)}：通报不能在统计截止之前成文；"
            f"请修改 notice.date，或删去它（成文日期即取数据截止日期）",
            Location(file=where, field="notice.date"),
        )
    if printed < written:
        raise InputError(
            f"印发日期{_cn(printed)}早于成文日期{_cn(written)}",
            Location(file=where, field="notice.print_date"),
        )
    red_header = config.red_header
    match = _NUMBER_YEAR.search(red_header.number) if red_header is not None else None
    if match is not None and int(match.group(1)) != written.year:
        raise InputError(
            f"发文字号的年份{match.group(1)}与成文日期{_cn(written)}不是同一年；"
            f"请改发文字号，或用 notice.date 写明成文日期",
            Location(file=where, field="notice.red_header.number"),
        )
    return NoticeDates(written=written, printed=printed)
