"""GitHub Actions workflow-command annotations, and a Markdown job summary."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..safety.display import printable
from ..model import Severity
from .text import summary

if TYPE_CHECKING:
    from ..run.report import Report

COMMANDS = {Severity.SUGGESTION: "notice", Severity.WARNING: "warning", Severity.ERROR: "error"}
SUMMARY_ROWS = 50


def escape_data(text: str) -> str:
    """Escape a workflow command's message; other control characters are shown escaped."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: dict[str, object], message: str) -> str:
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{kind} {listed}::{escape_data(message)}"


def render(report: Report) -> str:
    """One annotation per finding and per unreadable file, then the summary line."""
    lines = []
    for finding in report.findings:
        if finding.waived is not None:
            continue
        window = f" (window: {', '.join(finding.windows)})" if finding.windows else ""
        where = f" ({finding.location})" if finding.location else ""
        lines.append(_command(COMMANDS[finding.severity], {
            "file": finding.path, "line": finding.line, "col": finding.column,
            "endLine": finding.end_line, "endColumn": finding.end_column,
            "title": f"{finding.code} {finding.rule} [{finding.category}]",
        }, f"{finding.message}{where}{window}\nSign-off: {finding.signoff}"))
    for result in report.errors:
        lines.append(_command("error", {"file": result.path, "title": "PE005 unreadable-input"}, result.error))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def job_summary(report: Report) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``."""
    findings = [f for f in report.findings if f.waived is None]
    lines = ["## purdah-lint: pre-election period check", "", summary(report), ""]
    if report.windows:
        lines += ["| window | dates |", "|---|---|"]
        lines += [f"| {_cell(w.id)} | {_cell(w.describe_dates())} |" for w in report.windows]
        lines.append("")
    if findings:
        counts = Counter(f.category for f in findings)
        lines += ["| category | findings |", "|---|---|"]
        lines += [f"| {category} | {count} |" for category, count in sorted(counts.items())]
        lines += ["", "| where | code | level | message |", "|---|---|---|---|"]
        for finding in findings[:SUMMARY_ROWS]:
            lines.append(f"| `{_cell(finding.path)}:{finding.line}:{finding.column}` | {finding.code} | "
                         f"{finding.severity.label} | {_cell(finding.message)} |")
        if len(findings) > SUMMARY_ROWS:
            lines.append(f"\n… and {len(findings) - SUMMARY_ROWS} more; see the annotations or the JSON report.")
    for result in report.errors:
        lines.append(f"- could not check `{_cell(result.path)}`: {_cell(result.error)}")
    return "\n".join(lines) + "\n"
