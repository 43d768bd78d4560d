"""Fitting a scored rule's cue weights to labelled corpora (a maintainer's tool; needs scikit-learn).

Each sentence of a labelled document is one example: a sentence holding an evidence quote of the
rule's category is positive, every sentence of a document without the category is negative, and
the other sentences of a positive document are left out (a reviewer quoted only up to three).
The cues kept are those that generalise: seen in documents from several sources (web sites), and
never a word mostly written with a capital inside a sentence (a name). The threshold is the
lowest at which documents held out of the fit, five folds of web sites in turn, are flagged with the precision
asked for.

    python -m purdah_lint.run.fitting rules/core/consultation-cues.yml tests/corpus/real ../shared/corpus --split tune
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from ..inputs.formats import read_document
from ..inputs.languages import assign_languages
from ..model import Document, PurdahError
from ..ruleset.matching.cues import cue_words
from ..ruleset.packs import build_rule, pack_vocabularies
from ..ruleset.rulefile import read_rule_spec
from ..ruleset.ruletypes.base import PageContext, Rule, SegmentContext
from .evaluate import load_labels

FOLDS = 5
FITTED_KEYS = ("threshold:", "flagged_page_threshold:", "cues:")  # the keys the fit writes, last in the rule file
# Of the sentences a lower threshold adds on a page already flagged, the share a reviewer quoted
# (held out): reviewers quote at most three sentences a category, so unquoted ones are often right too.
# 0.4 rather than 0.5: on 200 pages no rule was written from, it pointed at 14 more of 272 quotes
# for 16% more findings; 0.3 pointed at 25 more for 56% more findings (docs/quality.rst).
FLAGGED_PRECISION = 0.4


class Example:
    """One sentence: its cues, its label (1, 0, or None: not used to fit) and the document and source it comes from."""

    __slots__ = ("cues", "label", "document", "source")

    def __init__(self, cues: set[str], label: int, document: str, source: str):
        self.cues = cues
        self.label = label
        self.document = document
        self.source = source


# Read once per process: each fit reads every labelled document of the corpora, and a test run or a
# maintainer's session fits several rules on the same ones. A file is read again when it changes.
_LABELS: dict[tuple[str, int, int], list[dict]] = {}
_DOCUMENTS: dict[tuple[str, int, int], Document] = {}


def _read_once(store: dict, path: str, read):
    """``read()``, kept in ``store`` for the rest of the process under the file's real path, modification time and size."""
    stat = os.stat(path)
    key = (os.path.realpath(path), stat.st_mtime_ns, stat.st_size)
    if key not in store:
        store[key] = read()
    return store[key]


def _labelled(corpus: Path) -> list[dict]:
    """The corpus's labelled documents (read once per process)."""
    return _read_once(_LABELS, str(corpus / "labels.yaml"), lambda: load_labels(corpus))


def _document(path: str) -> Document:
    """The document at ``path``, its blocks' languages assigned (read once per process)."""
    def read() -> Document:
        document = read_document(path)
        assign_languages(document)
        return document

    return _read_once(_DOCUMENTS, path, read)


def _quote_in(sentence: str, quotes: list[str]) -> bool:
    """Whether the sentence holds an evidence quote, or lies inside one (white space aside)."""
    flat = " ".join(sentence.split())
    return any(quote in flat or (len(flat) >= 20 and flat in quote) for quote in quotes)


