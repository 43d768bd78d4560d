"""Literal anchors of a pattern: strings at least one of which every match must contain.

The engine skips a rule on a block holding none of its anchors, without running the regex.
Anchors are casefolded and compared with casefolded text, so the check can only let more
blocks through than the regex would match, never fewer: results are the same either way.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # noqa: PLC2701 - the stdlib's own regex parser
from re import _parser as sre_parse  # noqa: PLC2701

REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
MIN_ANCHOR = 3  # shorter anchors would let most blocks through anyway


def anchors(pattern: str) -> frozenset[str] | None:
    """Casefolded strings one of which every match of ``pattern`` contains, or None if unknown."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    found = _required(list(parsed))
    if not found or min(len(anchor) for anchor in found) < MIN_ANCHOR:
        return None
    return frozenset(found)


def _better(current: set[str] | None, candidate: set[str] | None) -> set[str] | None:
    if not candidate:
        return current
    if not current:
        return candidate
    return candidate if min(map(len, candidate)) > min(map(len, current)) else current


def _required(items) -> set[str] | None:
    """The best anchor set of a sequence of parsed items."""
    best: set[str] | None = None
    run: list[str] = []
    for op, argument in items:
        if op == sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        if op in ZERO_WIDTH:
            continue  # consumes nothing: the literal run goes on
        if run:
            best = _better(best, {"".join(run).casefold()})
            run = []
        if op == sre_constants.SUBPATTERN:
            best = _better(best, _required(list(argument[-1])))
        elif op == sre_constants.BRANCH:
            branches = [_required(list(branch)) for branch in argument[1]]
            if all(branches):
                best = _better(best, set().union(*branches))
        elif op in REPEATS and argument[0] >= 1:
            best = _better(best, _required(list(argument[2])))
    if run:
        best = _better(best, {"".join(run).casefold()})
    return best
