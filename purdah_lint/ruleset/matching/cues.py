"""Cues of a sentence for scored rules: its lower-case words and pairs of neighbouring words."""

from __future__ import annotations

from .programs import compile_pattern

# Numbers are one cue ("0"): "£5m" and "£12 million" read alike, and no figure from a corpus becomes a cue.
_WORD = compile_pattern(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+|£")


def cue_words(text: str) -> list[str]:
    """The words of ``text`` as cues read them: lower case, curly apostrophes straight, every number "0"."""
    return ["0" if word[0].isdigit() else word.replace("\u2019", "'")
            for word in _WORD.findall(text.lower())]


def sentence_cues(text: str) -> set[str]:
    """Every cue ``text`` holds: each word, and each pair of neighbouring words joined by a space."""
    words = cue_words(text)
    return {*words, *map(" ".join, zip(words, words[1:]))}
