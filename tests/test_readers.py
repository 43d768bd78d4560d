"""Every reader, from fixture files that state their expected findings inside themselves.

One folder per format under ``tests/fixtures/readers/``; a fixture lists ``line:col CODE`` on lines
that say ``expect:`` (in a comment where the format has one). A new fixture needs no new test code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, snapshot
from purdah_lint.inputs.formats import FORMATS, format_for

READER_FIXTURES = ROOT / "tests" / "fixtures" / "readers"
FIXTURES = sorted(path for path in READER_FIXTURES.glob("*/*") if path.is_file())
EXPECTATION = re.compile(r"(\d+):(\d+) ([A-Z]{2,6}\d{3})")


def source_lines(path: Path) -> list[str]:
    """The fixture's lines as findings count them: a Word document's paragraphs, a PDF's text lines
    (as pdfminer.six's own plain extraction gives them, spaces and compatibility characters
    normalised), else the file's lines."""
    if path.suffix == ".docx":
        import docx

        return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs if paragraph.text]
    if path.suffix == ".pdf":
        import unicodedata

        from pdfminer.high_level import extract_text

        return [" ".join(unicodedata.normalize("NFKC", line).split())
                for line in extract_text(str(path)).splitlines() if line.strip()]
    return path.read_text(encoding="utf-8").split("\n")


def expected_findings(path: Path) -> set[tuple[int, int, str]]:
    """The ``line:col CODE`` triples a fixture states on its 'expect' lines."""
    found = set()
    for line in source_lines(path):
        if "expect:" in line.lower():
            found.update((int(a), int(b), code) for a, b, code in EXPECTATION.findall(line))
    return found


def test_every_format_has_a_fixture_folder():
    formats = {name for name, _ in FORMATS.values()}
    assert {path.name for path in READER_FIXTURES.iterdir() if path.is_dir()} == formats
    assert all(format_for(path.name) == path.parent.name for path in FIXTURES)  # each in its format's folder
    assert all(expected_findings(path) for path in FIXTURES)  # and each says what it expects


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_findings_match_the_fixture_expectations(fixture):
    before = snapshot([fixture])
    result = run_cli("check", "--in-window", "--format", "json", fixture)
    assert result.code == 1, result.stderr
    report = result.json()
    actual = {(f["line"], f["column"], f["code"]) for f in report["findings"]}
    assert actual == expected_findings(fixture)
    assert snapshot([fixture]) == before


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_position_and_end_enclose_the_matched_words(fixture):
    """Ignoring markup between them, the source from start to end spells the match."""
    lines = source_lines(fixture)
    report = run_cli("check", "--in-window", "--format", "json", fixture).json()
    for finding in report["findings"]:
        if finding["category"] == "meta":
            continue  # a waiver's own finding points at the waiver, not at matched words
        start_line, end_line = finding["line"] - 1, finding["end_line"] - 1
        span = "\n".join(lines[start_line:end_line + 1])
        start = finding["column"] - 1
        end = len(span) - len(lines[end_line]) + finding["end_column"] - 1
        source = span[start:end]
        words = finding["match"].split()
        assert source.lower().startswith(words[0][:4].lower()), (finding, source)
        assert source.lower().endswith(words[-1][-4:].lower()), (finding, source)
        # Markup aside, the source between the two points spells the match.
        plain_source = re.sub(r"<[^>]*>|&\w+;|[^\w]", "", source.lower())
        plain_match = re.sub(r"[^\w]", "", finding["match"].lower())
        assert is_subsequence(plain_match, plain_source), (finding, source)


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether the characters of ``needle`` appear in ``haystack`` in order."""
    remaining = iter(haystack)
    return all(char in remaining for char in needle)


@pytest.mark.parametrize("separator", ["\x1e", "\x0c", "\u2028"])
def test_rst_characters_docutils_reads_as_line_breaks_keep_columns(tmp_path, separator):
    """Found by Hypothesis: the reST reader must align with the text docutils saw, not the raw file."""
    draft = tmp_path / "draft.rst"
    draft.write_text(f"&amp;{separator}Our consultation opens today.\n", encoding="utf-8")
    report = run_cli("check", "--in-window", "--format", "json", str(draft)).json()
    assert [(f["line"], f["column"], f["code"]) for f in report["findings"]] == [(1, 11, "PE301")]


def test_large_texts_get_the_same_line_index_without_keeping_the_text(monkeypatch):
    from purdah_lint import model

    text = "".join(f"line {number} of a long plain-text file\n" for number in range(40_000))
    assert len(text) > model.EAGER_LINE_INDEX
    eager = model.LineIndex(text)
    monkeypatch.setattr(model, "EAGER_LINE_INDEX", len(text) + 1)
    lazy = model.LineIndex(text)
    offsets = [0, 1, 40, 41, len(text) // 2, len(text) - 1, len(text)]
    assert [eager.position(o) for o in offsets] == [lazy.position(o) for o in offsets]
    assert eager.offset(39_999) == lazy.offset(39_999) and eager.offset(10**6) == len(text)
    assert eager._text is None and lazy._text is text


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documents_from_bytes_read_like_files(fixture):
    """The seam for sources other than local files: bytes and a name give the document the file gives."""
    from purdah_lint.inputs.formats import parse_document, read_document

    from_file = read_document(str(fixture))
    from_bytes = parse_document(fixture.read_bytes(), f"https://example.org/{fixture.name}")
    assert from_bytes.format == from_file.format == format_for(fixture.name)
    assert [(s.text, s.scope, s.locate(0)) for s in from_bytes.segments] == \
        [(s.text, s.scope, s.locate(0)) for s in from_file.segments]
    assert from_bytes.path == f"https://example.org/{fixture.name}"
