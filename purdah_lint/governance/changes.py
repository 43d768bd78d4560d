"""Changed-lines mode: which lines of which files differ from a git revision."""

from __future__ import annotations

import codecs
import os
import re
import subprocess

from ..model import Finding, PurdahError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
ALL_LINES = None  # a file git does not track yet: every line is new


def _git(args: list[str], cwd: str) -> str:
    try:
        completed = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                                   text=True, encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise PurdahError("--diff-base needs git, which was not found") from None
    if completed.returncode != 0:
        reason = (completed.stderr.strip().splitlines() or ["git failed"])[-1]
        raise PurdahError(f"--diff-base: {reason}")
    return completed.stdout


def _refs_here(cwd: str) -> str:
    """The branches and remote branches that do exist, for an error about one that does not."""
    def names(pattern: str) -> list[str]:
        listed = _git(["for-each-ref", "--format=%(refname:short)", pattern], cwd).split()
        return [name for name in listed if not name.endswith("/HEAD")]

    branches = names("refs/heads/")
    remote = names("refs/remotes/")
    remotes = _git(["remote"], cwd).split()
    text = f"branches: {', '.join(branches) or 'none yet (no commit)'}"
    if remote:
        return f"{text}; remote branches: {', '.join(remote)}"
    if remotes:
        return f"{text}; remote {', '.join(remotes)} has no branches fetched (run 'git fetch')"
    return f"{text}; there is no remote (a branch such as origin/main needs one)"


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual file names (``"caf\\"\\303\\251.md"``)."""
    if not (len(path) >= 2 and path.startswith('"') and path.endswith('"')):
        return path
    raw = os.fsencode(path[1:-1])  # the text as git wrote it (undecodable bytes kept as they were)
    return os.fsdecode(codecs.escape_decode(raw)[0])


def changed_lines(base: str, cwd: str = ".") -> dict[str, set[int] | None]:
    """Lines added or changed since ``base`` in the working tree, by real path."""
    top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], cwd)
    except PurdahError:
        raise PurdahError(f"--diff-base: {base!r} is not a branch, tag or commit in this repository; "
                          f"{_refs_here(cwd)}") from None
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", "--src-prefix=a/", "--dst-prefix=b/",
                 base, "--"], top)
    changed: dict[str, set[int] | None] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:].rstrip("\t")  # git ends a name holding a space with a tab
            if name == "/dev/null":
                current = None
                continue
            path = os.path.realpath(os.path.join(top, _unquote(name)[2:]))
            current = changed.setdefault(path, set())
        elif current is not None:
            hunk = _HUNK.match(line)
            if hunk:
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                current.update(range(start, start + count))
    # A changed binary file (a Word document, a PDF) has no lines git can compare: all of it is new.
    for record in _git(["diff", "--numstat", "--no-renames", "-z", base, "--"], top).split("\0"):
        added, _, rest = record.partition("\t")
        deleted, _, name = rest.partition("\t")
        if added == "-" and deleted == "-" and name:
            changed[os.path.realpath(os.path.join(top, name))] = ALL_LINES
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    for name in filter(None, untracked.split("\0")):
        changed[os.path.realpath(os.path.join(top, name))] = ALL_LINES
    return changed


def on_changed_lines(finding: Finding, changed: dict[str, set[int] | None]) -> bool:
    """Whether any line of the finding was added or changed."""
    path = os.path.realpath(finding.path)
    if path not in changed:
        return False
    lines = changed[path]
    return lines is ALL_LINES or any(line in lines for line in range(finding.line, finding.end_line + 1))
