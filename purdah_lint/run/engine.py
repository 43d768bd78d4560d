"""The engine: run active rules over a document's segments and build findings."""

from __future__ import annotations

from typing import Iterable, Sequence

from ..elections.windows import Window
from ..model import Document, Finding, Segment, Severity, Value
from ..ruleset.matching.prefilter import WHOLE_BLOCK, AnchorIndex, anchor_index
from ..ruleset.matching.sentences import PIECE, pieces
from ..ruleset.ruletypes import Rule
from ..ruleset.ruletypes.base import PageContext, SegmentContext


class Activation(Value):
    """The windows a document falls in, and the level findings are reported at."""

    __slots__ = ("windows", "lead_in", "messages")

    def __init__(self, windows: tuple[Window, ...], lead_in: bool = False, messages: str = "en"):
        self.windows = windows
        self.lead_in = lead_in
        self.messages = messages  # the language of the lead-in note added to messages

    @property
    def active(self) -> bool:
        """Whether any window applies, so rules run at all."""
        return bool(self.windows)

    def topics(self) -> frozenset[str]:
        """Topic scopes switched on by the windows (e.g. ``policing`` for PCC elections)."""
        return frozenset(topic for window in self.windows for topic in window.topics)


def rules_for(rules: Iterable[Rule], activation: Activation) -> list[Rule]:
    """The rules that can fire under ``activation``: topic rules need their topic's window."""
    if not activation.active:
        return []
    topics = activation.topics()
    return [rule for rule in rules if rule.topic is None or rule.topic in topics]


def _window_for(rule: Rule, activation: Activation) -> tuple[str | None, tuple[str, ...]]:
    matching = [w for w in activation.windows if rule.topic is None or rule.topic in w.topics]
    ids = tuple(w.id for w in matching)
    return (ids[0] if ids else None), ids


def lint_segments(segments: Iterable[Segment], rules: list[Rule], prefilter: bool = True,
                  page: PageContext | None = None, index: AnchorIndex | None = None) -> Iterable[tuple[Rule, Segment, int, int]]:
    """Yield ``(rule, segment, start, end)`` for every match of every rule (offsets in the piece yielded).

    With ``prefilter``, each block is planned by one pass over its anchors (prefilter.py): a rule
    runs only where its anchors say a match could be. The results are the same either way (a
    test proves it on the development corpus). Matches that stand only on a flagged page are
    left in ``page.held``. A caller that already has the rules' ``index`` (and ``page``) passes it.
    """
    if index is None and prefilter:
        index = anchor_index(tuple(rules))
    segments = segments if isinstance(segments, Sequence) else list(segments)
    if page is None:
        page = page_context(segments, index)  # page-wide exceptions ("this consultation has closed") read every block
    lead_in = None
    for segment in segments:
        if segment.scope != "list":
            # A heading, or a sentence ending with a colon, just before a list introduces every item.
            introduces = segment.scope == "heading" or segment.text.rstrip().endswith(":")
            lead_in = segment.text if introduces else None
        for piece in _pieces(segment):
            context = SegmentContext(piece, lead_in if segment.scope == "list" else None, page)
            plan = index.plan(piece.text) if index is not None else None
            for rule in rules if plan is None else plan:
                if not rule.applies_to(piece):
                    continue
                starts = plan[rule] if plan is not None else WHOLE_BLOCK
                if starts == []:
                    continue
                for start, end in rule.find(context, starts):
                    yield rule, piece, start, end


def page_context(segments: Sequence[Segment], index: AnchorIndex | None) -> PageContext:
    """The page of ``segments`` as the rules of ``index`` read it: one pass finds their page exceptions' literals (without an index, none)."""
    return PageContext(segments, index.page_literals if index is not None else None)


def _pieces(segment: Segment) -> Iterable[Segment]:
    """The segment, or a very long one in pieces cut at sentence ends: each is linted as a block of its own.

    The plan, sentence bounds and paragraph-wide searches of one piece are all that is held at a
    time, and a capped run stops after the piece that fills the cap.
    """
    if len(segment.text) <= PIECE:
        yield segment
        return
    for start, end in pieces(segment.text):
        yield segment.piece(start, end)


