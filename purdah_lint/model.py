"""Core data types: severities, exit codes, segments, documents and findings."""

from __future__ import annotations

import bisect
import enum
import re
from array import array
from dataclasses import dataclass, field
from typing import Any, Sequence


class Severity(enum.IntEnum):
    """Finding levels, ordered so that comparisons mean 'at least as serious'."""

    SUGGESTION = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        """Return the severity called ``name`` (case-insensitive)."""
        return cls[name.strip().upper()]

    @property
    def label(self) -> str:
        """The lower-case name used in output and configuration."""
        return self.name.lower()


class ExitCode(enum.IntEnum):
    """Process exit codes of the command-line interface."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


class PurdahError(Exception):
    """A user-facing problem (bad config, rule pack or input): one line, no traceback."""


class PackError(PurdahError):
    """A rule pack that does not load; the message starts with ``file:line:col`` where known."""


class InputError(PurdahError):
    """An input file that cannot be read or parsed."""


_LINE_BREAK = re.compile(r"\n")
EAGER_LINE_INDEX = 1 << 20  # characters; above this a line index is built at once
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+")
URL_MASK = "\ufffc"  # neither a word character nor white space, so no token can match across it


def mask_urls(text: str) -> str:
    """Blank out web addresses (keeping every offset) so their words are not read as prose."""
    if "http" not in text and "www." not in text:
        return text
    return _URL.sub(lambda match: URL_MASK * len(match.group()), text)


class LineIndex:
    """Turns offsets in newline-normalised text into 1-based (line, column) pairs."""

    __slots__ = ("_text", "_length", "_starts")

    def __init__(self, text: str):
        self._length = len(text)
        self._text: str | None = text
        self._starts: array | None = None
        if len(text) > EAGER_LINE_INDEX:
            self._line_starts()
            self._text = None  # a large text is not kept alive just to count its lines later

    def _line_starts(self) -> array:
        if self._starts is None:
            # Usually built on first use: plain-text files with no finding never need it.
            self._starts = array("q", [0])
            self._starts.extend(m.end() for m in _LINE_BREAK.finditer(self._text))
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column (in characters) of ``offset``."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def offset(self, line: int) -> int:
        """Offset where 0-based ``line`` starts; past the last line, the length of the text."""
        starts = self._line_starts()
        return starts[line] if 0 <= line < len(starts) else self._length


# Where in a document a segment's text sits: readers give each segment one of these, rules choose among them.
SCOPES = ("heading", "paragraph", "list", "table", "quote", "alt", "title", "term")
# A glossary term names a word rather than announcing anything: rules look at terms only if they say so.
DEFAULT_SCOPES = frozenset(SCOPES) - {"term"}


@dataclass(slots=True)
class Segment:
    """A run of prose from one block of a document, mapped back to its source.

    ``runs`` holds ``(segment_offset, source_offset)`` pairs: each starts a stretch
    of characters that lie side by side in the source.
    """

    text: str
    scope: str  # one of SCOPES
    runs: list[tuple[int, int]]
    lines: LineIndex
    location: str | None = None
    # Where each source line is, in words, for formats whose segments span places (a PDF page's lines).
    line_locations: Sequence[str] | None = None
    # "en", "cy", ...: set by markup (HTML lang) when the reader sees it, else by inputs.languages.
    language: str | None = None

    def location_at(self, offset: int) -> str | None:
        """Where segment character ``offset`` is, in words (e.g. "page 3, line 12"), if the format says."""
        if self.line_locations is None:
            return self.location
        return self.line_locations[self.locate(offset)[0] - 1]

    def source_offset(self, offset: int) -> int:
        """Offset in the (newline-normalised) source of segment character ``offset``."""
        index = bisect.bisect_right(self.runs, (offset, float("inf"))) - 1
        seg_start, src_start = self.runs[max(index, 0)]
        return src_start + (offset - seg_start)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of segment character ``offset``."""
        return self.lines.position(self.source_offset(offset))

    def piece(self, start: int, end: int) -> "Segment":
        """Characters ``start`` to ``end`` as a segment of their own, still mapped to the source."""
        first = bisect.bisect_right(self.runs, (start, float("inf")))
        last = bisect.bisect_left(self.runs, (end, -1))
        runs = [(0, self.source_offset(start))] + [(offset - start, source) for offset, source in self.runs[first:last]]
        return Segment(self.text[start:end], self.scope, runs, self.lines, self.location, self.line_locations,
                       self.language)


class SegmentBuilder:
    """Accumulates text pieces with their source offsets into a :class:`Segment`."""

    __slots__ = ("_parts", "_runs", "_length", "_next_src")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._runs: list[tuple[int, int]] = []
        self._length = 0
        self._next_src = -1

    def __bool__(self) -> bool:
        return self._length > 0

    def add(self, text: str, source_offset: int) -> None:
        """Append ``text`` that starts at ``source_offset`` and is contiguous in the source."""
        if not text:
            return
        if source_offset != self._next_src:
            self._runs.append((self._length, source_offset))
        self._parts.append(text)
        self._length += len(text)
        self._next_src = source_offset + len(text)

    def add_mapped(self, text: str, offsets: list[int]) -> None:
        """Append ``text`` whose characters come from the given source offsets."""
        for char, offset in zip(text, offsets):
            self.add(char, offset)

    def add_break(self) -> None:
        """Append a line break that stands for markup between two pieces of text."""
        if self._length:
            self._parts.append("\n")
            self._runs.append((self._length, max(self._next_src - 1, 0)))
            self._length += 1
            self._next_src = -1

    def build(self, scope: str, lines: LineIndex) -> Segment | None:
        """Return the finished segment, or None when it holds no visible text."""
        text = mask_urls("".join(self._parts))
        if not text.strip():
            return None
        return Segment(text, scope, self._runs, lines)


@dataclass(slots=True)
class Comment:
    """A comment in the source (kept for waivers), with its 1-based position."""

    text: str
    line: int
    column: int


@dataclass(slots=True)
class Document:
    """A parsed input: its prose segments and metadata, independent of format."""

    path: str
    format: str
    segments: list[Segment] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # A document-wide waiver declaration (front matter value or property text) and its line.
    waiver_declaration: tuple[Any, int] | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported match of a rule in a document."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    category: str
    severity: Severity
    message: str
    match: str
    window: str | None
    windows: tuple[str, ...]
    guidance: str
    signoff: str
    location: str | None = None
    waived: dict[str, Any] | None = None

    def sort_key(self) -> tuple:
        """Stable report order: path, line, column, code."""
        return (self.path, self.line, self.column, self.code, self.end_line, self.end_column)
