"""Rule tokens to regular expressions: phrase spacing and apostrophes (the backtracking guard is in backtracking.py)."""

from __future__ import annotations

_QUANTIFIERS = "*+?{"


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
    # A currency sign at the end may touch the sum that follows it ('will rise from £').
    return rf"(?<!\w)(?:{body})(?:(?!\w)|(?<=[£$€]))"

