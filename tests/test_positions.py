"""Every finding points at the first character of the matched words, in every format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, snapshot

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "positions").iterdir())
EXPECTATION = re.compile(r"(\d+):(\d+) ([A-Z]{2,6}\d{3})")


def expected_findings(path: Path) -> set[tuple[int, int, str]]:
    """The ``line:col CODE`` triples a fixture states on its 'expect' lines."""
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if "expect:" in line.lower():
            found.update((int(a), int(b), code) for a, b, code in EXPECTATION.findall(line))
    return found


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_positions_match_inline_expectations(fixture):
    before = snapshot([fixture])
    result = run_cli("check", "--in-window", "--format", "json", fixture)
    assert result.code == 1, result.stderr
    report = result.json()
    actual = {(f["line"], f["column"], f["code"]) for f in report["findings"]}
    assert actual == expected_findings(fixture)
    assert snapshot([fixture]) == before


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_position_and_end_enclose_the_matched_words(fixture):
    """Ignoring markup between them, the source from start to end spells the match."""
    lines = fixture.read_text(encoding="utf-8").split("\n")
    report = run_cli("check", "--in-window", "--format", "json", fixture).json()
    for finding in report["findings"]:
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
