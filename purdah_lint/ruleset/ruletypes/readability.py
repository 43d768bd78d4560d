"""``readability``: a plain-English advisory on long paragraphs of consultation documents (textstat)."""

from __future__ import annotations

from .base import Key, Rule, SegmentContext, register

def flesch_reading_ease(text: str) -> float:
    """textstat's Flesch reading ease for English, with syllables from the compact table."""
    from textstat.backend.counts import count_words
    from textstat.backend.metrics import words_per_sentence
    from textstat.backend.utils import get_lang_cfg

    from ..matching.syllables import count_syllables

    words = count_words(text)
    sentence_length = words_per_sentence(text)
    syllables = count_syllables(text) / words if words else 0.0
    if sentence_length == 0 or syllables == 0:
        return 0.0
    return (get_lang_cfg("en", "fre_base")
            - get_lang_cfg("en", "fre_sentence_length") * sentence_length
            - get_lang_cfg("en", "fre_syll_per_word") * syllables)


SCORERS = {"flesch_reading_ease": flesch_reading_ease}
METRICS = tuple(SCORERS)


@register("readability")
class ReadabilityRule(Rule):
    """Flags a paragraph of at least ``min_words`` words scoring below ``threshold``.

    It runs only on documents that are consultations (see the engine), never counts as content
    detection, and is meant to be a suggestion.
    """

    KEYS = {
        "metric": Key("choice", choices=METRICS, default="flesch_reading_ease"),
        "threshold": Key("number", default=50),
        "min_words": Key("number", default=100),
    }
    consultations_only = True

    def score(self, text: str) -> float:
        """The readability score of ``text`` (textstat is imported only when a score is needed)."""
        return round(SCORERS[self.options["metric"]](text), 1)

    def find(self, context: SegmentContext, starts: list[tuple[int, int]] | None = None):
        text = context.segment.text
        if len(text.split()) < self.options["min_words"]:
            return
        if self.score(text) < self.options["threshold"]:
            yield 0, len(text.rstrip())

    def format_message(self, matched: str) -> str:
        return self.message.replace("%s", f"{self.score(matched):g}", 1)
