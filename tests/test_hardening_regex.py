"""Regex safety that holds: patterns that can backtrack badly are refused; the time limit is sane everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hardening_support import GOOD, run_bounded, run_error, single_rule_pack_error
from purdah_lint.ruleset.matching.backtracking import backtracking_risk
from purdah_lint.ruleset.matching.patterns import phrase

UNSAFE = [
    r"(?:a|a)*X",
    r"(?:\w|\w\w)*X",
    r"(?:a{1,1000}){1,1000}X",
    r"\w*\w*\w*\w*\w*X",
    r"(?:\s|\s\s)+",
    r"(?:a+)+b",
    r"(?:a?){20}a{20}",
    r"\w+\s?\w+X",
    r"(?=(?:a|a)*X)",
    r"(a*)*b",
    r"[ab]*[bc]*[cd]*\d",
    r"\d+\.?\d+",
]
SAFE = [
    r"(?:a|ab)*c",  # each repetition starts with 'a', and 'b' only follows 'a': one way to split
    r"(?:foo|fo)+x",
    r"our consultation (?:opens|launches|is now open)",
    r"have your say",
    r"(?:\w+ ){0,3}survey",
    r"new (?:\w+ )?strategy",
    r"\d{1,3}(?:,\d{3})*",
    r"launch(?:es|ed|ing)?",
    r"[A-Z][a-z]+ Council",
    r"(?:£|\$)\d+(?:\.\d+)? ?(?:m|million|bn|billion)",
]


@pytest.mark.parametrize("pattern", UNSAFE)
def test_patterns_that_can_backtrack_are_refused(pattern):
    assert backtracking_risk(phrase(pattern)) is not None


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_patterns_pass(pattern):
    assert backtracking_risk(phrase(pattern)) is None


def test_every_builtin_pattern_passes_the_check():
    """The check refuses nothing the shipped packs need (else they would not load at all)."""
    from purdah_lint.ruleset.packs import load_packs

    assert len(load_packs()) > 20


@pytest.mark.parametrize("pattern", [r"(?:a|a)*X", r"(?:\w|\w\w)*X", r"(?:a{1,1000}){1,1000}X", r"\w*\w*\w*\w*\w*X"])
def test_a_user_pack_with_an_unsafe_pattern_is_refused(tmp_path, pattern):
    line = single_rule_pack_error(tmp_path, "slow", pattern, "aX")
    assert "unsafe" in line


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "100000", "0", "-1", "true", '"60"'])
def test_time_limit_must_be_a_sane_number(tmp_path, value):
    (tmp_path / ".purdah-lint.toml").write_text(f"max_seconds_per_file = {value}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    line = run_error(run_bounded("check", "a.md", cwd=tmp_path), ".purdah-lint.toml")
    assert "max_seconds_per_file" in line


def test_default_time_limit_suits_a_pre_commit_hook():
    from purdah_lint.run.checker import DEFAULT_MAX_SECONDS

    assert 5 <= DEFAULT_MAX_SECONDS <= 300


def test_sphinx_applies_the_time_limit(tmp_path, make_app):
    from purdah_lint.run.checker import time_limit  # noqa: F401 - the same limit the CLI uses

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["purdah_lint.sphinxext"]\npurdah_in_window = True\n'
                                 'purdah_config = "purdah.toml"\n', encoding="utf-8")
    (src / "purdah.toml").write_text("max_seconds_per_file = 0.01\n", encoding="utf-8")
    (src / "index.rst").write_text("Title\n=====\n\n" + ("Our consultation opens today. " * 20 + "\n\n") * 4000,
                                   encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app._warning.getvalue()
    assert "took longer than 0.01 seconds" in warnings and "max_seconds_per_file" in warnings
    assert "index.rst" in warnings