def examples(corpora: list[Path], category: str, split: str | None,
             rule: Rule | None = None) -> tuple[list[Example], dict[str, bool], set[str], dict[str, str]]:
    """The sentences of every English document in ``corpora`` (of ``split``), each document's label, capitalised words, and each document's site.

    Sentences and their cues are those ``rule`` scores when it lints (SegmentContext.cues); a sentence
    its ``requires`` leaves out is no example, as the rule never scores it.
    """
    found: list[Example] = []
    documents: dict[str, bool] = {}
    sites: dict[str, str] = {}  # document -> its source, also for a document with no example
    capitals: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # word -> [inside a sentence, capitalised there]
    for corpus in corpora:
        for entry in _labelled(corpus):
            if split is not None and entry.get("split", split) != split:
                continue  # a document of another split; a corpus without splits is used whole
            path = str(corpus / entry["file"])
            labelled = category in (entry.get("categories") or [])
            quotes = [" ".join(quote.split()) for quote in (entry.get("evidence") or {}).get(category, [])]
            source = urlsplit(entry["url"]).hostname if entry.get("url") else str(corpus)
            document = _document(path)
            documents[path] = labelled
            sites[path] = source
            page = PageContext(document.segments)
            for segment in document.segments:
                if (segment.language or "en") != "en":
                    continue
                context = SegmentContext(segment, page=page)
                for start, end, cues in context.cues:
                    sentence = segment.text[start:end]
                    _count_capitals(sentence, capitals)
                    label = (1 if _quote_in(sentence, quotes) else None) if labelled else 0
                    if rule is None or rule.has_required(context, start):
                        found.append(Example(cues, label, path, source))
    names = {word for word, (inside, capitalised) in capitals.items() if capitalised * 2 > inside}
    return found, documents, names, sites


def _count_capitals(sentence: str, capitals: dict[str, list[int]]) -> None:
    words = sentence.split()[1:]  # a sentence's first word is capitalised whatever it is
    for word in words:
        for cue in cue_words(word):
            counts = capitals[cue]
            counts[0] += 1
            counts[1] += word[:1].isupper()


def candidate_cues(found: list[Example], names: set[str], min_sources: int) -> list[str]:
    """Cues seen in documents from at least ``min_sources`` sources, with no word that is mostly a name."""
    sources: dict[str, set[str]] = defaultdict(set)
    for example in found:
        for cue in example.cues:
            sources[cue].add(example.source)
    return sorted(cue for cue, seen in sources.items()
                  if len(seen) >= min_sources and not names.intersection(cue.split()))


def _fit(found: list[Example], cues: list[str], strength: float, max_cues: int) -> tuple[dict[str, float], float]:
    """Logistic regression weights of the ``max_cues`` strongest cues, and the intercept."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    known = set(cues)
    found = [example for example in found if example.label is not None]
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([{cue: 1 for cue in example.cues & known} for example in found])
    model = LogisticRegression(C=strength, class_weight="balanced", max_iter=5000)
    model.fit(matrix, [example.label for example in found])
    weights = dict(zip(vectoriser.get_feature_names_out(), model.coef_[0]))
    strongest = sorted(weights, key=lambda cue: (-abs(weights[cue]), cue))[:max_cues]
    return {cue: round(float(weights[cue]), 3) for cue in strongest if round(float(weights[cue]), 3)}, float(model.intercept_[0])


def _score(cues: set[str], weights: dict[str, float]) -> float:
    """A sentence's score: the summed weights of its cues."""
    return sum(weights.get(cue, 0.0) for cue in cues)


def _document_scores(found: list[Example], weights: dict[str, float]) -> dict[str, float]:
    """Each document's highest sentence score."""
    scores: dict[str, float] = {}
    for example in found:
        score = _score(example.cues, weights)
        scores[example.document] = max(score, scores.get(example.document, score))
    return scores


def held_out_scores(found: list[Example], documents: dict[str, bool], sites: dict[str, str], cues: list[str],
                    strength: float, max_cues: int) -> tuple[list[tuple[float, bool]], list[tuple[float, bool]]]:
    """Scores above the fold's intercept from fits each example was left out of (five folds of sites).

    Returns ``(score, labelled)`` of every document (its best sentence), and ``(score, quoted)`` of
    every sentence of a labelled document: what a lower threshold on a flagged page would add.
    """
    ordered = sorted(documents)
    fold_of = _folds_by_site(ordered, sites)
    held_out, sentences = [], []
    for fold in range(FOLDS):
        training = [example for example in found if fold_of[example.document] != fold]
        weights, intercept = _fit(training, cues, strength, max_cues)
        testing = [example for example in found if fold_of[example.document] == fold]
        scores = _document_scores(testing, weights)
        held_out.extend((scores.get(document, float("-inf")) + intercept, documents[document])
                        for document in ordered if fold_of[document] == fold)
        sentences.extend((_score(example.cues, weights) + intercept, example.label == 1)
                         for example in testing if documents[example.document])
    return held_out, sentences


