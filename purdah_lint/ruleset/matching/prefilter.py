"""The prefilter: one Aho-Corasick pass over a block finds which rules to try, and where.

Each rule's tokens yield start anchors (start_anchors.py) or plain anchors (anchors.py). Rules
with start anchors are tried only where a match could start, found by walking back from each
anchor; rules with plain anchors run over the whole block only when one of them occurs; the
rest always run.
Results are exactly those of running every rule over every block (a test proves it).
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from ..ruletypes import Rule
from .start_anchors import candidate_starts

_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")  # the engine assumes digits fold to '0'..'9'
WHOLE_BLOCK = None  # in a plan: run the rule over the whole block


class AnchorIndex:
    """Every anchor of a list of rules in one automaton, with what each occurrence means."""

    def __init__(self, rules: tuple[Rule, ...]):
        self.always: list[Rule] = []
        meanings: dict[str, list[tuple[Rule, tuple | None, int]]] = {}
        for rule in rules:
            if rule.start_anchors:
                for literal, steps, token in rule.start_anchors:
                    meanings.setdefault(literal, []).append((rule, steps, token))
            elif rule.anchors:
                for literal in rule.anchors:
                    meanings.setdefault(literal, []).append((rule, None, 0))
            else:
                self.always.append(rule)
        self._automaton = ahocorasick.Automaton()
        for literal, meaning in meanings.items():
            self._automaton.add_word(literal, (len(literal) - 1, tuple(meaning)))
        if meanings:
            self._automaton.make_automaton()
        self._empty = not meanings

    def plan(self, text: str) -> dict[Rule, list[tuple[int, int]] | None] | None:
        """For each rule worth trying on ``text``: sorted ``(offset, token number)`` pairs, or WHOLE_BLOCK.

        None means the block's case folding moves characters, so every rule runs on all of it.
        """
        folded = text.casefold()
        if len(folded) != len(text):
            return None
        if not text.isascii():
            if _NON_ASCII_DIGIT.search(text):
                return None
            folded = folded.replace("\u0131", "i")  # re's IGNORECASE lets 'i' match a dotless 'ı'
        plan: dict[Rule, list[tuple[int, int]] | None] = {rule: WHOLE_BLOCK for rule in self.always}
        if self._empty:
            return plan
        for end, (back, meaning) in self._automaton.iter(folded):
            position = end - back
            for rule, steps, token in meaning:
                if steps is None:
                    plan[rule] = WHOLE_BLOCK
                    continue
                starts = plan.get(rule)
                if starts is None:
                    starts = plan[rule] = []
                if steps:
                    starts.extend((start, token) for start in candidate_starts(text, position, steps))
                else:
                    starts.append((position, token))
        for rule, starts in plan.items():
            if starts is not WHOLE_BLOCK:
                plan[rule] = sorted(set(starts))
        return plan


@lru_cache(maxsize=16)
def anchor_index(rules: tuple[Rule, ...]) -> AnchorIndex:
    """The index for ``rules``, built once per list of rules in a process."""
    return AnchorIndex(rules)
