"""``existence``: any of the tokens appears, unless an exception appears around it."""

from __future__ import annotations

from ..patterns import alternation
from .base import Key, Rule, SegmentContext, compile_tokens, excepted, register

WITHIN = ("sentence", "paragraph")


@register("existence")
class ExistenceRule(Rule):
    """Flags each sentence in which one of ``tokens`` occurs."""

    KEYS = {
        "tokens": Key("regexes", required=True),
        "exceptions": Key("regexes", default=[]),
        "exceptions_within": Key("choice", choices=WITHIN, default="sentence"),
        "ignorecase": Key("bool", default=True),
    }

    def prepare(self):
        options = self.options
        object.__setattr__(self, "_tokens", compile_tokens(alternation(options["tokens"]), options["ignorecase"]))
        exceptions = options["exceptions"]
        object.__setattr__(self, "_exceptions",
                           compile_tokens(alternation(exceptions), options["ignorecase"]) if exceptions else None)

    def find(self, context: SegmentContext):
        last_sentence = -1
        for match in self._tokens.finditer(context.segment.text):
            start = match.start()
            sentence = context.sentences.index(start)
            if sentence == last_sentence:
                continue  # each sentence is decided once: one finding is enough for a reviewer
            last_sentence = sentence
            if not excepted(self._exceptions, context, start, self.options["exceptions_within"]):
                yield start, match.end()
