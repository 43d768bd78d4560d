"""``cooccurrence``: a token and a ``with`` token in the same sentence or paragraph."""

from __future__ import annotations

from ..patterns import alternation
from .base import Key, Rule, SegmentContext, compile_tokens, excepted, register

WITHIN = ("sentence", "paragraph")


@register("cooccurrence")
class CooccurrenceRule(Rule):
    """Flags a sentence (or paragraph) holding both a token and a ``with`` token."""

    KEYS = {
        "tokens": Key("regexes", required=True),
        "with": Key("regexes", required=True),
        "within": Key("choice", choices=WITHIN, default="sentence"),
        "exceptions": Key("regexes", default=[]),
        "exceptions_within": Key("choice", choices=WITHIN, default="sentence"),
        "ignorecase": Key("bool", default=True),
    }

    def prepare(self):
        options = self.options
        ignorecase = options["ignorecase"]
        object.__setattr__(self, "_tokens", compile_tokens(alternation(options["tokens"]), ignorecase))
        object.__setattr__(self, "_with", compile_tokens(alternation(options["with"]), ignorecase))
        exceptions = options["exceptions"]
        object.__setattr__(self, "_exceptions",
                           compile_tokens(alternation(exceptions), ignorecase) if exceptions else None)

    def find(self, context: SegmentContext):
        text = context.segment.text
        within = self.options["within"]
        decided: set[tuple[int, int]] = set()
        for match in self._tokens.finditer(text):
            low, high = context.context_bounds(match.start(), within)
            if (low, high) in decided:
                continue  # each sentence (or paragraph) is searched once, so time stays linear
            decided.add((low, high))
            partner = self._with.search(text, low, high)
            if partner is None:
                continue
            if excepted(self._exceptions, context, match.start(), self.options["exceptions_within"]):
                continue
            yield min(match.start(), partner.start()), max(match.end(), partner.end())
