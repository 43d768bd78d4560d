"""Property-based tests: any text, in any format, is checked without crashing, at the right places."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from purdah_lint.run.checker import check_file
from purdah_lint.run.config import Config
from purdah_lint.run.preparation import Options, prepare

import datetime as dt

SETTINGS = prepare(Config(), Options(as_of=dt.date(2024, 4, 15), as_of_source="option", in_window=True)).settings
TRIGGERS = ["Our consultation opens today.", "have your say", "Council awards £12m leisure contract",
            "preferred bidder", "billboards", "Cllr Jane Smith said", "outsourcing"]
MARKUP = ["*", "**", "_", "`", "``", "&amp;", "&#8217;", "&nbsp;", "<b>", "</b>", "<p>", "</p>", "<div>", "<!--",
          "-->", "# ", "> ", "- ", "1. ", "[", "](x)", "|", ":", "::", "..", ".. note::", "\\", "<", ">", "=" * 5]
AWKWARD = ["\u200b", "\u202e", "\u2066", "\t", "\r\n", "\r", "\n", "\n\n", "\x07", "\x1b", "\u00a0", "é", "\u201c",
           "\u2019", "\U0001F600", " " * 7]
PIECE = st.one_of(st.sampled_from(TRIGGERS), st.sampled_from(MARKUP), st.sampled_from(AWKWARD),
                  st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                          max_size=12))
DOCUMENT = st.lists(PIECE, max_size=60).map("".join)
FORMATS = st.sampled_from([".txt", ".md", ".rst", ".html"])
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str, suffix: str, raw: bytes | None = None):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{suffix}"
        path.write_bytes(raw if raw is not None else text.encode("utf-8"))
        return check_file(str(path), SETTINGS), path


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@PROPERTY_SETTINGS
@given(DOCUMENT, FORMATS)
@example("&amp;\\Our consultation opens today.", ".rst")  # found by Hypothesis: reST keeps "&amp;" as it is
@example("Fish &amp; chips: our consultation opens today &lt;now&gt;.", ".html")
def test_any_text_is_checked_and_positions_point_at_the_match(text, suffix):
    result, _ = check(text, suffix)
    assert result.error is None, result.error
    lines = lines_of(text)
    for finding in result.findings:
        assert 1 <= finding.line <= len(lines) and 1 <= finding.end_line <= len(lines)
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1
        assert (finding.line, finding.column) <= (finding.end_line, finding.end_column)
        at = lines[finding.line - 1][finding.column - 1:finding.column]
        assert at.lower() == finding.match[:1].lower() or at == "&", (finding, at)


@PROPERTY_SETTINGS
@given(DOCUMENT, FORMATS)
def test_results_are_deterministic(text, suffix):
    first, _ = check(text, suffix)
    second, _ = check(text, suffix)
    assert without_paths(first.findings) == without_paths(second.findings) and first.error == second.error


def without_paths(findings) -> list:
    return [finding.replace(path="") for finding in findings]


@PROPERTY_SETTINGS
@given(st.binary(max_size=300), FORMATS)
def test_arbitrary_bytes_give_a_result_or_a_one_line_error(raw, suffix):
    result, _ = check("", suffix, raw)
    assert result.error is None or ("\n" not in result.error and result.error)


PLAIN_WORDS = st.lists(st.one_of(st.sampled_from(TRIGGERS),
                                 st.sampled_from(["the", "council", "will", "today", "and", "we", "our", "new"]),
                                 st.sampled_from([" ", "  ", "\n", ". "])), min_size=1, max_size=40).map(" ".join)


@PROPERTY_SETTINGS
@given(PLAIN_WORDS)
def test_text_and_markdown_paragraphs_find_the_same_codes(words):
    paragraph = " ".join(words.split()) + "\n"  # one paragraph, no Markdown syntax
    as_text, _ = check(paragraph, ".txt")
    as_markdown, _ = check(paragraph, ".md")
    assert sorted(f.code for f in as_text.findings) == sorted(f.code for f in as_markdown.findings)
