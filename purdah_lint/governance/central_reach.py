"""How much of what a central waiver entry names one run checked: none, some, all, or everything."""

from __future__ import annotations

import enum
import fnmatch
import os
from functools import cached_property

from ..inputs.paths import draft_files


class Reach(enum.IntEnum):
    """How far a run reached into the files a central waiver entry names."""

    NONE = 0  # none of them: the entry says nothing about this run
    SOME = 1  # some of them: it can be malformed or expired, but not unused
    ALL = 2  # all of them, in a partial run: unused is worth a suggestion
    EVERYTHING = 3  # every draft beside the waiver file, or --report-unused-waivers


class CentralReach:
    """Judges entries of one waiver file against the files one run checked."""

    def __init__(self, waiver_file: str, checked: list[str], report_unused: bool):
        self.base = os.path.dirname(os.path.abspath(waiver_file))
        self.checked = {os.path.realpath(path) for path in checked}
        self.report_unused = report_unused

    @cached_property
    def drafts(self) -> dict[str, bool]:
        """Each draft under the waiver file's folder (relative POSIX path), and whether it was checked."""
        return {os.path.relpath(path, self.base).replace(os.sep, "/"): os.path.realpath(path) in self.checked
                for path, error in draft_files(self.base) if error is None}

    def __call__(self, waiver) -> Reach:
        """How much of what ``waiver`` names this run checked."""
        if self.report_unused or (self.drafts and all(self.drafts.values())):
            return Reach.EVERYTHING
        named = [checked for path, checked in self.drafts.items()
                 if not waiver.paths or any(fnmatch.fnmatch(path, glob) for glob in waiver.paths)]
        seen = sum(named)
        if not seen:
            return Reach.NONE
        return Reach.ALL if seen == len(named) else Reach.SOME
