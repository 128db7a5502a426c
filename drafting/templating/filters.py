"""Chinese filters for templates: numerals, dates, amounts, percentages, lists.

Plain functions; :data:`FILTERS` maps the names templates use to them.
Bad values raise ValueError with a Chinese message; the renderer turns it into
a TemplateError naming the template line. Missing figures (None) print as —.
"""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable, Iterable

from drafting.numbering import cn_count as _cn_count
from drafting.markup import escape_cell, join_lines
from drafting.numbering import cn_numeral

MISSING = "—"
AMOUNT_UNITS = ("亿元", "万元")

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


def cn_number(value: Any) -> str:
    """Integer 0..99999 in Chinese numerals: 4 → 四, 12 → 十二, 105 → 一百零五."""
    return cn_numeral(_to_int(value))


def cn_count(value: Any) -> str:
    """A quantity before a measure word: 2 → 两 (两个方面), otherwise like cn_number."""
    return _cn_count(_to_int(value))


def cn_date(value: Any) -> str:
    """Date as 2026年9月25日 (no zero padding); accepts date, datetime or an ISO string.

    None prints as —.
    """
    if value is None:
        return MISSING
    if isinstance(value, _dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        value = _parse_iso_date(value)
    if not isinstance(value, _dt.date):
        raise ValueError(f"cn_date 需要日期，收到的是“{value!r}”")
    return f"{value.year}年{value.month}月{value.day}日"


def yi(value: Any) -> str:
    """Amount in 亿元, at most 2 decimals, trailing zeros dropped: 12.50 → 12.5, 0.125 → 0.13."""
    if value is None:
        return MISSING
    return _plain(_to_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP))


def wan(value: Any) -> str:
    """The same amount (given in 亿元) written in 万元: 1.5 → 15000, 0.00125 → 12.5."""
    if value is None:
        return MISSING
    return _plain((_to_decimal(value) * 10000).quantize(_CENT, rounding=ROUND_HALF_UP))


def amount(value: Any, unit: str = "亿元") -> str:
    """Amount (given in 亿元) with its unit: 12.5亿元, or 125000万元 with unit="万元"."""
    if unit not in AMOUNT_UNITS:
        raise ValueError(f"金额单位只能是{'或'.join(AMOUNT_UNITS)}，收到的是“{unit}”")
    if value is None:
        return MISSING
    number = yi(value) if unit == "亿元" else wan(value)
    return f"{number}{unit}"


