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

import marshal
from collections import defaultdict
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Iterator

import ahocorasick

from ..ruletypes import Rule
from .patterns import anchor_folded

WHOLE_BLOCK = None  # in a plan: run the rule over the whole block
Key = str | int  # what index data calls a rule: its code within one language's pack data, else its position
Start = tuple[Key, tuple, int]  # (rule's key, steps back to where a match starts, token number)
Gate = tuple[Key, int, int]  # (rule's key, token number, set number)


def index_data(rules: Iterable[tuple[Key, dict]]) -> dict:
    """Plain data (kept in the pack cache) for the index of rules given as ``(key, what analyse derived)``.

    The first automaton holds gates, plain anchors and the start anchors of tokens without gates;
    the second the start anchors of gated tokens, and runs only over a block where a token's gates passed.
    A third holds the literals of page exceptions, each meaning itself: one pass over a page finds
    which of its blocks hold each (see ``PageContext``).
    """
    always: list[Key] = []
    needs: dict[tuple[Key, int], set[Gate]] = {}  # a gated token -> every gate it must pass
    first: dict[str, tuple[list[Start], set[Key], set[Gate]]] = {}
    gated: dict[str, tuple[list[Start]]] = {}
    page: set[str] = set()  # every literal of the rules' page-exception ways
    for key, derived in rules:
        page.update(literal for ways in derived.get("page_ways") or () for way in ways or ()
                    for literals in way for literal in literals)
        anchors, starts, gates = derived.get("anchors"), derived.get("start_anchors"), derived.get("gates")
        if not starts and not anchors:
            always.append(key)
            continue
        for literal, token, number in gates or ():
            first.setdefault(literal, ([], set(), set()))[2].add((key, token, number))
            needs.setdefault((key, token), set()).add((key, token, number))
        for literal, steps, token in starts or ():
            if (key, token) in needs:
                gated.setdefault(literal, ([],))[0].append((key, steps, token))
            else:
                first.setdefault(literal, ([], set(), set()))[0].append((key, steps, token))
        for literal in anchors or ():
            first.setdefault(literal, ([], set(), set()))[1].add(key)
    # Sets are stored as sorted tuples: unmarshalling a frozenset hashes every member, most of a load's cost.
    return {"always": tuple(always), "needs": {token: tuple(sorted(gates)) for token, gates in needs.items()},
            "first": _entries(first), "gated": _entries(gated), "page": tuple((literal, literal) for literal in page)}


def _entries(meanings: dict[str, tuple]) -> tuple:
    """Each literal with (its length - 1, *its meanings), ready for an automaton."""
    return tuple((literal, (len(literal) - 1, tuple(meaning[0]), *(tuple(sorted(kept)) for kept in meaning[1:])))
                 for literal, meaning in meanings.items())


class Literals:
    """An automaton of literals (pyahocorasick, storing entry numbers), each with its meaning.

    Restored from the pack cache, the automaton is pyahocorasick's own saved state and each meaning
    stays marshalled until its literal is first found: a small file decodes only what occurs in it.
    """

    def __init__(self, automaton, meanings: list, blobs: tuple | None = None):
        self._automaton = automaton
        self._meanings = meanings  # entry number -> meaning, None while still in ``blobs``
        self._blobs = blobs

    @classmethod
    def build(cls, entries: tuple) -> "Literals | None":
        """The automaton of ``(literal, meaning)`` entries; None if there are none."""
        if not entries:
            return None
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for number, (literal, _) in enumerate(entries):
            automaton.add_word(literal, number)
        automaton.make_automaton()
        return cls(automaton, [meaning for _, meaning in entries])

    def stored(self) -> tuple:
        """Plain data :meth:`restore` takes back: the automaton's saved state and each meaning marshalled."""
        return self._automaton.__reduce__()[1], tuple(marshal.dumps(meaning) for meaning in self._meanings)

    @classmethod
    def restore(cls, stored: tuple | None) -> "Literals | None":
        """The automaton :meth:`stored` gave (None stays None)."""
        if stored is None:
            return None
        state, blobs = stored
        return cls(ahocorasick.Automaton(*state), [None] * len(blobs), blobs)

    def iter(self, text: str) -> Iterator[tuple[int, int]]:
        """``(end offset, entry number)`` of each occurrence of a literal in ``text`` (see :meth:`meaning`)."""
        return self._automaton.iter(text)

    def __contains__(self, literal: str) -> bool:
        return self._automaton.exists(literal)

    def meaning(self, number: int) -> tuple:
        """What entry ``number`` means, decoded on first use."""
        meaning = self._meanings[number]
        if meaning is None:
            meaning = self._meanings[number] = marshal.loads(self._blobs[number])
        return meaning


