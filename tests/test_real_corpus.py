"""The real corpus is what its README says: labelled, evidenced, split by URL before any scoring."""

from __future__ import annotations

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
