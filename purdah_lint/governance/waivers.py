"""Signed-off waivers: parse them, apply them to findings, and report their governance (PE0xx)."""

from __future__ import annotations

import bisect
import datetime as dt
import fnmatch
import itertools
import os
import re
import shlex
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..safety.display import brief
from ..elections.dates import parse_date
from ..model import Document, Finding, PurdahError, Segment, Severity
from ..ruleset.codes import CATEGORIES, META_CODES
from ..structured import parse_file, yaml_problem

MARKER = "purdah-lint:"
SHOWN_UNKNOWN = 10  # a waiver naming thousands of unknown codes is reported once, with the first few
FIELDS = ("reason", "approved-by", "expires")
_INLINE = re.compile(r"^\s*purdah-lint:\s*allow\b(.*)$", re.DOTALL | re.IGNORECASE)
# Word and Sphinx's smart quotes turn "…" into curly quotes; a waiver means the same either way.
_STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})


@dataclass
class Waiver:
    """One signed-off exception, wherever it was written."""

    codes: tuple[str, ...]
    reason: str | None
    approved_by: str | None
    expires: dt.date | None
    source: str  # inline | front-matter | central | document-properties
    path: str  # the file the waiver is written in
    line: int
    column: int
    problems: list[str] = field(default_factory=list)
    paths: tuple[str, ...] = ()  # central waivers: globs of the files they cover
    match: str | None = None  # central waivers: the matched words they cover
    covers: tuple[tuple[int, int], tuple[int, int]] | None = None  # inline: the block's start and end
    used: int = 0

    def as_json(self) -> dict[str, Any]:
        """What a waived finding records about its waiver."""
        return {"reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat() if self.expires else None,
                "source": f"{self.source}:{self.path}:{self.line}"}


def parse_fields(text: str, source: str, path: str, line: int, column: int) -> Waiver | None:
    """A waiver from ``purdah-lint: allow CODES reason="…" approved-by="…" expires=YYYY-MM-DD``."""
    found = _INLINE.match(text.translate(_STRAIGHT_QUOTES).strip().strip("[]"))
    if not found:
        return None
    waiver = Waiver((), None, None, None, source, path, line, column)
    try:
        words = shlex.split(found.group(1))
    except ValueError as exc:
        waiver.problems.append(f"cannot be read ({exc}); write it as {MARKER} allow CODES reason=\"…\" "
                               "approved-by=\"…\" expires=YYYY-MM-DD")
        return waiver
    codes: list[str] = []
    values: dict[str, str] = {}
    for word in words:
        if "=" in word:
            key, value = word.split("=", 1)
            values[key.strip().lower().replace("_", "-")] = value.strip()
        else:
            codes.extend(part for part in word.split(",") if part)
    _fill(waiver, codes, values)
    return waiver


def _fill(waiver: Waiver, codes: Iterable[str], values: dict[str, Any]) -> None:
    waiver.codes = tuple(str(code).strip() for code in codes if str(code).strip())
    waiver.reason = str(values["reason"]).strip() if values.get("reason") else None
    waiver.approved_by = str(values["approved-by"]).strip() if values.get("approved-by") else None
    for key in values:
        if key not in FIELDS and key not in ("codes", "paths", "match"):
            waiver.problems.append(f"has an unknown field '{key}' (fields: {', '.join(FIELDS)})")
    if not waiver.codes:
        waiver.problems.append("names no code or category")
    missing = [name for name in FIELDS if not values.get(name)]
    if missing:
        waiver.problems.append(f"is missing {', '.join(missing)}")
    if values.get("expires"):
        try:
            waiver.expires = parse_date(values["expires"], "expires")
        except PurdahError:
            waiver.problems.append(f"has an expiry date that is not a date: {brief(values['expires'])} (use YYYY-MM-DD)")


def from_mapping(entry: Any, source: str, path: str, line: int, column: int) -> Waiver:
    """A waiver from front matter or the central file (a mapping of the same fields)."""
    waiver = Waiver((), None, None, None, source, path, line, column)
    if not isinstance(entry, dict):
        waiver.problems.append("must be a mapping with codes, reason, approved-by and expires")
        return waiver
    values = {str(key).lower().replace("_", "-"): value for key, value in entry.items()}
    codes = _strings(values.pop("codes", None), "codes", waiver)
    for name in ("reason", "approved-by", "match"):
        if values.get(name) is not None and not isinstance(values[name], (str, int, float)):
            waiver.problems.append(f"has '{name}' that is not text")
            values[name] = None
    _fill(waiver, codes, values)
    waiver.paths = tuple(_strings(values.get("paths"), "paths", waiver))
    waiver.match = str(values["match"]) if values.get("match") else None
    return waiver


def _strings(value: Any, name: str, waiver: Waiver) -> list[str]:
    """A field holding one string or a list of strings; anything else is one of the waiver's problems."""
    if value is None or value == []:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    waiver.problems.append(f"has '{name}' that is not a list of text")
    return []


