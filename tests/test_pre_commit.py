"""The pre-commit hook, run by the real pre-commit against a local clone of this repository."""

from __future__ import annotations

import mimetypes
import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, WINDOW_CONFIG
from purdah_lint.inputs.formats import SUPPORTED_SUFFIXES
from repos import git, new_repo, run

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
FLAGGED = "# Parking\n\nOur consultation opens today and runs for twelve weeks.\n"
NEUTRAL = "# Parking\n\nBins are collected on Tuesdays.\n"


@pytest.fixture
def environment(hook_release):
    return hook_release.environment


@pytest.fixture
def drafts_repo(tmp_path, hook_release):
    clone, rev = hook_release.clone, hook_release.rev
    new_repo(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "parking.md").write_text(FLAGGED, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(WINDOW_CONFIG, encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {rev}\n    hooks:\n      - id: purdah-lint\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    return tmp_path


def test_hook_fails_on_a_flagged_draft_and_passes_once_fixed(drafts_repo, environment):
    failed = run([str(PRE_COMMIT), "run", "--all-files"], drafts_repo, environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "purdah-lint" in failed.stdout and "Failed" in failed.stdout
    # The config at the repository root was found: its window and as_of date applied.
    assert "news/parking.md:3:5: PE301 warning [consultation]" in failed.stdout
    assert "(window: local.2024-05-02)" in failed.stdout
    (drafts_repo / "news" / "parking.md").write_text(NEUTRAL, encoding="utf-8")
    git(drafts_repo, "add", ".")
    passed = run([str(PRE_COMMIT), "run", "--all-files"], drafts_repo, environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_try_repo_runs_the_hook(drafts_repo, hook_release, environment):
    result = run([str(PRE_COMMIT), "try-repo", str(hook_release.clone), "purdah-lint", "--all-files"], drafts_repo, environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "news/parking.md:3:5: PE301" in result.stdout


def test_hook_definition_matches_the_design():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "purdah-lint")
    assert hook["entry"] == "purdah-lint check" and hook["language"] == "python"
    import re

    pattern = re.compile(hook["files"])
    for name in ("a.md", "b.markdown", "c.rst", "d.txt", "e.html", "f.htm", "G.MD", "consultation.docx"):
        assert pattern.search(name), name
    assert not pattern.search("script.py")


def test_hook_passes_exactly_the_suffixes_the_checker_reads():
    """The hook's ``files`` pattern and the checker's one suffix list must not drift apart."""
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = re.compile(hook["files"])
    known = set(mimetypes.types_map) | set(SUPPORTED_SUFFIXES) | {".mdx", ".xhtml", ".doc", ".docx.bak", ".pdf"}
    for suffix in sorted(known):
        for name in (f"news/draft{suffix}", f"NEWS/DRAFT{suffix.upper()}"):
            assert bool(pattern.search(name)) == (suffix in SUPPORTED_SUFFIXES), name

