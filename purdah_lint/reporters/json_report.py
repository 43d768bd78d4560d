"""JSON report in the versioned ``purdah-lint/1`` schema."""

from __future__ import annotations

import json

from . import Report

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


def document(report: Report) -> dict:
    """The report as a JSON-ready mapping."""
    findings = report.findings
    return {
        "schema": SCHEMA,
        "version": report.version,
        "as_of": report.as_of.isoformat(),
        "as_of_source": report.as_of_source,
        "windows": [window.as_json() for window in report.windows],
        "files": [
            {
                "path": result.path,
                "format": result.format,
                "as_of": result.as_of.isoformat() if result.as_of else None,
                "as_of_source": result.as_of_source,
                "windows": [window.id for window in result.windows],
                "lead_in": result.lead_in,
                "notices": result.notices,
                "error": result.error,
            }
            for result in report.files
        ],
        "findings": [finding_json(finding) for finding in findings],
        "summary": {
            "files": len(report.files),
            "findings": sum(1 for f in findings if f.waived is None),
            "by_severity": report.by_severity(),
            "by_category": _by_category(findings),
            "waived": sum(1 for f in findings if f.waived is not None),
            "baselined": report.baselined,
            "errors": len(report.errors),
        },
    }


def _by_category(findings) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.waived is None:
            counts[finding.category] = counts.get(finding.category, 0) + 1
    return dict(sorted(counts.items()))


def write(report: Report, handle) -> None:
    """Stream the report as indented JSON to ``handle`` (a large site's report is never one string)."""
    json.dump(document(report), handle, indent=2, ensure_ascii=False)
    handle.write("\n")
