"""Plain-text report: one line per finding, then a summary."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..safety.display import printable

if TYPE_CHECKING:
    from ..run.report import Report


def short_date(day: dt.date) -> str:
    """A date as '2 May 2024'."""
    return f"{day.day} {day:%b %Y}"


AS_OF_SOURCES = {"config": "config as_of", "today": "today's date", "page": "the purdah-page :as-of:"}
NAMED_PER_DATE = 3  # files named for each date in the header before counting the rest


def finding_line(finding) -> str:
    """``path:line:col: CODE severity [category] message (window: id)``."""
    where = f" ({finding.location})" if finding.location else ""
    window = f" (window: {', '.join(finding.windows)})" if finding.windows else ""
    waived = ""
    if finding.waived:
        w = finding.waived
        waived = f" [waived: {w['reason']}; approved by {w['approved_by']}; expires {w['expires']}]"
    return printable(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.severity.label} "
                     f"[{finding.category}] {finding.message}{where}{window}{waived}")


def render(report: Report, show_waived: bool = False) -> str:
    """The whole text report; waived findings only when asked for."""
    findings = [finding_line(f) for f in report.findings if show_waived or f.waived is None]
    lines = [header(report), *findings]
    if findings:
        lines.append("")
    lines.append(summary(report, show_waived))
    return "\n".join(lines) + "\n"


def date_source(source: str, report: Report) -> str:
    """Where an as-of date came from, in the words of the interface in use."""
    if source == "option":
        return report.interface.setting("as_of")
    if source.startswith("document:"):
        return f"the document's {source.split(':', 1)[1]}"
    return AS_OF_SOURCES.get(source, source)


def dates_used(report: Report) -> str:
    """The as-of date used and its source, or each one with the files that used it when they differ."""
    groups = report.dates_used()
    if len(groups) <= 1:
        day, source = next(iter(groups), (report.as_of, report.as_of_source))
        return f"{short_date(day)} ({date_source(source, report)})"
    parts = []
    for (day, source), paths in sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]))):
        named = ", ".join(paths[:NAMED_PER_DATE])
        if len(paths) > NAMED_PER_DATE:
            named += f" and {len(paths) - NAMED_PER_DATE} more"
        parts.append(f"{short_date(day)} for {named} ({date_source(source, report)})")
    return "; ".join(parts)


def header(report: Report) -> str:
    """The as-of date (per file when files used different ones) and the windows that applied."""
    text = f"purdah-lint {report.version}: as of {dates_used(report)}"
    windows = report.windows
    if windows:
        listed = "; ".join(f"{w.id} ({w.describe_dates()})" for w in windows)
        return printable(f"{text}; pre-election windows: {listed}")
    return f"{text}; no pre-election window applies"


def summary(report: Report, show_waived: bool = False) -> str:
    """One closing line: counts, the as-of date and its source, the windows applied."""
    checked = len(report.files) - len(report.errors)
    counts = report.by_severity()
    total = sum(counts.values())
    if total:
        parts = ", ".join(f"{count} {name}{'s' if count != 1 else ''}" for name, count in counts.items())
        found = f"{total} finding{'s' if total != 1 else ''} ({parts})"
    else:
        found = "no findings"
    noun = "file" if checked == 1 else "files"
    text = f"Checked {checked} {noun}: {found}."
    if not report.windows and checked:
        text += (" No pre-election window applies on the as-of date, so no rule ran; "
                 f"use {report.interface.setting('in_window')} to review drafts ahead of a period.")
    waived = sum(1 for f in report.findings if f.waived is not None)
    if waived and not show_waived:
        text += f" {waived} waived finding{'s' if waived != 1 else ''} not shown ({report.interface.setting('show_waived')})."
    if report.baselined:
        text += f" {report.baselined} finding{'s' if report.baselined != 1 else ''} already in the baseline."
    if report.errors:
        text += f" {len(report.errors)} file{'s' if len(report.errors) != 1 else ''} could not be checked."
    return text


def reasons_text(reasons: dict[str, int]) -> str:
    """A count with its reasons, ``3 (robots 1, type 2)``, or ``0``."""
    total = sum(reasons.values())
    if not total:
        return "0"
    return f"{total:,} ({', '.join(f'{reason} {count:,}' for reason, count in sorted(reasons.items()))})"
