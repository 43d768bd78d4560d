"""What the HTML report shows, worked out in Python so the template only lays it out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...model import Finding, Severity
from ...ruleset.codes import CATEGORIES
from ...run.checker import FileResult
from ...run.report import Report
from ..text import AS_OF_SOURCES, short_date
from .marks import line_spans, pieces
from .sources import lines_to_show, shown_text
from .waiver_text import WaiverText, waiver_texts

if TYPE_CHECKING:
    from .audit import AuditFacts, PageFacts

FORMAT_NAMES = {"markdown": "Markdown", "rst": "reStructuredText", "text": "plain text", "html": "HTML",
                "docx": "Word", "waivers": "central waiver file"}


def as_of_source_text(source: str | None) -> str:
    """Where an as-of date came from, in words."""
    if source and source.startswith("document:"):
        return f"the document's own '{source.split(':', 1)[1]}'"
    return AS_OF_SOURCES.get(source, source or "not known")


@dataclass(frozen=True)
class RuleInfo:
    """Why a finding matters, who signs it off and the waivers to copy: shared by many findings."""

    category: str
    windows: str
    guidance: str
    signoff: str
    waivers: tuple[WaiverText, ...]


class RuleInfos:
    """Each distinct :class:`RuleInfo`, written once in the report and numbered."""

    def __init__(self) -> None:
        self.blocks: list[RuleInfo] = []
        self._numbers: dict[RuleInfo, int] = {}

    def number(self, info: RuleInfo) -> int:
        """The number of ``info``, adding it when new."""
        if info not in self._numbers:
            self._numbers[info] = len(self.blocks)
            self.blocks.append(info)
        return self._numbers[info]


@dataclass
class FindingView:
    """One finding with everything a reviewer needs beside the passage."""

    id: str
    number: int
    finding: Finding
    where: str
    info: int  # which shared RuleInfo holds its guidance, sign-off and waivers
    since: str | None = None  # audits with --since: new, or still present since the previous audit

    @property
    def state(self) -> str:
        """``waived`` or ``open``."""
        return "waived" if self.finding.waived is not None else "open"


@dataclass
class PieceView:
    """A stretch of a line, marked when a finding covers it."""

    text: str
    severity: str | None  # the most serious open finding covering it, or "waived", or None
    starts: list[FindingView]


@dataclass
class LineView:
    """A line of the document (Word: a text block) with the findings that end on it."""

    number: int
    label: str
    pieces: list[PieceView]
    cards: list[FindingView]
    gap_before: bool


@dataclass
class DocumentSummary:
    """A row of the documents table."""

    index: int
    result: FileResult
    open: int
    waived: int
    top_severity: Severity | None
    categories: list[str]
    tokens: str  # state:category:severity for each kind of finding, for filtering

    @property
    def format_name(self) -> str:
        """The document's format, in words."""
        return FORMAT_NAMES.get(self.result.format, self.result.format or "unknown")


@dataclass
class DocumentView:
    """A document's findings and its text, marked."""

    summary: DocumentSummary
    findings: list[FindingView]
    lines: list[LineView] | None
    note: str | None
    as_of: str
    windows: str
    page: PageFacts | None = None  # audits: the URL's state, owner and content kind


@dataclass
class Totals:
    """Counts of open and waived findings by one property."""

    title: str
    heading: str
    rows: list[tuple[str, int, int]] = field(default_factory=list)


def summarise(index: int, result) -> DocumentSummary:
    """The documents-table row of one result."""
    findings = result.findings
    open_findings = [f for f in findings if f.waived is None]
    tokens = sorted({f"{'waived' if f.waived else 'open'}:{f.category}:{f.severity.label}" for f in findings})
    return DocumentSummary(index, result, len(open_findings), len(findings) - len(open_findings),
                           max((f.severity for f in open_findings), default=None),
                           sorted({f.category for f in findings}, key=category_order), " ".join(tokens))


def category_order(category: str) -> tuple[int, str]:
    """Categories in code order (meta, policy-announcement, procurement, …), then any others by name."""
    return (CATEGORIES.get(category, (99, ""))[0], category)


def _where(finding: Finding, document_format: str | None) -> str:
    if document_format == "docx":
        place = finding.location or f"text block {finding.line}"
        return f"{place}, character {finding.column} (text block {finding.line})"
    text = f"line {finding.line}, column {finding.column}"
    if finding.end_line != finding.line:
        text += f", to line {finding.end_line}"
    return f"{text} ({finding.location})" if finding.location else text