AUTOMATA = ("first", "gated", "page")


def stored_index(data: dict) -> bytes:
    """:func:`index_data` as the pack cache keeps it (see :class:`Literals`)."""
    stored = {"always": data["always"], "needs": marshal.dumps(data["needs"])}
    for name in AUTOMATA:
        automaton = Literals.build(data[name])
        stored[name] = None if automaton is None else automaton.stored()
    return marshal.dumps(stored)


class PackIndex:
    """The index of every rule of one load of packs, by language, restored when a language is first checked."""

    def __init__(self, stored: Callable[[str], bytes | None]):
        self._stored = stored  # language -> stored_index(), or None when there is none
        self._restored: dict[str, dict | None] = {}

    def parts(self, language: str) -> dict | None:
        """The restored index parts of the rules in ``language`` (None if the stored state cannot be used)."""
        if language not in self._restored:
            try:
                data = self._stored(language)
                if data is None:
                    raise KeyError(language)
                stored = marshal.loads(data)
                self._restored[language] = {"always": stored["always"], "needs": stored["needs"],
                                            **{name: Literals.restore(stored[name]) for name in AUTOMATA}}
            except (KeyError, ValueError, TypeError, EOFError):  # another pyahocorasick's state: build afresh
                self._restored[language] = None
        return self._restored[language]


class AnchorIndex:
    """Every anchor of a list of rules in two automata (see :func:`index_data`), with what each occurrence means.

    The parts may cover more rules than ``rules`` (a whole pack): occurrences of the others are passed over.
    """

    def __init__(self, parts: dict, rules: tuple[Rule, ...], keys: Iterable[Key]):
        self._rules = dict(zip(keys, rules))  # what the parts call each rule -> the rule
        always = set(parts["always"])
        self.always = [rule for key, rule in self._rules.items() if key in always]
        self._needs_stored = parts["needs"]  # marshalled until a block first passes a gate
        self._first = parts["first"]
        self._gated = parts["gated"]
        self.page_literals: Literals | None = parts["page"]  # for the page contexts of these rules' pages
        if len(self.always) == len(self._rules):
            # Every rule runs on every block (a consultation's readability pass): no literal can narrow that,
            # and a whole pack's automata would be run over each block only to find other rules' literals.
            self._first = self._gated = None
        self._resolved_first: dict[int, tuple] = {}  # entry number -> its meaning with rules looked up
        self._resolved_gated: dict[int, tuple] = {}

    @cached_property
    def _needs(self) -> dict:
        return marshal.loads(self._needs_stored)

    @cached_property
    def _needed(self) -> dict[tuple[Key, int], int]:
        return {token: len(gates) for token, gates in self._needs.items()}  # a gated token -> how many sets it needs

    def _resolved(self, automaton: Literals, resolved: dict, number: int) -> tuple:
        """Entry ``number`` of ``automaton`` with its rules looked up: (length - 1, starts, scanned rules, gates).

        Worked out once per literal: the same literal occurs in many blocks.
        """
        back, starts, *rest = automaton.meaning(number)
        rules = self._rules
        starts = tuple((rules[key], steps, token, key) for key, steps, token in starts if key in rules)
        if rest:
            scans, gates = rest
            rest = [tuple(rules[key] for key in scans if key in rules), gates]
        else:  # a gated start anchor: which tokens it belongs to, to pass over it quickly when none is open
            rest = [frozenset((key, token) for _, _, token, key in starts)]
        entry = resolved[number] = (back, starts, *rest)
        return entry

    def plan(self, text: str) -> dict[Rule, list[tuple[int, int]] | None] | None:
        """For each rule worth trying on ``text``: sorted ``(offset, token number)`` pairs, or WHOLE_BLOCK.

        None means the block's case folding moves characters, so every rule runs on all of it.
        """
        plan: dict[Rule, list[tuple[int, int]] | None] = {rule: WHOLE_BLOCK for rule in self.always}
        first = self._first
        if first is None:  # every rule is in ``always``
            return plan
        folded = anchor_folded(text)
        if folded is None:
            return None
        found: dict[Rule, list[tuple[int, int]]] = defaultdict(list)
        passed: set[Gate] = set()
        whole: set[Rule] = set()
        resolved = self._resolved_first
        for end, number in first.iter(folded):
            entry = resolved.get(number)
            if entry is None:
                entry = self._resolved(first, resolved, number)
            back, starts, scans, gates = entry
            if gates:
                passed.update(gates)
            if scans:
                whole.update(scans)
            if starts:
                _add_starts(found, text, end - back, starts)
        if passed and self._gated is not None:
            counts: dict[tuple[Key, int], int] = {}
            for key, token, _ in passed:
                counts[key, token] = counts.get((key, token), 0) + 1
            needed = self._needed
            # A token opens when every one of its gate sets passed (each passed gate is one of its own sets).
            opened = {token for token, count in counts.items() if count == needed[token]}
            if opened:
                gated = self._gated
                resolved = self._resolved_gated
                for end, number in gated.iter(folded):
                    entry = resolved.get(number)
                    if entry is None:
                        entry = self._resolved(gated, resolved, number)
                    back, starts, tokens = entry
                    if opened.isdisjoint(tokens):
                        continue
                    _add_starts(found, text, end - back, [start for start in starts if (start[3], start[2]) in opened])
        for rule, starts in found.items():
            plan[rule] = sorted(set(starts))
        plan.update(dict.fromkeys(whole, WHOLE_BLOCK))
        return plan


