"""How often a literal occurs in running text, so the prefilter can anchor each rule on its rarest literals.

A literal's rate is the expected number of its occurrences per word of text: the summed frequency
of every common word that contains it (so a stem such as ``announc`` counts every word it begins,
and ``the`` counts ``other`` and ``there`` too), from wordfreq's word frequencies for the rule's
language. wordfreq's tables ship inside the library and are read only when a pack is compiled,
never while linting. A language wordfreq lacks (Welsh) gets a rate that falls with the literal's
length. Rates only steer which anchors are used, never what a rule finds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

MIN_FREQUENCY = 1e-6  # rarer words hold about 3% of running text: they change no choice of anchor
FLOOR = 1e-8  # the rate of a literal no common word contains
_BUCKETS_PER_DECADE = 8  # words grouped by frequency, so a literal is counted with str.count per group
SYMBOL = 2e-3  # a sign such as '£' or '+', which wordfreq leaves out: about one word in 500
PUNCTUATION = 0.05  # a comma, full stop, bracket or dash: several in most sentences
DIGITS = "0123456789"
_WORD_PART = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


class Rates:
    """Occurrences per word of text for any literal, in one language."""

    def __init__(self, language: str):
        self._groups = _word_groups(language)
        self._digits = self._count("0") / len(DIGITS) if self._groups else 0.0  # wordfreq writes every digit as '0'

    def __call__(self, literal: str) -> float:
        """Expected occurrences of ``literal`` (casefolded) per word of running text."""
        return _rate(self, literal)

    def _count(self, literal: str) -> float:
        return sum(frequency * words.count(literal) for frequency, words in self._groups)

    def measure(self, literal: str) -> float:
        """The rate of ``literal``, uncached (see ``__call__``)."""
        literal = literal.replace("\u2019", "'")
        parts = _WORD_PART.findall(literal)
        if parts != [literal]:
            # Punctuation splits words in wordfreq: the literal is at most as common as its rarest part.
            rates = [self(part) for part in parts]
            rates += [_sign_rate(character) for character in literal if not (character.isalnum() or character == "'")]
            return max(FLOOR, min(rates))
        if not self._groups:
            return max(FLOOR, 0.2 * 0.25 ** (len(literal) - 1))
        digits = sum(character in DIGITS for character in literal)
        if digits:
            # wordfreq keeps numbers as zeros ('2024' -> '0000'): each digit is one of ten alike.
            shape = "".join("0" if character in DIGITS else character for character in literal)
            return max(FLOOR, self._count(shape) / len(DIGITS) ** digits) if shape != "0" else self._digits
        return max(FLOOR, self._count(literal))


def _sign_rate(character: str) -> float:
    """The rate of a character that is not part of a word (wordfreq leaves them out)."""
    if character.isspace():
        return 1.0
    return PUNCTUATION if unicodedata.category(character).startswith("P") else SYMBOL


@lru_cache(maxsize=200_000)
def _rate(rates: Rates, literal: str) -> float:
    return rates.measure(literal)


@lru_cache(maxsize=4)
def rates_for(language: str) -> Rates:
    """The rates of ``language`` (its word table read once per process)."""
    return Rates(language)


def _word_groups(language: str) -> tuple[tuple[float, str], ...]:
    """Common words in groups of about equal frequency: (the group's mean frequency, its words joined)."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a dependency; without it anchors fall back to length
        return ()
    if language not in wordfreq.available_languages():
        return ()
    groups: dict[int, list[tuple[str, float]]] = {}
    for word, frequency in wordfreq.get_frequency_dict(language).items():
        if frequency >= MIN_FREQUENCY:
            groups.setdefault(int(math.log10(frequency) * _BUCKETS_PER_DECADE), []).append((word, frequency))
    return tuple((sum(f for _, f in members) / len(members), "\n".join(word for word, _ in members))
                 for _, members in sorted(groups.items()))

