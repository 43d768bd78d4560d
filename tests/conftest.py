"""Shared helpers: run the installed console script, find the shared corpus."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCRIPT = Path(sys.executable).parent / ("purdah-lint.exe" if os.name == "nt" else "purdah-lint")


@dataclass
class Result:
    """A finished CLI run."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


def run_cli(*args: str, cwd: Path | str | None = None, timeout: float = 300) -> Result:
    """Run the installed ``purdah-lint`` console script and capture what it prints."""
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}; run pip install -e '.[test]'"
    completed = subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                               cwd=cwd, timeout=timeout, env={**os.environ, "PYTHONWARNINGS": "error"})
    return Result(completed.returncode, completed.stdout, completed.stderr)


def snapshot(paths) -> dict[str, tuple[str, int]]:
    """Content hash and modification time of files, to prove inputs are never written."""
    state = {}
    for path in paths:
        for file in ([path] if Path(path).is_file() else sorted(Path(path).rglob("*"))):
            if Path(file).is_file():
                data = Path(file).read_bytes()
                state[str(file)] = (hashlib.sha256(data).hexdigest(), os.stat(file).st_mtime_ns)
    return state


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Keep the rule-pack cache of test runs out of the user's own cache folder."""
    os.environ["PURDAH_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def cli():
    """The CLI runner."""
    return run_cli


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared development corpus beside the project."""
    path = SHARED / "corpus"
    assert (path / "labels.yaml").is_file(), f"development corpus not found at {path}"
    return path


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Sphinx test roots: tests/roots/test-*."""
    return ROOT / "tests" / "roots"
