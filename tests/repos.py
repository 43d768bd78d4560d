"""Git repositories for tests that run real tools (pre-commit, pip, CI steps) against this project."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from purdah_lint import __version__

RELEASE_TAG = f"v{__version__}"  # the release convention the docs describe: v and the version


def run(command, cwd, env=None, timeout=900) -> subprocess.CompletedProcess:
    """Run ``command`` and capture its output as text."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)


def git(cwd, *args) -> str:
    """Run git in ``cwd``; fail the test with git's message if it fails."""
    result = run(["git", *args], cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def release_clone(root: Path, destination: Path) -> tuple[Path, str]:
    """A clone of ``root`` at its current commit, tagged as this version's release."""
    git(root.parent, "clone", "-q", str(root), str(destination))
    git(destination, "tag", "-f", RELEASE_TAG)
    return destination, git(destination, "rev-parse", "HEAD")


def new_repo(path: Path) -> Path:
    """An empty git repository with an author set, on branch ``main``."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "writer@example.org")
    git(path, "config", "user.name", "Writer")
    return path


def pre_commit_environment(home: Path) -> dict[str, str]:
    """The environment for running pre-commit with its own cache folder."""
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
