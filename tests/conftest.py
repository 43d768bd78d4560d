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
from hypothesis import settings

# Locally, property tests explore new inputs on every run; in CI (CI=true) they replay the same
# inputs, so a pass before merging means a pass after it. A failure found locally is pinned with
# @example beside its test.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCRIPT = Path(sys.executable).parent / ("purdah-lint.exe" if os.name == "nt" else "purdah-lint")
# A config that puts 15 April 2024 inside the window of the 2 May 2024 local elections.
WINDOW_CONFIG = """\
[tool.purdah-lint]
as_of = 2024-04-15

[[tool.purdah-lint.windows]]
id = "local.2024-05-02"
start = 2024-03-21
end = 2024-05-02
"""


@dataclass
class Result:
    """A finished CLI run."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


WRITTEN_BY_THE_TOOL = ("--output", "-o", "--audit")


def input_paths(args, cwd) -> list[Path]:
    """The existing files and folders a run is given to read (not the ones it is told to write)."""
    base = Path(cwd or ".")
    paths = []
    for index, arg in enumerate(map(str, args)):
        if index and str(args[index - 1]) in WRITTEN_BY_THE_TOOL:
            continue
        candidate = base / arg
        if not arg.startswith("-") and (candidate.is_file() or candidate.is_dir()) and candidate.resolve() != base.resolve():
            paths.append(candidate)
    return paths


def run_cli(*args: str, cwd: Path | str | None = None, timeout: float = 300) -> Result:
    """Run the installed ``purdah-lint`` console script; prove it left every input unchanged."""
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}; run pip install -e '.[test,sphinx]'"
    inputs = input_paths(args, cwd)
    before = snapshot(inputs)
    completed = subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                               cwd=cwd, timeout=timeout, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert unchanged(before, inputs), f"purdah-lint changed an input: {args}"
    return Result(completed.returncode, completed.stdout, completed.stderr)


def _files(path: Path):
    if path.is_file():
        yield path
        return
    for folder, _, names in os.walk(path, followlinks=False):
        for name in names:
            file = Path(folder) / name
            if file.is_file() and not file.is_symlink():
                yield file


def snapshot(paths) -> dict[str, tuple[str, int]]:
    """Content hash and modification time of files, to prove inputs are never written."""
    state = {}
    for path in paths:
        for file in _files(Path(path)):
            try:
                data = file.read_bytes()
            except OSError:
                continue  # unreadable on purpose (a test of permissions)
            state[str(file)] = (hashlib.sha256(data).hexdigest(), os.stat(file).st_mtime_ns)
    return state


def unchanged(before: dict, paths) -> bool:
    """Whether every file in ``before`` is still byte-for-byte the same, with the same mtime."""
    after = snapshot(paths)
    return all(after.get(path) == state for path, state in before.items())


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Keep the rule-pack cache of test runs out of the user's own cache folder."""
    os.environ["PURDAH_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@dataclass
class HookRelease:
    """A local clone of this repository tagged as this release, and a pre-commit cache shared by tests."""

    clone: Path
    rev: str
    environment: dict


@pytest.fixture(scope="session")
def hook_release(tmp_path_factory) -> HookRelease:
    """One release clone for every pre-commit test, so pre-commit builds the hook's environment once."""
    from repos import RELEASE_TAG, pre_commit_environment, release_clone

    clone, _ = release_clone(ROOT, tmp_path_factory.mktemp("release") / "purdah-lint")
    return HookRelease(clone, RELEASE_TAG, pre_commit_environment(tmp_path_factory.mktemp("pre-commit-home")))


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


def pack_findings(tmp_path, pack: Path, *paragraphs: str) -> list[dict]:
    """The JSON findings of a user ``pack``'s ORG rules on a draft holding ``paragraphs``, checked by the console script."""
    draft = tmp_path / "draft.md"
    draft.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    result = run_cli("check", "--in-window", "--pack", pack, "--select", "ORG", "--format", "json", draft)
    assert result.code in (0, 1), result.stderr
    return result.json()["findings"]