def _folds_by_site(documents: list[str], sites: dict[str, str]) -> dict[str, int]:
    """Each document's fold, all pages of one site (web host) in the same fold: a threshold is then chosen on sites the fit has not seen.

    Sites are dealt, largest first, to the fold with fewest documents so far, so folds stay about
    the same size although a few sites publish many pages. Folds follow sites, never file paths, so
    a corpus named by a relative or an absolute path is folded alike.
    """
    pages: dict[str, list[str]] = defaultdict(list)
    for document in documents:
        pages[sites[document]].append(document)
    sizes = [0] * FOLDS
    fold_of = {}
    for site in sorted(pages, key=lambda site: (-len(pages[site]), site)):
        fold = sizes.index(min(sizes))
        sizes[fold] += len(pages[site])
        fold_of.update((document, fold) for document in pages[site])
    return fold_of


def lowest_threshold(held_out: list[tuple[float, bool]], precision: float) -> tuple[float, float, float]:
    """The lowest score at which held-out items (documents or sentences) are flagged with at least ``precision``, with the precision and recall there."""
    positives = sum(labelled for _, labelled in held_out)
    ranked = sorted(held_out, key=lambda pair: -pair[0])
    best = None
    flagged = hits = 0
    for number, (score, labelled) in enumerate(ranked):
        flagged += 1
        hits += labelled
        last_of_tie = number + 1 == len(ranked) or ranked[number + 1][0] < score
        if last_of_tie and hits / flagged >= precision and score > float("-inf"):
            best = (score, hits / flagged, hits / positives if positives else 0.0)
    if best is None:
        raise PurdahError(f"no threshold reaches precision {precision} on held-out documents; lower --precision")
    return best


