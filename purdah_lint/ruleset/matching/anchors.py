"""Literal anchors of a pattern: strings at least one of which every match must contain.

The engine skips a rule on a block holding none of its anchors, without running the regex.
Anchors are casefolded and compared with casefolded text, so the check can only let more
blocks through than the regex would match, never fewer: results are the same either way.
Of the sets every match needs, the one whose literals are rarest in running text is chosen
(rarity.py): 'consultation' rather than 'the', wherever it stands in the match.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # noqa: PLC2701 - the stdlib's own regex parser
from re import _parser as sre_parse  # noqa: PLC2701
from typing import Callable

from .rarity import rates_for

REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
MAX_RATE = 0.05  # anchors more common than one in twenty words would let most blocks through anyway
MAX_WAYS = 512  # branches opened per pattern when listing the ways a match can go
WAY_SETS = 2  # literal sets kept per way: the rarest decide; more cost time to check
Rate = Callable[[str], float]


def anchors(pattern: str, rate: Rate | None = None) -> frozenset[str] | None:
    """Casefolded strings one of which every match of ``pattern`` contains, or None if unknown.

    ``rate`` gives a literal's occurrences per word of text (English rates by default).
    """
    return best_anchors(required_choices(pattern, rate))


def required_sets(pattern: str, rate: Rate | None = None) -> list[frozenset[str]]:
    """Sets of casefolded literals, each from its own part of ``pattern``, every match holding one of each; rarest first."""
    return [literals for _, literals in rarest_first(required_choices(pattern, rate))]


def required_choices(pattern: str, rate: Rate | None = None) -> list[Choice]:
    """For each part of ``pattern`` that every match holds: (summed rate, its casefolded literals), in pattern order."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return []
    return _Required(rate or rates_for("en")).each(list(parsed))


def literal_ways(patterns: list[str], rate: Rate | None = None) -> tuple | None:
    """The ways a match of any of ``patterns`` can go, each as the rarest sets of casefolded literals it holds.

    A text holding, for no way, a literal of each of its sets cannot match. Branches are opened (up
    to ``MAX_WAYS`` per pattern), so each branch needs only its own literals. None when some way
    holds no literal (then only running the pattern tells).
    """
    required = _Required(rate or rates_for("en"))
    ways = set()
    for pattern in patterns:
        try:
            parsed = sre_parse.parse(pattern)
        except re.error:
            return None
        for way in _ways(list(parsed)):
            sets = [tuple(sorted(literals)) for _, literals in rarest_first(required.each(way))][:WAY_SETS]
            if not sets:
                return None
            ways.add(tuple(sets))
    kept: list[tuple] = []
    for way in sorted(ways, key=lambda way: (len(way), way)):
        if not any(set(other) <= set(way) for other in kept):  # a way that needs more than another adds nothing
            kept.append(way)
    return tuple(kept)


def _ways(items: list) -> list[list]:
    """Sequences of parsed items, one for each way through the branches of ``items`` (up to ``MAX_WAYS``)."""
    ways: list[list] = [[]]
    for item in items:
        op, argument = item
        options = None
        if op == sre_constants.BRANCH:
            options = [way for branch in argument[1] for way in _ways(list(branch))]
        elif op == sre_constants.SUBPATTERN:
            options = _ways(list(argument[-1]))
        if options is None or len(ways) * len(options) > MAX_WAYS:
            options = [[item]]
        ways = [way + option for way in ways for option in options]
    return ways


def best_anchors(choices: list[Choice]) -> frozenset[str] | None:
    """The rarest of ``choices`` (the first on a tie), or None when there is none or it is too common to help."""
    found = min(choices, key=lambda choice: choice[0], default=None)
    if not found or found[0] > MAX_RATE:
        return None
    return found[1]


def rarest_first(choices: list[Choice]) -> list[Choice]:
    """``choices`` ordered from the rarest (ties in the order of their literals)."""
    return sorted(choices, key=lambda choice: (choice[0], sorted(choice[1])))


Choice = tuple[float, frozenset[str]]  # (summed rate, literals)


class _Required:
    """Finds the rarest set of literals one of which every match holds."""

    def __init__(self, rate: Rate):
        self.rate = rate

    def choice(self, literals) -> Choice:
        literals = frozenset(literals)
        return sum(map(self.rate, literals)), literals

    def each(self, items) -> list[Choice]:
        """A choice for each part of a sequence that every match holds (groups and repeats opened up)."""
        found: list[Choice] = []
        run: list[str] = []
        for op, argument in items:
            if op == sre_constants.LITERAL:
                run.append(chr(argument))
                continue
            if op in ZERO_WIDTH:
                continue
            if run:
                found.append(self.choice(["".join(run).casefold()]))
                run = []
            if op == sre_constants.SUBPATTERN:
                found.extend(self.each(list(argument[-1])))
            elif op in REPEATS and argument[0] >= 1:
                found.extend(self.each(list(argument[2])))
            elif op == sre_constants.BRANCH:
                branches = [self.of(list(branch)) for branch in argument[1]]
                if all(branches):
                    found.append(self.choice(set().union(*(literals for _, literals in branches))))
        if run:
            found.append(self.choice(["".join(run).casefold()]))
        return [choice for choice in found if choice[1]]

    def of(self, items) -> Choice | None:
        """The best anchor set of a sequence of parsed items: the rarest of its parts (the first on a tie)."""
        return min(self.each(items), key=lambda choice: choice[0], default=None)
