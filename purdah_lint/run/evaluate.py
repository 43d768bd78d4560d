"""Detection quality: precision, recall and F1 per category on a labelled corpus, and false
positives per 100,000 words on a negative corpus of prose from outside the domain.

Content detection is measured apart from dates: every document is checked as if inside a
pre-election period, and documents labelled with a PCC election also inside that election's
window, where the policing-topic rules run. Only warning and error findings count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..inputs.formats import read_document
from ..model import PurdahError, Severity
from .config import Config
from .pool import check_paths
from .preparation import Options, prepare
from .report import as_of_for

CONTENT_CATEGORIES = ("policy-announcement", "procurement", "consultation", "campaign", "politician", "logo-use",
                      "resources")
TOPIC_CATEGORY = "policing-topic"


def _share(part: int, whole: int) -> float:
    """``part`` of ``whole``, or 1.0 when there is nothing to measure."""
    return part / whole if whole else 1.0


@dataclass
class Score:
    """Counts for one category."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    documents: int = 0
    evidence: int = 0  # evidence quotes of the category
    evidence_hit: int = 0  # of them, those a finding of the category points at

    @property
    def evidence_rate(self) -> float:
        return _share(self.evidence_hit, self.evidence)

    @property
    def precision(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _share(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Evaluation:
    """The scores of one run over a corpus (or one split of it)."""

    scores: dict[str, Score] = field(default_factory=dict)
    documents: int = 0
    hard_negatives: int = 0
    hard_negatives_clean: int = 0
    misses: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # "file: problem" of documents left out of every score
    # Per rule code: documents it flagged (true positive where the document has the rule's category),
    # and the highest level it reported at.
    by_rule: dict[str, Score] = field(default_factory=dict)
    rule_levels: dict[str, Severity] = field(default_factory=dict)

    @property
    def hard_negative_rate(self) -> float:
        return _share(self.hard_negatives_clean, self.hard_negatives)

    @property
    def evidence(self) -> int:
        return sum(score.evidence for score in self.scores.values())

    @property
    def evidence_hit(self) -> int:
        return sum(score.evidence_hit for score in self.scores.values())

    @property
    def evidence_rate(self) -> float:
        return _share(self.evidence_hit, self.evidence)

    @property
    def micro(self) -> Score:
        """The content categories' counts added up (micro-averaged precision, recall and F1)."""
        content = [self.scores[category] for category in CONTENT_CATEGORIES]
        return Score(**{count.name: sum(getattr(score, count.name) for score in content) for count in fields(Score)})


@dataclass
class NegativeEvaluation:
    """Findings on a negative corpus, where every finding is a false positive."""

    documents: int = 0
    words: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    errors: int = 0  # findings at error level
    findings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # "file: problem" of drafts left out of the count

    @property
    def total(self) -> int:
        return sum(self.by_code.values())

    @property
    def per_100k_words(self) -> float:
        return self.total * 100_000 / self.words if self.words else 0.0


def load_labels(corpus: Path) -> list[dict]:
    """The documents of ``corpus``'s ``labels.yaml`` (schema purdah-corpus/1), each checked."""
    import yaml

    from ..safety import yaml_loader
    from ..structured import parse_file, yaml_problem

    path = corpus / "labels.yaml"
    data = parse_file(str(path), "labels", yaml_loader.load, yaml.YAMLError,
                      lambda exc: yaml_problem(exc, "invalid YAML in labels"))
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise PurdahError(f"{path}: expected 'documents:', a list (schema purdah-corpus/1)")
    for number, entry in enumerate(data["documents"], 1):
        problem = _label_problem(entry)
        if problem:
            raise PurdahError(f"{path}: documents entry {number} {problem} (schema purdah-corpus/1)")
    return data["documents"]


def _label_problem(entry) -> str | None:
    """What is wrong with one labelled document, or None."""
    if not isinstance(entry, dict):
        return "is not a mapping"
    if not isinstance(entry.get("file"), str) or not entry["file"].strip():
        return "needs 'file', the draft's path inside the corpus"
    if not isinstance(entry.get("categories") or [], list) or not all(
            isinstance(item, str) for item in entry.get("categories") or []):
        return "has 'categories' that is not a list of category names"
    evidence = entry.get("evidence") or {}
    if not isinstance(evidence, dict) or not all(
            isinstance(quotes, list) and all(isinstance(quote, str) for quote in quotes) for quotes in evidence.values()):
        return "has 'evidence' that is not a mapping of categories to lists of quotes"
    if entry.get("election") is not None and not isinstance(entry["election"], str):
        return "has 'election' that is not an election id"
    return None


def _serious(findings) -> list:
    return [f for f in findings if f.severity >= Severity.WARNING and f.waived is None and f.category != "meta"]


def splits(corpus: Path) -> list[str]:
    """The split names used in ``corpus``'s labels (``tune``, ``check``, ...), in first-seen order."""
    return list(dict.fromkeys(str(entry["split"]) for entry in load_labels(corpus) if entry.get("split")))


def languages(corpus: Path) -> list[str]:
    """The ``language`` values of a bilingual corpus's labels (``en``, ``cy``), in first-seen order."""
    return list(dict.fromkeys(str(entry["language"]) for entry in load_labels(corpus) if entry.get("language")))


def evaluate(corpus: Path, jobs: int | None = None, split: str | None = None,
             language: str | None = None) -> Evaluation:
    """Score the linter on ``corpus`` (a folder with ``labels.yaml``), or on one ``split`` or ``language`` of it.

    Each document is checked with its blocks' languages detected, as a writer's run would; a label's
    ``language`` only chooses which documents are scored together.
    """
    labels = load_labels(corpus)
    if split is not None:
        labels = [entry for entry in labels if entry.get("split") == split]
        if not labels:
            raise PurdahError(f"{corpus / 'labels.yaml'}: no document has split {split!r}")
    if language is not None:
        labels = [entry for entry in labels if entry.get("language") == language]
    paths = [(str(corpus / entry["file"]), None) for entry in labels]
    today, source = as_of_for(None, "", Config())
    general = prepare(Config(), Options(as_of=today, as_of_source=source, in_window=True))
    content = {result.path: result for result in check_paths(paths, general.settings, jobs)}
    pcc_entries = [entry for entry in labels if str(entry.get("election") or "").startswith("pcc.")]
    topic: dict[str, object] = {}
    for election in sorted({entry["election"] for entry in pcc_entries}):
        prepared = prepare(Config(), Options(as_of=today, as_of_source=source, window=election))
        chosen = [(str(corpus / e["file"]), None) for e in pcc_entries if e["election"] == election]
        topic.update({result.path: result for result in check_paths(chosen, prepared.settings, jobs)})
    evaluation = Evaluation({category: Score() for category in (*CONTENT_CATEGORIES, TOPIC_CATEGORY)},
                            documents=len(labels))
    for entry in labels:
        path = str(corpus / entry["file"])
        result = content[path]
        error = result.error or (topic[path].error if path in topic else None)
        if error:
            # One unreadable document is reported, not fatal: the rest of the corpus is still scored.
            evaluation.unreadable.append(f"{entry['file']}: {error}")
            evaluation.documents -= 1
            continue
        labelled = set(entry.get("categories") or [])
        found = _serious(result.findings) + (_serious(topic[path].findings) if path in topic else [])
        by_category = defaultdict(list)
        for finding in found:
            by_category[finding.category].append(finding)
        for category in CONTENT_CATEGORIES:
            _count(evaluation.scores[category], category in labelled, category in by_category, entry, evaluation)
        _count_rules(evaluation, found, labelled)
        if path in topic:
            _count(evaluation.scores[TOPIC_CATEGORY], TOPIC_CATEGORY in labelled, TOPIC_CATEGORY in by_category,
                   entry, evaluation)
        if entry.get("hard_negative"):
            evaluation.hard_negatives += 1
            evaluation.hard_negatives_clean += not _serious(result.findings)
        _evidence(path, entry, by_category, evaluation, scored_topic=path in topic)
    return evaluation


def _count(score: Score, labelled: bool, found: bool, entry: dict, evaluation: Evaluation) -> None:
    score.documents += 1
    if labelled and found:
        score.true_positives += 1
    elif found:
        score.false_positives += 1
    elif labelled:
        score.false_negatives += 1


def _count_rules(evaluation: Evaluation, found: list, labelled: set[str]) -> None:
    for finding in found:
        evaluation.rule_levels[finding.code] = max(evaluation.rule_levels.get(finding.code, finding.severity),
                                                   finding.severity)
    for code, category in {(finding.code, finding.category) for finding in found}:
        score = evaluation.by_rule.setdefault(code, Score())
        score.documents += 1
        if category in labelled:
            score.true_positives += 1
        else:
            score.false_positives += 1


def _evidence(path: str, entry: dict, by_category, evaluation: Evaluation, scored_topic: bool) -> None:
    evidence = {category: quotes for category, quotes in (entry.get("evidence") or {}).items()
                if category != TOPIC_CATEGORY or scored_topic}  # topic rules run only in their windows
    if not evidence:
        return
    spans = _quote_spans(path, [quote for quotes in evidence.values() for quote in quotes])
    for category, quotes in evidence.items():
        score = evaluation.scores[category]
        for quote in quotes:
            score.evidence += 1
            hit = any(f.line <= last and f.end_line >= first
                      for first, last in spans.get(quote, ()) for f in by_category[category])
            score.evidence_hit += hit
            if not hit:
                evaluation.misses.append(f"{entry['file']}: [{category}] {quote!r}")


def _quote_spans(path: str, quotes: list[str]) -> dict[str, list[tuple[int, int]]]:
    """The line spans of each quote in the document, found in its prose as the linter reads it.

    A quote lies in one block (one span), or, when a reviewer's mark runs over a blank line, in
    consecutive blocks: then each block's part is a span of its own, and a finding on any part
    sits on the quote.
    """
    segments = read_document(path).segments
    joined, starts = None, []
    spans = {}
    for quote in quotes:
        pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
        for segment in segments:
            match = pattern.search(segment.text)
            if match:
                spans[quote] = [_line_span(segment, match.start(), match.end())]
                break
        else:
            if joined is None:
                joined, starts = _joined(segments)
            match = pattern.search(joined)
            if match:
                spans[quote] = _parts(match, starts)
    return spans


def _joined(segments) -> tuple[str, list]:
    """The blocks' prose run together with blank lines between, and where each block starts and ends in it."""
    starts, offset = [], 0
    for segment in segments:
        starts.append((segment, offset, offset + len(segment.text)))
        offset += len(segment.text) + 2
    return "\n\n".join(segment.text for segment in segments), starts


def _parts(match: re.Match, starts: list) -> list[tuple[int, int]]:
    """The line span of each block's part of a ``match`` in the joined prose (blocks it only grazes with spaces left out)."""
    parts = []
    for segment, start, end in starts:
        first, last = max(match.start(), start) - start, min(match.end(), end) - start
        if first < last and segment.text[first:last].strip():
            parts.append(_line_span(segment, first, last))
    return parts


def _line_span(segment, start: int, end: int) -> tuple[int, int]:
    """First and last source line of segment characters ``start`` to ``end``."""
    return segment.locate(start)[0], segment.locate(max(start, end - 1))[0]


def evaluate_negative(folder: Path, jobs: int | None = None) -> NegativeEvaluation:
    """Check every draft under ``folder`` as if in a pre-election period; every finding is a false positive."""
    from ..inputs.paths import collect_paths

    paths = collect_paths([str(folder)])
    today, source = as_of_for(None, "", Config())
    general = prepare(Config(), Options(as_of=today, as_of_source=source, in_window=True))
    negative = NegativeEvaluation()
    for result in check_paths(paths, general.settings, jobs):
        if result.error:
            negative.unreadable.append(f"{result.path}: {result.error}")
            continue
        negative.documents += 1
        negative.words += sum(len(segment.text.split()) for segment in read_document(result.path).segments)
        for finding in _serious(result.findings):
            negative.by_code[finding.code] = negative.by_code.get(finding.code, 0) + 1
            negative.errors += finding.severity >= Severity.ERROR
            negative.findings.append(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
                                     f"{finding.severity.label} {finding.match!r}")
    return negative


def render(evaluation: Evaluation, title: str | None = None) -> str:
    """The scores as a plain-text table, under ``title`` when given."""
    lines = [title] if title else []
    lines.append(f"{'category':22} {'docs':>5} {'precision':>9} {'recall':>7} {'F1':>5}  tp  fp  fn {'evidence':>8}")
    rows = [*evaluation.scores.items(), ("micro (content)", evaluation.micro)]
    for category, score in rows:
        evidence = f"{score.evidence_rate:8.2f}" if score.evidence else f"{'-':>8}"  # no quotes, no rate
        lines.append(f"{category:22} {score.documents:5} {score.precision:9.2f} {score.recall:7.2f} {score.f1:5.2f} "
                     f"{score.true_positives:3} {score.false_positives:3} {score.false_negatives:3} {evidence}")
    lines.append(f"hard negatives with no warning or error: {evaluation.hard_negatives_clean}/"
                 f"{evaluation.hard_negatives} ({evaluation.hard_negative_rate:.2f})")
    lines.append(f"evidence quotes pointed at by a finding of their category: {evaluation.evidence_hit}/"
                 f"{evaluation.evidence} ({evaluation.evidence_rate:.2f})")
    return "\n".join(lines) + "\n"


def render_by_rule(evaluation: Evaluation) -> str:
    """Each rule's precision: of the documents it flagged, the share labelled with its category."""
    lines = [f"{'rule':8} {'level':10} {'flagged':>7} {'precision':>9}  tp  fp"]
    for code, score in sorted(evaluation.by_rule.items()):
        lines.append(f"{code:8} {evaluation.rule_levels[code].label:10} {score.documents:7} {score.precision:9.2f} "
                     f"{score.true_positives:3} {score.false_positives:3}")
    return "\n".join(lines) + "\n"


def render_languages(by_language: dict[str, Evaluation]) -> str:
    """Micro-averaged precision and recall of each language's halves, side by side."""
    lines = [f"{'language':22} {'docs':>5} {'precision':>9} {'recall':>7} {'F1':>5}  tp  fp  fn"]
    for language, evaluation in by_language.items():
        score = evaluation.micro
        lines.append(f"{language:22} {evaluation.documents:5} {score.precision:9.2f} {score.recall:7.2f} "
                     f"{score.f1:5.2f} {score.true_positives:3} {score.false_positives:3} {score.false_negatives:3}")
    return "\n".join(lines) + "\n"


def render_negative(negative: NegativeEvaluation) -> str:
    """Findings on a negative corpus: the rate per 100,000 words and the codes that fired."""
    lines = [f"negative corpus: {negative.documents} documents, {negative.words} words",
             f"findings (warning or error): {negative.total} ({negative.per_100k_words:.2f} per 100k words), "
             f"{negative.errors} at error level"]
    lines += [f"  {code}: {count}" for code, count in sorted(negative.by_code.items())]
    return "\n".join(lines) + "\n"
