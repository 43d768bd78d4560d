"""The prefilter: one Aho-Corasick pass over a block finds which rules to try, and where.

Each token of a rule has start anchors (start_anchors.py) or plain anchors (anchors.py), chosen
by their rarity (rarity.py). A rule is tried only where a start anchor puts the start of a match,
found by walking back from the anchor, and a token with gates (rarer literals its matches hold
anywhere) only in blocks holding one; when one of its plain anchors occurs, its whole pattern
runs over the block instead; a rule with a token that has neither always runs. A token none of
whose anchors (or gates) occur cannot match anywhere in the block, so leaving it out changes nothing.
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
Start = tuple[Rule, tuple, int]  # (rule, steps back to where a match starts, token number)
Gate = tuple[Rule, int, int]  # (rule, token number, set number)


class AnchorIndex:
    """Every anchor of a list of rules in two automata, with what each occurrence means.

    The first holds gates, plain anchors and the start anchors of tokens without gates; the
    second the start anchors of gated tokens, and runs only over a block where a token's gates passed.
    """

    def __init__(self, rules: tuple[Rule, ...]):
        self.always: list[Rule] = []
        self._needs: dict[tuple[Rule, int], set[Gate]] = {}  # a gated token -> every gate it must pass
        first: dict[str, tuple[list[Start], set[Rule], set[Gate]]] = {}
        gated: dict[str, tuple[list[Start]]] = {}
        for rule in rules:
            if not rule.start_anchors and not rule.anchors:
                self.always.append(rule)
                continue
            for literal, token, number in rule.gates or ():
                first.setdefault(literal, ([], set(), set()))[2].add((rule, token, number))
                self._needs.setdefault((rule, token), set()).add((rule, token, number))
            for literal, steps, token in rule.start_anchors or ():
                if (rule, token) in self._needs:
                    gated.setdefault(literal, ([],))[0].append((rule, steps, token))
                else:
                    first.setdefault(literal, ([], set(), set()))[0].append((rule, steps, token))
            for literal in rule.anchors or ():
                first.setdefault(literal, ([], set(), set()))[1].add(rule)
        self._first = _automaton(first)
        self._gated = _automaton(gated)

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
        if self._first is None:
            return plan
        found: dict[Rule, list[tuple[int, int]]] = {}
        passed: set[Gate] = set()
        whole: set[Rule] = set()
        for end, (back, starts, scans, gates) in self._first.iter(folded):
            if gates:
                passed |= gates
            if scans:
                whole |= scans
            for rule, steps, token in starts:
                _add_starts(found, text, end - back, rule, steps, token)
        if passed and self._gated is not None:
            opened = {(rule, token) for rule, token, _ in passed if self._needs[rule, token] <= passed}
            if opened:
                for end, (back, starts) in self._gated.iter(folded):
                    for rule, steps, token in starts:
                        if (rule, token) in opened:
                            _add_starts(found, text, end - back, rule, steps, token)
        for rule, starts in found.items():
            plan[rule] = sorted(set(starts))
        plan.update(dict.fromkeys(whole, WHOLE_BLOCK))
        return plan


def _add_starts(found: dict, text: str, position: int, rule: Rule, steps: tuple, token: int) -> None:
    """Add where a match of ``token`` holding its start anchor at ``position`` would start."""
    starts = found.get(rule)
    if starts is None:
        starts = found[rule] = []
    if steps:
        starts.extend((start, token) for start in candidate_starts(text, position, steps))
    else:
        starts.append((position, token))


def _automaton(meanings: dict[str, tuple]):
    """An Aho-Corasick automaton of the literals, each carrying (its length - 1, *its meanings); None if empty."""
    if not meanings:
        return None
    automaton = ahocorasick.Automaton()
    for literal, meaning in meanings.items():
        automaton.add_word(literal, (len(literal) - 1, tuple(meaning[0]), *map(frozenset, meaning[1:])))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=16)
def anchor_index(rules: tuple[Rule, ...]) -> AnchorIndex:
    """The index for ``rules``, built once per list of rules in a process."""
    return AnchorIndex(rules)
