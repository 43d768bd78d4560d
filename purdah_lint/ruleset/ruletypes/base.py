"""The rule base class, the type registry and the key schema that types declare."""

from __future__ import annotations

import marshal
import re
from _bisect import bisect_right  # what ``bisect`` wraps: importing the wrapper too cost start-up
from functools import cached_property
from typing import Any, Callable, ClassVar, Iterator, Sequence

from ...model import DEFAULT_SCOPES, Segment, Severity, Value
from ..matching.programs import compile_pattern
from ..matching.patterns import alternation, anchor_folded
from ..matching.sentences import Sentences

RULE_TYPES: dict[str, type["Rule"]] = {}
DETAIL = ("options", "derived", "examples", "translations")  # what the pack cache keeps marshalled per rule
MAX_GATES = 3  # literal sets a block must hold before a token's start anchors are followed
MAX_GATE_RATE = 0.01  # per word of text: a gate more common than this lets most blocks through



class Key(Value):
    """One key a rule file may carry: its kind, whether it is required, allowed values."""

    __slots__ = ("kind", "required", "choices", "default")

    def __init__(self, kind: str, required: bool = False, choices: tuple[str, ...] = (), default: Any = None):
        self.kind = kind  # "str", "bool", "number", "regexes", "choice", "choices", "examples", "weights"
        self.required = required
        self.choices = choices
        self.default = default


def register(name: str) -> Callable[[type["Rule"]], type["Rule"]]:
    """Class decorator that makes a rule type available to packs as ``extends: name``."""
    def decorate(cls):
        RULE_TYPES[name] = cls
        return cls
    return decorate


class PageContext:
    """Facts about a whole document (its page), shared by the contexts of its segments.

    ``literals`` (the prefilter's automaton of the page-exception literals of the rules reading the
    page) lets one pass over the folded page find which blocks hold each literal; a literal it does
    not hold is looked for on its own.
    """

    __slots__ = ("segments", "held", "_on_page", "_folded", "_literals", "_holding")

    def __init__(self, segments: Sequence[Segment], literals=None):
        self.segments = segments
        # (rule, segment, start, end) of matches that stand only if the page is flagged for the rule's category
        self.held: list[tuple] = []
        self._on_page: dict[tuple[str, int], bool] = {}  # searched_key(pattern) -> whether the page holds it
        self._folded: FoldedPage | None | bool = False  # None if unusable; False: not yet
        self._literals = literals
        self._holding: dict[str, set[int]] = {}  # literal -> numbers of the blocks whose folded text holds it

    def holds(self, pattern: re.Pattern, ways: tuple | None = None) -> bool:
        """Whether ``pattern`` occurs in any block of the page (searched once per page).

        With ``ways`` (literal_ways of the pattern), only blocks holding a literal of each set of a
        way are searched: a match lies in one block, and holds the literals of the way it takes.
        """
        key = searched_key(pattern)
        found = self._on_page.get(key)
        if found is None:
            blocks = self.segments if ways is None else self._blocks_for(ways)
            found = self._on_page[key] = any(pattern.search(segment.text) for segment in blocks)
        return found

    def _blocks_for(self, ways: tuple) -> Sequence[Segment]:
        """The blocks where some way holds a literal of each of its sets (every block when that is unknown)."""
        if self._folded is False:
            self._folded = _page_folded(self.segments)
            if self._folded is not None and self._literals is not None:
                self._holding = self._folded.holding(self._literals)
        if self._folded is None:
            return self.segments
        holding = self._blocks_holding
        passing: set[int] = set()
        for way in ways:
            blocks = None  # the blocks holding a literal of each set of the way so far (None: all of them)
            for literals in way:
                here = set().union(*map(holding, literals))
                blocks = here if blocks is None else blocks & here
                if not blocks:
                    break
            else:
                if blocks is None:
                    return self.segments
                passing |= blocks
        return [self.segments[number] for number in sorted(passing)]

    def _blocks_holding(self, literal: str) -> set[int]:
        blocks = self._holding.get(literal)
        if blocks is None:
            known = self._literals is not None and literal in self._literals  # then the one pass found it if present
            blocks = self._holding[literal] = set() if known else self._folded.blocks_holding(literal)
        return blocks


