"""Run the enabled rules over a document and collect findings, coverage and keywords."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from drafting.check.config import CheckConfig
from drafting.check.keywords import top_keywords
from drafting.check.model import FileReport, Finding, Report
from drafting.check.rules import RULES, CheckContext
from drafting.check.rules import coverage as coverage_rule
from drafting.check.units import Unit, document_units, draft_units
from drafting.document import Document
from drafting.readers import load_draft
from drafting.readers.draft import Draft


def _run(units: list[Unit], document: Document, config: CheckConfig) -> tuple[list[Finding], CheckContext]:
    config.validate(RULES)
    context = CheckContext(document=document, units=units, config=config)
    findings: list[Finding] = []
    for rule in RULES.values():
        if not config.enabled(rule.id):
            continue
        override = config.severities.get(rule.id)
        for hit in rule.check(context):
            unit = hit.unit
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=override or hit.severity or rule.default_severity,  # type: ignore[arg-type]
                    message=hit.message,
                    paragraph=unit.paragraph if unit else None,
                    heading=unit.heading if unit else "",
                    text=hit.snippet if hit.snippet is not None else (unit.text[:40] if unit else ""),
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
    return FileReport(
        path=path,
        findings=findings,
        coverage=coverage_rule.rows(context),
        keywords=top_keywords((u.text for u in units if u.kind in ("body", "heading")), config.keyword_count),
    )


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