def lint_document(document: Document, rules: list[Rule], activation: Activation,
                  prefilter: bool = True, limit: int | None = None) -> list[Finding]:
    """All findings for ``document``, de-duplicated and sorted; at most ``limit`` (memory stays bounded)."""
    # Only the rules of languages the document holds: an English page never builds the Welsh rules' index.
    present = {segment.language or "en" for segment in document.segments}
    active_rules = [rule for rule in rules_for(rules, activation) if rule.language in present]
    content_rules = [rule for rule in active_rules if not rule.consultations_only]
    findings: set[Finding] = set()
    _collect(findings, document, content_rules, activation, prefilter, limit)
    advisory = [rule for rule in active_rules if rule.consultations_only]
    if advisory and is_consultation(document, findings):
        _collect(findings, document, advisory, activation, prefilter, limit)
    yielding = {rule.code for rule in active_rules if rule.gives_way}
    return sorted(_without_overlapped(findings, yielding) if yielding else findings, key=Finding.sort_key)


def _without_overlapped(findings: set[Finding], yielding: set[str]) -> list[Finding]:
    """``findings`` less those of rules in ``yielding`` whose words another rule of their category also flags."""
    others: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.code not in yielding:
            others.setdefault(finding.category, []).append(finding)
    return [finding for finding in findings
            if finding.code not in yielding or not any(_overlap(finding, other) for other in others.get(finding.category, ()))]


def _overlap(first: Finding, second: Finding) -> bool:
    return ((first.line, first.column) < (second.end_line, second.end_column)
            and (second.line, second.column) < (first.end_line, first.end_column))


def _collect(findings: set, document: Document, rules: list[Rule], activation: Activation, prefilter: bool,
             limit: int | None) -> None:
    index = anchor_index(tuple(rules)) if prefilter else None
    page = page_context(document.segments, index)
    for rule, segment, start, end in lint_segments(document.segments, rules, prefilter, page, index):
        if limit is not None and len(findings) >= limit:
            return
        findings.add(make_finding(document.path, rule, segment, start, end, activation))
    if page.held:
        flagged = _flagged_categories(findings, rules)
        for rule, segment, start, end in page.held:
            if limit is not None and len(findings) >= limit:
                return
            if rule.category in flagged:
                findings.add(make_finding(document.path, rule, segment, start, end, activation))


def _flagged_categories(findings: set, rules: list[Rule]) -> set[str]:
    """Categories with a finding of a warning- or error-level rule (its level, not the finding's: a lead-in lowers that)."""
    serious = {rule.code for rule in rules if rule.level >= Severity.WARNING}
    return {finding.category for finding in findings if finding.code in serious}


def is_consultation(document: Document, findings) -> bool:
    """A consultation document: so marked (metadata or configured path), or with consultation content."""
    if str(document.metadata.get("kind", "")).strip().lower() == "consultation":
        return True
    return any(f.category == "consultation" and f.severity >= Severity.WARNING for f in findings)


WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
                "Tachwedd", "Rhagfyr")


def lead_in_note(start, language: str = "en") -> str:
    """The note that a lead-in finding's window is coming, in ``language``."""
    if language == "cy":
        return f" (mae'r cyfnod cyn etholiad yn dechrau ar {start.day} {WELSH_MONTHS[start.month - 1]} {start.year})"
    return f" (the pre-election period starts on {start:%-d %B %Y})"


def make_finding(path: str, rule: Rule, segment: Segment, start: int, end: int, activation: Activation) -> Finding:
    """Build the finding for one match, with its position in the source file."""
    line, column = segment.locate(start)
    end_line, last_column = segment.locate(max(start, end - 1))
    matched = segment.text[start:end]
    window, windows = _window_for(rule, activation)
    severity = Severity.SUGGESTION if activation.lead_in else rule.level
    message = rule.format_message(matched)
    if activation.lead_in and activation.windows:
        message += lead_in_note(activation.windows[0].start, activation.messages)
    return Finding(
        path=path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=last_column + 1,
        code=rule.code,
        rule=rule.name,
        category=rule.category,
        severity=severity,
        message=message,
        match=" ".join(matched.split()),
        window=window,
        windows=windows,
        guidance=rule.guidance,
        signoff=rule.signoff,
        location=segment.location_at(start),
    )
