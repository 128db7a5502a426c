"""The working mechanisms (调度, 通报, 考核, 观摩, 报送) as one context value for every document.

meeting.yaml's ``mechanisms:`` is the one place they are set, so the speech,
the letters and the notice cannot disagree. Wording is in the templates
(``templates/common/cycles.gw.j2`` turns 周/月/季 into 每周/每月/每季度).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drafting.meeting import Meeting
from drafting.templating.filters import one_line, same_unit


def mechanisms_context(meeting: Meeting, own_names: Iterable[str] = ()) -> dict[str, Any]:
    """``mechanisms`` for a template; ``report_to`` is None when it names the document's own author or party.

    An office never asks units to report "to itself" by name: a notice signed by
    the office that collects the reports says only when to report.
    """
    config = meeting.mechanisms
    report_to = one_line(config.report_to) or None
    if report_to is not None and any(same_unit(report_to, name) for name in own_names if name):
        report_to = None
    return {
        "dispatch": config.dispatch,
        "briefing": config.briefing,
        "assessment": config.assessment,
        "site_visit": config.site_visit,
        "report_to": report_to,
        "report_deadline": one_line(config.report_deadline) or None,
        "support_units": [one_line(u) for u in config.support_units],
    }
