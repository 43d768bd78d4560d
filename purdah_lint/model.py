"""Core data types: severities, exit codes, segments, documents and findings."""

from __future__ import annotations

import enum
import re
from typing import Any, Sequence

from _bisect import bisect_left, bisect_right  # what ``bisect`` wraps: importing the wrapper too cost start-up


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


class ExitCode:
    """Process exit codes of the command-line interface.

    Plain numbers, not an enum: an exit code is only ever returned, and building an enum class on
    import cost about 0.7 M instructions of every check's start-up.
    """

    OK = 0
    FINDINGS = 1
    ERROR = 2


class Record:
    """Base of the plain data classes: ``repr``, equality and ``replace`` read from ``__slots__``.

    Used instead of dataclasses, which generate and compile source for every class when it is
    defined: about 4 M instructions each, a third of the linter's start-up (docs/performance.rst).
    """

    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # mutable, like a dataclass that is not frozen

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({fields})"

    def replace(self, **changes: Any):
        """A copy with the given fields changed."""
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return self.__class__(**values)


class Value(Record):
    """A record that is hashed by its fields, for use as a key or in a set (never changed once made)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())


class PurdahError(Exception):
    """A user-facing problem (bad config, rule pack or input): one line, no traceback."""


class PackError(PurdahError):
    """A rule pack that does not load; the message starts with ``file:line:col`` where known."""


class InputError(PurdahError):
    """An input file that cannot be read or parsed."""


_LINE_BREAK = re.compile(r"\n")
EAGER_LINE_INDEX = 1 << 20  # characters; above this a line index is built at once
_URL = r"(?:https?://|www\.)[^\s<>\"'()\[\]]+"  # compiled (by re, once) only for text holding an address
URL_MASK = "\ufffc"  # neither a word character nor white space, so no token can match across it


def mask_urls(text: str) -> str:
    """Blank out web addresses (keeping every offset) so their words are not read as prose."""
    if "http" not in text and "www." not in text:
        return text
    return re.sub(_URL, lambda match: URL_MASK * len(match.group()), text)


class LineIndex:
    """Turns offsets in newline-normalised text into 1-based (line, column) pairs."""

    __slots__ = ("_text", "_length", "_starts")

    def __init__(self, text: str):
        self._length = len(text)
        self._text: str | None = text
        self._starts: Sequence[int] | None = None
        if len(text) > EAGER_LINE_INDEX:
            self._line_starts()
            self._text = None  # a large text is not kept alive just to count its lines later

    def _line_starts(self) -> Sequence[int]:
        if self._starts is None:
            # Usually built on first use: plain-text files with no finding never need it.
            breaks = (m.end() for m in _LINE_BREAK.finditer(self._text))
            if self._length > EAGER_LINE_INDEX:
                from array import array  # compact for a large text; a small one's list costs less than this import

                self._starts = array("q", [0])
                self._starts.extend(breaks)
            else:
                self._starts = [0, *breaks]
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column (in characters) of ``offset``."""
        starts = self._line_starts()
        line = bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def offset(self, line: int) -> int:
        """Offset where 0-based ``line`` starts; past the last line, the length of the text."""
        starts = self._line_starts()
        return starts[line] if 0 <= line < len(starts) else self._length


# Where in a document a segment's text sits: readers give each segment one of these, rules choose among them.
SCOPES = ("heading", "paragraph", "list", "table", "quote", "alt", "title", "term")
# A glossary term names a word rather than announcing anything: rules look at terms only if they say so.
DEFAULT_SCOPES = frozenset(SCOPES) - {"term"}


class Segment(Record):
    """A run of prose from one block of a document, mapped back to its source.

    ``runs`` holds ``(segment_offset, source_offset)`` pairs: each starts a stretch
    of characters that lie side by side in the source.
    """

    __slots__ = ("text", "scope", "runs", "lines", "location", "line_locations", "language")

    def __init__(self, text: str, scope: str, runs: list[tuple[int, int]], lines: LineIndex,
                 location: str | None = None, line_locations: Sequence[str] | None = None,
                 language: str | None = None):
        self.text = text
        self.scope = scope  # one of SCOPES
        self.runs = runs
        self.lines = lines
        self.location = location
        # Where each source line is, in words, for formats whose segments span places (a PDF page's lines).
        self.line_locations = line_locations
        # "en", "cy", ...: set by markup (HTML lang) when the reader sees it, else by inputs.languages.
        self.language = language

    def location_at(self, offset: int) -> str | None:
        """Where segment character ``offset`` is, in words (e.g. "page 3, line 12"), if the format says."""
        if self.line_locations is None:
            return self.location
        return self.line_locations[self.locate(offset)[0] - 1]

    def source_offset(self, offset: int) -> int:
        """Offset in the (newline-normalised) source of segment character ``offset``."""
        index = bisect_right(self.runs, (offset, float("inf"))) - 1
        seg_start, src_start = self.runs[max(index, 0)]
        return src_start + (offset - seg_start)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of segment character ``offset``."""
        return self.lines.position(self.source_offset(offset))

    def piece(self, start: int, end: int) -> "Segment":
        """Characters ``start`` to ``end`` as a segment of their own, still mapped to the source."""
        first = bisect_right(self.runs, (start, float("inf")))
        last = bisect_left(self.runs, (end, -1))
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


class Comment(Record):
    """A comment in the source (kept for waivers), with its 1-based position."""

    __slots__ = ("text", "line", "column")

    def __init__(self, text: str, line: int, column: int):
        self.text = text
        self.line = line
        self.column = column


class Document(Record):
    """A parsed input: its prose segments and metadata, independent of format."""

    __slots__ = ("path", "format", "segments", "metadata", "comments", "notices", "waiver_declaration")

    def __init__(self, path: str, format: str, segments: list[Segment] | None = None,
                 metadata: dict[str, Any] | None = None, comments: list[Comment] | None = None,
                 notices: list[str] | None = None, waiver_declaration: tuple[Any, int] | None = None):
        self.path = path
        self.format = format
        self.segments = [] if segments is None else segments
        self.metadata = {} if metadata is None else metadata
        self.comments = [] if comments is None else comments
        self.notices = [] if notices is None else notices
        # A document-wide waiver declaration (front matter value or property text) and its line.
        self.waiver_declaration = waiver_declaration


class Finding(Value):
    """One reported match of a rule in a document."""

    __slots__ = ("path", "line", "column", "end_line", "end_column", "code", "rule", "category", "severity",
                 "message", "match", "window", "windows", "guidance", "signoff", "location", "waived")

    def __init__(self, path: str, line: int, column: int, end_line: int, end_column: int, code: str, rule: str,
                 category: str, severity: Severity, message: str, match: str, window: str | None,
                 windows: tuple[str, ...], guidance: str, signoff: str, location: str | None = None,
                 waived: dict[str, Any] | None = None):
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.code = code
        self.rule = rule
        self.category = category
        self.severity = severity
        self.message = message
        self.match = match
        self.window = window
        self.windows = windows
        self.guidance = guidance
        self.signoff = signoff
        self.location = location
        self.waived = waived

    def sort_key(self) -> tuple:
        """Stable report order: path, line, column, code."""
        return (self.path, self.line, self.column, self.code, self.end_line, self.end_column)
