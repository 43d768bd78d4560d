"""JSON report in the versioned ``purdah-lint/1`` schema."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..safety.display import json_safe

if TYPE_CHECKING:
    from ..run.report import Report


SCHEMA = "purdah-lint/1"


def finding_json(finding) -> dict:
    """One finding as a JSON object."""
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity.label,
        "message": finding.message,
        "match": finding.match,
        "window": finding.window,
        "windows": list(finding.windows),
        "guidance": finding.guidance,
        "signoff": finding.signoff,
        "location": finding.location,
        "waived": finding.waived,
    }


def file_json(result) -> dict:
    """One checked file as a JSON object."""
    return {
        "path": result.path,
        "format": result.format,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "as_of_source": result.as_of_source,
        "windows": [window.id for window in result.windows],
        "lead_in": result.lead_in,
        "notices": result.notices,
        "error": result.error,
    }


def summary_json(report: Report) -> dict:
    """The counts at the end of the report."""
    findings = report.findings
    return {
        "files": len(report.files),
        "findings": sum(1 for f in findings if f.waived is None),
        "by_severity": report.by_severity(),
        "by_category": _by_category(findings),
        "waived": sum(1 for f in findings if f.waived is not None),
        "baselined": report.baselined,
        "errors": len(report.errors),
    }


def _head(report: Report) -> dict:
    return {
        "schema": SCHEMA,
        "version": report.version,
        "as_of": report.as_of.isoformat(),
        "as_of_source": report.as_of_source,
        "windows": [window.as_json() for window in report.windows],
    }


def _by_category(findings) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.waived is None:
            counts[finding.category] = counts.get(finding.category, 0) + 1
    return dict(sorted(counts.items()))


def _compact(value) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False))


def write(report: Report, handle) -> None:
    """Stream the report as JSON to ``handle``: one line per file and per finding.

    A large site's report is never built whole in memory, and each line is encoded by the
    standard library's C encoder.
    """
    handle.write("{\n")
    for key, value in _head(report).items():
        handle.write(f"  {_compact(key)}: {_compact(value)},\n")
    for key, items in (("files", map(file_json, report.files)), ("findings", map(finding_json, report.findings))):
        handle.write(f'  "{key}": [')
        separator = "\n    "
        for item in items:
            handle.write(separator + _compact(item))
            separator = ",\n    "
        handle.write("\n  ],\n" if separator != "\n    " else "],\n")
    handle.write(f'  "summary": {_compact(summary_json(report))}\n}}\n')