def pct(value: Any) -> str:
    """Ratio as a percent with one decimal: 0.8534 → 85.3%, 1 → 100.0%; None → —."""
    if value is None:
        return MISSING
    percent = (_to_decimal(value) * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{_signed_zero_free(percent)}%"


def points(value: Any) -> str:
    """Difference of two ratios in percentage points, without sign: -0.123 → 12.3个百分点.

    The template chooses the wording for the sign (高于/低于, 超过/落后).
    """
    if value is None:
        return MISSING
    magnitude = (abs(_to_decimal(value)) * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return f"{magnitude}个百分点"


def fixed(value: Any, places: int = 2) -> str:
    """A number with exactly ``places`` decimals, half up, for table columns: 7.1 → 7.10, 21 → 21.00; None → —."""
    if value is None:
        return MISSING
    places = _to_int(places)
    if not 0 <= places <= 6:
        raise ValueError(f"fixed 的小数位数应为0到6，收到的是“{places}”")
    step = Decimal(1).scaleb(-places)
    return f"{_signed_zero_free(_to_decimal(value).quantize(step, rounding=ROUND_HALF_UP))}"


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(char in rest for char in short)


_UNIT_PREFIXES = ("区", "县", "市")
_UNIT_SUFFIXES = ("管委会", "委员会", "办公室", "部门", "局", "委", "办")


def _unit_core(name: Any) -> str:
    """区发展改革局 → 发展改革: the level prefix and the kind of office dropped."""
    core = "".join(str(name).split())
    if len(core) > 2 and core.startswith(_UNIT_PREFIXES):
        core = core[1:]
    for suffix in _UNIT_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            return core[: -len(suffix)]
    return core


def same_unit(a: Any, b: Any) -> bool:
    """Whether two names refer to one unit, however abbreviated: 发改 / 区发改局 / 区发展改革局 / 发展改革.

    True when, with 区/县/市 and 局/委/办… dropped, the characters of one name appear in order in the other.
    """
    x, y = _unit_core(a), _unit_core(b)
    if len(x) < 2 or len(y) < 2:
        return False
    short, long = sorted((x, y), key=len)
    return _is_subsequence(short, long)


def except_unit(items: Iterable[Any], unit: Any) -> list[str]:
    """The names in ``items`` that do not refer to ``unit`` (see ``same_unit``): no unit is asked to contact itself."""
    if isinstance(items, (str, bytes)):
        raise ValueError("except_unit 需要一个列表，收到的是一段文字")
    return [str(item) for item in items if not same_unit(item, unit)]


def join_cn(items: Iterable[Any], last: str = "和") -> str:
    """Join with 、 and a final 和: [甲, 乙, 丙] → 甲、乙和丙; last="及" → 甲、乙及丙."""
    if isinstance(items, (str, bytes)):
        raise ValueError("join_cn 需要一个列表，收到的是一段文字")
    texts = [str(item) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    return f"{'、'.join(texts[:-1])}{last}{texts[-1]}"


def one_line(value: Any) -> str:
    """Free text on one 公文标记 line: Excel line breaks joined (Chinese runs on, ASCII words get a space); None → ""."""
    text = ""
    for line in str(value).splitlines() if value is not None else ():
        if line.strip():
            text = join_lines(text, line.strip())
    return text


def cell(value: Any) -> str:
    """Free text (e.g. a ledger cell) made safe for one table cell of 公文标记: ``one_line`` with ``|`` escaped."""
    return escape_cell(one_line(value))


def ordinal_shi(value: Any) -> str:
    """Enumeration ordinal: 1 → 一是, 2 → 二是."""
    return f"{cn_numeral(_positive(value))}是"


def ordinal_di(value: Any) -> str:
    """Ordinal with 第: 1 → 第一, 12 → 第十二."""
    return f"第{cn_numeral(_positive(value))}"


FILTERS: dict[str, Callable[..., str]] = {
    "cn_number": cn_number,
    "cn_count": cn_count,
    "cn_date": cn_date,
    "yi": yi,
    "wan": wan,
    "amount": amount,
    "pct": pct,
    "points": points,
    "join_cn": join_cn,
    "fixed": fixed,
    "except_unit": except_unit,
    "cell": cell,
    "ordinal_shi": ordinal_shi,
    "ordinal_di": ordinal_di,
}


def _parse_iso_date(text: str) -> _dt.date:
    text = text.strip()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return _dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"无法识别的日期“{text}”，应为 2026-09-25 这样的格式") from None


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"需要数字，收到的是“{value}”")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, float, str)):
        try:
            # str() keeps the decimal digits a float shows (2.675, not 2.67499…).
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"需要数字，收到的是“{value}”") from None
    else:
        raise ValueError(f"需要数字，收到的是“{value!r}”")
    if not number.is_finite():
        raise ValueError(f"需要有限的数字，收到的是“{value}”")
    return number


def _to_int(value: Any) -> int:
    number = _to_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"只能把整数写成中文数字，收到的是“{value}”")
    return int(number)


def _positive(value: Any) -> int:
    n = _to_int(value)
    if n < 1:
        raise ValueError(f"序数从1开始，收到的是{n}")
    return n


def _plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 12.50 → 12.5, 100.00 → 100."""
    if number == 0:
        return "0"  # also avoids "-0" after rounding a tiny negative
    return format(number.normalize(), "f")


def _signed_zero_free(number: Decimal) -> str:
    return format(abs(number), "f") if number == 0 else format(number, "f")
