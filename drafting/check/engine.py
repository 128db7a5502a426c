"""Run the enabled rules over a document and collect findings, coverage and keywords."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from drafting.check.config import CheckConfig
from drafting.check.model import FileReport, Finding, Report
from drafting.check.rules import RULES, CheckContext
from drafting.check.rules import coverage as coverage_rule
from drafting.check.units import Unit, document_units, draft_units
from drafting.document import Document
from drafting.readers import load_draft
from drafting.readers.draft import Draft

MAX_PER_PARAGRAPH = 20  # findings of one rule listed for one paragraph; the rest are counted


def _run(units: list[Unit], document: Document, config: CheckConfig) -> tuple[list[Finding], CheckContext]:
    config.validate(RULES)
    context = CheckContext(document=document, units=units, config=config)
    findings: list[Finding] = []
    for rule_id in RULES:
        if not config.enabled(rule_id):
            continue  # before the lookup: a rule not run is not even imported
        rule = RULES[rule_id]
        override = config.severities.get(rule.id)
        shown: dict[int, int] = {}  # findings listed per paragraph (by unit identity)
        hidden: dict[int, tuple[Unit, int, str]] = {}
        for hit in rule.check(context):
            unit = hit.unit
            severity = override or hit.severity or rule.default_severity
            if unit is not None:
                key = id(unit)
                shown[key] = shown.get(key, 0) + 1
                if shown[key] > MAX_PER_PARAGRAPH:
                    # a pasted table or a hostile one-line file: list the first few, count the rest
                    _, count, worst = hidden.get(key, (unit, 0, severity))
                    hidden[key] = (unit, count + 1, "error" if "error" in (worst, severity) else worst)
                    continue
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=severity,  # type: ignore[arg-type]
                    message=hit.message,
                    paragraph=unit.paragraph if unit else None,
                    heading=unit.heading if unit else "",
                    text=hit.snippet if hit.snippet is not None else (unit.text[:40] if unit else ""),
                )
            )
        for unit, count, severity in hidden.values():
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=severity,  # type: ignore[arg-type]
                    message=f"本段另有{count}处同类问题，未逐一列出",
                    paragraph=unit.paragraph,
                    heading=unit.heading,
                    text=unit.text[:40],
                )
            )
    findings.sort(key=lambda f: (f.paragraph is not None, f.paragraph or 0))
    return findings, context


def check_document(document: Document, config: CheckConfig | None = None) -> list[Finding]:
    """Findings for a Document built in memory (e.g. a generated speech)."""
    findings, _ = _run(document_units(document), document, config or CheckConfig())
    return findings


def _report(units: list[Unit], document: Document, path: Path, config: CheckConfig) -> FileReport:
    findings, context = _run(units, document, config)
    keywords: list[str] = []
    if config.keyword_count > 0:
        from drafting.check.keywords import top_keywords  # (its IDF table is loaded only when asked for)

        keywords = top_keywords((u.text for u in units if u.kind in ("body", "heading")), config.keyword_count)
    return FileReport(path=path, findings=findings, coverage=coverage_rule.rows(context), keywords=keywords)


def check_draft(draft: Draft, config: CheckConfig | None = None) -> FileReport:
    """The full report for a read draft: findings by paragraph number, coverage table, keywords."""
    return _report(draft_units(draft), draft.document, draft.path, config or CheckConfig())


def check_generated(document: Document, path: Path, config: CheckConfig | None = None) -> FileReport:
    """The full report for a Document built in memory (``drafting build`` uses it for the speech)."""
    return _report(document_units(document), document, path, config or CheckConfig())


def check_files(paths: Iterable[str | Path], config: CheckConfig | None = None) -> Report:
    """Read and check each file; InputError (bad file) propagates, naming the file."""
    config = config or CheckConfig()
    config.validate(RULES)
    drafts: Sequence[Draft] = [load_draft(path) for path in paths]  # read all first: bad input fails before output
    return Report(files=[check_draft(draft, config) for draft in drafts])
