"""The 版记's rows and the lines each takes: what both writers lay out, computed once here."""

from __future__ import annotations

import math

from drafting.docx.profile import StyleProfile, mm_to_pt
from drafting.docx.stylenames import text_width_chars
from drafting.document import Imprint


def imprint_rows(imprint: Imprint, p: StyleProfile) -> list[tuple[str, ...]]:
    """(抄送 line,) and (印发机关, 印发日期), each only when given, with the profile's label and endings."""
    rows: list[tuple[str, ...]] = []
    if imprint.cc:
        end = "" if imprint.cc.endswith(p.imprint_cc_end) else p.imprint_cc_end
        rows.append((f"{p.imprint_cc_label}{imprint.cc}{end}",))
    if imprint.issuer or imprint.date:
        date = imprint.date
        if date and not date.endswith(p.imprint_issued_suffix):
            date += p.imprint_issued_suffix
        rows.append((imprint.issuer, date))
    return rows


def imprint_row_lines(rows: list[tuple[str, ...]], p: StyleProfile, landscape: bool) -> list[int]:
    """Lines each row takes: the 印发 row one; the 抄送 line its first line after 左空一字, the rest after the label too."""
    width = mm_to_pt(p.type_width_for(landscape)) / p.imprint_size_pt
    first = width - 2 * p.imprint_side_chars
    rest = first - text_width_chars(p.imprint_cc_label)
    lines = []
    for texts in rows:
        overflow = text_width_chars(texts[0]) - first if len(texts) == 1 else 0
        lines.append(1 if overflow <= 0 else 1 + math.ceil(overflow / rest))
    return lines