def fit_rule(rule_file: Path, corpora: list[Path], split: str | None = None, precision: float = 0.8,
             max_cues: int = 1000, min_sources: int = 3, strength: float = 1.0,
             flagged_precision: float | None = FLAGGED_PRECISION) -> str:
    """Fit the scored rule in ``rule_file`` to ``corpora`` and rewrite its threshold and cues; return a summary."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise PurdahError("fitting cue weights needs scikit-learn: pip install 'purdah-lint[fit]'") from None
    spec = read_rule_spec(rule_file, user_pack=False, vocabularies=pack_vocabularies([rule_file.parent])[rule_file.parent])
    if spec["type"] != "scored":
        raise PurdahError(f"{rule_file}: 'extends' is {spec['type']!r}; only scored rules have cue weights to fit")
    found, documents, names, sites = examples(corpora, spec["category"], split, build_rule(spec))
    if not any(example.label == 1 for example in found):
        raise PurdahError(f"no evidence quote for {spec['category']!r} in the corpora{f' (split {split})' if split else ''}")
    cues = candidate_cues(found, names, min_sources)
    held_out, sentences = held_out_scores(found, documents, sites, cues, strength, max_cues)
    score, held_precision, held_recall = lowest_threshold(held_out, precision)
    weights, intercept = _fit(found, cues, strength, max_cues)
    threshold = round(score - intercept, 3)
    if threshold < 0:
        raise PurdahError(f"the fitted threshold is below 0 ({threshold}); raise --precision")
    fitted = build_rule({**spec, "options": {**spec["options"], "threshold": threshold, "cues": weights,
                                             "flagged_page_threshold": None}})
    unflagged = [example for example in spec["examples"]["fail"] if not _flags(fitted, example)]
    if unflagged:
        # Written anyway, the rule would fail its own examples' tests: nothing is rewritten.
        raise PurdahError(f"{rule_file}: the fitted threshold {threshold} leaves the fail example {unflagged[0]!r} "
                          "unflagged; lower --precision, or give the rule an example of what it should flag")
    lower, added = _flagged_page_threshold([pair for pair in sentences if pair[0] < score], flagged_precision, intercept)
    _rewrite(rule_file, threshold, weights, lower)
    return (f"{rule_file}: {len(weights)} cues from {sum(example.label is not None for example in found)} sentences in {len(documents)} documents; "
            f"threshold {threshold}; held-out documents: precision {held_precision:.2f}, recall {held_recall:.2f}; "
            + (f"on a flagged page {lower} (held out, {added})" if lower is not None else "no lower threshold on a flagged page"))


def _flags(rule: Rule, example: str) -> bool:
    """Whether ``rule`` flags the text ``example``, read as a plain-text draft (as its example tests read it)."""
    from ..inputs.readers import text as text_reader
    from .engine import lint_segments

    return any(lint_segments(text_reader.parse(example, "example.txt").segments, [rule], prefilter=False))


def _flagged_page_threshold(below: list[tuple[float, bool]], precision: float | None,
                            intercept: float) -> tuple[float | None, str]:
    """The lowest score at which sentences of labelled documents below the threshold are quoted with ``precision``, and what it adds."""
    if precision is None or not any(quoted for _, quoted in below):
        return None, ""
    try:
        score, share, reach = lowest_threshold(below, precision)
    except PurdahError:
        return None, ""
    lower = round(score - intercept, 3)
    return (max(lower, 0.0), f"{share:.2f} of the sentences it adds are quoted; it reaches {reach:.2f} of the quotes below the threshold")


def _rewrite(rule_file: Path, threshold: float, weights: dict[str, float], lower: float | None = None) -> None:
    """Replace the rule file's fitted keys (its last lines) and keep everything above them as written."""
    lines = rule_file.read_text(encoding="utf-8").splitlines()
    kept = next((lines[:number] for number, line in enumerate(lines) if line.startswith(FITTED_KEYS)), lines)
    ordered = sorted(weights, key=lambda cue: (-weights[cue], cue))
    # JSON strings are YAML strings too: a cue such as "no" or "0" stays a string, not a boolean or number.
    fitted = [f"threshold: {threshold}", *([f"flagged_page_threshold: {lower}"] if lower is not None else []),
              "cues:", *(f"  {json.dumps(cue)}: {weights[cue]}" for cue in ordered)]
    rule_file.write_text("\n".join([*kept, *fitted]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: fit one scored rule file's cue weights."""
    parser = argparse.ArgumentParser(prog="python -m purdah_lint.run.fitting", description=__doc__.split("\n\n")[0])
    parser.add_argument("rule_file", type=Path, help="a rule file with 'extends: scored'; its threshold and cues are rewritten")
    parser.add_argument("corpora", type=Path, nargs="+", help="labelled corpus folders (each with labels.yaml)")
    parser.add_argument("--split", help="leave out documents of other splits (e.g. --split tune leaves out check); "
                                         "documents with no split are used")
    parser.add_argument("--precision", type=float, default=0.8, help="precision on held-out documents the threshold keeps (default 0.8)")
    parser.add_argument("--max-cues", type=int, default=1000, help="strongest cues kept (default 1000)")
    parser.add_argument("--min-sources", type=int, default=3, help="sources (web sites) a cue must be seen on (default 3)")
    parser.add_argument("--strength", type=float, default=1.0, help="inverse regularisation of the fit (default 1.0)")
    parser.add_argument("--flagged-precision", type=float, default=FLAGGED_PRECISION,
                        help="share of quoted sentences, held out, that the lower threshold on a page already flagged "
                             f"for the category keeps (default {FLAGGED_PRECISION}); 0 writes no lower threshold")
    args = parser.parse_args(argv)
    try:
        print(fit_rule(args.rule_file, args.corpora, args.split, args.precision, args.max_cues, args.min_sources,
                       args.strength, args.flagged_precision or None))
    except PurdahError as exc:
        print(f"purdah-lint: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
