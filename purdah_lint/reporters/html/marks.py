"""Cutting a line of text into pieces so each flagged passage can be marked where it stands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Where one finding covers a line: 0-based start and end (exclusive) characters."""

    start: int
    end: int
    finding: int  # index of the finding in its document
    begins: bool  # the finding's passage starts on this line


@dataclass
class Piece:
    """A stretch of a line, with the findings that cover it and those whose passage starts there."""

    text: str
    covered_by: tuple[int, ...] = ()
    starts: tuple[int, ...] = ()


def line_spans(findings, line_number: int, line_length: int) -> list[Span]:
    """The spans on 1-based ``line_number`` of every finding (line, column, end_line, end_column)."""
    spans = []
    for index, finding in enumerate(findings):
        if not finding.line <= line_number <= max(finding.line, finding.end_line):
            continue
        start = finding.column - 1 if line_number == finding.line else 0
        end = finding.end_column - 1 if line_number == finding.end_line else line_length
        start = min(max(start, 0), line_length)
        spans.append(Span(start, min(max(end, start), line_length), index, line_number == finding.line))
    return spans


def pieces(text: str, spans: list[Span]) -> list[Piece]:
    """``text`` cut at every span boundary; each piece knows which findings cover it."""
    if not spans:
        return [Piece(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    result = []
    for start, end in zip(cuts, cuts[1:] + [None]):
        if end is None:
            end = start  # a zero-width piece at the end carries passages that start past the text
        covering = tuple(s.finding for s in spans if s.start <= start and end <= s.end and s.start < s.end)
        starting = tuple(s.finding for s in spans if s.begins and s.start == start)
        if end > start or starting:
            result.append(Piece(text[start:end], covering if end > start else (), starting))
    return result or [Piece("")]
