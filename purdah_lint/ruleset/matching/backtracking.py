"""Refuse patterns that Python's backtracking engine could run in super-linear time.

A backtracking engine is slow only where the same text can be matched in more than one way
and every way is tried. The check is conservative (it may refuse a pattern that is in fact
fast, never the reverse, for the constructs it accepts) and looks for three shapes:

* a repeated part that can match the empty string, contains an ambiguous alternation, or
  whose end can run into its own start (``(a|a)*``, ``(\\w|\\w\\w)*``, ``(a{1,1000}){1,1000}``):
  the number of ways to split a run of text between iterations grows exponentially;
* two variable-length parts that can take the same characters with nothing that must match
  between them (``\\w*\\w*``, ``\\d+\\.?\\d+``): each extra pair multiplies the work by the length;
* an unbounded ``.*`` or negated class, which scans a whole paragraph from every start.

Character sets are compared on a probe alphabet (ASCII, Latin-1, general punctuation and
every character the pattern names, in both cases). A pattern matched ignoring case (the rule's
``ignorecase``, or an ``(?i)`` flag in it) is compared with each letter standing for both cases.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable
from re import _constants as C  # noqa: N812, PLC2701 - the stdlib's own regex parser
from re import _parser as sre_parse  # noqa: PLC2701

REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT}
POSSESSIVE = getattr(C, "POSSESSIVE_REPEAT", None)
ATOMIC = getattr(C, "ATOMIC_GROUP", None)
UNBOUNDED = C.MAXREPEAT
_BASE_ALPHABET = "".join(dict.fromkeys("".join(map(chr, range(0x250))) + "".join(map(chr, range(0x2000, 0x2070)))
                                       + "\u20ac\u3000\u4e00"))
_CATEGORIES = {
    C.CATEGORY_DIGIT: str.isdecimal,
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_WORD: lambda char: char.isalnum() or char == "_",
    C.CATEGORY_LINEBREAK: lambda char: char == "\n",
}
_NEGATED = {C.CATEGORY_NOT_DIGIT: C.CATEGORY_DIGIT, C.CATEGORY_NOT_SPACE: C.CATEGORY_SPACE,
            C.CATEGORY_NOT_WORD: C.CATEGORY_WORD, C.CATEGORY_NOT_LINEBREAK: C.CATEGORY_LINEBREAK}


class Unsafe(Exception):
    """The reason a pattern is refused."""


@dataclass(frozen=True)
class Shape:
    """What a part of a pattern can match, as far as ambiguity is concerned."""

    nullable: bool = True
    variable: bool = False  # its length can vary
    low: int = 0  # shortest match
    high: int | None = 0  # longest match (None: unbounded)
    chars: int = 0  # characters it can consume anywhere
    first: int = 0  # characters it can start with
    last: int = 0  # characters it can end with
    head: int = 0  # characters a variable part near its start can take or give back
    tail: int = 0  # the same near its end
    ambiguous: bool = False  # holds an alternation whose branches can match the same text
    # Whether every match must contain a character outside the given set (so it divides the
    # neighbours on either side when they share only characters of that set).
    separates: Callable[[int], bool] = field(default=lambda chars: False, compare=False)
    # How far the end (start) of a match can move within a run of the given characters, given
    # where the match starts (ends): what this part can trade with a neighbour; None if unbounded.
    tail_width: Callable[[int], int | None] = field(default=lambda chars: 0, compare=False)
    head_width: Callable[[int], int | None] = field(default=lambda chars: 0, compare=False)


EMPTY = Shape()
MAX_WAYS = 1000
WIDE_MESSAGE = "an unbounded '.*', '.+' or negated class can scan a whole paragraph; use a bounded gap such as .{0,40}"


@dataclass
class _Analysis:
    alphabet: str
    fold: bool = True  # matched ignoring case: a letter stands for its other cases too
    ways: int = 1  # how many ways, at most, bounded ambiguous neighbours can split one text

    def __post_init__(self):
        # Character sets are bit masks over the alphabet; a literal also stands for its other cases.
        cases = _folded if self.fold else _exact
        base = _base_tables(self.fold)
        self.bits = dict(base.bits)
        self.cased = dict(base.cased)
        self.categories = dict(base.categories)
        extra = [char for char in self.alphabet if char not in self.bits]
        for char in extra:
            bit = 1 << len(self.bits)
            self.bits[char] = bit
            for variant in cases(char):
                self.cased[variant] = self.cased.get(variant, 0) | bit
            for code, test in _CATEGORIES.items():
                if any(test(variant) for variant in cases(char)):
                    self.categories[code] |= bit
        self.everything = (1 << len(self.bits)) - 1

    # -- character sets ----------------------------------------------------
    def _literal(self, code: int) -> int:
        char = chr(code)
        variants = _folded(char) if self.fold else _exact(char)
        return self.bits.get(char, 0) | self.cased.get(char, 0) | _or(self.cased.get(v, 0) for v in variants)

    def _members(self, test) -> int:
        cases = _folded if self.fold else _exact
        return _or(bit for char, bit in self.bits.items() if any(test(variant) for variant in cases(char)))

    def _set(self, op, argument) -> int:
        if op == C.LITERAL:
            return self._literal(argument)
        if op == C.NOT_LITERAL:
            return self.everything & ~self._literal(argument)
        if op == C.ANY:
            return self.everything & ~self.bits["\n"]
        if op == C.IN:
            return self._class(argument)
        raise AssertionError(op)

    def _class(self, items) -> int:
        negate = bool(items) and items[0][0] == C.NEGATE
        found = 0
        for op, argument in items[1:] if negate else items:
            if op == C.LITERAL:
                found |= self._literal(argument)
            elif op == C.RANGE:
                low, high = argument
                found |= self._members(lambda char, low=low, high=high: low <= ord(char) <= high)
            elif op == C.CATEGORY:
                found |= self._category(argument)
            else:  # anything else the parser may add: assume it can match anything
                found |= self.everything
        return self.everything & ~found if negate else found

    def _category(self, code) -> int:
        if code in _NEGATED:
            return self.everything & ~self._category(_NEGATED[code])
        return self.categories.get(code, self.everything)

    # -- structure ---------------------------------------------------------
    def sequence(self, items) -> Shape:
        """Shape of a sequence, after checking each pair of its variable parts."""
        shapes = self._flatten(items)
        self._pairs(shapes)
        return _concatenate(shapes)

    def _flatten(self, items) -> list[Shape]:
        shapes: list[Shape] = []
        for op, argument in items:
            if op == C.SUBPATTERN:
                shapes.extend(self._flatten(argument[-1]))
            else:
                shapes.append(self.item(op, argument))
        return shapes

    def _pairs(self, shapes: list[Shape]) -> None:
        for left_index, left in enumerate(shapes):
            if not left.tail:
                continue
            for right_index in range(left_index + 1, len(shapes)):
                right = shapes[right_index]
                shared = left.tail & right.head
                if shared and not any(_separates(between, shared) for between in shapes[left_index + 1:right_index]):
                    self._split_ways(left, right, shared)
                if any(_separates(between, left.tail) for between in shapes[left_index + 1:right_index + 1]):
                    break

    def _split_ways(self, left: Shape, right: Shape, shared: int) -> None:
        """Count the ways two ambiguous neighbours can share text; unbounded ones are refused."""
        widths = [width for width in (left.tail_width(shared), right.head_width(shared)) if width is not None]
        if not widths:
            raise Unsafe("two variable-length parts next to each other can match the same text, so long text "
                         "can be split between them in many ways; separate them with text that must match, "
                         "or bound them")
        self.ways *= min(widths) + 1
        if self.ways > MAX_WAYS:
            raise Unsafe(f"its variable-length parts can split the same text in more than {MAX_WAYS:,} ways; "
                         "separate them with text that must match")

    def item(self, op, argument) -> Shape:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            chars = self._set(op, argument)
            return Shape(nullable=False, low=1, high=1, chars=chars, first=chars, last=chars,
                         separates=lambda shared: not chars & shared)
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            if op != C.AT:
                self.sequence(argument[1])  # checked for its own sake; it consumes nothing
            return EMPTY
        if op in REPEATS or op == POSSESSIVE:
            return self._repeat(op, *argument)
        if op == C.BRANCH:
            return self._branch(argument[1])
        if op == ATOMIC:
            inner = self.sequence(argument)
            return Shape(inner.nullable, inner.variable, inner.low, inner.high, inner.chars, inner.first, inner.last,
                         separates=inner.separates)
        if op == C.GROUPREF_EXISTS:
            _, yes, no = argument
            return self._branch([yes, no or []])
        # back-references and anything unknown: assume the worst
        every = self.everything
        return Shape(True, True, 0, None, every, every, every, every, every,
                     tail_width=lambda chars: None, head_width=lambda chars: None)

    def _repeat(self, op, low, high, body) -> Shape:
        inner = self.sequence(body)
        if high == 0:
            return EMPTY
        iterates = high > 1
        if op != POSSESSIVE and iterates:
            if inner.nullable:
                raise Unsafe("a repeated part can match empty text, so the ways to repeat it multiply and it can "
                             "backtrack catastrophically")
            if inner.ambiguous:
                raise Unsafe("a repeated part holds alternatives that can match the same text (such as (a|a)*), "
                             "so the ways to repeat it multiply and it can backtrack catastrophically")
            if inner.tail & (inner.first | inner.head) or inner.head & (inner.last | inner.tail):
                raise Unsafe("a repeated part can end with what it starts with, so a run of text can be split "
                             "between repetitions in many ways and it can backtrack catastrophically "
                             "(such as (a+)+ or (a{1,9}){1,9})")
            if (high == UNBOUNDED or high > 1000) and not inner.variable and len(body) == 1 and _is_wide(body):
                raise Unsafe(WIDE_MESSAGE)
        varies = low != high
        separates = inner.separates if low >= 1 else EMPTY.separates
        longest = None if high == UNBOUNDED or inner.high is None else high * inner.high
        spread = None if longest is None else longest - low * inner.low

        def width(edge: Callable[[int], int | None]) -> Callable[[int], int | None]:
            def within(chars: int) -> int | None:
                # Each repetition holds a character outside ``chars``: only the one at the edge trades,
                # and the count of repetitions adds one way for each count that is allowed.
                if inner.separates(chars):
                    own = edge(chars)
                    return None if own is None or high == UNBOUNDED else own + high - low
                return spread
            return within
        if op == POSSESSIVE:  # never gives back what it took
            return Shape(low == 0 or inner.nullable, varies or inner.variable, low * inner.low, longest, inner.chars,
                         inner.first, inner.last, separates=separates)
        return Shape(
            nullable=low == 0 or inner.nullable,
            variable=varies or inner.variable,
            low=low * inner.low,
            high=longest,
            chars=inner.chars,
            first=inner.first,
            last=inner.last,
            head=inner.head | (inner.first if varies else 0),
            tail=inner.tail | (inner.last if varies else 0),
            ambiguous=inner.ambiguous,
            separates=separates,
            tail_width=width(inner.tail_width),
            head_width=width(inner.head_width),
        )

    def _branch(self, branches) -> Shape:
        shapes = [self.sequence(branch) for branch in branches]
        nullable = [shape for shape in shapes if shape.nullable]
        overlapping = any(a.first & b.first for index, a in enumerate(shapes) for b in shapes[index + 1:])
        highs = [shape.high for shape in shapes]
        low = min(shape.low for shape in shapes)
        high = None if None in highs else max(highs)
        varies = low != high or any(shape.variable for shape in shapes)
        first = _or(shape.first for shape in shapes)
        last = _or(shape.last for shape in shapes)
        return Shape(
            nullable=bool(nullable),
            variable=varies,
            low=low,
            high=high,
            chars=_or(shape.chars for shape in shapes),
            first=first,
            last=last,
            head=_or(shape.head for shape in shapes) | (first if varies else 0),
            tail=_or(shape.tail for shape in shapes) | (last if varies else 0),
            ambiguous=len(nullable) > 1 or overlapping or any(shape.ambiguous for shape in shapes),
            separates=lambda shared: all(shape.separates(shared) for shape in shapes),
            tail_width=lambda chars: _alternatives([shape.tail_width(chars) for shape in shapes]),
            head_width=lambda chars: _alternatives([shape.head_width(chars) for shape in shapes]),
        )


def _separates(shape: Shape, chars: int) -> bool:
    """Whether every match of ``shape`` holds a character outside ``chars``."""
    return shape.separates(chars)


def _concatenate(shapes: list[Shape]) -> Shape:
    if not shapes:
        return EMPTY
    first = 0
    for shape in shapes:
        first |= shape.first
        if not shape.nullable:
            break
    last = 0
    for shape in reversed(shapes):
        last |= shape.last
        if not shape.nullable:
            break
    head = _edge(shapes, "head")
    tail = _edge(list(reversed(shapes)), "tail")
    highs = [shape.high for shape in shapes]
    return Shape(
        nullable=all(shape.nullable for shape in shapes),
        variable=any(shape.variable for shape in shapes),
        low=sum(shape.low for shape in shapes),
        high=None if None in highs else sum(highs),
        chars=_or(shape.chars for shape in shapes),
        first=first,
        last=last,
        head=head,
        tail=tail,
        ambiguous=any(shape.ambiguous for shape in shapes),
        separates=lambda shared: any(shape.separates(shared) for shape in shapes),
        tail_width=lambda chars: _run_width(list(reversed(shapes)), chars, "tail_width"),
        head_width=lambda chars: _run_width(shapes, chars, "head_width"),
    )


def _spread(shape: Shape) -> int | None:
    """How much the length of a match of ``shape`` can vary; None if unbounded."""
    return None if shape.high is None else shape.high - shape.low


def _run_width(shapes: list[Shape], chars: int, side: str) -> int | None:
    """How far a sequence's edge can move within a run of ``chars``: its parts up to the first that separates."""
    total = 0
    for shape in shapes:
        if shape.separates(chars):
            own = getattr(shape, side)(chars)
            spread = _spread(shape)
            own = spread if own is None else own if spread is None else min(own, spread)
            return None if own is None else total + own
        spread = _spread(shape)
        if spread is None:
            return None
        total += spread
    return total


