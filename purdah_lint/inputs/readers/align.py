"""Map extracted text back onto the source it came from, character by character."""

from __future__ import annotations

import html
from ...ruleset.matching.programs import compile_pattern

# From the program store: compiling them costs more start-up than aligning a small file.
_ENTITY = compile_pattern(r"&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_FIRST_WORD = compile_pattern(r"\s*[^\W_]+")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def align(text: str, source: str, start: int, end: int) -> tuple[int | list[int], int]:
    """Return where ``text`` lies in ``source`` and the offset just after it.

    The first value is a single start offset when the text stands in the source
    as it is, else a list with the source offset of each character.

    ``text`` is what a parser extracted from ``source[start:end]``: the same characters
    in order, with markup, indentation, backslash escapes and character references
    between or in place of them. Characters that cannot be found (for example from a
    substitution) take the offset of the last one found.
    """
    if not text:
        return [], start
    first = source.find(text, start, end)
    if first != -1:
        return first, first + len(text)
    offsets: list[int] = []
    cursor = _anchor(text, source, start, end)
    last = start
    for char in text:
        if char.isspace() and cursor > start and source[cursor - 1].isspace() and \
                (cursor >= end or not source[cursor].isspace()):
            offsets.append(cursor - 1)  # more white space than the source has: an expanded tab
            continue
        found = _find_char(char, source, cursor, end)
        if found is None:
            offsets.append(last)
            continue
        position, cursor = found
        offsets.append(position)
        last = position
    return offsets, cursor


def _anchor(text: str, source: str, start: int, end: int) -> int:
    """Where the text's first plain word stands, so earlier lines are not mistaken for it."""
    word = _FIRST_WORD.match(text)
    if word and len(word.group()) >= 3:
        found = source.find(word.group(), start, end)
        if found != -1:
            return found
    return start


def _find_char(char: str, source: str, cursor: int, end: int) -> tuple[int, int] | None:
    """Find ``char`` from ``cursor``: as itself, a character reference or an escape."""
    while cursor < end:
        current = source[cursor]
        # The character itself first: reST keeps "&amp;" as five characters, so reading it as a
        # reference would skip four of them and throw every later position off.
        if current == char or (char.isspace() and current.isspace()):  # parsers normalise white space
            return cursor, cursor + 1
        if current == "&":
            entity = _ENTITY.match(source, cursor, end)
            if entity and html.unescape(entity.group()) == char:
                return cursor, entity.end()
        elif current == "\\" and cursor + 1 < end and source[cursor + 1] == char and char in _ASCII_PUNCT:
            return cursor + 1, cursor + 2
        cursor += 1
    return None


def add_aligned(builder, text: str, source: str, start: int, end: int) -> int:
    """Append ``text`` to ``builder`` mapped onto ``source``; return the cursor after it."""
    where, cursor = align(text, source, start, end)
    if isinstance(where, int):
        builder.add(text, where)
    else:
        builder.add_mapped(text, where)
    return cursor
