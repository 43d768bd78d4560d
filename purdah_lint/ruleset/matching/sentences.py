"""Sentence boundaries inside a segment, for sentence-scoped rules and exceptions."""

from __future__ import annotations

from _bisect import bisect_right  # what ``bisect`` wraps: importing the wrapper too cost start-up
from typing import Iterator

from .programs import compile_pattern

# Every pattern here comes from the program store (programs.py): compiling them is a noticeable part of start-up.
_BOUNDARY = compile_pattern(r"[.!?\u2026]+['\"\u2019\u201d)\]]*\s+(?=[^a-z\s])|\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*\u2022]|\d+[.)])\s)")
_ABBREVIATIONS = frozenset({
    "dr", "mr", "mrs", "ms", "mx", "cllr", "st", "no", "prof", "rev", "sr", "jr", "vs", "etc", "e.g", "i.e",
    "approx", "dept", "govt", "est", "fig", "ltd", "co", "inc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "rt", "hon", "revd", "supt", "insp", "sgt", "det", "ch",
})
_WORD_BEFORE = compile_pattern(r"([\w.]+)$")
# A line break also ends a sentence after a line with no closing punctuation when a capital, digit
# or quotation mark follows, and the line is short (a headline, a date or a label above the text, as
# pages copied to plain text have them) or either line is longer than wrapped text's lines ever are
# (a page with one paragraph a line: a long headline above its story). A wrapped sentence's lines
# are of the wrap width, or go on in lower case.
_LINE_END = compile_pattern(r"\n(?=[ \t]*[A-Z0-9\"\u201c\u2018'\u00a3])")
_OPEN_LINE_ENDS = tuple(".!?\u2026,;:-\u2013\u2014(\"\u201c\u2018'")
SHORT_LINE = 60  # characters
UNWRAPPED_LINE = 150  # characters: longer than the lines of any hard-wrapped text (mail, PDF extracts)
# Blocks longer than this are linted in pieces of about this size (a generated or hostile file:
# real paragraphs are far shorter), so that memory stays small whatever the block's length.
PIECE = 50_000  # characters
_SPACE = compile_pattern(r"\s+")


class Sentences:
    """Start offsets of the sentences of one text, found once and searched by offset."""

    __slots__ = ("_text", "_starts")

    def __init__(self, text: str):
        self._text = text
        starts = [0]
        for match in _BOUNDARY.finditer(text):
            if match.group().startswith((".", "!", "?", "\u2026")) and self._abbreviation(match.start()):
                continue
            starts.append(match.end())
        starts.extend(self._line_ends(text))
        self._starts = sorted(set(starts))

    @staticmethod
    def _line_ends(text: str) -> list[int]:
        found = []
        for match in _LINE_END.finditer(text):
            line = text[text.rfind("\n", 0, match.start()) + 1:match.start()].rstrip()
            if not line or line.endswith(_OPEN_LINE_ENDS):
                continue
            unwrapped = len(line) > UNWRAPPED_LINE or _next_line_length(text, match.end()) > UNWRAPPED_LINE
            if len(line) <= SHORT_LINE or unwrapped:
                found.append(match.end())
        return found

    def _abbreviation(self, stop: int) -> bool:
        word = _WORD_BEFORE.search(self._text, max(0, stop - 12), stop)
        return bool(word) and word.group(1).lower().rstrip(".") in _ABBREVIATIONS

    def index(self, offset: int) -> int:
        """Number of the sentence containing ``offset`` (0-based)."""
        return bisect_right(self._starts, offset) - 1

    def spans(self) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of each sentence, in order."""
        yield from zip(self._starts, [*self._starts[1:], len(self._text)])

    def bounds(self, offset: int) -> tuple[int, int]:
        """``(start, end)`` of the sentence containing ``offset``."""
        index = self.index(offset)
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._text)
        return self._starts[index], end


def _next_line_length(text: str, start: int) -> int:
    """Length of the line starting at ``start``, counted no further than needed to tell it is unwrapped."""
    end = text.find("\n", start, start + UNWRAPPED_LINE + 1)
    return (end if end >= 0 else min(len(text), start + UNWRAPPED_LINE + 1)) - start


def pieces(text: str, size: int = PIECE) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text`` of at most ``size`` characters, cut at sentence ends."""
    start = 0
    while len(text) - start > size:
        end = _cut(text, start + size // 2, start + size)
        yield start, end
        start = end
    yield start, len(text)


def _cut(text: str, low: int, high: int) -> int:
    """The last sentence start in ``text[low:high]``; failing that the end of its last white space, or ``high``."""
    window = text[low:high]
    last = Sentences(window)._starts[-1]
    if last > 0:
        return low + last
    space = None
    for space in _SPACE.finditer(window):
        pass
    return low + space.end() if space is not None and space.end() < len(window) else high
