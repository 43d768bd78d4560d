"""Refuse patterns whose match could begin or end with white space, which whole-word matching never finds.

A token is matched as whole words: nothing word-like may touch either end of a match. A token
such as ``'urge residents to vote '`` (note the final space) therefore matches only where the
space is followed by punctuation or the end of the text, so in practice never; the same holds for
an alternative or an optional part at either end (``'announced (?:a |an |plans)'``). The check
walks the parsed pattern from each end, through groups, alternatives and repeats, and reports
the first edge where some way of matching must put white space. A lookbehind before a leading
space (or a lookahead after a trailing one) names what borders it, e.g. ``(?<=[a-z],)\\s``, so
such a token is accepted.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812, PLC2701 - the stdlib's own regex parser
from re import _parser as sre_parse  # noqa: PLC2701

_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)


def whitespace_edge(pattern: str) -> str | None:
    """``'end'`` or ``'start'`` when some match of ``pattern`` must end or begin with white space, else None."""
    try:
        parsed = list(sre_parse.parse(pattern))
    except re.error:
        return None  # compile() reports syntax errors itself
    try:
        if _edge(parsed, at_end=True)[0]:
            return "end"
        if _edge(parsed, at_end=False)[0]:
            return "start"
    except RecursionError:
        return None
    return None


def _edge(items: list, at_end: bool) -> tuple[bool, bool]:
    """(some match must have white space at this edge, the items can match the empty string)."""
    for op, value in reversed(items) if at_end else items:
        spaced, empty = _item(op, value, at_end)
        if spaced:
            return True, False
        if not empty:
            return False, False
    return False, True


def _item(op, value, at_end: bool) -> tuple[bool, bool]:
    if op is C.ASSERT and (value[0] == 1) == at_end:
        return False, False  # a lookahead at the end or lookbehind at the start says what borders the space
    if op in _ZERO_WIDTH:
        return False, True
    if op is C.LITERAL:
        return chr(value).isspace(), False
    if op is C.IN:
        return _only_space(value), False
    if op is C.SUBPATTERN:
        return _edge(list(value[-1]), at_end)
    if _ATOMIC is not None and op is _ATOMIC:
        return _edge(list(value), at_end)
    if op is C.BRANCH:
        results = [_edge(list(branch), at_end) for branch in value[1]]
        return any(spaced for spaced, _ in results), any(empty for _, empty in results)
    if op in _REPEATS:
        low, high, item = value
        if high == 0:
            return False, True
        spaced, empty = _edge(list(item), at_end)
        return spaced, empty or low == 0
    return False, False


def _only_space(members) -> bool:
    """Whether a character class holds nothing but white space."""
    for op, value in members:
        if op is C.LITERAL and chr(value).isspace():
            continue
        if op is C.CATEGORY and value is C.CATEGORY_SPACE:
            continue
        return False
    return bool(members)
