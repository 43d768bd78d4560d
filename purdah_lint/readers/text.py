"""Plain-text reader: paragraphs separated by blank lines, positions as they are."""

from __future__ import annotations

import re

from ..model import Document, LineIndex, Segment, mask_urls

_BLANK_LINES = re.compile(r"\n(?:[ \t\f\v]*\n)+")


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


def parse(text: str, path: str) -> Document:
    """Split plain ``text`` into one segment per paragraph."""
    document = Document(path, "text")
    lines = LineIndex(text)
    for start, paragraph in paragraphs(text):
        document.segments.append(Segment(mask_urls(paragraph), "paragraph", [(0, start)], lines))
    return document
