"""Start anchors of a pattern: literals every match holds at a known distance from its start.

The prefilter finds a rule's start anchors in a block in one pass, walks back from each to
where a match would start, and tries the rule's pattern only there. The distance is a path of
steps back from the literal: a width (least, most), or SPACE, the whole run of white space that
a phrase's ``\\s+`` matched between two words. Results are exactly those of a full scan: a step
is only used where it cannot be ambiguous, and a pattern without such anchors gets None.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # noqa: PLC2701 - the stdlib's own regex parser
from re import _parser as sre_parse  # noqa: PLC2701

from .anchors import REPEATS, ZERO_WIDTH, Rate
from .rarity import rates_for

Step = tuple[int, int]
SPACE: Step = (-1, -1)
StartAnchor = tuple[str, tuple[Step, ...]]  # (casefolded literal, steps back to the match start)
MAX_START_RATE = 1.0  # tries per word of text: beyond this a scan of the block is cheaper
GOOD_START_RATE = 1e-3  # anchors this rare are good enough: looking further is not worth the paths
_MAX_PATHS = 2000  # optional parts multiply the ways through a pattern; past this, give up
_MAX_SPREAD = 8  # a width step spanning more than this many lengths would try too many starts
_SPACE_CATEGORIES = {sre_constants.CATEGORY_SPACE, sre_constants.CATEGORY_UNI_SPACE}
_NEVER_SPACE_CATEGORIES = {sre_constants.CATEGORY_DIGIT, sre_constants.CATEGORY_UNI_DIGIT,
                           sre_constants.CATEGORY_WORD, sre_constants.CATEGORY_UNI_WORD}
_GROUP_REFERENCES = {sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS, sre_constants.GROUPREF_IGNORE,
                     sre_constants.GROUPREF_LOC_IGNORE, sre_constants.GROUPREF_UNI_IGNORE}


def refers_to_groups(pattern: str) -> bool:
    """Whether ``pattern`` uses a back-reference (whose number depends on the groups before it)."""
    try:
        return _refers(sre_parse.parse(pattern))
    except re.error:
        return False


def _refers(items) -> bool:
    for op, argument in items:
        if op in _GROUP_REFERENCES:
            return True
        for part in argument if isinstance(argument, (tuple, list)) else ():
            if isinstance(part, sre_parse.SubPattern) and _refers(part):
                return True
            if isinstance(part, list) and any(isinstance(way, sre_parse.SubPattern) and _refers(way) for way in part):
                return True
    return False


def start_anchors(pattern: str, rate: Rate | None = None) -> tuple[StartAnchor, ...] | None:
    """Literals one of which every match holds a known distance from its start, or None.

    Of the sets that qualify, the one whose literals are rarest by ``rate`` (occurrences per word
    of text, English by default) is chosen.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.getwidth()[0] == 0:
        return None  # an empty match could start anywhere
    try:
        found = _Starts(parsed.state, rate or rates_for("en")).of(list(parsed), (), None)
    except _TooManyPaths:
        return None
    return tuple(sorted(found)) if found else None


class _TooManyPaths(Exception):
    pass




def _forward(path: tuple[Step, ...], least: int, most: int) -> tuple[Step, ...] | None:
    """``path`` followed by a width step (merged into a width step before it), or None if unusable."""
    if path and path[-1] != SPACE:
        least, most = path[-1][0] + least, path[-1][1] + most
        path = path[:-1]
    if most - least > _MAX_SPREAD:
        return None
    return (*path, (least, most))


def _is_space_run(op, argument) -> bool:
    if op not in REPEATS or argument[0] < 1 or argument[1] != sre_constants.MAXREPEAT or len(argument[2]) != 1:
        return False
    inner_op, inner = argument[2][0]
    return inner_op == sre_constants.IN and all(
        kind == sre_constants.CATEGORY and value in _SPACE_CATEGORIES for kind, value in inner)


def _never_space(op, argument) -> bool:
    """Whether one item can only match characters that are not white space (conservatively)."""
    if op == sre_constants.LITERAL:
        return not chr(argument).isspace()
    if op != sre_constants.IN:
        return False
    for kind, value in argument:
        if kind == sre_constants.LITERAL and not chr(value).isspace():
            continue
        if kind == sre_constants.RANGE and not any(chr(c).isspace() for c in range(value[0], value[1] + 1)):
            continue
        if kind == sre_constants.CATEGORY and value in _NEVER_SPACE_CATEGORIES:
            continue
        return False
    return True


