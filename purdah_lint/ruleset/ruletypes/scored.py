"""``scored``: a sentence whose cues' weights add up to the rule's threshold, unless an exception appears around it."""

from __future__ import annotations

from functools import cached_property

from .base import GuardedRule, Key, SegmentContext, register

SHOWN_CUES = 3  # the strongest cues a message names, so a reviewer sees why the sentence was flagged


@register("scored")
class ScoredRule(GuardedRule):
    """Flags each sentence whose ``cues`` (words and pairs of words, with weights) score at least ``threshold``.

    The weights are fitted to a labelled corpus (``python -m purdah_lint.run.fitting``); the
    exceptions of other guarded rules apply around the sentence as they do around a token's match.
    """

    # A scored rule's match is its whole sentence: what is "before" a match is another sentence, so it
    # has no ``exceptions_before``; negation goes in ``exceptions``, searched in the sentence.
    KEYS = {
        **GuardedRule.KEYS,
        "threshold": Key("number", required=True),
        "cues": Key("weights", required=True),
        # A lower threshold for a page already flagged for the rule's category: the sentences around
        # an announcement that a reviewer would also mark. Fitted with the weights.
        "flagged_page_threshold": Key("number"),
    }
    # A phrase rule's finding on the same words names what it saw: the sentence needs no second finding.
    gives_way = True

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
        lower = self.options["flagged_page_threshold"]
        lowest = threshold if lower is None else min(lower, threshold)
        for start, end, cues in context.cues:
            score = self.score(cues)
            if score >= lowest and self.accepts(context, start):
                end = start + len(context.segment.text[start:end].rstrip())  # copies the sentence only
                if score >= threshold:
                    yield start, end
                else:
                    context.page.held.append((self, context.segment, start, end))

    def format_message(self, matched: str) -> str:
        from ..matching.cues import sentence_cues

        weights = self.options["cues"]
        strongest = sorted((cue for cue in sentence_cues(matched) if weights.get(cue, 0) > 0),
                           key=lambda cue: (-weights[cue], cue))[:SHOWN_CUES]
        return self.message.replace("%s", ", ".join(f"'{cue}'" for cue in strongest), 1)