def _alternatives(widths: list[int | None]) -> int | None:
    """The width of a choice: each branch's ends, added up."""
    if None in widths:
        return None
    return sum(width + 1 for width in widths) - 1


def _edge(shapes: list[Shape], side: str) -> int:
    """Characters a variable part can trade at one end of ``shapes``.

    A variable part behind required fixed text still trades characters with a neighbour when
    the fixed text can be made of those characters (``\\w+`` and ``x\\w+``), so the edge runs on
    past fixed parts, keeping only characters they are all made of.
    """
    found = 0
    through: int | None = None  # characters every required fixed part so far can be made of
    for shape in shapes:
        part = getattr(shape, side)
        found |= part if through is None else part & through
        if not shape.nullable:
            if shape.variable:
                break
            through = shape.chars if through is None else through & shape.chars
            if not through:
                break
    return found


def _or(masks) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def _is_wide(items) -> bool:
    op, argument = items[0]
    if op in (C.ANY, C.NOT_LITERAL):
        return True
    return op == C.IN and bool(argument) and argument[0][0] == C.NEGATE


@dataclass(frozen=True)
class _Tables:
    bits: dict
    cased: dict
    categories: dict


@functools.cache
def _base_tables(fold: bool) -> _Tables:
    """Bit masks over the base alphabet, computed once for each way of treating case."""
    cases = _folded if fold else _exact
    bits = {char: 1 << index for index, char in enumerate(_BASE_ALPHABET)}
    cased: dict[str, int] = {}
    for char, bit in bits.items():
        for variant in cases(char):
            cased[variant] = cased.get(variant, 0) | bit
    categories = {code: _or(bit for char, bit in bits.items() if any(test(v) for v in cases(char)))
                  for code, test in _CATEGORIES.items()}
    return _Tables(bits, cased, categories)