def _window_names(finding: Finding, windows: dict) -> str:
    names = []
    for window_id in finding.windows:
        window = windows.get(window_id)
        names.append(f"{window.name} ({window_id}, {window.describe_dates()})" if window else window_id)
    return "; ".join(names) or "none"


def document_view(summary: DocumentSummary, report: Report, windows: dict, infos: RuleInfos,
                  audit: AuditFacts | None = None) -> DocumentView:
    """The full view of one document: findings, and its text with each passage marked."""
    result = summary.result
    page = audit.page(result.path) if audit is not None else None
    findings = []
    for number, finding in enumerate(result.findings, 1):
        window = windows.get(finding.window) if finding.window else None
        expires = window.end if window is not None and window.end is not None else None
        waivers = () if finding.waived else tuple(waiver_texts(finding, result.format, expires))
        info = infos.number(RuleInfo(finding.category, _window_names(finding, windows), finding.guidance,
                                     finding.signoff, waivers))
        findings.append(FindingView(f"d{summary.index}f{number}", number, finding, _where(finding, result.format),
                                    info, audit.since_of(finding) if audit is not None else None))
    lines, note = None, None
    if result.error:
        note = f"This file could not be checked: {result.error}"
    elif page is not None and page.link:
        note = "An audit does not keep the pages it fetched, so each finding quotes its passage instead."
    else:
        shown, note = shown_text(result, report.root)
        if shown is not None:
            lines = _lines(shown, findings)
            if not shown.whole:
                note = "This document is large, so only the lines around each finding are shown."
    as_of = (f"{short_date(result.as_of)} ({as_of_source_text(result.as_of_source)})" if result.as_of else "not set")
    window_text = ", ".join(f"{w.id} ({w.describe_dates()})" for w in result.windows) or "none"
    if result.lead_in:
        window_text += "; in the lead-in before it, so findings are suggestions"
    return DocumentView(summary, findings, lines, note, as_of, window_text, page)


def _lines(shown, findings: list[FindingView]) -> list[LineView]:
    covered = {number for view in findings
               for number in range(view.finding.line, max(view.finding.line, view.finding.end_line) + 1)}
    cards_by_line: dict[int, list[FindingView]] = {}
    last_line = len(shown.lines)
    for view in findings:
        end = min(max(view.finding.line, view.finding.end_line), last_line)
        cards_by_line.setdefault(max(end, 1), []).append(view)
    plain = [view.finding for view in findings]
    lines, previous = [], 0
    for number in sorted(set(lines_to_show(shown, covered)) | set(cards_by_line)):
        text = shown.lines[number - 1] if number <= last_line else ""
        cut = pieces(text, line_spans(plain, number, len(text)))
        lines.append(LineView(number, shown.labels[number - 1] if number <= last_line and shown.labels[number - 1]
                              else str(number),
                              [PieceView(p.text, _mark(p.covered_by, plain), [findings[i] for i in p.starts])
                               for p in cut],
                              cards_by_line.get(number, []), gap_before=number != previous + 1))
        previous = number
    return lines


def _mark(covering: tuple[int, ...], findings: list[Finding]) -> str | None:
    if not covering:
        return None
    open_severities = [findings[i].severity for i in covering if findings[i].waived is None]
    return max(open_severities).label if open_severities else "waived"


def totals_by(title: str, heading: str, findings: list[Finding], key, order=str) -> Totals:
    """Open and waived counts of ``findings`` by ``key(finding)``."""
    open_counts = Counter(key(f) for f in findings if f.waived is None)
    waived_counts = Counter(key(f) for f in findings if f.waived is not None)
    return Totals(title, heading, [(name, open_counts[name], waived_counts[name])
                                   for name in sorted(set(open_counts) | set(waived_counts), key=order)])


def totals(report: Report) -> list[Totals]:
    """Open and waived counts by category, severity, window and who signs off."""
    findings = report.findings
    return [totals_by("By category", "Category", findings, lambda f: f.category, category_order),
            totals_by("By severity", "Severity", findings, lambda f: f.severity.label,
                      lambda label: -Severity.parse(label)),
            totals_by("By election window", "Window", findings, lambda f: ", ".join(f.windows) or "no window"),
            totals_by("By who signs off", "Signed off by", findings, lambda f: f.signoff)]


def shown_windows(report: Report) -> list:
    """The windows the overview draws: those applied, else those near the as-of date."""
    if report.windows:
        return report.windows
    near = [w for w in report.considered if w.status(report.as_of, report.lead_in_days) in ("active", "lead-in")]
    if near:
        return near
    coming = sorted((w for w in report.considered if w.start and w.start > report.as_of), key=lambda w: w.start)
    return coming[:1]