def searched_key(pattern: re.Pattern) -> tuple[str, int]:
    """What the answer of a search for ``pattern`` is kept under: its source and flags.

    Equal patterns compiled apart (rules sharing an exception) share the key, as with the pattern
    itself; but a pattern's hash covers its whole program, about 15 microseconds for a rule's
    alternation on every look-up, while its source's hash is computed once and kept by the string.
    """
    return pattern.pattern, pattern.flags


MAX_FOLDED_PAGE = 2_000_000  # characters: a longer page is searched by the patterns alone, not copied folded


class FoldedPage:
    """A page's blocks folded for literals, joined, with where each block starts."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, blocks: list[str]):
        self.text = "\n".join(blocks)
        self.starts = []
        self.ends = []
        offset = 0
        for block in blocks:
            self.starts.append(offset)
            offset += len(block)
            self.ends.append(offset)
            offset += 1

    def _block_of(self, start: int, end: int) -> int | None:
        """The number of the block holding ``text[start:end]`` whole, or None when it crosses a join."""
        number = bisect_right(self.starts, start) - 1
        return number if end <= self.ends[number] else None

    def holding(self, literals) -> dict[str, set[int]]:
        """Each of the prefilter's ``literals`` that occurs in a block, with the numbers of the blocks holding it."""
        found: dict[str, set[int]] = {}
        for end, number in literals.iter(self.text):
            literal = literals.meaning(number)
            block = self._block_of(end + 1 - len(literal), end + 1)
            if block is not None:
                found.setdefault(literal, set()).add(block)
        return found

    def blocks_holding(self, literal: str) -> set[int]:
        """The numbers of the blocks holding ``literal``, found by searching the joined text."""
        found = set()
        start = self.text.find(literal)
        while start >= 0:
            block = self._block_of(start, start + len(literal))
            if block is not None:
                found.add(block)
            start = self.text.find(literal, start + 1)
        return found


def _page_folded(segments: Sequence[Segment]) -> FoldedPage | None:
    """The page folded for literals; None when a block cannot be folded safely or the page is long."""
    if sum(len(segment.text) for segment in segments) > MAX_FOLDED_PAGE:
        return None
    blocks = [anchor_folded(segment.text) for segment in segments]
    return None if None in blocks else FoldedPage(blocks)


class SegmentContext:
    """Per-segment facts shared by all rules, computed only when a rule asks."""

    __slots__ = ("segment", "lead_in", "page", "_sentences", "_in_paragraph", "_cues")

    def __init__(self, segment: Segment, lead_in: str | None = None, page: PageContext | None = None):
        self.segment = segment
        self.lead_in = lead_in  # for a list item: the text introducing the list ("Staff must not:")
        self.page = page if page is not None else PageContext((segment,))
        self._sentences: Sentences | None = None
        self._in_paragraph: dict[tuple[str, int], bool] = {}  # searched_key(pattern) -> whether the segment holds it
        self._cues: list[tuple[int, int, set[str]]] | None = None

    @property
    def sentences(self) -> Sentences:
        """Sentence boundaries of the segment (found on first use)."""
        if self._sentences is None:
            self._sentences = Sentences(self.segment.text)
        return self._sentences

    @property
    def cues(self) -> list[tuple[int, int, set[str]]]:
        """``(start, end, cues)`` of each sentence holding words, for scored rules (found on first use)."""
        if self._cues is None:
            from ..matching.cues import sentence_cues  # only packs with scored rules need it

            text = self.segment.text
            self._cues = [(start, end, cues) for start, end in self.sentences.spans()
                          if (cues := sentence_cues(text[start:end]))]
        return self._cues

    def occurs_around(self, pattern: re.Pattern, offset: int, within: str) -> bool:
        """Whether ``pattern`` occurs in the sentence, paragraph or page around ``offset``.

        The answer for a paragraph is the same wherever the match is, so it is searched once: a
        long one-line paragraph with many matches stays linear.
        """
        if within == "page":
            return self.page.holds(pattern)
        if within == "paragraph":
            key = searched_key(pattern)
            found = self._in_paragraph.get(key)
            if found is None:
                found = self._in_paragraph[key] = pattern.search(self.segment.text) is not None
            return found
        low, high = self.sentences.bounds(offset)
        return pattern.search(self.segment.text, low, high) is not None

    def context_bounds(self, offset: int, within: str) -> tuple[int, int]:
        """Bounds of the sentence or paragraph around ``offset``."""
        if within == "paragraph":
            return 0, len(self.segment.text)
        return self.sentences.bounds(offset)


