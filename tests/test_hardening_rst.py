"""reStructuredText on hostile shapes: no line dropped, inline markup parsed in linear time."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Parser

from hardening_support import assert_no_traceback, run_bounded
from purdah_lint.inputs.readers import rst, rst_inline

TRIGGER = "Our consultation opens today."
DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_a_line_over_docutils_limit_is_read_not_dropped(tmp_path):
    # docutils (line_length_limit, 10,000) kept nothing of a document holding a longer line.
    long_line = "The weather was fine. " * 600 + TRIGGER
    (tmp_path / "long.rst").write_text(f"Title\n=====\n\n{long_line}\n\nLater, {TRIGGER.lower()}\n", encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "long.rst", cwd=tmp_path)
    assert_no_traceback(result)
    lines = sorted(finding["line"] for finding in result.json()["findings"] if finding["code"] == "PE301")
    assert lines == [4, 6], result.stdout[-2000:]
    assert result.json()["files"][0]["error"] is None


class _CountingPattern:
    """A compiled pattern that adds up how many characters its searches could scan."""

    scanned = 0

    def __init__(self, pattern):
        self.pattern = pattern

    def search(self, string, pos=0):
        _CountingPattern.scanned += len(string) - pos
        return self.pattern.search(string, pos)

    def match(self, string, pos=0):
        _CountingPattern.scanned += 1
        return self.pattern.match(string, pos)


@pytest.mark.parametrize("unit", ["*a ", "**a ", "``a ", "`a ", "|a ", "_`a ", ":r:`a "])
def test_unmatched_start_strings_cost_linear_work(monkeypatch, unit):
    # docutils searched the rest of the paragraph for the end of every start-string: quadratic.
    real_init = rst_inline._RememberedSearch.__init__
    monkeypatch.setattr(rst_inline._RememberedSearch, "__init__",
                        lambda self, pattern, inliner: real_init(self, _CountingPattern(pattern), inliner))
    _CountingPattern.scanned = 0
    paragraph = "\n".join([unit * 300] * 20)  # one paragraph, 18,000 to 42,000 characters
    document = rst.parse(f"Title\n=====\n\n{paragraph} {TRIGGER}\n", "marks.rst")
    assert _CountingPattern.scanned < 4 * len(paragraph), (_CountingPattern.scanned, len(paragraph))
    assert TRIGGER in "".join(segment.text for segment in document.segments)


def test_thousands_of_addresses_in_one_paragraph_are_read(tmp_path):
    # docutils recursed once per web or email address in a paragraph: RecursionError past ~1,000.
    paragraph = " ".join(f"https://example.org/{n} office{n}@example.org" for n in range(3_000))
    (tmp_path / "links.rst").write_text(f"{paragraph}\n{TRIGGER}\n", encoding="utf-8")
    result = run_bounded("check", "--in-window", "--format", "json", "links.rst", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.json()["files"][0]["error"] is None
    assert [finding["line"] for finding in result.json()["findings"] if finding["code"] == "PE301"] == [2]


def _inline_shape(tree) -> list[tuple[str, str]]:
    return [(type(node).__name__, node.astext()) for node in tree.findall(lambda node: isinstance(
        node, (nodes.Text, nodes.Inline)) and not isinstance(node.parent, nodes.system_message))]


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.rst")), ids=lambda page: page.name)
def test_inline_nodes_are_docutils_own_on_written_pages(page):
    # The same emphasis, literals, references and text as docutils' own inliner gives.
    source = page.read_text(encoding="utf-8")
    settings = {**rst._SETTINGS, "warning_stream": False}
    with rst._sphinx_tolerance():
        ours = publish_doctree(source, parser=Parser(inliner=rst_inline.LinearInliner()),
                               settings_overrides=settings)
        theirs = publish_doctree(source, parser=Parser(), settings_overrides=settings)
    assert _inline_shape(ours) == _inline_shape(theirs)


def test_nesting_past_the_limit_is_that_files_error_in_bounded_memory(tmp_path):
    # docutils copies an indented block's lines for each level: 3,000 nested items took 2.7 GB.
    nested = "".join("  " * depth + "- item\n" for depth in range(3_000))
    (tmp_path / "nested.rst").write_text(nested, encoding="utf-8")
    (tmp_path / "good.rst").write_text("".join("  " * depth + "- item\n" for depth in range(rst.MAX_NESTING - 1))
                                       + f"\n{TRIGGER}\n", encoding="utf-8")
    result = run_bounded("check", "--in-window", "nested.rst", "good.rst", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.code == 2
    assert "nested.rst: error: line 101: reStructuredText indented more than 100 levels deep" in result.stderr
    assert "good.rst:" in result.stdout and "PE301" in result.stdout