def _folded(char: str) -> tuple[str, ...]:
    return tuple(variant for variant in (char, char.lower(), char.upper()) if len(variant) == 1)


def _exact(char: str) -> tuple[str, ...]:
    return (char,)


def _nodes(items):
    """Every ``(op, argument)`` node of a parsed pattern, nested ones included."""
    for op, argument in items:
        yield op, argument
        if op == C.SUBPATTERN:
            yield from _nodes(argument[-1])
        elif op in REPEATS or op == POSSESSIVE:
            yield from _nodes(argument[2])
        elif op == C.BRANCH:
            for branch in argument[1]:
                yield from _nodes(branch)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            yield from _nodes(argument[1])
        elif op == ATOMIC:
            yield from _nodes(argument)
        elif op == C.GROUPREF_EXISTS:
            yield from _nodes(argument[1])
            yield from _nodes(argument[2] or [])


def _ignores_case(parsed) -> bool:
    """Whether any part of the parsed pattern is matched ignoring case, by a global or scoped flag."""
    return bool(parsed.state.flags & re.IGNORECASE) or any(
        op == C.SUBPATTERN and argument[1] & re.IGNORECASE for op, argument in _nodes(parsed))


def _alphabet(parsed) -> str:
    """The base probe alphabet plus every character the pattern names (and its other cases)."""
    named: set[str] = set()
    for op, argument in _nodes(parsed):
        if op in (C.LITERAL, C.NOT_LITERAL):
            named.add(chr(argument))
        elif op == C.IN:
            for kind, value in argument:
                if kind == C.LITERAL:
                    named.add(chr(value))
                elif kind == C.RANGE:
                    named.update((chr(value[0]), chr(value[1])))
    extra = {variant for char in named for variant in _folded(char) if len(variant) == 1}
    return "".join(dict.fromkeys(_BASE_ALPHABET + "".join(sorted(named | extra))))


def backtracking_risk(pattern: str, ignorecase: bool = True) -> str | None:
    """Why ``pattern`` could take super-linear time on long text, or None when it cannot."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None  # compile() reports syntax errors itself
    try:
        _Analysis(_alphabet(parsed), fold=ignorecase or _ignores_case(parsed)).sequence(list(parsed))
    except Unsafe as exc:
        return str(exc)
    except RecursionError:
        return "the pattern is nested too deeply to check"
    return None