def _starts_without_space(items) -> bool:
    """Whether every match of the sequence ``items`` begins with a character that is not white space."""
    for index, (op, argument) in enumerate(items):
        if op in ZERO_WIDTH:
            continue
        rest = items[index + 1:]
        if op == sre_constants.SUBPATTERN:
            return _starts_without_space(list(argument[-1]) + rest)
        if op == sre_constants.BRANCH:
            return all(_starts_without_space(list(branch) + rest) for branch in argument[1])
        if op in REPEATS:
            body = list(argument[2])
            return _starts_without_space(body + rest) and (argument[0] >= 1 or _starts_without_space(rest))
        return _never_space(op, argument)
    return False


class _Starts:
    """Finds start anchors by walking every way through a parsed pattern."""

    def __init__(self, state, rate: Rate):
        self.state = state
        self.rate = rate
        self.paths = 0

    def cost(self, found: set[StartAnchor]) -> float:
        """Expected tries per word of text: each anchor (with its own path) is one try where it occurs."""
        return sum(self.rate(literal) for literal, _ in found)

    def _better_start(self, current: set[StartAnchor] | None,
                      candidate: set[StartAnchor] | None) -> set[StartAnchor] | None:
        if not candidate or self.cost(candidate) > MAX_START_RATE:
            return current
        if not current or self.cost(candidate) < self.cost(current):
            return candidate
        return current

    def of(self, items: list, path: tuple[Step, ...], last, run: str = "",
           run_path: tuple[Step, ...] = ()) -> set[StartAnchor] | None:
        """The best start anchors of a sequence reached by ``path`` after the item ``last``.

        ``run`` is a literal still being read when the sequence begins, which began at ``run_path``.
        """
        self.paths += 1
        if self.paths > _MAX_PATHS:
            raise _TooManyPaths
        best: set[StartAnchor] | None = None
        for index, (op, argument) in enumerate(items):
            if op == sre_constants.LITERAL:
                if not run:
                    run_path = path
                run += chr(argument)
                path, last = _forward(path, 1, 1), (op, argument)
                continue
            if op in ZERO_WIDTH:
                continue
            rest = items[index + 1:]
            if best and self.cost(best) <= GOOD_START_RATE and not run:
                return best
            if op == sre_constants.SUBPATTERN:
                return self._better_start(best, self.of(list(argument[-1]) + rest, path, last, run, run_path))
            if op == sre_constants.BRANCH:
                ways = [list(branch) + rest for branch in argument[1]]
                return self._better_start(best, self._every(ways, path, last, run, run_path))
            if op in REPEATS and argument[0] == 0 and argument[1] == 1:
                ways = [list(argument[2]) + rest, rest]
                return self._better_start(best, self._every(ways, path, last, run, run_path))
            if run:
                best = self._better_start(best, {(run.casefold(), _backwards(run_path))})
                run = ""
            if _is_space_run(op, argument) and last is not None and _never_space(*last) and _starts_without_space(rest):
                path, last = (*path, SPACE), (op, argument)
                continue
            if op in REPEATS and argument[0] == 0:
                return best  # any number of repeats: what follows is any distance away
            if op in REPEATS:
                best = self._better_start(best, self.of(list(argument[2]), path, last))
            elif op == sre_constants.IN and _only_digits(argument):
                best = self._better_start(best, {(digit, _backwards(path)) for digit in "0123456789"})
            least, most = sre_parse.SubPattern(self.state, [(op, argument)]).getwidth()
            path = _forward(path, least, most) if most < sre_constants.MAXREPEAT else None
            if path is None:
                return best  # anything further along can be any distance from the start
            last = (op, argument) if op == sre_constants.IN else None
        if run:
            best = self._better_start(best, {(run.casefold(), _backwards(run_path))})
        return best

    def _every(self, ways: list[list], path: tuple[Step, ...], last, run: str,
               run_path: tuple[Step, ...]) -> set[StartAnchor] | None:
        """Anchors covering every one of ``ways``, or None if one way has none."""
        found: set[StartAnchor] = set()
        for way in ways:
            anchors_of_way = self.of(way, path, last, run, run_path)
            if not anchors_of_way:
                return None
            found |= anchors_of_way
        return found


def _only_digits(members) -> bool:
    """Whether a character class matches decimal digits only (``\\d``).

    Its anchors are the ASCII digits; the prefilter runs every rule over a block holding any other digit.
    """
    return all(kind == sre_constants.CATEGORY and value in (sre_constants.CATEGORY_DIGIT, sre_constants.CATEGORY_UNI_DIGIT)
               for kind, value in members)


def _backwards(path: tuple[Step, ...]) -> tuple[Step, ...]:
    return tuple(reversed(path))
