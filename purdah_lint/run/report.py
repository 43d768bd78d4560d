"""One run's results, the date they are judged on, and the exit code they lead to: for the CLI and Sphinx."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cached_property

from ..elections.windows import Window
from ..model import ExitCode, Finding, Severity
from .checker import FileResult
from .config import Config
from .interface import CLI, Interface


def today() -> dt.date:
    """The clock's date: the one place purdah-lint reads it (tests and callers pass dates in instead)."""
    return dt.date.today()


def as_of_for(chosen: dt.date | None, chosen_source: str, config: Config) -> tuple[dt.date, str]:
    """The date a run is judged on, and where it came from: the caller's choice, the config's, else today.

    Each document's own date still comes first unless the caller's choice is forced (``--as-of``).
    """
    if chosen is not None:
        return chosen, chosen_source
    if config.as_of:
        return config.as_of, "config"
    return today(), "today"


class Report:
    """The results of one run, ready to be written in any format."""

    def __init__(self, version: str, as_of: dt.date, as_of_source: str, files: list[FileResult],
                 rules: list | None = None, considered: list[Window] | None = None, baselined: int = 0,
                 warnings: list[str] | None = None, configuration: list[FileResult] | None = None,
                 interface: Interface = CLI, lead_in_days: int = 14, root: str | None = None):
        self.version = version
        self.as_of = as_of
        self.as_of_source = as_of_source
        self.files = files
        self.rules = [] if rules is None else rules
        self.considered = [] if considered is None else considered  # every window configured, active or not
        self.baselined = baselined  # findings left out because a baseline records them
        self.warnings = [] if warnings is None else warnings  # about the run itself, such as a calendar running out
        # Configuration files with findings of their own (the central waiver file): not checked documents.
        self.configuration = [] if configuration is None else configuration
        self.interface = interface  # where the run came from, so hints name the setting to change there
        self.lead_in_days = lead_in_days  # how long before a window its lead-in starts
        self.root = root  # folder the files' relative paths start from, when not the current one

    @cached_property
    def findings(self) -> list[Finding]:
        """Every finding of every file, configuration included, in report order."""
        return sorted((f for result in self.files + self.configuration for f in result.findings),
                      key=Finding.sort_key)

    @property
    def windows(self) -> list[Window]:
        """Each window applied to at least one file, in order of start date."""
        seen: dict[str, Window] = {}
        for result in self.files:
            for window in result.windows:
                seen.setdefault(window.id, window)
        return sorted(seen.values(), key=lambda w: (w.start or dt.date.min, w.id))

    def dates_used(self) -> dict[tuple[dt.date, str], list[str]]:
        """The files checked, grouped by the as-of date they used and where it came from."""
        groups: dict[tuple[dt.date, str], list[str]] = {}
        for result in self.files:
            if result.as_of is not None and not result.error:
                groups.setdefault((result.as_of, result.as_of_source), []).append(result.path)
        return groups

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

    def fails(self, fail_level: str) -> bool:
        """Whether an unwaived finding is at or above ``fail_level`` (``never``: none is)."""
        if fail_level == "never":
            return False
        threshold = Severity.parse(fail_level)
        return any(f.severity >= threshold and f.waived is None for f in self.findings)

    def exit_code(self, fail_level: str) -> int:
        """2 when a file could not be checked, 1 when findings reach ``fail_level``, else 0."""
        if self.errors:
            return ExitCode.ERROR
        return ExitCode.FINDINGS if self.fails(fail_level) else ExitCode.OK