def document_waivers(document: Document) -> list[Waiver]:
    """Inline, front-matter and document-property waivers of one document."""
    waivers = []
    blocks = _Blocks(sorted(((segment.locate(0), _end(segment)) for segment in document.segments)))
    for comment in document.comments:
        waiver = parse_fields(comment.text, "inline", document.path, comment.line, comment.column)
        if waiver is None:
            continue
        waiver.covers = blocks.around((comment.line, comment.column))
        waivers.append(waiver)
    if document.waiver_declaration is not None:
        declared, line = document.waiver_declaration
        if isinstance(declared, str):
            waiver = parse_fields(declared, "document-properties", document.path, line, 1)
            if waiver is not None:
                waivers.append(waiver)
            return waivers
        entries = declared.get("allow") if isinstance(declared, dict) else None
        if not isinstance(entries, list):
            bad = Waiver((), None, None, None, "front-matter", document.path, line, 1)
            bad.problems.append("in front matter must be written as purdah-lint: {allow: [{codes, reason, "
                                "approved-by, expires}]}")
            waivers.append(bad)
        else:
            waivers.extend(from_mapping(entry, "front-matter", document.path, line, 1) for entry in entries)
    return waivers


def _end(segment: Segment) -> tuple[int, int]:
    return segment.locate(max(0, len(segment.text) - 1))


class _Blocks:
    """Blocks sorted by start, searchable in logarithmic time (a draft may hold thousands of waivers)."""

    def __init__(self, blocks):
        self.blocks = list(blocks)
        self.starts = [start for start, _ in self.blocks]
        self.reach = list(itertools.accumulate((end for _, end in self.blocks), max))  # furthest end so far

    def containing(self, position) -> list[int]:
        """Indexes of the blocks that contain ``position``, in order."""
        last = bisect.bisect_right(self.starts, position) - 1
        first = bisect.bisect_left(self.reach, position, 0, last + 1)
        return [index for index in range(first, last + 1) if self.blocks[index][1] >= position]

    def around(self, position):
        inside = self.containing(position)
        if inside:
            return self.blocks[inside[0]]
        following = bisect.bisect_right(self.starts, position)
        return self.blocks[following] if following < len(self.blocks) else None


def load_central(path: str) -> list[Waiver]:
    """Waivers from a central file: ``waivers: [{codes, paths, match, reason, approved-by, expires}]``."""
    import yaml

    from ..safety import yaml_loader

    node = parse_file(path, "waiver file", yaml_loader.compose, yaml.YAMLError,
                      lambda exc: yaml_problem(exc, "invalid YAML in waiver file"))
    entries = None
    if isinstance(node, yaml.MappingNode):
        entries = next((value for key, value in node.value if key.value == "waivers"), None)
    if not isinstance(entries, yaml.SequenceNode):
        raise PurdahError(f"{path}:1:1: a waiver file holds 'waivers:', a list of entries")
    try:
        return [from_mapping(yaml_loader.construct(item), "central", path, item.start_mark.line + 1,
                             item.start_mark.column + 1) for item in entries.value]
    except yaml.YAMLError as exc:
        raise PurdahError(f"{path}:{yaml_problem(exc, 'invalid YAML in waiver file')}") from None


def _names(waiver: Waiver, known_codes: set[str]) -> tuple[set[str], list[str]]:
    codes, unknown = set(), []
    for item in waiver.codes:
        if item.upper() in known_codes:
            codes.add(item.upper())
        elif item in CATEGORIES:
            codes.add(item)
        else:
            unknown.append(item)
    return codes, unknown


def _covers(waiver: Waiver, names: set[str], finding: Finding) -> bool:
    if finding.code not in names and finding.category not in names:
        return False
    if waiver.source == "central":
        base = os.path.dirname(os.path.abspath(waiver.path))
        relative = os.path.relpath(os.path.abspath(finding.path), base).replace(os.sep, "/")
        shown = finding.path.replace(os.sep, "/")
        if waiver.paths and not any(fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(shown, glob)
                                    for glob in waiver.paths):
            return False
        return not waiver.match or " ".join(waiver.match.lower().split()) in finding.match.lower()
    if waiver.covers is None:
        return waiver.source != "inline"  # front matter and document properties cover the document
    start, end = waiver.covers
    return start <= (finding.line, finding.column) <= end