def _add_starts(found: dict, text: str, position: int, starts: tuple) -> None:
    """Add where a match of each ``(rule, steps, token, key)`` holding its start anchor at ``position`` would start."""
    for rule, steps, token, _ in starts:
        if steps:
            found[rule].extend([(start, token) for start in candidate_starts(text, position, steps)])
        else:
            found[rule].append((position, token))


@lru_cache(maxsize=16)
def anchor_index(rules: tuple[Rule, ...]) -> AnchorIndex:
    """The index for ``rules``, built once per list of rules in a process.

    Rules of one language from one load of packs share that language's index data from the pack
    cache; any other list has its data worked out from the rules themselves.
    """
    shared = rules[0].pack_index if rules else None
    language = rules[0].language if rules else None
    if shared is not None and all(rule.pack_index is shared and rule.language == language for rule in rules):
        parts = shared.parts(language)
        if parts is not None:
            return AnchorIndex(parts, rules, (rule.code for rule in rules))
    return AnchorIndex(built_parts(index_data(enumerate(rule.derived for rule in rules))), rules, range(len(rules)))


def built_parts(data: dict) -> dict:
    """Index parts built from :func:`index_data` in this process, in the shape :meth:`PackIndex.parts` restores."""
    return {"always": data["always"], "needs": marshal.dumps(data["needs"]),
            **{name: Literals.build(data[name]) for name in AUTOMATA}}


def candidate_starts(text: str, position: int, steps: tuple) -> list[int]:
    """Where a match holding a start anchor at ``position`` would start, walking ``steps`` back."""
    place = position
    for number, (least, most) in enumerate(steps):  # one place while every width is fixed, as most are
        if least < 0:  # SPACE: back over the whole run of white space before the word
            if place <= 0 or not text[place - 1].isspace():
                return []
            place -= 1
            while place > 0 and text[place - 1].isspace():
                place -= 1
        elif least == most:
            if place < least:
                return []
            place -= least
        else:
            return _spread_starts(text, [place], steps[number:])
    return [place]


def _spread_starts(text: str, places: list[int], steps: tuple) -> list[int]:
    """:func:`candidate_starts` from several places at once, once a width varies."""
    for least, most in steps:
        if least < 0:
            found = []
            for place in places:
                if place > 0 and text[place - 1].isspace():
                    place -= 1
                    while place > 0 and text[place - 1].isspace():
                        place -= 1
                    found.append(place)
            places = found
        else:
            places = [place - width for place in places for width in range(least, most + 1) if place >= width]
    return places
