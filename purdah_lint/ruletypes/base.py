"""The rule base class, the type registry and the key schema that types declare."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterator

from ..model import Segment, Severity
from ..sentences import Sentences

RULE_TYPES: dict[str, type["Rule"]] = {}

SCOPES = ("heading", "paragraph", "list", "table", "quote", "alt", "title")


@dataclass(frozen=True)
class Key:
    """One key a rule file may carry: its kind, whether it is required, allowed values."""

    kind: str  # "str", "bool", "int", "strings", "regexes", "choice", "choices", "examples"
    required: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None


def register(name: str) -> Callable[[type["Rule"]], type["Rule"]]:
    """Class decorator that makes a rule type available to packs as ``extends: name``."""
    def decorate(cls):
        cls.type_name = name
        RULE_TYPES[name] = cls
        return cls
    return decorate


class SegmentContext:
    """Per-segment facts shared by all rules, computed only when a rule asks."""

    __slots__ = ("segment", "_sentences")

    def __init__(self, segment: Segment):
        self.segment = segment
        self._sentences: Sentences | None = None

    @property
    def sentences(self) -> Sentences:
        """Sentence boundaries of the segment (found on first use)."""
        if self._sentences is None:
            self._sentences = Sentences(self.segment.text)
        return self._sentences

    def context_bounds(self, offset: int, within: str) -> tuple[int, int]:
        """Bounds of the sentence or paragraph around ``offset``."""
        if within == "paragraph":
            return 0, len(self.segment.text)
        return self.sentences.bounds(offset)


@dataclass(frozen=True, eq=False)
class Rule:
    """Fields common to every rule; subclasses add their own keys and matching."""

    type_name = "rule"
    KEYS: ClassVar[dict[str, Key]] = {}

    name: str
    code: str
    category: str
    level: Severity
    message: str
    guidance: str
    signoff: str
    source: str
    summary: str
    link: str | None = None
    scope: frozenset[str] | None = None
    topic: str | None = None
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.prepare()

    def prepare(self) -> None:
        """Compile the type's patterns once, when the rule is built (or unpickled in a worker)."""

    def applies_to(self, segment: Segment) -> bool:
        """Whether the rule looks at this kind of block at all."""
        return self.scope is None or segment.scope in self.scope

    def find(self, context: SegmentContext) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` offsets of each match in the segment."""
        raise NotImplementedError

    def format_message(self, matched: str) -> str:
        """The rule's message with ``%s`` replaced by the matched words."""
        excerpt = " ".join(matched.split())
        if len(excerpt) > 80:
            excerpt = excerpt[:77].rstrip() + "…"
        return self.message.replace("%s", excerpt, 1)


def compile_tokens(pattern: str, ignorecase: bool) -> re.Pattern:
    """Compile a token alternation with the rule's case setting."""
    return re.compile(pattern, re.IGNORECASE if ignorecase else 0)


def excepted(rule_exceptions: re.Pattern | None, context: SegmentContext, start: int, within: str) -> bool:
    """Whether an exception pattern occurs around the match at ``start``."""
    if rule_exceptions is None:
        return False
    low, high = context.context_bounds(start, within)
    return rule_exceptions.search(context.segment.text, low, high) is not None