def apply(findings: list[Finding], waivers: list[Waiver], central: Iterable[Waiver], as_of: dt.date,
          known_codes: set[str], selected: set[str], rules_ran: bool,
          window: str | None, lead_in: bool = False) -> tuple[list[Finding], set[int]]:
    """Mark waived findings; add governance findings (PE001 to PE004) for the document's waivers.

    ``central`` holds the run's central waivers, whose governance is reported once per run
    (see :func:`central_governance`). Returns the findings and the indexes of central waivers used.
    In the lead-in a waiver that waives nothing is a suggestion: the lead-in never fails a check.
    """
    governance: list[Finding] = []
    usable: list[tuple[Waiver, set[str], int | None]] = []
    for waiver in waivers:
        names, unknown = _names(waiver, known_codes)
        governance.extend(_governance(waiver, unknown, as_of, window))
        if not waiver.problems and waiver.expires >= as_of and names:
            usable.append((waiver, names, None))
    for index, waiver in enumerate(central):
        names, _ = _names(waiver, known_codes)
        if not waiver.problems and waiver.expires >= as_of and names:
            usable.append((waiver, names, index))
    used_central: set[int] = set()
    result = []
    # Inline waivers cover one block each: find a finding's candidates by its block, not by trying all.
    by_block: dict = {}
    for order, entry in enumerate(usable):
        if entry[0].covers is not None:
            by_block.setdefault(entry[0].covers, []).append((order, entry))
    blocks = sorted(by_block)
    searchable = _Blocks(blocks)
    wide = [entry for entry in usable if entry[0].covers is None]
    for finding in findings:
        near = sorted(pair for block in searchable.containing((finding.line, finding.column))
                      for pair in by_block[blocks[block]])
        for waiver, names, index in [entry for _, entry in near] + wide:
            if _covers(waiver, names, finding):
                waiver.used += 1
                if index is not None:
                    used_central.add(index)
                finding = finding.replace(waived=waiver.as_json())
                break
        result.append(finding)
    if rules_ran:
        for waiver, names, index in usable:
            if index is None and waiver.used == 0 and names & selected:
                governance.append(_meta("PE003", waiver, "This waiver waives nothing: no finding it names is in "
                                                         "what it covers. Remove it, or move it above that block.",
                                        window, Severity.SUGGESTION if lead_in else Severity.ERROR))
    return result + governance, used_central


def _governance(waiver: Waiver, unknown: list[str], as_of: dt.date, window: str | None) -> list[Finding]:
    found = []
    if unknown:
        listed = ", ".join(brief(item, 40) for item in unknown[:SHOWN_UNKNOWN])
        more = f" and {len(unknown) - SHOWN_UNKNOWN:,} more" if len(unknown) > SHOWN_UNKNOWN else ""
        names = f"{len(unknown):,} names that are not known codes or categories" if len(unknown) > 1 else \
            "a name that is not a known code or category"
        found.append(_meta("PE004", waiver, f"This waiver has {names}: {listed}{more}; see 'purdah-lint rules'.",
                           window))
    if waiver.problems:
        found.append(_meta("PE001", waiver, f"This waiver {'; '.join(waiver.problems)}. A waiver records why, "
                                            "who approved it and until when.", window))
    elif waiver.expires < as_of:
        found.append(_meta("PE002", waiver, f"This waiver expired on {waiver.expires:%-d %B %Y} (approved by "
                                            f"{waiver.approved_by}); renew the sign-off or change the text.", window))
    return found


def central_governance(central: list[Waiver], used: set[int], as_of: dt.date, known_codes: set[str],
                       selected: set[str], rules_ran: bool, lead_in: bool, reach) -> list[Finding]:
    """Governance findings for the central waiver file, once per run.

    ``reach(waiver)`` says how much of what an entry names this run checked (a :class:`Reach`):
    an entry is judged only on files the run saw, and called unused as an error only when the run
    saw everything (or was asked to judge every entry).
    """
    from .central_reach import Reach

    found = []
    for index, waiver in enumerate(central):
        seen = reach(waiver)
        if seen is Reach.NONE:
            continue
        names, unknown = _names(waiver, known_codes)
        problems = _governance(waiver, unknown, as_of, None)
        found.extend(problems)
        if seen >= Reach.ALL and rules_ran and not problems and index not in used and names & selected:
            judged_whole = seen is Reach.EVERYTHING and not lead_in
            found.append(_meta("PE003", waiver, "This waiver waives nothing in the files checked.", None,
                               Severity.ERROR if judged_whole else Severity.SUGGESTION))
    return found


def brief_list(codes: tuple[str, ...]) -> str:
    """The codes a waiver names, the first few when there are many."""
    shown = ", ".join(codes[:SHOWN_UNKNOWN])
    return f"{shown} and {len(codes) - SHOWN_UNKNOWN:,} more" if len(codes) > SHOWN_UNKNOWN else shown


def _meta(code: str, waiver: Waiver, message: str, window: str | None,
          severity: Severity = Severity.ERROR) -> Finding:
    meta = META_CODES[code]
    return Finding(path=waiver.path, line=waiver.line, column=waiver.column, end_line=waiver.line,
                   end_column=waiver.column + 1, code=code, rule=meta.name, category="meta",
                   severity=severity, message=message, match=brief_list(waiver.codes),
                   window=window, windows=(window,) if window else (), guidance=meta.guidance,
                   signoff="Whoever approves exceptions for your organisation")