class Rule:
    """Fields common to every rule; subclasses add their own keys and matching.

    Rules compare by identity, and keep a ``__dict__`` for the patterns they compile on first use.
    """

    # The prefilter's view of the rule (see TokenRule.analyse); with neither, the rule runs on every block.
    anchors = None  # literals whose presence means the whole block is scanned, or None
    start_anchors = None  # literals at a known distance from where a match of their token starts, or None
    gates = None  # (literal, token number, set): a token with gates is tried only in blocks holding one of each set
    consultations_only = False  # True for rules that look only at consultation documents
    gives_way = False  # True for rules whose finding is dropped where another rule of its category flags the same words
    pack_index = None  # the prefilter's data for every rule of the same load of packs (prefilter.PackIndex)
    KEYS: ClassVar[dict[str, Key]] = {}

    def __init__(self, name: str, code: str, category: str, level: Severity, message: str, guidance: str,
                 signoff: str, summary: str, link: str | None = None, scope: frozenset[str] | None = None,
                 topic: str | None = None, examples: dict[str, tuple[str, ...]] | None = None,
                 options: dict[str, Any] | None = None, derived: dict[str, Any] | None = None, language: str = "en",
                 translations: dict[str, dict[str, str]] | None = None, detail: bytes | None = None):
        self.name = name
        self.code = code
        self.category = category
        self.level = level
        self.message = message
        self.guidance = guidance
        self.signoff = signoff
        self.summary = summary
        self.link = link
        self.scope = scope
        self.topic = topic
        self.language = language  # the language of the text the rule reads (a segment's ``language``)
        if detail is not None:
            # From the pack cache: the DETAIL fields stay marshalled until first read, as most rules
            # are never tried on a small document and decoding every rule's options is most of a load.
            self._detail = detail
            return
        self.examples = {} if examples is None else examples
        self.options = {} if options is None else options
        # What ``analyse`` found (anchors, ...), kept in the pack cache.
        self.derived = derived if derived is not None else self.analyse(self.options, language)
        self.translations = {} if translations is None else translations  # language -> message, guidance, ...

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not yet set: a DETAIL field of a rule loaded from the cache.
        if name in DETAIL:
            detail = self.__dict__.get("_detail")
            if detail is not None:
                # Threads (an audit's Dask worker) may decode one rule at once: each dict step is
                # atomic, the first decoding wins, and ``_detail`` goes only once every field is set.
                for field, value in zip(DETAIL, marshal.loads(detail)):
                    self.__dict__.setdefault(field, value)
                self.__dict__.pop("_detail", None)
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def analyse(cls, options: dict[str, Any], language: str = "en") -> dict[str, Any]:
        """Plain data (tuples, frozensets) derived from the options once, cached with the pack (e.g. anchors)."""
        return {}

    def applies_to(self, segment: Segment) -> bool:
        """Whether the rule looks at this kind of block, in this language, at all."""
        return segment.scope in (self.scope or DEFAULT_SCOPES) and (segment.language or "en") == self.language

    def find(self, context: SegmentContext, starts: list[tuple[int, int]] | None = None) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` offsets of each match in the segment.

        ``starts``, from the prefilter, are the only places a match can begin, as ``(offset, token
        number)`` pairs (None: anywhere).
        """
        raise NotImplementedError

    def format_message(self, matched: str) -> str:
        """The rule's message with ``%s`` replaced by the matched words."""
        excerpt = " ".join(matched.split())
        if len(excerpt) > 80:
            excerpt = excerpt[:77].rstrip() + "…"
        return self.message.replace("%s", excerpt, 1)


def compile_tokens(pattern: str, ignorecase: bool) -> re.Pattern:
    """Compile a token alternation with the rule's case setting (restored from the program store when kept)."""
    return compile_pattern(pattern, re.IGNORECASE if ignorecase else 0)


def excepted(rule_exceptions: re.Pattern | None, context: SegmentContext, start: int, within: str) -> bool:
    """Whether an exception pattern occurs around the match at ``start``, or in a list's lead-in."""
    if rule_exceptions is None:
        return False
    if context.occurs_around(rule_exceptions, start, within):
        return True
    return context.lead_in is not None and rule_exceptions.search(context.lead_in) is not None


WITHIN = ("sentence", "paragraph")
CONTEXT = (*WITHIN, "page")  # where a required pattern may occur (exceptions have page_exceptions)
_WORD = compile_pattern(r"[\w'’-]+")


class GuardedRule(Rule):
    """Base of the rule types whose matches stand only with their required words and without an exception around them."""

    KEYS = {
        "exceptions": Key("regexes", default=[]),
        "exceptions_within": Key("choice", choices=WITHIN, default="sentence"),
        "paragraph_exceptions": Key("regexes", default=[]),
        "page_exceptions": Key("regexes", default=[]),
        "requires": Key("regexes", default=[]),
        "requires_within": Key("choice", choices=CONTEXT, default="sentence"),
        "ignorecase": Key("bool", default=True),
    }
    # Options whose items are searched as one whole-word alternation, kept with the pack as analysis
    # builds it: expanding their phrases when a rule first runs cost more than restoring the program.
    ALTERNATED = ("exceptions", "paragraph_exceptions", "page_exceptions", "requires")

    @classmethod
    def analyse(cls, options: dict[str, Any], language: str = "en") -> dict[str, Any]:
        return {**cls.analyse_page_exceptions(options, language), **cls.analyse_alternations(options)}

    @staticmethod
    def analyse_page_exceptions(options: dict[str, Any], language: str = "en") -> dict[str, Any]:
        """Each page exception's own pattern and literal ways: a page holding none of a way's literals is not searched.

        A back-reference numbers groups across the whole alternation, so then the patterns run together.
        """
        from ..matching.anchors import literal_ways
        from ..matching.rarity import rates_for
        from ..matching.start_anchors import refers_to_groups

        items = options.get("page_exceptions") or []
        page_patterns = tuple(alternation([item]) for item in items)  # kept, so no phrase is expanded at lint time
        page = (tuple(literal_ways([pattern], rates_for(language)) for pattern in page_patterns)
                if items and not refers_to_groups(alternation(items)) else None)
        return {"page_ways": page, "page_patterns": page_patterns}

    @classmethod
    def analyse_alternations(cls, options: dict[str, Any]) -> dict[str, Any]:
        """The alternation of each ``ALTERNATED`` option that has items, by option."""
        return {"alternations": {key: alternation(options[key]) for key in cls.ALTERNATED if options.get(key)}}

    def compile_option(self, key: str) -> re.Pattern | None:
        """The whole-word alternation of option ``key``'s items with the rule's case setting, or None without items."""
        pattern = self.derived["alternations"].get(key)
        return None if pattern is None else compile_tokens(pattern, self.options["ignorecase"])

    # Compiling every rule's patterns costs more than checking a small file, so each compiles when first needed.
    @cached_property
    def _exceptions(self) -> re.Pattern | None:
        return self.compile_option("exceptions")

    @cached_property
    def _paragraph_exceptions(self) -> re.Pattern | None:
        return self.compile_option("paragraph_exceptions")

    @cached_property
    def _page_exceptions(self) -> re.Pattern | None:
        return self.compile_option("page_exceptions")

    @cached_property
    def _page_exception_searches(self) -> list[tuple[re.Pattern, tuple | None]]:
        """Each page exception's own pattern with its literal ways; or the whole alternation, when not split."""
        items, ways = self.options["page_exceptions"], self.derived.get("page_ways")
        patterns = self.derived.get("page_patterns")
        if ways is None or patterns is None or not len(ways) == len(patterns) == len(items):
            return [(self._page_exceptions, None)] if items else []
        # Equal patterns are equal keys of a page's answers: rules sharing an exception search the page once.
        return [(compile_tokens(pattern, self.options["ignorecase"]), way) for pattern, way in zip(patterns, ways)]

    @cached_property
    def _requires(self) -> re.Pattern | None:
        return self.compile_option("requires")

    def is_excepted(self, context: SegmentContext, start: int) -> bool:
        """Whether an exception cancels the match at ``start`` (sentence, paragraph, page or a list's lead-in)."""
        return (excepted(self._exceptions, context, start, self.options["exceptions_within"])
                or excepted(self._paragraph_exceptions, context, start, "paragraph")
                or any(context.page.holds(pattern, ways) for pattern, ways in self._page_exception_searches))

    def has_required(self, context: SegmentContext, start: int) -> bool:
        """Whether the rule's ``requires`` occurs where it must around the match at ``start`` (True without one)."""
        return self._requires is None or context.occurs_around(self._requires, start, self.options["requires_within"])

    def accepts(self, context: SegmentContext, start: int) -> bool:
        """Whether the match at ``start`` stands: its required context is there and no exception applies."""
        return self.has_required(context, start) and not self.is_excepted(context, start)


class TokenRule(GuardedRule):
    """Base of the rule types that match ``tokens``, with exceptions around each match."""

    # Keys are checked in this order, so a rule file's first error is reported as before the base existed.
    KEYS = {
        "tokens": Key("regexes", required=True),
        "exceptions": GuardedRule.KEYS["exceptions"],
        "exceptions_within": GuardedRule.KEYS["exceptions_within"],
        "exceptions_before": Key("regexes", default=[]),
        "exceptions_before_words": Key("number", default=6),
        **GuardedRule.KEYS,
    }
    ALTERNATED = (*GuardedRule.ALTERNATED, "exceptions_before")

    @classmethod
    def analyse(cls, options: dict[str, Any], language: str = "en") -> dict[str, Any]:
        """Each token's prefilter: where its matches can start, and which literals a block must hold first.

        A token with start anchors is tried only where they put the start of a match, and only in
        blocks that pass its gates: up to ``MAX_GATES`` sets of literals from other parts of the
        token, the rarest in running text, every match holding one literal of each set. A token
        without start anchors has its rarest literals as plain anchors: the rule scans a block
        holding one. A token with neither leaves the rule running on every block.
        """
        # Only a pack cache miss analyses rules: a check that reads the cache never imports these.
        from ..matching.anchors import best_anchors, rarest_first, required_choices
        from ..matching.rarity import rates_for
        from ..matching.start_anchors import refers_to_groups, start_anchors

        rate = rates_for(language)
        kept = super().analyse(options, language)
        tokens = options["tokens"]
        # A back-reference counts groups across the whole alternation: a token cannot run alone.
        whole = alternation(tokens)
        alone = not refers_to_groups(whole)
        starts: list[tuple[str, tuple, int]] = []
        gates: list[tuple[str, int, int]] = []
        scans: set[str] = set()
        # The patterns (all tokens, and each on its own) are kept with the pack: expanding phrases
        # again when a rule runs cost more than the rest of checking a small file.
        patterns = tuple(alternation([token]) for token in tokens)
        for number, pattern in enumerate(patterns):
            found = start_anchors(pattern, rate) if alone else None
            choices = required_choices(pattern, rate)  # the pattern's required literals, walked once for both uses
            if found is None:
                required = best_anchors(choices)
                if required is None:
                    return {"anchors": None, "start_anchors": None, "gates": None, "pattern": whole,
                            "patterns": patterns, **kept}
                scans |= required
                continue
            starts.extend((literal, tuple(map(tuple, steps)), number) for literal, steps in found)
            at_start = {literal for literal, _ in found}
            sets = [literals for summed, literals in rarest_first(choices)
                    if not literals <= at_start and summed <= MAX_GATE_RATE]
            gates.extend((literal, number, index) for index, literals in enumerate(sets[:MAX_GATES])
                         for literal in sorted(literals))
        return {"anchors": frozenset(scans) or None, "start_anchors": tuple(starts) or None,
                "gates": tuple(gates) or None, "pattern": whole, "patterns": patterns, **kept}

    # The pack cache keeps tuples and frozensets (marshal), so derived facts are used as stored.
    @property
    def anchors(self) -> frozenset[str] | None:
        return self.derived["anchors"]

    @property
    def start_anchors(self) -> tuple | None:
        return self.derived["start_anchors"]

    @property
    def gates(self) -> tuple | None:
        return self.derived["gates"]

    @cached_property
    def _each_token(self) -> dict[int, re.Pattern]:
        return {}  # token number -> its own pattern, compiled on first use

    @cached_property
    def _tokens(self) -> re.Pattern:
        return compile_tokens(self.derived["pattern"], self.options["ignorecase"])

    @cached_property
    def _exceptions_before(self) -> re.Pattern | None:
        return self.compile_option("exceptions_before")

    def _token(self, number: int) -> re.Pattern:
        pattern = self._each_token.get(number)
        if pattern is None:
            pattern = compile_tokens(self.derived["patterns"][number], self.options["ignorecase"])
            self._each_token[number] = pattern
        return pattern

    def token_matches(self, text: str, starts: list[tuple[int, int]] | None) -> Iterator[re.Match]:
        """The matches ``finditer`` would give, trying only ``starts`` when they are known.

        ``starts`` holds sorted ``(offset, token number)`` pairs. At an offset, the alternation of
        all tokens matches with its first token that matches there, and only tokens whose anchors
        put a start there can: so those are tried in order, each with its own small pattern.
        """
        if starts is None:
            yield from self._tokens.finditer(text)
            return
        end = 0
        for start, number in starts:
            if start < end:
                continue  # inside the last match (or its start, already matched by a lower token)
            match = self._token(number).match(text, start)
            if match is not None:
                end = match.end()
                yield match

    def is_excepted(self, context: SegmentContext, start: int) -> bool:
        """Whether an exception cancels the match at ``start``, including a negation just before it."""
        return super().is_excepted(context, start) or self._excepted_before(context, start)

    def _excepted_before(self, context: SegmentContext, start: int) -> bool:
        """Whether an ``exceptions_before`` pattern ends within a few words before ``start`` in its sentence.

        This is how a rule leaves negated statements alone ("we will not be launching"), without
        letting a "not" in another clause of a long sentence cancel it.
        """
        if self._exceptions_before is None:
            return False
        low, _ = context.context_bounds(start, "sentence")
        words = int(self.options["exceptions_before_words"])
        before = context.segment.text[low:start]
        cut = [match.start() for match in _WORD.finditer(before)]
        low += cut[-words] if len(cut) >= words else 0
        return any(match.end() <= start for match in self._exceptions_before.finditer(context.segment.text, low, start + 1))
