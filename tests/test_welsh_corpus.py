"""The bilingual corpus is what its README says: paired halves, one label set, split by the English URL."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

import pytest
import yaml

from conftest import ROOT
from purdah_lint.ruleset.packs import load_packs

WELSH = ROOT / "tests" / "corpus" / "welsh"
RULES = load_packs()
CATEGORIES = {"policy-announcement", "procurement", "consultation", "campaign", "politician", "logo-use", "resources"}
SOURCE_TYPES = {"council", "nhs", "icb", "police-pcc", "fire", "combined-authority", "uk-government",
                "welsh-government", "scottish-government", "other-public-body"}
# Frequent function words of each language (none spelt alike in both), to tell which language a half is in.
WELSH_WORDS = {"yn", "y", "yr", "ac", "ar", "o", "mae", "ein", "gan", "bod", "wedi", "am", "ei", "eu"}
ENGLISH_WORDS = {"the", "and", "of", "to", "is", "in", "for", "that", "with", "are", "be", "this", "on", "we"}


@pytest.fixture(scope="module")
def documents():
    return yaml.safe_load((WELSH / "labels.yaml").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def pairs(documents):
    grouped = defaultdict(dict)
    for entry in documents:
        assert entry["language"] not in grouped[entry["pair"]], ("two halves in one language", entry["file"])
        grouped[entry["pair"]][entry["language"]] = entry
    return grouped


def read(entry):
    return (WELSH / entry["file"]).read_text(encoding="utf-8")


def test_every_file_is_labelled_once_with_a_unique_url(documents):
    files = {path.relative_to(WELSH).as_posix() for path in (WELSH / "docs").rglob("*") if path.is_file()}
    assert files == {entry["file"] for entry in documents}, "every file is labelled, every label has its file"
    assert len(files) == len(documents)
    urls = Counter(entry["url"] for entry in documents)
    assert max(urls.values()) == 1, urls.most_common(3)


def test_every_pair_has_an_english_and_a_welsh_half_named_after_it(pairs):
    for slug, halves in pairs.items():
        assert set(halves) == {"en", "cy"}, slug
        for language, entry in halves.items():
            assert entry["file"] == f"docs/{slug}.{language}.txt", entry["file"]


def test_halves_carry_one_label_set_and_one_split(pairs):
    for slug, halves in pairs.items():
        english, welsh = halves["en"], halves["cy"]
        for field in ("categories", "hard_negative", "split", "source_type", "kind", "region"):
            assert english[field] == welsh[field], (slug, field)
        assert english["url"] != welsh["url"], slug


# Pairs a rule was edited for, moved from check to tune; the README names each and says why.
MOVED_TO_TUNE = {"gwynedd-language-strategy-consultation", "gov-wales-written-statement-cymraeg-2050-annual-report-2018-19"}


def test_split_is_fixed_by_the_english_url(pairs):
    for slug, halves in pairs.items():
        number = int(hashlib.sha256(halves["en"]["url"].encode("utf-8")).hexdigest()[:8], 16) % 100
        fixed = "check" if number < 35 and slug not in MOVED_TO_TUNE else "tune"
        assert halves["en"]["split"] == fixed, slug
    readme = (WELSH / "README.md").read_text(encoding="utf-8")
    assert all(f"`{slug}`" in readme for slug in MOVED_TO_TUNE)
    splits = Counter(halves["en"]["split"] for halves in pairs.values())
    assert splits["tune"] and splits["check"], splits


def test_every_half_is_labelled_with_its_source_and_evidence_from_its_own_text(documents):
    for entry in documents:
        assert entry["url"].startswith(("http://", "https://")) and entry["source_type"] in SOURCE_TYPES, entry
        assert entry["language"] in {"en", "cy"} and entry["region"] == "wales", entry["file"]
        assert entry["date"] is None and entry["election"] is None and entry["in_window"] is False, entry["file"]
        assert set(entry["categories"]) <= CATEGORIES, entry["file"]
        assert set(entry["evidence"]) == set(entry["categories"]), entry["file"]
        text = " ".join(read(entry).split())
        for quotes in entry["evidence"].values():
            assert 1 <= len(quotes) <= 3, entry["file"]
            for quote in quotes:
                assert " ".join(quote.split()) in text, (entry["file"], quote)
        assert not (entry["hard_negative"] and entry["categories"]), entry["file"]


def function_words(text):
    """How many frequent Welsh and English function words ``text`` holds."""
    words = re.findall(r"[a-zâêîôûŵŷ]+", text.lower())
    return sum(word in WELSH_WORDS for word in words), sum(word in ENGLISH_WORDS for word in words)


def test_each_half_is_written_in_its_labelled_language(documents):
    for entry in documents:
        welsh, english = function_words(read(entry))
        if entry["language"] == "cy":
            assert welsh > 2 * english, (entry["file"], welsh, english)
        else:
            assert english > 2 * welsh, (entry["file"], welsh, english)


def test_the_corpus_has_positives_and_clean_pairs(pairs):
    labelled = [halves["en"]["categories"] for halves in pairs.values()]
    assert any(labelled) and not all(labelled)


def test_documents_are_plain_text_as_found(documents):
    for entry in documents:
        raw = (WELSH / entry["file"]).read_bytes()
        raw.decode("utf-8")  # stored exactly as the page text was given: UTF-8, never re-encoded by hand
        assert re.search(rb"\w", raw), entry["file"]


def findings_of_the_other_language(entry):
    """Findings of the rules in the other language than ``entry``'s, run on it as if it were in theirs.

    Every block is handed to the other language's rules as if detection had got it wrong, so this
    measures the patterns themselves. A finding on a line whose function words say it is in the
    rules' language (a Welsh heading left in an English page's furniture) is left out: those rules
    should read it.
    """
    from purdah_lint.elections.windows import IN_WINDOW
    from purdah_lint.inputs.readers import text as text_reader
    from purdah_lint.run.engine import Activation, lint_document

    other = "cy" if entry["language"] == "en" else "en"
    text = read(entry)
    document = text_reader.parse(text, entry["file"])
    for segment in document.segments:
        segment.language = other
    window = IN_WINDOW.replace(topics=("policing",))
    rules = [rule for rule in RULES if rule.language == other]
    lines = text.splitlines()
    found = []
    for finding in lint_document(document, rules, Activation((window,))):
        welsh, english = function_words(lines[finding.line - 1])
        if (welsh > english) != (other == "cy") or welsh == english:
            found.append((entry["file"], finding.line, finding.code))
    return found


def test_welsh_rules_are_silent_on_the_english_halves(documents):
    found = [hit for entry in documents if entry["language"] == "en" for hit in findings_of_the_other_language(entry)]
    assert found == []


def test_english_rules_are_silent_on_the_welsh_halves(documents):
    found = [hit for entry in documents if entry["language"] == "cy" for hit in findings_of_the_other_language(entry)]
    assert found == []
