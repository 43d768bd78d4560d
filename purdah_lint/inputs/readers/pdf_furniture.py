"""Running headers, footers and page numbers: lines at a page's edge that repeat on other pages."""

from __future__ import annotations

import re
from collections import defaultdict

from .pdf_layout import Page

EDGE_LINES = 3  # the first and last few lines of a page (by height) can be page furniture
EDGE_BAND = 0.15  # and only within this share of the page's height from its top or bottom
SHORT_LINE_WORDS = 4  # page numbers ("Page 3 of 10") are short; a longer line must repeat word for word
_DIGITS = re.compile(r"\d+")


def _key(text: str) -> str:
    """The line as compared across pages: a short line's numbers blanked, so "Page 3 of 10" matches "Page 4 of 10"."""
    text = text.lower()
    return _DIGITS.sub("#", text) if len(text.split()) <= SHORT_LINE_WORDS else text


def _edge_lines(page: Page):
    """(index, edge) of the lines near the page's top and bottom."""
    order = sorted(range(len(page.lines)), key=lambda index: page.lines[index].from_top)
    for index in order[:EDGE_LINES]:
        if page.lines[index].from_top <= EDGE_BAND:
            yield index, "top"
    for index in order[-EDGE_LINES:]:
        if page.lines[index].from_top >= 1 - EDGE_BAND:
            yield index, "bottom"


def repeats(pages: list[Page]) -> set[tuple[int, int]]:
    """(page number, line index) of every running line after its first appearance."""
    seen: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for page in pages:
        for index, edge in _edge_lines(page):
            where = seen[(_key(page.lines[index].text), edge)]
            if not where or where[-1][0] != page.number:
                where.append((page.number, index))
    return {place for places in seen.values() if len(places) > 1 for place in places[1:]}
