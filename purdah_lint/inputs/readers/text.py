"""Plain-text reader: paragraphs separated by blank lines, positions as they are."""

from __future__ import annotations

import re

from ...model import Comment, Document, LineIndex, Segment, mask_urls

_BLANK_LINES = re.compile(r"\n(?:[ \t\f\v]*\n)+")
# A waiver in a text file is a line of its own: [purdah-lint: allow PE301 reason="…" …]
_MARKER_HINT = re.compile(r"\[purdah-lint:", re.IGNORECASE)
_MARKER_LINE = re.compile(r"^[ \t]*\[purdah-lint:[^\n]*\][ \t]*$", re.MULTILINE | re.IGNORECASE)


def paragraphs(text: str):
    """Yield ``(start, paragraph)`` for each run of non-blank lines, trimmed."""
    position = 0
    for separator in _BLANK_LINES.finditer(text):
        yield from _trimmed(text, position, separator.start())
        position = separator.end()
    yield from _trimmed(text, position, len(text))


def _trimmed(text: str, start: int, end: int):
    piece = text[start:end]
    stripped = piece.lstrip()
    if stripped:
        yield start + len(piece) - len(stripped), stripped.rstrip()


BINARY = False  # gets the decoded text


def parse(text: str, path: str) -> Document:
    """Split plain ``text`` into one segment per paragraph."""
    document = Document(path, "text")
    lines = LineIndex(text)
    if _MARKER_HINT.search(text):  # not text.lower(): a copy of a 50 MB file costs 100 MB
        text = _take_markers(text, document, lines)
    for start, paragraph in paragraphs(text):
        document.segments.append(Segment(mask_urls(paragraph), "paragraph", [(0, start)], lines))
    return document


def _take_markers(text: str, document: Document, lines: LineIndex) -> str:
    """Record marker lines as comments and blank them out (offsets kept) so they are not prose."""
    def blank(match: re.Match) -> str:
        marker = match.group()
        line, column = lines.position(match.start() + len(marker) - len(marker.lstrip()))
        document.comments.append(Comment(marker.strip()[1:-1], line, column))
        return " " * len(marker)

    return _MARKER_LINE.sub(blank, text)
