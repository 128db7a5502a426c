"""Parse the date forms found in meeting files and ledgers."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

# Excel day 0 is 1899-12-30 once the fictitious 1900-02-29 is accounted for.
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers outside 1950..2099 are far more likely a typo (2026, 20260301) than a date.
_SERIAL_MIN = (date(1950, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (date(2099, 12, 31) - _EXCEL_EPOCH).days

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)


def parse_date(value: object) -> date:
    """Return the date in ``value``: a date/datetime, an Excel serial number, or text.

    Text forms: 2026-03-01, 2026-3-1, 2026.3.1, 2026/3/1, 2026年3月1日 (full-width
    digits allowed). Raises ValueError with a Chinese reason for anything else.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        raise ValueError("日期为空，缺少内容")
    if isinstance(value, bool):
        raise ValueError(f"无法识别的日期“{value}”")
    if isinstance(value, (int, float, Decimal)):
        return _from_serial(value)
    if isinstance(value, str):
        return _from_text(value)
    raise ValueError(f"无法识别的日期“{value}”")


def _from_serial(value: int | float | Decimal) -> date:
    if value != value or not (_SERIAL_MIN <= value < _SERIAL_MAX + 1):  # NaN or out of range
        raise ValueError(f"无法识别的日期“{value}”")
    return _EXCEL_EPOCH + timedelta(days=int(value))


def _from_text(value: str) -> date:
    text = unicodedata.normalize("NFKC", value).strip()
    text = re.sub(r"\s+", "", text) if "年" in text else text
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return _checked(value.strip(), year, month, day)
    raise ValueError(f"无法识别的日期“{value.strip()}”")


def _checked(shown: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"无法识别的日期“{shown}”：月份应为1至12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"无法识别的日期“{shown}”：{year}年{month}月只有{last}天")
    return date(year, month, day)


def format_date(value: date) -> str:
    """Chinese form used in documents: 2026年3月6日 (no zero padding)."""
    return f"{value.year}年{value.month}月{value.day}日"
