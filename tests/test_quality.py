"""Detection quality on the shared development corpus, held to the targets in CI."""

from __future__ import annotations


import pytest

from conftest import ROOT, run_cli
from purdah_lint.run.evaluate import CONTENT_CATEGORIES, TOPIC_CATEGORY, evaluate, evaluate_negative

PRECISION, RECALL = 0.90, 0.90  # issue 16: the development corpus stays at 0.90 and 0.90


@pytest.fixture(scope="module")
def evaluation(corpus):
    return evaluate(corpus)


@pytest.mark.parametrize("category", [*CONTENT_CATEGORIES, TOPIC_CATEGORY])
def test_category_meets_the_targets(evaluation, category):
    score = evaluation.scores[category]
    assert score.true_positives + score.false_negatives > 0, "the corpus has positives for every category"
    assert score.precision >= PRECISION, (category, score)
    assert score.recall >= RECALL, (category, score)


def test_policing_topic_is_scored_on_pcc_window_documents_only(evaluation):
    assert 0 < evaluation.scores[TOPIC_CATEGORY].documents < evaluation.scores["procurement"].documents


def test_hard_negatives_stay_clean(evaluation):
    assert evaluation.hard_negatives >= 50
    assert evaluation.hard_negative_rate >= 0.90


def test_findings_point_at_the_evidence(evaluation):
    assert evaluation.evidence > 200
    assert evaluation.evidence_rate >= 0.80


def test_eval_command_prints_the_table(corpus):
    result = run_cli("eval", corpus)
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["category", "docs", "precision", "recall", "F1"]
    assert any(line.startswith("policing-topic") for line in lines)
    assert "hard negatives with no warning or error:" in result.stdout


def test_consultation_paths_mark_documents_for_readability_advice(tmp_path):
    from purdah_lint.ruleset.packs import load_packs

    paragraph = next(r for r in load_packs() if r.code == "PE901").examples["fail"][0]
    (tmp_path / "consultations").mkdir()
    (tmp_path / "consultations" / "buses.md").write_text(paragraph + "\n", encoding="utf-8")
    (tmp_path / "news.md").write_text(paragraph + "\n", encoding="utf-8")
    (tmp_path / ".purdah-lint.toml").write_text('consultation_paths = ["consultations/*"]\n', encoding="utf-8")
    report = run_cli("check", "--in-window", "--format", "json", ".", cwd=tmp_path).json()
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("consultations/buses.md", "PE901")]
    assert report["findings"][0]["severity"] == "suggestion"


def test_prefilter_gives_identical_results_on_the_corpus(corpus):
    """Skipping rules on blocks without their anchors must never change a finding."""
    from purdah_lint.run.engine import Activation, lint_document
    from purdah_lint.ruleset.packs import load_packs
    from purdah_lint.inputs.formats import read_document
    from purdah_lint.elections.windows import IN_WINDOW

    rules = load_packs()
    activations = [Activation((IN_WINDOW,)), Activation((IN_WINDOW.replace(topics=("policing",)),))]
    compared = 0
    for path in sorted((corpus / "docs").rglob("*.*")):
        document = read_document(str(path))
        for activation in activations:
            fast = lint_document(document, rules, activation, prefilter=True)
            full = lint_document(document, rules, activation, prefilter=False)
            assert fast == full, path
            compared += len(full)
    assert compared > 300
    assert sum(rule.anchors is not None or rule.start_anchors is not None for rule in rules) >= 20  # most rules skip most blocks


def test_off_domain_prose_raises_almost_nothing():
    """Real technical documentation checked as if in a window: at most 0.5 findings per 100k words, none an error."""
    negative = evaluate_negative(ROOT / "tests" / "corpus" / "offdomain" / "docs")
    assert negative.words > 1_550_000  # Django, Sphinx, six more Python manuals, the Rust book, Helm, three MoJ manuals, CDDO and Analysis Function guidance: 1,602,250 words
    assert negative.per_100k_words <= 0.5, negative.findings
    assert negative.errors == 0, negative.findings
