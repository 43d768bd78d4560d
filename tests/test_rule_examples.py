"""Every rule's own fail examples are flagged by it, and its pass examples are not."""

from __future__ import annotations


import re

import pytest

from purdah_lint.run.engine import Activation, lint_document
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.inputs.readers import text as text_reader
from purdah_lint.elections.windows import IN_WINDOW

RULES = load_packs()
IN_WINDOW_ONLY = Activation((IN_WINDOW,))


def codes_for(sentence: str, rule) -> list[str]:
    document = text_reader.parse(sentence, "example.txt")
    for segment in document.segments:
        segment.language = rule.language  # a rule's examples are in its own language
    if rule.consultations_only:
        document.metadata["kind"] = "consultation"  # such rules read consultation documents only
    window = IN_WINDOW.replace(topics=(rule.topic,)) if rule.topic else IN_WINDOW
    return [finding.code for finding in lint_document(document, [rule], Activation((window,)))]


def test_every_category_of_the_first_pack_has_rules():
    categories = {rule.category for rule in RULES}
    assert {"policy-announcement", "procurement", "consultation", "campaign", "politician", "logo-use",
            "resources"} <= categories


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.code}-{rule.language}")
def test_fail_examples_are_flagged(rule):
    for example in rule.examples["fail"]:
        assert rule.code in codes_for(example, rule), f"{rule.code} should flag: {example}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.code}-{rule.language}")
def test_pass_examples_are_not_flagged(rule):
    for example in rule.examples["pass"]:
        assert rule.code not in codes_for(example, rule), f"{rule.code} should not flag: {example}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.code}-{rule.language}")
def test_every_rule_carries_guidance_and_signoff(rule):
    assert rule.guidance and rule.signoff and rule.examples["fail"] and rule.examples["pass"]
    assert "purdah" not in (rule.message + rule.guidance + rule.summary).lower()


def test_rules_do_not_fire_outside_a_window():
    document = text_reader.parse("Our consultation opens today.", "x.txt")
    assert lint_document(document, RULES, Activation(())) == []


@pytest.mark.parametrize("sentence", [
    "Our consultation\nopens today.",
    "Our consultation      opens today.",
    "Our consultation \t\n   opens today.",
])
def test_phrases_match_across_line_breaks_and_runs_of_spaces(sentence):
    document = text_reader.parse(sentence, "x.txt")
    assert "PE301" in [f.code for f in lint_document(document, RULES, IN_WINDOW_ONLY)]


@pytest.mark.parametrize("sentence, match", [
    ("Our new borough\u2019s campaign toolkit is out.", "new borough\u2019s campaign"),
    ("We have launched the \u2018Switch It Off\u2019 campaign.", "launched the \u2018Switch It Off\u2019 campaign"),
    ("We have launched the \u201cSwitch It Off\u201d campaign.", "launched the \u201cSwitch It Off\u201d campaign"),
    ('We have launched the "Switch It Off" campaign.', 'launched the "Switch It Off" campaign'),
])
def test_apostrophes_and_quotation_marks_match_inside_tokens(sentence, match):
    document = text_reader.parse(sentence, "x.txt")
    assert match in [f.match for f in lint_document(document, RULES, IN_WINDOW_ONLY) if f.code == "PE401"]


def test_only_word_classes_that_allow_an_apostrophe_take_quotation_marks():
    from purdah_lint.ruleset.matching.patterns import phrase

    assert re.fullmatch(phrase("[\\w'-]+"), "\u201cdrive\u201d") and re.fullmatch(phrase("[\\w'-]+"), "borough\u2019s")
    for token in ("['\u2019]", "[^']", "[a-z]+", "[\\w-]+"):
        assert phrase(token) == token
    assert phrase("[\\w'") == "[\\w'"  # an unclosed class is left for the regex compiler to report


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_words_inside_web_addresses_are_not_prose(tmp_path, suffix):
    from purdah_lint.inputs.formats import read_document

    path = tmp_path / f"links{suffix}"
    path.write_text("Read https://example.org/outsourcing-plan/have your say and www.example.org/outsourced.\n"
                    "We will outsource catering.\n", encoding="utf-8")
    findings = lint_document(read_document(str(path)), RULES, Activation((IN_WINDOW,)))
    assert [(f.code, f.line, f.column) for f in findings] == [("PE203", 2, 9)]


@pytest.mark.parametrize("text", [
    "award " * 50_000 + "contract",
    "consultation " * 50_000,
    "£1m " * 50_000,
    ("Cllr " * 20_000) + "a",
    "a" * 500_000,
    "candidate, " * 40_000,
])
def test_adversarial_text_is_linted_in_linear_time(text):
    """A quadratic pattern would take minutes here; every rule must get through in moments."""
    document = text_reader.parse(text, "x.txt")
    lint_document(document, RULES, Activation((IN_WINDOW,)))


HARD_PARAGRAPH = next(rule for rule in RULES if rule.code == "PE901").examples["fail"][0]


@pytest.mark.parametrize("front_matter, extra, flagged", [
    ("", "", False),                                      # not a consultation: no readability advice
    ("---\nkind: consultation\n---\n", "", True),          # marked as a consultation
    ("", "\n\nOur consultation opens today.\n", True),     # consultation content
])
def test_readability_advice_only_for_consultations(tmp_path, front_matter, extra, flagged):
    from purdah_lint.inputs.formats import read_document

    path = tmp_path / "doc.md"
    path.write_text(f"{front_matter}{HARD_PARAGRAPH}{extra}", encoding="utf-8")
    findings = lint_document(read_document(str(path)), RULES, Activation((IN_WINDOW,)))
    advice = [f for f in findings if f.code == "PE901"]
    assert bool(advice) is flagged
    if flagged:
        assert advice[0].severity.label == "suggestion" and "Flesch reading ease -" in advice[0].message
