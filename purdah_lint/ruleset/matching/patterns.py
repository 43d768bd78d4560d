"""Rule tokens to regular expressions: phrase spacing, apostrophes, and a backtracking guard."""

from __future__ import annotations

import re
from re import _constants as sre_constants  # noqa: PLC2701 - the stdlib's own regex parser
from re import _parser as sre_parse  # noqa: PLC2701

from .anchors import REPEATS

_QUANTIFIERS = "*+?{"
_WIDE = {sre_constants.ANY, sre_constants.NOT_LITERAL}
_UNBOUNDED = sre_constants.MAXREPEAT


def phrase(token: str) -> str:
    """Let a space in ``token`` match any run of white space and ``'`` match a curly apostrophe."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(token):
        char = token[index]
        if char == "\\":
            out.append(token[index:index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            if token[index + 1:index + 2] == "^":
                out.append("^")
                index += 1
            if token[index + 1:index + 2] == "]":
                out.append("]")
                index += 1
        elif char == " ":
            while index + 1 < len(token) and token[index + 1] == " ":
                index += 1
            follows = token[index + 1:index + 2]
            out.append(r"\s" if follows and follows in _QUANTIFIERS else r"\s+")
        elif char in "'\u2019":
            out.append("['\u2019]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


def alternation(tokens: list[str]) -> str:
    """One pattern matching any of ``tokens`` as whole words."""
    body = "|".join(f"(?:{phrase(token)})" for token in tokens)
    return rf"(?<!\w)(?:{body})(?!\w)"


def backtracking_risk(pattern: str) -> str | None:
    """Describe why ``pattern`` could take super-linear time on long text, or None."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None  # compile() reports syntax errors itself
    return _risk(parsed)


def _risk(items) -> str | None:
    for op, argument in items:
        if op in REPEATS:
            low, high, body = argument
            unbounded = high == _UNBOUNDED or high > 1000
            if unbounded and _can_repeat(body):
                return "a repeated group contains another unbounded repeat, which can backtrack catastrophically"
            if unbounded and _is_wide(body):
                return "an unbounded '.*', '.+' or negated class can scan a whole paragraph; use a bounded gap such as .{0,40}"
            found = _risk(body)
            if found:
                return found
        elif op == sre_constants.SUBPATTERN:
            found = _risk(argument[-1])
            if found:
                return found
        elif op == sre_constants.BRANCH:
            for branch in argument[1]:
                found = _risk(branch)
                if found:
                    return found
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found = _risk(argument[1])
            if found:
                return found
    return None


def _can_repeat(items) -> bool:
    for op, argument in items:
        if op in REPEATS and argument[0] != argument[1]:  # variable length: ambiguous splits
            return True
        if op == sre_constants.SUBPATTERN and _can_repeat(argument[-1]):
            return True
        if op == sre_constants.BRANCH and any(_can_repeat(branch) for branch in argument[1]):
            return True
    return False


def _is_wide(items) -> bool:
    if len(items) != 1:
        return False
    op, argument = items[0]
    if op in _WIDE:
        return True
    return op == sre_constants.IN and bool(argument) and argument[0][0] == sre_constants.NEGATE
