"""Draft checks: rules with stable ids over the shared document model, reports, annotation."""

from __future__ import annotations

from drafting.check.config import CheckConfig
from drafting.check.engine import check_document, check_draft, check_files, check_generated
from drafting.check.model import CoverageRow, FileReport, Finding, Report
from drafting.check.rules import RULES

__all__ = [
    "RULES",
    "CheckConfig",
    "CoverageRow",
    "FileReport",
    "Finding",
    "Report",
    "check_document",
    "check_draft",
    "check_files",
    "check_generated",
]
