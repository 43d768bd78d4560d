"""A Markdown audit summary that a comms lead can attach to a sign-off record."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TYPE_CHECKING

from .text import dates_used

if TYPE_CHECKING:
    from ..run.report import Report


def rules_fingerprint(rules) -> str:
    """A short hash of the rules in force, so two audits can be compared."""
    described = [(r.code, r.name, r.level.label, r.message, sorted(r.scope or []), r.topic,
                  json.dumps(r.options, sort_keys=True, default=str)) for r in rules]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()[:12]


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    """The audit summary as Markdown."""
    findings = report.findings
    open_findings = [f for f in findings if f.waived is None]
    active_ids = {w.id for w in report.windows}
    lines = [
        "# purdah-lint audit summary", "",
        f"- Tool: purdah-lint {report.version}",
        f"- Rules: {len(report.rules)} rules in force, fingerprint `{rules_fingerprint(report.rules)}`",
        f"- As-of date: {dates_used(report)}",
        f"- Files checked: {len(report.files) - len(report.errors)} of {len(report.files)}",
        f"- Findings needing sign-off: {len(open_findings)}; waived with sign-off: {len(findings) - len(open_findings)}"
        + (f"; already in the baseline: {report.baselined}" if report.baselined else ""),
        "", "## Pre-election windows", "",
    ]
    considered = {w.id: w for w in report.considered}
    considered.update({w.id: w for w in report.windows})
    if considered:
        lines += ["| window | dates | start from | applied |", "|---|---|---|---|"]
        lines += [f"| {_cell(w.id)} | {_cell(w.describe_dates())} | {w.start_source} | "
                  f"{'yes' if w.id in active_ids else 'no'} |" for w in considered.values()]
    else:
        lines.append("No windows are configured.")
    lines += ["", "## Findings by category", ""]
    counts = Counter(f.category for f in open_findings)
    if counts:
        lines += ["| category | findings |", "|---|---|"] + [f"| {c} | {n} |" for c, n in sorted(counts.items())]
    else:
        lines.append("None.")
    lines += ["", "## Waivers used", ""]
    used = report.waivers_used
    if used:
        lines += ["| approved by | reason | expires | findings covered | written in |", "|---|---|---|---|---|"]
        lines += [f"| {_cell(w['approved_by'])} | {_cell(w['reason'])} | {w['expires']} | {count} | "
                  f"`{_cell(w['source'])}` |" for w, count in used]
    else:
        lines.append("None.")
    lines += ["", "## Files", ""]
    for result in report.files:
        state = f"could not be checked: {result.error}" if result.error else (
            f"{sum(1 for f in result.findings if f.waived is None)} open, "
            f"{sum(1 for f in result.findings if f.waived is not None)} waived")
        lines.append(f"- `{_cell(result.path)}`: {_cell(state)}")
    return "\n".join(lines) + "\n"
