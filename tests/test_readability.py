"""The readability advice scores exactly as textstat does, without textstat's 70 MB dictionary."""

from __future__ import annotations

import pytest
from textstat.backend.metrics import flesch_reading_ease as textstat_score

from purdah_lint.ruleset.matching import syllables
from purdah_lint.ruleset.packs import load_packs
from purdah_lint.inputs.formats import read_document
from purdah_lint.ruleset.ruletypes.readability import flesch_reading_ease


@pytest.fixture(scope="module")
def paragraphs(corpus):
    rule = next(rule for rule in load_packs() if rule.code == "PE901")
    found = [*rule.examples["fail"], *rule.examples["pass"]]
    for path in sorted((corpus / "docs").rglob("*.*")):
        found += [segment.text for segment in read_document(str(path)).segments if len(segment.text.split()) >= 20]
    return found


def test_score_is_textstats_flesch_reading_ease(paragraphs):
    assert len(paragraphs) > 300
    differing = [text[:60] for text in paragraphs if flesch_reading_ease(text) != textstat_score(text, "en_US")]
    assert differing == []


def test_words_missing_from_the_dictionary_fall_back_to_hyphenation():
    table = syllables.syllable_table()
    assert table.get("consultation") == 4 and table.get("zzzqx") is None
    assert syllables.count_syllables("Consultation zzzqx.") == 4 + 1


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path))
    syllables.syllable_table.cache_clear()
    try:
        assert syllables.syllable_table().get("library") == 3
        (stored,) = tmp_path.glob("syllables-*")
        stored.write_bytes(b'{"library": 9}')
        syllables.syllable_table.cache_clear()
        assert syllables.syllable_table().get("library") == 3
    finally:
        syllables.syllable_table.cache_clear()


def test_the_table_is_built_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path))
    syllables.syllable_table.cache_clear()
    try:
        assert syllables.syllable_table().get("library") == 3
        syllables.syllable_table.cache_clear()

        def no_building():
            raise AssertionError("the table was built again instead of read from the cache")

        monkeypatch.setattr(syllables, "_build", no_building)
        assert syllables.syllable_table().get("library") == 3
    finally:
        syllables.syllable_table.cache_clear()


def test_hyphenation_from_the_cache_counts_as_pyphen_does(tmp_path, monkeypatch):
    import pyphen

    monkeypatch.setenv("PURDAH_LINT_CACHE_DIR", str(tmp_path))
    syllables.syllable_table.cache_clear()
    try:
        syllables.syllable_table()
        syllables.syllable_table.cache_clear()
        restored = syllables.syllable_table().hyphenation  # read from the cache, not parsed by pyphen
        fresh = pyphen.Pyphen(lang=syllables.LANGUAGE)
        assert restored is not fresh and restored.hd is not fresh.hd
        words = ["zzzqx", "purdah", "hyphenation", "councillors", "pre-election", "ab", "Llanfairpwllgwyngyll"]
        assert [restored.positions(word) for word in words] == [fresh.positions(word) for word in words]
    finally:
        syllables.syllable_table.cache_clear()
