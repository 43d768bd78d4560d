"""Reading order of the text blocks on a page: columns top to bottom, left to right; table rows across.

pdfminer's own ordering interleaves columns and tables on many layouts, so blocks are ordered
here by their geometry: a gutter (a vertical strip with more text on each side than crosses it)
splits a page into columns, the blocks that cross it (titles, headers, footers) split it into
bands read top to bottom, and blocks on either side of a gutter that start level are table rows.
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
    strip = _gutter(blocks)
    if strip is None:
        return sorted(blocks, key=lambda b: (b.top, b.x0))
    low, high = strip
    left = [b for b in blocks if b.x1 <= low]
    right = [b for b in blocks if b.x0 >= high]
    crossing = sorted((b for b in blocks if b.x1 > low and b.x0 < high), key=lambda b: b.top)
    if not crossing:
        return _as_table(left, right) or reading_order(left) + reading_order(right)
    ordered: list[Block] = []
    rest = sorted(left + right, key=lambda b: b.top)
    for wide in crossing:
        ordered += reading_order([b for b in rest if b.top < wide.top]) + [wide]
        rest = [b for b in rest if b.top >= wide.top]
    return ordered + reading_order(rest)


def _height(blocks) -> float:
    return sum(max(b.bottom - b.top, 1.0) for b in blocks)


def _beside(block: Block, others: list[Block]) -> bool:
    """Whether some other block stands level with this one, sharing part of its height."""
    return any(b.top < block.bottom and block.top < b.bottom for b in others)


def _gutter(blocks: list[Block]) -> tuple[float, float] | None:
    """A vertical strip between blocks standing side by side, crossed by less text than stands on either side.

    The blocks that do cross it are titles, running headers and footers spanning the columns.
    """
    best, best_score = None, None
    for candidate in blocks:
        low, high = candidate.x1, candidate.x1 + MIN_GUTTER
        left = [b for b in blocks if b.x1 <= low]
        right = [b for b in blocks if b.x0 >= high]
        left = [b for b in left if _beside(b, right)]
        right = [b for b in right if _beside(b, left)]
        if not left:
            continue
        top, bottom = min(b.top for b in left + right), max(b.bottom for b in left + right)
        crossing = _height(b for b in blocks if b.x1 > low and b.x0 < high and b.top < bottom and top < b.bottom)
        side = min(_height(left), _height(right))
        if side > crossing and (best_score is None or (crossing, -side) < best_score):
            best, best_score = (low, high), (crossing, -side)
    return best


def _as_table(left: list[Block], right: list[Block]) -> list[Block] | None:
    """Row by row when the two sides are cells of table rows (text above or below the table aside)."""
    aside = [b for b in left if not _beside(b, right)] + [b for b in right if not _beside(b, left)]
    middle_left = [b for b in left if b not in aside]
    middle_right = [b for b in right if b not in aside]
    if not _rows_align(middle_left, middle_right):
        return None
    table_top = min(b.top for b in middle_left + middle_right)
    return (reading_order([b for b in aside if b.top < table_top]) + _by_rows(middle_left + middle_right)
            + reading_order([b for b in aside if b.top >= table_top]))


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
