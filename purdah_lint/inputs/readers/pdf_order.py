"""Reading order of the text blocks on a page: columns top to bottom, left to right; table rows across.

pdfminer's own ordering interleaves columns and tables on many layouts, so blocks are ordered
here by their geometry: a gutter (a vertical strip no block crosses) splits a page into columns,
blocks that cross it (titles, headers, footers) split it into bands, and blocks on either side
of a gutter that start at the same heights are the cells of table rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_GUTTER = 6.0  # points: narrower gaps are spaces between words, not between columns
ROW_TOLERANCE = 3.0  # points: cells of one table row start this close to each other


@dataclass(slots=True)
class Block:
    """A block of text lines and its box, measured from the top-left corner of the page."""

    x0: float
    top: float
    x1: float
    bottom: float
    lines: list = field(default_factory=list)


def reading_order(blocks: list[Block]) -> list[Block]:
    """The blocks in the order a person reads them."""
    if len(blocks) < 2:
        return list(blocks)
    # Paragraphs of several lines show the columns best; one-line titles and headers may cross them.
    gutter = _gutter([b for b in blocks if len(b.lines) > 1]) or _gutter(blocks)
    if gutter is None:
        return sorted(blocks, key=lambda b: (b.top, b.x0))
    crossing = sorted((b for b in blocks if b.x0 < gutter < b.x1), key=lambda b: b.top)
    if not crossing:
        left = [b for b in blocks if b.x1 <= gutter]
        right = [b for b in blocks if b.x0 >= gutter]
        if _rows_align(left, right):
            return _by_rows(blocks)
        return reading_order(left) + reading_order(right)
    ordered: list[Block] = []
    rest = [b for b in blocks if not (b.x0 < gutter < b.x1)]
    for wide in crossing:
        above = [b for b in rest if b.top < wide.top]
        rest = [b for b in rest if b.top >= wide.top]
        ordered += reading_order(above) + [wide]
    return ordered + reading_order(rest)


def _gutter(blocks: list[Block]) -> float | None:
    """The middle of the widest vertical strip inside the blocks' span that none of them crosses."""
    spans = sorted((b.x0, b.x1) for b in blocks)
    if len(spans) < 2:
        return None
    best, reach = None, spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= MIN_GUTTER and (best is None or x0 - reach > best[1] - best[0]):
            best = (reach, x0)
        reach = max(reach, x1)
    return (best[0] + best[1]) / 2 if best else None


def _rows_align(left: list[Block], right: list[Block]) -> bool:
    """Whether every block on each side starts level with one on the other: the cells of table rows."""
    if len(left) < 2 or len(right) < 2:
        return False
    level = lambda block, others: any(abs(block.top - other.top) <= ROW_TOLERANCE for other in others)  # noqa: E731
    return all(level(b, right) for b in left) and all(level(b, left) for b in right)


def _by_rows(blocks: list[Block]) -> list[Block]:
    """Blocks row by row (rows are blocks that start level), each row left to right."""
    rows: list[list[Block]] = []
    for block in sorted(blocks, key=lambda b: b.top):
        if rows and block.top - rows[-1][0].top <= ROW_TOLERANCE:
            rows[-1].append(block)
        else:
            rows.append([block])
    return [block for row in rows for block in sorted(row, key=lambda b: b.x0)]
