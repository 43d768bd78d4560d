"""``existence``: any of the tokens appears, unless an exception appears around it."""

from __future__ import annotations

from .base import SegmentContext, TokenRule, register


@register("existence")
class ExistenceRule(TokenRule):
    """Flags each sentence in which one of ``tokens`` occurs."""

    def find(self, context: SegmentContext, starts: list[tuple[int, int]] | None = None):
        last_sentence = -1
        for match in self.token_matches(context.segment.text, starts):
            start = match.start()
            sentence = context.sentences.index(start)
            if sentence == last_sentence:
                continue  # each sentence is decided once: one finding is enough for a reviewer
            last_sentence = sentence
            if self.accepts(context, start):
                yield start, match.end()
