"""Rule tokens to regular expressions: phrase spacing and apostrophes (the backtracking guard is in backtracking.py)."""

from __future__ import annotations

import re

_QUANTIFIERS = "*+?{"
_QUOTES = "'\u2019\u2018\u201c\u201d\""


def phrase(token: str) -> str:
    """Let a space match any run of white space, ``'`` a curly apostrophe, and a word class quotation marks."""
    out: list[str] = []
    index = 0
    while index < len(token):
        char = token[index]
        if char == "\\":
            out.append(token[index:index + 2])
            index += 2
            continue
        if char == "[":
            end = class_end(token, index)
            out.append(_word_class(token[index:end]) if end <= len(token) else token[index:])
            index = end
            continue
        if char == " ":
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


def class_end(token: str, start: int) -> int:
    """Index just past the class opening at ``start`` (a leading ``]`` is a member); past the end if unclosed."""
    index = start + 1
    if token[index:index + 1] == "^":
        index += 1
    if token[index:index + 1] == "]":
        index += 1
    while index < len(token) and token[index] != "]":
        index += 2 if token[index] == "\\" else 1
    return index + 1


def _word_class(spec: str) -> str:
    """A class of word characters that allows an apostrophe (``[\\w'-]``) also takes every quotation mark.

    A word in running text can carry a curly apostrophe or sit in quotation marks (the \u2018Clean Air
    Day\u2019 campaign), and a filler such as ``(?:[\\w'-]+ ){0,4}`` should step over it as over any word.
    """
    body = spec[1:-1]
    if body.startswith("^") or not ("\\w" in body or "a-z" in body) or not ("'" in body or "\u2019" in body):
        return spec
    missing = "".join(mark for mark in _QUOTES if mark not in body)
    return f"[{missing}{body}]"


def alternation(tokens: list[str]) -> str:
    """One pattern matching any of ``tokens`` as whole words."""
    body = "|".join(f"(?:{phrase(token)})" for token in tokens)
    # A currency sign at the end may touch the sum that follows it ('will rise from £').
    return rf"(?<!\w)(?:{body})(?:(?!\w)|(?<=[£$€]))"



_NON_ASCII_DIGIT = r"(?![0-9])\d"  # the prefilter assumes digits fold to '0'..'9'; compiled for non-ASCII text only


def anchor_folded(text: str) -> str | None:
    """``text`` casefolded for finding anchors (literals a match must hold) in it; None when that is unsafe.

    Unsafe when folding moves characters or the text holds non-ASCII digits: then every pattern runs on all of it.
    """
    folded = text.casefold()
    if len(folded) != len(text):
        return None
    if not text.isascii():
        if re.search(_NON_ASCII_DIGIT, text):
            return None
        folded = folded.replace("\u0131", "i")  # re's IGNORECASE lets 'i' match a dotless 'ı'
    return folded
