"""Reporters: turn check results into text or JSON."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ..checker import FileResult
from ..model import Finding
from ..windows import Window


@dataclass
class Report:
    """The results of one run, ready to be written in any format."""

    version: str
    as_of: dt.date
    as_of_source: str
    files: list[FileResult]
    rules: list = field(default_factory=list)
    considered: list[Window] = field(default_factory=list)  # every window configured, active or not
    baselined: int = 0  # findings left out because a baseline records them

    @cached_property
    def findings(self) -> list[Finding]:
        """Every finding of every file, in report order."""
        return sorted((f for result in self.files for f in result.findings), key=Finding.sort_key)

    @property
    def windows(self) -> list[Window]:
        """Each window applied to at least one file, in order of start date."""
        seen: dict[str, Window] = {}
        for result in self.files:
            for window in result.windows:
                seen.setdefault(window.id, window)
        return sorted(seen.values(), key=lambda w: (w.start or dt.date.min, w.id))

    def by_severity(self) -> dict[str, int]:
        """Count of unwaived findings per severity name, most serious first."""
        counts = Counter(f.severity for f in self.findings if f.waived is None)
        return {severity.label: counts[severity] for severity in sorted(counts, reverse=True)}

    @property
    def waivers_used(self) -> list[tuple[dict, int]]:
        """Each waiver that covered findings, with how many, in order of first use."""
        used: dict[str, tuple[dict, int]] = {}
        for finding in self.findings:
            if finding.waived is not None:
                key = finding.waived["source"]
                waiver, count = used.get(key, (finding.waived, 0))
                used[key] = (waiver, count + 1)
        return list(used.values())

    @property
    def errors(self) -> list[FileResult]:
        """Files that could not be checked."""
        return [result for result in self.files if result.error]


FORMATS = ("text", "json", "sarif", "github")


def write_report(report: Report, output_format: str, handle, show_waived: bool = False) -> None:
    """Write ``report`` to an open text ``handle``; JSON is streamed rather than built whole."""
    if output_format == "json":
        from .json_report import write

        write(report, handle)
    else:
        handle.write(format_report(report, output_format, show_waived))


def format_report(report: Report, output_format: str, show_waived: bool = False) -> str:
    """Render ``report`` as text, SARIF or GitHub annotations (JSON is streamed by :func:`write_report`)."""
    if output_format == "sarif":
        from .sarif import render
    elif output_format == "github":
        from .github import render
    else:
        from .text import render

        return render(report, show_waived)
    return render(report)


def short_date(day: dt.date) -> str:
    """A date as '2 May 2024'."""
    return f"{day.day} {day:%b %Y}"
