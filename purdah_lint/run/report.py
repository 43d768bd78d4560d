"""One run's results, ready for any reporter, and the exit code they lead to."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ..elections.windows import Window
from ..model import Finding
from .checker import FileResult


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
