"""The real corpus is what its README says: labelled, evidenced, split by URL before any scoring."""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter

import pytest
import yaml

from conftest import ROOT

REAL = ROOT / "tests" / "corpus" / "real"
CATEGORIES = {"policy-announcement", "procurement", "consultation", "campaign", "politician", "logo-use", "resources"}
SOURCE_TYPES = {"council", "nhs", "icb", "police-pcc", "fire", "combined-authority", "uk-government",
                "welsh-government", "scottish-government", "other-public-body"}


@pytest.fixture(scope="module")
def documents():
    return yaml.safe_load((REAL / "labels.yaml").read_text(encoding="utf-8"))["documents"]


def test_split_is_fixed_by_the_url(documents):
    for entry in documents:
        number = int(hashlib.sha256(entry["url"].encode("utf-8")).hexdigest()[:8], 16) % 100
        assert entry["split"] == ("check" if number < 35 else "tune"), entry["file"]
    share = sum(entry["split"] == "check" for entry in documents) / len(documents)
    assert share >= 0.30


def test_every_document_is_labelled_with_its_source_and_evidence(documents):
    files = {path.relative_to(REAL).as_posix() for path in (REAL / "docs").rglob("*") if path.is_file()}
    assert files == {entry["file"] for entry in documents}, "every file is labelled, every label has its file"
    urls = Counter(entry["url"] for entry in documents)
    assert max(urls.values()) == 1, urls.most_common(3)
    for entry in documents:
        assert entry["url"].startswith(("http://", "https://")) and entry["source_type"] in SOURCE_TYPES, entry
        assert set(entry["categories"]) <= CATEGORIES, entry["file"]
        text = " ".join((REAL / entry["file"]).read_text(encoding="utf-8").split())
        assert set(entry["evidence"]) == set(entry["categories"]), entry["file"]
        for quotes in entry["evidence"].values():
            assert 1 <= len(quotes) <= 3
            for quote in quotes:
                assert " ".join(quote.split()) in text, (entry["file"], quote)
        assert not (entry["hard_negative"] and entry["categories"]), entry["file"]


def test_negatives_are_a_large_share_and_mostly_hard(documents):
    negatives = [entry for entry in documents if not entry["categories"]]
    assert len(negatives) >= 0.40 * len(documents)
    assert sum(entry["hard_negative"] for entry in negatives) > len(negatives) / 2


def test_documents_are_plain_text_as_found(documents):
    for entry in documents:
        raw = (REAL / entry["file"]).read_bytes()
        raw.decode("utf-8")  # stored exactly as the page text was given: UTF-8, never re-encoded by hand
        assert re.search(rb"\w", raw), entry["file"]


@functools.cache
def evaluated(split: str):
    """The real corpus scored on one split, once per test session."""
    from purdah_lint.run.evaluate import evaluate

    return evaluate(REAL, split=split)


@pytest.fixture(scope="module", params=["tune", "check"])
def split_evaluation(request):
    return request.param, evaluated(request.param)


def test_only_rules_precise_on_real_writing_report_errors(split_evaluation):
    """Issue 16: a rule may be an error only where it is at least 0.95 precise on both splits."""
    from purdah_lint.model import Severity
    from purdah_lint.ruleset.packs import load_packs

    split, evaluation = split_evaluation
    assert len(evaluation.by_rule) >= 10  # the per-rule counts cover the pack's main rules
    assert all(score.documents == score.true_positives + score.false_positives for score in evaluation.by_rule.values())
    errors = [rule.code for rule in load_packs() if rule.level >= Severity.ERROR]
    for code in errors:
        score = evaluation.by_rule.get(code)
        if split == "tune":  # an error needs evidence: real documents it flagged, not only silence
            assert score is not None and score.documents >= 3, f"{code} is an error but flags too few real documents"
        if score is not None:
            assert score.precision >= 0.95, f"{code} is an error but {score.precision:.2f} precise on {split}"


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 16's targets on the untuned check split are not met yet "
                   "(figures in docs/quality.rst); this fails once they are, so the mark comes off")
def test_check_split_meets_the_issue_targets():
    """Issue 16, on the split never tuned on: P and R >= 0.85 per category with 10 positives, micro F1 >= 0.88,
    evidence >= 0.80, hard negatives >= 90% clean."""
    evaluation = evaluated("check")
    weak = {category: (round(score.precision, 2), round(score.recall, 2))
            for category, score in evaluation.scores.items()
            if score.true_positives + score.false_negatives >= 10 and min(score.precision, score.recall) < 0.85}
    assert not weak
    assert evaluation.micro.f1 >= 0.88
    assert evaluation.evidence_rate >= 0.80
    assert evaluation.hard_negative_rate >= 0.90


def test_eval_prints_each_rules_precision():
    from conftest import run_cli

    result = run_cli("eval", REAL, "--split", "tune", "--by-rule")
    assert result.code == 0, result.stderr
    table = result.stdout.split("\nrule ", 1)[1].splitlines()
    assert table[0].split() == ["level", "flagged", "precision", "tp", "fp"]
    rows = [line.split() for line in table[1:]]
    assert len(rows) >= 10 and all(re.fullmatch(r"[A-Z]+\d+", row[0]) and 0 <= float(row[3]) <= 1 for row in rows)
