"""``scored``: a sentence whose cues' weights add up to the rule's threshold, unless an exception appears around it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from .base import Key, SegmentContext, TokenRule, register

SHOWN_CUES = 3  # the strongest cues a message names, so a reviewer sees why the sentence was flagged


@register("scored")
class ScoredRule(TokenRule):
    """Flags each sentence whose ``cues`` (words and pairs of words, with weights) score at least ``threshold``.

    The weights are fitted to a labelled corpus (``python -m purdah_lint.run.fitting``); the
    exceptions of token rules apply around the sentence as they do around a token's match.
    """

    # A scored rule's match is its whole sentence: what is "before" a match is another sentence, so
    # negation goes in ``exceptions`` (searched in the sentence) instead of ``exceptions_before``.
    KEYS = {
        **{key: spec for key, spec in TokenRule.KEYS.items()
           if key not in ("tokens", "exceptions_before", "exceptions_before_words")},
        "threshold": Key("number", required=True),
        "cues": Key("weights", required=True),
    }
    _exceptions_before = None
    # A phrase rule's finding on the same words names what it saw: the sentence needs no second finding.
    gives_way = True

    @classmethod
    def analyse(cls, options: dict[str, Any], language: str = "en") -> dict[str, Any]:
        # No literal is required: every block the rule applies to is scored.
        return {"anchors": None, "start_anchors": None, "gates": None, **cls.analyse_page_exceptions(options, language)}

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.options["cues"])

    def score(self, cues: set[str]) -> float:
        """The summed weight of the ``cues`` this rule knows."""
        return sum(map(self.options["cues"].__getitem__, self._known.intersection(cues)))

    def find(self, context: SegmentContext, starts: list[tuple[int, int]] | None = None):
        if self.options["requires_within"] == "page" and not self.has_required(context, 0):
            return  # searched once per page: a page without the rule's words is never scored
        threshold = self.options["threshold"]
        for start, end, cues in context.cues:
            if self.score(cues) >= threshold and self.accepts(context, start):
                yield start, len(context.segment.text[:end].rstrip())

    def format_message(self, matched: str) -> str:
        from ..matching.cues import sentence_cues

        weights = self.options["cues"]
        strongest = sorted((cue for cue in sentence_cues(matched) if weights.get(cue, 0) > 0),
                           key=lambda cue: (-weights[cue], cue))[:SHOWN_CUES]
        return self.message.replace("%s", ", ".join(f"'{cue}'" for cue in strongest), 1)
