"""``cooccurrence``: a token and a ``with`` token in the same sentence or paragraph."""

from __future__ import annotations

import re
from functools import cached_property

from .base import WITHIN, Key, SegmentContext, TokenRule, register


@register("cooccurrence")
class CooccurrenceRule(TokenRule):
    """Flags a sentence (or paragraph) holding both a token and a ``with`` token."""

    KEYS = {
        **TokenRule.KEYS,
        "with": Key("regexes", required=True),
        "within": Key("choice", choices=WITHIN, default="sentence"),
    }
    ALTERNATED = (*TokenRule.ALTERNATED, "with")

    @cached_property
    def _with(self) -> re.Pattern:
        return self.compile_option("with")

    def find(self, context: SegmentContext, starts: list[tuple[int, int]] | None = None):
        text = context.segment.text
        within = self.options["within"]
        decided: set[tuple[int, int]] = set()
        for match in self.token_matches(text, starts):
            low, high = context.context_bounds(match.start(), within)
            if (low, high) in decided:
                continue  # each sentence (or paragraph) is searched once, so time stays linear
            decided.add((low, high))
            partner = self._with.search(text, low, high)
            if partner is None:
                continue
            if not self.accepts(context, match.start()):
                continue
            yield min(match.start(), partner.start()), max(match.end(), partner.end())
